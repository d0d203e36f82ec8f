import type { Status } from './status'

/**
 * The contract between the executive packages that make processes computable (ASTs,
 * I/O completion, timers, locks) and the scheduler that does it: SCH$RSE.
 */

/**
 * Priority increment classes (book Table 10-3): the boost the scheduler adds to the base
 * priority of a normal process when an event makes it computable.
 */
export const PriorityClass = {
  /** PRI$_NULL: page fault read complete, quantum end, others: no boost. */
  NULL: 0,
  /** PRI$_IOCOM: direct and nonterminal buffered I/O completion, set priority: +2. */
  IOCOM: 1,
  /** PRI$_RESAVL: resource available, wake, resume, delete: +3. */
  RESAVL: 2,
  /** PRI$_TIMER: timer request expiration: +3 (the same class as RESAVL). */
  TIMER: 2,
  /** PRI$_TOCOM: terminal output completion: +4. */
  TOCOM: 3,
  /** PRI$_TICOM: terminal input completion, process creation: +6. */
  TICOM: 4,
} as const
export type PriorityClass = (typeof PriorityClass)[keyof typeof PriorityClass]

/** The boost of each class, indexed by class (the table B_PINC in module RSE). */
export const PRIORITY_BOOST: readonly number[] = [0, 2, 3, 4, 6]

/**
 * System events (EVT$_...). Each is significant only for some scheduling states; the
 * scheduler ignores it otherwise (book 10.4.3).
 */
export type SystemEvent =
  /** $WAKE: significant for HIB and HIBO. */
  | 'WAKE'
  /** $RESUME: significant for SUSP and SUSPO. */
  | 'RESUME'
  /** An AST was queued: significant for every wait state except SUSP and SUSPO. */
  | 'AST'
  /** An event flag a process waits for was set (the wait is satisfied): LEF, LEFO, CEF. */
  | 'EVENT_FLAG'
  /** A resource a process waits for is available: MWAIT. */
  | 'RESOURCE_AVAILABLE'
  /** Page read complete: PFW, COLPG; free page available: FPG. */
  | 'PAGE_FAULT_COMPLETE'
  | 'FREE_PAGE'
  /** Process deletion (a kernel AST): every wait state, SUSP included. */
  | 'DELETE'
  /**
   * $SETPRI changed the base priority (EVT$_SETPRI, book 12.3): a computable process
   * moves to the queue of its new priority.
   */
  | 'SET_PRIORITY'

/** What executive packages need from the scheduler. */
export interface ProcessEvents {
  /**
   * SCH$RSE: reports `event` for process `pid`; if significant for its state, the process
   * becomes computable with the boost of `priorityClass`, and preemption is requested
   * when it outranks the current process. SS$_NONEXPR if there is no such process.
   */
  reportSystemEvent(pid: number, event: SystemEvent, priorityClass: PriorityClass): Status
}
