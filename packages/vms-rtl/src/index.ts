export { HEAP_PSECT, HEAP_SIZE } from './lib-vm'
export {
  RTL_DEFINITIONS,
  RTL_ROUTINES,
  type RtlRoutine,
  rtlMacroLibrary,
  rtlObjects,
  rtlSources,
} from './library'
export { LIB, OTS, RMS, RTL_STATUS_SYMBOLS, STR } from './status'
