import {
  type ConsoleCommand,
  type DynamicMemory,
  formatStatus,
  isSuccess,
  SS,
  type Status,
} from '@vms/contracts'
import {
  BLOCK_SIZE,
  type FdtIntercept,
  type FdtRoutine,
  functionCode,
  IoFunction,
  type IoSystem,
  type Irp,
  type Ucb,
} from '@vms/io'

/** IO$_ACPCONTROL ($IODEF): the daemon's "block restored" request on the shelved disk. */
export const IO_ACPCONTROL = IoFunction.ACPCONTROL
/** The logical name of the daemon's mailbox (the daemon creates it with $CREMBX). */
export const SHELF_MAILBOX = 'SHELF$MBX'
/** Logical names the daemon assigns its channels by: the shelved disk and the archive. */
export const SHELF_DISK = 'SHELF$DISK'
export const SHELF_ARCHIVE = 'SHELF$ARCHIVE'
/**
 * The ACP's own pool area for a held request: the seed note's "save the caller's
 * registers in its own pool area". Its size is nominal (R0-R11, AP, FP, the IRP address
 * and the saved AST enable: 16 longwords).
 */
export const ACP_AREA_LENGTH = 64
/** DYN$C_BUFIO: the type the ACP area is taken from pool as. */
const DYN_BUFIO = 17
/** The daemon's message (PID, function, block: three longwords). */
export const MESSAGE_LENGTH = 12
/** The status held requests end with when the daemon is gone: the archive is off line. */
export const ARCHIVE_OFFLINE: Status = SS.MEDOFL

const READS = new Set<number>([IoFunction.READLBLK, IoFunction.READVBLK, IoFunction.READPBLK])
const WRITES = new Set<number>([IoFunction.WRITELBLK, IoFunction.WRITEVBLK, IoFunction.WRITEPBLK])

/** What the shelving ACP needs of the executive. */
export interface AcpContext {
  readonly io: IoSystem
  /** Nonpaged pool, for the ACP's area of each held request. */
  readonly memory: DynamicMemory
  /** The caller (the current process) enters RWAST: MWAIT for RSN$_ASTWAIT. */
  enterRwast(pid: number): void
  /** The process is no longer in RWAST (it has been made computable by the AST). */
  leaveRwast(pid: number): void
  /**
   * Queues a special kernel AST (ACB$V_KAST) to `pid`: `routine` runs in that process's
   * context, at IPL ASTDEL, when it is next current (book 7.2.2, 7.5.1).
   */
  queueSpecialKernelAst(pid: number, routine: () => void): void
  /** $SETAST for user mode on behalf of the process: the previous state (true: enabled). */
  setUserAsts(pid: number, enable: boolean): boolean
}

/** A request the ACP holds: its IRP, the blocks it reads and the ACP's saved context. */
interface Hold {
  readonly irp: Irp
  readonly first: number
  readonly count: number
  /** The ACP area in pool. */
  readonly area: number
  /** User-mode AST delivery as it was (restored when the request goes on). */
  readonly astsEnabled: boolean
}

/**
 * The shelving ACP of the seed note "How to Add your Own ACPs ahead of the DEC ones":
 * its routine takes the disk driver's read and write FDT entries (and IO$_ACPCONTROL).
 * Blocks of the disk may be shelved to an archive unit (copied there, zeroed on the
 * disk). A read that touches a shelved block is held: the ACP saves the caller's
 * context in its own pool area, puts the process into RWAST with user ASTs inhibited,
 * sends the daemon a message (PID, function, block) with EXE$WRTMAILBOX and lets $QIO
 * return its intermediate status. The daemon (examples/shelfacp.mar) reads the block
 * from the archive and gives it back with IO$_ACPCONTROL on the disk; the ACP writes
 * it, unshelves it, and queues a special kernel AST to each process whose read now has
 * all its blocks: in that process's context the AST restores the saved context,
 * re-enables ASTs, leaves RWAST and continues the FDT chain with the original request.
 * Writes pass straight through (and unshelve what they overwrite: the disk driver
 * writes whole blocks). When the daemon goes, held requests end with SS$_MEDOFL.
 */
export class ShelvingAcp {
  private intercept: FdtIntercept | undefined
  private disk: Ucb | undefined
  private archive: Ucb | undefined
  /** Blocks of the disk that are in the archive now. */
  readonly shelved = new Set<number>()
  /** Shelved blocks the daemon has been asked for. */
  private readonly requested = new Set<number>()
  private readonly holds = new Map<Irp, Hold>()
  /** Messages sent to the daemon (EXE$WRTMAILBOX), for SHOW and tests. */
  messagesSent = 0
  /** Requests released whose special kernel AST has not run yet, by PID. */
  private readonly releasing = new Map<number, number>()

