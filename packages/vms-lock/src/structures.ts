import { type LockMode, VALUE_BLOCK_LENGTH } from './lck'
import { keyBytes } from './resource-name'

/**
 * LKB$B_STATE (and LKI$C_...): which RSB state queue the lock is on (book 13.1.3).
 */
export const LockState = { GRANTED: 1, CONVERT: 0, WAITING: -1 } as const
export type LockState = (typeof LockState)[keyof typeof LockState]

/**
 * Bytes of pool an LKB and an RSB take when the lock manager is given a DynamicMemory.
 * The book's Figures 13-1 and 13-3 are not reproduced in its text, so these are the
 * sums of the fields this implementation keeps (the ACB part of the LKB, the queue
 * links, modes, addresses; the RSB's links, listheads, value block and a 31-byte
 * name), rounded to the pool's 16-byte quantum.
 */
export const LKB_LENGTH = 96
export const RSB_LENGTH = 112

/** A process (or, standalone, any owner) that holds locks: the lock fields of its PCB and JIB. */
export class Owner {
  /** PCB$L_DLCKPRI: the lower value is chosen as the deadlock victim (13.3.3). */
  deadlockPriority: number
  /** Locks this owner has (PCB$L_LOCKQFL), in the order they were requested. */
  readonly locks = new Set<Lkb>()
  /** The subset that is waiting or converting, for the deadlock search (13.1.5). */
  readonly waiting = new Set<Lkb>()
  /** Deadlock search mark (the process bitmap of 13.3.2.2). */
  searchMark = 0
  /** Strongly connected component search state (see `cycles.ts`). */
  scc = 0
  sccIndex = 0
  sccLow = 0
  sccOnStack = false

  constructor(
    /** LKB$L_PID: the process ID (any number the caller chooses, standalone). */
    readonly pid: number,
    /** UIC group that qualifies resource names that are not systemwide. */
    readonly group: number,
    /** SYSLCK privilege: may lock systemwide names from an outer mode. */
    public syslck: boolean,
    /** JIB$W_ENQCNT and JIB$W_ENQLM, shared by the processes of a job. */
    readonly quota: EnqQuota,
    deadlockPriority: number,
  ) {
    this.deadlockPriority = deadlockPriority
  }
}

/** The ENQLM quota: `count` locks charged against `limit` (JIB$W_ENQCNT / ENQLM). */
export interface EnqQuota {
  limit: number
  count: number
}

/** A resource block (book 13.1.1). */
export class Rsb {
  /** RSB$L_GRQFL/BL, RSB$L_CVTQFL/BL, RSB$L_WTQFL/BL: the three state queues. */
  readonly grq = new StateQueue()
  readonly cvtq = new StateQueue()
  readonly wtq = new StateQueue()
  /** How many locks on the granted and conversion queues hold each granted mode. */
  readonly grantedCounts: number[] = [0, 0, 0, 0, 0, 0]
  /** RSB$Q_VALBLK: the resource's 16-byte value block (made when first used). */
  private block: Uint8Array | undefined = undefined
  /** RSB$L_VALSEQNUM: incremented on every write of the value block. */
  valseqnum = 0
  /** The value block was invalidated and not rewritten since (SS$_VALNOTVALID). */
  valblkInvalid = false
  /** RSB$W_REFCNT: subresources that have this RSB as parent. */
  refcnt = 0
  /** Subresources by name space key and name (the hash chains below this RSB), made when first used. */
  private subresources: Map<number, Map<string, Rsb>> | undefined = undefined

  constructor(
    /** Creation number: orders RSBs in snapshots as the hash table would by address. */
    readonly serial: number,
    /** RSB$T_RESNAM as a key string (one char per byte); RSB$B_RSNLEN is its length. */
    readonly key: string,
    /** RSB$W_GROUP (0 when systemwide). */
    readonly group: number,
    /** Systemwide name (LCK$M_SYSTEM). */
    readonly system: boolean,
    /** RSB$B_RMOD: the least privileged mode that may lock or interrogate it. */
    readonly rmod: number,
    /** RSB$L_PARENT. */
    readonly parent: Rsb | undefined,
    /** RSB$B_DEPTH: 0 for a root. */
    readonly depth: number,
    /** The pool address, when the lock manager has a DynamicMemory (0 otherwise). */
    readonly address: number,
    /** The name space key this RSB is filed under in its parent's (or the root) table. */
    readonly space: number,
  ) {}

  /** RSB$T_RESNAM. */
  get name(): Uint8Array {
    return keyBytes(this.key)
  }

  /** RSB$Q_VALBLK. */
  get valblk(): Uint8Array {
    this.block ??= new Uint8Array(VALUE_BLOCK_LENGTH)
    return this.block
  }

  /** The subresource table. */
  get children(): Map<number, Map<string, Rsb>> {
    this.subresources ??= new Map()
    return this.subresources
  }

  /** RSB$B_GGMODE: the most restrictive granted mode on the granted and conversion queues. */
  get ggmode(): number {
    const c = this.grantedCounts
    for (let m = 5; m > 0; m--) if ((c[m] as number) > 0) return m
    return 0
  }

