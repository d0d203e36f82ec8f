import {
  PRIORITY_BOOST,
  PriorityClass,
  type ProcessEvents,
  SS,
  type Status,
  type SystemEvent,
} from '@vms/contracts'
import { mayAffect } from './access'
import { Pcb, State, StateQueue, WAIT_STATES } from './pcb'

/** Which states each system event is significant for (book 10.4.3, step 2). */
const SIGNIFICANT: Readonly<Record<SystemEvent, readonly State[]>> = {
  WAKE: [State.HIB, State.HIBO],
  RESUME: [State.SUSP, State.SUSPO],
  AST: [
    State.COLPG,
    State.MWAIT,
    State.CEF,
    State.PFW,
    State.LEF,
    State.LEFO,
    State.HIB,
    State.HIBO,
    State.FPG,
  ],
  EVENT_FLAG: [State.LEF, State.LEFO, State.CEF],
  RESOURCE_AVAILABLE: [State.MWAIT],
  PAGE_FAULT_COMPLETE: [State.PFW, State.COLPG],
  FREE_PAGE: [State.FPG],
  DELETE: WAIT_STATES,
  /**
   * A computable process moves to the COM queue of its new priority (book 12.3, "Set
   * Priority"); the current process had its priority set by $SETPRI itself, and a
   * waiting one is boosted from its new base when its wait ends.
   */
  SET_PRIORITY: [State.COM],
}

export interface SchedulerOptions {
  /** SYSBOOT QUANTUM: clock ticks (10 ms) in a quantum. Default 20. */
  readonly quantum?: number
  /** SYSBOOT IOTA: ticks charged against the quantum at each wait. Default 2. */
  readonly iota?: number
  /** Receives one line per scheduling action (for traces). */
  readonly trace?: (line: string) => void
  /** SCH$WAIT asks whether a process about to wait has a deliverable AST (from @vms/ast). */
  readonly hasDeliverableAst?: (pid: number) => boolean
}

/**
 * The VMS scheduler (book ch. 10): the current process, 32 resident computable queues
 * with their summary longword (SCH$GL_COMQS, bit n for internal priority n = 31 -
 * priority, so the lowest set bit is the highest priority), the wait queues, and the
 * null process at priority 0, which is always computable.
 *
 * The IPL 3 rescheduling interrupt is modelled as a request (`reschedulePending`) that
 * `dispatch` services, as the real one is serviced when IPL drops below 3.
 */
/** The caller that is the system's operator, not a process (the console). */
export const OPERATOR = -1

export class Scheduler implements ProcessEvents {
  readonly quantum: number
  readonly iota: number
  private readonly byPid = new Map<number, Pcb>()
  private readonly computable = Array.from({ length: 32 }, () => new StateQueue())
  /** SCH$GL_COMQS. */
  computableSummary = 0
  private readonly waiting = new Map<State, StateQueue>(
    WAIT_STATES.map((s) => [s, new StateQueue()]),
  )
  /** SCH$GL_CURPCB. */
  current: Pcb
  readonly nullProcess: Pcb
  /** An IPL 3 rescheduling interrupt is requested. */
  reschedulePending = false
  /**
   * The priority the current process had when SCH$SCHED chose it, before demotion: no
   * computable process outranks it until the next rescheduling interrupt.
   */
  selectedAt = 0
  private nextPid = 0x21
  private readonly trace: ((line: string) => void) | undefined
  private readonly hasDeliverableAst: ((pid: number) => boolean) | undefined

  constructor(options: SchedulerOptions = {}) {
    this.quantum = options.quantum ?? 20
    this.iota = options.iota ?? 2
    this.trace = options.trace
    this.hasDeliverableAst = options.hasDeliverableAst
    this.nullProcess = new Pcb(0, 'NULL', 0)
    this.byPid.set(0, this.nullProcess)
    this.current = this.nullProcess
    this.nullProcess.state = State.CUR
    this.nullProcess.quantum = this.quantum
  }

