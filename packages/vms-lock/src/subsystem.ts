import {
  type ConsoleCommand,
  type Kernel,
  PriorityClass,
  readItemList,
  type ServiceRequest,
  SS,
  type Status,
  type SubsystemFactory,
  type SystemService,
  writeItem,
} from '@vms/contracts'
import { encodeLkiRecord, LKI_RECORD_LENGTH, type LkiRecord, type LkiValue } from './getlki'
import { LCK, MODE_NAMES, VALUE_BLOCK_LENGTH } from './lck'
import { LockManager } from './lock-manager'
import { type LockDatabaseSnapshot, snapshotLockDatabase } from './snapshot'

/** What the executive keeps with each request: where its results go (LKSB, flag, ASTs). */
interface SystemRequest {
  readonly lksb: number
  readonly efn: number
  readonly astadr: number
  readonly astprm: number
  readonly blkast: number
}

/** The lock status block: status word, reserved word, lock ID, then the value block (13.2.2). */
const LKSB_LENGTH = 8

export interface LockSubsystemOptions {
  /** DEADLOCK_WAIT, in seconds of virtual time (default 10, VMS's default). */
  readonly deadlockWaitSeconds?: number
  /** ENQLM of each process (default 2000). */
  readonly enqlm?: number
  /**
   * Called once the lock manager exists, with a view of its database (for a monitor
   * such as the web view; SHOW LOCKS prints the same snapshot).
   */
  readonly onReady?: (database: { snapshot(): LockDatabaseSnapshot }) => void
}

/** 100 ns units in a second: the kernel's clock. */
const SECOND = 10_000_000

/**
 * The lock manager as a subsystem of the assembled system (ARCHITECTURE.md, "Composing
 * a system"): $ENQ, $ENQW, $DEQ, $GETLKI and $GETLKIW for VAX programs, with PROBE checks
 * on every argument (book 13.2); completion and blocking ASTs and the event flag through
 * the kernel; RSBs and LKBs in nonpaged pool; locks released at process deletion; the
 * deadlock search from the clock; and the SHOW LOCKS command.
 */
