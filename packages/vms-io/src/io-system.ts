import { PriorityClass, SS, type Status } from '@vms/contracts'
import { DC, DEV, DEV2, DYN_IO, functionBit, functionCode, IoFunction, LENGTH } from './constants'
import { type ConnectOptions, IoDatabase, type LoadOptions } from './database'
import type { Driver, FdtContext, FdtResult, FdtRoutine, FdtServices } from './driver'
import {
  type FdtIntercept,
  type InterceptState,
  installIntercept,
  type StealFdtOptions,
} from './fdt-intercept'
import { deviceItem } from './getdvi'
import { LogicalNameTable } from './logical-names'
import {
  DEFAULT_MAILBOX,
  defaultMailboxQuotas,
  mailboxDriver,
  mailboxUnit,
  releaseMailbox,
  writeMailbox,
} from './mailbox'
import { type IoQuotaLimits, type IoQuotaState, IoQuotas } from './quotas'
import type { Ccb, Dpt, Irp, Mode, Ucb } from './structures'

/** IRP$C_LENGTH: the size of an IRP in nonpaged pool (book Table 3-3). */
export const IRP_LENGTH = LENGTH.IRP

/** What the I/O system needs from the rest of the executive. */
export interface IoHost extends FdtContext {
  /** $QIO step 1: clears the event flag (SS$_ILLEFC, SS$_UNASEFC for a bad one). */
  clearEventFlag(pid: number, efn: number): Status
  /** I/O postprocessing: sets the request's event flag with the driver's boost. */
  setEventFlag(pid: number, efn: number, priorityClass: PriorityClass): void
  /** I/O postprocessing: queues the completion AST. */
  queueAst(
    pid: number,
    mode: Mode,
    routine: number,
    parameter: number,
    priorityClass: PriorityClass,
  ): void
  /**
   * I/O postprocessing: writes into the process's memory wherever it runs (the I/O
   * status block, and the data of a buffered read).
   */
  writeProcess(pid: number, address: number, data: Uint8Array): void
  /** Calls `then` after `delay` 100 ns units of (virtual) time. */
  after(delay: number, then: () => void): void
  /**
   * Does the process hold the privilege (TMPMBX, PRMMBX, SHARE)? Every privilege is
   * held when the host does not say.
   */
  hasPrivilege?(pid: number, privilege: 'TMPMBX' | 'PRMMBX' | 'SHARE'): boolean
  /**
   * Queues a special kernel AST to the process (book 7.2.2, 18.7.3): `routine` runs in
   * its context when it next runs. I/O postprocessing finishes each request there
   * (the data of a buffered read, the IOSB, the completion AST). Without it, they are
   * written at once through `writeProcess`.
   */
  queueSpecialKernelAst?(pid: number, routine: () => void): void
}

/**
 * The stages a request passes (book 18.5-18.7), as `IoSystemOptions.observe` reports
 * them: `preprocessed` ($QIO's device-independent checks passed, the IRP built),
 * `fdt` (its FDT routine ran), `queued` (EXE$QIODRVPKT put it in the unit's queue: the
 * unit was busy), `start` (IOC$INITIATE called the driver's start I/O routine),
 * `interrupt` (the device's interrupt came, its fork process ran), `reqcom`
 * (IOC$REQCOM, or EXE$FINISHIO for a request the FDT routine finished, put it in the
 * postprocessing queue), `iopost` (IOC$IOPOST at IPL 4: quotas back, event flag set),
 * `complete` (in the process's context: buffered data and IOSB written, AST queued).
 */
export type IoStage =
  | 'preprocessed'
  | 'fdt'
  | 'queued'
  | 'start'
  | 'interrupt'
  | 'reqcom'
  | 'iopost'
  | 'complete'

/**
 * Where IRPs and the I/O database come from: nonpaged pool (`@vms/contracts`'s
 * DynamicMemory, `@vms/pool`'s NonpagedPool fit). `type` is the DYN$C_ code.
 */
export interface IrpPool {
  allocate(bytes: number, type?: number): { status: Status; address: number }
  deallocate(address: number): void
}

/** The arguments of $QIO after the change-mode dispatcher read them. */
export interface QioArguments {
  readonly efn: number
  readonly channel: number
  readonly func: number
  readonly iosb: number
  readonly astadr: number
  readonly astprm: number
  readonly p: readonly number[]
}

/** How the I/O system is built. */
export interface IoSystemOptions {
  /** Nonpaged pool for IRPs, system buffers and the I/O database; none: unlimited. */
  readonly pool?: IrpPool
  /** CHANNELCNT: channels per process (default 32). */
  readonly channelCount?: number
  /** The node name FULLDEVNAM shows for devices without an allocation class. */
  readonly nodeName?: string
  /** Driver images `load(name)` finds (SYS$LOADABLE_IMAGES); MBDRIVER is always there. */
  readonly images?: readonly Driver[]
  /** Load MBDRIVER and connect its template unit MBA0 now, so that $CREMBX works. */
  readonly mailboxes?: boolean
  /** Told of each stage each request passes, for tracing and teaching. */
  readonly observe?: (stage: IoStage, irp: Readonly<Irp>) => void
}

