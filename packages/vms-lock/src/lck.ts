/**
 * The constants of $LCKDEF: lock modes, $ENQ and $DEQ flags, and the mode
 * compatibility table (book 13.1.3; VAX/VMS System Services Reference Manual, $ENQ).
 */

/** Lock modes (LCK$K_...), least to most restrictive. */
export const LockMode = {
  /** Null: no access, a placeholder that keeps the resource (and its value block). */
  NL: 0,
  /** Concurrent read: read, others may write. */
  CR: 1,
  /** Concurrent write: write, others may write. */
  CW: 2,
  /** Protected read: read, no writers. */
  PR: 3,
  /** Protected write: write, readers with CR only. */
  PW: 4,
  /** Exclusive. */
  EX: 5,
} as const
export type LockMode = (typeof LockMode)[keyof typeof LockMode]
export type LockModeName = keyof typeof LockMode

/** The names of the modes, indexed by mode. */
export const MODE_NAMES: readonly LockModeName[] = ['NL', 'CR', 'CW', 'PR', 'PW', 'EX']

/** $LCKDEF: `LCK.K_EXMODE` is LCK$K_EXMODE, `LCK.M_NOQUEUE` is LCK$M_NOQUEUE. */
export const LCK = {
  K_NLMODE: 0,
  K_CRMODE: 1,
  K_CWMODE: 2,
  K_PRMODE: 3,
  K_PWMODE: 4,
  K_EXMODE: 5,
  /** $ENQ: read or write the 16-byte value block (13.1.1, RSB$Q_VALBLK). */
  M_VALBLK: 0x1,
  /** $ENQ: convert the lock whose ID is in the status block (13.2.2). */
  M_CONVERT: 0x2,
  /** $ENQ: fail with SS$_NOTQUEUED rather than wait (13.2.1). */
  M_NOQUEUE: 0x4,
  /** $ENQ: SS$_SYNCH, no event flag and no completion AST for an immediate grant (13.2.1). */
  M_SYNCSTS: 0x8,
  /** $ENQ: a systemwide name, not qualified by UIC group; SYSLCK or an inner mode (13.2.1). */
  M_SYSTEM: 0x10,
  /** $ENQ: not charged to ENQLM; executive or kernel mode only (13.2.1). */
  M_NOQUOTA: 0x20,
  /** $ENQ: make a granted lock system-owned (13.2.5). Not supported here (SS$_BADPARAM). */
  M_CVTSYS: 0x40,
  /** Later VMS: this request's wait is left out of deadlock searches. */
  M_NODLCKWT: 0x200,
  /** Later VMS: this lock is never counted as blocking in deadlock searches. */
  M_NODLCKBLK: 0x400,
  /** Later VMS: a conversion waits behind conversions already queued instead of overtaking them. */
  M_QUECVT: 0x1000,
  /** $DEQ: every lock of the process (or every sublock of the lock given) (13.2.3). */
  M_DEQALL: 0x1,
  /** Later VMS $DEQ: mark the resource's value block not valid. */
  M_INVVALBLK: 0x4,
} as const

/** Every $ENQ flag this lock manager accepts. */
export const ENQ_FLAGS =
  LCK.M_VALBLK |
  LCK.M_CONVERT |
  LCK.M_NOQUEUE |
  LCK.M_SYNCSTS |
  LCK.M_SYSTEM |
  LCK.M_NOQUOTA |
  LCK.M_NODLCKWT |
  LCK.M_NODLCKBLK |
  LCK.M_QUECVT

/** Every $DEQ flag this lock manager accepts. */
export const DEQ_FLAGS = LCK.M_DEQALL | LCK.M_INVVALBLK

/**
 * The compatibility table (System Services Reference Manual, $ENQ): bit `b` of
 * `COMPATIBLE[a]` is set when a lock in mode `b` may be granted while one in mode `a` is.
 *
 * |    | NL | CR | CW | PR | PW | EX |
 * |----|----|----|----|----|----|----|
 * | NL | y  | y  | y  | y  | y  | y  |
 * | CR | y  | y  | y  | y  | y  | -  |
 * | CW | y  | y  | y  | -  | -  | -  |
 * | PR | y  | y  | -  | y  | -  | -  |
 * | PW | y  | y  | -  | -  | -  | -  |
 * | EX | y  | -  | -  | -  | -  | -  |
 */
export const COMPATIBLE: readonly number[] = [
  0b111111, 0b011111, 0b000111, 0b001011, 0b000011, 0b000001,
]

/** True when modes `a` and `b` may be granted together. */
export function compatible(a: number, b: number): boolean {
  return ((COMPATIBLE[a] as number) & (1 << b)) !== 0
}

/** True for an integer 0..5. */
export function isLockMode(mode: unknown): mode is LockMode {
  return typeof mode === 'number' && (mode | 0) === mode && mode >= 0 && mode <= 5
}

/** Access modes (PSL$C_...): a smaller number is more privileged. */
export const AccessMode = { KERNEL: 0, EXECUTIVE: 1, SUPERVISOR: 2, USER: 3 } as const
export type AccessMode = (typeof AccessMode)[keyof typeof AccessMode]

/** The value block is 16 bytes (RSB$Q_VALBLK and the two following longwords). */
export const VALUE_BLOCK_LENGTH = 16

/** The longest resource name (book 13.1.1: 1 to 31 characters). */
export const RESOURCE_NAME_MAX = 31
