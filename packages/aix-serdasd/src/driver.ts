import { BLOCK_SIZE } from '@vax-vms/block-device'
import { MAX_TRANSFER, type SerialDasdAdapter } from './adapter'
import { fence, parseSense, reassignList, rw10, simple6 } from './cdb'
import {
  DD_CONC,
  DEVINFO,
  IOC,
  OP,
  OPENX_FLAGS,
  ROOT_COMMANDS,
  RW,
  RW_FLAGS,
  SC,
  SENSE_KEY,
} from './constants'
import type { ConnectorListener } from './controller'
import { SENSE_LENGTH } from './dasd'
import { ERRNO, type Errno, fail, type SysResult, succeed } from './errno'
import type { ErrorLabel, ErrorLog } from './error-log'
import { type Exchange, newExchange, resetStatus } from './exchange'
import {
  errnoOf,
  fillIocmdStatus,
  fillParmsStatus,
  labelOf,
  type Outcome,
  outcomeOf,
} from './status'
import {
  type ConcCmd,
  type ConcInterruptHandler,
  checkDevinfo,
  checkSdIocmd,
  checkSdIoctlParms,
  isWritableRecord,
  type SdIocmd,
  type SdIoctlParms,
} from './structures'

/**
 * The authority of a caller, passed explicitly to open, openx and ioctl: `root` for the
 * SD_SCSICMD commands allowed outside Diagnostic mode, `root` or `diagnostic` for openx.
 */
export interface Credentials {
  readonly root?: boolean
  readonly diagnostic?: boolean
}

/** An ordinary caller: no authority. */
export const USER: Credentials = Object.freeze({})
/** A root caller. */
export const ROOT: Credentials = Object.freeze({ root: true })

export interface DriverOptions {
  /** The host's adapter, cabled to the controller that holds the DASD. */
  readonly adapter: SerialDasdAdapter
  /** The DASD's index on the controller. */
  readonly dasd: number
  /** The special file name (default `hdisk<dasd>`), the resource name in the error log. */
  readonly name?: string
  /** Where failures are logged. */
  readonly errorLog?: ErrorLog
  /** devinfo segment_size for the transfer statistics (default 1 MiB). */
  readonly segmentSize?: number
  /** Seconds the driver lets its own commands run (default 30). */
  readonly timeout?: number
}

interface OpenFile {
  readonly ext: number
}

/** Bytes one devinfo-sized chunk of a read or write may move. */
const CHUNK = MAX_TRANSFER

/**
 * The serial DASD device driver of one host for one DASD (`/dev/hdiskN`): open and
 * openx, close, read/readx, write/writex and ioctl, each returning `{ rc, errno }` as
 * the AIX subroutines do.
 */
export class SerialDasdDriver implements ConnectorListener {
  readonly name: string
  readonly dasd: number
  private readonly adapter: SerialDasdAdapter
  private readonly log: ErrorLog | undefined
  private readonly segmentSize: number
  private readonly timeout: number
  private readonly files = new Map<number, OpenFile>()
  private nextFd = 3
  private diagnosticFd = -1
  /** The driver reserved the DASD (and has not released it). */
  private reserved = false
  /** Some open since the reservation asked to keep it after close. */
  private retain = false
  /** The composite of the uncleared SD_SET_FENCE ioctls. */
  private fenceSet = false
  private fenceMask = 0
  private fenceData = 0
  /** This host's fence position indicator, once learned from a zero-mask Fence. */
  private position = 0
  private conc: ConcInterruptHandler | null = null
  private bytesMoved = 0
  private readonly io: Exchange = newExchange()
  /** The addressable size in bytes (fixed by the controller's configuration). */
  readonly size: number

  constructor(options: DriverOptions) {
    this.adapter = options.adapter
    this.dasd = options.dasd
    if (
      !Number.isInteger(this.dasd) ||
      this.dasd < 0 ||
      this.dasd >= this.adapter.controller.dasdCount
    )
      throw new RangeError(`DASD ${this.dasd} is not on controller ${this.adapter.controller.name}`)
    this.name = options.name ?? `hdisk${options.dasd}`
    this.log = options.errorLog
    this.segmentSize = options.segmentSize ?? 1024 * 1024
    this.timeout = options.timeout ?? 30
    this.io.dasd = this.dasd
    this.size = this.adapter.controller.capacity(this.dasd) * BLOCK_SIZE
    this.adapter.listen(this)
  }

