import { PriorityClass, SS, type Status } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { DYN_IO, IoFunction, IoModifier } from './constants'
import { nullDriver, terminalDriver } from './drivers'
import { type IoHost, IoSystem, IRP_LENGTH } from './io-system'

/** A host with one process's memory as a flat array (address 0x1000 up) and virtual time. */
function setup(options: { poolPackets?: number } = {}) {
  const memory = new Uint8Array(0x2000)
  const events: string[] = []
  const timers: { at: number; then: () => void }[] = []
  const written: string[] = []
  let now = 0
  let live = 0
  const inRange = (va: number, length: number) => va >= 0x1000 && va + length <= 0x3000
  const host: IoHost = {
    readUser: (va, length) =>
      inRange(va, length) ? memory.slice(va - 0x1000, va - 0x1000 + length) : SS.ACCVIO,
    probeWrite: (va, length) => inRange(va, length),
    clearEventFlag: (_pid, efn): Status => (efn < 0 || efn > 127 ? SS.ILLEFC : SS.WASCLR),
    setEventFlag: (pid, efn, boost) => events.push(`efn ${efn} of ${pid} boost ${boost}`),
    queueAst: (pid, mode, routine, parameter) =>
      events.push(`ast ${routine.toString(16)}(${parameter}) to ${pid} mode ${mode}`),
    writeProcess: (_pid, address, iosb) => memory.set(iosb, address - 0x1000),
    after: (delay, then) => timers.push({ at: now + delay, then }),
  }
  // IRPs and system buffers are counted (and limited); the I/O database's blocks are not.
  const packets = new Set<number>()
  let next = 0x80000000
  const pool = {
    allocate: (bytes: number, type?: number) => {
      const packet = type === DYN_IO.IRP || type === DYN_IO.BUFIO
      if (type === DYN_IO.IRP && bytes !== IRP_LENGTH) throw new Error('not an IRP')
      if (packet && live >= (options.poolPackets ?? 100)) return { status: SS.INSFMEM, address: 0 }
      next += 0x200
      if (packet) {
        live++
        packets.add(next)
      }
      return { status: SS.NORMAL, address: next }
    },
    deallocate: (address: number) => {
      if (packets.delete(address)) live--
    },
  }
  const io = new IoSystem(host, { pool, channelCount: 4 })
  io.addUnit('NLA0', nullDriver(), ['NL'])
  const terminal = terminalDriver((bytes) => written.push(new TextDecoder().decode(bytes)))
  io.addUnit('OPA0', terminal, ['TT', 'SYS$OUTPUT'])
  const advance = (to: number) => {
    now = to
    for (const t of timers.splice(0).sort((a, b) => a.at - b.at)) {
      if (t.at <= now) t.then()
      else timers.push(t)
    }
    io.postprocess()
  }
  const iosb = (address: number) => {
    const v = new DataView(memory.buffer, address - 0x1000, 8)
    return { status: v.getUint16(0, true), count: v.getUint16(2, true) }
  }
  const text = (address: number, s: string) =>
    memory.set(new TextEncoder().encode(s), address - 0x1000)
  return { io, events, written, advance, iosb, text, live: () => live, terminal, memory }
}

const write = (
  channel: number,
  buffer: number,
  length: number,
  extra: Partial<{ efn: number; iosb: number; astadr: number; astprm: number; func: number }> = {},
) => ({
  efn: 1,
  channel,
  func: IoFunction.WRITEVBLK,
  iosb: 0x1800,
  astadr: 0,
  astprm: 0,
  p: [buffer, length, 0, 0, 0, 0],
  ...extra,
})

