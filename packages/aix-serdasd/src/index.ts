export { type AdapterFaults, MAX_TRANSFER, SerialDasdAdapter } from './adapter'
export { fence as fenceCdb, parseSense, reassignList, rw10, type Sense, simple6 } from './cdb'
export {
  B_READ,
  B_WRITE,
  DD_CONC,
  DEVINFO,
  DIAGNOSTIC_COMMANDS,
  FENCE,
  fenceBit,
  HOST_CONNECTORS,
  IOC,
  OP,
  OPENX_FLAGS,
  READ10_RWR,
  ROOT_COMMANDS,
  RW,
  RW_FLAGS,
  SC,
  SC_ADAPTER,
  SC_STATUS,
  SCSI_STATUS,
  SD_ADAP,
  SD_CTRL,
  SD_EXT,
  SD_NO_RESERVE,
  SD_Q,
  SD_RESET_TYPE,
  SD_STATUS,
  SENSE_KEY,
} from './constants'
export {
  type ConnectorListener,
  type ControllerOptions,
  type DasdConfig,
  SerialDasdController,
  type SharedControllerOptions,
} from './controller'
export { SENSE_LENGTH } from './dasd'
export { type DemoReport, type RunDemoOptions, runTwoHostDemo } from './demo'
export {
  type Credentials,
  type DriverOptions,
  ROOT,
  SerialDasdDriver,
  USER,
} from './driver'
export { ERRNO, type Errno, type Failure, type Success, type SysResult } from './errno'
export {
  ERROR_LABELS,
  type ErrorLabel,
  ErrorLog,
  type ErrorLogOptions,
  type ErrorRecord,
  type ErrorType,
  formatErrorReport,
  readErrorLogFile,
} from './error-log'
export { FileStateStore } from './file-state-store'
export {
  type DasdUnitState,
  type DefectKind,
  MemoryStateStore,
  type StateStore,
  type SubsystemState,
} from './state'
export { SD_DD_PURGED_TAG } from './status'
export {
  type ConcCmd,
  type ConcFunction,
  type ConcInterruptHandler,
  type DdConcRegister,
  type DevInfo,
  ddConcRegister,
  devinfo,
  type SdIocmd,
  type SdIoctlParms,
  sdIocmd,
  sdIoctlParms,
} from './structures'
