/**
 * SVR4 stream head semantics: write(2), read(2), putmsg(2), getmsg(2) and streamio(7)
 * (I_PUSH, I_POP, I_LOOK, I_FIND, I_FLUSH, I_STR, I_NREAD, I_SRDOPT) as the SVR4 STREAMS
 * Programmer's Guide and the System V manual pages define them, and the stream head's
 * handling of M_FLUSH, M_ERROR, M_HANGUP, M_SETOPTS and M_IOCACK/M_IOCNAK.
 */
import { describe, expect, it } from 'vitest'
import { makedev } from './device'
import { Errno, StreamsError } from './errno'
import { handleIoctl, type IoctlHandler } from './examples/echo'
import { upperModule } from './examples/upper'
import { driverFlush } from './flush'
import {
  ctlmsg,
  M_DATA,
  M_ERROR,
  M_FLUSH,
  M_HANGUP,
  M_IOCNAK,
  M_IOCTL,
  M_PCPROTO,
  M_PROTO,
  M_SETOPTS,
  type Mblk,
  mkmsg,
  msgbytes,
} from './message'
import {
  canputnext,
  getq,
  INFPSZ,
  putnext,
  putq,
  QFULL,
  type Queue,
  QWANTW,
  qenable,
  type Streamtab,
} from './queue'
import { NOERROR, NSTRPUSH, STRCTLSZ } from './stream-head'
import type { StreamsOptions } from './streams'
import { Streams } from './streams'
import {
  encodeStroptions,
  FLUSHR,
  FLUSHRW,
  FLUSHW,
  I_LOOK,
  I_POP,
  I_STR,
  IOCBLK_SIZE,
  Iocblk,
  MORECTL,
  MOREDATA,
  O_NONBLOCK,
  O_RDONLY,
  O_WRONLY,
  RMSGD,
  RMSGN,
  RNORM,
  RPROTDAT,
  RPROTDIS,
  RS_HIPRI,
  SO_HIWAT,
  SO_LOWAT,
  SO_READOPT,
  TRANSPARENT,
} from './stropts'
import { bytes, expectErrno, install, installModule, text } from './test-kit'

/**
 * A probe driver: its write side queues data (hiwat 100, lowat 40) and its service
 * procedure moves it to `got` only while `drain` is set; M_FLUSH is handled as a driver
 * does, M_IOCTL by `ioctl` (refused without one). `up` sends a message upstream.
 */
function probe(options: StreamsOptions = {}, oflag?: number) {
  const s = new Streams(options)
  const h = {
    got: [] as Mblk[],
    flushes: [] as number[],
    drain: true,
    ioctl: undefined as IoctlHandler | undefined,
    rq: null as Queue | null,
    closes: 0,
  }
  const minfo = { id: 7, name: 'probe', minpsz: 0, maxpsz: INFPSZ, hiwat: 100, lowat: 40 }
  const tab: Streamtab = {
    rdinit: {
      put: (q, mp) => putnext(q, mp),
      open: (q) => {
        h.rq = q
        return 0
      },
      close: () => ++h.closes,
      minfo,
    },
    wrinit: {
      put: (q, mp) => {
        const t = mp.datap.type
        if (t === M_FLUSH) {
          h.flushes.push(mp.datap.base[mp.rptr] as number)
          driverFlush(q, mp)
        } else if (t === M_IOCTL) handleIoctl(q, mp, h.ioctl)
        else if (t === M_IOCNAK) h.got.push(mp)
        else putq(q, mp)
      },
      srv: (q) => {
        if (!h.drain) return
        for (let mp = getq(q); mp; mp = getq(q)) h.got.push(mp)
      },
      minfo,
    },
  }
  const major = install(s, 'probe', tab)
  installModule(s, upperModule)
  const f = s.openDev(makedev(major, 0), oflag)
  const up = (mp: Mblk) => {
    putnext(h.rq as Queue, mp)
    s.settle()
  }
  const wq = () => (h.rq as Queue).other
  return { s, f, h, up, wq }
}
const got = (h: { got: Mblk[] }) =>
  h.got.map((m) => ({ type: m.datap.type, text: text(msgbytes(m)) }))
const proto = (ctl: string, data?: string, type = M_PROTO) => {
  const mp = mkmsg(type, bytes(ctl))
  if (data !== undefined) mp.cont = mkmsg(M_DATA, bytes(data))
  return mp
}