  constructor(private readonly x: AcpContext) {}

  /** The unit the ACP serves, if started. */
  get unit(): Ucb | undefined {
    return this.disk
  }

  /** The requests held now (their PIDs), for tests and SHOW. */
  heldPids(): number[] {
    return [...this.holds.values()].map((h) => h.irp.pid)
  }

  /** The daemon's PID: the process whose temporary mailbox SHELF$MBX is, or 0. */
  daemonPid(): number {
    return this.x.io.unit(SHELF_MAILBOX)?.chargedPid ?? 0
  }

  /**
   * ACP START: takes the FDT entries of `diskName`'s driver and defines SHELF$DISK and
   * SHELF$ARCHIVE. SS$_DEVACTIVE when started already, SS$_BADPARAM when the two units
   * are the same or are not disks, IOC$SEARCH's statuses, and stealFdt's.
   */
  start(diskName: string, archiveName: string): Status {
    if (this.intercept !== undefined) return SS.DEVACTIVE
    const disk = this.x.io.search(diskName)
    if (disk.ucb === undefined) return disk.status
    const archive = this.x.io.search(archiveName)
    if (archive.ucb === undefined) return archive.status
    if (disk.ucb === archive.ucb || disk.ucb.storage === undefined) return SS.BADPARAM
    if (archive.ucb.storage === undefined || archive.ucb.maxblock < disk.ucb.maxblock)
      return SS.BADPARAM
    const routine: FdtRoutine = (irp, ucb, context, services) =>
      this.fdt(irp, ucb, context, services)
    const taken = this.x.io.stealFdt(
      disk.ucb.ddb.dpt.name,
      [...READS, ...WRITES, IO_ACPCONTROL],
      routine,
      { onCancel: (irp) => this.canceled(irp) },
    )
    if (taken.intercept === undefined) return taken.status
    this.intercept = taken.intercept
    this.disk = disk.ucb
    this.archive = archive.ucb
    this.x.io.logicalNames.define(SHELF_DISK, `_${disk.ucb.name}:`, { terminal: true })
    this.x.io.logicalNames.define(SHELF_ARCHIVE, `_${archive.ucb.name}:`, { terminal: true })
    return SS.NORMAL
  }

  /**
   * ACP STOP: the driver's FDT entries back. SS$_DEVACTIVE while requests are held;
   * SS$_DEVOFFLINE when not started. Shelved blocks stay in the archive (and read as
   * zeros through the driver) until the ACP is started again.
   */
  stop(): Status {
    if (this.intercept === undefined) return SS.DEVOFFLINE
    if (this.holds.size > 0 || this.releasing.size > 0) return SS.DEVACTIVE
    const status = this.intercept.restore()
    if (status !== SS.NORMAL) return status
    this.intercept = undefined
    this.x.io.logicalNames.deassign(SHELF_DISK)
    this.x.io.logicalNames.deassign(SHELF_ARCHIVE)
    return SS.NORMAL
  }

  /**
   * SHELVE: each block is copied to the same block of the archive and zeroed on the
   * disk. SS$_DEVOFFLINE when the ACP is not started; SS$_DEVACTIVE while the disk has
   * I/O in progress or waiting, or requests are held; SS$_IVADDR for a block that is
   * not on the disk; nothing is shelved when any is refused.
   */
  shelve(blocks: readonly number[]): Status {
    const disk = this.disk
    const archive = this.archive
    if (this.intercept === undefined || disk === undefined || archive === undefined)
      return SS.DEVOFFLINE
    const storage = disk.storage
    const archiveStorage = archive.storage
    if (storage === undefined || archiveStorage === undefined) return SS.DEVOFFLINE
    if (!blocks.every((b) => Number.isInteger(b) && b >= 0 && b < storage.blocks)) return SS.IVADDR
    if (disk.busy || disk.queue.length > 0 || this.holds.size > 0 || this.releasing.size > 0)
      return SS.DEVACTIVE
    const data = new Uint8Array(BLOCK_SIZE)
    for (const block of blocks) {
      if (this.shelved.has(block)) continue
      storage.read(block, data)
      archiveStorage.write(block, data)
      storage.write(block, new Uint8Array(BLOCK_SIZE))
      this.shelved.add(block)
    }
    return SS.NORMAL
  }

  /** A process was deleted: when it is the daemon, every held request ends in error. */
  processDeleted(pid: number): void {
    if (pid === 0 || pid !== this.daemonPid()) return
    this.requested.clear()
    for (const hold of [...this.holds.values()]) this.release(hold, ARCHIVE_OFFLINE)
  }

  /** A process is gone (its held requests canceled): its special kernel ASTs will not run. */
  processGone(pid: number): void {
    this.releasing.delete(pid)
  }

