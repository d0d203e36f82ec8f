import { type Kernel, ServiceFault, SS, type Status } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { ByteMemory } from './memory'
import { DEFAULT_BOOT_TIME, formattingSubsystem } from './subsystem'
import { TICKS_PER_DAY, TICKS_PER_SECOND } from './time'

/** A range the caller may neither read nor write, and a read-only range. */
const NOACCESS = 0xf000
const READONLY = 0xe000

/**
 * The subsystem over a byte-array memory, called as the dispatcher calls it: a
 * ServiceFault from the guest memory becomes the service's status (SS$_ACCVIO).
 */
function system() {
  let clock = 0
  // The subsystem uses only the kernel's clock.
  const kernel = { now: () => clock } as unknown as Kernel
  const subsystem = formattingSubsystem()(kernel)
  const memory = new ByteMemory().protect(NOACCESS, 0x100).readOnly(READONLY, 0x100)
  const call = (name: string, ...args: number[]): Status => {
    const service = subsystem.services?.find((s) => s.name === name)
    if (service === undefined) throw new Error(`no ${name}`)
    try {
      return service.call({
        pid: 0x10001,
        mode: 3,
        count: args.length,
        arg: (i) => args[i] ?? 0,
        guest: memory,
      })
    } catch (error) {
      if (error instanceof ServiceFault) return error.status
      throw error
    }
  }
  const word = (va: number) => memory.read(va, 2).reduce((v, b, i) => v | (b << (8 * i)), 0)
  const quad = (va: number) => new DataView(memory.read(va, 8).buffer).getBigInt64(0, true)
  return {
    memory,
    call,
    word,
    quad,
    advance: (ticks: number) => {
      clock += ticks
    },
    subsystem,
  }
}

/** An output buffer: its descriptor's address and the buffer's. */
function output(memory: ByteMemory, length: number): { desc: number; buf: number } {
  const desc = memory.buffer(length)
  return { desc, buf: memory.read32(desc + 4) >>> 0 }
}

describe('the subsystem (ARCHITECTURE.md "Composing a system")', () => {
  it('contributes the seven services with the vector argument counts, and SHOW TIME', () => {
    const { subsystem } = system()
    expect(subsystem.services?.map((s) => [s.name, s.args])).toEqual([
      ['GETTIM', 1],
      ['ASCTIM', 4],
      ['BINTIM', 2],
      ['NUMTIM', 2],
      ['FAO', 3],
      ['FAOL', 4],
      ['GETMSG', 5],
    ])
    const lines: string[] = []
    expect(subsystem.commands?.[0]?.run([], (l) => lines.push(l))).toBe(SS.NORMAL)
    expect(lines).toEqual(['   1-JAN-1988 00:00:00'])
  })
})

describe('$GETTIM timadr (book 11.4: the system time quadword)', () => {
  it('writes boot time plus the kernel clock', () => {
    const s = system()
    const q = s.memory.reserve(8)
    s.advance(5 * 10_000_000)
    expect(s.call('GETTIM', q)).toBe(SS.NORMAL)
    expect(s.quad(q)).toBe(DEFAULT_BOOT_TIME + 5n * TICKS_PER_SECOND)
  })
  it('takes the boot time from the options', () => {
    const kernel = { now: () => 0 } as unknown as Kernel
    const [gettim] = formattingSubsystem({ bootTime: 1234n })(kernel).services ?? []
    const memory = new ByteMemory()
    const q = memory.reserve(8)
    gettim?.call({ pid: 1, mode: 3, count: 1, arg: () => q, guest: memory })
    expect(memory.read(q, 8)).toEqual(Uint8Array.of(0xd2, 0x04, 0, 0, 0, 0, 0, 0)) // little-endian
  })
})

