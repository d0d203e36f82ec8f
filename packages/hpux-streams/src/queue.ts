/**
 * Queues (SVR4 `queue_t`) and the DDI routines that move messages between them: putq,
 * getq, putbq, flushq, canput, putnext, qreply, qenable, and back-enabling. A module or
 * driver has a queue pair: the read queue carries messages upstream (towards the stream
 * head), the write queue downstream.
 */
import { datamsg, type Mblk, msgsize, QPCTL } from './message'
import type { Scheduler } from './scheduler'

/** A put procedure: takes a message, handles it or queues it, now. */
export type PutProc = (q: Queue, mp: Mblk) => void
/** A service procedure: run by the scheduler after the queue was enabled. */
export type SrvProc = (q: Queue) => void
/** An open routine: returns 0 or an errno; may set `devp.dev` (a clone open must). */
export type OpenProc = (q: Queue, devp: DevRef, oflag: number, sflag: number) => number
/** A close routine, called on the last close (drivers) or on I_POP/close (modules). */
export type CloseProc = (q: Queue, oflag: number) => number

/** The device number an open routine reads and, when cloning, replaces (`dev_t *devp`). */
export interface DevRef {
  dev: number
}

/** module_info: identification and the default limits and water marks of a queue. */
export interface ModuleInfo {
  /** mi_idnum */
  readonly id: number
  /** mi_idname: the name I_PUSH and I_LOOK use. */
  readonly name: string
  /** mi_minpsz / mi_maxpsz: packet sizes accepted (INFPSZ = no limit). */
  readonly minpsz: number
  readonly maxpsz: number
  /** mi_hiwat / mi_lowat: flow control water marks, in bytes. */
  readonly hiwat: number
  readonly lowat: number
}

/** qinit: a queue's procedures and limits. `open`/`close` are read only on the read side. */
export interface QInit {
  readonly put: PutProc
  readonly srv?: SrvProc
  readonly open?: OpenProc
  readonly close?: CloseProc
  readonly minfo: ModuleInfo
}

/** streamtab: the read and write qinit of a module or driver (no multiplexing here). */
export interface Streamtab {
  readonly rdinit: QInit
  readonly wrinit: QInit
}

/** No packet size limit (INFPSZ). */
export const INFPSZ = -1

/** q_flag bits. */
export const QENAB = 0x01 // on the scheduler's run list
export const QWANTR = 0x02 // a getq found the queue empty: the next putq enables it
export const QWANTW = 0x04 // a canput failed here: back-enable when it drains
export const QFULL = 0x08 // q_count reached q_hiwat
export const QREADR = 0x10 // this is a read queue
export const QNOENB = 0x40 // noenable: putq does not schedule ordinary messages

/** flushq's flag: FLUSHDATA removes data messages only, FLUSHALL everything. */
export const FLUSHALL = 1
export const FLUSHDATA = 0

export class Queue {
  /** q_qinfo */
  readonly qinfo: QInit
  /** The put procedure (q_qinfo->qi_putp), copied for the hot path. */
  readonly put: PutProc
  /** q_next: the next queue in this direction, null at the end. */
  next: Queue | null = null
  /** backq(q): the queue whose `next` is this one. */
  prev: Queue | null = null
  /** q_first / q_last */
  first: Mblk | null = null
  last: Mblk | null = null
  /** q_count: bytes of the ordinary messages on the queue. */
  count = 0
  /** q_flag */
  flag: number
  hiwat: number
  lowat: number
  minpsz: number
  maxpsz: number
  /** q_ptr: the module's or driver's private data. */
  ptr: unknown = undefined
  /** OTHERQ(q): the other queue of the pair. */
  other!: Queue
  /** The scheduler's run-list link. */
  link: Queue | null = null
  readonly sched: Scheduler

  constructor(qinit: QInit, read: boolean, sched: Scheduler) {
    this.qinfo = qinit
    this.put = qinit.put
    this.sched = sched
    this.flag = QWANTR | (read ? QREADR : 0)
    this.hiwat = qinit.minfo.hiwat
    this.lowat = qinit.minfo.lowat
    this.minpsz = qinit.minfo.minpsz
    this.maxpsz = qinit.minfo.maxpsz
  }

  /** Messages on the queue (qsize). */
  get size(): number {
    let n = 0
    for (let mp = this.first; mp; mp = mp.next) n++
    return n
  }
}

/** A queue pair for `tab`, linked as each other's OTHERQ. Returns the read queue. */
export function allocqPair(tab: Streamtab, sched: Scheduler): Queue {
  const rq = new Queue(tab.rdinit, true, sched)
  const wq = new Queue(tab.wrinit, false, sched)
  rq.other = wq
  wq.other = rq
  return rq
}

/** RD(q) */
export const RD = (q: Queue): Queue => (q.flag & QREADR ? q : q.other)
/** WR(q) */
export const WR = (q: Queue): Queue => (q.flag & QREADR ? q.other : q)
/** OTHERQ(q) */
export const OTHERQ = (q: Queue): Queue => q.other

/** putnext: calls the put procedure of the next queue. */
export function putnext(q: Queue, mp: Mblk): void {
  const n = q.next as Queue
  n.put(n, mp)
}

