export { parseTime } from './bintim'
export {
  type FaoCount,
  type FaoDirective,
  type FaoText,
  type FaoToken,
  parameterCount,
  parseControl,
} from './directives'
export {
  type FaoMemory,
  type FaoOptions,
  type FaoParameters,
  type FaoResult,
  fao,
  MAX_OUTPUT,
  uic,
} from './fao'
export { ByteMemory } from './memory'
export {
  formatMessage,
  formatMessageVector,
  type GetMessageResult,
  getMessage,
  lookupMessage,
  type MessageDefinition,
  MSG,
} from './message'
export {
  DEFAULT_BOOT_TIME,
  type FormattingSubsystemOptions,
  formattingSubsystem,
} from './subsystem'
export {
  asciiTime,
  binaryTime,
  daysInMonth,
  isDeltaTime,
  MAX_DELTA_DAYS,
  MAX_YEAR,
  MONTHS,
  type NumericTime,
  numericTime,
  TICKS_PER_DAY,
  TICKS_PER_SECOND,
} from './time'
