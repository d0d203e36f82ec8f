/**
 * The processor status longword (VAX SRM, "Processor Status Longword").
 *
 *  31  30  29:28 27  26  25:24 23:22 21  20:16 15:8  7   6   5   4   3   2   1   0
 *  CM  TP  MBZ   FPD IS  CUR   PRV   MBZ IPL   MBZ   DV  FU  IV  T   N   Z   V   C
 */
export const PSL_C = 0x1
export const PSL_V = 0x2
export const PSL_Z = 0x4
export const PSL_N = 0x8
/** The condition codes, N Z V C. */
export const PSL_CC = 0xf
export const PSL_T = 0x10
export const PSL_IV = 0x20
export const PSL_FU = 0x40
export const PSL_DV = 0x80
/** Bits 15:8 of the PSW, which must be zero (BISPSW/BICPSW reserved operand). */
export const PSW_MBZ = 0xff00
export const PSL_IPL_SHIFT = 16
export const PSL_IPL = 0x1f << PSL_IPL_SHIFT
export const PSL_PRV_SHIFT = 22
export const PSL_PRV = 3 << PSL_PRV_SHIFT
export const PSL_CUR_SHIFT = 24
export const PSL_CUR = 3 << PSL_CUR_SHIFT
export const PSL_IS = 1 << 26
export const PSL_FPD = 1 << 27
export const PSL_TP = 1 << 30
export const PSL_CM = 1 << 31
/** Bits that must be zero in a PSL restored by REI: 29:28, 21, 15:8. */
export const PSL_MBZ = 0x3020ff00

/** Access modes, PSL<CUR> and PSL<PRV>. */
export const KERNEL = 0
export const EXECUTIVE = 1
export const SUPERVISOR = 2
export const USER = 3

/** The PSL of a freshly reset MicroVAX 3900: kernel mode, IPL 31, interrupt stack. */
export const RESET_PSL = 0x041f0000

export function currentMode(psl: number): number {
  return (psl >>> PSL_CUR_SHIFT) & 3
}

export function previousMode(psl: number): number {
  return (psl >>> PSL_PRV_SHIFT) & 3
}

export function iplOf(psl: number): number {
  return (psl >>> PSL_IPL_SHIFT) & 0x1f
}

/**
 * System control block vectors (offsets from SCBB).
 */
export const SCB = {
  MACHINE_CHECK: 0x04,
  KERNEL_STACK_NOT_VALID: 0x08,
  POWER_FAIL: 0x0c,
  RESERVED_INSTRUCTION: 0x10,
  XFC: 0x14,
  RESERVED_OPERAND: 0x18,
  RESERVED_ADDRESSING_MODE: 0x1c,
  ACCESS_VIOLATION: 0x20,
  TRANSLATION_NOT_VALID: 0x24,
  TRACE: 0x28,
  BREAKPOINT: 0x2c,
  COMPATIBILITY: 0x30,
  ARITHMETIC: 0x34,
  CHMK: 0x40,
  CHME: 0x44,
  CHMS: 0x48,
  CHMU: 0x4c,
  /** Software interrupt level n is at SOFTWARE + 4n (n = 1..15). */
  SOFTWARE: 0x80,
  INTERVAL_TIMER: 0xc0,
  EMULATE: 0xc8,
  EMULATE_FPD: 0xcc,
  CONSOLE_RECEIVE: 0xf8,
  CONSOLE_TRANSMIT: 0xfc,
} as const

/** Arithmetic exception type codes, pushed with an arithmetic trap or fault. */
export const ARITHMETIC = {
  INTEGER_OVERFLOW: 1,
  INTEGER_DIVIDE_BY_ZERO: 2,
  FLOATING_OVERFLOW: 3,
  FLOATING_DIVIDE_BY_ZERO: 4,
  FLOATING_UNDERFLOW: 5,
  DECIMAL_OVERFLOW: 6,
  SUBSCRIPT_RANGE: 7,
  FLOATING_OVERFLOW_FAULT: 8,
  FLOATING_DIVIDE_BY_ZERO_FAULT: 9,
  FLOATING_UNDERFLOW_FAULT: 10,
} as const
