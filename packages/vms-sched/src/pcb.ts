import type { SystemEvent } from '@vms/contracts'
/** Scheduling states and their PCB$W_STATE values (book Table 10-1). */
export const State = {
  COLPG: 1,
  MWAIT: 2,
  CEF: 3,
  PFW: 4,
  LEF: 5,
  LEFO: 6,
  HIB: 7,
  HIBO: 8,
  SUSP: 9,
  SUSPO: 10,
  FPG: 11,
  COM: 12,
  COMO: 13,
  CUR: 14,
} as const
export type State = (typeof State)[keyof typeof State]

export const STATE_NAMES: Readonly<Record<State, string>> = {
  1: 'COLPG',
  2: 'MWAIT',
  3: 'CEF',
  4: 'PFW',
  5: 'LEF',
  6: 'LEFO',
  7: 'HIB',
  8: 'HIBO',
  9: 'SUSP',
  10: 'SUSPO',
  11: 'FPG',
  12: 'COM',
  13: 'COMO',
  14: 'CUR',
}

/** The wait states, each with its own wait queue. */
export const WAIT_STATES: readonly State[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]

/**
 * The software process control block: the fields the scheduler uses (book 10.1,
 * Figure 10-1), plus event flags (Figure 12-1).
 */
export class Pcb {
  readonly pid: number
  name: string
  /** PCB$B_PRIB: base priority, 0-15 normal, 16-31 real time (external values). */
  basePriority: number
  /** PCB$B_PRI: current priority. */
  priority: number
  /** PCB$B_AUTHPRI: the highest base priority allowed without ALTPRI. */
  authorizedPriority: number
  state: State = State.COM
  /** PCB$V_WAKEPEN: a $WAKE arrived while the process was not hibernating. */
  wakePending = false
  /**
   * The system event that last took the process out of a wait (SCH$RSE). After an AST
   * event, a process that waited in a system service must wait again once the AST is
   * done (book 10.4.1, "System Service Wait States"); after the event it waited for, it
   * goes on past the service (10.4.3 step 4).
   */
  madeComputableBy: SystemEvent | undefined
  /**
   * PCB$V_SUSPEN: a $SUSPND is pending. Set by $SUSPND, which queues the SUSPND kernel
   * AST; cleared by that AST when it finds a resume pending (book 12.2.2, "Suspend/
   * Resume"; Table 12-2).
   */
  suspendPending = false
  /** PCB$V_RESPEN: a $RESUME is pending. Set by $RESUME, cleared by the SUSPND AST (Table 12-2). */
  resumePending = false
  /**
   * What `madeComputableBy` was when the SUSPND AST put the process into SUSP: the
   * resumed AST gives it back, so that a process whose wait was broken by the AST waits
   * again, as after any AST.
   */
  madeComputableBeforeSuspension: SystemEvent | undefined
  /** Privileges held (ALTPRI, GROUP, WORLD, PRMCEB...). */
  readonly privileges: Set<string>
  /** PCB$L_UIC, group part: common event flag clusters and the GROUP privilege are per group. */
  group: number
  /** PCB$L_UIC, member part. Two processes with the same UIC may affect each other (12.2.2). */
  member: number
  /** PCB$L_OWNER: the creator of a subprocess; 0 for a detached process (book 20.2). */
  readonly owner: number
  /**
   * The job tree (PCB$L_JIB): the PID of the detached process at its root, shared by
   * every subprocess below it (book 20.2 step 3).
   */
  readonly job: number
  /** PHD$W_QUANT: clock ticks left in the quantum (counts down to 0). */
  quantum = 0
  /** Clock ticks of CPU time charged. */
  cpuTicks = 0
  /** PCB$L_EFCS and PCB$L_EFCU: local event flags 0-31 and 32-63. */
  localFlags = [0, 0]
  /** The event flag wait: cluster, mask, and whether all flags are needed ($WFLAND). */
  waitCluster = -1
  waitMask = 0
  waitAll = false
  /** The resource an MWAIT process waits for. */
  waitResource: string | undefined
  // Intrusive state queue links.
  next: Pcb | undefined
  previous: Pcb | undefined

  constructor(
    pid: number,
    name: string,
    basePriority: number,
    options: {
      privileges?: Iterable<string>
      group?: number
      member?: number
      authorizedPriority?: number
      owner?: Pcb
    } = {},
  ) {
    this.pid = pid
    this.name = name
    this.basePriority = basePriority
    this.priority = basePriority
    this.authorizedPriority = options.authorizedPriority ?? basePriority
    this.privileges = new Set(options.privileges ?? [])
    this.group = options.group ?? options.owner?.group ?? 1
    this.member = options.member ?? options.owner?.member ?? 1
    this.owner = options.owner?.pid ?? 0
    this.job = options.owner?.job ?? pid
  }

  /** Real-time processes (base priority 16-31) are never boosted or demoted. */
  get realTime(): boolean {
    return this.basePriority >= 16
  }

  get stateName(): string {
    return STATE_NAMES[this.state]
  }
}

/** A doubly linked queue of PCBs (a state queue or one priority's COM queue). */
export class StateQueue {
  head: Pcb | undefined
  tail: Pcb | undefined
  count = 0

  insertTail(pcb: Pcb): void {
    pcb.next = undefined
    pcb.previous = this.tail
    if (this.tail) this.tail.next = pcb
    else this.head = pcb
    this.tail = pcb
    this.count++
  }

  remove(pcb: Pcb): void {
    if (pcb.previous) pcb.previous.next = pcb.next
    else this.head = pcb.next
    if (pcb.next) pcb.next.previous = pcb.previous
    else this.tail = pcb.previous
    pcb.next = undefined
    pcb.previous = undefined
    this.count--
  }

  *[Symbol.iterator](): Generator<Pcb> {
    for (let p = this.head; p !== undefined; p = p.next) yield p
  }
}
