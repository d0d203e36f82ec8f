import { DYN, type DynamicMemory, SS, type Status } from '@vms/contracts'
import { locksOnCycles } from './cycles'
import { type DeadlockFound, searchDeadlock, TimeoutQueue } from './deadlock'
import { type GetlkiRequest, type GetlkiResult, getLockInformation } from './getlki'
import {
  AccessMode,
  compatible,
  DEQ_FLAGS,
  ENQ_FLAGS,
  isLockMode,
  LCK,
  type LockMode,
  VALUE_BLOCK_LENGTH,
} from './lck'
import { LockIdTable } from './lock-id-table'
import { resourceKey } from './resource-name'
import { type LockDatabaseSnapshot, snapshotLockDatabase } from './snapshot'
import { type EnqQuota, LKB_LENGTH, Lkb, LockState, Owner, RSB_LENGTH, Rsb } from './structures'

/** A request that completed (LCK$GRANT_LOCK, a $DEQ of a waiting lock, a deadlock victim). */
export interface Completion<R> {
  readonly pid: number
  readonly lockId: number
  /** The caller's context given with the $ENQ: its LKSB, event flag, AST address and ASTPRM. */
  readonly request: R
  /** For the lock status block: SS$_NORMAL, SS$_VALNOTVALID, SS$_ABORT or SS$_DEADLOCK. */
  readonly status: Status
  /** True when the lock is granted (at `mode`); false when the request failed. */
  readonly granted: boolean
  /** The granted mode now (the old mode when a conversion failed). */
  readonly mode: LockMode
  /** The value block to copy into the status block (LCK$M_VALBLK requests that read it). */
  readonly valueBlock: Uint8Array | undefined
  /** The access mode of the $ENQ caller (LKB$B_RMOD): the mode of the completion AST. */
  readonly accessMode: number
}

/** A granted lock blocks another request (13.2.4). */
export interface BlockingNotice<R> {
  readonly pid: number
  readonly lockId: number
  readonly request: R
  /** The mode this lock holds. */
  readonly grantedMode: LockMode
  /** The mode of the request it blocks. */
  readonly blockedMode: LockMode
  /** LKB$B_RMOD: the mode of the blocking AST. */
  readonly accessMode: number
}

/**
 * Where the lock manager reports what the executive turns into event flags and ASTs.
 * Calls come after the operation that caused them has finished, in the order they
 * happened, so a callback may itself call the lock manager.
 */
export interface LockNotifier<R> {
  /** Set the event flag, write the status block, queue the completion AST if one was asked for. */
  completion(event: Completion<R>): void
  /** Queue the blocking AST. Called once per lock until the lock is converted again. */
  blocking(event: BlockingNotice<R>): void
}

export interface LockManagerOptions<R> {
  readonly notify: LockNotifier<R>
  /** RSBs and LKBs are allocated here (DYN$C_RSB, DYN$C_LKB); SS$_INSFMEM when it has none. */
  readonly memory?: DynamicMemory
  /** The clock for deadlock due times; by default the time given to the last `tick`. */
  readonly now?: () => number
  /** DEADLOCK_WAIT, in the clock's units (default 10). */
  readonly deadlockWait?: number
  /** Maximum resource tree depth (default 32, 13.1.1). */
  readonly maxDepth?: number
  /** LOCKIDTBL: initial lock ID table entries and how many it grows by (default 256). */
  readonly lockIdTable?: number
  /** LOCKIDTBL_MAX: the most locks at once (default 65535). */
  readonly lockIdTableMax?: number
  /**
   * Probes the caller's lock status block (and value block) before anything changes:
   * false means the caller cannot write it, and the service fails with SS$_ACCVIO.
   */
  readonly probe?: (pid: number, request: R, flags: number) => boolean
}

export interface OwnerOptions {
  /** UIC group number qualifying resource names (default 0). */
  readonly group?: number
  /** ENQLM (default 2000). Ignored when `quota` is given. */
  readonly enqlm?: number
  /** A quota shared with other owners, as the processes of a job share JIB$W_ENQCNT. */
  readonly quota?: EnqQuota
  /** SYSLCK privilege. */
  readonly syslck?: boolean
  /** PCB$L_DLCKPRI (default 0, as VMS initializes it). */
  readonly deadlockPriority?: number
}