  /** The process with this PID, or undefined. */
  process(pid: number): Pcb | undefined {
    return this.byPid.get(pid)
  }

  /** Every process, the null process first. */
  processes(): Pcb[] {
    return [...this.byPid.values()]
  }

  /** The processes in a wait state's queue, or a priority's computable queue. */
  queued(state: State, priority?: number): Pcb[] {
    if (state === State.COM) return [...(this.computable[31 - (priority ?? 0)] as StateQueue)]
    return [...(this.waiting.get(state) ?? [])]
  }

  /**
   * Creates a resident computable process (the creation event boosts it by class 4,
   * PRI$_TICOM, book Table 10-3).
   */
  createProcess(options: {
    name: string
    basePriority: number
    privileges?: Iterable<string>
    /** UIC group; a subprocess has its owner's unless given, others [1,1]. */
    group?: number
    /** UIC member. */
    member?: number
    authorizedPriority?: number
    /** PID of the creator when this is a subprocess: it joins the creator's job tree. */
    owner?: number
  }): Pcb {
    if (
      !Number.isInteger(options.basePriority) ||
      options.basePriority < 0 ||
      options.basePriority > 31
    ) {
      throw new RangeError(`base priority ${options.basePriority} is not 0..31`)
    }
    const owner = options.owner === undefined ? undefined : this.byPid.get(options.owner)
    if (options.owner !== undefined && (owner === undefined || owner === this.nullProcess))
      throw new RangeError(`owner ${options.owner} is not a process`)
    const { owner: _, ...rest } = options
    const pcb = new Pcb(this.nextPid++, options.name, options.basePriority, {
      ...rest,
      ...(owner !== undefined && { owner }),
    })
    this.byPid.set(pcb.pid, pcb)
    pcb.quantum = this.quantum
    this.makeComputable(pcb, PriorityClass.TICOM)
    this.log(
      `create ${pcb.name} pid ${hex(pcb.pid)} base ${pcb.basePriority} -> COM pri ${pcb.priority}`,
    )
    return pcb
  }

  /**
   * EXE$NAMPID's checks for a service that names process `target` on behalf of process
   * `caller` (book 12.2.2, "Privilege Checks"): SS$_NONEXPR when either does not exist,
   * SS$_NOPRIV when the caller may not affect the target (see `mayAffect`: same job
   * tree, same UIC, WORLD, or same group with GROUP), else SS$_NORMAL.
   */
  checkAccess(caller: number, target: number): Status {
    const requester = this.byPid.get(caller)
    const pcb = this.byPid.get(target)
    if (requester === undefined || pcb === undefined) return SS.NONEXPR
    return mayAffect(requester, pcb) ? SS.NORMAL : SS.NOPRIV
  }

  /** The target's PCB, or the status of `checkAccess` when a caller is given. */
  private target(pid: number, caller: number | undefined): Pcb | Status {
    const pcb = this.byPid.get(pid)
    if (pcb === undefined) return SS.NONEXPR
    if (caller === undefined) return pcb
    const status = this.checkAccess(caller, pid)
    return status === SS.NORMAL ? pcb : status
  }

  /**
   * Removes a process, wherever it is queued; the current one is replaced at once.
   * With `caller` this is $DELPRC from that process, which needs EXE$NAMPID's rights
   * (`checkAccess`: SS$_NOPRIV, Table 12-1); without it, the executive's own deletion.
   */
  deleteProcess(pid: number, caller?: number): Status {
    if (pid === 0) return SS.NONEXPR
    const pcb = this.target(pid, caller)
    if (typeof pcb === 'number') return pcb
    if (pcb === this.current) {
      this.current = this.nullProcess
      this.byPid.delete(pid)
      this.schedule()
      return SS.NORMAL
    }
    this.unqueue(pcb)
    this.byPid.delete(pid)
    return SS.NORMAL
  }

