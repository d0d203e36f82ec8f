export {
  type DeadlockFound,
  searchDeadlock,
  TimeoutQueue,
} from './deadlock'
export {
  encodeLkiRecord,
  type GetlkiRequest,
  type GetlkiResult,
  getLockInformation,
  LKI,
  LKI_RECORD_LENGTH,
  type LkiItem,
  type LkiNamespace,
  type LkiRecord,
  type LkiState,
  type LkiValue,
} from './getlki'
export {
  AccessMode,
  COMPATIBLE,
  compatible,
  DEQ_FLAGS,
  ENQ_FLAGS,
  isLockMode,
  LCK,
  LockMode,
  type LockModeName,
  MODE_NAMES,
  RESOURCE_NAME_MAX,
  VALUE_BLOCK_LENGTH,
} from './lck'
export { ID_BITS, LockIdTable } from './lock-id-table'
export {
  type BlockingNotice,
  type Completion,
  type DeqRequest,
  type EnqRequest,
  type EnqResult,
  LockManager,
  type LockManagerOptions,
  type LockNotifier,
  type OwnerOptions as ProcessOptions,
} from './lock-manager'
export {
  type EnqOptions,
  Lock,
  LockError,
  LockOwner,
  LockSpace,
  type LockSpaceOptions,
  type ModeArgument,
  type OwnerOptions,
} from './lock-space'
export {
  type LockDatabaseSnapshot,
  type LockSnapshot,
  type OwnerSnapshot,
  type ResourceSnapshot,
  snapshotLockDatabase,
} from './snapshot'
export {
  type EnqQuota,
  LKB_LENGTH,
  Lkb,
  LockState,
  Owner,
  RSB_LENGTH,
  Rsb,
} from './structures'
export { formatLocks, type LockSubsystemOptions, lockManagerSubsystem } from './subsystem'
