import { type PriorityClass, SS, type Status } from '@vms/contracts'
import type { Driver, DriverServices, FdtContext } from './driver'
import { type Ccb, functionCode, type Irp, type Mode, type Ucb } from './structures'

/** IRP$C_LENGTH: the size of an IRP in nonpaged pool (book Table 3-3). */
export const IRP_LENGTH = 208

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
}

/** Where IRPs come from: nonpaged pool (`@vms/pool`'s NonpagedPool fits). */
export interface IrpPool {
  allocate(bytes: number): { status: Status; address: number }
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

/**
 * The I/O system (book ch. 18): the device database, each process's channels, $ASSIGN
 * and $DASSGN, $QIO with device-independent preprocessing and the driver's FDT
 * routines, the unit queues, IOC$REQCOM, and I/O postprocessing (IOC$IOPOST), which
 * the caller runs as its IPL 4 software interrupt would (`postprocess`).
 */
export class IoSystem {
  private readonly units = new Map<string, Ucb>()
  private readonly aliases = new Map<string, string>()
  private readonly channels = new Map<number, Map<number, Ccb>>()
  /** IOC$GL_PSBL: completed requests waiting for I/O postprocessing. */
  private readonly postQueue: Irp[] = []
  private readonly services: DriverServices

  constructor(
    private readonly host: IoHost,
    private readonly options: { readonly pool?: IrpPool; readonly channelCount?: number } = {},
  ) {
    this.services = {
      requestComplete: (ucb, status, count) => this.requestComplete(ucb, status, count),
      after: (delay, then) => host.after(delay, then),
    }
  }

  /** Adds a unit to the device database under its full name (OPA0) and optional aliases (TT). */
  addUnit(name: string, driver: Driver, aliases: readonly string[] = []): Ucb {
    const ucb: Ucb = { name, driver, busy: false, current: undefined, queue: [], operations: 0 }
    this.units.set(name, ucb)
    for (const alias of aliases) this.aliases.set(alias, name)
    return ucb
  }

  unit(name: string): Ucb | undefined {
    return this.units.get(name)
  }

  /** The channels process `pid` has assigned, in channel order (for SHOW and rundown checks). */
  channelsOf(pid: number): number[] {
    return [...(this.channels.get(pid)?.keys() ?? [])].sort((a, b) => a - b)
  }

  /** Requests waiting for postprocessing. */
  get postPending(): number {
    return this.postQueue.length
  }

  /**
   * $ASSIGN (book 18.3): a channel to the device named `devnam` (`_OPA0:`, `OPA0`,
   * an alias). SS$_IVDEVNAM for a malformed name, SS$_NOSUCHDEV for an unknown one,
   * SS$_NOIOCHAN when every channel is in use. Channel numbers are multiples of 16.
   */
  assign(pid: number, devnam: string, mode: Mode): { status: Status; channel?: number } {
    const name = devnam.toUpperCase().replace(/^_/, '').replace(/:$/, '')
    if (!/^[A-Z$][A-Z0-9$_]{0,14}$/.test(name)) return { status: SS.IVDEVNAM }
    const ucb =
      this.units.get(this.aliases.get(name) ?? name) ??
      this.units.get(`${name}0`) ??
      this.units.get(`${name}A0`)
    if (ucb === undefined) return { status: SS.NOSUCHDEV }
    const table = this.channels.get(pid) ?? new Map<number, Ccb>()
    const limit = this.options.channelCount ?? 32
    let channel = 16
    while (table.has(channel)) channel += 16
    if (channel > 16 * limit) return { status: SS.NOIOCHAN }
    table.set(channel, { ucb, mode, outstanding: 0 })
    this.channels.set(pid, table)
    return { status: SS.NORMAL, channel }
  }

  /**
   * $DASSGN: requests still queued on the channel complete with SS$_CANCEL (book
   * 18.3); SS$_IVCHAN for a channel not assigned, or assigned from an inner mode.
   */
  deassign(pid: number, channel: number, mode: Mode): Status {
    const table = this.channels.get(pid)
    const ccb = table?.get(channel)
    if (table === undefined || ccb === undefined || mode > ccb.mode) return SS.IVCHAN
    this.cancel(pid, channel, ccb)
    table.delete(channel)
    return SS.NORMAL
  }

  /** Process rundown: every channel of the process is deassigned. */
  deleteProcess(pid: number): void {
    const table = this.channels.get(pid)
    if (table === undefined) return
    for (const [channel, ccb] of table) this.cancel(pid, channel, ccb)
    this.channels.delete(pid)
    for (let i = this.postQueue.length - 1; i >= 0; i--)
      if (this.postQueue[i]?.pid === pid) this.release(this.postQueue.splice(i, 1)[0] as Irp)
  }

