export * from './constants'
export { Errno, type ErrnoName, VdmError } from './errno'
export { type Extent, extentBlocks } from './extents'
export { Instance, type InstanceDriver, type Usage } from './instance'
export {
  BITMAP_BLOCKS,
  BITMAP_START,
  DATA_START,
  type ImageState,
  LABEL_SLOTS,
  type Label,
  MAX_REGIONS,
  type MemberRecord,
  readLabel,
} from './label'
export {
  vdmcreateinstance,
  vdmioctl,
  vdmioctlsubdriver,
  vdmpartcreateinstance,
  vdmphyscreateinstance,
} from './library'
export { type Member, type MirrorAttributes, MirrorDriver, SyncJob } from './mirror'
export {
  type DgVdmMirrCreatePacket,
  type DgVdmMirrFractureImagePacket,
  type DgVdmMirrGetChildPacket,
  type DgVdmMirrGetPacket,
  type DgVdmMirrSyncImagesPacket,
  type DgVdmMirrTerminateSyncPacket,
  type DgVdmMirrThrottleSyncPacket,
  type DgVdmMirrUpdatePacket,
  type DskGetPacket,
  type DskUsagePacket,
  type MirrPacketTypes,
  vdmmirrinitpacket,
} from './mirror-packets'
export { type RunSyncsOptions, runSyncs, type SyncProgress } from './runner'
export { MAX_NAME_BYTES, Vdm, type VdmOptions } from './vdm'
export {
  type DgVdmAttributesPacket,
  type DgVdmChildInstancePacket,
  type DgVdmCreateInstancePacket,
  type DgVdmDeleteInstancePacket,
  type DgVdmGetChildInstancePacket,
  type DgVdmIoctlSubdriverPacket,
  type DgVdmLinkChildInstancePacket,
  type DgVdmPartCreatePacket,
  type DgVdmPhysCreatePacket,
  type VdmPacketTypes,
  vdminitpacket,
} from './vdm-packets'
