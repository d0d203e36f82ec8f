import { DEVINFO, SC_ADAPTER, SD_ADAP } from './constants'
import type { ConnectorListener, SerialDasdController } from './controller'
import type { Exchange } from './exchange'
import type { DevInfo } from './structures'

/** The largest transfer of one command through the adapter (devinfo max_request). */
export const MAX_TRANSFER = 256 * 1024

/** Injected adapter faults (all off by default). */
export interface AdapterFaults {
  /** The adapter does not answer: the driver fails commands without reaching it. */
  notResponding: boolean
  /** The adapter reports a hardware failure for every command. */
  hardwareFailure: boolean
  /** Seconds every command takes; a command whose timeout is shorter times out unrun. */
  delaySeconds: number
}

/**
 * A Serial DASD adapter in one host, cabled to host connector `connector` of a
 * controller. It carries exchanges to the controller and reports the general card
 * status; it also passes the controller's power-on events to the drivers above it.
 */
export class SerialDasdAdapter implements ConnectorListener {
  readonly faults: AdapterFaults = { notResponding: false, hardwareFailure: false, delaySeconds: 0 }
  private readonly drivers = new Set<ConnectorListener>()

  constructor(
    readonly controller: SerialDasdController,
    readonly connector: number,
    readonly name = `serdasda${connector}`,
  ) {
    controller.attach(connector, this)
  }

  /**
   * Sends `x` to the controller. Returns with the exchange's status filled in: general
   * card status nonzero when the adapter, the link or the controller failed it.
   */
  send(x: Exchange): void {
    x.initiator = this.connector
    const f = this.faults
    if (f.notResponding) return
    x.reachedAdapter = true
    if (f.hardwareFailure) {
      x.generalStatus = SC_ADAPTER.HDW_FAILURE
      x.adapterStatus = SD_ADAP.ADAP_HDW_ERROR
      return
    }
    if (f.delaySeconds > 0 && x.timeout > 0 && f.delaySeconds > x.timeout) {
      x.generalStatus = SC_ADAPTER.CMD_TIMEOUT
      x.adapterStatus = SD_ADAP.TIME_OUT
      return
    }
    this.controller.execute(x)
  }

  /** Registers a driver for power-on events. */
  listen(driver: ConnectorListener): void {
    this.drivers.add(driver)
  }

  /** Unregisters it. */
  unlisten(driver: ConnectorListener): void {
    this.drivers.delete(driver)
  }

  poweredOn(dasd: number): void {
    for (const d of this.drivers) d.poweredOn(dasd)
  }

  concurrentMessage(dasd: number, message: number, from: number): void {
    for (const d of this.drivers) d.concurrentMessage(dasd, message, from)
  }

  /** IOCINFO directed at the adapter: DD_BUS, DS_SDA, with its maximum transfer. */
  iocinfo(info: DevInfo): void {
    info.devtype = DEVINFO.DD_BUS
    info.devsubtype = DEVINFO.DS_SDA
    info.flags = 0
    info.un.scsi.card_scsi_id = this.connector
    info.un.scsi.max_transfer = MAX_TRANSFER
  }

  /** Takes the adapter off its connector. */
  detach(): void {
    this.controller.detach(this.connector)
  }
}
