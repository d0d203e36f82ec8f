import { ServiceFault, SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { parameterCount, parseControl } from './directives'
import { fao } from './fao'
import { ByteMemory } from './memory'
import { DEFAULT_BOOT_TIME } from './subsystem'

/** The text $FAO makes of `control` with `parameters` (longwords). */
function text(control: string, ...parameters: number[]): string {
  const r = fao(control, parameters)
  expect(r.status).toBe(SS.NORMAL)
  return r.text
}

describe('$FAO zero-filled numeric directives (!OB !OW !OL !XB !XW !XL !ZB !ZW !ZL)', () => {
  it('octal and hexadecimal are zero-filled to 3/6/11 and 2/4/8 digits, of the low byte, word or longword', () => {
    expect(text('!OB !OW !OL', 9, 9, 9)).toBe('011 000011 00000000011')
    expect(text('!XB !XW !XL', 15, 15, 15)).toBe('0F 000F 0000000F')
    expect(text('!XB !XW !XL', 0x1234_5678, 0x1234_5678, -1)).toBe('78 5678 FFFFFFFF')
    expect(text('!OL', -1)).toBe('37777777777')
  })
  it('!Z is unsigned decimal of the byte, word or longword (!ZB 257 is 1, !ZW 65536 is 0)', () => {
    expect(text('!ZB !ZB !ZW !ZW !ZL', 100, 257, 257, 65536, -1)).toBe('100 1 257 0 4294967295')
  })
  it('table "Output Field Lengths": hex/octal blank-filled to a longer field, cut on the left for a shorter one', () => {
    expect(text('[!6XB] [!1XW] [!10OB] [!2OL]', 0xab, 0x1234, 8, 8)).toBe(
      '[    AB] [4] [       010] [10]',
    )
  })
  it('table: zero-filled decimal is zero-filled to a longer field and all asterisks in a shorter one', () => {
    expect(text('[!5ZL] [!2ZL] [!3ZB]', 42, 123, 5)).toBe('[00042] [**] [005]')
  })
})

describe('$FAO blank-filled numeric directives (!UB !UW !UL !SB !SW !SL)', () => {
  it('unsigned decimal of the low byte, word or longword', () => {
    expect(text('!UB !UB !UB !UW !UL', 255, 256, -1, -1, -1)).toBe('255 0 255 65535 4294967295')
  })
  it('signed decimal sign-extends the byte or word', () => {
    expect(text('!SB !SB !SW !SL !SL', 255, 127, 0x8000, -5, 0x7fffffff)).toBe(
      '-1 127 -32768 -5 2147483647',
    )
  })
  it('table: right-justified and blank-filled to a longer field; asterisks when the value does not fit', () => {
    expect(text('[!6UL] [!4SL] [!2UL] [!2SL] [!3SB]', 42, -42, 123, -5, -128)).toBe(
      '[    42] [ -42] [**] [-5] [***]',
    )
  })
  it('!#UL takes the field length from the parameter before the value', () => {
    expect(text('[!#UL]', 5, 42)).toBe('[   42]')
  })
})

describe('$FAO quadword directives (!XQ !OQ !UQ !SQ !ZQ: the parameter is the address)', () => {
  it('converts the quadword the parameter points at', () => {
    const m = new ByteMemory()
    const q = m.quadword(-2n)
    expect(fao('!XQ !SQ !UQ', [q, q, q], { memory: m }).text).toBe(
      'FFFFFFFFFFFFFFFE -2 18446744073709551614',
    )
    expect(fao('!OQ', [m.quadword(8n)], { memory: m }).text).toBe('0000000000000000000010')
  })
})

describe('$FAO character string directives (!AC !AD !AF !AS !AZ)', () => {
  const m = new ByteMemory()
  const name = m.string('VAX/VMS')
  const counted = m.place(Uint8Array.of(3, 0x41, 0x42, 0x43))
  const bytes = m.place(Uint8Array.of(0x48, 0x49, 0x07, 0x0a, 0x21))
  const asciz = m.place(Uint8Array.from([...'ZERO'].map((c) => c.charCodeAt(0)).concat(0)))
  const run = (control: string, ...p: number[]) => fao(control, p, { memory: m }).text

  it('!AS inserts the string a descriptor describes; !AC a counted string', () => {
    expect(run('<!AS> <!AC>', name, counted)).toBe('<VAX/VMS> <ABC>')
  })
  it('!AD takes a length and an address; !AF also replaces nonprintable characters with periods', () => {
    expect(run('<!AD> <!AF>', 2, bytes, 5, bytes)).toBe('<HI> <HI..!>')
  })
  it('!AZ inserts a zero-terminated string', () => {
    expect(run('<!AZ>', asciz)).toBe('<ZERO>')
  })
  it('table: strings are blank-filled on the right to a longer field and cut on the right for a shorter one', () => {
    expect(run('[!10AS] [!3AS] [!#AC]', name, name, 5, counted)).toBe('[VAX/VMS   ] [VAX] [ABC  ]')
  })
  it('a string the caller may not read gives SS$_ACCVIO and no text', () => {
    const locked = new ByteMemory().protect(0x1000, 16)
    const d = locked.longwords([5, 0x1000])
    expect(fao('!AS', [d], { memory: locked })).toEqual({
      status: SS.ACCVIO,
      text: '',
      parametersUsed: 1,
    })
    expect(fao('!AC', [0x1000], { memory: locked }).status).toBe(SS.ACCVIO)
    expect(fao('!AS', [d]).status).toBe(SS.ACCVIO) // no memory at all
  })
})

describe('$FAO output string formatting (!/ !_ !^ !! !n*c !n< !>)', () => {
  it('!/ is carriage return and line feed, !_ a tab, !^ a form feed, !! an exclamation point', () => {
    expect(text('a!/b!_c!^d!!')).toBe('a\r\nb\tc\fd!')
  })
  it('!n*c repeats the character n times; !#*c takes n from a parameter', () => {
    expect(text('!5*-|!#*=|!3*!', 2)).toBe('-----|==|!!!')
  })
  it('!n<...!> puts what is between into a field of n characters: blank-filled or cut', () => {
    expect(text('[!10<!UL items!>]', 42)).toBe('[42 items  ]')
    expect(text('[!5<!UL items!>]', 42)).toBe('[42 it]')
    expect(text('[!#<!UL!>]', 4, 7)).toBe('[7   ]')
  })
  it('fixed fields nest', () => {
    expect(text('[!8<!3<abcdef!>xy!>]')).toBe('[abcxy   ]')
  })
})

describe('$FAO parameter interpretation (!- !+) and repeat counts', () => {
  it('!- uses the last parameter again; !+ skips the next one', () => {
    expect(text('!UL !-!XB !+!UL', 255, 7, 9)).toBe('255 FF 9')
  })
  it('!n(DD) repeats a directive, each with the next parameter; with a length too', () => {
    expect(text('!3(UL)', 1, 2, 3)).toBe('123')
    expect(text('!3(4UL)', 1, 22, 333)).toBe('   1  22 333')
    expect(text('!2(/)x')).toBe('\r\n\r\nx')
  })
  it('!#(#UL): the count, then one length for every repetition, then the values', () => {
    expect(text('!#(#UL)|', 2, 3, 7, 8)).toBe('  7  8|')
  })
  it('parameters past the list are 0', () => {
    expect(text('!UL !UL', 5)).toBe('5 0')
  })
})

describe('$FAO special formatting (!%S !%U !%I !%D !%T !n%C !%E !%F)', () => {
  it('!%S inserts an s after a number other than 1, an S after an uppercase letter', () => {
    expect(text('!UL file!%S, !UL file!%S, !UL FILE!%S', 1, 2, 0)).toBe('1 file, 2 files, 0 FILES')
  })
  it('!%S looks at the value as converted (!UB of 257 is 1)', () => {
    expect(text('!UB block!%S', 257)).toBe('1 block')
  })
  it('!%U is a UIC [group,member] in octal; !%I a UIC identifier so, others %X and hexadecimal', () => {
    expect(text('!%U !%I !%I', (8 << 16) | 4, (0o377 << 16) | 1, 0x8001_0002)).toBe(
      '[10,4] [377,1] %X80010002',
    )
    expect(
      fao('!%I', [(1 << 16) | 4], { identifier: (id) => (id === 0x10004 ? '[SYSTEM]' : undefined) })
        .text,
    ).toBe('[SYSTEM]')
  })
  it('!%D is date and time, !%T the time, of the quadword the parameter points at; 0 is now', () => {
    const m = new ByteMemory()
    const t = m.quadword(DEFAULT_BOOT_TIME + 36_000_000_000n + 1_230_000n) // +1 h, 0.123 s
    const now = () => DEFAULT_BOOT_TIME
    const run = (control: string, ...p: number[]) => fao(control, p, { memory: m, now }).text
    expect(run('!%D|!%T', t, t)).toBe(' 1-JAN-1988 01:00:00.12|01:00:00.12')
    expect(run('!%D', 0)).toBe(' 1-JAN-1988 00:00:00.00')
    expect(run('[!11%D]', t)).toBe('[ 1-JAN-1988]') // a field length cuts it
  })
  it('!%D of a time past the year 9999 gives SS$_IVTIME', () => {
    const m = new ByteMemory()
    expect(fao('!%D', [m.quadword(0x7fff_ffff_ffff_ffffn)], { memory: m }).status).toBe(SS.IVTIME)
  })
  it('!n%C ... !%E ... !%F chooses text by the last number', () => {
    const plural = '!UL !1%Cbottle!2%Ca pair!%Ebottles!%F left'
    expect(text(plural, 1)).toBe('1 bottle left')
    expect(text(plural, 2)).toBe('2 a pair left')
    expect(text(plural, 5)).toBe('5 bottles left')
    expect(text('!UL!0%C none!%F!UL', 0, 7)).toBe('0 none7') // skipped text takes no parameter
  })
})

describe('$FAO statuses (Condition Values Returned)', () => {
  it('SS$_BUFFEROVF: the output is cut to the buffer, and the status is a success', () => {
    const r = fao('!UL apples', [12345], { bufferLength: 7 })
    expect(r).toEqual({ status: SS.BUFFEROVF, text: '12345 a', parametersUsed: 1 })
    expect(r.status & 1).toBe(1)
    expect(fao('!65535*x!65535*y', []).status).toBe(SS.BUFFEROVF)
  })
  it('output exactly the buffer length is SS$_NORMAL', () => {
    expect(fao('abc', [], { bufferLength: 3 }).status).toBe(SS.NORMAL)
  })
  it('SS$_BADPARAM for an invalid directive, with no text', () => {
    for (const bad of [
      '!Q',
      '!ul',
      '!XX',
      '!3(UL',
      '!<',
      'x!>',
      '!5*',
      '!%Z',
      '!',
      '!3(<)',
      '!A',
    ]) {
      expect(fao(bad, [1, 2, 3])).toEqual({ status: SS.BADPARAM, text: '', parametersUsed: 0 })
    }
  })
  it('a parameter that cannot be read ($FAOL list) gives SS$_ACCVIO', () => {
    const r = fao('!UL !UL', (i) => {
      if (i > 0) throw new ServiceFault(SS.ACCVIO)
      return 1
    })
    expect(r).toEqual({ status: SS.ACCVIO, text: '', parametersUsed: 2 })
  })
})

describe('$FAO on hostile control strings (guest input is untrusted)', () => {
  it('a !> whose !n< a choice skipped is SS$_BADPARAM', () => {
    expect(fao('!UL!1%C!5<!%F!>', [0]).status).toBe(SS.BADPARAM)
  })
  it('stops at the end of the buffer: huge repeat counts and fields end quickly with SS$_BUFFEROVF', () => {
    expect(fao('!65535(65535UL)', [], { bufferLength: 10 })).toMatchObject({
      status: SS.BUFFEROVF,
      text: ' '.repeat(10),
    })
    expect(fao('!65535<!65535(65535UL)!>', [], { bufferLength: 10 }).status).toBe(SS.BUFFEROVF)
    expect(fao('!#(#*x)', [0xffff_ffff, 0xffff_ffff]).text.length).toBe(0xffff)
  })
  it('characters past the end of the buffer are not read', () => {
    const m = new ByteMemory().protect(0x1004, 16)
    const d = m.longwords([8, 0x1000]) // 8 characters, the last 4 unreadable
    expect(fao('!AS', [d], { memory: m, bufferLength: 4 }).status).toBe(SS.BUFFEROVF)
    expect(fao('!AS', [d], { memory: m, bufferLength: 8 }).status).toBe(SS.ACCVIO)
  })
})

describe('parsing control strings', () => {
  it('splits text and directives with their repeat counts and lengths', () => {
    expect(parseControl('x!3(#UL)y')).toEqual([
      { kind: 'text', text: 'x' },
      { kind: 'directive', code: 'UL', repeat: 3, length: '#', char: undefined },
      { kind: 'text', text: 'y' },
    ])
  })
  it('counts the parameters a message text takes ($GETMSG OUTADR byte 1)', () => {
    expect(parameterCount('reason mask=!XB, virtual address=!XL, PC=!XL, PSL=!XL')).toBe(4)
    expect(parameterCount('!AD !#(UL) !%D !/')).toBe(5) // 2, the count and 1, 1
  })
})