describe('write and putmsg at the stream head', () => {
  it('write sends M_DATA downstream, split at the top queue maxpsz', () => {
    const { f, h, wq } = probe()
    wq().maxpsz = 4
    expect(f.write(bytes('0123456789'))).toBe(10)
    expect(got(h)).toEqual(['0123', '4567', '89'].map((t) => ({ type: M_DATA, text: t })))
  })

  it('a zero-length write sends a zero-length message', () => {
    const { f, h } = probe()
    expect(f.write(new Uint8Array(0))).toBe(0)
    expect(got(h)).toEqual([{ type: M_DATA, text: '' }])
  })

  it('write outside minpsz..maxpsz is ERANGE when minpsz is non-zero', () => {
    const { f, h, wq } = probe()
    wq().minpsz = 2
    wq().maxpsz = 4
    expectErrno(() => f.write(bytes('a')), 'ERANGE')
    expectErrno(() => f.write(bytes('abcde')), 'ERANGE')
    expect(f.write(bytes('abc'))).toBe(3)
    expect(h.got.length).toBe(1)
  })

  it('putmsg: control + data makes M_PROTO with an M_DATA continuation; RS_HIPRI makes M_PCPROTO', () => {
    const { f, h } = probe()
    f.putmsg(bytes('ctl'), bytes('data'))
    f.putmsg(bytes('pc'), null, RS_HIPRI)
    f.putmsg(null, bytes('only data'))
    f.putmsg(null, null) // nothing is sent
    const [a, b, c] = h.got as [Mblk, Mblk, Mblk]
    expect([a.datap.type, a.cont?.datap.type, text(a.bytes()), text(msgbytes(a.cont))]).toEqual([
      M_PROTO,
      M_DATA,
      'ctl',
      'data',
    ])
    expect([b.datap.type, c.datap.type, h.got.length]).toEqual([M_PCPROTO, M_DATA, 3])
  })

  it('putmsg refuses RS_HIPRI without control, unknown flags and parts that are not bytes (EINVAL), a control part over STRCTLSZ (ERANGE)', () => {
    const { f, h, s } = probe()
    const before = s.snapshot()
    expectErrno(() => f.putmsg(null, bytes('x'), RS_HIPRI), 'EINVAL')
    expectErrno(() => f.putmsg(bytes('x'), null, 4), 'EINVAL')
    expectErrno(() => f.putmsg('text' as unknown as Uint8Array, null), 'EINVAL')
    expectErrno(() => f.putmsg(new Uint8Array(STRCTLSZ + 1), null), 'ERANGE')
    expect(s.snapshot()).toEqual(before)
    expect(h.got).toEqual([])
  })
})

describe('flow control at the stream head', () => {
  it('a full driver write queue stops write and putmsg with EAGAIN; priority messages still pass', () => {
    const { f, h, wq } = probe({ scheduling: 'manual' })
    h.drain = false
    f.write(new Uint8Array(60))
    f.write(new Uint8Array(60)) // 120 >= hiwat 100: full
    const count = wq().count
    expectErrno(() => f.write(bytes('x')), 'EAGAIN')
    expectErrno(() => f.putmsg(bytes('c'), null), 'EAGAIN')
    expect(wq().count).toBe(count) // nothing sent; the full queue is marked QWANTW to wake the writer
    expect(wq().flag & QWANTW).toBe(QWANTW)
    f.putmsg(bytes('urgent'), null, RS_HIPRI)
    expect(wq().first?.datap.type).toBe(M_PCPROTO) // ahead of the queued data
  })

  it('writeWait waits for back-enabling when the driver drains below its low water mark', async () => {
    const { f, h, s, wq } = probe({ scheduling: 'manual' })
    h.drain = false
    f.write(new Uint8Array(100))
    let done = false
    const p = f.writeWait(bytes('later')).then((n) => {
      done = true
      return n
    })
    await Promise.resolve()
    expect(done).toBe(false)
    h.drain = true
    qenable(wq())
    s.runqueues() // the driver drains, back-enables the head, the head retries the write
    expect(await p).toBe(5)
    expect(text(msgbytes(h.got.at(-1) as Mblk))).toBe('later')
  })

  it('data waiting at the head read queue past its high water mark stops a writer below (canputnext)', () => {
    const { f, h, up } = probe()
    const rq = f.stream.rq
    rq.hiwat = 10
    rq.lowat = 5
    up(mkmsg(M_DATA, new Uint8Array(12)))
    // The probe's read side has no service procedure, so canputnext looks up to the head.
    expect(rq.flag & QFULL).toBe(QFULL)
    expect(canputnext(h.rq as Queue)).toBe(false)
    expect(f.read(12).length).toBe(12)
    expect(rq.flag & QFULL).toBe(0)
    expect(canputnext(h.rq as Queue)).toBe(true)
  })
})