/** $CREMBX's arguments (book 18.9.1). */
export interface CreateMailboxOptions {
  /** PRMFLG: a permanent mailbox (PRMMBX privilege) rather than a temporary one (TMPMBX). */
  readonly permanent?: boolean
  /** MAXMSG: the largest message; DEFMBXMXMSG when 0 or absent. */
  readonly maxmsg?: number
  /** BUFQUO: bytes of messages it may hold; DEFMBXBUFQUO when 0 or absent. */
  readonly bufquo?: number
  /** ACMODE: maximized with the caller's mode. */
  readonly acmode?: Mode
  /** LOGNAM: the mailbox's logical name. */
  readonly lognam?: string
}

/** The largest system buffer (a word count). */
const MAX_TRANSFER = 0xffff

/** What a process must keep of BYTCNT beyond a UCB's charge (book 18.4.2, 18.9.1): 256 bytes. */
const DELETION_OVERHEAD = 256

/**
 * The I/O system (book ch. 18): the I/O database (DPTs, DDBs, CRBs, IDBs, UCBs, from
 * pool when one is given), driver loading and unit connection, device names with
 * logical names, each process's channels, $ASSIGN, $DASSGN, $ALLOC, $DALLOC, $GETDVI,
 * $CREMBX, $DELMBX, $QIO with device-independent preprocessing, quotas and the
 * driver's FDT routines, the unit queues, IOC$REQCOM, $CANCEL, and I/O postprocessing
 * (IOC$IOPOST), which the caller runs as its IPL 4 software interrupt would
 * (`postprocess`).
 */
export class IoSystem {
  /** Logical names of devices (book 18.1): aliases like TT and mailbox names. */
  readonly logicalNames = new LogicalNameTable()
  private readonly database: IoDatabase
  private readonly channels = new Map<number, Map<number, Ccb>>()
  private readonly quotaTable = new IoQuotas()
  /** IOC$GL_PSBL: completed requests waiting for I/O postprocessing. */
  private readonly postQueue: Irp[] = []
  private readonly services: FdtServices
  private readonly fdtContext: FdtContext
  /** Installed FDT intercepts, each with the requests it holds. */
  private readonly intercepts = new Set<InterceptState>()
  /** The request whose start I/O routine is running (for `observe`'s interrupt stage). */
  private starting: Irp | undefined
  /** `DRIVER:code` of each FDT entry an intercept has taken. */
  private readonly stolen = new Set<string>()

  constructor(
    private readonly host: IoHost,
    private readonly options: IoSystemOptions = {},
  ) {
    this.fdtContext = host
    this.services = {
      requestComplete: (ucb, status, count, deviceStatus) =>
        this.requestComplete(ucb, status, count, deviceStatus),
      post: (irp, status, count, deviceStatus) => this.post(irp, status, count, deviceStatus),
      after: (delay, then) => {
        // A wait a start I/O routine begins ends in the device's interrupt (book 18.6).
        const irp = this.starting
        host.after(delay, () => {
          if (irp !== undefined) this.options.observe?.('interrupt', irp)
          then()
        })
      },
      queueAst: (pid, mode, routine, parameter) =>
        host.queueAst(pid, mode, routine, parameter, PriorityClass.NULL),
      allocate: (bytes, type) => this.fromPool(bytes, type),
      deallocate: (address) => this.toPool(address),
      writeProcess: (pid, address, data) => host.writeProcess(pid, address, data),
      systemBuffer: (irp, bytes) => this.systemBuffer(irp, bytes),
    }
    this.database = new IoDatabase(
      { fromPool: (bytes, type) => this.fromPool(bytes, type), toPool: (a) => this.toPool(a) },
      this.logicalNames,
      [mailboxDriver(), ...(options.images ?? [])],
      options.nodeName,
    )
    if (options.mailboxes === true) {
      const loaded = this.load('MBDRIVER')
      const status =
        loaded === SS.NORMAL ? this.connect('MBA0', 'MBDRIVER', { template: true }) : loaded
      if (status !== SS.NORMAL) throw new Error(`cannot connect MBA0: status ${status}`)
    }
  }

  // ---------------------------------------------------------------- the I/O database

  /**
   * SYSGEN LOAD: loads a driver image (by name from the images given, or the image
   * itself), building its DPT, DDT and FDT, the DPT from pool. The allocation class
   * and cluster bit are set now, at load time, for every unit connected later.
   * SS$_NOSUCHFILE for an unknown image, SS$_DRVEXISTS when loaded already,
   * SS$_BADPARAM for an allocation class outside 0-255, SS$_INSFMEM without pool.
   */
  load(image: Driver | string, options: LoadOptions = {}): Status {
    return this.database.load(image, options)
  }

  /** A loaded driver's DPT. */
  driver(name: string): Dpt | undefined {
    return this.database.driver(name)
  }

  /**
   * SYSGEN CONNECT: creates unit `devnam` (`VDA0`) of a loaded driver: its DDB (with
   * a CRB and IDB) when the controller is new, and its UCB, all from pool; a disk
   * driver's unit takes `storage`. SS$_IVDEVNAM for a name that is not `ddcu`,
   * SS$_NONEXDRV when the driver is not loaded, SS$_DEVEXISTS when the unit exists or
   * the controller belongs to another driver, SS$_BADPARAM for a disk without storage,
   * SS$_INSFMEM when pool runs out (nothing is left allocated).
   */
  connect(devnam: string, driver: string, options: ConnectOptions = {}): Status {
    const dpt = this.database.driver(driver)
    if (dpt === undefined) return SS.NONEXDRV
    return this.database.connect(devnam, dpt, options).status
  }

