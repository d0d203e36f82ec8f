import { BLOCK_SIZE, type BlockDevice, BlockDeviceError } from '@vax-vms/block-device'
import { DEVINFO, HOST_CONNECTORS, SC_ADAPTER, SCSI_STATUS, SD_ADAP, SENSE_KEY } from './constants'
import { type DasdMedia, executeOnUnit } from './dasd'
import type { Exchange } from './exchange'
import { FileStateStore } from './file-state-store'
import {
  type DasdUnitState,
  type DefectKind,
  MemoryStateStore,
  poweredOnUnit,
  type StateStore,
  type SubsystemState,
} from './state'
import type { DevInfo } from './structures'

/** One DASD in the controller drawer. */
export interface DasdConfig {
  /** Its media: `blocks - spares` addressable blocks, then the spares. */
  readonly media: BlockDevice
  /** Spare blocks for Reassign Blocks (default 16). */
  readonly spares?: number
}

export interface ControllerOptions {
  readonly dasds: readonly DasdConfig[]
  /** The resource name in the error log (default `serdasdc0`). */
  readonly name?: string
  /** The configuration method enabled fencing (default true); false: SD_SET_FENCE gives EINVAL. */
  readonly fencing?: boolean
  /** Concurrent mode is supported (default true); false: DD_CONC_REGISTER gives EINVAL. */
  readonly concurrent?: boolean
}

export interface SharedControllerOptions extends ControllerOptions {
  /** The state file every process opens (conventionally `<backing file>.state`). */
  readonly stateFile: string
}

/** Something attached to a host connector that hears the controller's asynchronous events. */
export interface ConnectorListener {
  /** A DASD came back from a power cycle. */
  poweredOn(dasd: number): void
  /** Another host sent a concurrent mode refresh for `dasd`. */
  concurrentMessage(dasd: number, message: number, from: number): void
}

/**
 * A Serial DASD controller drawer: up to eight host connectors (0-7), and the DASDs,
 * each with its reservation, its two-byte fence register and its power. Hosts reach it
 * through a `SerialDasdAdapter`. The shared state lives in a `StateStore`: in memory for
 * hosts in one process, in a file for hosts in several (`SerialDasdController.shared`).
 */
export class SerialDasdController {
  readonly name: string
  readonly fencing: boolean
  readonly concurrent: boolean
  /** Failure injection: false makes every command come back "controller not responding". */
  responding = true
  private readonly disks: DasdMedia[]
  private readonly listeners: (ConnectorListener | undefined)[] = []

  constructor(
    options: ControllerOptions,
    private readonly store: StateStore = new MemoryStateStore(initialState(options.dasds.length)),
  ) {
    this.name = options.name ?? 'serdasdc0'
    this.fencing = options.fencing ?? true
    this.concurrent = options.concurrent ?? true
    this.disks = options.dasds.map((d) => {
      const spares = d.spares ?? 16
      if (!Number.isSafeInteger(spares) || spares < 0 || spares >= d.media.blocks)
        throw new RangeError(`a DASD of ${d.media.blocks} blocks cannot keep ${spares} spares`)
      return { media: d.media, capacity: d.media.blocks - spares, spares }
    })
  }

  /**
   * A controller whose state is shared by every process that opens the same
   * `stateFile` (see the README: a lock file serializes commands).
   */
  static shared(options: SharedControllerOptions): SerialDasdController {
    const store = new FileStateStore(options.stateFile, () => initialState(options.dasds.length))
    const units = store.run((state) => state.units.length, undefined)
    if (units !== options.dasds.length) {
      store.close()
      throw new RangeError(
        `${options.stateFile} describes ${units} DASDs, not ${options.dasds.length}`,
      )
    }
    return new SerialDasdController(options, store)
  }

  /** The number of DASDs. */
  get dasdCount(): number {
    return this.disks.length
  }

  /** Addressable blocks of DASD `dasd`. */
  capacity(dasd: number): number {
    return this.disk(dasd).capacity
  }

  /** Attaches `listener` (an adapter) to host connector `connector`. */
  attach(connector: number, listener: ConnectorListener): void {
    if (!Number.isInteger(connector) || connector < 0 || connector >= HOST_CONNECTORS)
      throw new RangeError(`host connector ${connector} is not 0-${HOST_CONNECTORS - 1}`)
    if (this.listeners[connector]) throw new Error(`host connector ${connector} is in use`)
    this.listeners[connector] = listener
  }

  /** Detaches whatever is on `connector`. */
  detach(connector: number): void {
    this.listeners[connector] = undefined
  }

  /**
   * Runs `x` from its initiator's connector: controller, power and power-on checks,
   * then the fence register, the reservation and the command, all as one step of the
   * shared state.
   */
  execute(x: Exchange): void {
    if (!this.responding) {
      x.generalStatus = SC_ADAPTER.NO_DEVICE_RESPONSE
      x.adapterStatus = SD_ADAP.CTRL_NOT_RESPONDING
      return
    }
    this.store.run(this.runExchange, x)
  }