describe('read and getmsg at the stream head', () => {
  it('RNORM reads bytes across message boundaries', () => {
    const { f, up } = probe()
    up(mkmsg(M_DATA, bytes('abc')))
    up(mkmsg(M_DATA, bytes('def')))
    expect(text(f.read(4))).toBe('abcd')
    expect(text(f.read(10))).toBe('ef')
    expectErrno(() => f.read(10), 'EAGAIN')
  })

  it('RMSGN returns one message and keeps its rest; RMSGD discards the rest', () => {
    const { f, up } = probe()
    f.srdopt(RMSGN)
    up(mkmsg(M_DATA, bytes('abc')))
    up(mkmsg(M_DATA, bytes('def')))
    expect(text(f.read(2))).toBe('ab')
    expect(text(f.read(10))).toBe('c')
    f.srdopt(RMSGD)
    expect(f.grdopt()).toBe(RMSGD)
    up(mkmsg(M_DATA, bytes('ghi')))
    expect(text(f.read(1))).toBe('d')
    expect(text(f.read(10))).toBe('ghi')
  })

  it('a zero-length message ends a byte-stream read and reads as 0 bytes', () => {
    const { f, up } = probe()
    up(mkmsg(M_DATA, bytes('ab')))
    up(mkmsg(M_DATA, []))
    up(mkmsg(M_DATA, bytes('cd')))
    expect(text(f.read(10))).toBe('ab')
    expect(f.read(10).length).toBe(0)
    expect(text(f.read(10))).toBe('cd')
  })

  it('read of a control message: EBADMSG (RPROTNORM) leaving it queued, as data (RPROTDAT), or dropped (RPROTDIS)', () => {
    const { f, up } = probe()
    up(proto('C', 'D'))
    expectErrno(() => f.read(10), 'EBADMSG')
    expect(f.nread().messages).toBe(1)
    f.srdopt(RNORM | RPROTDAT)
    expect(text(f.read(10))).toBe('CD')
    f.srdopt(RNORM | RPROTDIS)
    up(proto('C', 'D'))
    expect(text(f.read(10))).toBe('D')
    expectErrno(() => f.srdopt(RPROTDAT | RPROTDIS), 'EINVAL')
    expectErrno(() => f.srdopt(3), 'EINVAL')
  })

  it('getmsg splits control and data, flags RS_HIPRI for M_PCPROTO, which is taken first', () => {
    const { f, up } = probe()
    up(proto('ordinary', 'data'))
    up(proto('priority', undefined, M_PCPROTO))
    expect(f.getmsg()).toEqual({ ctl: bytes('priority'), data: null, flags: RS_HIPRI, more: 0 })
    expectErrno(() => f.getmsg({ flags: RS_HIPRI }), 'EAGAIN') // only an ordinary message is left
    expect(f.getmsg()).toEqual({ ctl: bytes('ordinary'), data: bytes('data'), flags: 0, more: 0 })
    up(mkmsg(M_DATA, bytes('plain')))
    expect(f.getmsg()).toEqual({ ctl: null, data: bytes('plain'), flags: 0, more: 0 })
  })

  it('getmsg with small buffers returns MORECTL/MOREDATA and keeps the rest for the next getmsg', () => {
    const { f, up } = probe()
    up(proto('CONTROL', 'datadata'))
    expect(f.getmsg({ ctlMax: 3, dataMax: 4 })).toEqual({
      ctl: bytes('CON'),
      data: bytes('data'),
      flags: 0,
      more: MORECTL | MOREDATA,
    })
    expect(f.getmsg()).toEqual({ ctl: bytes('TROL'), data: bytes('data'), flags: 0, more: 0 })
    expectErrno(() => f.getmsg({ ctlMax: -1 }), 'EINVAL')
  })

  it('keeps one M_PCPROTO at the head and discards a second', () => {
    const { f, up } = probe()
    up(proto('one', undefined, M_PCPROTO))
    up(proto('two', undefined, M_PCPROTO))
    expect(text(f.getmsg().ctl)).toBe('one')
    expectErrno(() => f.getmsg(), 'EAGAIN')
  })

  it('readWait resolves when data arrives (blocking mode); with O_NONBLOCK it fails with EAGAIN', async () => {
    const { f, up } = probe()
    const p = f.readWait(10)
    up(mkmsg(M_DATA, bytes('arrived')))
    expect(text(await p)).toBe('arrived')
    const nb = probe({}, O_NONBLOCK)
    await expect(nb.f.readWait(10)).rejects.toMatchObject({ errno: 'EAGAIN', code: Errno.EAGAIN })
  })

  it('I_NREAD counts messages and the bytes of the first', () => {
    const { f, up } = probe()
    up(mkmsg(M_DATA, bytes('abc')))
    up(mkmsg(M_DATA, bytes('de')))
    expect(f.nread()).toEqual({ messages: 2, bytes: 3 })
  })
})

