import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { formatMessage, formatMessageVector, getMessage, lookupMessage, MSG } from './message'

describe('$GETMSG message text (book 29.5.2, "Get Message System Service")', () => {
  it('finds a SYSTEM message with its identifier, text and FAO argument count', () => {
    expect(lookupMessage(SS.INSFMEM)).toEqual({
      facility: 'SYSTEM',
      ident: 'INSFMEM',
      text: 'insufficient dynamic memory',
      faoCount: 0,
    })
    expect(lookupMessage(SS.ACCVIO)?.faoCount).toBe(4)
    expect(lookupMessage(SS.MSGNOTFND)?.ident).toBe('MSGNOTFND')
  })
  it('finds a message by bits 3-27 and shows the severity of the value asked about', () => {
    const parts = MSG.M_FACILITY | MSG.M_SEVERITY | MSG.M_IDENT
    expect(getMessage(SS.INSFMEM & ~7, parts).text).toBe('%SYSTEM-W-INSFMEM')
    expect(getMessage(SS.WASSET, parts).text).toBe('%SYSTEM-S-WASSET') // the exact value first
    expect(getMessage(SS.ACCVIO, parts).text).toBe('%SYSTEM-F-ACCVIO')
  })
  it('ignores the control bits 28-31 of the value', () => {
    expect(getMessage(SS.INSFMEM | 0x1000_0000).text).toBe(
      '%SYSTEM-F-INSFMEM, insufficient dynamic memory',
    )
  })
  it('status 0 is message number 0 as a warning: %SYSTEM-W-NORMAL, normal successful completion', () => {
    expect(getMessage(0)).toEqual({
      status: SS.NORMAL,
      text: '%SYSTEM-W-NORMAL, normal successful completion',
      info: [0, 0, 0, 0],
    })
  })
  it('SS$_MSGNOTFND and %NONAME-s-NOMSG, Message number xxxxxxxx for a number with no message', () => {
    expect(getMessage(0x7ff8 | 2)).toEqual({
      status: SS.MSGNOTFND,
      text: '%NONAME-E-NOMSG, Message number 00007FFA',
      info: [0, 0, 0, 0],
    })
  })
  it('a code of another facility has no message here', () => {
    expect(getMessage(0x0001_8000 | 4).text).toBe('%NONAME-F-NOMSG, Message number 00018004')
  })
  it('flags 0 is the process default, all four parts (System Services Reference Manual, $GETMSG flags)', () => {
    expect(getMessage(SS.INSFMEM, 0).text).toBe('%SYSTEM-F-INSFMEM, insufficient dynamic memory')
    expect(getMessage(SS.INSFMEM, 0x10 | MSG.M_TEXT).text).toBe('insufficient dynamic memory')
  })
})

describe('formatMessage: a message with its FAO arguments ($PUTMSG steps 2-3)', () => {
  it('puts the arguments into the text', () => {
    expect(formatMessage(SS.ACCVIO, [4, 0x1234, 0x200, 0x03c0_0000]).text).toBe(
      '%SYSTEM-F-ACCVIO, access violation, reason mask=04, virtual address=00001234, PC=00000200, PSL=03C00000',
    )
  })
  it('replaces the facility name (PUTMSG facnam)', () => {
    expect(formatMessage(SS.INSFMEM, [], { facility: 'MYFAC' }).text).toBe(
      '%MYFAC-F-INSFMEM, insufficient dynamic memory',
    )
    expect(formatMessage(SS.INSFMEM, [], { facility: 'MYFAC', flags: 9 }).text).toBe(
      '%MYFAC, insufficient dynamic memory',
    )
  })
  it('a message without arguments is left as it is (no FAO pass)', () => {
    expect(formatMessage(SS.BADPARAM).text).toBe('%SYSTEM-F-BADPARAM, bad parameter value')
  })
})

describe('formatMessageVector: the lines $PUTMSG writes for a message vector', () => {
  it('system messages: an exception is followed by its FAO arguments, others by nothing', () => {
    const vector = [6, SS.ACCVIO, 4, 0x1234, 0x200, 0x03c0_0000, SS.INSFMEM]
    expect(formatMessageVector(vector)).toEqual({
      status: SS.NORMAL,
      lines: [
        '%SYSTEM-F-ACCVIO, access violation, reason mask=04, virtual address=00001234, PC=00000200, PSL=03C00000',
        '-SYSTEM-F-INSFMEM, insufficient dynamic memory',
      ],
    })
  })
  it('default flags in bits 16-19 of the first longword; facnam for the first message only', () => {
    const vector = [(MSG.M_TEXT << 16) | 2, SS.INSFMEM, SS.BADPARAM]
    expect(formatMessageVector(vector).lines).toEqual([
      'insufficient dynamic memory',
      'bad parameter value',
    ])
    expect(formatMessageVector([2, SS.INSFMEM, SS.BADPARAM], { facility: 'COPY' }).lines).toEqual([
      '%COPY-F-INSFMEM, insufficient dynamic memory',
      '-SYSTEM-F-BADPARAM, bad parameter value',
    ])
  })
  it('another facility: an FAO count and flags longword, then the arguments', () => {
    const other = (0x123 << 16) | 0x8002
    const vector = [5, other, (MSG.M_IDENT << 16) | 2, 7, 8, SS.INSFMEM]
    expect(formatMessageVector(vector)).toEqual({
      status: SS.MSGNOTFND,
      lines: ['%NOMSG', '-SYSTEM-F-INSFMEM, insufficient dynamic memory'],
    })
  })
  it('a vector cut short reads no further than its count', () => {
    let furthest = 0
    const read = (i: number) => {
      furthest = Math.max(furthest, i)
      return [1, SS.ACCVIO, 4, 5][i] ?? 0
    }
    expect(formatMessageVector(read).lines[0]).toMatch(
      /^%SYSTEM-F-ACCVIO, access violation, reason mask=00/,
    )
    expect(furthest).toBe(1)
  })
})
