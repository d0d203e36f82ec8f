import type { PriorityClass, Status } from '@vms/contracts'
import type { Irp, Mode, Ucb } from './structures'

/** What an FDT routine decided (book 18.5.2, 18.5.3). */
export type FdtResult =
  /** EXE$QIODRVPKT: queue the IRP to the driver (start I/O now if the unit is idle). */
  | { readonly kind: 'queue' }
  /** EXE$FINISHIO: the request is complete already; I/O postprocessing runs. */
  | {
      readonly kind: 'finish'
      readonly status: Status
      readonly count: number
      /** The IOSB's second longword (EXE$FINISHIO's R1; EXE$FINISHIOC clears it). */
      readonly deviceStatus?: number
    }
  /** EXE$ABORTIO: the request is refused; $QIO returns `status`, nothing is posted. */
  | { readonly kind: 'abort'; readonly status: Status }
  /**
   * EXE$QIORETURN: $QIO returns success and the driver keeps the IRP (a mailbox write
   * waiting for its reader, book 19.5.4); the driver posts it later.
   */
  | { readonly kind: 'return' }
  /**
   * An intercept (an ACP routine installed ahead of the driver's own FDT entry with
   * `IoSystem.stealFdt`, the seed note "How to Add your Own ACPs ahead of the DEC ones")
   * keeps the IRP: $QIO returns SS$_NORMAL, the intermediate status EXE$QIODRVPKT would
   * have given, and the request goes on later through `FdtIntercept.continueWith` or
   * ends through `FdtIntercept.complete`.
   */
  | { readonly kind: 'hold' }

/** What FDT routines may do in the requester's context. */
export interface FdtContext {
  /** Reads the requester's memory with its access rights; a status when it may not. */
  readUser(va: number, length: number, mode: Mode): Uint8Array | Status
  /** May the requester write `length` bytes at `va`? */
  probeWrite(va: number, length: number, mode: Mode): boolean
}

/** What a driver may call at driver level (fork IPL). */
export interface DriverServices {
  /**
   * IOC$REQCOM (book 18.6): the unit's current request is done with `status` and
   * `count` (and the IOSB's second longword); postprocessing follows, then the next
   * request starts.
   */
  requestComplete(ucb: Ucb, status: Status, count: number, deviceStatus?: number): void
  /** COM$POST: an IRP that is not the unit's current one goes to postprocessing. */
  post(irp: Irp, status: Status, count: number, deviceStatus?: number): void
  /** After `delay` (100 ns units of virtual time), call `then` at fork level. */
  after(delay: number, then: () => void): void
  /** Queues an AST (an attention AST, COM$DELATTNAST). */
  queueAst(pid: number, mode: Mode, routine: number, parameter: number): void
  /** Nonpaged pool: `bytes` for a structure of DYN$C_ `type`; SS$_INSFMEM when there is none. */
  allocate(bytes: number, type: number): { status: Status; address: number }
  deallocate(address: number): void
  /** Writes into a process's memory from system context (a direct I/O transfer). */
  writeProcess(pid: number, address: number, data: Uint8Array): void
}

/** What the I/O system offers FDT routines besides the requester's memory. */
export interface FdtServices extends DriverServices {
  /**
   * A system buffer of `bytes` for a buffered request (book 18.5.2): the process's
   * byte count quota is checked and charged (SS$_EXQUOTA) and the buffer is taken from
   * pool (SS$_INSFMEM); both come back at postprocessing. Nothing changes on failure.
   */
  systemBuffer(irp: Irp, bytes: number): Status
}

/** An FDT routine: device-dependent preprocessing in the requester's context. */
export type FdtRoutine = (
  irp: Irp,
  ucb: Ucb,
  context: FdtContext,
  services: FdtServices,
) => FdtResult

/** Why a driver's cancel routine is called (CAN$C_...). */
export type CancelReason = 'CANCEL' | 'DASSGN'

/** What the driver prolog table says of the driver's units (book 18.2.1). */
export interface DriverProlog {
  /** The driver's name for SYSGEN LOAD; `${name}DRIVER` when absent. */
  readonly driverName?: string
  /** DEVCHAR and DEVCHAR2 of a new unit. */
  readonly devchar: number
  readonly devchar2?: number
  readonly devclass: number
  readonly devtype?: number
  readonly devbufsiz?: number
}

/**
 * A device driver (book ch. 19): its function decision table, start I/O routine and
 * the boost its completions give, and optionally its prolog, buffered functions and
 * cancel routine.
 */
export interface Driver {
  /** The generic device name: NL, OP, MB, VD. */
  readonly name: string
  /** FDT: the legal functions, each with its preprocessing routine; others are SS$_ILLIOFUNC. */
  readonly fdt: ReadonlyMap<number, FdtRoutine>
  /**
   * The FDT's buffered-function mask: these functions are buffered I/O, the rest
   * direct I/O. When absent every legal function is buffered.
   */
  readonly buffered?: readonly number[]
  /** DPT defaults for new units; a miscellaneous, shareable-nothing device when absent. */
  readonly prolog?: DriverProlog
  /** The priority increment class of a completion (Table 10-3: terminal output 3, others 1). */
  completionBoost(irp: Irp): PriorityClass
  /** Start I/O on an idle unit; the driver calls `requestComplete` when it is done. */
  startIo(irp: Irp, ucb: Ucb, services: DriverServices): void
  /**
   * The cancel I/O routine (book 18.8 step 4): the request in progress for `pid` on
   * `channel` may be ended (SS$_ABORT) and the channel's attention ASTs flushed.
   */
  cancel?(
    ucb: Ucb,
    pid: number,
    channel: number,
    reason: CancelReason,
    services: DriverServices,
  ): void
}