  /**
   * Adds a unit under its full name (OPA0) with `driver` (loaded now if it was not)
   * and aliases (TT), which become terminal logical names. The assembled system's way
   * to build its console; throws when pool has no room, as a failed boot would.
   */
  addUnit(name: string, driver: Driver, aliases: readonly string[] = []): Ucb {
    const r = this.database.connect(name, this.database.implicitDpt(driver), {})
    if (r.ucb === undefined) throw new Error(`cannot add ${name}: status ${r.status}`)
    for (const alias of aliases)
      this.logicalNames.define(alias, `_${r.ucb.name}:`, { terminal: true })
    return r.ucb
  }

  /** The unit a device or logical name names, or undefined. */
  unit(name: string): Ucb | undefined {
    return this.search(name).ucb
  }

  /** Every unit, in the order of the device list. */
  devices(): Ucb[] {
    return this.database.devices()
  }

  /**
   * IOC$SEARCH (book 18.3.2, 18.4.2): translates `devnam` (book 18.1), parses it and
   * finds the unit; a generic name (VD, VDA) finds the first unit not allocated to
   * another process. SS$_IVDEVNAM, SS$_NONLOCAL, SS$_TOOMANYLNAM, SS$_NOSUCHDEV.
   */
  search(devnam: string, pid = 0): { status: Status; ucb?: Ucb } {
    return this.database.search(devnam, pid)
  }

  /**
   * The device name as $GETDVI's DEVNAM and FULLDEVNAM give it: `_$193$VDA0:` with an
   * allocation class, `_NODE$VDA0:` (full) with a node name, `_VDA0:` otherwise.
   */
  deviceName(ucb: Ucb, full = false): string {
    return this.database.deviceName(ucb, full)
  }

  /** The channels process `pid` has assigned, in channel order (for SHOW and rundown checks). */
  channelsOf(pid: number): number[] {
    return [...(this.channels.get(pid)?.keys() ?? [])].sort((a, b) => a - b)
  }

  /** Requests waiting for postprocessing. */
  /** The completed requests waiting for I/O postprocessing (IOC$GL_PSBL), oldest first. */
  postQueued(): readonly Readonly<Irp>[] {
    return [...this.postQueue]
  }

  get postPending(): number {
    return this.postQueue.length
  }

  /** Sets a process's DIOLM, BIOLM and BYTLM; a process without them is unlimited. */
  setQuotas(pid: number, limits: IoQuotaLimits): void {
    this.quotaTable.set(pid, limits)
  }

  /** What is left of a process's quotas, or undefined when it has none set. */
  quotas(pid: number): Readonly<IoQuotaState> | undefined {
    return this.quotaTable.get(pid)
  }

  // ---------------------------------------------------------------- channels

  /**
   * $ASSIGN (book 18.4.2): a free channel (SS$_NOIOCHAN), the device (IOC$SEARCH's
   * statuses), and access to it: a nonshareable device allocated to another process is
   * SS$_DEVALLOC without SHARE privilege; one not allocated is allocated implicitly
   * unless it is cluster available. A template device is cloned (a new mailbox for
   * MBA0). Channel numbers are multiples of 16.
   */
  assign(pid: number, devnam: string, mode: Mode): { status: Status; channel?: number } {
    const channel = this.freeChannel(pid)
    if (channel === undefined) return { status: SS.NOIOCHAN }
    const found = this.search(devnam, pid)
    if (found.ucb === undefined) return { status: found.status }
    let ucb = found.ucb
    if (ucb.template) {
      const clone = this.cloneUcb(ucb, pid)
      if (clone.ucb === undefined) return { status: clone.status }
      ucb = clone.ucb
    } else {
      const shareable = (ucb.devchar & DEV.SHR) !== 0
      if (!shareable && ucb.pid !== 0 && ucb.pid !== pid && !this.privileged(pid, 'SHARE'))
        return { status: SS.DEVALLOC }
      if (!shareable && ucb.pid === 0 && (ucb.devchar2 & DEV2.CLU) === 0) ucb.pid = pid
    }
    return { status: SS.NORMAL, channel: this.addChannel(pid, channel, ucb, mode) }
  }

  /**
   * $DASSGN (book 18.4.3): the channel's requests are canceled (EXE$CANCELN with
   * CAN$C_DASSGN), the channel freed, the reference count lowered; with none left the
   * owner is cleared (implicit deallocation) and last channel processing deletes a
   * temporary or marked mailbox. SS$_IVCHAN for a channel not assigned, or assigned
   * from an inner mode.
   */
  deassign(pid: number, channel: number, mode: Mode): Status {
    const ccb = this.verifyChannel(pid, channel, mode)
    if (ccb === undefined) return SS.IVCHAN
    this.cancelChannel(pid, channel & 0xffff, ccb, 'DASSGN')
    this.channels.get(pid)?.delete(channel & 0xffff)
    this.dropReference(ccb.ucb)
    return SS.NORMAL
  }

  /**
   * $CANCEL (book 18.8): the channel's queued requests (other than virtual ones)
   * complete with SS$_CANCEL; the driver's cancel routine ends the one in progress
   * (SS$_ABORT). SS$_IVCHAN for a bad channel.
   */
  cancel(pid: number, channel: number, mode: Mode): Status {
    const ccb = this.verifyChannel(pid, channel, mode)
    if (ccb === undefined) return SS.IVCHAN
    this.cancelChannel(pid, channel & 0xffff, ccb, 'CANCEL')
    return SS.NORMAL
  }

  // ---------------------------------------------------------------- allocation

