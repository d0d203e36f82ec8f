import { SC_ADAPTER, SC_STATUS, SCSI_STATUS, SD_ADAP, SD_STATUS } from './constants'
import type { Errno } from './errno'
import type { ErrorLabel } from './error-log'
import type { Exchange } from './exchange'
import type { SdIocmd, SdIoctlParms } from './structures'

/** How an exchange ended. */
export type Outcome =
  | 'good'
  | 'adapter-not-responding'
  | 'adapter-hardware-failure'
  | 'timeout'
  | 'controller-not-responding'
  | 'open-link'
  | 'powered-on'
  | 'fenced-out'
  | 'reservation-conflict'
  | 'check-condition'
  | 'scsi-error'

/** Classifies a finished exchange. */
export function outcomeOf(x: Exchange): Outcome {
  if (!x.reachedAdapter) return 'adapter-not-responding'
  if (x.generalStatus !== 0) {
    switch (x.adapterStatus) {
      case SD_ADAP.ADAP_HDW_ERROR:
        return 'adapter-hardware-failure'
      case SD_ADAP.TIME_OUT:
        return 'timeout'
      case SD_ADAP.CTRL_NOT_RESPONDING:
        return 'controller-not-responding'
      case SD_ADAP.UNIT_POWERED_ON:
        return 'powered-on'
      default:
        return 'open-link'
    }
  }
  switch (x.scsiStatus) {
    case SCSI_STATUS.GOOD:
      return 'good'
    case SCSI_STATUS.FENCED_OUT:
      return 'fenced-out'
    case SCSI_STATUS.RESERVATION_CONFLICT:
      return 'reservation-conflict'
    case SCSI_STATUS.CHECK_CONDITION:
      return 'check-condition'
    default:
      return 'scsi-error'
  }
}

/** The errno a failed exchange gives: EBUSY for a reservation conflict, ETIMEDOUT for a timeout, else EIO. */
export function errnoOf(outcome: Outcome): Errno {
  if (outcome === 'reservation-conflict') return 'EBUSY'
  if (outcome === 'timeout') return 'ETIMEDOUT'
  return 'EIO'
}

/** The error log identifier for a failure the driver itself met (not SD_SCSICMD). */
export function labelOf(outcome: Outcome): ErrorLabel | null {
  switch (outcome) {
    case 'adapter-not-responding':
      return 'SDA_ERR1'
    case 'adapter-hardware-failure':
      return 'SDA_ERR2'
    case 'timeout':
      return 'SDA_ERR3'
    case 'controller-not-responding':
      return 'SDC_ERR1'
    case 'open-link':
      return 'SDD_ERR1'
    case 'fenced-out':
      return 'SDD_ERR2'
    case 'reservation-conflict':
      return 'SDD_ERR3'
    case 'check-condition':
    case 'scsi-error':
      return 'SDD_ERR5'
    default:
      return null
  }
}

/**
 * Fills the status bytes of an sd_iocmd from `x` (the page's status validity table):
 * 0x01 when only the SCSI status is valid; 0x02 with the adapter status, plus 0x04 (the
 * alert register: resvd1 controller status, resvd2 adapter status) except when the
 * adapter status is SC_ADAPTER_HDW_FAILURE. A command the driver failed without
 * reaching the adapter reports SC_ADAPTER_HDW_FAILURE.
 */
export function fillIocmdStatus(x: Exchange, arg: SdIocmd): void {
  arg.status_validity = 0
  arg.scsi_bus_status = 0
  arg.adapter_status = 0
  arg.resvd1 = 0
  arg.resvd2 = 0
  if (!x.reachedAdapter) {
    arg.status_validity = SC_STATUS.ADAPTER_ERROR
    arg.adapter_status = SC_ADAPTER.HDW_FAILURE
    return
  }
  if (x.generalStatus !== 0) {
    arg.adapter_status = x.generalStatus
    arg.status_validity = SC_STATUS.ADAPTER_ERROR
    if (x.generalStatus !== SC_ADAPTER.HDW_FAILURE) {
      arg.status_validity |= SC_STATUS.VALID_ALERTREG
      arg.resvd1 = x.controllerStatus
      arg.resvd2 = x.adapterStatus
    }
    return
  }
  if (x.scsiStatus !== SCSI_STATUS.GOOD) {
    arg.status_validity = SC_STATUS.SCSI_ERROR
    arg.scsi_bus_status = x.scsiStatus
  }
}

/** SD_DD_PURGED_TAG (sys/serdasd.h): the device driver failed the command itself. */
export const SD_DD_PURGED_TAG = 0x01

/**
 * Fills the status fields of an sd_ioctl_parms from `x`: SD_VALID_ADAP_STATUS with the
 * Serial DASD adapter status when the adapter or the link failed; when the DASD
 * answered with a bad SCSI status, adapter status SD_SCSI_STATUS and the SCSI status as
 * the controller status (SD_VALID_CTRL_STATUS too); SD_DRIVER_STATUS with
 * SD_DD_PURGED_TAG when the adapter never answered.
 */
export function fillParmsStatus(x: Exchange, parms: SdIoctlParms): void {
  parms.status_validity = SD_STATUS.NO_STATUS
  parms.adapter_status = 0
  parms.controller_status = 0
  if (!x.reachedAdapter) {
    parms.status_validity = SD_STATUS.DRIVER_STATUS
    parms.adapter_status = SD_DD_PURGED_TAG
    return
  }
  if (x.generalStatus !== 0) {
    parms.status_validity = SD_STATUS.VALID_ADAP_STATUS
    parms.adapter_status = x.adapterStatus
    if (x.controllerStatus !== 0) {
      parms.status_validity |= SD_STATUS.VALID_CTRL_STATUS
      parms.controller_status = x.controllerStatus
    }
    return
  }
  if (x.scsiStatus !== SCSI_STATUS.GOOD) {
    parms.status_validity = SD_STATUS.VALID_ADAP_STATUS | SD_STATUS.VALID_CTRL_STATUS
    parms.adapter_status = SD_ADAP.SCSI_STATUS
    parms.controller_status = x.scsiStatus
  }
}