  // --- open / openx / close -------------------------------------------------------

  /** open: a normal open (reserves the DASD). Needs no authority. */
  open(): SysResult {
    return this.openWith(0)
  }

  /**
   * openx: `ext` is any OR of SC.DIAGNOSTIC, SC.FORCED_OPEN, SC.RETAIN_RESERVATION and
   * SD_NO_RESERVE. Appropriate authority (root or diagnostic) is required: EACCES
   * otherwise. Unknown bits give EINVAL.
   */
  openx(ext: number, cred: Credentials = USER): SysResult {
    if (!cred?.root && !cred?.diagnostic) return fail('EACCES')
    if (!Number.isInteger(ext) || (ext & ~OPENX_FLAGS) !== 0 || ext < 0) return fail('EINVAL')
    return this.openWith(ext)
  }

  private openWith(ext: number): SysResult {
    // Diagnostic mode is singly entrant, and excludes every other open.
    if (this.diagnosticFd >= 0) return fail('EACCES')
    if (ext & SC.DIAGNOSTIC) {
      if (this.files.size > 0) return fail('EACCES')
      // No Serial DASD subsystem operations during a diagnostic open.
      const fd = this.allocate(ext)
      this.diagnosticFd = fd
      return succeed(fd)
    }
    if (ext & SC.FORCED_OPEN) {
      // The DASD reset goes first, overtaking any other initiator's reservation.
      const x = this.control('reset')
      const outcome = this.issue(x)
      if (outcome !== 'good') return this.failed(outcome, x, 'forced open reset')
      this.reserved = false
    }
    if (!(ext & SC.NO_RESERVE)) {
      const x = this.control('command')
      simple6(x.cdb, OP.RESERVE)
      const outcome = this.issue(x)
      if (outcome !== 'good') return this.failed(outcome, x, 'reserve')
      this.reserved = true
    }
    // The first open of the host decides afresh whether the last close keeps the reservation.
    if (this.files.size === 0) this.retain = false
    if (ext & SC.RETAIN_RESERVATION) this.retain = true
    return succeed(this.allocate(ext))
  }

  private allocate(ext: number): number {
    const fd = this.nextFd++
    this.files.set(fd, { ext })
    return fd
  }

  /**
   * close: the last close releases the reservation unless some open asked to retain
   * it (SC_RETAIN_RESERVATION). A diagnostic close does nothing on the subsystem.
   */
  close(fd: number): SysResult {
    const file = this.files.get(fd)
    if (!file) return fail('EBADF')
    this.files.delete(fd)
    if (fd === this.diagnosticFd) {
      this.diagnosticFd = -1
      return succeed()
    }
    if (this.files.size > 0 || !this.reserved || this.retain) return succeed()
    const x = this.control('command')
    simple6(x.cdb, OP.RELEASE)
    const outcome = this.issue(x)
    this.reserved = false
    return outcome === 'good' ? succeed() : this.failed(outcome, x, 'release')
  }

  // --- read / readx / write / writex ----------------------------------------------

  /** read: `buffer.length` bytes at byte `offset` (both whole 512-byte blocks). */
  read(fd: number, buffer: Uint8Array, offset: number): SysResult {
    return this.transfer(fd, buffer, offset, 0, false)
  }

  /** readx: read with HWRELOC or UNSAFEREL. */
  readx(fd: number, buffer: Uint8Array, offset: number, ext: number): SysResult {
    return this.transfer(fd, buffer, offset, ext, false)
  }

  /** write: `data.length` bytes at byte `offset`. */
  write(fd: number, data: Uint8Array, offset: number): SysResult {
    return this.transfer(fd, data, offset, 0, true)
  }

  /** writex: write with WRITEV, HWRELOC or UNSAFEREL. */
  writex(fd: number, data: Uint8Array, offset: number, ext: number): SysResult {
    return this.transfer(fd, data, offset, ext, true)
  }

