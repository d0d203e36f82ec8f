/**
 * The loopback driver, a clone driver of the first method: each open of its clone device
 * (major 72, minor = this driver's major) gets the lowest free minor. LOOP_SET (an I_STR
 * with a 4-byte minor) cross-connects two open minors (or a minor with itself): what one
 * writes, the other reads, with flow control across the pair. Writing before LOOP_SET
 * gets M_ERROR(ENXIO). Closing one end hangs up the other (M_HANGUP).
 */
import { major, makedev, minor } from '../device'
import { Errno } from '../errno'
import { driverFlush } from '../flush'
import {
  ctlmsg,
  freemsg,
  M_DATA,
  M_ERROR,
  M_FLUSH,
  M_HANGUP,
  M_IOCTL,
  M_PCPROTO,
  M_PROTO,
  type Mblk,
  QPCTL,
} from '../message'
import {
  canputnext,
  FLUSHALL,
  flushq,
  getq,
  INFPSZ,
  putbq,
  putnext,
  putq,
  type Queue,
  qenable,
  RD,
  type Streamtab,
  WR,
} from '../queue'
import { CLONEOPEN } from '../stropts'
import { handleIoctl } from './echo'

/** I_STR command: connect this stream to the loop minor in the 4-byte big-endian argument. */
export const LOOP_SET = (0x6c << 8) | 1

interface Loop {
  readonly minor: number
  readonly rq: Queue
  peer: Loop | null
}

export interface LoopDriver {
  readonly streamtab: Streamtab
  /** Minors now open, ascending. */
  minorsInUse(): number[]
}

/**
 * A loopback driver with `minors` minor numbers (default 64). A clone open with every
 * minor in use fails with ENXIO.
 */
export function createLoopDriver(minors = 64): LoopDriver {
  const loops: Array<Loop | null> = new Array(minors).fill(null)
  const minfo = { id: 0x6c6f, name: 'loop', minpsz: 0, maxpsz: INFPSZ, hiwat: 4096, lowat: 1024 }

  const open = (q: Queue, devp: { dev: number }, _oflag: number, sflag: number): number => {
    if (q.ptr) return 0 // a further open of this stream
    let m = minor(devp.dev)
    if (sflag === CLONEOPEN) {
      m = loops.indexOf(null)
      if (m < 0) return Errno.ENXIO // every minor is in use
    } else if (m >= minors) return Errno.ENXIO
    else if (loops[m]) return Errno.EBUSY
    const loop: Loop = { minor: m, rq: q, peer: null }
    loops[m] = loop
    q.ptr = WR(q).ptr = loop
    devp.dev = makedev(major(devp.dev), m)
    return 0
  }

  const close = (q: Queue): number => {
    const loop = q.ptr as Loop
    const peer = loop.peer
    if (peer && peer !== loop) {
      peer.peer = null
      flushq(WR(peer.rq), FLUSHALL)
      putnext(peer.rq, ctlmsg(M_HANGUP))
    }
    loops[loop.minor] = null
    q.ptr = WR(q).ptr = undefined
    return 0
  }

  const connect = (q: Queue, data: Mblk | null): Uint8Array | number => {
    const loop = q.ptr as Loop
    if (!data || data.wptr - data.rptr !== 4) return Errno.EINVAL
    const b = data.datap.base
    const m = new DataView(b.buffer, b.byteOffset + data.rptr, 4).getInt32(0)
    const other = m >= 0 && m < minors ? loops[m] : null
    if (!other) return Errno.ENXIO
    if (loop.peer || other.peer) return Errno.EBUSY
    loop.peer = other
    other.peer = loop
    return new Uint8Array(0)
  }

  const wput = (q: Queue, mp: Mblk): void => {
    const loop = q.ptr as Loop
    switch (mp.datap.type) {
      case M_DATA:
      case M_PROTO:
      case M_PCPROTO: {
        const peer = loop.peer
        if (!peer) {
          freemsg(mp)
          putnext(RD(q), ctlmsg(M_ERROR, Errno.ENXIO))
        } else if (mp.datap.type >= QPCTL || (q.first === null && canputnext(peer.rq)))
          putnext(peer.rq, mp)
        else putq(q, mp)
        return
      }
      case M_FLUSH:
        driverFlush(q, mp)
        return
      case M_IOCTL:
        handleIoctl(q, mp, (qq, ioc, data) =>
          ioc.cmd === LOOP_SET ? connect(qq, data) : Errno.EINVAL,
        )
        return
      default:
        freemsg(mp)
        return
    }
  }

  const wsrv = (q: Queue): void => {
    const loop = q.ptr as Loop
    for (let mp = getq(q); mp; mp = getq(q)) {
      const peer = loop.peer
      if (!peer) freemsg(mp)
      else if (canputnext(peer.rq)) putnext(peer.rq, mp)
      else {
        putbq(q, mp)
        return
      }
    }
  }

  const streamtab: Streamtab = {
    rdinit: {
      put: (_q, mp) => freemsg(mp), // nothing is below a driver
      // Back-enabled when this stream's head drains: the peer's writer may go on.
      srv: (q) => {
        const peer = (q.ptr as Loop | undefined)?.peer
        if (peer) qenable(WR(peer.rq))
      },
      open,
      close,
      minfo,
    },
    wrinit: { put: wput, srv: wsrv, minfo },
  }
  return {
    streamtab,
    minorsInUse: () => loops.flatMap((l) => (l ? [l.minor] : [])),
  }
}