  private cancel(pid: number, channel: number, ccb: Ccb): void {
    const queue = ccb.ucb.queue
    for (let i = queue.length - 1; i >= 0; i--) {
      const irp = queue[i] as Irp
      if (irp.pid !== pid || irp.channel !== channel) continue
      queue.splice(i, 1)
      irp.status = SS.CANCEL
      irp.count = 0
      this.postQueue.push(irp)
    }
  }

  /**
   * $QIO (book 18.5): clears the event flag, validates the channel (and that the
   * caller's mode may use it), the function (against the FDT), and the IOSB (it must be
   * writable; it is cleared at completion), allocates an IRP, and calls the FDT
   * routine, which queues the request to the driver, finishes it, or aborts it.
   * The returned status says whether the request was queued; its outcome goes to the
   * IOSB, the event flag and the AST.
   */
  qio(pid: number, mode: Mode, a: QioArguments): Status {
    const cleared = this.host.clearEventFlag(pid, a.efn)
    if (cleared !== SS.WASSET && cleared !== SS.WASCLR) return cleared
    const ccb = this.channels.get(pid)?.get(a.channel & 0xffff)
    if (ccb === undefined || mode > ccb.mode) return SS.IVCHAN
    const ucb = ccb.ucb
    const fdt = ucb.driver.fdt.get(functionCode(a.func))
    if (fdt === undefined) return SS.ILLIOFUNC
    if (a.iosb !== 0 && !this.host.probeWrite(a.iosb, 8, mode)) return SS.ACCVIO
    let poolAddress = 0
    if (this.options.pool !== undefined) {
      const packet = this.options.pool.allocate(IRP_LENGTH)
      if (packet.status !== SS.NORMAL) return packet.status
      poolAddress = packet.address
    }
    const irp: Irp = {
      pid,
      mode,
      channel: a.channel & 0xffff,
      func: a.func,
      efn: a.efn,
      iosb: a.iosb,
      ast: a.astadr === 0 ? undefined : { routine: a.astadr, parameter: a.astprm },
      p: a.p,
      systemBuffer: undefined,
      readData: undefined,
      deviceStatus: 0,
      status: SS.NORMAL,
      count: 0,
      poolAddress,
    }
    const result = fdt(irp, ucb, this.host)
    if (result.kind === 'abort') {
      this.release(irp)
      return result.status
    }
    ccb.outstanding++
    if (result.kind === 'finish') {
      irp.status = result.status
      irp.count = result.count
      this.postQueue.push(irp)
      return SS.NORMAL
    }
    // EXE$QIODRVPKT / EXE$INSIOQ: start at once on an idle unit, else wait in its queue.
    if (ucb.busy) ucb.queue.push(irp)
    else this.start(ucb, irp)
    return SS.NORMAL
  }

  private start(ucb: Ucb, irp: Irp): void {
    ucb.busy = true
    ucb.current = irp
    ucb.driver.startIo(irp, ucb, this.services)
  }

  /** IOC$REQCOM (book 18.6): the current request goes to postprocessing; the next one starts. */
  private requestComplete(ucb: Ucb, status: Status, count: number): void {
    const irp = ucb.current
    if (irp === undefined) return
    irp.status = status
    irp.count = count
    ucb.operations++
    ucb.busy = false
    ucb.current = undefined
    this.postQueue.push(irp)
    const next = ucb.queue.shift()
    if (next !== undefined) this.start(ucb, next)
  }

  /**
   * IOC$IOPOST (book 18.7): for each completed request, the IOSB (status word, byte
   * count word, a longword of zero), the event flag with the driver's boost, the AST,
   * and the IRP back to pool.
   */
  postprocess(): void {
    while (this.postQueue.length > 0) {
      const irp = this.postQueue.shift() as Irp
      const ccb = this.channels.get(irp.pid)?.get(irp.channel)
      if (ccb !== undefined) ccb.outstanding--
      const boost = ccb?.ucb.driver.completionBoost(irp) ?? 0
      // A buffered read's data goes from the system buffer to the caller's (P1).
      if (irp.readData !== undefined && irp.readData.length > 0)
        this.host.writeProcess(irp.pid, irp.p[0] ?? 0, irp.readData)
      if (irp.iosb !== 0) {
        const block = new Uint8Array(8)
        const view = new DataView(block.buffer)
        view.setUint16(0, irp.status & 0xffff, true)
        view.setUint16(2, Math.min(irp.count, 0xffff), true)
        view.setUint32(4, irp.deviceStatus >>> 0, true)
        this.host.writeProcess(irp.pid, irp.iosb, block)
      }
      this.host.setEventFlag(irp.pid, irp.efn, boost as PriorityClass)
      if (irp.ast !== undefined)
        this.host.queueAst(
          irp.pid,
          irp.mode,
          irp.ast.routine,
          irp.ast.parameter,
          boost as PriorityClass,
        )
      this.release(irp)
    }
  }

  private release(irp: Irp): void {
    if (irp.poolAddress !== 0) this.options.pool?.deallocate(irp.poolAddress)
    irp.poolAddress = 0
  }
}