  private transfer(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    ext: number,
    writing: boolean,
  ): SysResult {
    if (!this.files.has(fd)) return fail('EBADF')
    // Diagnostic mode accepts only close and ioctl.
    if (fd === this.diagnosticFd) return fail('EACCES')
    if (!(buffer instanceof Uint8Array) || buffer.length % BLOCK_SIZE !== 0) return fail('EINVAL')
    if (!Number.isSafeInteger(offset) || offset < 0 || offset % BLOCK_SIZE !== 0)
      return fail('EINVAL')
    if (!Number.isInteger(ext) || ext < 0 || (ext & ~RW_FLAGS) !== 0) return fail('EINVAL')
    if (offset + buffer.length > this.size) return fail('ENXIO')
    const x = this.io
    x.kind = 'command'
    x.timeout = this.timeout
    let done = 0
    while (done < buffer.length) {
      const n = Math.min(CHUNK, buffer.length - done)
      const lba = (offset + done) / BLOCK_SIZE
      const chunk = n === buffer.length ? buffer : buffer.subarray(done, done + n)
      const errno = this.transferChunk(x, chunk, lba, ext, writing)
      if (errno) return fail(errno)
      done += n
    }
    this.bytesMoved += done
    return succeed(done)
  }

  /**
   * One command's worth of a transfer, with the driver's error recovery: a power-on
   * report is followed by the fence and a retry; a medium error or miscompare on a write
   * with HWRELOC or UNSAFEREL relocates the block and retries; a recovered read error
   * relocates with HWRELOC; an unrecoverable read error relocates only with UNSAFEREL.
   */
  private transferChunk(
    x: Exchange,
    data: Uint8Array,
    lba: number,
    ext: number,
    writing: boolean,
  ): Errno | null {
    const count = data.length / BLOCK_SIZE
    const relocate = (ext & (RW.HWRELOC | RW.UNSAFEREL)) !== 0
    for (let attempt = 0; attempt <= count; attempt++) {
      const op = writing ? (ext & RW.WRITEV ? OP.WRITE_AND_VERIFY : OP.WRITE_10) : OP.READ_10
      rw10(x.cdb, op, lba, count)
      x.data = data
      x.dataLength = data.length
      const outcome = this.issue(x)
      if (outcome === 'good') return null
      if (outcome !== 'check-condition') return this.logFailure(outcome, x, lba)
      const sense = this.requestSense()
      if (sense.key === SENSE_KEY.RECOVERED_ERROR) {
        this.logLabel('SDM_ERR2', { block: sense.info, asc: sense.asc })
        if (relocate) this.reassign(sense.info, 'recovered read error')
        return null
      }
      const bad = sense.key === SENSE_KEY.MEDIUM_ERROR || sense.key === SENSE_KEY.MISCOMPARE
      if (bad && writing && relocate) {
        // Safe: the data for the block is in hand, so the spare gets it on the retry.
        if (!this.reassign(sense.info, 'write error')) return 'EIO'
        continue
      }
      if (bad) {
        this.logLabel('SDM_ERR1', { block: sense.info, senseKey: sense.key, asc: sense.asc })
        // Unsafe relocation: the block's data is lost, but the block works again.
        if (!writing && ext & RW.UNSAFEREL) this.reassign(sense.info, 'unrecovered read error')
        return 'EIO'
      }
      this.logLabel('SDD_ERR5', { block: lba, senseKey: sense.key, asc: sense.asc })
      return 'EIO'
    }
    return 'EIO'
  }

  private requestSense(): { key: number; asc: number; info: number } {
    const x = this.control('command')
    const data = new Uint8Array(SENSE_LENGTH)
    simple6(x.cdb, OP.REQUEST_SENSE, SENSE_LENGTH)
    x.data = data
    x.dataLength = SENSE_LENGTH
    this.issue(x)
    return parseSense(data)
  }

  private reassign(lba: number, why: string): boolean {
    const x = this.control('command')
    simple6(x.cdb, OP.REASSIGN_BLOCKS)
    x.data = reassignList(lba)
    x.dataLength = x.data.length
    const outcome = this.issue(x)
    if (outcome === 'good') {
      this.logLabel('SDM_ERR3', { block: lba, reason: why })
      return true
    }
    this.logFailure(outcome, x, lba)
    return false
  }

  // --- ioctl ----------------------------------------------------------------------

