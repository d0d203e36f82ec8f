/**
 * The stream head: the queue pair at the top of every stream, between the user's system
 * calls and the first module or driver. It turns write/putmsg into messages sent
 * downstream, keeps what arrives upstream for read/getmsg, handles the control messages
 * addressed to it (M_FLUSH, M_ERROR, M_HANGUP, M_SETOPTS, M_IOCACK/M_IOCNAK), pushes and
 * pops modules, and runs ioctls. read/getmsg live in head-read.ts, write/putmsg in
 * head-write.ts.
 */
import { Errno, fail, StreamsError } from './errno'
import {
  allocb,
  ctlmsg,
  freemsg,
  M_DATA,
  M_ERROR,
  M_FLUSH,
  M_HANGUP,
  M_IOCACK,
  M_IOCNAK,
  M_IOCTL,
  M_PCPROTO,
  M_PROTO,
  M_SETOPTS,
  type Mblk,
  mkmsg,
  msgbytes,
  msgdsize,
} from './message'
import {
  allocqPair,
  backenable,
  FLUSHDATA,
  flushq,
  INFPSZ,
  type ModuleInfo,
  putnext,
  putq,
  QFULL,
  type Queue,
  type Streamtab,
} from './queue'
import type { Scheduler } from './scheduler'
import {
  decodeStroptions,
  FLUSHR,
  FLUSHRW,
  FLUSHW,
  IOCBLK_SIZE,
  Iocblk,
  iocblk,
  MODOPEN,
  RNORM,
  RPROTNORM,
  readOption,
  SO_HIWAT,
  SO_LOWAT,
  SO_MAXPSZ,
  SO_MINPSZ,
  SO_READOPT,
  SO_WROFF,
  TRANSPARENT,
} from './stropts'

/** Default stream head read queue water marks (strhigh, strlow). */
export const STRHIGH = 5120
export const STRLOW = 1024
/** Largest control part putmsg accepts (strctlsz). */
export const STRCTLSZ = 1024
/** Most modules on one stream (nstrpush). */
export const NSTRPUSH = 9
/** M_ERROR byte that leaves that side's error as it is. */
export const NOERROR = 0xff

const HEAD_INFO: ModuleInfo = {
  id: 0,
  name: 'strhead',
  minpsz: 0,
  maxpsz: INFPSZ,
  hiwat: STRHIGH,
  lowat: STRLOW,
}

/** The head's read side: messages arriving from below go to StreamHead.rput. */
const HEAD_TAB: Streamtab = {
  rdinit: { put: (q, mp) => (q.ptr as StreamHead).rput(mp), minfo: HEAD_INFO },
  wrinit: {
    put: (_q, mp) => freemsg(mp),
    // Back-enabled when the stream below drains: wakes writers stopped by flow control.
    srv: (q) => (q.ptr as StreamHead).wakeWriters(),
    minfo: HEAD_INFO,
  },
}

/** What the stream head needs from the framework around it. */
export interface HeadHost {
  readonly sched: Scheduler
  /** The streamtab of the pushable module `name` (fmodsw). */
  module(name: string): Streamtab | undefined
}

/** The acknowledgement of an I_STR or transparent ioctl: ioc_rval and the data returned. */
export interface StrioctlResult {
  readonly rval: number
  readonly data: Uint8Array
}

const _EMPTY = new Uint8Array(0)
const _isLen = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0

export class StreamHead {
  /** The head's read queue (the end of the read side) and write queue (the start of the write side). */
  readonly rq: Queue
  readonly wq: Queue
  /** The driver's read queue. */
  readonly driverRq: Queue
  /** The stream's device number (after any cloning). */
  dev: number
  /** Opens of this stream not yet closed. */
  opens = 0
  /** Modules pushed. */
  pushed = 0
  /** sd_rerror / sd_werror from M_ERROR (0: none). */
  rerror = 0
  werror = 0
  /** M_HANGUP arrived: reads end with 0 bytes after the data, writes get ENXIO. */
  hangup = false
  /** Read mode (RNORM, RMSGD, RMSGN) and control-message handling (RPROTNORM, RPROTDAT, RPROTDIS). */
  readMode = RNORM
  readProt = RPROTNORM
  /** so_wroff from M_SETOPTS: bytes left free at the front of each written block. */
  wroff = 0
  /** The last close has run. */
  closed = false
  private readonly host: HeadHost
  private iocSeq = 0
  private iocWaiting = 0
  private iocReply: Mblk | null = null
  private readonly readers: Array<() => boolean> = []
  private readonly writers: Array<() => boolean> = []