export function lockManagerSubsystem(options: LockSubsystemOptions = {}): SubsystemFactory {
  return (kernel) => {
    const manager = new LockManager<SystemRequest>({
      memory: kernel.memory,
      now: () => kernel.now(),
      deadlockWait: (options.deadlockWaitSeconds ?? 10) * SECOND,
      notify: {
        completion: (e) => {
          const block = new Uint8Array(
            LKSB_LENGTH + (e.valueBlock === undefined ? 0 : VALUE_BLOCK_LENGTH),
          )
          const view = new DataView(block.buffer)
          view.setUint16(0, e.status & 0xffff, true)
          view.setUint32(4, e.lockId, true)
          if (e.valueBlock !== undefined) block.set(e.valueBlock, LKSB_LENGTH)
          kernel.writeProcess(e.pid, e.request.lksb, block)
          kernel.setEventFlag(e.pid, e.request.efn, PriorityClass.RESAVL)
          if (e.request.astadr !== 0)
            kernel.queueAst(e.pid, e.accessMode, e.request.astadr, e.request.astprm)
        },
        blocking: (e) => {
          if (e.request.blkast !== 0)
            kernel.queueAst(e.pid, e.accessMode, e.request.blkast, e.request.astprm)
        },
      },
    })
    /** The owner of a process's locks, made at its first request. */
    const ownerOf = (pid: number): Status => {
      if (manager.owners.has(pid)) return SS.NORMAL
      const process = kernel.process(pid)
      if (process === undefined) return SS.NONEXPR
      manager.addOwner(pid, {
        group: process.group,
        syslck: process.privileges.has('SYSLCK'),
        enqlm: options.enqlm ?? 2000,
      })
      return SS.NORMAL
    }
    kernel.onProcessDeleted((pid) => {
      if (manager.owners.has(pid)) manager.removeOwner(pid)
    })
    kernel.onTick((now) => manager.tick(now))

    const enq: SystemService = {
      name: 'ENQ',
      args: 11,
      call: (r) => {
        const owner = ownerOf(r.pid)
        if (owner !== SS.NORMAL) return owner
        const [efn, lkmode, lksb, flags, resnam, parid, astadr, astprm, blkast, acmode] = [
          0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
        ].map((i) => r.arg(i)) as number[] as [
          number,
          number,
          number,
          number,
          number,
          number,
          number,
          number,
          number,
          number,
        ]
        const valblk = (flags & LCK.M_VALBLK) !== 0
        // The status block (and its value block) must be writable before anything is done.
        r.guest.probeWrite(lksb, LKSB_LENGTH + (valblk ? VALUE_BLOCK_LENGTH : 0))
        const convert = (flags & LCK.M_CONVERT) !== 0
        const resource = convert || resnam === 0 ? undefined : latin1(r.guest.descriptor(resnam))
        const cleared = kernel.clearEventFlag(r.pid, efn)
        if ((cleared & 1) === 0) return cleared
        const result = manager.enq({
          pid: r.pid,
          mode: lkmode,
          flags,
          ...(resource !== undefined && { resource }),
          ...(convert && { lockId: r.guest.read32(lksb + 4) >>> 0 }),
          parentId: parid >>> 0,
          acmode: acmode & 3,
          callerMode: r.mode,
          ...(valblk && { valueBlock: r.guest.read(lksb + LKSB_LENGTH, VALUE_BLOCK_LENGTH) }),
          blockingAst: blkast !== 0,
          request: { lksb, efn, astadr, astprm, blkast },
        })
        if ((result.status & 1) === 0) return result.status
        if (result.lockId !== 0 && !convert) r.guest.write32(lksb + 4, result.lockId)
        if (result.status === SS.SYNCH) {
          const block = new Uint8Array(2)
          new DataView(block.buffer).setUint16(0, result.lksbStatus & 0xffff, true)
          r.guest.write(lksb, block)
          if (result.valueBlock !== undefined) r.guest.write(lksb + LKSB_LENGTH, result.valueBlock)
          // $ENQW waits on the flag: a synchronous grant sets it too.
          kernel.setEventFlag(r.pid, efn)
        }
        return result.status
      },
    }

    const deq: SystemService = {
      name: 'DEQ',
      args: 4,
      call: (r) => {
        const owner = ownerOf(r.pid)
        if (owner !== SS.NORMAL) return owner
        const valblk = r.arg(1)
        return manager.deq({
          pid: r.pid,
          lockId: r.arg(0) >>> 0,
          ...(valblk !== 0 && { valueBlock: r.guest.read(valblk, VALUE_BLOCK_LENGTH) }),
          acmode: r.arg(2) & 3,
          flags: r.arg(3),
          callerMode: r.mode,
        })
      },
    }

    const getlki: SystemService = {
      name: 'GETLKI',
      args: 7,
      call: (r) => getLockInformationService(r, manager, kernel, ownerOf),
    }

    options.onReady?.({ snapshot: () => snapshotLockDatabase(manager) })
    const showLocks: ConsoleCommand = {
      name: 'SHOW LOCKS',
      help: 'resources and their granted, conversion and waiting queues',
      parameters: [],
      run: (_args, say) => {
        for (const line of formatLocks(manager)) say(line)
        return SS.NORMAL
      },
    }

    return { name: 'lock manager', services: [enq, deq, getlki], commands: [showLocks] }
  }
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)
}

/**
 * $GETLKI (book 13.2.6): the item list (buffer length and item code words, buffer
 * address, return length address; a zero longword ends it) is read and every buffer
 * probed before the lock is looked at; a wildcard lock ID (-1 at LKIDADR, or the context
 * a previous call left there) scans the caller's visible locks. The event flag is set
 * and the IOSB written, as $GETLKIW then finds them.
 */