/** $ENQ arguments. */
export interface EnqRequest<R> {
  readonly pid: number
  /** LKMODE. */
  readonly mode: number
  /** FLAGS (LCK$M_...). */
  readonly flags?: number
  /** RESNAM: 1 to 31 bytes (a string is taken as Latin-1 characters, one byte each). */
  readonly resource?: Uint8Array | string
  /** The lock to convert (the LKSB lock ID), with LCK$M_CONVERT. */
  readonly lockId?: number
  /** PARID: the parent lock for a sublock (0 or absent for a root). */
  readonly parentId?: number
  /** ACMODE: the resource's access mode, maximized with `callerMode`. */
  readonly acmode?: number
  /** The mode the service was called from (default user). */
  readonly callerMode?: number
  /** The caller's value block (LCK$M_VALBLK): written to the resource on a down-conversion from PW or EX. */
  readonly valueBlock?: Uint8Array
  /** BLKAST was given: blocking ASTs are wanted. */
  readonly blockingAst?: boolean
  /** The caller's context, handed back in completions and blocking notices. */
  readonly request: R
}

/** What $ENQ returns: R0, the lock ID for the LKSB, and, for an immediate grant, the LKSB contents. */
export interface EnqResult {
  readonly status: Status
  /** The lock ID (0 when the request failed before a lock existed). */
  readonly lockId: number
  /** With SS$_SYNCH: the status block status (SS$_NORMAL or SS$_VALNOTVALID). */
  readonly lksbStatus: Status
  /** With SS$_SYNCH and LCK$M_VALBLK: the value block for the status block. */
  readonly valueBlock: Uint8Array | undefined
}

/** $DEQ arguments. */
export interface DeqRequest {
  readonly pid: number
  /** LKID (or, with LCK$M_DEQALL, 0 or a parent lock). */
  readonly lockId: number
  /** VALBLK: written to the resource if the lock is held in PW or EX. */
  readonly valueBlock?: Uint8Array
  /** ACMODE for LCK$M_DEQALL, maximized with `callerMode`. */
  readonly acmode?: number
  /** FLAGS (LCK$M_DEQALL, LCK$M_INVVALBLK). */
  readonly flags?: number
  readonly callerMode?: number
}

const ZERO_BLOCK = new Uint8Array(VALUE_BLOCK_LENGTH)

function fail(status: Status): EnqResult {
  return { status, lockId: 0, lksbStatus: status, valueBlock: undefined }
}

/**
 * The lock database and the services on it: $ENQ, $DEQ, $GETLKI (see `getLockInformation`),
 * process rundown and deadlock detection, exactly one core for both faces. `R` is the
 * caller's per-request context (LKSB address, AST addresses, ASTPRM, event flag for the
 * executive; promise callbacks for the standalone face).
 */
export class LockManager<R = unknown> {
  /** The resource hash table: root RSBs by name space key, then name. */
  readonly roots = new Map<number, Map<string, Rsb>>()
  readonly lockIds: LockIdTable
  readonly timeouts = new TimeoutQueue()
  readonly owners = new Map<number, Owner>()
  /** DEADLOCK_WAIT. */
  deadlockWait: number
  readonly maxDepth: number
  /** The time of the last `tick`. */
  time = 0
  /** RSBs in existence. */
  resourceCount = 0
  /** Deadlocks found so far, by kind, and requests examined because their wait timed out. */
  readonly deadlocks = { conversion: 0, multipleResource: 0, searches: 0 }
  private readonly notify: LockNotifier<R>
  private readonly memory: DynamicMemory | undefined
  private readonly clock: (() => number) | undefined
  private readonly probe: ((pid: number, request: R, flags: number) => boolean) | undefined
  private serial = 0
  private arrivals = 0
  private readonly pending: (() => void)[] = []
  private flushing = false

  constructor(options: LockManagerOptions<R>) {
    this.notify = options.notify
    this.memory = options.memory
    this.clock = options.now
    this.probe = options.probe
    this.deadlockWait = options.deadlockWait ?? 10
    this.maxDepth = options.maxDepth ?? 32
    this.lockIds = new LockIdTable(options.lockIdTable ?? 256, options.lockIdTableMax ?? 65535)
  }