  constructor(host: HeadHost, driver: Streamtab, dev: number) {
    this.host = host
    this.dev = dev
    this.rq = allocqPair(HEAD_TAB, host.sched)
    this.wq = this.rq.other
    this.rq.ptr = this
    this.wq.ptr = this
    this.driverRq = allocqPair(driver, host.sched)
    const drw = this.driverRq.other
    this.wq.next = drw
    drw.prev = this.wq
    this.driverRq.next = this.rq
    this.rq.prev = this.driverRq
  }

  /** The write queue just below the head (the top module's, or the driver's). */
  get top(): Queue {
    return this.wq.next as Queue
  }

  /** Module names from the top down (what I_LOOK would see, then below). */
  modules(): string[] {
    const names: string[] = []
    for (let q = this.top, i = 0; i < this.pushed; q = q.next as Queue, i++)
      names.push(q.qinfo.minfo.name)
    return names
  }

  // ---- messages arriving at the head from below (strrput) ----

  /** The stream head's read put procedure. */
  rput(mp: Mblk): void {
    switch (mp.datap.type) {
      case M_DATA:
      case M_PROTO:
        if (this.rerror) freemsg(mp)
        else putq(this.rq, mp)
        break
      case M_PCPROTO:
        // Only one M_PCPROTO waits at the head; a second is discarded.
        if (this.rerror || this.rq.first?.datap.type === M_PCPROTO) freemsg(mp)
        else putq(this.rq, mp)
        break
      case M_FLUSH:
        this.flushArrived(mp)
        return
      case M_ERROR:
        this.errorArrived(mp)
        break
      case M_HANGUP:
        this.hangup = true
        freemsg(mp)
        this.wakeWriters()
        break
      case M_SETOPTS:
        this.setopts(mp)
        return
      case M_IOCACK:
      case M_IOCNAK:
        this.ackArrived(mp)
        return
      case M_IOCTL: {
        // An ioctl travelling upstream has nobody to answer it: refuse it back down.
        const ioc = iocblk(mp)
        if (!ioc) {
          freemsg(mp)
          return
        }
        mp.datap.type = M_IOCNAK
        ioc.error = Errno.EINVAL
        putnext(this.wq, mp)
        return
      }
      default:
        freemsg(mp) // M_SIG, M_CTL and the rest mean nothing to this head
        return
    }
    this.wakeReaders()
  }

  private flushArrived(mp: Mblk): void {
    const base = mp.datap.base
    const flag = base[mp.rptr] ?? 0
    if (flag & FLUSHR) flushq(this.rq, FLUSHDATA)
    if (flag & FLUSHW) {
      base[mp.rptr] = flag & ~FLUSHR
      putnext(this.wq, mp)
    } else freemsg(mp)
  }

  /** M_ERROR: one byte sets both sides, two bytes read then write; NOERROR leaves a side, 0 clears it. */
  private errorArrived(mp: Mblk): void {
    const n = mp.wptr - mp.rptr
    const b = mp.datap.base
    freemsg(mp)
    if (n < 1) return
    const r = b[mp.rptr] as number
    const w = n >= 2 ? (b[mp.rptr + 1] as number) : r
    let flush = 0
    if (r !== NOERROR) {
      this.rerror = r
      if (r) flush |= FLUSHR
    }
    if (w !== NOERROR) {
      this.werror = w
      if (w) flush |= FLUSHW
    }
    if (flush & FLUSHR) flushq(this.rq, FLUSHDATA)
    if (flush) putnext(this.wq, ctlmsg(M_FLUSH, flush))
    this.wakeWriters()
  }

  private setopts(mp: Mblk): void {
    const so = decodeStroptions(mp)
    freemsg(mp)
    if (!so) return
    const q = this.rq
    if (so.flags & SO_READOPT) {
      const opt = readOption(so.readopt)
      if (opt) {
        this.readMode = opt.mode
        this.readProt = opt.prot
      }
    }
    if (so.flags & SO_WROFF && so.wroff >= 0) this.wroff = so.wroff
    if (so.flags & SO_MINPSZ && so.minpsz >= 0) q.minpsz = so.minpsz
    if (so.flags & SO_MAXPSZ && (so.maxpsz >= 0 || so.maxpsz === INFPSZ)) q.maxpsz = so.maxpsz
    const hi = so.flags & SO_HIWAT && so.hiwat >= 0 ? so.hiwat : q.hiwat
    const lo = so.flags & SO_LOWAT && so.lowat >= 0 ? so.lowat : q.lowat
    if (lo <= hi) {
      q.hiwat = hi
      q.lowat = lo
      if (q.count >= hi) q.flag |= QFULL
      else if (q.flag & QFULL) {
        // The new marks may free a stopped writer: re-run the drain rule by hand.
        q.flag &= ~QFULL
        backenable(q)
      }
    }
  }