  /**
   * $ALLOC (book 18.3.2): allocates the device to the process; `flags` 1 takes the
   * first free device of the generic name's type. Returns the physical name. Refused
   * with SS$_DEVALLOC when another process owns it or has channels to it, SS$_DEVMOUNT
   * when mounted, SS$_TEMPLATEDEV for a template; SS$_DEVALRALLOC (success) when the
   * caller has it already.
   */
  allocate(
    pid: number,
    devnam: string,
    mode: Mode,
    options: { acmode?: Mode; flags?: number } = {},
  ): { status: Status; name?: string } {
    const found = this.search(devnam, pid)
    let ucb = found.ucb
    if (ucb === undefined) return { status: found.status }
    if ((options.flags ?? 0) & 1) {
      const generic = ucb.ddb.dpt.generic
      ucb =
        this.devices().find(
          (u) =>
            u.ddb.dpt.generic === generic &&
            !u.template &&
            u.pid === 0 &&
            u.refc === 0 &&
            (u.devchar & DEV.MNT) === 0,
        ) ?? ucb
    }
    if (ucb.template) return { status: SS.TEMPLATEDEV }
    if ((ucb.devchar & DEV.ALL) !== 0 && ucb.pid === pid)
      return { status: SS.DEVALRALLOC, name: this.deviceName(ucb) }
    if (ucb.pid !== 0 && ucb.pid !== pid) return { status: SS.DEVALLOC }
    if (ucb.refc !== 0 && ucb.pid !== pid) return { status: SS.DEVALLOC }
    if ((ucb.devchar & DEV.MNT) !== 0) return { status: SS.DEVMOUNT }
    if ((ucb.devchar & DEV.AVL) === 0 || !ucb.online) return { status: SS.DEVOFFLINE }
    ucb.devchar |= DEV.ALL
    ucb.amod = Math.max(options.acmode ?? 0, mode) as Mode
    ucb.refc++
    ucb.pid = pid
    return { status: SS.NORMAL, name: this.deviceName(ucb) }
  }

  /**
   * $DALLOC (book 18.3.3): deallocates `devnam`, or every device the process
   * allocated from `acmode` (maximized with the caller's) or an outer mode.
   * SS$_DEVNOTALLOC when the device is not explicitly allocated to the caller from
   * such a mode, SS$_DEVMOUNT when it is mounted.
   */
  deallocate(pid: number, devnam: string | undefined, mode: Mode, acmode: Mode = 0): Status {
    const least = Math.max(acmode, mode)
    const eligible = (u: Ucb) => u.pid === pid && u.amod >= least && (u.devchar & DEV.ALL) !== 0
    if (devnam === undefined) {
      for (const u of this.devices())
        if (eligible(u) && (u.devchar & DEV.MNT) === 0) this.deallocateUnit(u)
      return SS.NORMAL
    }
    const found = this.search(devnam, pid)
    if (found.ucb === undefined) return found.status
    if (!eligible(found.ucb)) return SS.DEVNOTALLOC
    if ((found.ucb.devchar & DEV.MNT) !== 0) return SS.DEVMOUNT
    this.deallocateUnit(found.ucb)
    return SS.NORMAL
  }

  // ---------------------------------------------------------------- $GETDVI

  /**
   * $GETDVI: one item of the device named by `channel` (which wins) or `devnam`.
   * Numbers for the longword items, strings for DEVNAM and FULLDEVNAM. SS$_IVCHAN,
   * the search statuses, SS$_BADPARAM for an item code not supported.
   */
  getdvi(
    pid: number,
    mode: Mode,
    target: { readonly channel?: number; readonly devnam?: string },
    item: number,
  ): { status: Status; value?: number | string } {
    let ucb: Ucb | undefined
    if (target.channel !== undefined && target.channel !== 0) {
      ucb = this.verifyChannel(pid, target.channel, mode)?.ucb
      if (ucb === undefined) return { status: SS.IVCHAN }
    } else {
      const found = this.search(target.devnam ?? '', pid)
      if (found.ucb === undefined) return { status: found.status }
      ucb = found.ucb
    }
    const value = deviceItem(ucb, item, (full) => this.deviceName(ucb, full))
    return value === undefined ? { status: SS.BADPARAM } : { status: SS.NORMAL, value }
  }

  // ---------------------------------------------------------------- mailboxes

