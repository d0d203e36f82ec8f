export type { Driver, DriverServices, FdtContext, FdtResult } from './driver'
export { nullDriver, type TerminalDriver, terminalDriver } from './drivers'
export { type IoHost, IoSystem, IRP_LENGTH, type IrpPool, type QioArguments } from './io-system'
export { type Ccb, functionCode, IoFunction, type Irp, type Mode, type Ucb } from './structures'
