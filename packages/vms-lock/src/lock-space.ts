import { isSuccess, SS, type Status, statusName } from '@vms/contracts'
import { LCK, type LockMode, type LockModeName, MODE_NAMES, VALUE_BLOCK_LENGTH } from './lck'
import { type Completion, LockManager } from './lock-manager'
import { type LockDatabaseSnapshot, snapshotLockDatabase } from './snapshot'

/** A mode by name (`'EX'`) or number (`LockMode.EX`, LCK$K_EXMODE). */
export type ModeArgument = LockModeName | LockMode

/** A failed request: `status` is the VMS condition value, `code` its name (`SS$_DEADLOCK`). */
export class LockError extends Error {
  readonly code: string
  constructor(readonly status: Status) {
    const code = statusName(status) ?? `status ${status}`
    super(`lock request failed: ${code}`)
    this.name = 'LockError'
    this.code = code
  }
}

export interface LockSpaceOptions {
  /** How long a request waits before a deadlock search starts from it (DEADLOCK_WAIT), in the clock's units (default 1000). */
  readonly deadlockWait?: number
  /** The clock (default `Date.now`, milliseconds). */
  readonly now?: () => number
  /** Run deadlock searches from a wall-clock interval of this many ms (`true`: half the deadlock wait). Off by default: call `tick()`. */
  readonly timer?: boolean | number
  /** Maximum resource tree depth (default 32). */
  readonly maxDepth?: number
  /** The most locks at once (default 1,000,000; at most 2^26). */
  readonly maxLocks?: number
}

export interface OwnerOptions {
  /** ENQLM: the most locks this owner may have (default unlimited). */
  readonly maxLocks?: number
  /** The lower priority is chosen as the deadlock victim (default 0). */
  readonly deadlockPriority?: number
}

export interface EnqOptions {
  /** Fail at once with SS$_NOTQUEUED rather than wait (LCK$M_NOQUEUE). */
  readonly noQueue?: boolean
  /**
   * Use the 16-byte value block (LCK$M_VALBLK): `true` reads it on grant into
   * `lock.valueBlock`; bytes (padded or cut to 16) are written to the resource by a
   * conversion down from PW or EX.
   */
  readonly valueBlock?: boolean | Uint8Array
  /** Make this a sublock of `parent` (a granted lock of the same owner). */
  readonly parent?: Lock
  /** A conversion waits behind conversions already waiting (LCK$M_QUECVT). */
  readonly queueBehindConversions?: boolean
  /** Called when this lock blocks another request (the blocking AST), with the mode asked for. */
  readonly onBlocking?: (blockedMode: LockModeName, lock: Lock) => void
  /** Aborting releases a waiting request; the promise rejects with SS$_ABORT. */
  readonly signal?: AbortSignal
  /** This request's wait is not searched for deadlocks (LCK$M_NODLCKWT). */
  readonly noDeadlockWait?: boolean
  /** This lock never counts as blocking in deadlock searches (LCK$M_NODLCKBLK). */
  readonly noDeadlockBlock?: boolean
}

/**
 * The lock manager for ordinary Node programs: owners instead of processes, promises
 * instead of completion ASTs, callbacks instead of blocking ASTs, value blocks as
 * `Uint8Array`. The same core as the executive's $ENQ and $DEQ.
 */
export class LockSpace {
  readonly manager: LockManager<Lock>
  private readonly clock: () => number
  private readonly interval: ReturnType<typeof setInterval> | undefined
  private nextPid = 1

  constructor(options: LockSpaceOptions = {}) {
    this.clock = options.now ?? Date.now
    const deadlockWait = options.deadlockWait ?? 1000
    this.manager = new LockManager<Lock>({
      notify: {
        completion: (e) => e.request.completed(e),
        blocking: (e) => e.request.blocked(e.blockedMode),
      },
      now: this.clock,
      deadlockWait,
      maxDepth: options.maxDepth ?? 32,
      lockIdTable: 1024,
      lockIdTableMax: options.maxLocks ?? 1_000_000,
    })
    const timer = options.timer ?? false
    if (timer !== false) {
      const ms = timer === true ? Math.max(1, deadlockWait / 2) : timer
      this.interval = setInterval(() => this.tick(), ms)
      this.interval.unref?.()
    }
  }

  /** A new owner of locks. */
  owner(options: OwnerOptions = {}): LockOwner {
    const pid = this.nextPid++
    this.manager.addOwner(pid, {
      enqlm: options.maxLocks ?? Number.MAX_SAFE_INTEGER,
      deadlockPriority: options.deadlockPriority ?? 0,
      syslck: true,
    })
    return new LockOwner(this, pid)
  }