  // ---------------------------------------------------------------- owners

  /** Makes `pid` an owner of locks (a process created). Replaces nothing if it exists. */
  addOwner(pid: number, options: OwnerOptions = {}): Owner {
    const existing = this.owners.get(pid)
    if (existing !== undefined) return existing
    const quota = options.quota ?? { limit: options.enqlm ?? 2000, count: 0 }
    const owner = new Owner(
      pid,
      options.group ?? 0,
      options.syslck ?? false,
      quota,
      options.deadlockPriority ?? 0,
    )
    this.owners.set(pid, owner)
    return owner
  }

  /** Runs down `pid`'s locks and forgets it (process deletion). SS$_NONEXPR if unknown. */
  removeOwner(pid: number): Status {
    if (!this.owners.has(pid)) return SS.NONEXPR
    this.rundown(pid)
    this.owners.delete(pid)
    return SS.NORMAL
  }

  /** Sets PCB$L_DLCKPRI. SS$_NONEXPR if unknown. */
  setDeadlockPriority(pid: number, priority: number): Status {
    const owner = this.owners.get(pid)
    if (owner === undefined) return SS.NONEXPR
    owner.deadlockPriority = priority
    return SS.NORMAL
  }

  // ---------------------------------------------------------------- $ENQ

  /** $ENQ (book 13.2.1, 13.2.2): a new lock, or with LCK$M_CONVERT a conversion. */
  enq(req: EnqRequest<R>): EnqResult {
    const result = this.enqueue(req)
    this.flush()
    return result
  }

  private enqueue(req: EnqRequest<R>): EnqResult {
    const flags = req.flags ?? 0
    const mode = req.mode
    if (!isLockMode(mode) || typeof flags !== 'number' || (flags & ~ENQ_FLAGS) !== 0)
      return fail(SS.BADPARAM)
    const callerMode = req.callerMode ?? AccessMode.USER
    if (!isAccessMode(callerMode) || (req.acmode !== undefined && !isAccessMode(req.acmode)))
      return fail(SS.BADPARAM)
    const valueBlock = req.valueBlock
    if (valueBlock !== undefined && !(valueBlock instanceof Uint8Array && valueBlock.length >= 16))
      return fail(SS.BADPARAM)
    const owner = this.owners.get(req.pid)
    if (owner === undefined) return fail(SS.NONEXPR)
    if (this.probe !== undefined && !this.probe(req.pid, req.request, flags)) return fail(SS.ACCVIO)
    if ((flags & LCK.M_CONVERT) !== 0) return this.convert(owner, req, mode, flags, callerMode)
    return this.newLock(owner, req, mode, flags, callerMode)
  }