  /**
   * ioctl: IOCINFO, SD_SCSICMD, SD_RESET, SD_SET_FENCE, SD_CLEAR_FENCE,
   * DD_CONC_REGISTER and DD_CONC_UNREGISTER. Any other operation gives EINVAL.
   */
  ioctl(fd: number, op: number, arg: unknown, cred: Credentials = USER): SysResult {
    if (!this.files.has(fd)) return fail('EBADF')
    switch (op) {
      case IOC.IOCINFO:
        return this.iocinfo(arg)
      case IOC.SD_SCSICMD:
        return this.scsiCommand(fd, arg, cred)
      case IOC.SD_RESET:
        return this.reset(fd, arg)
      case IOC.SD_SET_FENCE:
        return this.setFence(arg)
      case IOC.SD_CLEAR_FENCE:
        return this.clearFence(arg)
      case IOC.DD_CONC_REGISTER:
        return this.concRegister(fd, arg)
      case IOC.DD_CONC_UNREGISTER:
        return this.concUnregister(arg)
      default:
        return fail('EINVAL')
    }
  }

  /** IOCINFO: devinfo with the DASD's scdk fields. */
  private iocinfo(arg: unknown): SysResult {
    if (!checkDevinfo(arg)) return fail('EINVAL')
    const concurrent = this.adapter.controller.concurrent
    arg.devtype = DEVINFO.DD_SCDISK
    arg.devsubtype = DEVINFO.DS_PV
    arg.flags = DEVINFO.DF_FIXED | DEVINFO.DF_RAND | (concurrent ? DEVINFO.DF_CONC : 0)
    const s = arg.un.scdk
    s.blksize = BLOCK_SIZE
    s.numblks = this.adapter.controller.capacity(this.dasd)
    s.max_request = MAX_TRANSFER
    s.segment_size = this.segmentSize
    s.segment_count = Math.floor(this.bytesMoved / this.segmentSize)
    s.byte_count = this.bytesMoved % this.segmentSize
    return succeed()
  }

  /**
   * SD_SCSICMD: any command in Diagnostic mode; outside it, only the root list (Fence,
   * Receive Diagnostics, Inquiry, Request Sense, Read, Write Buffer, Read Extended) and
   * only for root, EACCES otherwise. More than max_request bytes: EINVAL. No error
   * recovery and no error logging; the status bytes come back in `arg`.
   */
  private scsiCommand(fd: number, arg: unknown, cred: Credentials): SysResult {
    const bad = checkSdIocmd(arg)
    if (bad) return fail(bad)
    const cmd = arg as SdIocmd
    const op = cmd.scsi_cdb[0] ?? 0
    if (fd !== this.diagnosticFd && !(cred?.root && ROOT_COMMANDS.has(op))) return fail('EACCES')
    if (cmd.data_length > MAX_TRANSFER) return fail('EINVAL')
    const x = this.control('command')
    x.cdb = cmd.scsi_cdb.slice(0, cmd.command_length)
    x.data = cmd.buffer
    x.dataLength = cmd.data_length
    x.timeout = cmd.timeout_value
    const outcome = this.issue(x, false)
    fillIocmdStatus(x, cmd)
    return outcome === 'good' ? succeed() : fail(errnoOf(outcome))
  }

  /** SD_RESET: Diagnostic mode only (EACCES); a full reset or a quiesce; EIO when the adapter does not answer. */
  private reset(fd: number, arg: unknown): SysResult {
    if (fd !== this.diagnosticFd) return fail('EACCES')
    const bad = checkSdIoctlParms(arg, 'reset')
    if (bad) return fail(bad)
    const parms = arg as SdIoctlParms
    const x = this.control(parms.reset_type === 0 ? 'reset' : 'quiesce')
    x.timeout = parms.time_out
    const outcome = this.issue(x)
    fillParmsStatus(x, parms)
    if (outcome !== 'good') return fail(errnoOf(outcome))
    if (x.kind === 'reset') this.reserved = false
    return succeed()
  }

