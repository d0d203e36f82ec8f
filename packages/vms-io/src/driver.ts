import type { PriorityClass, Status } from '@vms/contracts'
import type { Irp, Mode, Ucb } from './structures'

/** What an FDT routine decided (book 18.5, "Device-Dependent Preprocessing"). */
export type FdtResult =
  /** EXE$QIODRVPKT: queue the IRP to the driver (start I/O now if the unit is idle). */
  | { readonly kind: 'queue' }
  /** EXE$FINISHIO: the request is complete already; I/O postprocessing runs. */
  | { readonly kind: 'finish'; readonly status: Status; readonly count: number }
  /** EXE$ABORTIO: the request is refused; $QIO returns `status`, nothing is posted. */
  | { readonly kind: 'abort'; readonly status: Status }

/** What FDT routines may do in the requester's context. */
export interface FdtContext {
  /** Reads the requester's memory with its access rights; a status when it may not. */
  readUser(va: number, length: number, mode: Mode): Uint8Array | Status
  /** May the requester write `length` bytes at `va`? */
  probeWrite(va: number, length: number, mode: Mode): boolean
}

/** What a driver may call at driver level (fork IPL). */
export interface DriverServices {
  /** IOC$REQCOM: the unit's current request is done; postprocessing follows, then the next request starts. */
  requestComplete(ucb: Ucb, status: Status, count: number): void
  /** After `delay` (100 ns units of virtual time), call `then` at fork level. */
  after(delay: number, then: () => void): void
}

/**
 * A device driver (book ch. 19): its function decision table, start I/O routine and
 * the boost its completions give.
 */
export interface Driver {
  /** The generic device name: NL, OP. */
  readonly name: string
  /** FDT: the legal functions, each with its preprocessing routine; others are SS$_ILLIOFUNC. */
  readonly fdt: ReadonlyMap<number, (irp: Irp, ucb: Ucb, context: FdtContext) => FdtResult>
  /** The priority increment class of a completion (Table 10-3: terminal output 3, others 1). */
  completionBoost(irp: Irp): PriorityClass
  /** Start I/O on an idle unit; the driver calls `requestComplete` when it is done. */
  startIo(irp: Irp, ucb: Ucb, services: DriverServices): void
}
