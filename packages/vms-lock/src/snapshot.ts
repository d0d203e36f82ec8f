import type { LockManager } from './lock-manager'
import type { Lkb, Rsb } from './structures'

/** One lock, as SHOW LOCKS or SDA would print it. */
export interface LockSnapshot {
  readonly lockId: number
  readonly pid: number
  /** The RSB (`ResourceSnapshot.serial`). */
  readonly resource: number
  /** LKB$B_STATE: 1 granted, 0 converting, -1 waiting. */
  readonly state: number
  readonly rqmode: number
  readonly grmode: number
  readonly flags: number
  /** The parent lock ID, 0 for none. */
  readonly parent: number
  readonly refcnt: number
  readonly rmod: number
  readonly address: number
  readonly status: number
  readonly valueBlock: readonly number[] | undefined
  readonly blockingAst: boolean
  readonly blockingAstQueued: boolean
  readonly charged: boolean
}

/** One resource. */
export interface ResourceSnapshot {
  readonly serial: number
  /** The name with bytes outside printable ASCII as `\xNN`. */
  readonly name: string
  readonly nameBytes: readonly number[]
  readonly group: number
  readonly system: boolean
  readonly rmod: number
  /** The parent RSB's serial, 0 for a root. */
  readonly parent: number
  readonly depth: number
  readonly refcnt: number
  readonly ggmode: number
  readonly cgmode: number
  readonly valueBlock: readonly number[]
  readonly valseqnum: number
  readonly valueBlockValid: boolean
  readonly address: number
  /** Lock IDs on the granted, conversion and waiting queues, head first. */
  readonly granted: readonly number[]
  readonly converting: readonly number[]
  readonly waiting: readonly number[]
}

export interface OwnerSnapshot {
  readonly pid: number
  readonly group: number
  readonly syslck: boolean
  readonly enqcnt: number
  readonly enqlm: number
  readonly deadlockPriority: number
  /** Lock IDs in the order they were requested. */
  readonly locks: readonly number[]
}

/** The whole lock database: equal snapshots mean an operation changed nothing. */
export interface LockDatabaseSnapshot {
  readonly resources: readonly ResourceSnapshot[]
  readonly locks: readonly LockSnapshot[]
  readonly owners: readonly OwnerSnapshot[]
  /** The lock timeout queue, head first. */
  readonly timeouts: readonly { readonly lockId: number; readonly duetime: number }[]
  /** Lock ID table size and its free list (the IDs the next allocations return). */
  readonly lockIdTable: { readonly size: number; readonly free: readonly number[] }
  readonly deadlockWait: number
}

/** A copy of the lock database (for SHOW LOCKS, and to compare before and after). */
export function snapshotLockDatabase<R>(manager: LockManager<R>): LockDatabaseSnapshot {
  const rsbs: Rsb[] = []
  const collect = (table: ReadonlyMap<number, ReadonlyMap<string, Rsb>>): void => {
    for (const names of table.values())
      for (const rsb of names.values()) {
        rsbs.push(rsb)
        if (rsb.refcnt > 0) collect(rsb.children)
      }
  }
  collect(manager.roots)
  rsbs.sort((a, b) => a.serial - b.serial)
  const locks: LockSnapshot[] = []
  for (const lkb of manager.lockIds.locks()) locks.push(lockSnapshot(lkb))
  const owners: OwnerSnapshot[] = [...manager.owners.values()]
    .sort((a, b) => a.pid - b.pid)
    .map((o) => ({
      pid: o.pid,
      group: o.group,
      syslck: o.syslck,
      enqcnt: o.quota.count,
      enqlm: o.quota.limit,
      deadlockPriority: o.deadlockPriority,
      locks: [...o.locks].map((l) => l.lkid),
    }))
  const table = manager.lockIds.state()
  return {
    resources: rsbs.map(resourceSnapshot),
    locks,
    owners,
    timeouts: [...manager.timeouts].map((l) => ({ lockId: l.lkid, duetime: l.duetime })),
    lockIdTable: { size: table.size, free: table.free },
    deadlockWait: manager.deadlockWait,
  }
}

function lockSnapshot(lkb: Lkb): LockSnapshot {
  return {
    lockId: lkb.lkid,
    pid: lkb.owner.pid,
    resource: lkb.rsb.serial,
    state: lkb.state,
    rqmode: lkb.rqmode,
    grmode: lkb.grmode,
    flags: lkb.flags,
    parent: lkb.parent?.lkid ?? 0,
    refcnt: lkb.refcnt,
    rmod: lkb.rmod,
    address: lkb.address,
    status: lkb.status,
    valueBlock: lkb.valblk === undefined ? undefined : [...lkb.valblk],
    blockingAst: lkb.wantsBlkast,
    blockingAstQueued: lkb.blkastQueued,
    charged: lkb.charged,
  }
}

function resourceSnapshot(rsb: Rsb): ResourceSnapshot {
  return {
    serial: rsb.serial,
    name: printable(rsb.name),
    nameBytes: [...rsb.name],
    group: rsb.group,
    system: rsb.system,
    rmod: rsb.rmod,
    parent: rsb.parent?.serial ?? 0,
    depth: rsb.depth,
    refcnt: rsb.refcnt,
    ggmode: rsb.ggmode,
    cgmode: rsb.cgmode,
    valueBlock: [...rsb.valblk],
    valseqnum: rsb.valseqnum,
    valueBlockValid: !rsb.valblkInvalid,
    address: rsb.address,
    granted: [...rsb.grq].map((l) => l.lkid),
    converting: [...rsb.cvtq].map((l) => l.lkid),
    waiting: [...rsb.wtq].map((l) => l.lkid),
  }
}

function printable(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes)
    s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`
  return s
}