  /**
   * $CREMBX (book 18.9.1): a channel to the mailbox named `lognam` if it exists, or
   * to a new one cloned from MBA0: TMPMBX or PRMMBX privilege (SS$_NOPRIV); a
   * temporary mailbox's UCB, buffer quota and 256 bytes charged to BYTCNT and BYTLM
   * (SS$_EXQUOTA); the logical name defined (SS$_DUPLNAM when it names something else).
   * SS$_NOIOCHAN, SS$_IVLOGNAM, SS$_BADPARAM, SS$_INSFMEM; nothing changes on failure.
   */
  createMailbox(
    pid: number,
    mode: Mode,
    options: CreateMailboxOptions = {},
  ): { status: Status; channel?: number } {
    const permanent = options.permanent ?? false
    if (!this.privileged(pid, permanent ? 'PRMMBX' : 'TMPMBX')) return { status: SS.NOPRIV }
    const quotas = defaultMailboxQuotas(options.maxmsg ?? 0, options.bufquo ?? 0)
    if (quotas === undefined) return { status: SS.BADPARAM }
    const lognam = options.lognam
    if (lognam !== undefined && (lognam.trim() === '' || lognam.length > 255))
      return { status: SS.IVLOGNAM }
    if (permanent && lognam === undefined) return { status: SS.IVLOGNAM }
    const acmode = Math.max(options.acmode ?? 0, mode) as Mode
    const channel = this.freeChannel(pid)
    if (channel === undefined) return { status: SS.NOIOCHAN }
    if (lognam !== undefined) {
      const existing = this.logicalNames.lookup(lognam)
      const ucb = existing === undefined ? undefined : this.search(existing.equivalence).ucb
      if (ucb?.mailbox !== undefined)
        return { status: SS.NORMAL, channel: this.addChannel(pid, channel, ucb, acmode) }
      // One table here: a name that means something else is not taken over.
      if (existing !== undefined) return { status: SS.DUPLNAM }
    }
    const template = this.devices().find((u) => u.template && u.devclass === DC.MAILBOX)
    if (template === undefined) return { status: SS.NOSUCHDEV }
    const made = this.cloneUcb(template, pid, {
      ...quotas,
      permanent,
      lognam: lognam?.toUpperCase(),
    })
    const ucb = made.ucb
    if (ucb === undefined) return { status: made.status }
    if (lognam !== undefined) this.logicalNames.define(lognam, `_${ucb.name}:`, { terminal: true })
    return { status: SS.NORMAL, channel: this.addChannel(pid, channel, ucb, acmode) }
  }

  /**
   * $DELMBX (book 18.9.2): marks the mailbox for deletion when its last channel is
   * deassigned. SS$_IVCHAN, SS$_DEVNOTMBX, SS$_NOPRIV (a permanent one needs PRMMBX).
   */
  deleteMailbox(pid: number, channel: number, mode: Mode): Status {
    const ccb = this.verifyChannel(pid, channel, mode)
    if (ccb === undefined) return SS.IVCHAN
    const mailbox = ccb.ucb.mailbox
    if (mailbox === undefined) return SS.DEVNOTMBX
    if (mailbox.permanent && !this.privileged(pid, 'PRMMBX')) return SS.NOPRIV
    ccb.ucb.deleteOnLastChannel = true
    return SS.NORMAL
  }

  /**
   * EXE$WRTMAILBOX (book 18.9, 19.5.4): a message from system context into the mailbox
   * `devnam` names (a logical name such as the one $CREMBX gave it), as from process
   * `senderPid` (0: the system). IOC$SEARCH's statuses, SS$_DEVNOTMBX, SS$_MBTOOSML,
   * SS$_MBFULL, SS$_INSFMEM; nothing changes on failure.
   */
  writeMailbox(devnam: string, data: Uint8Array, senderPid = 0): Status {
    const found = this.search(devnam)
    if (found.ucb === undefined) return found.status
    return writeMailbox(found.ucb, data, senderPid, this.services)
  }

  // ---------------------------------------------------------------- mounting

  /**
   * MOUNT/FOREIGN: the disk is mounted with no file structure (DEV$M_MNT and
   * DEV$M_FOR), and its transfers are accepted. SS$_DEVMOUNT when mounted already,
   * SS$_DEVOFFLINE when off line, SS$_DEVALLOC when another process allocated it,
   * SS$_BADPARAM for a device that is not a disk.
   */
  mountForeign(pid: number, devnam: string): Status {
    const found = this.search(devnam, pid)
    const ucb = found.ucb
    if (ucb === undefined) return found.status
    if (ucb.devclass !== DC.DISK) return SS.BADPARAM
    if ((ucb.devchar & DEV.MNT) !== 0) return SS.DEVMOUNT
    if (!ucb.online) return SS.DEVOFFLINE
    if (ucb.pid !== 0 && ucb.pid !== pid) return SS.DEVALLOC
    ucb.devchar |= DEV.MNT | DEV.FOR
    return SS.NORMAL
  }

  /** DISMOUNT: SS$_DEVNOTMOUNT when the device is not mounted. */
  dismount(pid: number, devnam: string): Status {
    const found = this.search(devnam, pid)
    const ucb = found.ucb
    if (ucb === undefined) return found.status
    if ((ucb.devchar & DEV.MNT) === 0) return SS.DEVNOTMOUNT
    ucb.devchar &= ~(DEV.MNT | DEV.FOR)
    ucb.storage?.flush()
    return SS.NORMAL
  }

  // ---------------------------------------------------------------- $QIO