describe('$ASSIGN and $DASSGN (book 18.3)', () => {
  it('finds devices by name, _name:, generic name or alias, and numbers channels by 16', () => {
    const { io } = setup()
    expect(io.assign(1, '_OPA0:', 3)).toEqual({ status: SS.NORMAL, channel: 16 })
    expect(io.assign(1, 'tt', 3)).toEqual({ status: SS.NORMAL, channel: 32 })
    expect(io.assign(1, 'NL:', 3)).toEqual({ status: SS.NORMAL, channel: 48 })
    expect(io.assign(1, 'OP', 3)).toEqual({ status: SS.NORMAL, channel: 64 })
    expect(io.assign(1, 'NL', 3)).toEqual({ status: SS.NOIOCHAN })
    expect(io.assign(2, 'DUA0:', 3)).toEqual({ status: SS.NOSUCHDEV })
    expect(io.assign(2, 'bad name!', 3)).toEqual({ status: SS.IVDEVNAM })
    expect(io.assign(2, '', 3)).toEqual({ status: SS.IVDEVNAM })
  })

  it('refuses to deassign a channel that is not assigned or was assigned from an inner mode', () => {
    const { io } = setup()
    const { channel } = io.assign(1, 'NL', 1)
    expect(io.deassign(1, 999, 3)).toBe(SS.IVCHAN)
    expect(io.deassign(1, channel as number, 3)).toBe(SS.IVCHAN)
    expect(io.deassign(1, channel as number, 1)).toBe(SS.NORMAL)
    expect(io.deassign(1, channel as number, 1)).toBe(SS.IVCHAN)
  })
})

describe('$QIO preprocessing (book 18.5)', () => {
  it('refuses bad requests with their status and queues nothing', () => {
    const { io, events, live } = setup()
    const { channel } = io.assign(1, 'OPA0', 3)
    const c = channel as number
    expect(io.qio(1, 3, write(999, 0x1000, 5))).toBe(SS.IVCHAN)
    expect(io.qio(1, 3, write(c, 0x1000, 5, { efn: 200 }))).toBe(SS.ILLEFC)
    expect(io.qio(1, 3, write(c, 0x1000, 5, { func: 0x23 }))).toBe(SS.ILLIOFUNC) // IO$_SETMODE: not in the FDT
    expect(io.qio(1, 3, write(c, 0x1000, 5, { iosb: 0x9000 }))).toBe(SS.ACCVIO)
    expect(io.qio(1, 3, write(c, 0x9000, 5))).toBe(SS.ACCVIO)
    expect(io.qio(1, 3, write(c, 0x1000, 70000))).toBe(SS.BADPARAM)
    expect(io.qio(2, 3, write(c, 0x1000, 5))).toBe(SS.IVCHAN) // another process's channel
    expect(io.unit('OPA0')?.busy).toBe(false)
    expect(live()).toBe(0)
    // Each error sets the event flag again (book 18.5.3), except the bad event flag itself.
    expect(events).toEqual([
      ...Array(5).fill(`efn 1 of 1 boost ${PriorityClass.NULL}`),
      `efn 1 of 2 boost ${PriorityClass.NULL}`,
    ])
  })

  it('ignores function modifiers in the function code', () => {
    const { io } = setup()
    const { channel } = io.assign(1, 'NL', 3)
    expect(
      io.qio(1, 3, write(channel as number, 0x1000, 5, { func: IoFunction.WRITEVBLK | 0x100 })),
    ).toBe(SS.NORMAL)
  })

  it('returns SS$_INSFMEM when nonpaged pool has no IRP left', () => {
    const { io } = setup({ poolPackets: 2 }) // an IRP and its system buffer
    const { channel } = io.assign(1, 'OPA0', 3)
    expect(io.qio(1, 3, write(channel as number, 0x1000, 5))).toBe(SS.NORMAL)
    expect(io.qio(1, 3, write(channel as number, 0x1000, 5))).toBe(SS.INSFMEM)
  })
})