  /** The routine in the driver's FDT: every read, write and IO$_ACPCONTROL comes here. */
  private fdt(...args: Parameters<FdtRoutine>): ReturnType<FdtRoutine> {
    const [irp, ucb, context, services] = args
    const code = functionCode(irp.func)
    const original = this.intercept?.originals.get(code)
    if (ucb !== this.disk) {
      return original === undefined
        ? { kind: 'abort', status: SS.ILLIOFUNC }
        : original(irp, ucb, context, services)
    }
    if (code === IO_ACPCONTROL) return this.restored(irp, context)
    if (original === undefined) return { kind: 'abort', status: SS.ILLIOFUNC }
    const range = blockRange(irp)
    if (WRITES.has(code)) {
      const result = original(irp, ucb, context, services)
      if (result.kind !== 'abort' && range !== undefined) this.unshelve(range.first, range.count)
      return result
    }
    if (range === undefined || this.firstShelved(range.first, range.count) === undefined)
      return original(irp, ucb, context, services)
    return this.hold(irp, range.first, range.count)
  }

  /**
   * The intercept routine proper (the seed note's steps): the ACP area from pool, the
   * message to the daemon (unless it was asked for the block already), user ASTs off,
   * the process into RWAST; $QIO returns SS$_NORMAL. With no daemon the read is refused
   * (SS$_MEDOFL), and nothing changes.
   */
  private hold(irp: Irp, first: number, count: number): ReturnType<FdtRoutine> {
    if (this.daemonPid() === 0) return { kind: 'abort', status: ARCHIVE_OFFLINE }
    const area = this.x.memory.allocate(ACP_AREA_LENGTH, DYN_BUFIO)
    if (area.status !== SS.NORMAL) return { kind: 'abort', status: area.status }
    const sent = this.ask(irp, first, count)
    if (sent !== SS.NORMAL) {
      this.x.memory.deallocate(area.address)
      return { kind: 'abort', status: sent }
    }
    const astsEnabled = this.x.setUserAsts(irp.pid, false)
    this.holds.set(irp, { irp, first, count, area: area.address, astsEnabled })
    this.x.enterRwast(irp.pid)
    return { kind: 'hold' }
  }

  /** EXE$WRTMAILBOX to the daemon for the first shelved block of the range not yet asked for. */
  private ask(irp: Irp, first: number, count: number): Status {
    const block = this.firstShelved(first, count)
    if (block === undefined || this.requested.has(block)) return SS.NORMAL
    const message = new Uint8Array(MESSAGE_LENGTH)
    const view = new DataView(message.buffer)
    view.setUint32(0, irp.pid, true)
    view.setUint32(4, irp.func, true)
    view.setUint32(8, block, true)
    const status = this.x.io.writeMailbox(SHELF_MAILBOX, message)
    if (status === SS.NORMAL) {
      this.requested.add(block)
      this.messagesSent++
    }
    return status
  }

  /**
   * IO$_ACPCONTROL from the daemon (P1 the block's data, P2 its length, P3 the block):
   * a block still shelved is written back and unshelved; one written over meanwhile
   * keeps what was written. Only the daemon may (SS$_NOPRIV).
   */
  private restored(irp: Irp, context: Parameters<FdtRoutine>[2]): ReturnType<FdtRoutine> {
    if (irp.pid !== this.daemonPid()) return { kind: 'abort', status: SS.NOPRIV }
    const block = irp.p[2] ?? -1
    const storage = this.disk?.storage
    if (storage === undefined) return { kind: 'abort', status: SS.DEVOFFLINE }
    if (!Number.isInteger(block) || block < 0 || block >= storage.blocks)
      return { kind: 'abort', status: SS.IVADDR }
    if ((irp.p[1] ?? 0) !== BLOCK_SIZE) return { kind: 'abort', status: SS.BADPARAM }
    const data = context.readUser(irp.p[0] ?? 0, BLOCK_SIZE, irp.mode)
    if (typeof data === 'number') return { kind: 'abort', status: data }
    if (this.shelved.has(block)) {
      storage.write(block, data)
      this.unshelve(block, 1)
    }
    return { kind: 'finish', status: SS.NORMAL, count: BLOCK_SIZE }
  }

  /** Blocks on the disk again: each held read with all its blocks there goes on. */
  private unshelve(first: number, count: number): void {
    for (let b = first; b < first + count; b++) {
      this.shelved.delete(b)
      this.requested.delete(b)
    }
    for (const hold of [...this.holds.values()]) {
      if (hold.first + hold.count <= first || hold.first >= first + count) continue
      if (this.firstShelved(hold.first, hold.count) === undefined) this.release(hold, 'continue')
      else if (this.ask(hold.irp, hold.first, hold.count) !== SS.NORMAL)
        this.release(hold, ARCHIVE_OFFLINE)
    }
  }