  private ackArrived(mp: Mblk): void {
    const ioc = iocblk(mp)
    if (this.iocWaiting && ioc && ioc.id === this.iocWaiting && this.iocReply === null)
      this.iocReply = mp
    else freemsg(mp) // late, unasked for or malformed: dropped
  }

  // ---- waiting ----

  /** Calls each waiting reader; keeps those that still cannot proceed. */
  wakeReaders(): void {
    wake(this.readers)
  }

  wakeWriters(): void {
    wake(this.writers)
  }

  /** Resolves when `attempt` stops throwing EAGAIN (rejects on any other error). */
  waitFor<T>(list: 'read' | 'write', attempt: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const tryIt = (): boolean => {
        try {
          resolve(attempt())
        } catch (e) {
          if (e instanceof StreamsError && e.code === Errno.EAGAIN && !this.closed) return false
          reject(e)
        }
        return true
      }
      if (!tryIt()) (list === 'read' ? this.readers : this.writers).push(tryIt)
    })
  }

  /** Refuses a write-side operation on a closed, errored or hung-up stream. */
  checkWritable(): void {
    if (this.closed) fail(Errno.EBADF, 'stream closed')
    if (this.werror) fail(this.werror, 'stream write error (M_ERROR)')
    if (this.hangup) fail(Errno.ENXIO, 'stream hung up')
  }

  // ---- ioctls handled at the head ----

  /** I_PUSH: opens module `name` just below the head; EINVAL if unknown or NSTRPUSH are pushed. */
  push(name: string, oflag: number): void {
    this.checkWritable()
    const tab = typeof name === 'string' ? this.host.module(name) : undefined
    if (!tab) fail(Errno.EINVAL, `I_PUSH: no module ${String(name)}`)
    if (this.pushed >= NSTRPUSH) fail(Errno.EINVAL, `I_PUSH: ${NSTRPUSH} modules already pushed`)
    const mrq = allocqPair(tab, this.host.sched)
    const mwq = mrq.other
    const below = this.top
    const belowR = this.rq.prev as Queue
    mwq.next = below
    below.prev = mwq
    this.wq.next = mwq
    mwq.prev = this.wq
    belowR.next = mrq
    mrq.prev = belowR
    mrq.next = this.rq
    this.rq.prev = mrq
    this.pushed++
    const err = tab.rdinit.open?.(mrq, { dev: this.dev }, oflag, MODOPEN) ?? 0
    if (err) {
      this.unlinkTop()
      fail(err, `I_PUSH ${name}: module open failed`)
    }
  }

  /** I_POP: closes and removes the module just below the head; EINVAL when none is pushed. */
  pop(oflag: number): void {
    if (this.closed) fail(Errno.EBADF, 'stream closed')
    if (this.pushed === 0) fail(Errno.EINVAL, 'I_POP: no module is pushed')
    const mrq = this.top.other
    mrq.qinfo.close?.(mrq, oflag)
    this.unlinkTop()
  }

  /** Removes the top module's queue pair and frees what it held. */
  private unlinkTop(): void {
    const mwq = this.top
    const mrq = mwq.other
    const below = mwq.next as Queue
    const belowR = mrq.prev as Queue
    this.wq.next = below
    below.prev = this.wq
    belowR.next = this.rq
    this.rq.prev = belowR
    this.pushed--
    this.discard(mwq)
    this.discard(mrq)
  }

  /** Frees a removed queue's messages and takes it off the run list. */
  discard(q: Queue): void {
    flushq(q, 1)
    this.host.sched.cancel(q)
    q.next = q.prev = null
  }

  /** I_LOOK: the name of the top module; EINVAL when none is pushed. */
  look(): string {
    if (this.pushed === 0) fail(Errno.EINVAL, 'I_LOOK: no module is pushed')
    return this.top.qinfo.minfo.name
  }

  /** I_FIND: whether module `name` is on the stream; EINVAL for a name no module has. */
  find(name: string): boolean {
    if (typeof name !== 'string' || !this.host.module(name))
      fail(Errno.EINVAL, `I_FIND: no module ${String(name)}`)
    return this.modules().includes(name)
  }

  /** I_FLUSH: flushes the head's read queue for FLUSHR and sends M_FLUSH downstream. */
  flush(how: number): void {
    this.checkWritable()
    if (how !== FLUSHR && how !== FLUSHW && how !== FLUSHRW)
      fail(Errno.EINVAL, `I_FLUSH: bad flag ${how}`)
    if (how & FLUSHR) flushq(this.rq, FLUSHDATA)
    putnext(this.wq, ctlmsg(M_FLUSH, how))
  }

  /** I_NREAD: messages on the head's read queue, and data bytes in the first. */
  nread(): { messages: number; bytes: number } {
    const first = this.rq.first
    return { messages: this.rq.size, bytes: first ? msgdsize(first) : 0 }
  }

  /** I_SRDOPT: sets the read mode; EINVAL for a bad value. */
  srdopt(arg: number): void {
    const opt = readOption(arg)
    if (!opt) fail(Errno.EINVAL, `I_SRDOPT: bad read option ${String(arg)}`)
    this.readMode = opt.mode
    this.readProt = opt.prot
  }

  /** I_GRDOPT */
  grdopt(): number {
    return this.readMode | this.readProt
  }

  /**
   * I_STR (and transparent ioctls, `count` = TRANSPARENT): sends M_IOCTL downstream and
   * runs the service procedures until M_IOCACK or M_IOCNAK with its id comes back. A NAK
   * fails with ioc_error, or EINVAL when that is 0; an ACK with ioc_error set fails with
   * it. No answer once nothing is left to run: ETIME.
   */
  strioctl(cmd: number, data: Uint8Array, count: number): StrioctlResult {
    this.checkWritable()
    const mp = allocb(IOCBLK_SIZE, M_IOCTL)
    mp.wptr = IOCBLK_SIZE
    const ioc = new Iocblk(mp)
    this.iocSeq = (this.iocSeq % 0x7fffffff) + 1
    ioc.cmd = cmd
    ioc.id = this.iocSeq
    ioc.count = count
    if (data.length > 0) mp.cont = mkmsg(M_DATA, data)
    this.iocWaiting = this.iocSeq
    this.iocReply = null
    try {
      putnext(this.wq, mp)
      while (this.iocReply === null && !this.closed && this.host.sched.runqueues() > 0) {}
    } finally {
      this.iocWaiting = 0
    }
    const reply = this.iocReply as Mblk | null
    this.iocReply = null
    if (reply === null) {
      if (this.werror) fail(this.werror, 'ioctl: stream write error (M_ERROR)')
      if (this.hangup) fail(Errno.ENXIO, 'ioctl: stream hung up')
      fail(Errno.ETIME, `ioctl 0x${cmd.toString(16)}: no acknowledgement`)
    }
    const ack = new Iocblk(reply)
    const out = { type: reply.datap.type, error: ack.error, rval: ack.rval, n: ack.count }
    const bytes = msgbytes(reply.cont)
    freemsg(reply)
    if (out.type === M_IOCNAK)
      fail(out.error || Errno.EINVAL, `ioctl 0x${cmd.toString(16)} refused`)
    if (out.error) fail(out.error, `ioctl 0x${cmd.toString(16)} failed`)
    return {
      rval: out.rval,
      data: out.n >= 0 && out.n < bytes.length ? bytes.subarray(0, out.n) : bytes,
    }
  }

  /** A transparent ioctl: an ioctl command the head does not know, with an integer argument. */
  transparent(cmd: number, arg: number): number {
    const a = new Uint8Array(4)
    new DataView(a.buffer).setInt32(0, arg)
    return this.strioctl(cmd, a, TRANSPARENT).rval
  }

  /** Frees a stream whose driver refused the first open (no close routine runs). */
  abandon(): void {
    this.closed = true
    for (const q of [this.driverRq, this.driverRq.other, this.rq, this.wq]) this.discard(q)
  }

  /** The last close: closes modules top down, then the driver, and frees every queue. */
  dismantle(oflag: number): void {
    while (this.pushed > 0) this.pop(oflag)
    this.driverRq.qinfo.close?.(this.driverRq, oflag)
    this.closed = true
    for (const q of [this.driverRq, this.driverRq.other, this.rq, this.wq]) this.discard(q)
    this.wakeReaders()
    this.wakeWriters()
  }
}

/** Calls every waiter; keeps those that answer false (still waiting). */
function wake(list: Array<() => boolean>): void {
  if (list.length === 0) return
  const waiting = list.splice(0)
  for (const w of waiting) if (!w()) list.push(w)
}