describe('$ASCTIM [timlen],timbuf,[timadr],[cvtflg]', () => {
  it('omitted timadr is the current time; the length goes to timlen', () => {
    const s = system()
    const out = output(s.memory, 23)
    const len = s.memory.reserve(2)
    expect(s.call('ASCTIM', len, out.desc, 0, 0)).toBe(SS.NORMAL)
    expect(s.memory.text(out.buf, 23)).toBe(' 1-JAN-1988 00:00:00.00')
    expect(s.word(len)).toBe(23)
  })
  it('converts the time at timadr; cvtflg 1 gives the time only; a delta time', () => {
    const s = system()
    const out = output(s.memory, 32)
    const len = s.memory.reserve(2)
    const t = s.memory.quadword(DEFAULT_BOOT_TIME + 90n * TICKS_PER_SECOND)
    expect(s.call('ASCTIM', len, out.desc, t, 1)).toBe(SS.NORMAL)
    expect(s.memory.text(out.buf, s.word(len))).toBe('00:01:30.00')
    const d = s.memory.quadword(-(2n * TICKS_PER_DAY))
    expect(s.call('ASCTIM', len, out.desc, d, 0)).toBe(SS.NORMAL)
    expect(s.memory.text(out.buf, s.word(len))).toBe('   2 00:00:00.00')
  })
  it('SS$_BUFFEROVF: a short buffer gets the first characters', () => {
    const s = system()
    const out = output(s.memory, 11)
    const len = s.memory.reserve(2)
    expect(s.call('ASCTIM', len, out.desc, 0, 0)).toBe(SS.BUFFEROVF)
    expect(s.memory.text(out.buf, 11)).toBe(' 1-JAN-1988')
    expect(s.word(len)).toBe(11)
  })
})

describe('$BINTIM timbuf,timadr', () => {
  it('converts absolute and delta text', () => {
    const s = system()
    const q = s.memory.reserve(8)
    expect(s.call('BINTIM', s.memory.string('2-JAN-1988 00:00:01.00'), q)).toBe(SS.NORMAL)
    expect(s.quad(q)).toBe(DEFAULT_BOOT_TIME + TICKS_PER_DAY + TICKS_PER_SECOND)
    expect(s.call('BINTIM', s.memory.string('0 ::10'), q)).toBe(SS.NORMAL)
    expect(s.quad(q)).toBe(-10n * TICKS_PER_SECOND)
    expect(s.call('BINTIM', s.memory.string('-- 12:00'), q)).toBe(SS.NORMAL)
    expect(s.quad(q)).toBe(DEFAULT_BOOT_TIME + 12n * 3600n * TICKS_PER_SECOND)
  })
})

describe('$NUMTIM timbuf,[timadr]', () => {
  it('writes the seven words; omitted timadr is the current time', () => {
    const s = system()
    const buf = s.memory.reserve(14)
    s.advance(123_456_789)
    expect(s.call('NUMTIM', buf, 0)).toBe(SS.NORMAL)
    const words = Array.from({ length: 7 }, (_, i) => s.word(buf + 2 * i))
    expect(words).toEqual([1988, 1, 1, 0, 0, 12, 34])
    const d = s.memory.quadword(-(3n * TICKS_PER_DAY + 60n * TICKS_PER_SECOND))
    expect(s.call('NUMTIM', buf, d)).toBe(SS.NORMAL)
    expect(Array.from({ length: 7 }, (_, i) => s.word(buf + 2 * i))).toEqual([0, 0, 3, 0, 1, 0, 0])
  })
})

describe('$FAO ctrstr,[outlen],outbuf,[p1]...[p17] and $FAOL ctrstr,[outlen],outbuf,[prmlst]', () => {
  it('$FAO formats its parameters; those past the argument count are 0', () => {
    const s = system()
    const out = output(s.memory, 64)
    const len = s.memory.reserve(2)
    const ctr = s.memory.string('!AS has !UL block!%S, !UL free')
    expect(s.call('FAO', ctr, len, out.desc, s.memory.string('DUA0'), 2)).toBe(SS.NORMAL)
    expect(s.memory.text(out.buf, s.word(len))).toBe('DUA0 has 2 blocks, 0 free')
  })
  it('$FAOL reads the parameters from the list at prmlst', () => {
    const s = system()
    const out = output(s.memory, 64)
    const len = s.memory.reserve(2)
    const list = s.memory.longwords([3, 0xff])
    expect(s.call('FAOL', s.memory.string('!UL:!XB'), len, out.desc, list)).toBe(SS.NORMAL)
    expect(s.memory.text(out.buf, s.word(len))).toBe('3:FF')
  })
  it('!%D with 0 is the system time', () => {
    const s = system()
    const out = output(s.memory, 64)
    const len = s.memory.reserve(2)
    expect(s.call('FAO', s.memory.string('!%D'), len, out.desc, 0)).toBe(SS.NORMAL)
    expect(s.memory.text(out.buf, s.word(len))).toBe(' 1-JAN-1988 00:00:00.00')
  })
  it('SS$_BUFFEROVF: the output is cut to the buffer and outlen is the buffer length', () => {
    const s = system()
    const out = output(s.memory, 4)
    const len = s.memory.reserve(2)
    expect(s.call('FAO', s.memory.string('!UL!UL'), len, out.desc, 123, 456)).toBe(SS.BUFFEROVF)
    expect(s.memory.text(out.buf, 4)).toBe('1234')
    expect(s.word(len)).toBe(4)
  })
  it('a control string longer than 255 characters is read whole', () => {
    const s = system()
    const out = output(s.memory, 400)
    const len = s.memory.reserve(2)
    expect(s.call('FAO', s.memory.string(`${'x'.repeat(300)}!UL`), len, out.desc, 7)).toBe(
      SS.NORMAL,
    )
    expect(s.word(len)).toBe(301)
  })
})

