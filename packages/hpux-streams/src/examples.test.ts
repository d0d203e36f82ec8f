import { describe, expect, it } from 'vitest'
import { minor } from './device'
import { Errno } from './errno'
import { echoStreamtab } from './examples/echo'
import { LOOP_SET } from './examples/loop'
import { M_CTL, M_HANGUP, M_IOCACK, M_SETOPTS, mkmsg } from './message'
import { putnext } from './queue'
import type { StreamFile } from './stream-file'
import { Streams } from './streams'
import { bytes, expectErrno, install, system, text } from './test-kit'

function connect(a: StreamFile, b: StreamFile): void {
  const arg = new Uint8Array(4)
  new DataView(arg.buffer).setInt32(0, minor(b.dev))
  a.str(LOOP_SET, arg)
}

describe('the loopback driver', () => {
  it('a stream connected to itself reads back what it writes, through the pushed modules both ways', () => {
    const { s } = system()
    const f = s.open('/dev/loop')
    connect(f, f)
    f.push('upper')
    f.write(bytes('loop me'))
    expect(text(f.read(20))).toBe('LOOP ME')
  })

  it('writing before LOOP_SET is answered with M_ERROR(ENXIO)', () => {
    const { s } = system()
    const f = s.open('/dev/loop')
    f.write(bytes('nowhere'))
    expectErrno(() => f.read(10), 'ENXIO')
    expectErrno(() => f.write(bytes('x')), 'ENXIO')
  })

  it('LOOP_SET refuses a malformed argument (EINVAL), an unopened minor (ENXIO) and a second connection (EBUSY)', () => {
    const { s } = system()
    const a = s.open('/dev/loop')
    const b = s.open('/dev/loop')
    expectErrno(() => a.str(LOOP_SET, bytes('xy')), 'EINVAL')
    const far = new Uint8Array([0, 0, 0, 3])
    expectErrno(() => a.str(LOOP_SET, far), 'ENXIO')
    connect(a, b)
    expectErrno(() => a.str(LOOP_SET, new Uint8Array([0, 0, 0, 0])), 'EBUSY')
    a.write(bytes('ok'))
    expect(text(b.read(5))).toBe('ok')
  })

  it('flow control crosses the pair: the writer gets EAGAIN while the reader is full, and resumes after it reads', () => {
    const { s } = system({ scheduling: 'manual' })
    const a = s.open('/dev/loop')
    const b = s.open('/dev/loop')
    connect(a, b)
    const chunk = new Uint8Array(1000)
    let sent = 0
    for (;;) {
      try {
        sent += a.write(chunk)
      } catch (e) {
        expect((e as { code: number }).code).toBe(Errno.EAGAIN)
        break
      }
      s.runqueues()
    }
    // b's head holds 5120 (STRHIGH) and a's loop write queue 4096 before a is stopped
    expect(sent).toBeGreaterThanOrEqual(5120 + 4096)
    let read = 0
    for (let n = b.read(100000).length; n > 0; n = safeRead(b)) {
      read += n
      s.runqueues() // back-enable: a's loop write queue sends what it held
    }
    expect(read).toBe(sent)
    expect(a.write(chunk)).toBe(1000)
  })

  it('closing one end hangs up the other: it reads end of file and cannot write', () => {
    const { s } = system()
    const a = s.open('/dev/loop')
    const b = s.open('/dev/loop')
    connect(a, b)
    a.write(bytes('bye'))
    a.close()
    expect(text(b.read(10))).toBe('bye')
    expect(b.read(10).length).toBe(0)
    expectErrno(() => b.write(bytes('x')), 'ENXIO')
  })
})

function safeRead(f: StreamFile): number {
  try {
    return f.read(100000).length
  } catch {
    return 0
  }
}

describe('the echo driver and the upper module', () => {
  it('echoes data and control messages; refuses unknown ioctls with EINVAL', () => {
    const { s } = system()
    const f = s.open('/dev/echo0')
    f.putmsg(bytes('ctl'), bytes('data'))
    expect(f.getmsg()).toEqual({ ctl: bytes('ctl'), data: bytes('data'), flags: 0, more: 0 })
    expectErrno(() => f.str(99), 'EINVAL')
    f.write(bytes('after'))
    expect(text(f.read(10))).toBe('after')
  })

  it('echo read side full: the driver holds data on its write queue and resumes when the head drains', () => {
    const s = new Streams()
    const m = install(s, 'echo', echoStreamtab({ hiwat: 64, lowat: 16 }))
    const f = s.openDev(m << 24)
    f.stream.rq.hiwat = 10
    f.stream.rq.lowat = 5
    f.write(new Uint8Array(10)) // the head is now full
    f.write(new Uint8Array(7)) // held by the driver
    expect(f.stream.driverRq.other.count).toBe(7)
    expect(f.read(100).length).toBe(10)
    expect(f.read(100).length).toBe(7) // back-enabled, echoed in the same call
  })

  it('manual scheduling: data held by flow control moves only when runqueues() is called', () => {
    const s = new Streams({ scheduling: 'manual' })
    const m = install(s, 'echo', echoStreamtab({ hiwat: 64, lowat: 16 }))
    const f = s.openDev(m << 24)
    f.stream.rq.hiwat = 10
    f.stream.rq.lowat = 5
    f.write(new Uint8Array(10))
    f.write(new Uint8Array(7))
    expect(f.read(100).length).toBe(10) // the echo write queue is back-enabled, not yet run
    expectErrno(() => f.read(100), 'EAGAIN')
    expect(s.runqueues()).toBeGreaterThan(0)
    expect(f.read(100).length).toBe(7)
  })

  it('messages of a type a driver does not take (M_IOCACK, M_HANGUP, M_CTL going down) are freed; the stream keeps working', () => {
    const { s } = system()
    const f = s.open('/dev/echo0')
    const before = JSON.stringify(s.snapshot())
    for (const type of [M_IOCACK, M_HANGUP, M_CTL, M_SETOPTS])
      putnext(f.stream.wq, mkmsg(type, [1, 2, 3]))
    expect(JSON.stringify(s.snapshot())).toBe(before)
    f.write(bytes('fine'))
    expect(text(f.read(10))).toBe('fine')
  })

  it('upper upper-cases written data only; reads pass through unchanged', () => {
    const { s } = system()
    const a = s.open('/dev/loop')
    const b = s.open('/dev/loop')
    connect(a, b)
    a.push('upper')
    b.push('upper')
    a.write(bytes('mixed Case 123'))
    expect(text(b.read(20))).toBe('MIXED CASE 123')
  })
})