function getLockInformationService(
  r: ServiceRequest,
  manager: LockManager<SystemRequest>,
  kernel: Kernel,
  ownerOf: (pid: number) => Status,
): Status {
  const owner = ownerOf(r.pid)
  if (owner !== SS.NORMAL) return owner
  const [efn, lkidadr, itmlst, iosb] = [r.arg(0), r.arg(1), r.arg(2), r.arg(3)]
  const items = readItemList(r.guest, itmlst)
  if (typeof items === 'number') return items
  if (iosb !== 0) r.guest.probeWrite(iosb, 8)
  r.guest.probeWrite(lkidadr, 4)
  const given = r.guest.read32(lkidadr)
  const wildcard = given < 0
  const cleared = kernel.clearEventFlag(r.pid, efn)
  if ((cleared & 1) === 0) return cleared
  const process = kernel.process(r.pid)
  const result = manager.getlki({
    pid: r.pid,
    lockId: wildcard ? (given === -1 ? 0 : given & 0x7fffffff) : given >>> 0,
    wildcard,
    items: items.map((i) => i.code),
    callerMode: r.mode,
    world: process?.privileges.has('WORLD') ?? false,
  })
  if ((result.status & 1) === 0) return result.status
  let status: Status = SS.NORMAL
  for (const item of items) {
    if (!writeItem(r.guest, item, encodeValue(result.values.get(item.code)))) status = SS.BUFFEROVF
  }
  // The context for the next wildcard call: the lock described, with the sign bit set.
  if (wildcard) r.guest.write32(lkidadr, result.lockId | 0x80000000 | 0)
  if (iosb !== 0) {
    const block = new Uint8Array(8)
    new DataView(block.buffer).setUint16(0, status, true)
    r.guest.write(iosb, block)
  }
  kernel.setEventFlag(r.pid, efn)
  return status
}

/**
 * An item's value as $GETLKI returns it in the caller's buffer: longwords; the name and
 * value block as bytes; LKI$_STATE as three bytes (requested mode, granted mode, queue);
 * LKI$_NAMSPACE as a longword (group in bits 0-15, access mode in 16-23, LKI$V_SYSNAM in
 * bit 31); lock lists as 24-byte records (LKI$K_LENGTH).
 */
function encodeValue(value: LkiValue | undefined): Uint8Array {
  const longword = (v: number) => {
    const bytes = new Uint8Array(4)
    new DataView(bytes.buffer).setUint32(0, v >>> 0, true)
    return bytes
  }
  if (value === undefined) return new Uint8Array(0)
  if (typeof value === 'number') return longword(value)
  if (value instanceof Uint8Array) return value
  if (isRecordList(value)) {
    const out = new Uint8Array(value.length * LKI_RECORD_LENGTH)
    for (const [i, record] of value.entries())
      out.set(encodeLkiRecord(record), i * LKI_RECORD_LENGTH)
    return out
  }
  if ('queue' in value) return Uint8Array.of(value.rqmode, value.grmode, value.queue & 0xff)
  return longword(
    (value.group & 0xffff) | ((value.rmod & 0xff) << 16) | (value.system ? 1 << 31 : 0),
  )
}

function isRecordList(value: LkiValue): value is readonly LkiRecord[] {
  return Array.isArray(value)
}

/** SHOW LOCKS: each resource with its queues, lock by lock: ID, PID, modes. */
export function formatLocks<R>(manager: LockManager<R>): string[] {
  const snapshot = manager.snapshot()
  if (snapshot.resources.length === 0) return ['No locks']
  const locks = new Map(snapshot.locks.map((l) => [l.lockId, l]))
  const hex = (v: number) => (v >>> 0).toString(16).toUpperCase().padStart(8, '0')
  const lines: string[] = []
  for (const rsb of snapshot.resources) {
    const space = rsb.system ? 'System' : `Group ${rsb.group.toString(8)}`
    lines.push(
      `Resource: ${rsb.name.padEnd(31)} ${space}, mode ${rsb.rmod}${rsb.parent !== 0 ? ', sublock' : ''}`,
    )
    for (const [title, ids] of [
      ['Granted', rsb.granted],
      ['Converting', rsb.converting],
      ['Waiting', rsb.waiting],
    ] as const) {
      for (const id of ids) {
        const lkb = locks.get(id)
        if (lkb === undefined) continue
        const modes =
          title === 'Granted'
            ? MODE_NAMES[lkb.grmode as 0]
            : `${MODE_NAMES[lkb.grmode as 0] ?? '--'} -> ${MODE_NAMES[lkb.rqmode as 0]}`
        lines.push(`  ${title.padEnd(11)} lock ${hex(id)}  PID ${hex(lkb.pid)}  ${modes}`)
      }
    }
  }
  return lines
}
