/**
 * One scheduler for everything that happens in time (jsbeeb's scheduler, VMS's timer
 * queue in miniature). Time is virtual: the number of instructions executed, so a run
 * with the same inputs happens the same way every time.
 */
export class EventScheduler {
  private readonly queue: { at: number; seq: number; action: () => void }[] = []
  private seq = 0
  /** The time of the earliest event (Infinity when none): the CPU checks it per instruction. */
  nextAt = Number.POSITIVE_INFINITY

  /** Runs `action` when `now() + delay` instructions have executed. Returns a cancel function. */
  schedule(at: number, action: () => void): () => void {
    const entry = { at, seq: this.seq++, action }
    let i = this.queue.length
    while (i > 0 && (this.queue[i - 1] as { at: number }).at > at) i--
    this.queue.splice(i, 0, entry)
    this.nextAt = (this.queue[0] as { at: number }).at
    return () => {
      const k = this.queue.indexOf(entry)
      if (k >= 0) this.queue.splice(k, 1)
      this.nextAt = this.queue[0]?.at ?? Number.POSITIVE_INFINITY
    }
  }

  /** Runs every event due at time `now`, in time order (then in the order scheduled). */
  runDue(now: number): void {
    while (this.queue.length > 0 && (this.queue[0] as { at: number }).at <= now) {
      const entry = this.queue.shift() as { action: () => void }
      this.nextAt = this.queue[0]?.at ?? Number.POSITIVE_INFINITY
      entry.action()
    }
  }

  clear(): void {
    this.queue.length = 0
    this.nextAt = Number.POSITIVE_INFINITY
  }
}