describe('M_FLUSH and I_FLUSH', () => {
  it('I_FLUSH FLUSHRW empties the head read queue and sends M_FLUSH down; the driver flushes and turns it up', () => {
    const { f, h, up, wq } = probe()
    h.drain = false
    up(mkmsg(M_DATA, bytes('stale')))
    f.write(bytes('queued'))
    expect(wq().count).toBe(6)
    f.flush(FLUSHRW)
    expect(h.flushes).toEqual([FLUSHRW])
    expect(wq().count).toBe(0)
    expectErrno(() => f.read(10), 'EAGAIN')
  })

  it('an M_FLUSH from below with FLUSHR flushes the head; with FLUSHW the head sends it back down without FLUSHR', () => {
    const { f, h, up } = probe()
    up(mkmsg(M_DATA, bytes('stale')))
    up(ctlmsg(M_FLUSH, FLUSHR))
    expect(f.nread().messages).toBe(0)
    expect(h.flushes).toEqual([])
    up(ctlmsg(M_FLUSH, FLUSHRW))
    expect(h.flushes).toEqual([FLUSHW])
  })

  it('flush keeps control messages a FLUSHDATA would keep, and refuses a bad flag (EINVAL)', () => {
    const { f, s } = probe()
    const before = s.snapshot()
    for (const bad of [0, 4, -1, 1.5]) expectErrno(() => f.flush(bad), 'EINVAL')
    expectErrno(() => f.ioctl(0x5305, 'x'), 'EINVAL')
    expect(s.snapshot()).toEqual(before)
  })
})

describe('M_ERROR, M_HANGUP and M_SETOPTS arriving at the stream head', () => {
  it('M_ERROR with one byte fails reads and writes with that errno and flushes both sides', () => {
    const { f, h, up } = probe()
    up(mkmsg(M_DATA, bytes('lost')))
    up(ctlmsg(M_ERROR, Errno.EPROTO))
    expect(h.flushes).toEqual([FLUSHRW])
    expectErrno(() => f.read(10), 'EPROTO')
    expectErrno(() => f.write(bytes('x')), 'EPROTO')
    expectErrno(() => f.str(1), 'EPROTO')
  })

  it('M_ERROR with two bytes sets read and write errors apart; NOERROR leaves a side, 0 clears it', () => {
    const { f, up } = probe()
    up(mkmsg(M_ERROR, [NOERROR, Errno.EIO]))
    up(mkmsg(M_DATA, bytes('readable')))
    expect(text(f.read(20))).toBe('readable')
    expectErrno(() => f.write(bytes('x')), 'EIO')
    up(mkmsg(M_ERROR, [NOERROR, 0]))
    expect(f.write(bytes('x'))).toBe(1)
  })

  it('M_HANGUP: queued data is still read, then reads return 0 bytes; writes fail ENXIO', async () => {
    const { f, up } = probe()
    const waiting = probe()
    const p = waiting.f.readWait(10)
    up(mkmsg(M_DATA, bytes('last')))
    up(ctlmsg(M_HANGUP))
    expect(text(f.read(10))).toBe('last')
    expect(f.read(10).length).toBe(0)
    expect(f.getmsg()).toEqual({ ctl: null, data: null, flags: 0, more: 0 })
    expectErrno(() => f.write(bytes('x')), 'ENXIO')
    waiting.up(ctlmsg(M_HANGUP))
    expect((await p).length).toBe(0)
  })

  it('M_SETOPTS sets the read mode and the head read queue water marks; a short one is ignored', () => {
    const { f, up } = probe()
    up(
      mkmsg(
        M_SETOPTS,
        encodeStroptions({
          flags: SO_READOPT | SO_HIWAT | SO_LOWAT,
          readopt: RMSGN,
          hiwat: 50,
          lowat: 10,
        }),
      ),
    )
    expect([f.grdopt(), f.stream.rq.hiwat, f.stream.rq.lowat]).toEqual([RMSGN, 50, 10])
    up(mkmsg(M_SETOPTS, [0, 0, 0, 1]))
    expect([f.grdopt(), f.stream.rq.hiwat]).toEqual([RMSGN, 50])
  })
})