  private newLock(
    owner: Owner,
    req: EnqRequest<R>,
    mode: LockMode,
    flags: number,
    callerMode: number,
  ): EnqResult {
    const key = resourceKey(req.resource)
    if (key === undefined) return fail(SS.IVBUFLEN)
    let parent: Lkb | undefined
    const parentId = req.parentId ?? 0
    if (parentId !== 0) {
      parent = this.validLock(owner, parentId, callerMode)
      if (parent === undefined) return fail(SS.IVLOCKID)
      if (parent.state === LockState.WAITING) return fail(SS.PARNOTGRANT)
      if (parent.rsb.depth + 1 >= this.maxDepth) return fail(SS.EXDEPTH)
    }
    const system = (flags & LCK.M_SYSTEM) !== 0
    const inner = callerMode <= AccessMode.EXECUTIVE
    if (system && !owner.syslck && !inner) return fail(SS.NOSYSLCK)
    const charged = !((flags & LCK.M_NOQUOTA) !== 0 && inner)
    if (charged && owner.quota.count >= owner.quota.limit) return fail(SS.EXENQLM)
    const lockId = this.lockIds.peek()
    if (lockId === 0) return fail(SS.NOLOCKID)

    const rmod =
      parent !== undefined ? parent.rsb.rmod : Math.max(req.acmode ?? callerMode, callerMode)
    const group = system ? 0 : owner.group
    const space = system ? rmod : (group + 1) * 4 + rmod
    const table = parent !== undefined ? parent.rsb.children : this.roots
    let rsb = table.get(space)?.get(key)
    if (
      rsb !== undefined &&
      (flags & LCK.M_NOQUEUE) !== 0 &&
      !(rsb.cvtq.count === 0 && rsb.wtq.count === 0 && compatible(mode, rsb.ggmode))
    )
      return fail(SS.NOTQUEUED)

    let lkbAddress = 0
    let rsbAddress = 0
    if (this.memory !== undefined) {
      const a = this.memory.allocate(LKB_LENGTH, DYN.LKB)
      if ((a.status & 1) === 0) return fail(SS.INSFMEM)
      lkbAddress = a.address
      if (rsb === undefined) {
        const b = this.memory.allocate(RSB_LENGTH, DYN.RSB)
        if ((b.status & 1) === 0) {
          this.memory.deallocate(lkbAddress)
          return fail(SS.INSFMEM)
        }
        rsbAddress = b.address
      }
    }

    // Nothing has changed so far; from here on the request succeeds.
    if (rsb === undefined) {
      rsb = new Rsb(
        ++this.serial,
        key,
        group,
        system,
        rmod,
        parent?.rsb,
        parent === undefined ? 0 : parent.rsb.depth + 1,
        rsbAddress,
        space,
      )
      let names = table.get(space)
      if (names === undefined) {
        names = new Map()
        table.set(space, names)
      }
      names.set(key, rsb)
      if (parent !== undefined) parent.rsb.refcnt++
      this.resourceCount++
    }
    const lkb = new Lkb(
      lockId,
      owner,
      rsb,
      parent,
      callerMode,
      lkbAddress,
      charged,
      mode,
      flags,
      req.request,
    )
    this.lockIds.allocate(lkb)
    if (charged) owner.quota.count++
    if (parent !== undefined) parent.refcnt++
    owner.locks.add(lkb)
    lkb.wantsBlkast = req.blockingAst ?? false
    if ((flags & LCK.M_VALBLK) !== 0) lkb.valblk = new Uint8Array(VALUE_BLOCK_LENGTH)

    if (rsb.cvtq.count === 0 && rsb.wtq.count === 0 && compatible(mode, rsb.ggmode)) {
      lkb.state = LockState.GRANTED
      lkb.grmode = mode
      rsb.addGranted(mode)
      rsb.grq.insertTail(lkb)
      this.granted(lkb, true)
      return this.immediate(lkb)
    }
    this.wait(lkb, rsb.wtq, LockState.WAITING)
    return { status: SS.NORMAL, lockId, lksbStatus: 0, valueBlock: undefined }
  }

  private convert(
    owner: Owner,
    req: EnqRequest<R>,
    mode: LockMode,
    flags: number,
    callerMode: number,
  ): EnqResult {
    const lkb = this.validLock(owner, req.lockId ?? 0, callerMode)
    if (lkb === undefined) return fail(SS.IVLOCKID)
    if (lkb.state !== LockState.GRANTED) return fail(SS.CVTUNGRANT)
    const rsb = lkb.rsb
    const grantable =
      compatible(mode, rsb.modeExcluding(lkb.grmode)) &&
      !((flags & LCK.M_QUECVT) !== 0 && rsb.cvtq.count > 0)
    if (!grantable && (flags & LCK.M_NOQUEUE) !== 0) return fail(SS.NOTQUEUED)

    // Nothing has changed so far; from here on the request succeeds.
    lkb.flags = flags
    lkb.request = req.request
    lkb.wantsBlkast = req.blockingAst ?? false
    lkb.blkastQueued = false
    lkb.rqmode = mode
    lkb.syncGranted = false
    lkb.writesValue = false
    if ((flags & LCK.M_VALBLK) !== 0) {
      lkb.valblk ??= new Uint8Array(VALUE_BLOCK_LENGTH)
      if (lkb.grmode >= LCK.K_PWMODE && mode <= lkb.grmode) {
        // 13.1.1 and $ENQ: a conversion from PW or EX to the same or a lower mode writes.
        lkb.writesValue = true
        lkb.valblk.set((req.valueBlock ?? ZERO_BLOCK).subarray(0, VALUE_BLOCK_LENGTH))
        this.writeValue(rsb, lkb.valblk)
      }
    }
    if (grantable) {
      this.grant(lkb, true)
      this.processQueues(rsb)
      return this.immediate(lkb)
    }
    rsb.grq.remove(lkb)
    this.wait(lkb, rsb.cvtq, LockState.CONVERT)
    return { status: SS.NORMAL, lockId: lkb.lkid, lksbStatus: 0, valueBlock: undefined }
  }

