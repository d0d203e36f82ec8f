/**
 * The picture of a running system that the web view draws: one plain, JSON-serialisable
 * snapshot per moment, its parts named after the data structures of _VAX/VMS Internals
 * and Data Structures_ (V4.4). Each section names the book section that describes it
 * ({@link BOOK_SECTIONS}).
 */

/** Scheduling states, PCB$W_STATE as its SCH$C_ mnemonic (book 10.3, Table 10-1). */
export type SchedulingState =
  | 'CUR'
  | 'COM'
  | 'COMO'
  | 'LEF'
  | 'LEFO'
  | 'HIB'
  | 'HIBO'
  | 'SUSP'
  | 'SUSPO'
  | 'CEF'
  | 'MWAIT'
  | 'PFW'
  | 'FPG'
  | 'COLPG'

/**
 * Every scheduling state, in the order the page lists them: the current process, the
 * computable queues (resident, then outswapped), then the wait queues (book 10.3).
 */
export const SCHEDULING_STATES: readonly SchedulingState[] = [
  'CUR',
  'COM',
  'COMO',
  'LEF',
  'LEFO',
  'CEF',
  'HIB',
  'HIBO',
  'SUSP',
  'SUSPO',
  'PFW',
  'FPG',
  'COLPG',
  'MWAIT',
]

/** Processor access modes, as ACB$B_RMOD holds them (book 7.2.2). */
export type AccessMode = 'kernel' | 'executive' | 'supervisor' | 'user'

/**
 * One AST control block on a process's AST queue (book 7.2.2, Figure 7-1): the mode the
 * AST is delivered in, the AST routine (ACB$L_AST), its argument (ACB$L_ASTPRM) and
 * whether it is an ordinary AST or a special kernel AST (ACB$V_KAST).
 */
export interface AcbView {
  readonly mode: AccessMode
  readonly routine: number
  readonly parameter: number
  readonly kind: 'normal' | 'special kernel'
  /** What queued it, for the reader: `'$QIO'`, `'$SETIMR'`, `'$ENQ'`, `'$DCLAST'`... */
  readonly origin?: string
}

/**
 * A process as its software PCB describes it (book 10.1, Figure 10-1): PCB$L_PID,
 * PCB$T_LNAME, PCB$W_STATE, the current priority PCB$B_PRI and the base priority
 * PCB$B_PRIB, and the AST queue whose listhead is PCB$L_ASTQFL (book 7.2.1). Priorities
 * are the VMS values 0-31 (31 highest); a current priority above the base is a boost
 * that decays by one at each quantum end (book 10.4).
 */
export interface ProcessView {
  readonly pid: number
  readonly name: string
  readonly state: SchedulingState
  readonly priority: number
  readonly basePriority: number
  /** The AST queue, head first. */
  readonly asts: readonly AcbView[]
  /** What a waiting process waits for, when known: `'EFN 3'`, `'RWAST'`... */
  readonly waitingFor?: string
}

/** Where an I/O request packet is (book 18.5-18.7). */
export type IrpState =
  /** On the unit's pending I/O queue, UCB$L_IOQFL (book 18.5). */
  | 'queued'
  /** The unit's current request, UCB$L_IRP, with UCB$V_BSY set (book 18.5). */
  | 'active'
  /** Completed by the driver, on the I/O postprocessing queue IOC$GL_PSFL (book 18.7). */
  | 'postprocessing'

/**
 * An I/O request packet in flight (book 18.5, Figure E-11): its pool address, the
 * function code IRP$W_FUNC by name (`IO$_READVBLK`), the requesting process IRP$L_PID and
 * where it is.
 */
export interface IrpView {
  readonly address: number
  readonly function: string
  readonly pid: number
  readonly state: IrpState
  /** IRP$L_BCNT, the byte count, when the request transfers data. */
  readonly bytes?: number
}

/**
 * A unit control block (book 18.2.1, Figure E-17): the status bits of UCB$W_STS by their UCB$V_ names
 * (`ONLINE`, `BSY`, `VALID`...), the operation count UCB$L_OPCNT, the error count
 * UCB$W_ERRCNT, the reference count UCB$W_REFC and the owner UCB$L_PID (0 for none).
 */
export interface UcbView {
  readonly status: readonly string[]
  readonly operations: number
  readonly errors: number
  readonly references: number
  readonly owner: number
}