  /**
   * SCH$RSE (book 10.4.3): if `event` is significant for the process's state, the
   * process leaves its wait queue, its priority is boosted (base + the class's boost,
   * kept at the current priority if higher, and no boost at all if that passes 15), it
   * joins the tail of its computable queue, and preemption is requested if its
   * priority is at least the current process's.
   */
  reportSystemEvent(pid: number, event: SystemEvent, priorityClass: PriorityClass): Status {
    const pcb = this.byPid.get(pid)
    if (pcb === undefined) return SS.NONEXPR
    if (!SIGNIFICANT[event].includes(pcb.state)) return SS.NORMAL
    this.log(`event ${event} for ${pcb.name} in ${pcb.stateName}`)
    if (event !== 'SET_PRIORITY') pcb.madeComputableBy = event
    this.unqueue(pcb)
    this.makeComputable(pcb, priorityClass)
    return SS.NORMAL
  }

  private makeComputable(pcb: Pcb, priorityClass: PriorityClass): void {
    if (!pcb.realTime) {
      const boosted = Math.max(
        pcb.priority,
        pcb.basePriority + (PRIORITY_BOOST[priorityClass] ?? 0),
      )
      pcb.priority = boosted > 15 ? pcb.basePriority : boosted
    } else pcb.priority = pcb.basePriority
    this.enqueueComputable(pcb)
    if (pcb.priority >= this.current.priority || this.current === this.nullProcess)
      this.requestReschedule()
  }

  private enqueueComputable(pcb: Pcb): void {
    pcb.state = State.COM
    const internal = 31 - pcb.priority
    ;(this.computable[internal] as StateQueue).insertTail(pcb)
    this.computableSummary |= 1 << internal
  }

  /** Takes a PCB out of whatever queue it is in (not the current process). */
  private unqueue(pcb: Pcb): void {
    if (pcb.state === State.COM) {
      const internal = 31 - pcb.priority
      const queue = this.computable[internal] as StateQueue
      queue.remove(pcb)
      if (queue.count === 0) this.computableSummary &= ~(1 << internal)
    } else if (pcb.state !== State.CUR) this.waiting.get(pcb.state)?.remove(pcb)
  }

  /** Requests the IPL 3 rescheduling interrupt. */
  requestReschedule(): void {
    this.reschedulePending = true
  }

  /** Services a pending rescheduling interrupt (SCH$RESCHED then SCH$SCHED). */
  dispatch(): void {
    if (!this.reschedulePending) return
    this.reschedulePending = false
    const previous = this.current
    if (previous !== this.nullProcess) this.enqueueComputable(previous)
    else previous.state = State.COM
    this.schedule()
  }

  /**
   * SCH$SCHED (book 10.5.4): the first process of the highest-priority nonempty
   * computable queue becomes current; a normal process above its base priority is
   * first demoted by one level. With nothing computable, the null process runs.
   */
  private schedule(): void {
    for (;;) {
      const summary = this.computableSummary
      if (summary === 0) {
        this.current = this.nullProcess
        this.nullProcess.state = State.CUR
        this.selectedAt = 0
        return
      }
      const internal = 31 - Math.clz32(summary & -summary)
      const queue = this.computable[internal] as StateQueue
      const pcb = queue.head as Pcb
      queue.remove(pcb)
      if (queue.count === 0) this.computableSummary &= ~(1 << internal)
      this.selectedAt = pcb.priority
      if (!pcb.realTime && pcb.priority > pcb.basePriority) pcb.priority--
      pcb.state = State.CUR
      if (pcb !== this.current) this.log(`schedule ${pcb.name} pri ${pcb.priority}`)
      this.current = pcb
      // Its first act is the SUSPND kernel AST, if one is queued; if that suspends
      // it, the next process is chosen.
      if (!pcb.suspendPending || !this.suspendAst(pcb)) return
      this.current = this.nullProcess
    }
  }