  /** The result of a request granted within $ENQ. */
  private immediate(lkb: Lkb): EnqResult {
    if (lkb.syncGranted)
      return {
        status: SS.SYNCH,
        lockId: lkb.lkid,
        lksbStatus: lkb.status,
        valueBlock: readsValue(lkb) ? (lkb.valblk as Uint8Array).slice() : undefined,
      }
    return { status: SS.NORMAL, lockId: lkb.lkid, lksbStatus: lkb.status, valueBlock: undefined }
  }

  /** The LKB a caller may name: its own, from a mode no less privileged than the lock's (13.1.4). */
  private validLock(owner: Owner, lockId: number, callerMode: number): Lkb | undefined {
    const lkb = this.lockIds.lookup(lockId)
    if (lkb === undefined || lkb.owner !== owner || callerMode > lkb.rmod) return undefined
    return lkb
  }

  /** Puts a request on the conversion or waiting queue and the timeout queue. */
  private wait(lkb: Lkb, queue: Rsb['wtq'], state: LockState): void {
    lkb.state = state
    lkb.queuedAt = ++this.arrivals
    queue.insertTail(lkb)
    lkb.owner.waiting.add(lkb)
    if ((lkb.flags & LCK.M_NODLCKWT) === 0)
      this.timeouts.insertTail(lkb, this.now() + this.deadlockWait)
    this.blockingAstsFor(lkb)
  }

  /** Blocking ASTs to the granted locks that block `waiter` (13.2.4). */
  private blockingAstsFor(waiter: Lkb): void {
    const rsb = waiter.rsb
    for (let l = rsb.grq.head; l !== undefined; l = l.sqfl) this.maybeBlocking(l, waiter)
    for (let l = rsb.cvtq.head; l !== undefined; l = l.sqfl)
      if (l !== waiter) this.maybeBlocking(l, waiter)
  }

  private maybeBlocking(holder: Lkb, waiter: Lkb): void {
    if (!holder.wantsBlkast || holder.blkastQueued || compatible(holder.grmode, waiter.rqmode))
      return
    holder.blkastQueued = true
    const event: BlockingNotice<R> = {
      pid: holder.owner.pid,
      lockId: holder.lkid,
      request: holder.request as R,
      grantedMode: holder.grmode,
      blockedMode: waiter.rqmode,
      accessMode: holder.rmod,
    }
    this.pending.push(() => this.notify.blocking(event))
  }

  /**
   * LCK$GRANT_LOCK (13.2.4): the lock joins the granted queue at its requested mode, the
   * value block is returned if asked for, and the completion is reported unless the grant
   * is synchronous with LCK$M_SYNCSTS. A blocking AST goes to the lock if it now blocks
   * a request on the conversion or waiting queue.
   */
  private grant(lkb: Lkb, synchronous: boolean): void {
    const rsb = lkb.rsb
    // A conversion granted at once stays where it is on the granted queue.
    if (lkb.state === LockState.GRANTED) {
      rsb.removeGranted(lkb.grmode)
    } else {
      if (lkb.state === LockState.CONVERT) {
        rsb.cvtq.remove(lkb)
        rsb.removeGranted(lkb.grmode)
      } else rsb.wtq.remove(lkb)
      rsb.grq.insertTail(lkb)
      this.timeouts.remove(lkb)
      lkb.owner.waiting.delete(lkb)
      lkb.state = LockState.GRANTED
    }
    lkb.grmode = lkb.rqmode
    rsb.addGranted(lkb.grmode)
    this.granted(lkb, synchronous)
  }

  /** The rest of LCK$GRANT_LOCK once the lock is on the granted queue. */
  private granted(lkb: Lkb, synchronous: boolean): void {
    const rsb = lkb.rsb
    lkb.status = SS.NORMAL
    if (readsValue(lkb)) {
      ;(lkb.valblk as Uint8Array).set(rsb.valblk)
      if (rsb.valblkInvalid) lkb.status = SS.VALNOTVALID
    }
    if (synchronous && (lkb.flags & LCK.M_SYNCSTS) !== 0) lkb.syncGranted = true
    else this.complete(lkb, true)
    if (lkb.wantsBlkast && !lkb.blkastQueued) {
      const blocked = firstBlocked(lkb)
      if (blocked !== undefined) this.maybeBlocking(lkb, blocked)
    }
  }

