/**
 * The read side of the stream head: read(2) in its read modes, and getmsg(2).
 */
import { Errno, fail } from './errno'
import { freeb, freemsg, M_DATA, type Mblk, msgbytes, msgdsize, msgsize, QPCTL } from './message'
import { getq, putbq } from './queue'
import type { StreamHead } from './stream-head'
import { MORECTL, MOREDATA, RMSGD, RNORM, RPROTDAT, RPROTNORM, RS_HIPRI } from './stropts'

/** getmsg's answer: the control and data parts (null: none), RS_HIPRI, and MORECTL/MOREDATA. */
export interface GetmsgResult {
  readonly ctl: Uint8Array | null
  readonly data: Uint8Array | null
  readonly flags: number
  readonly more: number
}

/** Limits for getmsg: the control and data buffer sizes (maxlen), and RS_HIPRI. */
export interface GetmsgOptions {
  readonly ctlMax?: number
  readonly dataMax?: number
  readonly flags?: number
}

const EMPTY = new Uint8Array(0)
const isLen = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0

/** The front message of the read queue after applying RPROTDIS/RPROTDAT; throws on RPROTNORM. */
function frontForRead(h: StreamHead): Mblk | null {
  for (;;) {
    const mp = h.rq.first
    if (!mp || mp.datap.type === M_DATA) return mp
    if (h.readProt === RPROTNORM) fail(Errno.EBADMSG, 'read: a control message is first')
    if (h.readProt === RPROTDAT) {
      for (let bp: Mblk | null = mp; bp; bp = bp.cont) bp.datap.type = M_DATA
      return mp
    }
    // RPROTDIS: drop the control blocks, keep any data behind them as an M_DATA message.
    getq(h.rq)
    let data = mp.cont
    while (data && data.datap.type !== M_DATA) data = data.cont
    mp.cont = null
    freemsg(mp)
    if (data) putbq(h.rq, data)
  }
}

function readChecks(h: StreamHead, n: unknown): asserts n is number {
  if (h.closed) fail(Errno.EBADF, 'stream closed')
  if (!isLen(n)) fail(Errno.EINVAL, `read: bad count ${String(n)}`)
  if (h.rerror) fail(h.rerror, 'read: stream read error (M_ERROR)')
}

/**
 * read: up to `n` bytes. RNORM gathers bytes across messages (stopping at a zero-length
 * or control message); RMSGD returns one message and drops what did not fit; RMSGN
 * leaves the rest for the next read. No data: 0 bytes after a hangup, else EAGAIN.
 */
export function strread(h: StreamHead, n: number): Uint8Array {
  readChecks(h, n)
  let mp = frontForRead(h)
  if (!mp) return h.hangup ? EMPTY : fail(Errno.EAGAIN, 'read: no data')
  if (n === 0) return EMPTY
  // The common case: one single-block message that the read takes whole. Its buffer is
  // handed over as it is (nothing else refers to it) instead of being copied.
  if (mp.cont === null && mp.datap.ref === 1) {
    const len = mp.wptr - mp.rptr
    if (len > 0 && len <= n && (h.readMode !== RNORM || len === n || !moreData(mp))) {
      getq(h.rq)
      const base = mp.datap.base
      freeb(mp)
      return mp.rptr === 0 && mp.wptr === base.length ? base : base.slice(mp.rptr, mp.wptr)
    }
  }
  let avail = 0
  for (let m: Mblk | null = mp; m && avail < n; m = m.next) avail += msgsize(m)
  const out = new Uint8Array(Math.min(n, avail))
  let got = 0
  while (mp && got < n) {
    if (got > 0 && msgdsize(mp) === 0) break
    getq(h.rq)
    let bp: Mblk | null = mp
    while (bp && got < n) {
      const take = Math.min(n - got, bp.wptr - bp.rptr)
      out.set(bp.datap.base.subarray(bp.rptr, bp.rptr + take), got)
      got += take
      bp.rptr += take
      if (bp.rptr < bp.wptr) break
      const next: Mblk | null = bp.cont
      bp.cont = null
      freemsg(bp)
      bp = next
    }
    if (bp && h.readMode !== RMSGD) putbq(h.rq, bp)
    else freemsg(bp)
    if (h.readMode !== RNORM || got === 0) break
    mp = h.rq.first
    if (mp && mp.datap.type !== M_DATA) break
  }
  return got === out.length ? out : out.subarray(0, got)
}