  /** Runs the deadlock searches that are due at `now` (default: the clock). */
  tick(now: number = this.clock()): void {
    this.manager.tick(now)
  }

  /** The whole lock database. */
  snapshot(): LockDatabaseSnapshot {
    return snapshotLockDatabase(this.manager)
  }

  /** Stops the timer. */
  close(): void {
    if (this.interval !== undefined) clearInterval(this.interval)
  }
}

/** Someone who holds locks (a process, on VMS). */
export class LockOwner {
  constructor(
    readonly space: LockSpace,
    readonly pid: number,
  ) {}

  /** Requests a lock; resolves when it is granted, rejects with a LockError. */
  enq(resource: string | Uint8Array, mode: ModeArgument, options: EnqOptions = {}): Promise<Lock> {
    const lock = new Lock(this, resource)
    return lock.request(modeOf(mode), options, 0, false)
  }

  /** Requests a lock that must be granted at once; throws LockError (SS$_NOTQUEUED if it would wait). */
  enqNow(resource: string | Uint8Array, mode: ModeArgument, options: EnqOptions = {}): Lock {
    const lock = new Lock(this, resource)
    lock.requestNow(modeOf(mode), options, 0)
    return lock
  }

  /** Releases every lock (LCK$M_DEQALL); requests still waiting reject with SS$_ABORT. */
  releaseAll(): void {
    this.space.manager.deq({ pid: this.pid, lockId: 0, flags: LCK.M_DEQALL })
  }

  /** The deadlock priority: the lowest in a cycle is the victim. */
  get deadlockPriority(): number {
    return this.space.manager.owners.get(this.pid)?.deadlockPriority ?? 0
  }

  set deadlockPriority(priority: number) {
    this.space.manager.setDeadlockPriority(this.pid, priority)
  }

  /** Releases everything, marking value blocks held in PW or EX not valid, and retires the owner. */
  close(): void {
    this.space.manager.removeOwner(this.pid)
  }
}

/** A lock, granted or waiting. */
export class Lock {
  /** The lock ID (0 until the request is made). */
  id = 0
  /** The granted mode (meaningless until `granted`). */
  grantedMode: LockMode = 0
  /** The status of the last request (SS$_NORMAL, SS$_VALNOTVALID, ...). */
  status: Status = 0
  /** The value block (with the `valueBlock` option). */
  valueBlock: Uint8Array | undefined = undefined
  /** Called when this lock blocks another request. */
  onBlocking: ((blockedMode: LockModeName, lock: Lock) => void) | undefined = undefined
  /** Where the lock stands. */
  state: 'new' | 'waiting' | 'granted' | 'converting' | 'released' = 'new'
  private resolve: ((lock: Lock) => void) | undefined = undefined
  private reject: ((error: LockError) => void) | undefined = undefined
  private completions = 0

  constructor(
    readonly owner: LockOwner,
    readonly resource: string | Uint8Array,
  ) {}

  /** The granted mode by name. */
  get mode(): LockModeName {
    return MODE_NAMES[this.grantedMode] as LockModeName
  }

  /** Held (granted, or converting and still holding its old mode). */
  get granted(): boolean {
    return this.state === 'granted' || this.state === 'converting'
  }

  /** The value block was not invalidated (SS$_VALNOTVALID not returned). */
  get valueBlockValid(): boolean {
    return this.status !== SS.VALNOTVALID
  }

  /** Converts to another mode; resolves when granted, rejects with a LockError. */
  convert(mode: ModeArgument, options: EnqOptions = {}): Promise<Lock> {
    return this.request(modeOf(mode), options, LCK.M_CONVERT, false)
  }

  /** Converts at once or throws LockError (SS$_NOTQUEUED if it would wait). */
  convertNow(mode: ModeArgument, options: EnqOptions = {}): Lock {
    this.requestNow(modeOf(mode), options, LCK.M_CONVERT)
    return this
  }

  /**
   * Releases the lock ($DEQ); a request still waiting rejects with SS$_ABORT. With a value
   * block, and the lock held in PW or EX, the resource's value block is written.
   */
  release(options: { readonly valueBlock?: Uint8Array } = {}): void {
    const status = this.owner.space.manager.deq({
      pid: this.owner.pid,
      lockId: this.id,
      ...(options.valueBlock === undefined ? {} : { valueBlock: block16(options.valueBlock) }),
    })
    if (!isSuccess(status)) throw new LockError(status)
    this.state = 'released'
  }