  private complete(lkb: Lkb, granted: boolean): void {
    const event: Completion<R> = {
      pid: lkb.owner.pid,
      lockId: lkb.lkid,
      request: lkb.request as R,
      status: lkb.status,
      granted,
      mode: lkb.grmode,
      valueBlock: granted && readsValue(lkb) ? (lkb.valblk as Uint8Array).slice() : undefined,
      accessMode: lkb.rmod,
    }
    this.pending.push(() => this.notify.completion(event))
  }

  /**
   * Grants what the queues allow, in order (13.2.3): conversions first, FIFO, each if its
   * requested mode is compatible with the granted modes of the other locks, stopping at
   * the first that is not; then, only when no conversion waits, new requests FIFO while
   * compatible with the group grant mode.
   */
  private processQueues(rsb: Rsb): void {
    for (let h = rsb.cvtq.head; h !== undefined; h = rsb.cvtq.head) {
      if (!compatible(h.rqmode, rsb.modeExcluding(h.grmode))) return
      this.grant(h, false)
    }
    for (let w = rsb.wtq.head; w !== undefined; w = rsb.wtq.head) {
      if (!compatible(w.rqmode, rsb.ggmode)) return
      this.grant(w, false)
    }
  }

  private writeValue(rsb: Rsb, block: Uint8Array): void {
    rsb.valblk.set(block.subarray(0, VALUE_BLOCK_LENGTH))
    rsb.valseqnum = (rsb.valseqnum + 1) >>> 0
    rsb.valblkInvalid = false
  }

  // ---------------------------------------------------------------- $DEQ

  /** $DEQ (13.2.3): one lock, or with LCK$M_DEQALL all the caller's locks (or sublocks of one). */
  deq(req: DeqRequest): Status {
    const status = this.dequeue(req)
    this.flush()
    return status
  }

  private dequeue(req: DeqRequest): Status {
    const flags = req.flags ?? 0
    if (typeof flags !== 'number' || (flags & ~DEQ_FLAGS) !== 0) return SS.BADPARAM
    const callerMode = req.callerMode ?? AccessMode.USER
    if (!isAccessMode(callerMode) || (req.acmode !== undefined && !isAccessMode(req.acmode)))
      return SS.BADPARAM
    const valueBlock = req.valueBlock
    if (valueBlock !== undefined && !(valueBlock instanceof Uint8Array && valueBlock.length >= 16))
      return SS.BADPARAM
    const owner = this.owners.get(req.pid)
    if (owner === undefined) return SS.NONEXPR
    if ((flags & LCK.M_DEQALL) !== 0) {
      let parent: Lkb | undefined
      if (req.lockId !== 0) {
        parent = this.validLock(owner, req.lockId, callerMode)
        if (parent === undefined) return SS.IVLOCKID
      }
      const deqMode = Math.max(req.acmode ?? callerMode, callerMode)
      this.removeAll(owner, deqMode, parent, false, true)
      return SS.NORMAL
    }
    const lkb = this.validLock(owner, req.lockId, callerMode)
    if (lkb === undefined) return SS.IVLOCKID
    if (lkb.refcnt > 0) return SS.SUBLOCKS
    if (lkb.state !== LockState.WAITING && lkb.grmode >= LCK.K_PWMODE) {
      if ((flags & LCK.M_INVVALBLK) !== 0) lkb.rsb.valblkInvalid = true
      else if (valueBlock !== undefined) this.writeValue(lkb.rsb, valueBlock)
    }
    this.remove(lkb, SS.ABORT, true)
    return SS.NORMAL
  }

