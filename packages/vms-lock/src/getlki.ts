import { SS, type Status } from '@vms/contracts'
import { AccessMode, compatible } from './lck'
import type { LockManager } from './lock-manager'
import { type Lkb, LockState } from './structures'

/** $GETLKI item codes (LKI$_...). */
export const LKI = {
  PID: 256,
  STATE: 257,
  PARENT: 258,
  LCKREFCNT: 259,
  LOCKID: 260,
  REMLKID: 261,
  MSTLKID: 262,
  LKID: 263,
  CSID: 264,
  NAMSPACE: 512,
  RESNAM: 513,
  RSBREFCNT: 514,
  VALBLK: 515,
  LCKCOUNT: 517,
  BLOCKEDBY: 518,
  BLOCKING: 519,
  LOCKS: 520,
  CVTCOUNT: 521,
  WAITCOUNT: 522,
  GRANTCOUNT: 523,
  MSTCSID: 524,
} as const
export type LkiItem = (typeof LKI)[keyof typeof LKI]

const ITEMS: ReadonlySet<number> = new Set(Object.values(LKI))

/** LKI$K_LENGTH: the 24-byte record of LKI$_BLOCKEDBY, LKI$_BLOCKING and LKI$_LOCKS. */
export const LKI_RECORD_LENGTH = 24

/** One lock in an LKI$_BLOCKEDBY, LKI$_BLOCKING or LKI$_LOCKS list. */
export interface LkiRecord {
  readonly lockId: number
  readonly pid: number
  readonly rqmode: number
  readonly grmode: number
  /** LKI$B_QUEUE: 1 granted, 0 conversion, -1 waiting. */
  readonly queue: number
}

/** LKI$_STATE: requested mode, granted mode, queue. */
export interface LkiState {
  readonly rqmode: number
  readonly grmode: number
  readonly queue: number
}

/** LKI$_NAMSPACE: the name space of the resource. */
export interface LkiNamespace {
  readonly group: number
  readonly rmod: number
  /** LKI$V_SYSNAM: a systemwide name. */
  readonly system: boolean
}

export type LkiValue = number | Uint8Array | LkiState | LkiNamespace | readonly LkiRecord[]

export interface GetlkiRequest {
  readonly pid: number
  /** A lock ID, or with `wildcard` the context from the previous call (0 to start). */
  readonly lockId: number
  readonly wildcard?: boolean
  readonly items: readonly number[]
  readonly callerMode?: number
  /** WORLD: locks of any UIC group. */
  readonly world?: boolean
}

export interface GetlkiResult {
  readonly status: Status
  /** The lock described; with `wildcard`, the context for the next call. */
  readonly lockId: number
  readonly values: ReadonlyMap<number, LkiValue>
}

/**
 * $GETLKI (book 13.2.6): information about one lock, or the next lock the caller may
 * interrogate when `wildcard` (the lock ID table scanned from index 1, the context kept
 * by the caller). A caller sees locks on resources of its own access mode or a less
 * privileged one, of its own UIC group (any group with WORLD), and systemwide ones only
 * with SYSLCK or from kernel or executive mode. SS$_BADPARAM for an unknown item code,
 * SS$_IVLOCKID for a lock it may not see, SS$_NOMORELOCK when the scan is done.
 */
export function getLockInformation<R>(manager: LockManager<R>, req: GetlkiRequest): GetlkiResult {
  const none = new Map<number, LkiValue>()
  for (const item of req.items)
    if (!ITEMS.has(item)) return { status: SS.BADPARAM, lockId: 0, values: none }
  const caller = manager.owners.get(req.pid)
  if (caller === undefined) return { status: SS.NONEXPR, lockId: 0, values: none }
  const callerMode = req.callerMode ?? AccessMode.USER
  const visible = (lkb: Lkb): boolean => {
    const rsb = lkb.rsb
    if (rsb.rmod < callerMode) return false
    if (rsb.system) return caller.syslck || callerMode <= AccessMode.EXECUTIVE
    return rsb.group === caller.group || req.world === true
  }
  let lkb: Lkb | undefined
  if (req.wildcard === true) {
    const from = req.lockId === 0 ? 1 : manager.lockIds.indexOf(req.lockId) + 1
    for (const l of manager.lockIds.locks(from))
      if (visible(l)) {
        lkb = l
        break
      }
    if (lkb === undefined) return { status: SS.NOMORELOCK, lockId: req.lockId, values: none }
  } else {
    lkb = manager.lookup(req.lockId)
    if (lkb === undefined || !visible(lkb))
      return { status: SS.IVLOCKID, lockId: req.lockId, values: none }
  }
  const values = new Map<number, LkiValue>()
  for (const item of req.items) values.set(item, itemValue(lkb, item))
  return { status: SS.NORMAL, lockId: lkb.lkid, values }
}

function record(l: Lkb): LkiRecord {
  return { lockId: l.lkid, pid: l.owner.pid, rqmode: l.rqmode, grmode: l.grmode, queue: l.state }
}

function itemValue(lkb: Lkb, item: number): LkiValue {
  const rsb = lkb.rsb
  switch (item) {
    case LKI.PID:
      return lkb.owner.pid
    case LKI.STATE:
      return { rqmode: lkb.rqmode, grmode: lkb.grmode, queue: lkb.state }
    case LKI.PARENT:
      return lkb.parent?.lkid ?? 0
    case LKI.LCKREFCNT:
      return lkb.refcnt
    case LKI.LOCKID:
    case LKI.LKID:
    case LKI.MSTLKID:
      return lkb.lkid
    case LKI.NAMSPACE:
      return { group: rsb.group, rmod: rsb.rmod, system: rsb.system }
    case LKI.RESNAM:
      return rsb.name.slice()
    case LKI.RSBREFCNT:
      return rsb.refcnt
    case LKI.VALBLK:
      return rsb.valblk.slice()
    case LKI.LCKCOUNT:
      return rsb.grq.count + rsb.cvtq.count + rsb.wtq.count
    case LKI.CVTCOUNT:
      return rsb.cvtq.count
    case LKI.WAITCOUNT:
      return rsb.wtq.count
    case LKI.GRANTCOUNT:
      return rsb.grq.count
    case LKI.LOCKS:
      return [...rsb.grq, ...rsb.cvtq, ...rsb.wtq].map(record)
    case LKI.BLOCKEDBY: {
      if (lkb.state === LockState.GRANTED) return []
      return [...rsb.grq, ...rsb.cvtq]
        .filter((l) => l !== lkb && !compatible(l.grmode, lkb.rqmode))
        .map(record)
    }
    case LKI.BLOCKING: {
      if (lkb.state === LockState.WAITING) return []
      return [...rsb.cvtq, ...rsb.wtq]
        .filter((l) => l !== lkb && !compatible(lkb.grmode, l.rqmode))
        .map(record)
    }
    default:
      // REMLKID, CSID, MSTCSID: zero on a system that is not in a VAXcluster.
      return 0
  }
}

/** The 24-byte LKI$K_LENGTH record VAX code receives for each lock in a list item. */
export function encodeLkiRecord(r: LkiRecord): Uint8Array {
  const bytes = new Uint8Array(LKI_RECORD_LENGTH)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, r.lockId, true)
  view.setUint32(4, r.pid, true)
  view.setUint32(8, 0, true)
  view.setUint8(12, r.rqmode)
  view.setUint8(13, r.grmode)
  view.setInt8(14, r.queue)
  view.setUint32(16, r.lockId, true)
  view.setUint32(20, 0, true)
  return bytes
}
