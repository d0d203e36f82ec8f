export { describeTranslation, type JitStatistics } from './block-cache'
export {
  type AddressTranslator,
  Cpu,
  type CpuModel,
  type CpuOptions,
  DEFAULT_JIT,
  KA655,
  type RunResult,
  type StopReason,
  VAX780,
} from './cpu'
export { ConsoleTerminal, IntervalClock, IPL_CLOCK, IPL_CONSOLE } from './devices'
export { EventScheduler } from './events'
export { VaxException, VaxHalt } from './exceptions'
export { IPR } from './ipr'
export {
  compareCpus,
  Lockstep,
  type LockstepMismatch,
  type LockstepOptions,
  lockstep,
} from './lockstep'
export { type IoSpace, PhysicalMemory } from './memory'
export {
  type Access,
  type DataType,
  type InstructionSet,
  OPCODE_BY_INDEX,
  OPCODE_BY_MNEMONIC,
  OPCODES,
  type Opcode,
  type OperandSpec,
  opcodeIndex,
} from './opcodes'
export {
  ARITHMETIC,
  currentMode,
  EXECUTIVE,
  iplOf,
  KERNEL,
  PSL_C,
  PSL_CC,
  PSL_CM,
  PSL_CUR,
  PSL_DV,
  PSL_FPD,
  PSL_FU,
  PSL_IPL,
  PSL_IS,
  PSL_IV,
  PSL_N,
  PSL_PRV,
  PSL_T,
  PSL_TP,
  PSL_V,
  PSL_Z,
  previousMode,
  RESET_PSL,
  SCB,
  SUPERVISOR,
  USER,
} from './psl'