describe('driver, IOC$REQCOM and I/O postprocessing (book 18.6, 18.7)', () => {
  it('the null device finishes in the FDT routine: writes count every byte, reads are end of file', () => {
    const { io, events, iosb } = setup()
    const { channel } = io.assign(1, 'NL', 3)
    io.qio(1, 3, write(channel as number, 0x1000, 12, { astadr: 0x4000, astprm: 7 }))
    io.postprocess()
    expect(iosb(0x1800)).toEqual({ status: SS.NORMAL, count: 12 })
    expect(events).toEqual([`efn 1 of 1 boost ${PriorityClass.IOCOM}`, 'ast 4000(7) to 1 mode 3'])
    io.qio(1, 3, write(channel as number, 0x1000, 12, { func: IoFunction.READVBLK }))
    io.postprocess()
    expect(iosb(0x1800)).toEqual({ status: SS.ENDOFFILE, count: 0 })
  })

  it('the terminal sends queued requests one at a time, each completing after its characters', () => {
    const { io, events, written, advance, iosb, text, live } = setup()
    const { channel } = io.assign(1, 'OPA0', 3)
    text(0x1000, 'first line\nsecond\n')
    io.qio(1, 3, write(channel as number, 0x1000, 11, { efn: 2 }))
    io.qio(1, 3, write(channel as number, 0x100b, 7, { efn: 3, iosb: 0x1808 }))
    // The copy in the system buffer is what is sent, whatever the program does next.
    text(0x1000, 'XXXXXXXXXXXXXXXXXX')
    expect(written).toEqual(['first line\n'])
    expect(io.unit('OPA0')?.queue.length).toBe(1)
    advance(11 * 10417 - 100)
    expect(events).toEqual([])
    advance(11 * 10417)
    expect(events).toEqual([`efn 2 of 1 boost ${PriorityClass.TOCOM}`])
    expect(written).toEqual(['first line\n', 'second\n'])
    advance(11 * 10417 + 7 * 10417)
    expect(iosb(0x1808)).toEqual({ status: SS.NORMAL, count: 7 })
    expect(io.unit('OPA0')?.operations).toBe(2)
    expect(live()).toBe(0)
  })

  it('a terminal read waits for a line, echoes it, and returns it with the terminator in the IOSB', () => {
    const { io, events, written, iosb, terminal, memory } = setup()
    const { channel } = io.assign(1, 'TT', 3)
    const read = write(channel as number, 0x1100, 5, { func: IoFunction.READVBLK, efn: 4 })
    expect(io.qio(1, 3, read)).toBe(SS.NORMAL)
    io.postprocess()
    expect(terminal.reading).toBe(true)
    expect(events).toEqual([])
    terminal.input('VAXstation\r') // longer than the 5-byte buffer
    io.postprocess()
    expect(written).toEqual(['VAXstation\r\n'])
    expect(new TextDecoder().decode(memory.subarray(0x100, 0x105))).toBe('VAXst')
    expect(iosb(0x1800)).toEqual({ status: SS.NORMAL, count: 5 })
    expect(new DataView(memory.buffer).getUint32(0x804, true)).toBe(13 | (1 << 16))
    expect(events).toEqual([`efn 4 of 1 boost ${PriorityClass.TICOM}`])
    // Type-ahead: a line typed before the read is there when it comes.
    terminal.input('ok\n')
    io.qio(1, 3, read)
    io.postprocess()
    expect(iosb(0x1800)).toEqual({ status: SS.NORMAL, count: 2 })
  })

  it('lines not typed at the keyboard (a procedure data line) are read without an echo', () => {
    const { io, written, iosb, terminal, memory } = setup()
    const { channel } = io.assign(1, 'TT', 3)
    const read = write(channel as number, 0x1100, 16, { func: IoFunction.READVBLK, efn: 4 })
    terminal.input('data line\r', false)
    terminal.input('typed\r')
    io.qio(1, 3, read)
    io.postprocess()
    expect(new TextDecoder().decode(memory.subarray(0x100, 0x109))).toBe('data line')
    expect(iosb(0x1800)).toEqual({ status: SS.NORMAL, count: 9 })
    io.qio(1, 3, read)
    io.postprocess()
    expect(iosb(0x1800)).toEqual({ status: SS.NORMAL, count: 5 })
    expect(written).toEqual(['typed\r\n'])
  })

  it('CTRL/Z ends a terminal read with SS$_ENDOFFILE and the CTRL/Z terminator (book 19.3)', () => {
    const { io, written, iosb, terminal, memory } = setup()
    const { channel } = io.assign(1, 'TT', 3)
    const read = write(channel as number, 0x1100, 16, { func: IoFunction.READVBLK })
    terminal.input('ab\x1a')
    io.qio(1, 3, read)
    io.postprocess()
    expect(iosb(0x1800)).toEqual({ status: SS.ENDOFFILE, count: 2 })
    expect(new DataView(memory.buffer).getUint32(0x804, true)).toBe(0x1a | (1 << 16))
    expect(written).toEqual(['ab^Z\r\n'])
    expect(terminal.reading).toBe(false)
  })

  it('when input has ended, a waiting read and every later one complete with SS$_ENDOFFILE', () => {
    const { io, iosb, terminal } = setup()
    const { channel } = io.assign(1, 'TT', 3)
    const read = write(channel as number, 0x1100, 16, { func: IoFunction.READVBLK })
    terminal.input('last line without a return')
    io.qio(1, 3, read)
    io.postprocess()
    expect(terminal.reading).toBe(true) // an unterminated line waits while more may come
    terminal.endOfInput()
    io.postprocess()
    expect(iosb(0x1800)).toEqual({ status: SS.NORMAL, count: 16 }) // the last line is delivered
    io.qio(1, 3, read)
    io.postprocess()
    expect(iosb(0x1800)).toEqual({ status: SS.ENDOFFILE, count: 0 })
    expect(terminal.reading).toBe(false)
  })

  it('IO$_READPROMPT writes its prompt when the read starts, then reads the line (19.3)', () => {
    const { io, written, iosb, terminal, text } = setup()
    const { channel } = io.assign(1, 'TT', 3)
    text(0x1200, 'Name? ')
    const read = {
      ...write(channel as number, 0x1100, 16, { func: IoFunction.READPROMPT }),
      p: [0x1100, 16, 0, 0, 0x1200, 6],
    }
    expect(io.qio(1, 3, read)).toBe(SS.NORMAL)
    io.postprocess()
    expect(written).toEqual(['Name? '])
    terminal.input('Ada\r')
    io.postprocess()
    expect(iosb(0x1800)).toEqual({ status: SS.NORMAL, count: 3 })
    expect(written).toEqual(['Name? ', 'Ada\r\n'])
    // A prompt the caller may not read is SS$_ACCVIO, and nothing is written.
    const bad = { ...read, p: [0x1100, 16, 0, 0, 0x9000, 6] }
    expect(io.qio(1, 3, bad)).toBe(SS.ACCVIO)
    expect(written.length).toBe(2)
  })

  it('CTRL/C and CTRL/Y ASTs: enabled with IO$_SETMODE, delivered once, dropped with the channel (7.8.3)', () => {
    const { io, events, terminal } = setup()
    const { channel } = io.assign(1, 'TT', 3)
    const setmode = (modifier: number, routine: number) => ({
      ...write(channel as number, 0, 0, { func: IoFunction.SETMODE | modifier }),
      p: [routine, 77, 3, 0, 0, 0],
    })
    expect(terminal.interrupt('C')).toBe(false) // none enabled: the command interpreter acts
    expect(io.qio(1, 3, setmode(IoModifier.CTRLCAST, 0x4000))).toBe(SS.NORMAL)
    io.postprocess()
    events.length = 0
    expect(terminal.interrupt('C')).toBe(true)
    expect(events).toEqual(['ast 4000(77) to 1 mode 3'])
    expect(terminal.interrupt('C')).toBe(false) // once; it must be enabled again
    // A CTRL/C with only a CTRL/Y AST goes to the CTRL/Y AST.
    io.qio(1, 3, setmode(IoModifier.CTRLYAST, 0x5000))
    io.postprocess()
    events.length = 0
    expect(terminal.interrupt('C')).toBe(true)
    expect(events).toEqual(['ast 5000(77) to 1 mode 3'])
    // $DASSGN drops the channel's ASTs.
    io.qio(1, 3, setmode(IoModifier.CTRLCAST, 0x4000))
    io.postprocess()
    io.deassign(1, channel as number, 3)
    expect(terminal.interrupt('C')).toBe(false)
  })

  it('a read into memory the caller may not write is SS$_ACCVIO at once', () => {
    const { io } = setup()
    const { channel } = io.assign(1, 'TT', 3)
    expect(io.qio(1, 3, write(channel as number, 0x9000, 5, { func: IoFunction.READVBLK }))).toBe(
      SS.ACCVIO,
    )
  })

  it('$DASSGN cancels requests still waiting for the unit (SS$_CANCEL)', () => {
    const { io, iosb, advance } = setup()
    const { channel } = io.assign(1, 'OPA0', 3)
    io.qio(1, 3, write(channel as number, 0x1000, 4))
    io.qio(1, 3, write(channel as number, 0x1000, 4, { iosb: 0x1808 }))
    expect(io.deassign(1, channel as number, 3)).toBe(SS.NORMAL)
    io.postprocess()
    expect(iosb(0x1808).status).toBe(SS.CANCEL)
    advance(10_000_000)
    expect(iosb(0x1800)).toEqual({ status: SS.NORMAL, count: 4 })
  })
})