  /**
   * SD_SET_FENCE: Mask and Swap with Force Fence off, resvd1 the mask and resvd2 the
   * data. The driver learns its position with a zero mask first; a fence that would
   * fence this host out is EINVAL, as is a DASD without fencing. On success resvd3 is
   * the position indicator, resvd4 the old register and resvd5 the current fence, and
   * the composite fence is kept for re-fencing after a power cycle.
   */
  private setFence(arg: unknown): SysResult {
    if (!this.adapter.controller.fencing) return fail('EINVAL')
    const bad = checkSdIoctlParms(arg, 'set-fence')
    if (bad) return fail(bad)
    const parms = arg as SdIoctlParms
    const mask = parms.resvd1
    const data = parms.resvd2
    if (this.position === 0) {
      const query = this.fenceCommand(0, 0, parms.time_out)
      if (query.outcome !== 'good') {
        fillParmsStatus(query.x, parms)
        return fail(errnoOf(query.outcome))
      }
      this.position = query.position
    }
    if ((mask & data & this.position) !== 0) return fail('EINVAL')
    const result = this.fenceCommand(mask, data, parms.time_out)
    fillParmsStatus(result.x, parms)
    if (result.outcome !== 'good') return fail(errnoOf(result.outcome))
    parms.resvd3 = result.position
    parms.resvd4 = result.old
    parms.resvd5 = ((data & mask) | (result.old & ~mask)) & 0xffff
    this.fenceData = ((data & mask) | (this.fenceData & ~mask)) & 0xffff
    this.fenceMask = (this.fenceMask | mask) & 0xffff
    this.fenceSet = true
    return succeed()
  }

  /**
   * SD_CLEAR_FENCE: removes the composite fence (every bit the uncleared sets masked is
   * set to 0). EINVAL when no fence was set, or the DASD does not support fencing.
   */
  private clearFence(arg: unknown): SysResult {
    if (!this.adapter.controller.fencing) return fail('EINVAL')
    const bad = checkSdIoctlParms(arg, 'clear-fence')
    if (bad) return fail(bad)
    if (!this.fenceSet) return fail('EINVAL')
    const parms = arg as SdIoctlParms
    const result = this.fenceCommand(this.fenceMask, 0, parms.time_out)
    fillParmsStatus(result.x, parms)
    if (result.outcome !== 'good') return fail(errnoOf(result.outcome))
    parms.resvd3 = result.position
    parms.resvd4 = result.old
    this.fenceSet = false
    this.fenceMask = 0
    this.fenceData = 0
    return succeed()
  }

  private fenceCommand(
    mask: number,
    data: number,
    timeout: number,
  ): { outcome: Outcome; x: Exchange; position: number; old: number } {
    const x = this.control('command')
    fence(x.cdb, mask, data)
    const reply = new Uint8Array(4)
    x.data = reply
    x.dataLength = reply.length
    x.timeout = timeout
    const outcome = this.issue(x)
    return {
      outcome,
      x,
      position: ((reply[0] ?? 0) << 8) | (reply[1] ?? 0),
      old: ((reply[2] ?? 0) << 8) | (reply[3] ?? 0),
    }
  }

  /**
   * DD_CONC_REGISTER: one kernel extension per DASD. EINVAL when conc_intr_addr is not
   * a handler, one is already registered, the DASD does not support concurrent mode, or
   * the descriptor is in Diagnostic mode. On success conc_func_addr is the driver's
   * entry point for concurrent mode commands.
   */
  private concRegister(fd: number, arg: unknown): SysResult {
    if (!isWritableRecord(arg)) return fail('EINVAL')
    const reg = arg as { conc_intr_addr?: unknown; conc_func_addr?: unknown }
    if (typeof reg.conc_intr_addr !== 'function') return fail('EINVAL')
    if (this.conc || !this.adapter.controller.concurrent || fd === this.diagnosticFd)
      return fail('EINVAL')
    this.conc = reg.conc_intr_addr as ConcInterruptHandler
    reg.conc_func_addr = this.concFunction
    return succeed()
  }

  /** DD_CONC_UNREGISTER: EINVAL when nothing is registered, or `arg` names another handler. */
  private concUnregister(arg: unknown): SysResult {
    if (typeof arg !== 'object' || arg === null) return fail('EINVAL')
    const reg = arg as { conc_intr_addr?: unknown }
    if (!this.conc || reg.conc_intr_addr !== this.conc) return fail('EINVAL')
    this.conc = null
    return succeed()
  }

