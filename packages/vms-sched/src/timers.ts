import type { AccessMode, AstManager } from '@vms/ast'
import { DYN, type DynamicMemory, PriorityClass, SS, type Status } from '@vms/contracts'
import { EventFlags } from './event-flags'
import type { Scheduler } from './scheduler'

/** 100-nanosecond units, as VMS keeps time; 10 ms clock ticks are 100,000 of them. */
export const TICK = 100_000

/** A timer queue element (book 11.4.1, Figure 11-1). */
export interface Tqe {
  /** TQE$L_PID: the process the event is for. */
  readonly pid: number
  /** TQE$L_RQPID: the process that asked (another one for a $SCHDWK of another process). */
  readonly requester: number
  /** TQE$B_RMOD: the access mode of the request, which $CANTIM compares (book 11.5.1). */
  readonly mode: AccessMode
  readonly kind: 'timer' | 'wakeup'
  /** Absolute expiration time (100 ns units). */
  expiration: number
  readonly efn: number
  readonly ast: { routine: number; parameter: number; mode: AccessMode } | undefined
  readonly requestId: number
  /** TQE$Q_DELTA: for repeating $SCHDWK requests, the interval (at least one 10 ms tick). */
  readonly repeat: number
  /** Where the TQE lives in nonpaged pool (0: nowhere). */
  readonly block: number
}

/** The shortest $SCHDWK repeat interval: one 10 ms tick (book 11.5.2 step 3). */
export const MINIMUM_REPEAT = TICK

/** TQE$K_LENGTH: twelve longwords (book Figure 11-1). */
export const TQE_LENGTH = 48

/**
 * The timer queue (book 11.4): TQEs ordered by expiration; the software timer interrupt
 * (IPL 7) processes the ones due. Time is supplied by the caller (`expire(now)`), so it
 * is virtual.
 */
export class Timers {
  private readonly queue: Tqe[] = []

  private readonly memory: DynamicMemory | undefined
  private readonly quota: number

  /**
   * Options (book 11.4.1, 11.5): `memory` is where TQEs come from (SS$_INSFMEM when it
   * has none) and where they return when they fire or are cancelled; a TQE with an AST
   * becomes that AST's ACB, whose delivery returns it. `quota` is TQELM, the TQEs a
   * process may have queued at once (JIB$W_TQCNT; SS$_EXQUOTA beyond it); none if absent.
   */
  constructor(
    private readonly scheduler: Scheduler,
    private readonly flags: EventFlags,
    private readonly asts?: AstManager,
    options: { readonly memory?: DynamicMemory; readonly quota?: number } = {},
  ) {
    this.memory = options.memory
    this.quota = options.quota ?? Number.POSITIVE_INFINITY
  }

  /** TQEs the process has requested (what its TQCNT is charged with). */
  queuedBy(pid: number): number {
    let n = 0
    for (const tqe of this.queue) if (tqe.requester === pid) n++
    return n
  }

  /** A TQE's storage for `pid`: block 0 without memory; SS$_EXQUOTA or SS$_INSFMEM. */
  private allocate(pid: number): { status: Status; block: number } {
    if (this.queuedBy(pid) >= this.quota) return { status: SS.EXQUOTA, block: 0 }
    if (this.memory === undefined) return { status: SS.NORMAL, block: 0 }
    const storage = this.memory.allocate(TQE_LENGTH, DYN.TQE)
    return { status: storage.status, block: storage.status === SS.NORMAL ? storage.address : 0 }
  }

  private release(block: number): void {
    if (block) this.memory?.deallocate(block)
  }

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
   * given. `mode` is the caller's access mode, kept in TQE$B_RMOD for $CANTIM (book
   * 11.5.1 step 6; default: the AST's mode, else user). SS$_ILLEFC for a bad flag,
   * SS$_NONEXPR for no such process, SS$_IVTIME for a time that is not a finite
   * number, SS$_EXQUOTA for no TQE or (with an AST) no ASTCNT left, SS$_INSFMEM for no
   * pool; nothing changes then.
   */
  setTimer(
    pid: number,
    expiration: number,
    options: {
      efn?: number
      ast?: { routine: number; parameter?: number; mode?: AccessMode }
      requestId?: number
      mode?: AccessMode
    } = {},
  ): Status {
    if (this.scheduler.process(pid) === undefined) return SS.NONEXPR
    const efn = options.efn ?? 0
    if (EventFlags.clusterOf(efn) < 0) return SS.ILLEFC
    if (!Number.isFinite(expiration)) return SS.IVTIME
    const storage = this.allocate(pid)
    if (storage.status !== SS.NORMAL) return storage.status
    // An AST is charged to ASTCNT now and given back at delivery (book 11.4.1 step 6).
    const charge = options.ast !== undefined ? (this.asts?.charge(pid) ?? SS.NORMAL) : SS.NORMAL
    const cleared = charge === SS.NORMAL ? this.flags.clearFlag(pid, efn) : charge
    if (cleared !== SS.WASSET && cleared !== SS.WASCLR) {
      if (options.ast !== undefined && charge === SS.NORMAL) this.asts?.refund(pid)
      this.release(storage.block)
      return cleared
    }
    const ast = options.ast && {
      routine: options.ast.routine,
      parameter: options.ast.parameter ?? 0,
      mode: options.ast.mode ?? 3,
    }
    this.insert({
      pid,
      requester: pid,
      mode: options.mode ?? ast?.mode ?? 3,
      kind: 'timer',
      expiration,
      efn,
      ast,
      requestId: options.requestId ?? 0,
      repeat: 0,
      block: storage.block,
    })
    return SS.NORMAL
  }

