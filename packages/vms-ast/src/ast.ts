import {
  DYN,
  type DynamicMemory,
  PriorityClass,
  type ProcessEvents,
  SS,
  type Status,
} from '@vms/contracts'

/** Access modes: 0 kernel, 1 executive, 2 supervisor, 3 user. */
export type AccessMode = 0 | 1 | 2 | 3

/**
 * An AST control block (book 7.2.2, Figure 7-1): which process, which mode, what to
 * call with what argument. `special` marks a special kernel AST (ACB$V_KAST), which runs
 * at IPL 2 in kernel mode before any normal AST; `quota` (ACB$V_QUOTA) says ASTCNT was
 * charged and is returned on delivery.
 */
export interface Acb {
  readonly pid: number
  readonly mode: AccessMode
  /** The AST routine: a VAX address, or whatever handle the caller uses. */
  readonly routine: number
  /** The AST parameter (ACB$L_ASTPRM). */
  readonly parameter: number
  readonly special?: boolean
  readonly quota?: boolean
  /**
   * Where the ACB lives in nonpaged pool, when it does (0 or absent: nowhere). Its
   * storage goes back to pool when the AST is delivered or its process deleted; an ACB
   * that is the first part of a larger block (a TQE) gives back that block.
   */
  readonly block?: number
}

/** ACB$K_LENGTH: seven longwords (book Figure 7-1). */
export const ACB_LENGTH = 28

/** The AST data of one process (book 7.2.1, Figure 7-1 and the PCB fields). */
interface ProcessAsts {
  /** PCB$L_ASTQFL/BL: kernel-mode ACBs first (special before normal), user last. */
  readonly queue: Acb[]
  /** PCB$B_ASTEN: delivery enabled, one bit per mode (bit 0 kernel). */
  enabled: number
  /** PCB$B_ASTACT: an AST is active at that mode. */
  active: number
  /** PCB$W_ASTCNT: ASTs the process may still have queued. */
  remaining: number
  /** The AST quota (ASTLM). */
  readonly limit: number
}

/** What SCH$ASTDEL found for a process returning to `mode` (book 7.5.1). */
export type Delivery =
  /** Nothing queued: ASTLVL is 4. */
  | { readonly kind: 'none' }
  /** Deliver this AST now (its ACB is off the queue, ASTACT set for normal ASTs). */
  | { readonly kind: 'deliver'; readonly acb: Acb }
  /** The first AST cannot be delivered yet (outer mode, disabled or active): new ASTLVL. */
  | { readonly kind: 'blocked'; readonly astlvl: number }

/**
 * Per-process AST queues and the rules for queuing and delivering ASTs (book ch. 7).
 * Entering VAX code to run an AST belongs to whoever owns the CPU (apps/system); this
 * says what to deliver, to which mode, with which parameter.
 */
export class AstManager {
  private readonly processes = new Map<number, ProcessAsts>()

  /**
   * `memory`, when given, is where $DCLAST's ACBs come from (SS$_INSFMEM when it has
   * none) and where every ACB with a `block` returns.
   */
  constructor(
    private readonly scheduler: ProcessEvents,
    private readonly memory?: DynamicMemory,
  ) {}

  /** Sets up AST state for a new process with AST quota `astlm` (all modes enabled). */
  createProcess(pid: number, astlm: number): void {
    this.processes.set(pid, { queue: [], enabled: 0xf, active: 0, remaining: astlm, limit: astlm })
  }

  /** Forgets a deleted process and its undelivered ASTs (their ACBs go back to pool). */
  deleteProcess(pid: number): void {
    for (const acb of this.processes.get(pid)?.queue ?? []) this.release(acb)
    this.processes.delete(pid)
  }

  private release(acb: Acb): void {
    if (acb.block) this.memory?.deallocate(acb.block)
  }

  /**
   * SCH$QAST (book 7.4): inserts the ACB in the process's AST queue, FIFO within its
   * mode, modes in order from kernel to user, special kernel ASTs before normal ones;
   * then reports the AST event to the scheduler, which makes a waiting process
   * computable (unless suspended). SS$_NONEXPR for no such process.
   */
  queue(acb: Acb, priorityClass: PriorityClass = PriorityClass.NULL): Status {
    const p = this.processes.get(acb.pid)
    if (p === undefined) return SS.NONEXPR
    const rank = (a: Acb) => (a.special ? -1 : a.mode)
    let i = p.queue.findIndex((queued) => rank(queued) > rank(acb))
    if (i < 0) i = p.queue.length
    p.queue.splice(i, 0, acb)
    this.scheduler.reportSystemEvent(acb.pid, 'AST', priorityClass)
    return SS.NORMAL
  }