  /**
   * RSB$B_CGMODE: the group grant mode leaving out the lock at the head of the conversion
   * queue when it is the only one at the most restrictive mode (13.2.2).
   */
  get cgmode(): number {
    const head = this.cvtq.head
    return head === undefined ? this.ggmode : this.modeExcluding(head.grmode)
  }

  /** The most restrictive granted mode once one lock granted at `mode` is left out. */
  modeExcluding(mode: number): number {
    const c = this.grantedCounts
    for (let m = 5; m > 0; m--) {
      const n = (c[m] as number) - (m === mode ? 1 : 0)
      if (n > 0) return m
    }
    return 0
  }

  /** A lock now holds `mode` (granted or converting). */
  addGranted(mode: number): void {
    this.grantedCounts[mode] = (this.grantedCounts[mode] as number) + 1
  }

  /** A lock no longer holds `mode`. */
  removeGranted(mode: number): void {
    this.grantedCounts[mode] = (this.grantedCounts[mode] as number) - 1
  }

  /** No locks on any queue. */
  get empty(): boolean {
    return this.grq.count === 0 && this.cvtq.count === 0 && this.wtq.count === 0
  }
}

/** A lock block (book 13.1.3); `request` is the caller's context (LKSB, ASTs, EFN). */
export class Lkb {
  /** LKB$L_SQFL / LKB$L_SQBL: links in the RSB state queue. */
  sqfl: Lkb | undefined = undefined
  sqbl: Lkb | undefined = undefined
  /** LKB$L_ASTQFL / BL reused as the lock timeout queue links (13.3.1). */
  tqfl: Lkb | undefined = undefined
  tqbl: Lkb | undefined = undefined
  /** On the lock timeout queue. */
  timing = false
  /** LKB$L_DUETIME: when a deadlock search starts from this lock (13.3.1). */
  duetime = 0
  /** LKB$B_STATE. */
  state: LockState = LockState.WAITING
  /** LKB$B_RQMODE / LKB$B_GRMODE (grmode is meaningless while WAITING). */
  rqmode: LockMode
  grmode: LockMode = 0
  /** LKB$W_FLAGS: the $ENQ flags of the current request. */
  flags: number
  /** LKB$W_REFCNT: sublocks that have this lock as parent. */
  refcnt = 0
  /** LKB$L_LKST1: the status for the lock status block. */
  status = 0
  /** The caller's value block: written to or read from the resource (LCK$M_VALBLK). */
  valblk: Uint8Array | undefined = undefined
  /** A blocking AST routine was given with the request (LKB$L_BLKASTADR nonzero). */
  wantsBlkast = false
  /** This request writes the value block (a conversion down from PW or EX), so it reads none. */
  writesValue = false
  /** A blocking AST was queued and the lock has not been converted since. */
  blkastQueued = false
  /** Granted within the $ENQ call with LCK$M_SYNCSTS: no completion to report. */
  syncGranted = false
  /** Deadlock search mark. */
  searchMark = 0
  /** Strongly connected component search state (see `cycles.ts`). */
  scc = 0
  sccIndex = 0
  sccLow = 0
  sccOnStack = false
  /** Order of arrival on the conversion or waiting queue (for snapshots). */
  queuedAt = 0

  constructor(
    /** LKB$L_LKID: index and sequence number (13.1.4). */
    readonly lkid: number,
    /** LKB$L_PID's owner. */
    readonly owner: Owner,
    /** LKB$L_RSB. */
    readonly rsb: Rsb,
    /** LKB$L_PARENT. */
    readonly parent: Lkb | undefined,
    /** LKB$B_RMOD: the mode of the $ENQ caller; ASTs are delivered in it. */
    readonly rmod: number,
    /** The pool address, when the lock manager has a DynamicMemory (0 otherwise). */
    readonly address: number,
    /** Quota was charged for this lock (not LCK$M_NOQUOTA). */
    readonly charged: boolean,
    rqmode: LockMode,
    flags: number,
    /** The caller's request context: its LKSB, AST addresses, ASTPRM, event flag. */
    public request: unknown,
  ) {
    this.rqmode = rqmode
    this.flags = flags
  }
}

/** A doubly linked RSB state queue through LKB$L_SQFL/SQBL (FIFO). */
export class StateQueue {
  head: Lkb | undefined = undefined
  tail: Lkb | undefined = undefined
  count = 0

  insertTail(lkb: Lkb): void {
    lkb.sqfl = undefined
    lkb.sqbl = this.tail
    if (this.tail === undefined) this.head = lkb
    else this.tail.sqfl = lkb
    this.tail = lkb
    this.count++
  }

  remove(lkb: Lkb): void {
    const next = lkb.sqfl
    const prev = lkb.sqbl
    if (prev === undefined) this.head = next
    else prev.sqfl = next
    if (next === undefined) this.tail = prev
    else next.sqbl = prev
    lkb.sqfl = undefined
    lkb.sqbl = undefined
    this.count--
  }

  /** The locks from head to tail. */
  *[Symbol.iterator](): IterableIterator<Lkb> {
    for (let l = this.head; l !== undefined; l = l.sqfl) yield l
  }
}