/** A device unit by its name (`VDA0:`), its UCB and the IRPs on it (book 18.2). */
export interface DeviceView {
  readonly name: string
  readonly ucb: UcbView
  readonly irps: readonly IrpView[]
}

/** Lock modes, the LCK$K_ names without prefix and suffix (book 13). */
export type LockMode = 'NL' | 'CR' | 'CW' | 'PR' | 'PW' | 'EX'

/**
 * A lock block (book 13.1, Figure 13-3): the lock ID, the owning process, the granted mode
 * LKB$B_GRMODE and, on the conversion and waiting queues, the requested mode LKB$B_RQMODE.
 */
export interface LockView {
  readonly id: number
  readonly pid: number
  readonly mode: LockMode
  readonly requested?: LockMode
}

/**
 * A resource block (book 13.1, Figure 13-2): the resource name, the three queues of lock
 * blocks that hang from it, and its sub-resources (the resource tree, RSB$L_PARENT).
 */
export interface ResourceView {
  readonly name: string
  readonly granted: readonly LockView[]
  readonly conversion: readonly LockView[]
  readonly waiting: readonly LockView[]
  readonly children: readonly ResourceView[]
}

/**
 * A block of nonpaged pool in use (book 3.1.4, Figure 3-5): its address, its size (the
 * word at offset 8) and its type (the byte at offset 10) by its DYN$C_ name (`IRP`,
 * `UCB`, `ACB`, `LKB`, `RSB`...).
 */
export interface PoolBlockView {
  readonly address: number
  readonly size: number
  readonly type: string
}

/** An unused block on the variable-length free list (book 3.1.2, Figure 3-1). */
export interface FreeBlockView {
  readonly address: number
  readonly size: number
}

/**
 * A lookaside list (book 3.2.1, Figure 3-6, Table 3-3): `SRP`, `IRP` or `LRP`, its packet
 * size, how many packets are on the list now and how many it holds in all.
 */
export interface LookasideView {
  readonly name: string
  readonly packetSize: number
  readonly free: number
  readonly total: number
}

/**
 * Nonpaged pool (book 3.2): the variable-length region from `base` for `size` bytes, the
 * blocks in use and the unused blocks in it, and the lookaside lists.
 */
export interface PoolView {
  readonly base: number
  readonly size: number
  readonly blocks: readonly PoolBlockView[]
  readonly free: readonly FreeBlockView[]
  readonly lookaside: readonly LookasideView[]
}

/** A DG/UX VDM mirror (vdmmirr(7)) and the state of each of its images. */
export interface MirrorView {
  readonly name: string
  readonly members: readonly { readonly name: string; readonly state: string }[]
  /** A sync in progress: how far it has got, 0-1. */
  readonly syncProgress?: number
}

/**
 * An AIX serial DASD and its fence register (the Fence command): bit `n`, counted from
 * the left of the 16-bit register, set means host connector `n` is fenced out.
 */
export interface FenceView {
  readonly device: string
  readonly register: number
  /** This host's connector position (0-7). */
  readonly host: number
}

/** The whole picture at one moment. */
export interface SystemView {
  /** System time since boot, in milliseconds (EXE$GQ_SYSTIME, book 11.1). */
  readonly time: number
  /** Instructions executed since boot. */
  readonly instructions: number
  readonly processes: readonly ProcessView[]
  readonly devices: readonly DeviceView[]
  readonly locks: readonly ResourceView[]
  readonly pool: PoolView
  /** Present only when the system has mirror devices. */
  readonly mirrors?: readonly MirrorView[]
  /** Present only when the system has serial DASD with fencing. */
  readonly fences?: readonly FenceView[]
}

/** The parts of a {@link SystemView} that the server sends and diffs one by one. */
export const VIEW_SECTIONS = [
  'processes',
  'devices',
  'locks',
  'pool',
  'mirrors',
  'fences',
] as const satisfies readonly (keyof SystemView)[]

export type ViewSection = (typeof VIEW_SECTIONS)[number]

/** A system with nothing in it: the page's picture before the first snapshot arrives. */
export function emptyView(): SystemView {
  return {
    time: 0,
    instructions: 0,
    processes: [],
    devices: [],
    locks: [],
    pool: { base: 0, size: 0, blocks: [], free: [], lookaside: [] },
  }
}
