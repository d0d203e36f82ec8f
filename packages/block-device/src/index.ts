export {
  BLOCK_SIZE,
  type BlockDevice,
  BlockDeviceError,
  type BlockDeviceErrorCode,
  checkRequest,
} from './block-device'
export {
  FaultyBlockDevice,
  type FaultyBlockDeviceOptions,
  type FaultyBlockDeviceStatistics,
  PowerSupply,
} from './fault-device'
export { type CreateFileOptions, FileBlockDevice, type OpenFileOptions } from './file-device'
export { MemoryBlockDevice } from './memory-device'