  /**
   * $QIO (book 18.5): clears the event flag; checks the channel and that the caller's
   * mode may use it, the function against the FDT's legal mask, and the IOSB (writable;
   * cleared); charges DIOCNT or BIOCNT (the FDT's buffered mask says which;
   * SS$_EXQUOTA); allocates an IRP (SS$_INSFMEM); and calls the FDT routine, which
   * queues the request to the driver, finishes it, aborts it or keeps it. An error
   * sets the event flag and returns its status with nothing charged.
   */
  qio(pid: number, mode: Mode, a: QioArguments): Status {
    const cleared = this.host.clearEventFlag(pid, a.efn)
    if (cleared !== SS.WASSET && cleared !== SS.WASCLR) return cleared
    const fail = (status: Status): Status => {
      this.host.setEventFlag(pid, a.efn, PriorityClass.NULL)
      return status
    }
    const ccb = this.verifyChannel(pid, a.channel, mode)
    if (ccb === undefined) return fail(SS.IVCHAN)
    const ucb = ccb.ucb
    const fdt = ucb.ddb.dpt.fdt
    let code = functionCode(a.func)
    if ((fdt.legal & functionBit(code)) === 0n) return fail(SS.ILLIOFUNC)
    if (!ucb.online) return fail(SS.DEVOFFLINE)
    if (a.iosb !== 0 && !this.host.probeWrite(a.iosb, 8, mode)) return fail(SS.ACCVIO)
    const buffered = (fdt.buffered & functionBit(code)) !== 0n
    const charged = this.quotaTable.chargeRequest(pid, buffered)
    if (charged !== SS.NORMAL) return fail(charged)
    const packet = this.fromPool(IRP_LENGTH, DYN_IO.IRP)
    if (packet.status !== SS.NORMAL) {
      this.quotaTable.returnRequest(pid, buffered)
      return fail(packet.status)
    }
    // Step 15: a virtual function to a device that is not file oriented is logical.
    if ((ucb.devchar & DEV.FOD) === 0) {
      if (code === IoFunction.READVBLK) code = IoFunction.READLBLK
      else if (code === IoFunction.WRITEVBLK) code = IoFunction.WRITELBLK
    }
    const irp: Irp = {
      pid,
      mode,
      channel: a.channel & 0xffff,
      func: (a.func & ~0x3f) | code,
      efn: a.efn,
      iosb: a.iosb,
      ast: a.astadr === 0 ? undefined : { routine: a.astadr, parameter: a.astprm },
      p: [...a.p],
      ucb,
      buffered,
      systemBuffer: undefined,
      bufferAddress: 0,
      byteCharge: 0,
      readData: undefined,
      media: 0,
      directData: undefined,
      virtual: false,
      deviceStatus: 0,
      status: SS.NORMAL,
      count: 0,
      poolAddress: packet.address,
    }
    const routine = fdt.routines.get(code) ?? fdt.routines.get(functionCode(a.func))
    if (routine === undefined) {
      this.release(irp)
      return fail(SS.ILLIOFUNC)
    }
    ccb.outstanding++
    this.options.observe?.('preprocessed', irp)
    const result = routine(irp, ucb, this.fdtContext, this.services)
    this.options.observe?.('fdt', irp)
    if (result.kind === 'abort') {
      // EXE$ABORTIO: no IOSB, no AST; the quotas come back and the event flag is set.
      ccb.outstanding--
      this.release(irp)
      return fail(result.status)
    }
    if (a.iosb !== 0) this.host.writeProcess(pid, a.iosb, new Uint8Array(8))
    this.carryOut(irp, result)
    return SS.NORMAL
  }

  /** What an accepted request's FDT routine decided, carried out (book 18.5.3). */
  private carryOut(irp: Irp, result: FdtResult): void {
    const ucb = irp.ucb
    if (result.kind === 'abort') {
      // Only after $QIO returned (an intercept went on): the request completes with it.
      this.post(irp, result.status, 0, 0)
    } else if (result.kind === 'finish') {
      ucb.operations++
      this.post(irp, result.status, result.count, result.deviceStatus ?? 0)
    } else if (result.kind === 'queue') {
      // EXE$QIODRVPKT / EXE$INSIOQ: start at once on an idle unit, else wait in its queue.
      if (ucb.busy) {
        ucb.queue.push(irp)
        this.options.observe?.('queued', irp)
      } else this.start(ucb, irp)
    }
  }

  // ---------------------------------------------------------------- FDT intercepts

  /**
   * Installs `routine` in place of loaded driver `driverName`'s FDT entries for
   * `codes` (function codes 0-63; one the driver lacks becomes legal), keeping the
   * driver's own for `continueWith` (the seed note "How to Add your Own ACPs ahead of
   * the DEC ones"). SS$_NONEXDRV when the driver is not loaded; SS$_BADPARAM, and
   * nothing changes, for a bad or repeated code, none at all, or a code another
   * intercept holds now.
   */
  stealFdt(
    driverName: string,
    codes: readonly number[],
    routine: FdtRoutine,
    options: StealFdtOptions = {},
  ): { status: Status; intercept?: FdtIntercept } {
    const dpt = this.database.driver(driverName)
    if (dpt === undefined) return { status: SS.NONEXDRV }
    return installIntercept(dpt, codes, routine, options, {
      intercepts: this.intercepts,
      stolen: this.stolen,
      continueWith: (irp, original) =>
        this.carryOut(irp, original(irp, irp.ucb, this.fdtContext, this.services)),
      complete: (irp, status) => this.post(irp, status, 0, 0),
    })
  }

  /**
   * IOC$IOPOST (book 18.7): for each completed request, the quotas back (BIOCNT or
   * DIOCNT, and BYTCNT for a system buffer, which goes back to pool), a buffered read's
   * data to the caller's buffer, the IOSB (status word, byte count word, the
   * device-dependent longword), the event flag with the driver's boost, the AST, and
   * the IRP back to pool.
   */
  postprocess(): void {
    while (this.postQueue.length > 0) {
      const irp = this.postQueue.shift() as Irp
      const ccb = this.channels.get(irp.pid)?.get(irp.channel)
      if (ccb !== undefined && ccb.ucb === irp.ucb) ccb.outstanding--
      const boost = irp.ucb.driver.completionBoost(irp)
      this.options.observe?.('iopost', irp)
      this.host.setEventFlag(irp.pid, irp.efn, boost)
      const finish = this.completion(irp, boost)
      this.release(irp)
      if (this.host.queueSpecialKernelAst === undefined) finish()
      else this.host.queueSpecialKernelAst(irp.pid, finish)
    }
  }