/**
 * getmsg: the next message, split into its control part (M_PROTO/M_PCPROTO blocks) and
 * data part. With RS_HIPRI only a high-priority message is taken. A part longer than its
 * maxlen is cut, MORECTL/MOREDATA set, and the rest stays for the next getmsg.
 */
export function strgetmsg(h: StreamHead, opts: GetmsgOptions = {}): GetmsgResult {
  if (h.closed) fail(Errno.EBADF, 'stream closed')
  if (typeof opts !== 'object' || opts === null) fail(Errno.EINVAL, 'getmsg: bad arguments')
  const { ctlMax = Number.MAX_SAFE_INTEGER, dataMax = Number.MAX_SAFE_INTEGER, flags = 0 } = opts
  if (!isLen(ctlMax) || !isLen(dataMax) || (flags !== 0 && flags !== RS_HIPRI))
    fail(Errno.EINVAL, 'getmsg: bad maxlen or flags')
  if (h.rerror) fail(h.rerror, 'getmsg: stream read error (M_ERROR)')
  const mp = h.rq.first
  if (!mp || (flags === RS_HIPRI && mp.datap.type < QPCTL)) {
    if (h.hangup) return { ctl: null, data: null, flags: 0, more: 0 }
    fail(Errno.EAGAIN, 'getmsg: no message')
  }
  getq(h.rq)
  const hipri = mp.datap.type >= QPCTL ? RS_HIPRI : 0
  let data: Mblk | null = mp
  let ctlBlocks: Mblk | null = null
  if (mp.datap.type !== M_DATA) {
    ctlBlocks = mp
    let last = mp
    while (last.cont && last.cont.datap.type !== M_DATA) last = last.cont
    data = last.cont
    last.cont = null
  }
  const ctlPart = ctlBlocks ? take(ctlBlocks, ctlMax) : null
  const dataPart = data ? take(data, dataMax) : null
  let more = 0
  let rest: Mblk | null = null
  if (ctlPart?.rest) {
    more |= MORECTL
    rest = ctlPart.rest
    linkTail(rest, dataPart?.rest ?? null)
  } else if (dataPart?.rest) rest = dataPart.rest
  if (dataPart?.rest) more |= MOREDATA
  if (rest) putbq(h.rq, rest)
  return { ctl: ctlPart?.bytes ?? null, data: dataPart?.bytes ?? null, flags: hipri, more }
}

/** Whether a byte-stream read would go on from `mp` into the next message. */
function moreData(mp: Mblk): boolean {
  const next = mp.next
  return next !== null && next.datap.type === M_DATA && msgsize(next) > 0
}

function linkTail(mp: Mblk, tail: Mblk | null): void {
  let last = mp
  while (last.cont) last = last.cont
  last.cont = tail
}

/** Copies up to `max` bytes out of a chain; what is left (if anything) is returned as `rest`. */
function take(mp: Mblk, max: number): { bytes: Uint8Array; rest: Mblk | null } {
  const all = msgbytes(mp)
  if (all.length <= max) {
    freemsg(mp)
    return { bytes: all, rest: null }
  }
  let skip = max
  let bp: Mblk | null = mp
  while (bp && skip >= bp.wptr - bp.rptr) {
    skip -= bp.wptr - bp.rptr
    const next: Mblk | null = bp.cont
    bp.cont = null
    freemsg(bp)
    bp = next
  }
  if (bp) bp.rptr += skip
  return { bytes: all.subarray(0, max), rest: bp }
}