/** qreply: sends a message back the other way (putnext on OTHERQ). */
export function qreply(q: Queue, mp: Mblk): void {
  putnext(q.other, mp)
}

/** qenable: schedules the service procedure (if any) unless already scheduled. */
export function qenable(q: Queue): void {
  if (q.qinfo.srv === undefined || q.flag & QENAB) return
  q.flag |= QENAB
  q.sched.schedule(q)
}

/** noenable / enableok: whether putq may schedule the queue for ordinary messages. */
export function noenable(q: Queue): void {
  q.flag |= QNOENB
}
export function enableok(q: Queue): void {
  q.flag &= ~QNOENB
}

/**
 * canput: whether a message may be put to `q`. Looks forward from `q` to the first queue
 * with a service procedure (or the end of the stream); if that queue is full, marks it
 * QWANTW so that it back-enables when it drains, and answers false.
 */
export function canput(q: Queue): boolean {
  while (q.qinfo.srv === undefined && q.next) q = q.next
  if (q.flag & QFULL) {
    q.flag |= QWANTW
    return false
  }
  return true
}

/** canputnext(q) = canput(q->q_next). */
export function canputnext(q: Queue): boolean {
  return canput(q.next as Queue)
}

function isPriority(mp: Mblk): boolean {
  return mp.datap.type >= QPCTL
}

function linkBefore(q: Queue, mp: Mblk, before: Mblk | null): void {
  mp.next = before
  if (before) {
    mp.prev = before.prev
    before.prev = mp
  } else {
    mp.prev = q.last
    q.last = mp
  }
  if (mp.prev) mp.prev.next = mp
  else q.first = mp
}

/** The first ordinary message on `q` (priority messages stay ahead of it). */
function firstOrdinary(q: Queue): Mblk | null {
  let at = q.first
  while (at && isPriority(at)) at = at.next
  return at
}

function charge(q: Queue, mp: Mblk): void {
  q.count += msgsize(mp)
  if (q.count >= q.hiwat) q.flag |= QFULL
}

/**
 * putq: queues a message. A high-priority message goes after any high-priority messages
 * already queued and ahead of every ordinary one, is not counted against the water marks,
 * and always schedules the service procedure. An ordinary message goes to the tail and
 * schedules the queue only when a getq found it empty (QWANTR) and it is not noenabled.
 */
export function putq(q: Queue, mp: Mblk): void {
  if (isPriority(mp)) {
    linkBefore(q, mp, firstOrdinary(q))
    qenable(q)
    return
  }
  linkBefore(q, mp, null)
  charge(q, mp)
  if (q.flag & QWANTR && !(q.flag & QNOENB)) qenable(q)
}

/**
 * putbq: puts a message back at the head of its class (a service procedure that cannot
 * pass it on yet). Does not schedule the queue.
 */
export function putbq(q: Queue, mp: Mblk): void {
  if (isPriority(mp)) {
    linkBefore(q, mp, q.first)
    return
  }
  linkBefore(q, mp, firstOrdinary(q))
  charge(q, mp)
}

function unlink(q: Queue, mp: Mblk): void {
  if (mp.prev) mp.prev.next = mp.next
  else q.first = mp.next
  if (mp.next) mp.next.prev = mp.prev
  else q.last = mp.prev
  mp.next = null
  mp.prev = null
}

/**
 * The water-mark rule after bytes leave a queue: below the low water mark (or empty) the
 * queue is no longer full, and a writer that found it full (QWANTW) is back-enabled.
 */
function drained(q: Queue): void {
  if (q.count < q.lowat || q.count === 0) {
    q.flag &= ~QFULL
    if (q.flag & QWANTW) {
      q.flag &= ~QWANTW
      backenable(q)
    }
  }
}

/** rmvq: removes a given message from its queue. */
export function rmvq(q: Queue, mp: Mblk): void {
  unlink(q, mp)
  if (!isPriority(mp)) {
    q.count -= msgsize(mp)
    drained(q)
  }
}

/**
 * getq: takes the first message off the queue. On an empty queue sets QWANTR (so the next
 * putq schedules it) and returns null.
 */
export function getq(q: Queue): Mblk | null {
  const mp = q.first
  if (mp === null) {
    q.flag |= QWANTR
    return null
  }
  q.flag &= ~QWANTR
  rmvq(q, mp)
  return mp
}

/**
 * backenable: schedules the nearest queue behind `q` that has a service procedure: the
 * writer that was stopped by flow control.
 */
export function backenable(q: Queue): void {
  let b = q.prev
  while (b && b.qinfo.srv === undefined) b = b.prev
  if (b) qenable(b)
}

/** flushq: frees the data messages (FLUSHDATA) or all messages (FLUSHALL) on a queue. */
export function flushq(q: Queue, flag: number): void {
  let mp = q.first
  while (mp) {
    const next = mp.next
    if (flag === FLUSHALL || datamsg(mp.datap.type)) {
      unlink(q, mp)
      if (!isPriority(mp)) q.count -= msgsize(mp)
    }
    mp = next
  }
  drained(q)
}
