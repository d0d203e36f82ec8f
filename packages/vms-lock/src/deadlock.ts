import { compatible, LCK } from './lck'
import { type Lkb, LockState, type Owner, type Rsb } from './structures'

/**
 * The lock timeout queue (book 13.3.1, LCK$GL_TIMOUTQ): every waiting or converting lock,
 * in the order it began to wait, with the time a deadlock search is due to start from it.
 * Linked through the LKB's AST queue fields, as the book has it.
 */
export class TimeoutQueue {
  head: Lkb | undefined = undefined
  tail: Lkb | undefined = undefined
  count = 0

  insertTail(lkb: Lkb, duetime: number): void {
    lkb.duetime = duetime
    lkb.timing = true
    lkb.tqfl = undefined
    lkb.tqbl = this.tail
    if (this.tail === undefined) this.head = lkb
    else this.tail.tqfl = lkb
    this.tail = lkb
    this.count++
  }

  remove(lkb: Lkb): void {
    if (!lkb.timing) return
    const next = lkb.tqfl
    const prev = lkb.tqbl
    if (prev === undefined) this.head = next
    else prev.tqfl = next
    if (next === undefined) this.tail = prev
    else next.tqbl = prev
    lkb.tqfl = undefined
    lkb.tqbl = undefined
    lkb.timing = false
    this.count--
  }

  *[Symbol.iterator](): IterableIterator<Lkb> {
    for (let l = this.head; l !== undefined; l = l.tqfl) yield l
  }
}

/** What a deadlock search found: the victim whose request fails with SS$_DEADLOCK. */
export interface DeadlockFound {
  readonly kind: 'conversion' | 'multiple-resource'
  readonly victim: Lkb
  /** The waiting locks of the cycle that the search walked, starting with the one that timed out. */
  readonly cycle: readonly Lkb[]
}

/**
 * The lock a request waits behind in FIFO order: the one before it on its queue, or, for
 * the head of the waiting queue, the last conversion. The book's search looks for locks
 * whose granted or requested mode is incompatible; because the queues are strictly FIFO
 * (a request behind an incompatible one waits even when its own mode is compatible with
 * everything granted), a request also waits for the one ahead of it, and following that
 * link finds cycles the mode test alone would miss (an NL request behind a waiting EX).
 */
export function ahead(lkb: Lkb): Lkb | undefined {
  if (lkb.sqbl !== undefined) return lkb.sqbl
  return lkb.state === LockState.WAITING ? lkb.rsb.cvtq.tail : undefined
}

/**
 * One frame of the search (Figure 13-8): a waiting lock and how far its resource's queues
 * have been searched for locks that block it, or an owner whose waiting locks are being
 * followed (the PCB lock queue of 13.1.5).
 */
interface Frame {
  readonly lkb: Lkb | undefined
  readonly owner: Owner | undefined
  /** Lock frame: 0 granted queue, 1 conversion queue, 2 the lock ahead, 3 done. */
  phase: number
  cursor: Lkb | undefined
  /** Owner frame: the owner's waiting locks not yet followed. */
  pending: Lkb[] | undefined
}

let searchEpoch = 0

/**
 * LCK$SEARCHDLCK (book 13.3.2), started from `start`, a lock whose wait timed out.
 * First the conversion deadlock test: a lock before it on the conversion queue whose
 * granted mode blocks its requested mode, while its own granted mode blocks that lock's
 * request (the book describes one direction; both must hold for neither to move). Then
 * the multiple-resource search (LCK$SRCH_RESDLCK): the locks blocking the waiting lock
 * are found on its resource's queues; if one belongs to the owner the search started
 * from, there is a deadlock; otherwise the search follows that owner's waiting locks,
 * once per owner (the process bitmap). The search keeps its frames on an explicit stack,
 * so its depth is bounded by memory, not by the host's call stack.
 */
export function searchDeadlock(start: Lkb): DeadlockFound | undefined {
  if (start.state === LockState.CONVERT) {
    for (let prev = start.sqbl; prev !== undefined; prev = prev.sqbl) {
      if (
        (prev.flags & LCK.M_NODLCKWT) === 0 &&
        !compatible(prev.grmode, start.rqmode) &&
        !compatible(start.grmode, prev.rqmode)
      ) {
        const victim = prev.owner.deadlockPriority < start.owner.deadlockPriority ? prev : start
        return { kind: 'conversion', victim, cycle: [start, prev] }
      }
    }
  }
  const epoch = ++searchEpoch
  const origin = start.owner
  origin.searchMark = epoch
  start.searchMark = epoch
  const stack: Frame[] = [lockFrame(start)]
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame
    if (frame.owner !== undefined) {
      const next = (frame.pending as Lkb[]).pop()
      if (next === undefined) stack.pop()
      else if (next.searchMark !== epoch) {
        next.searchMark = epoch
        stack.push(lockFrame(next))
      }
      continue
    }
    const blocker = nextBlocker(frame)
    if (blocker === undefined) {
      stack.pop()
      continue
    }
    if (blocker.state !== LockState.GRANTED && frame.phase === 3) {
      // The lock ahead in FIFO order: the wait goes on through it, and back to the start
      // is a cycle.
      if (blocker === start) return victimOf(stack)
      if (blocker.searchMark === epoch || (blocker.flags & LCK.M_NODLCKWT) !== 0) continue
      blocker.searchMark = epoch
      stack.push(lockFrame(blocker))
      continue
    }
    const owner = blocker.owner
    if (owner === origin) return victimOf(stack)
    if (owner.searchMark === epoch) continue
    owner.searchMark = epoch
    const pending: Lkb[] = []
    for (const w of owner.waiting) if ((w.flags & LCK.M_NODLCKWT) === 0) pending.push(w)
    if (pending.length > 0)
      stack.push({ lkb: undefined, owner, phase: 0, cursor: undefined, pending })
  }
  return undefined
}

function lockFrame(lkb: Lkb): Frame {
  return { lkb, owner: undefined, phase: 0, cursor: lkb.rsb.grq.head, pending: undefined }
}

/**
 * The next lock blocking the frame's waiting lock: a lock on the granted or conversion
 * queue whose granted mode is incompatible with the requested mode, then the lock ahead.
 */
function nextBlocker(frame: Frame): Lkb | undefined {
  const lkb = frame.lkb as Lkb
  const rsb: Rsb = lkb.rsb
  for (;;) {
    if (frame.phase === 0 || frame.phase === 1) {
      const l = frame.cursor
      if (l === undefined) {
        frame.phase++
        frame.cursor = frame.phase === 1 ? rsb.cvtq.head : undefined
        continue
      }
      frame.cursor = l.sqfl
      if (l !== lkb && (l.flags & LCK.M_NODLCKBLK) === 0 && !compatible(l.grmode, lkb.rqmode))
        return l
      continue
    }
    if (frame.phase === 2) {
      frame.phase = 3
      const a = ahead(lkb)
      if (a !== undefined) return a
    }
    return undefined
  }
}

/**
 * Victim selection (13.3.3): the frames on the stack are searched for the lowest deadlock
 * priority, starting with the lock that timed out; a priority of zero is taken at once.
 */
function victimOf(stack: readonly Frame[]): DeadlockFound {
  const cycle: Lkb[] = []
  for (const f of stack) if (f.lkb !== undefined) cycle.push(f.lkb)
  let victim = cycle[0] as Lkb
  for (const l of cycle) {
    if (l.owner.deadlockPriority < victim.owner.deadlockPriority) victim = l
    if (victim.owner.deadlockPriority <= 0) break
  }
  return { kind: 'multiple-resource', victim, cycle }
}
