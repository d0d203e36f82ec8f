export {
  badStreamtab,
  C_CLONESMAJOR,
  type CdevEntry,
  DeviceSwitch,
  DRV_BLOCK,
  DRV_CHAR,
  DRV_MP_SAFE,
  DRV_PSEUDO,
  type DrvInfo,
  type DrvOps,
  DYNAMIC_MAJOR_BASE,
  FMNAMESZ,
  SQLVL_DEFAULT,
  SQLVL_ELSEWHERE,
  SQLVL_GLOBAL,
  SQLVL_MODULE,
  SQLVL_QUEUE,
  SQLVL_QUEUEPAIR,
  STR_IS_DEVICE,
  STR_IS_MODULE,
  type StreamsInfo,
} from './config'
export {
  CLONE_MAJOR,
  type DeviceFile,
  DeviceFiles,
  MAX_MAJOR,
  MAX_MINOR,
  major,
  makedev,
  minor,
  NODEV,
  validDev,
} from './device'
export { Errno, type ErrnoName, errnoName, StreamsError } from './errno'
export {
  type EchoOptions,
  echoDriver,
  echoStreamtab,
  handleIoctl,
  type IoctlHandler,
  replyIoctl,
} from './examples/echo'
export { createLoopDriver, LOOP_SET, type LoopDriver } from './examples/loop'
export {
  createUnitDriver,
  UNIT_CLONE_MINOR,
  UNIT_INFO,
  type UnitDriver,
  unitMinor,
} from './examples/unit'
export { UPPER_CASE, upperModule } from './examples/upper'
export { driverFlush, moduleFlush } from './flush'
export { type GetmsgOptions, type GetmsgResult, strgetmsg, strread } from './head-read'
export { strputmsg, strwrite } from './head-write'
export {
  configureMaster,
  DEVICE_MASK_CLONESMAJOR,
  type MasterDevice,
  type MasterDriver,
  type MasterDriverInstall,
  type MasterFile,
  parseMasterFile,
} from './master'
export * from './message'
export {
  allocqPair,
  backenable,
  type CloseProc,
  canput,
  canputnext,
  type DevRef,
  enableok,
  FLUSHALL,
  FLUSHDATA,
  flushq,
  getq,
  INFPSZ,
  type ModuleInfo,
  noenable,
  type OpenProc,
  OTHERQ,
  type PutProc,
  putbq,
  putnext,
  putq,
  QENAB,
  QFULL,
  type QInit,
  QNOENB,
  QREADR,
  Queue,
  QWANTR,
  QWANTW,
  qenable,
  qreply,
  RD,
  rmvq,
  type SrvProc,
  type Streamtab,
  WR,
} from './queue'
export { Scheduler } from './scheduler'
export { type IoctlResult, StreamFile, type Strioctl } from './stream-file'
export {
  NOERROR,
  NSTRPUSH,
  STRCTLSZ,
  STRHIGH,
  STRLOW,
  StreamHead,
  type StrioctlResult,
} from './stream-head'
export { Streams, type StreamsOptions } from './streams'
export * from './stropts'
