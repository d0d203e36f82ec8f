import type { AccessMode, AstManager } from '@vms/ast'
import { PriorityClass, SS, type Status } from '@vms/contracts'
import { EventFlags } from './event-flags'
import type { Scheduler } from './scheduler'

/** 100-nanosecond units, as VMS keeps time; 10 ms clock ticks are 100,000 of them. */
export const TICK = 100_000

/** A timer queue element (book 11.4.1, Figure 11-1). */
export interface Tqe {
  readonly pid: number
  readonly kind: 'timer' | 'wakeup'
  /** Absolute expiration time (100 ns units). */
  expiration: number
  readonly efn: number
  readonly ast: { routine: number; parameter: number; mode: AccessMode } | undefined
  readonly requestId: number
  /** For repeating $SCHDWK requests: the interval. */
  readonly repeat: number
}

/**
 * The timer queue (book 11.4): TQEs ordered by expiration; the software timer interrupt
 * (IPL 7) processes the ones due. Time is supplied by the caller (`expire(now)`), so it
 * is virtual.
 */
export class Timers {
  private readonly queue: Tqe[] = []

  constructor(
    private readonly scheduler: Scheduler,
    private readonly flags: EventFlags,
    private readonly asts?: AstManager,
  ) {}

  /** The TQEs, earliest first. */
  pending(): readonly Tqe[] {
    return [...this.queue]
  }

  private insert(tqe: Tqe): void {
    let i = this.queue.length
    while (i > 0 && (this.queue[i - 1] as Tqe).expiration > tqe.expiration) i--
    this.queue.splice(i, 0, tqe)
  }

  /**
   * $SETIMR: at `expiration`, set event flag `efn` (cleared now) and queue the AST if
   * given. SS$_ILLEFC for a bad flag, SS$_NONEXPR for no such process.
   */
  setTimer(
    pid: number,
    expiration: number,
    options: {
      efn?: number
      ast?: { routine: number; parameter?: number; mode?: AccessMode }
      requestId?: number
    } = {},
  ): Status {
    if (this.scheduler.process(pid) === undefined) return SS.NONEXPR
    const efn = options.efn ?? 0
    if (EventFlags.clusterOf(efn) < 0) return SS.ILLEFC
    const cleared = this.flags.clearFlag(pid, efn)
    if (cleared !== SS.WASSET && cleared !== SS.WASCLR) return cleared
    const ast = options.ast && {
      routine: options.ast.routine,
      parameter: options.ast.parameter ?? 0,
      mode: options.ast.mode ?? 3,
    }
    this.insert({
      pid,
      kind: 'timer',
      expiration,
      efn,
      ast,
      requestId: options.requestId ?? 0,
      repeat: 0,
    })
    return SS.NORMAL
  }

  /** $CANTIM: cancels the process's timer requests with this ID (0: all of them). */
  cancelTimer(pid: number, requestId = 0): Status {
    this.removeWhere(
      (t) => t.pid === pid && t.kind === 'timer' && (requestId === 0 || t.requestId === requestId),
    )
    return SS.NORMAL
  }

  /** $SCHDWK: wakes the process at `expiration`, and every `repeat` after if nonzero. */
  scheduleWakeup(pid: number, expiration: number, repeat = 0): Status {
    if (this.scheduler.process(pid) === undefined) return SS.NONEXPR
    this.insert({ pid, kind: 'wakeup', expiration, efn: 0, ast: undefined, requestId: 0, repeat })
    return SS.NORMAL
  }

  /** $CANWAK: cancels the process's scheduled wakeups. */
  cancelWakeup(pid: number): Status {
    this.removeWhere((t) => t.pid === pid && t.kind === 'wakeup')
    return SS.NORMAL
  }

  private removeWhere(match: (t: Tqe) => boolean): void {
    for (let i = this.queue.length - 1; i >= 0; i--)
      if (match(this.queue[i] as Tqe)) this.queue.splice(i, 1)
  }

  /** The time of the next expiration, or undefined. */
  nextExpiration(): number | undefined {
    return this.queue[0]?.expiration
  }

  /**
   * The software timer interrupt: every TQE due at `now` fires in expiration order,
   * with the timer boost (PRI$_TIMER). Requests of deleted processes are dropped.
   */
  expire(now: number): void {
    while (this.queue.length > 0 && (this.queue[0] as Tqe).expiration <= now) {
      const tqe = this.queue.shift() as Tqe
      if (this.scheduler.process(tqe.pid) === undefined) continue
      if (tqe.kind === 'wakeup') {
        this.scheduler.wake(tqe.pid)
        if (tqe.repeat > 0) this.insert({ ...tqe, expiration: tqe.expiration + tqe.repeat })
        continue
      }
      this.flags.setFlag(tqe.pid, tqe.efn, PriorityClass.TIMER)
      if (tqe.ast && this.asts) {
        this.asts.queue(
          {
            pid: tqe.pid,
            mode: tqe.ast.mode,
            routine: tqe.ast.routine,
            parameter: tqe.ast.parameter,
          },
          PriorityClass.TIMER,
        )
      }
    }
  }
}
