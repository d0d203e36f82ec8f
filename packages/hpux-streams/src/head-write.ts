/**
 * The write side of the stream head: write(2) and putmsg(2).
 */
import { Errno, fail } from './errno'
import { allocb, M_PCPROTO, M_PROTO, type Mblk, mkmsg } from './message'
import { canputnext, INFPSZ, putnext } from './queue'
import { STRCTLSZ, type StreamHead } from './stream-head'
import { RS_HIPRI } from './stropts'

/** The size range the top queue accepts for one write: ERANGE outside it when minpsz > 0. */
function checkSize(h: StreamHead, n: number): void {
  const { minpsz, maxpsz } = h.top
  if (n < minpsz || (minpsz > 0 && maxpsz !== INFPSZ && n > maxpsz))
    fail(Errno.ERANGE, `${n} bytes outside the stream's packet sizes ${minpsz}..${maxpsz}`)
}

/** An M_DATA block holding a copy of data[from..to), after so_wroff free bytes. */
function dataBlock(h: StreamHead, data: Uint8Array, from: number, to: number): Mblk {
  const mp = allocb(h.wroff + to - from)
  mp.rptr = mp.wptr = h.wroff
  mp.datap.base.set(from === 0 && to === data.length ? data : data.subarray(from, to), h.wroff)
  mp.wptr += to - from
  return mp
}

/**
 * write: sends `data` as M_DATA messages of at most the top queue's maxpsz. Stopped by
 * flow control before anything is sent: EAGAIN; after part is sent: the bytes sent.
 * A zero-length write sends a zero-length message.
 */
export function strwrite(h: StreamHead, data: Uint8Array): number {
  h.checkWritable()
  if (!(data instanceof Uint8Array)) fail(Errno.EINVAL, 'write: data is not bytes')
  checkSize(h, data.length)
  const max = h.top.maxpsz === INFPSZ || h.top.maxpsz === 0 ? data.length : h.top.maxpsz
  let sent = 0
  do {
    if (!canputnext(h.wq)) {
      if (sent === 0) fail(Errno.EAGAIN, 'write: flow controlled')
      break
    }
    const end = Math.min(data.length, sent + Math.max(max, 1))
    putnext(h.wq, dataBlock(h, data, sent, end))
    sent = end
  } while (sent < data.length && !h.closed)
  return sent
}

/**
 * putmsg: a control part makes an M_PROTO (M_PCPROTO with RS_HIPRI) message with the
 * data as its M_DATA continuation; data alone makes an M_DATA message. High-priority
 * messages bypass flow control. EINVAL for RS_HIPRI without control or unknown flags,
 * ERANGE for a part too large.
 */
export function strputmsg(
  h: StreamHead,
  ctl: Uint8Array | null,
  data: Uint8Array | null,
  flags = 0,
): void {
  h.checkWritable()
  if (flags !== 0 && flags !== RS_HIPRI) fail(Errno.EINVAL, `putmsg: bad flags ${flags}`)
  if (
    (ctl !== null && !(ctl instanceof Uint8Array)) ||
    (data !== null && !(data instanceof Uint8Array))
  )
    fail(Errno.EINVAL, 'putmsg: parts must be bytes or null')
  if (flags === RS_HIPRI && ctl === null)
    fail(Errno.EINVAL, 'putmsg: RS_HIPRI needs a control part')
  if (ctl && ctl.length > STRCTLSZ) fail(Errno.ERANGE, `putmsg: control part over ${STRCTLSZ}`)
  if (data) {
    const { minpsz, maxpsz } = h.top
    if (data.length < minpsz || (maxpsz !== INFPSZ && data.length > maxpsz))
      fail(Errno.ERANGE, `putmsg: data part outside ${minpsz}..${maxpsz}`)
  }
  if (ctl === null && data === null) return
  if (flags !== RS_HIPRI && !canputnext(h.wq)) fail(Errno.EAGAIN, 'putmsg: flow controlled')
  const dmp = data ? dataBlock(h, data, 0, data.length) : null
  let mp: Mblk
  if (ctl) {
    mp = mkmsg(flags === RS_HIPRI ? M_PCPROTO : M_PROTO, ctl)
    mp.cont = dmp
  } else mp = dmp as Mblk
  putnext(h.wq, mp)
}
