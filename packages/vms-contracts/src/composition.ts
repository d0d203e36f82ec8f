import type { DynamicMemory } from './dynamic-memory'
import type { PriorityClass } from './scheduling'
import type { Status } from './status'

/**
 * How a subsystem contributes to a running system (the lock manager, the I/O system,
 * a driver written elsewhere): its system services and its console commands, each an
 * adapter over the package's own API. The assembled system dispatches CHMK to the
 * services of the subsystems it was built with; a service left out answers
 * SS$_ILLSER (book 9.3).
 */

/** Thrown by GuestAccess when the caller may not access an address: the service's status. */
export class ServiceFault {
  constructor(readonly status: Status) {}
}

/**
 * The calling process's memory, with the PROBE rules of the caller's access mode
 * (book 9.4): an address the mode may not read (write) throws ServiceFault(SS$_ACCVIO)
 * before anything is transferred.
 */
export interface GuestAccess {
  read(va: number, length: number): Uint8Array
  write(va: number, data: Uint8Array): void
  read32(va: number): number
  write32(va: number, value: number): void
  /** Checks that all `length` bytes may be written, writing nothing (PROBEW). */
  probeWrite(va: number, length: number): void
  /** A string descriptor's text (at most 255 characters). */
  descriptor(address: number): string
}

/** One call of a system service, after the dispatcher checked the argument count. */
export interface ServiceRequest {
  /** The calling process. */
  readonly pid: number
  /** The access mode the CHMK came from (0 kernel .. 3 user). */
  readonly mode: number
  /** The i-th longword of the argument list (0-based), signed. */
  arg(i: number): number
  /** How many arguments the caller's list holds (its first longword). */
  readonly count: number
  /** The caller's memory, probed for `mode`. */
  readonly guest: GuestAccess
}

/** A system service: its name (SYS$name), its argument count, and what it does. */
export interface SystemService {
  readonly name: string
  /** The least argument count of its argument list (fewer: SS$_INSFARG). */
  readonly args: number
  call(request: ServiceRequest): Status
}

/** A console command a subsystem adds (`SHOW LOCKS` is verb SHOW, keyword LOCKS). */
export interface ConsoleCommand {
  /** The verb, and for SHOW the keyword: 'SHOW LOCKS'. */
  readonly name: string
  /** One line for HELP. */
  readonly help: string
  /**
   * The qualifiers it takes (the command interpreter refuses others with CLI$_IVQUAL):
   * each name, whether it takes a value (default none), whether the value is a file
   * specification (its case kept) or a list, and a line for HELP. Absent: none.
   */
  readonly qualifiers?: readonly {
    readonly name: string
    /** Whether it takes a value: 'none' (the default), 'optional' or 'required'. */
    readonly value?: 'none' | 'optional' | 'required'
    /** What the value is: a decimal number, a file specification (case kept), or text. */
    readonly type?: 'number' | 'file' | 'string'
    /** A list of values may be given. */
    readonly list?: boolean
    readonly help?: string
  }[]
  /**
   * Its positional parameters in order (the interpreter refuses a missing required one
   * with CLI$_INSFPRM and an extra one with CLI$_MAXPARM). Absent: up to eight words.
   */
  readonly parameters?: readonly {
    /** What it is, as a prompt would name it: 'Device'. */
    readonly label: string
    readonly required?: boolean
    /** A file specification: its case is kept. */
    readonly type?: 'file' | 'string'
  }[]
  /** Runs it with the words after the name; writes with `say`; returns a status. */
  run(args: readonly string[], say: (line: string) => void): Status
}

/** What the executive offers a subsystem (the kernel's side of the contract). */
export interface Kernel {
  /** Nonpaged pool, for the subsystem's structures (ARCHITECTURE rule 6). */
  readonly memory: DynamicMemory
  /** Virtual time in 100 ns units. */
  now(): number
  /** Queues an AST to a process (book 7.4), with the priority boost of its event. */
  queueAst(
    pid: number,
    mode: number,
    routine: number,
    parameter: number,
    boost?: PriorityClass,
  ): Status
  /** Sets an event flag of a process (book 12.1), waking it if the flag ends its wait. */
  setEventFlag(pid: number, efn: number, boost?: PriorityClass): Status
  /** Clears an event flag; SS$_ILLEFC or SS$_UNASEFC for a bad one. */
  clearEventFlag(pid: number, efn: number): Status
  /** Writes into a process's memory through its own page tables (completion of a request). */
  writeProcess(pid: number, va: number, data: Uint8Array): void
  /** Calls `then` when a process is deleted, before its PCB goes (rundown, book 22.2). */
  onProcessDeleted(then: (pid: number) => void): void
  /** Calls `then` at each clock tick (10 ms of virtual time). */
  onTick(then: (now: number) => void): void
  /** What a process is, for privilege and group checks; undefined if none. */
  process(pid: number): ProcessIdentity | undefined
}

/** The identity of a process as services check it. */
export interface ProcessIdentity {
  readonly pid: number
  readonly name: string
  /** UIC group. */
  readonly group: number
  /** The job: the PID of the process at the root of its creation tree (book 28.2). */
  readonly job: number
  readonly privileges: ReadonlySet<string>
}

/** A subsystem: what it contributes, made once the kernel exists. */
export interface Subsystem {
  readonly name: string
  readonly services?: readonly SystemService[]
  readonly commands?: readonly ConsoleCommand[]
}