describe('$GETMSG msgid,msglen,bufadr,[flags],[outadr]', () => {
  it('returns %FACILITY-S-IDENT, text and the FAO argument count in outadr byte 1', () => {
    const s = system()
    const out = output(s.memory, 128)
    const len = s.memory.reserve(2)
    const info = s.memory.reserve(4)
    expect(s.call('GETMSG', SS.ACCVIO, len, out.desc, 15, info)).toBe(SS.NORMAL)
    expect(s.memory.text(out.buf, s.word(len))).toBe(
      '%SYSTEM-F-ACCVIO, access violation, reason mask=!XB, virtual address=!XL, PC=!XL, PSL=!XL',
    )
    expect(s.memory.read(info, 4)).toEqual(Uint8Array.of(0, 4, 0, 0))
  })
  it('flags select the parts: 1 text only, 2 identifier, 6 severity and identifier', () => {
    const s = system()
    const out = output(s.memory, 128)
    const len = s.memory.reserve(2)
    const got = (flags: number) => {
      s.call('GETMSG', SS.INSFMEM, len, out.desc, flags, 0)
      return s.memory.text(out.buf, s.word(len))
    }
    expect(got(1)).toBe('insufficient dynamic memory')
    expect(got(2)).toBe('%INSFMEM')
    expect(got(6)).toBe('%F-INSFMEM')
    expect(got(9)).toBe('%SYSTEM, insufficient dynamic memory')
  })
  it('SS$_MSGNOTFND with %NONAME-s-NOMSG, Message number xxxxxxxx for an unknown code', () => {
    const s = system()
    const out = output(s.memory, 128)
    const len = s.memory.reserve(2)
    expect(s.call('GETMSG', 0x0abc_0002, len, out.desc, 15, 0)).toBe(SS.MSGNOTFND)
    expect(s.memory.text(out.buf, s.word(len))).toBe('%NONAME-E-NOMSG, Message number 0ABC0002')
  })
  it('SS$_BUFFEROVF with the message cut', () => {
    const s = system()
    const out = output(s.memory, 8)
    const len = s.memory.reserve(2)
    expect(s.call('GETMSG', SS.INSFMEM, len, out.desc, 15, 0)).toBe(SS.BUFFEROVF)
    expect(s.memory.text(out.buf, 8)).toBe('%SYSTEM-')
  })
})

/**
 * Bad calls, each answered with its status and the caller's memory unchanged (every
 * pointer is probed before anything is written, book 9.4).
 */
