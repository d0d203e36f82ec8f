import type { Queue } from './queue'
import { QENAB } from './queue'

/**
 * The service-procedure scheduler (SVR4 `runqueues`). Enabled queues wait on a FIFO run
 * list; `runqueues()` calls their service procedures until the list is empty. Nothing runs
 * by itself: the framework calls it at the end of each stream-head operation in automatic
 * mode, and the caller calls it in manual mode.
 */
export class Scheduler {
  private head: Queue | null = null
  private tail: Queue | null = null
  private running = false
  /** Service procedure calls made so far. */
  runs = 0

  /** Adds an enabled queue to the run list (qenable has set QENAB). */
  schedule(q: Queue): void {
    q.link = null
    if (this.tail) this.tail.link = q
    else this.head = q
    this.tail = q
  }

  /** Takes a queue off the run list (the queue is being closed). */
  cancel(q: Queue): void {
    let prev: Queue | null = null
    for (let at = this.head; at; prev = at, at = at.link) {
      if (at !== q) continue
      if (prev) prev.link = at.link
      else this.head = at.link
      if (this.tail === at) this.tail = prev
      break
    }
    q.flag &= ~QENAB
    q.link = null
  }

  /** Whether a queue waits on the run list. */
  get pending(): boolean {
    return this.head !== null
  }

  /**
   * runqueues: runs service procedures in the order their queues were enabled, including
   * queues they enable, until none is left. Returns how many ran. A call made from inside
   * a service procedure returns 0 at once (the outer call finishes the work).
   */
  runqueues(): number {
    if (this.running) return 0
    this.running = true
    let n = 0
    try {
      for (let q = this.head; q; q = this.head) {
        this.head = q.link
        if (this.head === null) this.tail = null
        q.link = null
        q.flag &= ~QENAB
        n++
        q.qinfo.srv?.(q)
      }
    } finally {
      this.running = false
    }
    this.runs += n
    return n
  }
}
