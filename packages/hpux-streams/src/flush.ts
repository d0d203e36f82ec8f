/**
 * The canonical M_FLUSH handling every module and driver needs (SVR4 STREAMS
 * Programmer's Guide, "Flush handling"), written once.
 */
import { freemsg, type Mblk } from './message'
import { FLUSHDATA, flushq, putnext, QREADR, type Queue, qreply } from './queue'
import { FLUSHR, FLUSHW } from './stropts'

/**
 * A module's M_FLUSH on either side: flush this side's queue for its own direction's flag
 * (FLUSHW on the write side, FLUSHR on the read side), the other queue for the other
 * flag, and pass the message on.
 */
export function moduleFlush(q: Queue, mp: Mblk): void {
  const flag = mp.datap.base[mp.rptr] ?? 0
  const mine = q.flag & QREADR ? FLUSHR : FLUSHW
  if (flag & mine) flushq(q, FLUSHDATA)
  if (flag & (FLUSHR | FLUSHW) & ~mine) flushq(q.other, FLUSHDATA)
  putnext(q, mp)
}

/**
 * A driver's M_FLUSH on its write side: FLUSHW flushes the write queue; FLUSHR flushes the
 * read queue and turns the message around upstream with FLUSHW cleared (so the stream
 * head flushes its read queue); with no FLUSHR the message is freed.
 */
export function driverFlush(q: Queue, mp: Mblk): void {
  const base = mp.datap.base
  const flag = base[mp.rptr] ?? 0
  if (flag & FLUSHW) {
    flushq(q, FLUSHDATA)
    base[mp.rptr] = flag & ~FLUSHW
  }
  if (flag & FLUSHR) {
    flushq(q.other, FLUSHDATA)
    qreply(q, mp)
  } else freemsg(mp)
}