describe('ioctl acknowledgement (I_STR, transparent ioctls)', () => {
  it('I_STR returns ioc_rval and the data of M_IOCACK', () => {
    const { f, h } = probe()
    h.ioctl = (_q, ioc, data) => {
      ioc.rval = 42
      return bytes(`got ${text(msgbytes(data))} for ${ioc.cmd}`)
    }
    expect(f.str(9, bytes('arg'))).toEqual({ rval: 42, data: bytes('got arg for 9') })
    expect(f.ioctl(I_STR, { cmd: 9 })).toEqual({ rval: 42, data: bytes('got  for 9') })
  })

  it('M_IOCNAK gives ioc_error, or EINVAL when that is 0; an ACK with ioc_error fails with it', () => {
    const { f, h } = probe()
    h.ioctl = () => Errno.EPERM
    expectErrno(() => f.str(1), 'EPERM')
    h.ioctl = () => 0
    expectErrno(() => f.str(1), 'EINVAL')
    h.ioctl = (_q, ioc) => {
      ioc.error = Errno.EBUSY
      return new Uint8Array(0) // an M_IOCACK, but with ioc_error set
    }
    expectErrno(() => f.str(1), 'EBUSY')
  })

  it('an unknown ioctl reaching a driver that does not know it is refused: EINVAL, and the stream keeps working', () => {
    const { f, h } = probe()
    expectErrno(() => f.str(0x7777), 'EINVAL')
    expectErrno(() => f.ioctl(0x1234, 5), 'EINVAL')
    f.write(bytes('fine'))
    expect(text(msgbytes(h.got[0] as Mblk))).toBe('fine')
  })

  it('a transparent ioctl carries ioc_count TRANSPARENT and its integer argument', () => {
    const { f, h } = probe()
    const seen: number[] = []
    h.ioctl = (_q, ioc, data) => {
      seen.push(ioc.count, new DataView(msgbytes(data).buffer).getInt32(0))
      ioc.rval = 7
      return new Uint8Array(0)
    }
    expect(f.ioctl(0x4401, -3)).toBe(7)
    expect(seen).toEqual([TRANSPARENT, -3])
    expectErrno(() => f.ioctl(0x4401, 'x'), 'EINVAL')
    expectErrno(() => f.ioctl(0x4401, 2 ** 40), 'EINVAL')
  })

  it('no acknowledgement: ETIME; an acknowledgement arriving later is discarded', () => {
    const { f, h, up } = probe()
    let held: Mblk | null = null
    // a driver that keeps the M_IOCTL instead of answering
    const q = f.stream.top
    const realPut = q.put
    ;(q as { put: typeof realPut }).put = (_q, mp) => {
      held = mp
    }
    expectErrno(() => f.str(3), 'ETIME')
    ;(q as { put: typeof realPut }).put = realPut
    const late = held as unknown as Mblk
    late.datap.type = 0x81
    up(late)
    expect(f.nread().messages).toBe(0)
    h.ioctl = () => new Uint8Array(0)
    expect(f.str(4).rval).toBe(0)
  })

  it('an M_IOCTL arriving upstream is answered by the head with M_IOCNAK (EINVAL)', () => {
    const { h, up } = probe()
    const mp = mkmsg(M_IOCTL, new Uint8Array(IOCBLK_SIZE))
    new Iocblk(mp).cmd = 5
    up(mp)
    const nak = h.got[0] as Mblk
    expect(nak.datap.type).toBe(M_IOCNAK)
    expect(new Iocblk(nak).error).toBe(Errno.EINVAL)
  })
})

