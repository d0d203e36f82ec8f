/**
 * One request travelling from the driver through the adapter and the controller to a
 * DASD, and the status coming back: the model's stand-in for the adapter mailbox. The
 * driver keeps one and reuses it, so the I/O path allocates nothing.
 */
export interface Exchange {
  /** A command, a DASD reset, or a quiesce. */
  kind: 'command' | 'reset' | 'quiesce'
  /** The host connector the request comes from (filled in by the adapter). */
  initiator: number
  /** The DASD's index on its controller. */
  dasd: number
  /** The command descriptor block (`kind` 'command'). */
  cdb: Uint8Array
  /** Data out (written to the DASD) or in (read from it). */
  data: Uint8Array | null
  /** Bytes the initiator expects to move. */
  dataLength: number
  /** Seconds the initiator waits; 0: forever. */
  timeout: number

  /** Out: the command reached the adapter. */
  reachedAdapter: boolean
  /** Out: general card status (SC_ADAPTER), 0 when the command reached the DASD. */
  generalStatus: number
  /** Out: the Serial DASD adapter status (SD_ADAP); SD_ADAP.SCSI_STATUS when the DASD answered. */
  adapterStatus: number
  /** Out: the controller status byte (SD_CTRL), 0 normally. */
  controllerStatus: number
  /** Out: the SCSI status byte from the DASD. */
  scsiStatus: number
  /** Out: bytes moved. */
  transferred: number
}

/** A fresh exchange. */
export function newExchange(): Exchange {
  return {
    kind: 'command',
    initiator: 0,
    dasd: 0,
    cdb: new Uint8Array(12),
    data: null,
    dataLength: 0,
    timeout: 0,
    reachedAdapter: false,
    generalStatus: 0,
    adapterStatus: 0,
    controllerStatus: 0,
    scsiStatus: 0,
    transferred: 0,
  }
}

/** Clears the status of `x` before it is sent. */
export function resetStatus(x: Exchange): void {
  x.reachedAdapter = false
  x.generalStatus = 0
  x.adapterStatus = 0
  x.controllerStatus = 0
  x.scsiStatus = 0
  x.transferred = 0
}
