import type { Status } from '@vms/contracts'
import type { BlockDeviceLike } from './block-device'
import type { Driver, FdtRoutine } from './driver'

export { functionCode, IoFunction } from './constants'

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
  /** IRP$L_UCB: the unit the request is for. */
  readonly ucb: Ucb
  /** IRP$V_BUFIO: a buffered request (the FDT's buffered mask); otherwise direct. */
  readonly buffered: boolean
  /** A buffered request's data in its system buffer (a write's, copied by the FDT routine). */
  systemBuffer: Uint8Array | undefined
  /** The system buffer's address in pool, or 0. */
  bufferAddress: number
  /** JIB$L_BYTCNT charged for the system buffer, given back at postprocessing (IRP$W_BOFF). */
  byteCharge: number
  /** The data a buffered read returns, copied to the caller's buffer (P1) at postprocessing. */
  readData: Uint8Array | undefined
  /** IRP$L_MEDIA: a disk transfer's starting logical block, set by the FDT routine. */
  media: number
  /** A direct write's data, taken from the caller's (locked) buffer by the FDT routine. */
  directData: Uint8Array | undefined
  /** IRP$V_VIRTUAL: a request $CANCEL leaves alone (book 18.8 step 3). */
  virtual: boolean
  /** Final status and byte count (IRP$L_IOST1), set by the driver or an FDT routine. */
  status: Status
  count: number
  /** The second longword of the IOSB (IRP$L_IOST2): device-dependent. */
  deviceStatus: number
  /** The IRP's address in nonpaged pool, or 0. */
  poolAddress: number
  /** IO$_READPROMPT: the prompt the terminal writes before it reads. */
  prompt?: Uint8Array
}

/** Figure 18-1: the function decision table, its two masks and its routines (book 18.2.1). */
export interface Fdt {
  /** The legal functions: bit n for function code n (an intercept may add some). */
  legal: bigint
  /** The buffered functions; the other legal ones are direct I/O. */
  readonly buffered: bigint
  /**
   * The FDT routine of each legal function: the driver's own, or an intercept's that
   * `IoSystem.stealFdt` put in its place (a copy of the driver's table, so that one
   * driver image loaded twice is not changed).
   */
  readonly routines: Map<number, FdtRoutine>
}

/** The driver dispatch table (book 18.2.1): the driver's entry points. */
export interface Ddt {
  readonly startIo: Driver['startIo']
  /** DDT$L_CANCEL: called by $CANCEL, $DASSGN and last channel processing (book 18.8). */
  readonly cancel: Driver['cancel']
}

/** The driver prolog table (book 18.2.1): a loaded driver's identity and defaults. */
export interface Dpt {
  /** The driver's name, as SYSGEN LOAD knows it: VDDRIVER. */
  readonly name: string
  /** The generic device name of its units: VD. */
  readonly generic: string
  readonly driver: Driver
  readonly ddt: Ddt
  readonly fdt: Fdt
  /** The allocation class its DDBs get (set at load time; 0 for none). */
  readonly allocationClass: number
  /** DEV$M_CLU set in each unit's DEVCHAR2 at load time. */
  readonly cluster: boolean
  /** DPT$B_REFC: DDBs that refer to the driver. */
  refc: number
  readonly poolAddress: number
}

/** A channel request block (book 18.2.1): one controller's state. */
export interface Crb {
  readonly idb: Idb
  readonly poolAddress: number
}

/** An interrupt dispatch block (book 18.2.1): the controller's units and the one it serves. */
export interface Idb {
  readonly units: Ucb[]
  /** IDB$L_OWNER: the unit the controller is serving. */
  owner: Ucb | undefined
  readonly poolAddress: number
}

/** A device data block (book 18.2.1): the devices of one type on one controller. */
export interface Ddb {
  /** DDB$T_NAME: generic name and controller letter, VDA. */
  readonly name: string
  readonly dpt: Dpt
  /** DDB$L_ALLOCLS: the allocation class ($193$VDA0:), 0 for none. */
  readonly allocationClass: number
  /** DDB$L_UCB: its units, in unit order. */
  readonly ucbs: Ucb[]
  readonly crb: Crb
  readonly poolAddress: number
}