/** A subsystem as a build lists it: made when the system boots. */
export type SubsystemFactory = (kernel: Kernel) => Subsystem

/**
 * The system service vector (book 9.2): the fixed code of every service any build may
 * have, so that an image linked on one build calls the same vector on another. A build
 * that leaves a subsystem out still has its vectors; calling one answers SS$_ILLSER.
 * Append only: a code never changes.
 */
export const SERVICE_VECTOR = [
  { name: 'EXIT', args: 1 },
  { name: 'HIBER', args: 0 },
  { name: 'WAKE', args: 2 },
  { name: 'SETEF', args: 1 },
  { name: 'CLREF', args: 1 },
  { name: 'READEF', args: 2 },
  { name: 'WAITFR', args: 1 },
  { name: 'SETIMR', args: 4 },
  { name: 'CANTIM', args: 2 },
  { name: 'ASSIGN', args: 4 },
  { name: 'DASSGN', args: 1 },
  { name: 'QIOW', args: 12 },
  { name: 'SETPRI', args: 4 },
  { name: 'DCLAST', args: 3 },
  { name: 'SETAST', args: 1 },
  { name: 'CREPRC', args: 12 },
  /** $CLRAST, the AST exit path (book 7.5.3): CHMK from EXE$ASTRET, no argument list. */
  { name: 'ASTEXIT', args: 0 },
  /** A condition handler returned (book 4.6): continue, or search the next frame. */
  { name: 'CONDRET', args: 0 },
  /** A CHME, CHMS or CHMU with no handler for it arrived in the vector page (book 9.5). */
  { name: 'CMODTRAP', args: 0 },
  /** The lock manager (book 13). */
  { name: 'ENQ', args: 11 },
  /** $ENQ, then $WAITFR on its event flag, in the vector page (`waits`). */
  { name: 'ENQW', args: 11, waits: 'ENQ' },
  { name: 'DEQ', args: 4 },
  { name: 'GETLKI', args: 7 },
  { name: 'GETLKIW', args: 7, waits: 'GETLKI' },
  /** The I/O system (book ch. 18). */
  { name: 'QIO', args: 12 },
  { name: 'CREMBX', args: 7 },
  { name: 'DELMBX', args: 1 },
  { name: 'ALLOC', args: 5 },
  { name: 'DALLOC', args: 2 },
  { name: 'GETDVI', args: 8 },
  { name: 'GETDVIW', args: 8, waits: 'GETDVI' },
  { name: 'CANCEL', args: 1 },
  /** Time (System Services Reference Manual, $GETTIM ... $NUMTIM). */
  { name: 'GETTIM', args: 1 },
  { name: 'ASCTIM', args: 4 },
  { name: 'BINTIM', args: 2 },
  { name: 'NUMTIM', args: 2 },
  /** Formatted ASCII output: $FAO takes up to 17 directive parameters after its 3 (`upTo`). */
  { name: 'FAO', args: 3, upTo: 20 },
  { name: 'FAOL', args: 4 },
  /** Messages (book 4.8): the text of a status, and a signal's messages written out. */
  { name: 'GETMSG', args: 5 },
  { name: 'PUTMSG', args: 4 },
  /** Process information (book 11.5) and system information. */
  { name: 'GETJPI', args: 7 },
  { name: 'GETJPIW', args: 7, waits: 'GETJPI' },
  { name: 'GETSYI', args: 7 },
  { name: 'GETSYIW', args: 7, waits: 'GETSYI' },
  /** Unwinding the call stack (book 4.7). */
  { name: 'UNWIND', args: 2 },
  /** Exit handlers (book 21.4). */
  { name: 'DCLEXH', args: 1 },
  { name: 'CANEXH', args: 1 },
  /** Process control (book 10.6, 11.4, 22.2). */
  { name: 'DELPRC', args: 2 },
  { name: 'SUSPND', args: 3 },
  { name: 'RESUME', args: 2 },
  { name: 'SCHDWK', args: 4 },
  { name: 'CANWAK', args: 2 },
  /** Event flags (book 12.1): waiting for any or all of a cluster, common clusters. */
  { name: 'WFLOR', args: 2 },
  { name: 'WFLAND', args: 2 },
  { name: 'ASCEFC', args: 4 },
  { name: 'DACEFC', args: 1 },
  { name: 'DLCEFC', args: 1 },
  /** Changing mode to call a routine (book 9.4), with CMKRNL and CMEXEC privilege. */
  { name: 'CMKRNL', args: 2 },
  { name: 'CMEXEC', args: 2 },
  /** Logical names (book ch. 28). */
  { name: 'CRELNM', args: 5 },
  { name: 'TRNLNM', args: 5 },
  { name: 'DELLNM', args: 3 },
  /**
   * A software condition (book 4.4): LIB$SIGNAL and LIB$STOP of the run-time library
   * CHMK here from their own call frame, with their argument list (condition value and
   * its FAO arguments) at AP; `STOP` does not let a handler continue.
   */
  { name: 'SIGNAL', args: 0 },
  { name: 'STOP', args: 0 },
] as const satisfies readonly { name: string; args: number; waits?: string; upTo?: number }[]

export type ServiceName = (typeof SERVICE_VECTOR)[number]['name']