  /**
   * SCH$WAIT (book 10.4.1): the current process enters wait state `state`; IOTA is
   * charged against its quantum; if it has a deliverable AST it is made computable at
   * once; then the next process is scheduled.
   */
  wait(state: State): void {
    const pcb = this.current
    if (pcb === this.nullProcess) throw new Error('the null process cannot wait')
    this.enterWait(pcb, state)
    this.current = this.nullProcess
    if (this.hasDeliverableAst?.(pcb.pid))
      this.reportSystemEvent(pcb.pid, 'AST', PriorityClass.NULL)
    this.reschedulePending = false
    this.schedule()
  }

  private enterWait(pcb: Pcb, state: State): void {
    pcb.state = state
    this.waiting.get(state)?.insertTail(pcb)
    pcb.quantum -= this.iota
    this.log(`wait ${pcb.name} ${pcb.stateName}`)
  }

  /**
   * The SUSPND kernel AST, run by the target process itself once it is current (book
   * 12.2.2, "Suspend/Resume"): a pending resume (PCB$V_RESPEN) means a $RESUME came
   * first, so both pending bits are cleared and the process goes on; otherwise it
   * enters SUSP (true is returned). A resumed process runs this check again, finds the
   * resume pending and goes on.
   */
  private suspendAst(pcb: Pcb): boolean {
    if (pcb.resumePending) {
      pcb.resumePending = false
      pcb.suspendPending = false
      // Back from SUSP: the process resumes whatever the AST interrupted.
      if (pcb.madeComputableBy === 'RESUME')
        pcb.madeComputableBy = pcb.madeComputableBeforeSuspension
      pcb.madeComputableBeforeSuspension = undefined
      return false
    }
    pcb.madeComputableBeforeSuspension = pcb.madeComputableBy
    this.enterWait(pcb, State.SUSP)
    return true
  }

  /**
   * One 10 ms tick of the interval clock charged to the current process; at the end
   * of its quantum, SCH$QEND.
   */
  clockTick(): void {
    const pcb = this.current
    pcb.cpuTicks++
    if (pcb === this.nullProcess) return
    pcb.quantum--
    if (pcb.quantum <= 0) this.quantumEnd()
  }

  /**
   * SCH$QEND (book 10.4.2): a new quantum; a normal process goes back to its base
   * priority if a computable process is waiting to be swapped in, and the rescheduling
   * interrupt is requested (round robin among equal priorities). Real-time processes
   * keep the processor.
   */
  quantumEnd(): void {
    const pcb = this.current
    pcb.quantum = this.quantum
    if (pcb.realTime) return
    this.log(`quantum end ${pcb.name}`)
    this.requestReschedule()
  }

  /** $HIBER: the current process hibernates, unless a wake is pending (then cleared). */
  hibernate(): Status {
    const pcb = this.current
    if (pcb.wakePending) {
      pcb.wakePending = false
      return SS.NORMAL
    }
    this.wait(State.HIB)
    return SS.NORMAL
  }

  /**
   * $WAKE: wakes a hibernating process, or leaves a wake pending (PCB$V_WAKEPEN). With
   * `caller`, a process other than the target needs EXE$NAMPID's rights
   * (`checkAccess`: SS$_NOPRIV, Table 12-1).
   */
  wake(pid: number, caller?: number): Status {
    const pcb = this.target(pid, caller)
    if (typeof pcb === 'number') return pcb
    if (pcb.state === State.HIB || pcb.state === State.HIBO) {
      return this.reportSystemEvent(pid, 'WAKE', PriorityClass.RESAVL)
    }
    pcb.wakePending = true
    return SS.NORMAL
  }