  /** @internal */
  request(mode: LockMode, options: EnqOptions, convert: number, now: boolean): Promise<Lock> {
    if (this.resolve !== undefined) return Promise.reject(new LockError(SS.CVTUNGRANT))
    // The promise is ready before the request is made: a callback run by the request
    // itself (a blocking callback that releases a lock) may already grant it.
    const promise = new Promise<Lock>((resolve, reject) => {
      this.resolve = resolve
      this.reject = reject
    })
    const r = this.issue(mode, options, convert | LCK.M_SYNCSTS | (now ? LCK.M_NOQUEUE : 0))
    if (r === SS.SYNCH || !isSuccess(r)) {
      // (Set by the executor above; TypeScript does not see that.)
      const resolve = this.resolve as ((lock: Lock) => void) | undefined
      const reject = this.reject as ((error: LockError) => void) | undefined
      this.resolve = undefined
      this.reject = undefined
      if (r === SS.SYNCH) resolve?.(this)
      else reject?.(new LockError(r))
      return promise
    }
    const signal = options.signal
    if (signal !== undefined && this.resolve !== undefined) {
      const abort = (): void => {
        if (this.resolve !== undefined) this.release()
      }
      if (signal.aborted) abort()
      else signal.addEventListener('abort', abort, { once: true })
    }
    return promise
  }

  /** @internal */
  requestNow(mode: LockMode, options: EnqOptions, convert: number): void {
    if (this.resolve !== undefined) throw new LockError(SS.CVTUNGRANT)
    const r = this.issue(mode, options, convert | LCK.M_SYNCSTS | LCK.M_NOQUEUE)
    if (r !== SS.SYNCH) throw new LockError(r)
  }

  private issue(mode: LockMode, options: EnqOptions, flags: number): Status {
    let f = flags
    const vb = options.valueBlock
    if (vb !== undefined && vb !== false) f |= LCK.M_VALBLK
    if (options.noQueue === true) f |= LCK.M_NOQUEUE
    if (options.queueBehindConversions === true) f |= LCK.M_QUECVT
    if (options.noDeadlockWait === true) f |= LCK.M_NODLCKWT
    if (options.noDeadlockBlock === true) f |= LCK.M_NODLCKBLK
    if (options.onBlocking !== undefined) this.onBlocking = options.onBlocking
    const manager = this.owner.space.manager
    const completions = this.completions
    const result = manager.enq({
      pid: this.owner.pid,
      mode,
      flags: f,
      resource: this.resource,
      lockId: this.id,
      parentId: options.parent?.id ?? 0,
      ...(vb instanceof Uint8Array ? { valueBlock: block16(vb) } : {}),
      blockingAst: this.onBlocking !== undefined,
      request: this,
    })
    const status = result.status
    if (!isSuccess(status)) return status
    this.id = result.lockId
    if (status === SS.SYNCH) {
      this.grantedMode = mode
      this.status = result.lksbStatus
      this.state = 'granted'
      if (result.valueBlock !== undefined) this.valueBlock = result.valueBlock
      else if (vb instanceof Uint8Array) this.valueBlock = block16(vb)
    } else if (this.completions === completions)
      this.state = (flags & LCK.M_CONVERT) !== 0 ? 'converting' : 'waiting'
    return status
  }

  /** @internal The core's completion for this lock. */
  completed(event: Completion<Lock>): void {
    this.completions++
    this.status = event.status
    if (event.granted) this.grantedMode = event.mode
    // A failed conversion leaves the lock granted at its old mode; a failed new request is gone.
    this.state =
      event.granted || this.owner.space.manager.lookup(this.id) !== undefined
        ? 'granted'
        : 'released'
    if (event.valueBlock !== undefined) this.valueBlock = event.valueBlock
    const resolve = this.resolve
    const reject = this.reject
    this.resolve = undefined
    this.reject = undefined
    if (event.granted) resolve?.(this)
    else reject?.(new LockError(event.status))
  }

  /** @internal The core's blocking notice for this lock. */
  blocked(mode: LockMode): void {
    this.onBlocking?.(MODE_NAMES[mode] as LockModeName, this)
  }
}

/** A value block of exactly 16 bytes: shorter ones padded with zeros, longer ones cut. */
function block16(bytes: Uint8Array): Uint8Array {
  const block = new Uint8Array(VALUE_BLOCK_LENGTH)
  block.set(bytes.subarray(0, VALUE_BLOCK_LENGTH))
  return block
}

function modeOf(mode: ModeArgument): LockMode {
  if (typeof mode === 'number') return mode
  const m = MODE_NAMES.indexOf(mode)
  return (m < 0 ? -1 : m) as LockMode
}