  /**
   * The concurrent mode entry point: DD_CONC_SEND_REFRESH tells the other hosts'
   * registered extensions (DD_CONC_RECV_REFRESH); DD_CONC_TEST checks the DASD is still
   * accessible from this host. Returns 0 or an errno number (also left in `cmd.error`).
   */
  private readonly concFunction = (cmd: ConcCmd): number => {
    let errno: Errno | null = null
    if (!this.conc) errno = 'EINVAL'
    else if (cmd.cmd_op === DD_CONC.SEND_REFRESH) {
      this.adapter.controller.broadcast(this.adapter.connector, this.dasd, cmd.message)
    } else if (cmd.cmd_op === DD_CONC.TEST) {
      const x = this.control('command')
      simple6(x.cdb, OP.INQUIRY, 36)
      x.data = new Uint8Array(36)
      x.dataLength = 36
      const outcome = this.issue(x)
      if (outcome !== 'good') errno = errnoOf(outcome)
    } else errno = 'EINVAL'
    cmd.error = errno ? ERRNO[errno] : 0
    return cmd.error
  }

  concurrentMessage(dasd: number, message: number, from: number): void {
    if (dasd !== this.dasd || !this.conc) return
    this.conc({ error: 0, cmd_op: DD_CONC.RECV_REFRESH, message, devno: dasd }, from)
  }

  // --- power-on handling ------------------------------------------------------------

  /** The controller's power-on event: re-establish the fence at once. */
  poweredOn(dasd: number): void {
    if (dasd === this.dasd && this.fenceSet) this.refence()
  }

  /**
   * A power-on seen: the reservation is gone with it, and a fence set by SD_SET_FENCE
   * is issued again (the page: "reissues the Fence anytime it detects a power off and
   * subsequent power on").
   */
  private powerOnSeen(): void {
    this.reserved = false
    if (!this.fenceSet) return
    this.refence()
    this.logLabel('SDD_ERR4', { fenceMask: this.fenceMask, fenceData: this.fenceData })
  }

  private refence(): void {
    const x = this.control('command')
    fence(x.cdb, this.fenceMask, this.fenceData)
    x.data = new Uint8Array(4)
    x.dataLength = 4
    this.issue(x)
  }

  // --- plumbing -------------------------------------------------------------------

  /** A fresh exchange for a control command. */
  private control(kind: Exchange['kind']): Exchange {
    const x = newExchange()
    x.kind = kind
    x.dasd = this.dasd
    x.timeout = this.timeout
    return x
  }

  /**
   * Sends `x`. A power-on report is handled (re-fence) and, with `recover`, the command
   * is sent once more.
   */
  private issue(x: Exchange, recover = true): Outcome {
    resetStatus(x)
    this.adapter.send(x)
    let outcome = outcomeOf(x)
    if (outcome === 'powered-on') {
      this.powerOnSeen()
      if (recover) {
        resetStatus(x)
        this.adapter.send(x)
        outcome = outcomeOf(x)
      }
    }
    return outcome
  }

  private failed(outcome: Outcome, x: Exchange, during: string): SysResult {
    return fail(this.logFailure(outcome, x, -1, during))
  }

  private logFailure(outcome: Outcome, x: Exchange, block: number, during = 'transfer'): Errno {
    const label = labelOf(outcome)
    if (label) {
      const detail: Record<string, number | string> = {
        during,
        host: this.adapter.connector,
        generalStatus: x.generalStatus,
        adapterStatus: x.adapterStatus,
        scsiStatus: x.scsiStatus,
      }
      if (block >= 0) detail.block = block
      const resource = label.startsWith('SDA')
        ? this.adapter.name
        : label.startsWith('SDC')
          ? this.adapter.controller.name
          : this.name
      this.logLabel(label, detail, resource)
    }
    return errnoOf(outcome)
  }

  /** Logs, unless a descriptor is in Diagnostic mode (error logging is disabled then). */
  private logLabel(
    label: ErrorLabel,
    detail: Record<string, number | string>,
    resource = this.name,
  ): void {
    if (this.diagnosticFd >= 0 || !this.log) return
    this.log.log(label, resource, detail)
  }

  /** Whether the driver believes it holds the reservation (for tests and tools). */
  get holdsReservation(): boolean {
    return this.reserved
  }

  /** The composite fence this driver maintains: null when none is set. */
  get compositeFence(): { mask: number; data: number } | null {
    return this.fenceSet ? { mask: this.fenceMask, data: this.fenceData } : null
  }

  /** Takes the driver off the adapter's event list (it keeps no descriptors). */
  detach(): void {
    this.adapter.unlisten(this)
  }
}
