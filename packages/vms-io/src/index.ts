export { BLOCK_SIZE, type BlockDeviceLike } from './block-device'
export {
  DC,
  DEV,
  DEV2,
  DT,
  DVI,
  DYN_IO,
  functionBit,
  functionCode,
  IoFunction,
  IoModifier,
  LENGTH,
  MAX_DEPTH,
} from './constants'
export type { ConnectOptions, LoadOptions } from './database'
export { type DeviceName, parseDeviceName } from './device-names'
export { type DiskDriverOptions, diskDriver, virtualDiskDriver } from './disk'
export type {
  CancelReason,
  Driver,
  DriverProlog,
  DriverServices,
  FdtContext,
  FdtResult,
  FdtRoutine,
  FdtServices,
} from './driver'
export { nullDriver, type TerminalDriver, terminalDriver } from './drivers'
export type { FdtIntercept, StealFdtOptions } from './fdt-intercept'
export {
  type CreateMailboxOptions,
  type IoHost,
  type IoStage,
  IoSystem,
  type IoSystemOptions,
  IRP_LENGTH,
  type IrpPool,
  type QioArguments,
} from './io-system'
export { type LogicalName, LogicalNameTable } from './logical-names'
export { DEFAULT_MAILBOX, mailboxDriver } from './mailbox'
export type { IoQuotaLimits, IoQuotaState } from './quotas'
export type {
  AttentionAst,
  Ccb,
  Crb,
  Ddb,
  Ddt,
  Dpt,
  Fdt,
  Idb,
  Irp,
  MailboxMessage,
  MailboxUnit,
  Mode,
  Ucb,
} from './structures'