  /**
   * What postprocessing leaves to the process's own context (book 18.7.3): a buffered
   * read's data copied to the caller's buffer, the IOSB (status word, byte count word,
   * the device-dependent longword), then the completion AST.
   */
  private completion(irp: Irp, boost: PriorityClass): () => void {
    const { pid, iosb, ast, mode } = irp
    const data = irp.readData !== undefined && irp.readData.length > 0 ? irp.readData : undefined
    const buffer = irp.p[0] ?? 0
    const block = new Uint8Array(8)
    const view = new DataView(block.buffer)
    view.setUint16(0, irp.status & 0xffff, true)
    view.setUint16(2, Math.min(irp.count, 0xffff), true)
    view.setUint32(4, irp.deviceStatus >>> 0, true)
    const snapshot: Irp = { ...irp }
    return () => {
      if (data !== undefined) this.host.writeProcess(pid, buffer, data)
      if (iosb !== 0) this.host.writeProcess(pid, iosb, block)
      if (ast !== undefined) this.host.queueAst(pid, mode, ast.routine, ast.parameter, boost)
      this.options.observe?.('complete', snapshot)
    }
  }

  /**
   * Process rundown: every channel of the process is deassigned (its requests
   * canceled, temporary mailboxes deleted), its devices deallocated, its completed
   * requests dropped with their quotas and pool.
   */
  deleteProcess(pid: number): void {
    const table = this.channels.get(pid)
    if (table !== undefined) {
      for (const [channel, ccb] of [...table]) {
        this.cancelChannel(pid, channel, ccb, 'DASSGN')
        table.delete(channel)
        this.dropReference(ccb.ucb)
      }
      this.channels.delete(pid)
    }
    for (const u of this.devices()) {
      if (u.pid === pid && (u.devchar & DEV.ALL) !== 0) this.deallocateUnit(u)
      // Its writes still waiting for readers leave their messages and go.
      for (const message of u.mailbox?.messages ?? [])
        if (message.writer?.pid === pid) {
          this.release(message.writer)
          message.writer = undefined
        }
    }
    for (let i = this.postQueue.length - 1; i >= 0; i--)
      if (this.postQueue[i]?.pid === pid) this.release(this.postQueue.splice(i, 1)[0] as Irp)
    this.quotaTable.delete(pid)
  }

  // ---------------------------------------------------------------- internals

  private start(ucb: Ucb, irp: Irp): void {
    ucb.busy = true
    ucb.current = irp
    ucb.ddb.crb.idb.owner = ucb
    this.options.observe?.('start', irp)
    this.starting = irp
    try {
      ucb.ddb.dpt.ddt.startIo(irp, ucb, this.services)
    } finally {
      this.starting = undefined
    }
  }

  /** IOC$REQCOM (book 18.6): the current request goes to postprocessing; the next one starts. */
  private requestComplete(ucb: Ucb, status: Status, count: number, deviceStatus?: number): void {
    const irp = ucb.current
    if (irp === undefined) return
    ucb.operations++
    ucb.busy = false
    ucb.current = undefined
    ucb.ddb.crb.idb.owner = undefined
    this.post(irp, status, count, deviceStatus ?? irp.deviceStatus)
    const next = ucb.queue.shift()
    if (next !== undefined) this.start(ucb, next)
  }

  /** COM$POST: the IRP, with its final status, to the postprocessing queue. */
  private post(irp: Irp, status: Status, count: number, deviceStatus = irp.deviceStatus): void {
    irp.status = status
    irp.count = count
    irp.deviceStatus = deviceStatus
    this.postQueue.push(irp)
    this.options.observe?.('reqcom', irp)
  }

  /** The system buffer of a buffered request: BYTCNT, then pool; nothing changes on failure. */
  private systemBuffer(irp: Irp, bytes: number): Status {
    if (!Number.isInteger(bytes) || bytes < 0 || bytes > MAX_TRANSFER) return SS.BADPARAM
    const size = bytes + LENGTH.BUFIO
    const charged = this.quotaTable.chargeBytes(irp.pid, size)
    if (charged !== SS.NORMAL) return charged
    const block = this.fromPool(size, DYN_IO.BUFIO)
    if (block.status !== SS.NORMAL) {
      this.quotaTable.returnBytes(irp.pid, size)
      return block.status
    }
    irp.byteCharge = size
    irp.bufferAddress = block.address
    return SS.NORMAL
  }

  /** Gives back what an IRP holds: its system buffer and BYTCNT, its DIOCNT or BIOCNT, its packet. */
  private release(irp: Irp): void {
    if (irp.bufferAddress !== 0) this.toPool(irp.bufferAddress)
    irp.bufferAddress = 0
    if (irp.byteCharge !== 0) this.quotaTable.returnBytes(irp.pid, irp.byteCharge)
    irp.byteCharge = 0
    this.quotaTable.returnRequest(irp.pid, irp.buffered)
    this.toPool(irp.poolAddress)
    irp.poolAddress = 0
  }

  /** IOC$VERIFYCHAN (book 18.4.3): assigned, and from this mode or an outer one. */
  private verifyChannel(pid: number, channel: number, mode: Mode): Ccb | undefined {
    const ccb = this.channels.get(pid)?.get(channel & 0xffff)
    return ccb === undefined || mode > ccb.mode ? undefined : ccb
  }