describe('bad arguments change nothing', () => {
  type Setup = (s: ReturnType<typeof system>) => [string, number[]]
  const good = (s: ReturnType<typeof system>) => ({
    out: output(s.memory, 64).desc,
    len: s.memory.reserve(2),
    q: s.memory.reserve(8),
    /** A descriptor of 8 bytes in the unreadable range. */
    badText: s.memory.longwords([8, NOACCESS]),
    /** A descriptor of an 8-byte buffer in the read-only range. */
    roOut: s.memory.longwords([8, READONLY]),
  })
  const cases: [string, Status, Setup][] = [
    ['$GETTIM timadr not writable', SS.ACCVIO, () => ['GETTIM', [READONLY]]],
    ['$GETTIM timadr 0', SS.ACCVIO, () => ['GETTIM', [0]]],
    [
      '$ASCTIM timbuf descriptor unreadable',
      SS.ACCVIO,
      (s) => ['ASCTIM', [good(s).len, NOACCESS, 0, 0]],
    ],
    [
      '$ASCTIM timbuf buffer read-only',
      SS.ACCVIO,
      (s) => ['ASCTIM', [good(s).len, good(s).roOut, 0, 0]],
    ],
    ['$ASCTIM timlen read-only', SS.ACCVIO, (s) => ['ASCTIM', [READONLY, good(s).out, 0, 0]]],
    [
      '$ASCTIM timadr unreadable',
      SS.ACCVIO,
      (s) => ['ASCTIM', [good(s).len, good(s).out, NOACCESS, 0]],
    ],
    [
      '$ASCTIM delta of 10,000 days: SS$_IVTIME',
      SS.IVTIME,
      (s) => ['ASCTIM', [good(s).len, good(s).out, s.memory.quadword(-10_000n * TICKS_PER_DAY), 0]],
    ],
    ['$BINTIM timbuf descriptor unreadable', SS.ACCVIO, (s) => ['BINTIM', [NOACCESS, good(s).q]]],
    ['$BINTIM timbuf text unreadable', SS.ACCVIO, (s) => ['BINTIM', [good(s).badText, good(s).q]]],
    ['$BINTIM timadr 0', SS.ACCVIO, (s) => ['BINTIM', [s.memory.string('0 1'), 0]]],
    ['$NUMTIM timbuf 0', SS.ACCVIO, () => ['NUMTIM', [0, 0]]],
    ['$ASCTIM timbuf 0', SS.ACCVIO, (s) => ['ASCTIM', [good(s).len, 0, 0, 0]]],
    ['$FAO outbuf 0', SS.ACCVIO, (s) => ['FAO', [s.memory.string('x'), good(s).len, 0]]],
    ['$BINTIM timadr read-only', SS.ACCVIO, (s) => ['BINTIM', [s.memory.string('0 1'), READONLY]]],
    [
      '$BINTIM bad text: SS$_IVTIME',
      SS.IVTIME,
      (s) => ['BINTIM', [s.memory.string('31-FEB-1988'), good(s).q]],
    ],
    ['$NUMTIM timbuf read-only', SS.ACCVIO, () => ['NUMTIM', [READONLY - 6, 0]]],
    ['$NUMTIM timadr unreadable', SS.ACCVIO, (s) => ['NUMTIM', [good(s).q, NOACCESS]]],
    [
      '$NUMTIM time past 9999: SS$_IVTIME',
      SS.IVTIME,
      (s) => ['NUMTIM', [s.memory.reserve(14), s.memory.quadword(0x7fff_ffff_ffff_ffffn)]],
    ],
    ['$FAO ctrstr unreadable', SS.ACCVIO, (s) => ['FAO', [NOACCESS, good(s).len, good(s).out]]],
    [
      '$FAO outbuf read-only',
      SS.ACCVIO,
      (s) => ['FAO', [s.memory.string('x'), good(s).len, good(s).roOut]],
    ],
    [
      '$FAO outlen read-only',
      SS.ACCVIO,
      (s) => ['FAO', [s.memory.string('x'), READONLY, good(s).out]],
    ],
    [
      '$FAO !AS of an unreadable descriptor',
      SS.ACCVIO,
      (s) => ['FAO', [s.memory.string('ok !AS'), good(s).len, good(s).out, NOACCESS]],
    ],
    [
      '$FAO !%D of an unreadable quadword',
      SS.ACCVIO,
      (s) => ['FAO', [s.memory.string('!%D'), good(s).len, good(s).out, NOACCESS]],
    ],
    [
      '$FAO invalid directive: SS$_BADPARAM',
      SS.BADPARAM,
      (s) => ['FAO', [s.memory.string('ok !QQ'), good(s).len, good(s).out]],
    ],
    [
      '$FAOL prmlst unreadable',
      SS.ACCVIO,
      (s) => ['FAOL', [s.memory.string('!UL'), good(s).len, good(s).out, NOACCESS]],
    ],
    [
      '$GETMSG msglen read-only',
      SS.ACCVIO,
      (s) => ['GETMSG', [SS.ACCVIO, READONLY, good(s).out, 15, 0]],
    ],
    [
      '$GETMSG msglen 0 (required)',
      SS.ACCVIO,
      (s) => ['GETMSG', [SS.ACCVIO, 0, good(s).out, 15, 0]],
    ],
    [
      '$GETMSG bufadr unreadable',
      SS.ACCVIO,
      (s) => ['GETMSG', [SS.ACCVIO, good(s).len, NOACCESS, 15, 0]],
    ],
    [
      '$GETMSG outadr read-only',
      SS.ACCVIO,
      (s) => ['GETMSG', [SS.ACCVIO, good(s).len, good(s).out, 15, READONLY]],
    ],
  ]
  for (const [name, status, setup] of cases) {
    it(name, () => {
      const s = system()
      const [service, args] = setup(s)
      const before = Buffer.from(s.memory.bytes)
      expect(s.call(service, ...args)).toBe(status)
      // The whole memory, byte for byte (Buffer.equals: a deep toEqual of 64 KiB is slow).
      expect(Buffer.from(s.memory.bytes).equals(before)).toBe(true)
    })
  }
})