  private readonly runExchange = (state: SubsystemState, x: Exchange): void => {
    const unit = state.units[x.dasd]
    const disk = this.disks[x.dasd]
    if (!unit || !disk || !unit.powered) {
      x.generalStatus = SC_ADAPTER.NO_DEVICE_RESPONSE
      x.adapterStatus = SD_ADAP.OPEN_LINK
      return
    }
    const bit = 1 << x.initiator
    if (unit.powerOnPending & bit) {
      // The first command after a power-on is not run: the adapter reports the power-on.
      unit.powerOnPending &= ~bit
      x.generalStatus = SC_ADAPTER.SCSI_BUS_RESET
      x.adapterStatus = SD_ADAP.UNIT_POWERED_ON
      return
    }
    x.adapterStatus = SD_ADAP.SCSI_STATUS
    try {
      executeOnUnit(unit, disk, x.initiator, x)
    } catch (error) {
      if (!(error instanceof BlockDeviceError)) throw error
      unit.sense[x.initiator] = [SENSE_KEY.HARDWARE_ERROR, 0x44, 0, 0]
      x.scsiStatus = SCSI_STATUS.CHECK_CONDITION
    }
  }

  /** Turns DASD `dasd` off: commands get "open link" until it is powered on. */
  powerOff(dasd: number): void {
    this.disk(dasd)
    this.store.run((state) => {
      const unit = state.units[dasd] as DasdUnitState
      unit.powered = false
    }, undefined)
  }

  /**
   * Turns DASD `dasd` on: the reservation and the fence register are cleared (cycling
   * power is the one other way a fence goes), and every host connector is owed a
   * power-on report. Hosts attached in this process hear it at once.
   */
  powerOn(dasd: number): void {
    this.disk(dasd)
    const was = this.store.run((state) => {
      const unit = state.units[dasd] as DasdUnitState
      const before = unit.powered
      if (!before) state.units[dasd] = poweredOnUnit(unit)
      return before
    }, undefined)
    if (was) return
    for (const listener of this.listeners) listener?.poweredOn(dasd)
  }

  /**
   * Delivers a concurrent mode refresh from host connector `from` to every other
   * connector with something attached in this process.
   */
  broadcast(from: number, dasd: number, message: number): void {
    this.listeners.forEach((listener, connector) => {
      if (connector !== from) listener?.concurrentMessage(dasd, message, from)
    })
  }

  /** Power off, then on. */
  powerCycle(dasd: number): void {
    this.powerOff(dasd)
    this.powerOn(dasd)
  }

  /** Failure injection: gives block `lba` of `dasd` a grown defect. */
  addDefect(dasd: number, lba: number, kind: DefectKind): void {
    if (!Number.isSafeInteger(lba) || lba < 0 || lba >= this.disk(dasd).capacity)
      throw new RangeError(`block ${lba} is not on DASD ${dasd}`)
    this.store.run((state) => {
      const unit = state.units[dasd] as DasdUnitState
      if (unit.defects[lba] === undefined) unit.defectCount++
      unit.defects[lba] = kind
    }, undefined)
  }

  /** A copy of the shared state of `dasd`: for tests, tools and the demo. */
  inspect(dasd: number): DasdUnitState {
    this.disk(dasd)
    return this.store.run((state) => structuredClone(state.units[dasd] as DasdUnitState), undefined)
  }

  /**
   * What the media holds for blocks `lba`..`lba + count - 1` of `dasd`, following
   * relocations, without going through any host: the ground truth a test compares with.
   */
  readMedia(dasd: number, lba: number, count: number): Uint8Array {
    const disk = this.disk(dasd)
    return this.store.run((state) => {
      const unit = state.units[dasd] as DasdUnitState
      const out = new Uint8Array(count * BLOCK_SIZE)
      for (let i = 0; i < count; i++) {
        const spare = unit.relocated[lba + i]
        const block = spare === undefined ? lba + i : disk.capacity + spare
        disk.media.read(block, out.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE))
      }
      return out
    }, undefined)
  }

  /** IOCINFO directed at the controller: a disk controller (DD_DISK_C, DS_SDC). */
  iocinfo(info: DevInfo): void {
    info.devtype = DEVINFO.DD_DISK_C
    info.devsubtype = DEVINFO.DS_SDC
    info.flags = this.concurrent ? DEVINFO.DF_CONC : 0
  }

  /** Releases the shared state (not the media, which the caller owns). */
  close(): void {
    this.store.close()
  }

  private disk(dasd: number): DasdMedia {
    const disk = this.disks[dasd]
    if (!disk) throw new RangeError(`DASD ${dasd} is not on controller ${this.name}`)
    return disk
  }
}

/** A controller's state at first configuration: every DASD powered, nothing owed. */
function initialState(count: number): SubsystemState {
  return { units: Array.from({ length: count }, () => poweredOnUnit(undefined, 0)) }
}