  /**
   * $CANTIM (book 11.5.1): cancels the process's timer requests with this ID (0: all of
   * them) that were made from access mode `mode` or a less privileged one: no request
   * of a mode more privileged than the caller's is cancelled. `mode` is the caller's
   * mode, made no more privileged than the service's `acmode` argument; the default,
   * kernel, is for process rundown.
   */
  cancelTimer(pid: number, requestId = 0, mode: AccessMode = 0): Status {
    this.removeWhere(
      (t) =>
        t.pid === pid &&
        t.kind === 'timer' &&
        t.mode >= mode &&
        (requestId === 0 || t.requestId === requestId),
    )
    return SS.NORMAL
  }

  /**
   * $SCHDWK (EXE$SCHDWK, book 11.5.2): wakes process `pid` at `expiration`, and every
   * `repeat` (100 ns units) after if nonzero; a repeat interval under 10 ms is raised to
   * 10 ms, the resolution of the interval clock (step 3). `caller` (default: the
   * target) needs EXE$NAMPID's rights over the target (step 2, `checkAccess`:
   * SS$_NOPRIV); the TQE is charged to the caller and records `mode` (default user).
   * SS$_NONEXPR, SS$_IVTIME for a time or interval that is not a finite number (or a
   * negative interval), SS$_EXQUOTA, SS$_INSFMEM: nothing changes then.
   */
  scheduleWakeup(
    pid: number,
    expiration: number,
    repeat = 0,
    options: { caller?: number; mode?: AccessMode } = {},
  ): Status {
    const requester = options.caller ?? pid
    const access = this.scheduler.checkAccess(requester, pid)
    if (access !== SS.NORMAL) return access
    if (!Number.isFinite(expiration) || !Number.isFinite(repeat) || repeat < 0) return SS.IVTIME
    const storage = this.allocate(requester)
    if (storage.status !== SS.NORMAL) return storage.status
    this.insert({
      pid,
      requester,
      mode: options.mode ?? 3,
      kind: 'wakeup',
      expiration,
      efn: 0,
      ast: undefined,
      requestId: 0,
      repeat: repeat > 0 ? Math.max(repeat, MINIMUM_REPEAT) : 0,
      block: storage.block,
    })
    return SS.NORMAL
  }

  /**
   * $CANWAK (book 11.5.2): cancels every one-time and repeating scheduled wakeup of
   * process `pid`. With `caller` (the $CANWAK service) the caller needs EXE$NAMPID's
   * rights over the target (`checkAccess`: SS$_NOPRIV or SS$_NONEXPR, and nothing is
   * cancelled); without it (the executive's process rundown) there is no check. Only
   * requests made from `mode` or a less privileged one go (image rundown cancels
   * "requests made from this and outer access modes", book 21.3 step 13); the default,
   * kernel, takes all.
   */
  cancelWakeup(pid: number, options: { caller?: number; mode?: AccessMode } = {}): Status {
    if (options.caller !== undefined) {
      const access = this.scheduler.checkAccess(options.caller, pid)
      if (access !== SS.NORMAL) return access
    }
    const mode = options.mode ?? 0
    this.removeWhere((t) => t.pid === pid && t.kind === 'wakeup' && t.mode >= mode)
    return SS.NORMAL
  }

  private removeWhere(match: (t: Tqe) => boolean): void {
    for (let i = this.queue.length - 1; i >= 0; i--) {
      const tqe = this.queue[i] as Tqe
      if (match(tqe)) {
        this.queue.splice(i, 1)
        this.release(tqe.block)
        if (tqe.ast !== undefined) this.asts?.refund(tqe.pid)
      }
    }
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
      if (this.scheduler.process(tqe.pid) === undefined) {
        this.release(tqe.block)
        continue
      }
      if (tqe.kind === 'wakeup') {
        this.scheduler.wake(tqe.pid)
        if (tqe.repeat > 0) this.insert({ ...tqe, expiration: tqe.expiration + tqe.repeat })
        else this.release(tqe.block)
        continue
      }
      this.flags.setFlag(tqe.pid, tqe.efn, PriorityClass.TIMER)
      // The TQE's first part is an ACB (book 7.2.2): it goes on as the AST's ACB.
      const queued =
        tqe.ast !== undefined &&
        this.asts !== undefined &&
        this.asts.queue(
          {
            pid: tqe.pid,
            mode: tqe.ast.mode,
            routine: tqe.ast.routine,
            parameter: tqe.ast.parameter,
            block: tqe.block,
            quota: true,
          },
          PriorityClass.TIMER,
        ) === SS.NORMAL
      if (!queued) this.release(tqe.block)
    }
  }
}