  /**
   * $DCLAST: queues an AST for the caller's mode or a less privileged one (the mode
   * asked for is made no more privileged than the caller's), charged to the AST quota:
   * SS$_EXQUOTA when the quota is used up, and nothing changes.
   */
  declare(
    pid: number,
    callerMode: AccessMode,
    routine: number,
    parameter = 0,
    mode: AccessMode = callerMode,
  ): Status {
    const p = this.processes.get(pid)
    if (p === undefined) return SS.NONEXPR
    if (p.remaining <= 0) return SS.EXQUOTA
    let block = 0
    if (this.memory !== undefined) {
      const storage = this.memory.allocate(ACB_LENGTH, DYN.ACB)
      if (storage.status !== SS.NORMAL) return storage.status
      block = storage.address
    }
    p.remaining--
    const target = Math.max(callerMode, mode) as AccessMode
    return this.queue({ pid, mode: target, routine, parameter, quota: true, block })
  }

  /**
   * Charges one AST to the process's ASTCNT for an AST that another service will queue
   * later with `quota: true` ($SETIMR, book 11.4.1 step 6): SS$_EXQUOTA when it is used
   * up. `refund` gives it back when that AST will not come (the timer was cancelled).
   */
  charge(pid: number): Status {
    const p = this.processes.get(pid)
    if (p === undefined) return SS.NONEXPR
    if (p.remaining <= 0) return SS.EXQUOTA
    p.remaining--
    return SS.NORMAL
  }

  refund(pid: number): void {
    const p = this.processes.get(pid)
    if (p !== undefined) p.remaining = Math.min(p.remaining + 1, p.limit)
  }

  /**
   * $SETAST: enables or disables AST delivery for the caller's mode; returns
   * SS$_WASSET or SS$_WASCLR for the previous state.
   */
  setAst(pid: number, callerMode: AccessMode, enable: boolean): Status {
    const p = this.processes.get(pid)
    if (p === undefined) return SS.NONEXPR
    const bit = 1 << callerMode
    const was = (p.enabled & bit) !== 0
    p.enabled = enable ? p.enabled | bit : p.enabled & ~bit
    return was ? SS.WASSET : SS.WASCLR
  }

  /** ASTLVL for the process: the mode of the first queued ACB (0 for special kernel), or 4. */
  astLevel(pid: number): number {
    const first = this.processes.get(pid)?.queue[0]
    return first === undefined ? 4 : first.mode
  }

  /**
   * True when an AST could be delivered to a process running at `mode`: SCH$WAIT asks
   * this so that a queued AST is not missed by a process about to wait.
   */
  hasDeliverable(pid: number, mode: AccessMode): boolean {
    const p = this.processes.get(pid)
    const first = p?.queue[0]
    if (p === undefined || first === undefined) return false
    if (first.special) return true
    return (
      first.mode <= mode &&
      (p.enabled & (1 << first.mode)) !== 0 &&
      (p.active & (1 << first.mode)) === 0
    )
  }

  /**
   * SCH$ASTDEL (book 7.5.1) for a process that is returning to `mode`: a special kernel
   * AST is always delivered first; a normal AST only if its mode is at least as
   * privileged as `mode`, delivery is enabled for it and no AST is active in it. A
   * delivered normal AST sets ASTACT for its mode and returns its quota, and its ACB goes
   * back to pool (book 7.5.1).
   */
  deliver(pid: number, mode: AccessMode): Delivery {
    const p = this.processes.get(pid)
    const first = p?.queue[0]
    if (p === undefined || first === undefined) return { kind: 'none' }
    if (first.special) {
      p.queue.shift()
      this.release(first)
      return { kind: 'deliver', acb: first }
    }
    const bit = 1 << first.mode
    if (first.mode > mode) return { kind: 'blocked', astlvl: first.mode }
    if (!(p.enabled & bit) || p.active & bit) return { kind: 'blocked', astlvl: first.mode + 1 }
    p.queue.shift()
    p.active |= bit
    if (first.quota) p.remaining = Math.min(p.remaining + 1, p.limit)
    this.release(first)
    return { kind: 'deliver', acb: first }
  }

  /** The AST routine at `mode` has returned (AST exit): clears ASTACT for the mode. */
  exitAst(pid: number, mode: AccessMode): void {
    const p = this.processes.get(pid)
    if (p !== undefined) p.active &= ~(1 << mode)
  }

  /** A snapshot for inspectors and tests. */
  state(
    pid: number,
  ): { queue: readonly Acb[]; enabled: number; active: number; remaining: number } | undefined {
    const p = this.processes.get(pid)
    if (p === undefined) return undefined
    return { queue: [...p.queue], enabled: p.enabled, active: p.active, remaining: p.remaining }
  }
}