/** A mailbox's state in its UCB (book 19.5.4). */
export interface MailboxUnit {
  /** UCB$L_MB_MSGQ: the messages waiting. */
  readonly messages: MailboxMessage[]
  /** UCB$W_BUFQUO: bytes of messages it may still hold. */
  bufquo: number
  /** UCB$W_INIQUO: the buffer quota it was created with. */
  readonly iniquo: number
  /** UCB$L_MB_R_AST and UCB$L_MB_W_AST: read and write attention AST requests. */
  readonly readAttention: AttentionAst[]
  readonly writeAttention: AttentionAst[]
  /** UCB$V_PRMMBX. */
  readonly permanent: boolean
  /** The logical name $CREMBX created (UCB$L_LOGADR). */
  readonly logicalName: string | undefined
}

/** A message written to a mailbox (book Figure 19-6), in pool. */
export interface MailboxMessage {
  readonly data: Uint8Array
  /** An end-of-file message (IO$_WRITEOF). */
  readonly endOfFile: boolean
  readonly writerPid: number
  /** The write request, completed when the message is read (without IO$M_NOW). */
  writer: Irp | undefined
  readonly poolAddress: number
}

/** An attention AST request (COM$SETATTNAST): an ACB queued to the UCB. */
export interface AttentionAst {
  readonly pid: number
  readonly channel: number
  readonly mode: Mode
  readonly routine: number
  readonly parameter: number
  readonly poolAddress: number
}

/** A unit control block (book 18.2.1, Figure 18-2): one device unit and its I/O queue. */
export interface Ucb {
  /** The device name, controller and unit included: OPA0, NLA0, VDA0. */
  readonly name: string
  readonly driver: Driver
  readonly ddb: Ddb
  /** UCB$W_UNIT. */
  readonly unit: number
  /** UCB$V_BSY: the driver is working on `current`. */
  busy: boolean
  current: Irp | undefined
  /** UCB$L_IOQFL: requests waiting for the unit, in arrival order. */
  readonly queue: Irp[]
  /** UCB$L_OPCNT: operations completed. */
  operations: number
  /** UCB$W_ERRCNT: device errors. */
  errors: number
  /** UCB$L_DEVCHAR and UCB$L_DEVCHAR2 (DEV$M_...). */
  devchar: number
  devchar2: number
  /** UCB$B_DEVCLASS, UCB$B_DEVTYPE, UCB$W_DEVBUFSIZ. */
  readonly devclass: number
  readonly devtype: number
  devbufsiz: number
  /** UCB$W_REFC: channels assigned, plus one for an explicit allocation. */
  refc: number
  /** UCB$L_PID: the owner (0 when not allocated). */
  pid: number
  /** UCB$B_AMOD: the access mode of an explicit allocation. */
  amod: Mode
  /** UCB$V_ONLINE. */
  online: boolean
  /** UCB$V_TEMPLATE: assigning a channel clones it (book 18.4.2). */
  readonly template: boolean
  /** UCB$V_DELETEUCB (or, for mailboxes, UCB$V_DELMBX): delete on last deassign. */
  deleteOnLastChannel: boolean
  /** UCB$W_CHARGE: BYTLM charged to `chargedPid` for a cloned UCB, credited when it is deleted. */
  charge: number
  chargedPid: number
  /** UCB$L_MAXBLOCK: a disk's size in blocks (0 for other devices). */
  maxblock: number
  /** A disk unit's storage. */
  storage: BlockDeviceLike | undefined
  /** A mailbox unit's messages and quotas. */
  mailbox: MailboxUnit | undefined
  readonly poolAddress: number
}

/** A channel control block (book 18.4.1, Figure 18-2). */
export interface Ccb {
  readonly ucb: Ucb
  /** CCB$B_AMOD: the access mode the channel was assigned from. */
  readonly mode: Mode
  /** CCB$W_IOC: requests outstanding on the channel. */
  outstanding: number
}