  /**
   * $SUSPND (EXE$SUSPND, book 12.2.2, "Suspend/Resume"): sets PCB$V_SUSPEN in the
   * target and queues it the SUSPND kernel AST, unless a suspension is already pending
   * (then nothing more happens). Processes enter wait states only from CUR, so the
   * suspension takes effect when the target next runs: at once for the caller itself,
   * else when SCH$SCHED selects it; queuing the AST makes a waiting target computable
   * (an AST event, class PRI$_NULL), and after its resumption it waits again. With
   * `caller`, another process needs EXE$NAMPID's rights (SS$_NOPRIV, Table 12-1).
   */
  suspend(pid: number, caller?: number): Status {
    if (pid === 0) return SS.NONEXPR
    const pcb = this.target(pid, caller)
    if (typeof pcb === 'number') return pcb
    if (pcb.suspendPending) return SS.NORMAL
    pcb.suspendPending = true
    this.log(`suspend ${pcb.name}`)
    if (pcb === this.current) {
      if (this.suspendAst(pcb)) {
        this.current = this.nullProcess
        this.reschedulePending = false
        this.schedule()
      }
      return SS.NORMAL
    }
    this.reportSystemEvent(pid, 'AST', PriorityClass.NULL)
    return SS.NORMAL
  }

  /**
   * $RESUME (book 12.2.2, "Operation of the $RESUME System Service"): sets
   * PCB$V_RESPEN and, if the target is in SUSP or SUSPO, reports the resume event
   * (boost class 2). A resume that arrives before the SUSPND AST has run therefore
   * cancels that suspension; one that arrives with no suspension pending stays pending
   * and cancels the next (Table 12-2: only the SUSPND AST clears RESPEN). With
   * `caller`, another process needs EXE$NAMPID's rights (SS$_NOPRIV, Table 12-1).
   */
  resume(pid: number, caller?: number): Status {
    const pcb = this.target(pid, caller)
    if (typeof pcb === 'number') return pcb
    pcb.resumePending = true
    return this.reportSystemEvent(pid, 'RESUME', PriorityClass.RESAVL)
  }

  /**
   * $SETPRI (EXE$SETPRI, book 12.3, "Set Priority"): sets a process's base priority,
   * returning the old one. Another process needs EXE$NAMPID's rights (`checkAccess`;
   * Table 12-1: "ALTPRI and either GROUP or WORLD"); above the target's authorized
   * priority (PCB$B_AUTHPRI) the caller needs ALTPRI: SS$_NOPRIV. If the target is the
   * current process its current priority becomes the new base too, and the
   * rescheduling interrupt is requested when a computable process now outranks it.
   * Then the set-priority event is reported to SCH$RSE with class PRI$_IOCOM (1, a
   * boost of 2; Table 10-3): a computable target moves to the COM queue of
   * max(current, base + 2), or its base past 15, and may preempt; a waiting one keeps
   * its current priority until its wait ends. A `callerPid` of `OPERATOR` is the
   * system's operator (the console's SET PROCESS/PRIORITY), who holds every privilege.
   */
  setPriority(
    callerPid: number,
    pid: number,
    priority: number,
  ): { status: Status; previous?: number } {
    const operator = callerPid === OPERATOR
    const caller = this.byPid.get(callerPid)
    const pcb = operator ? (this.byPid.get(pid) ?? SS.NONEXPR) : this.target(pid, callerPid)
    if (typeof pcb === 'number' || (caller === undefined && !operator))
      return { status: typeof pcb === 'number' ? pcb : SS.NONEXPR }
    if (!Number.isInteger(priority) || priority < 0 || priority > 31) return { status: SS.BADPARAM }
    if (priority > pcb.authorizedPriority && !operator && !caller?.privileges.has('ALTPRI'))
      return { status: SS.NOPRIV }
    const previous = pcb.basePriority
    pcb.basePriority = priority
    if (pcb === this.current) {
      pcb.priority = priority
      this.selectedAt = priority
      const summary = this.computableSummary
      if (summary !== 0 && Math.clz32(summary & -summary) > priority) this.requestReschedule()
    }
    this.reportSystemEvent(pid, 'SET_PRIORITY', PriorityClass.IOCOM)
    return { status: SS.NORMAL, previous }
  }

  /** SCH$RWAIT: the current process waits (MWAIT) for a named resource. */
  resourceWait(resource: string): void {
    this.current.waitResource = resource
    this.wait(State.MWAIT)
  }