  /**
   * Process rundown: every lock of `pid` held from `accessMode` or a less privileged mode
   * (default kernel: all of them) is released, sublocks before their parents. Value blocks
   * of resources it held in PW or EX are marked not valid unless `invalidate` is false
   * (the process did not get to write them). No completions are reported to `pid` itself.
   */
  rundown(pid: number, options: { accessMode?: number; invalidate?: boolean } = {}): Status {
    const owner = this.owners.get(pid)
    if (owner === undefined) return SS.NONEXPR
    this.removeAll(
      owner,
      options.accessMode ?? AccessMode.KERNEL,
      undefined,
      options.invalidate ?? true,
      false,
    )
    this.flush()
    return SS.NORMAL
  }

  private removeAll(
    owner: Owner,
    deqMode: number,
    parent: Lkb | undefined,
    invalidate: boolean,
    report: boolean,
  ): void {
    let candidates = [...owner.locks].filter(
      (l) => l.rmod >= deqMode && (parent === undefined || descends(l, parent)),
    )
    candidates.reverse()
    // The value blocks it held in PW or EX are not valid from the moment it goes, even
    // for a request granted while its other locks are still being released.
    if (invalidate)
      for (const l of candidates)
        if (l.state !== LockState.WAITING && l.grmode >= LCK.K_PWMODE) l.rsb.valblkInvalid = true
    while (candidates.length > 0) {
      const left: Lkb[] = []
      for (const l of candidates) {
        if (l.refcnt > 0) {
          left.push(l)
          continue
        }
        this.remove(l, SS.ABORT, report)
      }
      if (left.length === candidates.length) break
      candidates = left
    }
  }

  /**
   * Takes a lock out of the database (EXE$DEQ): off its queue, its parent's count, the
   * lock ID table, the owner and the quota; the RSB goes when nothing is left on it.
   * A request still waiting completes with `status` (SS$_ABORT, SS$_DEADLOCK).
   */
  private remove(lkb: Lkb, status: Status, report: boolean): void {
    const rsb = lkb.rsb
    const owner = lkb.owner
    if (lkb.state === LockState.GRANTED) {
      rsb.grq.remove(lkb)
      rsb.removeGranted(lkb.grmode)
    } else {
      if (lkb.state === LockState.CONVERT) {
        rsb.cvtq.remove(lkb)
        rsb.removeGranted(lkb.grmode)
      } else rsb.wtq.remove(lkb)
      this.timeouts.remove(lkb)
      owner.waiting.delete(lkb)
      if (report) {
        lkb.status = status
        this.complete(lkb, false)
      }
    }
    if (lkb.parent !== undefined) lkb.parent.refcnt--
    this.lockIds.release(lkb)
    if (lkb.charged) owner.quota.count--
    owner.locks.delete(lkb)
    if (this.memory !== undefined) this.memory.deallocate(lkb.address)
    if (rsb.empty && rsb.refcnt === 0) this.deleteResource(rsb)
    else this.processQueues(rsb)
  }

  private deleteResource(rsb: Rsb): void {
    const table = rsb.parent !== undefined ? rsb.parent.children : this.roots
    // The name space's table stays, empty, for the next resource in it.
    table.get(rsb.space)?.delete(rsb.key)
    this.resourceCount--
    if (this.memory !== undefined) this.memory.deallocate(rsb.address)
    const parent = rsb.parent
    if (parent !== undefined) {
      parent.refcnt--
      if (parent.empty && parent.refcnt === 0) this.deleteResource(parent)
    }
  }

  // ---------------------------------------------------------------- deadlocks

  /**
   * The clock moved to `now` (EXE$TIMEOUT, 13.3.1): a deadlock search starts from each
   * lock whose wait has reached its due time, oldest first. A lock still waiting after
   * its search is due again DEADLOCK_WAIT later.
   */
  tick(now: number): void {
    this.time = now
    const due: Lkb[] = []
    for (
      let lkb = this.timeouts.head;
      lkb !== undefined && lkb.duetime <= now;
      lkb = this.timeouts.head
    ) {
      this.timeouts.remove(lkb)
      due.push(lkb)
    }
    if (due.length === 0) return
    // Only requests on a wait-for cycle can be proven deadlocked; finding them first keeps
    // many timeouts at once linear. After a victim is taken the cycles are found again.
    let cycles: Set<Lkb> | undefined
    for (const lkb of due) {
      if (lkb.state === LockState.GRANTED || this.lockIds.lookup(lkb.lkid) !== lkb) continue
      cycles ??= locksOnCycles(due)
      this.deadlocks.searches++
      if (cycles.has(lkb)) {
        const found = searchDeadlock(lkb)
        if (found !== undefined) {
          this.breakDeadlock(found)
          cycles = undefined
        }
      }
      // The search may have granted it or taken it as the victim.
      if ((lkb.state as LockState) !== LockState.GRANTED && this.lockIds.lookup(lkb.lkid) === lkb)
        this.timeouts.insertTail(lkb, now + this.deadlockWait)
    }
    this.flush()
  }

