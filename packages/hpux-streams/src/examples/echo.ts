/**
 * The echo driver: every M_DATA, M_PROTO and M_PCPROTO written is sent back up the same
 * stream, with flow control (a write service procedure waits while the read side is
 * full). Unknown ioctls are refused with M_IOCNAK (EINVAL at the stream head).
 */
import { major, makedev, minor } from '../device'
import { Errno } from '../errno'
import { driverFlush } from '../flush'
import {
  freemsg,
  M_DATA,
  M_FLUSH,
  M_IOCACK,
  M_IOCNAK,
  M_IOCTL,
  M_PCPROTO,
  M_PROTO,
  type Mblk,
  mkmsg,
  QPCTL,
} from '../message'
import {
  canputnext,
  getq,
  INFPSZ,
  type OpenProc,
  putbq,
  putq,
  type Queue,
  qenable,
  qreply,
  RD,
  type Streamtab,
  WR,
} from '../queue'
import { type Iocblk, iocblk } from '../stropts'

/** An ioctl handler: fills in the iocblk and returns the data to send back, or an errno to refuse. */
export type IoctlHandler = (q: Queue, ioc: Iocblk, data: Mblk | null) => Uint8Array | number

/** Acknowledges (M_IOCACK with `result` as its data) or refuses (M_IOCNAK with ioc_error) an M_IOCTL in place. */
export function replyIoctl(q: Queue, mp: Mblk, ioc: Iocblk, result: Uint8Array | number): void {
  freemsg(mp.cont)
  mp.cont = null
  if (typeof result === 'number') {
    mp.datap.type = M_IOCNAK
    ioc.error = result
    ioc.count = 0
  } else {
    mp.datap.type = M_IOCACK // ioc_error stays as the handler left it (0 unless it set one)
    ioc.count = result.length
    if (result.length > 0) mp.cont = mkmsg(M_DATA, result)
  }
  qreply(q, mp)
}

/** Answers an M_IOCTL with `handler`, or refuses it (EINVAL) when there is none or the block is malformed. */
export function handleIoctl(q: Queue, mp: Mblk, handler?: IoctlHandler): void {
  const ioc = iocblk(mp)
  if (!ioc) {
    freemsg(mp)
    return
  }
  replyIoctl(q, mp, ioc, handler ? handler(q, ioc, mp.cont) : Errno.EINVAL)
}

/** Sends a data message back up, or queues it while the read side is flow controlled. */
function echoPut(q: Queue, mp: Mblk): void {
  if (mp.datap.type >= QPCTL || (q.first === null && canputnext(RD(q)))) qreply(q, mp)
  else putq(q, mp)
}

/** Write service: sends queued messages up while the read side accepts them. */
function echoSrv(q: Queue): void {
  for (let mp = getq(q); mp; mp = getq(q)) {
    if (!canputnext(RD(q))) {
      putbq(q, mp)
      return
    }
    qreply(q, mp)
  }
}

export interface EchoOptions {
  /** Driver name (mi_idname). */
  readonly name?: string
  /** Open routine; the default accepts any minor below `minors`. */
  readonly open?: OpenProc
  readonly close?: (q: Queue) => number
  /** Handler for M_IOCTL; without one every ioctl is refused. */
  readonly ioctl?: IoctlHandler
  /** Minor numbers accepted by the default open routine. */
  readonly minors?: number
  readonly hiwat?: number
  readonly lowat?: number
}

/**
 * A streamtab whose write side echoes data upstream, handles M_FLUSH as a driver, and
 * answers M_IOCTL through `ioctl`. Used by the echo and unit drivers.
 */
export function echoStreamtab(options: EchoOptions = {}): Streamtab {
  const { name = 'echo', minors = 256, hiwat = 4096, lowat = 1024 } = options
  const minfo = { id: 0x6563, name, minpsz: 0, maxpsz: INFPSZ, hiwat, lowat }
  const defaultOpen: OpenProc = (q, devp) => {
    if (minor(devp.dev) >= minors) return Errno.ENXIO
    q.ptr = WR(q).ptr = { dev: makedev(major(devp.dev), minor(devp.dev)) }
    return 0
  }
  const wput = (q: Queue, mp: Mblk): void => {
    switch (mp.datap.type) {
      case M_DATA:
      case M_PROTO:
      case M_PCPROTO:
        echoPut(q, mp)
        return
      case M_FLUSH:
        driverFlush(q, mp)
        return
      case M_IOCTL:
        handleIoctl(q, mp, options.ioctl)
        return
      default:
        freemsg(mp) // a driver frees what it does not understand
        return
    }
  }
  return {
    rdinit: {
      put: (_q, mp) => freemsg(mp), // nothing is below a driver
      srv: (q) => qenable(WR(q)), // back-enabled when the head drains: resume echoing
      open: options.open ?? defaultOpen,
      close: (q) => options.close?.(q) ?? 0,
      minfo,
    },
    wrinit: { put: wput, srv: echoSrv, minfo },
  }
}

/** The echo driver's streamtab: any minor below 256, a stream per minor. */
export const echoDriver: Streamtab = echoStreamtab()