  /** IOC$FFCHAN: the lowest free channel number, or undefined. */
  private freeChannel(pid: number): number | undefined {
    const table = this.channels.get(pid)
    const limit = this.options.channelCount ?? 32
    let channel = 16
    while (table?.has(channel)) channel += 16
    return channel > 16 * limit ? undefined : channel
  }

  private addChannel(pid: number, channel: number, ucb: Ucb, mode: Mode): number {
    const table = this.channels.get(pid) ?? new Map<number, Ccb>()
    table.set(channel, { ucb, mode, outstanding: 0 })
    this.channels.set(pid, table)
    ucb.refc++
    return channel
  }

  private cancelChannel(pid: number, channel: number, ccb: Ccb, reason: 'CANCEL' | 'DASSGN'): void {
    const ucb = ccb.ucb
    const queue = ucb.queue
    for (let i = 0; i < queue.length; ) {
      const irp = queue[i] as Irp
      if (irp.pid !== pid || irp.channel !== channel || irp.virtual) {
        i++
        continue
      }
      queue.splice(i, 1)
      irp.readData = undefined
      this.post(irp, SS.CANCEL, 0, 0)
    }
    // Requests an intercept holds have not reached the driver: they are canceled too.
    for (const intercept of this.intercepts)
      for (const irp of [...intercept.held]) {
        if (irp.pid !== pid || irp.channel !== channel || irp.ucb !== ucb) continue
        intercept.held.delete(irp)
        intercept.options.onCancel?.(irp, reason)
        this.post(irp, SS.CANCEL, 0, 0)
      }
    ucb.ddb.dpt.ddt.cancel?.(ucb, pid, channel, reason, this.services)
  }

  /** A channel or an explicit allocation is gone: last channel processing (book 18.4.4). */
  private dropReference(ucb: Ucb): void {
    ucb.refc--
    if (ucb.refc === 0) {
      ucb.pid = 0
      if (ucb.deleteOnLastChannel) this.deleteUcb(ucb)
    }
  }

  /** IOC$DALLOC_DEV (book 18.3.3 step 5). */
  private deallocateUnit(ucb: Ucb): void {
    ucb.devchar &= ~DEV.ALL
    if ((ucb.devchar & DEV.SHR) !== 0) ucb.pid = 0
    this.dropReference(ucb)
  }

  /**
   * IOC$CLONE_UCB (book 18.4.2): a new unit from a template, its UCB (and a mailbox's
   * buffer quota) charged to BYTCNT and BYTLM, which must also leave 256 bytes
   * (SS$_EXQUOTA); deleted when its last channel goes.
   */
  private cloneUcb(
    template: Ucb,
    pid: number,
    mailbox?: { maxmsg: number; bufquo: number; permanent: boolean; lognam: string | undefined },
  ): { status: Status; ucb?: Ucb } {
    const quotas =
      template.devclass === DC.MAILBOX
        ? (mailbox ?? { ...DEFAULT_MAILBOX, permanent: false, lognam: undefined })
        : undefined
    const permanent = quotas?.permanent ?? false
    const charge = permanent ? 0 : LENGTH.UCB + (quotas?.bufquo ?? 0)
    const status = this.quotaTable.chargeBytes(pid, charge + DELETION_OVERHEAD)
    if (status !== SS.NORMAL) return { status }
    this.quotaTable.returnBytes(pid, charge + DELETION_OVERHEAD)
    const made = this.database.newUnit(template.ddb, this.database.nextUnit(template.ddb), {
      maxblock: template.maxblock,
      storage: template.storage,
      template: false,
    })
    const ucb = made.ucb
    if (ucb === undefined) return made
    if (quotas !== undefined) {
      ucb.devbufsiz = quotas.maxmsg
      ucb.mailbox = mailboxUnit(quotas.bufquo, permanent, quotas.lognam)
    }
    ucb.deleteOnLastChannel = !permanent
    if ((ucb.devchar & DEV.SHR) === 0) ucb.pid = pid
    if (charge !== 0) {
      this.quotaTable.debitLimit(pid, charge)
      ucb.charge = charge
      ucb.chargedPid = pid
    }
    return { status: SS.NORMAL, ucb }
  }

  /** IOC$DELETE_UCB: the unit leaves its DDB, its messages and UCB go back to pool, its charge to the process. */
  private deleteUcb(ucb: Ucb): void {
    if (ucb.mailbox !== undefined) {
      releaseMailbox(ucb, this.services)
      if (ucb.mailbox.logicalName !== undefined) {
        const entry = this.logicalNames.lookup(ucb.mailbox.logicalName)
        if (entry?.equivalence === `_${ucb.name}:`)
          this.logicalNames.deassign(ucb.mailbox.logicalName)
      }
    }
    if (ucb.charge !== 0) this.quotaTable.creditLimit(ucb.chargedPid, ucb.charge)
    this.database.removeUnit(ucb)
  }

  private privileged(pid: number, privilege: 'TMPMBX' | 'PRMMBX' | 'SHARE'): boolean {
    return this.host.hasPrivilege?.(pid, privilege) ?? true
  }

  private fromPool(bytes: number, type: number): { status: Status; address: number } {
    const pool = this.options.pool
    if (pool === undefined) return { status: SS.NORMAL, address: 0 }
    const r = pool.allocate(bytes, type)
    return r.status === SS.NORMAL
      ? { status: SS.NORMAL, address: r.address }
      : { status: r.status, address: 0 }
  }

  private toPool(address: number): void {
    if (address !== 0) this.options.pool?.deallocate(address)
  }
}