  /** Runs the deadlock search from one waiting lock now, whatever its due time. */
  searchFrom(lockId: number): DeadlockFound | undefined {
    const lkb = this.lockIds.lookup(lockId)
    if (lkb === undefined || lkb.state === LockState.GRANTED) return undefined
    this.deadlocks.searches++
    const found = searchDeadlock(lkb)
    if (found !== undefined) this.breakDeadlock(found)
    this.flush()
    return found
  }

  /** The victim's request fails with SS$_DEADLOCK; a conversion leaves the lock granted as it was (13.3.3). */
  private breakDeadlock(found: DeadlockFound): void {
    if (found.kind === 'conversion') this.deadlocks.conversion++
    else this.deadlocks.multipleResource++
    const victim = found.victim
    if (victim.state === LockState.WAITING) {
      this.remove(victim, SS.DEADLOCK, true)
      return
    }
    const rsb = victim.rsb
    rsb.cvtq.remove(victim)
    rsb.grq.insertTail(victim)
    victim.state = LockState.GRANTED
    victim.rqmode = victim.grmode
    this.timeouts.remove(victim)
    victim.owner.waiting.delete(victim)
    victim.status = SS.DEADLOCK
    this.complete(victim, false)
    this.processQueues(rsb)
  }

  // ---------------------------------------------------------------- reading

  /** A copy of the whole lock database (SHOW LOCKS; before/after comparisons). */
  snapshot(): LockDatabaseSnapshot {
    return snapshotLockDatabase(this)
  }

  /** $GETLKI (13.2.6). */
  getlki(req: GetlkiRequest): GetlkiResult {
    return getLockInformation(this, req)
  }

  /** The current time for due times. */
  now(): number {
    return this.clock !== undefined ? this.clock() : this.time
  }

  /** The LKB a lock ID names now, for anyone (no ownership check): SHOW LOCKS, $GETLKI. */
  lookup(lockId: number): Lkb | undefined {
    return this.lockIds.lookup(lockId)
  }

  /** The root RSB with this name, group (undefined: systemwide) and access mode. */
  findResource(
    resource: Uint8Array | string,
    group: number | undefined,
    rmod: number,
  ): Rsb | undefined {
    const key = resourceKey(resource)
    if (key === undefined) return undefined
    const space = group === undefined ? rmod : (group + 1) * 4 + rmod
    return this.roots.get(space)?.get(key)
  }

  private flush(): void {
    if (this.flushing || this.pending.length === 0) return
    this.flushing = true
    try {
      for (let i = 0; i < this.pending.length; i++) (this.pending[i] as () => void)()
    } finally {
      this.pending.length = 0
      this.flushing = false
    }
  }
}

/** The first request on the conversion or waiting queue that `lkb`'s granted mode blocks. */
function firstBlocked(lkb: Lkb): Lkb | undefined {
  const rsb = lkb.rsb
  for (let w = rsb.cvtq.head; w !== undefined; w = w.sqfl)
    if (w !== lkb && !compatible(lkb.grmode, w.rqmode)) return w
  for (let w = rsb.wtq.head; w !== undefined; w = w.sqfl)
    if (!compatible(lkb.grmode, w.rqmode)) return w
  return undefined
}

/** The request asked for the value block (LCK$M_VALBLK) and does not write it. */
function readsValue(lkb: Lkb): boolean {
  return lkb.valblk !== undefined && (lkb.flags & LCK.M_VALBLK) !== 0 && !lkb.writesValue
}

function isAccessMode(mode: unknown): mode is number {
  return typeof mode === 'number' && (mode | 0) === mode && mode >= 0 && mode <= 3
}

function descends(lkb: Lkb, ancestor: Lkb): boolean {
  for (let p = lkb.parent; p !== undefined; p = p.parent) if (p === ancestor) return true
  return false
}
