import type { Status } from '@vms/contracts'
import type { Driver } from './driver'

/** I/O function codes (IO$_...), the low 6 bits of the FUNC argument. */
export const IoFunction = {
  WRITEPBLK: 0x0b,
  READPBLK: 0x0c,
  WRITELBLK: 0x20,
  READLBLK: 0x21,
  WRITEVBLK: 0x30,
  READVBLK: 0x31,
} as const

/** The function code proper: FUNC without its modifiers (book 18.5). */
export function functionCode(func: number): number {
  return func & 0x3f
}

/** Access modes: 0 kernel ... 3 user. */
export type Mode = 0 | 1 | 2 | 3

/**
 * An I/O request packet (book 18.5 step 15, Figure 18-6): who asked, for what, and
 * where the outcome goes. Allocated from nonpaged pool when a pool is given.
 */
export interface Irp {
  readonly pid: number
  readonly mode: Mode
  readonly channel: number
  /** IRP$W_FUNC: the whole FUNC argument, modifiers included. */
  readonly func: number
  readonly efn: number
  readonly iosb: number
  readonly ast: { readonly routine: number; readonly parameter: number } | undefined
  /** P1 to P6. */
  readonly p: readonly number[]
  /** A buffered I/O request carries its data in a system buffer (IRP$V_BUFIO). */
  systemBuffer: Uint8Array | undefined
  /** The data a read returns, copied to the caller's buffer (P1) at postprocessing. */
  readData: Uint8Array | undefined
  /** Final status and byte count (IRP$L_IOST1), set by the driver or an FDT routine. */
  status: Status
  count: number
  /** The second longword of the IOSB (IRP$L_IOST2): device-dependent. */
  deviceStatus: number
  /** The IRP's address in nonpaged pool, or 0. */
  poolAddress: number
}

/** A unit control block (book 18.2, Figure 18-2): one device unit and its I/O queue. */
export interface Ucb {
  /** The device name, controller and unit included: OPA0, NLA0. */
  readonly name: string
  readonly driver: Driver
  /** UCB$V_BSY: the driver is working on `current`. */
  busy: boolean
  current: Irp | undefined
  /** UCB$L_IOQFL: requests waiting for the unit, in arrival order. */
  readonly queue: Irp[]
  /** UCB$L_OPCNT: operations completed. */
  operations: number
}

/** A channel control block (book 18.3, Figure 18-4). */
export interface Ccb {
  readonly ucb: Ucb
  /** CCB$B_AMOD: the access mode the channel was assigned from. */
  readonly mode: Mode
  /** CCB$W_IOC: requests outstanding on the channel. */
  outstanding: number
}
