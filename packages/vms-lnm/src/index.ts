export {
  type Caller,
  type CreateRequest,
  type DeleteRequest,
  type FoundName,
  LogicalNameDatabase,
  type LogicalNameDatabaseOptions,
  type NameSnapshot,
  type TranslateRequest,
  type TranslateResult,
} from './database'
export {
  groupTableName,
  isDirectoryName,
  jobTableName,
  SYSTEM_TABLE_NAMES,
} from './default-tables'
export {
  AccessMode,
  CRELNM_ATTRIBUTES,
  DYN_LNM,
  EQUIVALENCE_ATTRIBUTES,
  LNM,
  MAX_EQUIVALENCES,
  MAX_TRANSLATION_INDEX,
  maximizeMode,
  TRNLNM_ATTRIBUTES,
} from './lnm'
export {
  type DefineOptions,
  type Equivalence,
  LogicalNames,
  type NameContext,
  type TranslateOptions,
  type Translation,
} from './logical-names'
export { mayAccess } from './protection'
export { directoryName, resolveTableName } from './resolution'
export {
  LNMB,
  LNMTH,
  type Lnmb,
  type Lnmth,
  type Lnmx,
  LogicalNameHashTable,
  lnmbSize,
  lnmHash,
  type TableOwner,
} from './structures'
export { type LogicalNamesSubsystemOptions, logicalNamesSubsystem } from './subsystem'