describe('I_PUSH, I_POP, I_LOOK, I_FIND', () => {
  it('pushes modules below the head, looks at the top one, pops them in reverse', () => {
    const { f, h } = probe()
    f.push('upper')
    f.push('upper')
    expect(f.look()).toBe('upper')
    expect(f.find('upper')).toBe(true)
    expect(f.stream.modules()).toEqual(['upper', 'upper'])
    f.write(bytes('shout'))
    expect(text(msgbytes(h.got[0] as Mblk))).toBe('SHOUT')
    f.pop()
    f.pop()
    expect(f.find('upper')).toBe(false)
    f.write(bytes('quiet'))
    expect(text(msgbytes(h.got[1] as Mblk))).toBe('quiet')
  })

  it('I_POP and I_LOOK with no module: EINVAL, and nothing changes', () => {
    const { f, s } = probe()
    const before = s.snapshot()
    expectErrno(() => f.pop(), 'EINVAL')
    expectErrno(() => f.look(), 'EINVAL')
    expectErrno(() => f.ioctl(I_POP), 'EINVAL')
    expectErrno(() => f.ioctl(I_LOOK), 'EINVAL')
    expect(s.snapshot()).toEqual(before)
    f.push('upper')
    expect(f.look()).toBe('upper')
  })

  it('I_PUSH of an unknown module or past NSTRPUSH: EINVAL; I_FIND of an unknown name: EINVAL', () => {
    const { f, s } = probe()
    expectErrno(() => f.push('nosuch'), 'EINVAL')
    expectErrno(() => f.find('nosuch'), 'EINVAL')
    for (let i = 0; i < NSTRPUSH; i++) f.push('upper')
    const before = s.snapshot()
    expectErrno(() => f.push('upper'), 'EINVAL')
    expect(s.snapshot()).toEqual(before)
  })

  it('a module whose open fails is not left on the stream', () => {
    const { f, s } = probe()
    const minfo = { id: 9, name: 'refuse', minpsz: 0, maxpsz: INFPSZ, hiwat: 1, lowat: 0 }
    installModule(s, {
      rdinit: { put: putnext, open: () => Errno.EACCES, minfo },
      wrinit: { put: putnext, minfo },
    })
    const before = s.snapshot()
    expectErrno(() => f.push('refuse'), 'EACCES')
    expect(s.snapshot()).toEqual(before)
  })
})

describe('open and close', () => {
  it('a second open joins the stream; only the last close calls the driver close routine', () => {
    const { s, f, h } = probe()
    const again = s.openDev(f.dev)
    expect(again.stream).toBe(f.stream)
    f.close()
    expect(h.closes).toBe(0)
    again.write(bytes('x'))
    again.close()
    expect(h.closes).toBe(1)
    expect(s.openDevices()).toEqual([])
    expectErrno(() => again.write(bytes('x')), 'EBADF')
    expectErrno(() => again.close(), 'EBADF')
  })

  it('access modes: read on O_WRONLY and write on O_RDONLY are EBADF; bad flags are EINVAL', () => {
    const { s, f } = probe()
    const w = s.openDev(f.dev, O_WRONLY)
    const r = s.openDev(f.dev, O_RDONLY)
    expectErrno(() => w.read(1), 'EBADF')
    expectErrno(() => r.write(bytes('x')), 'EBADF')
    expectErrno(() => s.openDev(f.dev, 3), 'EINVAL')
    expectErrno(() => s.openDev(f.dev, 0x800000), 'EINVAL')
  })

  it('refused errors are StreamsError objects with the errno name and HP-UX number', () => {
    const { f } = probe()
    const e = expectErrno(() => f.pop(), 'EINVAL')
    expect(e).toBeInstanceOf(StreamsError)
    expect(e.code).toBe(22)
    expect(e.message).toMatch(/^EINVAL: /)
  })
})