  /**
   * The daemon is done with the request (or gone): the special kernel AST to the
   * original process, which, in its context, restores what the ACP saved (the area goes
   * back to pool), re-enables its ASTs, leaves RWAST and continues the FDT chain (or
   * ends the request with `outcome`).
   */
  private release(hold: Hold, outcome: 'continue' | Status): void {
    this.resume(hold, () => {
      if (outcome === 'continue') this.intercept?.continueWith(hold.irp)
      else this.intercept?.complete(hold.irp, outcome)
    })
  }

  /**
   * $CANCEL, $DASSGN or rundown took a held request (the I/O system completes it with
   * SS$_CANCEL): the ACP forgets it, and its process leaves RWAST by the AST.
   */
  private canceled(irp: Irp): void {
    const hold = this.holds.get(irp)
    if (hold !== undefined) this.resume(hold, () => {})
  }

  /** The special kernel AST of a request the ACP lets go; `then` runs last in it. */
  private resume(hold: Hold, then: () => void): void {
    const pid = hold.irp.pid
    this.holds.delete(hold.irp)
    this.x.memory.deallocate(hold.area)
    this.releasing.set(pid, (this.releasing.get(pid) ?? 0) + 1)
    this.x.queueSpecialKernelAst(pid, () => {
      const left = (this.releasing.get(pid) ?? 1) - 1
      if (left > 0) this.releasing.set(pid, left)
      else this.releasing.delete(pid)
      this.x.setUserAsts(pid, hold.astsEnabled)
      this.x.leaveRwast(pid)
      then()
    })
  }

  private firstShelved(first: number, count: number): number | undefined {
    for (let b = first; b < first + count; b++) if (this.shelved.has(b)) return b
    return undefined
  }
}

/** The logical blocks a transfer touches (P2 bytes at P3), or undefined when its arguments are bad. */
function blockRange(irp: Irp): { first: number; count: number } | undefined {
  const bytes = irp.p[1] ?? 0
  const block = irp.p[2] ?? 0
  if (!Number.isInteger(bytes) || bytes < 0 || bytes > 0xffff) return undefined
  if (!Number.isInteger(block) || block < 0) return undefined
  const code = functionCode(irp.func)
  const virtual = code === IoFunction.READVBLK || code === IoFunction.WRITEVBLK
  if (virtual && block === 0) return undefined
  return { first: virtual ? block - 1 : block, count: Math.ceil(bytes / BLOCK_SIZE) }
}

/** ACP START unit /ARCHIVE=unit, ACP STOP, and SHELVE unit block... */
export function acpCommands(acp: ShelvingAcp): ConsoleCommand[] {
  const report = (say: (line: string) => void, status: Status) => {
    if (!isSuccess(status)) say(formatStatus(status))
    return status
  }
  return [
    {
      name: 'ACP START',
      help: "ACP START disk /ARCHIVE=unit: the shelving ACP takes the disk driver's FDT entries",
      parameters: [{ label: 'Device', required: true }],
      qualifiers: [
        { name: 'ARCHIVE', value: 'required', help: 'the unit that holds shelved blocks' },
      ],
      run: (args, say) => {
        const disk = args.find((a) => !a.startsWith('/'))
        const archive = args.find((a) => /^\/ARC/i.test(a))?.split('=')[1]
        if (disk === undefined || archive === undefined) return report(say, SS.BADPARAM)
        return report(say, acp.start(disk, archive))
      },
    },
    {
      name: 'ACP STOP',
      help: "ACP STOP: the driver's own FDT entries back",
      parameters: [],
      run: (_args, say) => report(say, acp.stop()),
    },
    {
      name: 'SHELVE',
      help: "SHELVE disk block...: move blocks of the ACP's disk to its archive",
      run: (args, say) => {
        const [unit, ...rest] = args
        const found = unit === undefined ? undefined : acp.unit
        if (found === undefined) return report(say, SS.DEVOFFLINE)
        const named = unit?.replace(/:$/, '').replace(/^_/, '').toUpperCase()
        if (named !== found.name && named !== SHELF_DISK) return report(say, SS.NOSUCHDEV)
        const blocks = rest.map((w) => (/^\d+$/.test(w) ? Number(w) : Number.NaN))
        if (blocks.length === 0) return report(say, SS.BADPARAM)
        const status = acp.shelve(blocks)
        if (isSuccess(status))
          say(`%SHELVE-I-SHELVED, ${blocks.length} block(s) of ${found.name}: archived`)
        return report(say, status)
      },
    },
  ]
}