  /** SCH$RAVAIL: every process waiting for the resource becomes computable. */
  resourceAvailable(resource: string): void {
    for (const pcb of [...(this.waiting.get(State.MWAIT) ?? [])]) {
      if (pcb.waitResource === resource) {
        pcb.waitResource = undefined
        this.reportSystemEvent(pcb.pid, 'RESOURCE_AVAILABLE', PriorityClass.RESAVL)
      }
    }
  }

  private log(line: string): void {
    this.trace?.(line)
  }
}

function hex(v: number): string {
  return v.toString(16).toUpperCase().padStart(8, '0')
}

/**
 * Checks the scheduler's invariants, returning the violations (empty when sound):
 * exactly one current process; every other process in exactly one queue matching its
 * state; the summary longword equal to the queues' contents; and, unless a reschedule
 * is pending, no computable process of higher priority than the current one had when
 * it was selected.
 */
export function checkInvariants(s: Scheduler): string[] {
  const problems: string[] = []
  const seen = new Map<number, number>()
  const count = (p: Pcb) => seen.set(p.pid, (seen.get(p.pid) ?? 0) + 1)
  let summary = 0
  for (let priority = 0; priority < 32; priority++) {
    const queue = s.queued(State.COM, priority)
    if (queue.length > 0) summary |= 1 << (31 - priority)
    for (const p of queue) {
      count(p)
      if (p.state !== State.COM || p.priority !== priority)
        problems.push(`${p.name} in COM queue ${priority} but ${p.stateName} pri ${p.priority}`)
    }
  }
  if (summary !== s.computableSummary)
    problems.push(
      `COMQS ${s.computableSummary.toString(16)} but queues say ${summary.toString(16)}`,
    )
  for (const state of WAIT_STATES) {
    for (const p of s.queued(state)) {
      count(p)
      if (p.state !== state) problems.push(`${p.name} in ${state} queue but state ${p.stateName}`)
    }
  }
  const current = s.processes().filter((p) => p.state === State.CUR)
  if (current.length !== 1 || current[0] !== s.current)
    problems.push(`${current.length} processes in CUR`)
  for (const p of s.processes()) {
    const n = seen.get(p.pid) ?? 0
    if (p === s.current || p === s.nullProcess) {
      if (n !== 0) problems.push(`${p.name} is current but queued`)
    } else if (n !== 1) problems.push(`${p.name} is in ${n} queues`)
  }
  if (!s.reschedulePending && s.computableSummary !== 0) {
    const best = 31 - (31 - Math.clz32(s.computableSummary & -s.computableSummary))
    if (best > s.selectedAt)
      problems.push(
        `priority ${best} computable while ${s.current.name} was selected at ${s.selectedAt}`,
      )
  }
  return problems
}

/**
 * A plain copy of everything the scheduler holds: the current process, the pending
 * rescheduling interrupt, COMQS, every PCB's fields and the order of every queue. Two
 * snapshots are equal exactly when nothing observable changed, which is what a failing
 * service must guarantee.
 */
export function snapshot(s: Scheduler): unknown {
  const queues: Record<string, number[]> = {}
  for (let priority = 0; priority < 32; priority++) {
    const pids = s.queued(State.COM, priority).map((p) => p.pid)
    if (pids.length > 0) queues[`COM${priority}`] = pids
  }
  for (const state of WAIT_STATES) {
    const pids = s.queued(state).map((p) => p.pid)
    if (pids.length > 0) queues[`${state}`] = pids
  }
  const processes = s.processes().map((p) => {
    const { next: _next, previous: _previous, privileges, localFlags, ...fields } = p
    return { ...fields, privileges: [...privileges].sort(), localFlags: [...localFlags] }
  })
  return {
    current: s.current.pid,
    reschedulePending: s.reschedulePending,
    selectedAt: s.selectedAt,
    computableSummary: s.computableSummary,
    queues,
    processes,
  }
}
