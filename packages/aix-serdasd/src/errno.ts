/**
 * The errno values the driver returns, by name, with their AIX numbers (sys/errno.h).
 * Every failing subroutine returns `{ rc: -1, errno }`, as the page's "returns a value
 * of -1 and sets the errno global variable" does.
 */
export const ERRNO = {
  EPERM: 1,
  EIO: 5,
  ENXIO: 6,
  EBADF: 9,
  EACCES: 13,
  EBUSY: 16,
  EINVAL: 22,
  /** AIX numbers ETIMEDOUT 78 (Linux uses 110). */
  ETIMEDOUT: 78,
} as const

/** An errno name the driver can return. */
export type Errno = keyof typeof ERRNO

/** A subroutine that failed: `rc` is -1 and `errno` says why. */
export interface Failure {
  readonly ok: false
  readonly rc: -1
  readonly errno: Errno
}

/** A subroutine that succeeded: `rc` is its return value (a descriptor, a byte count, 0). */
export interface Success {
  readonly ok: true
  readonly rc: number
}

/** What every driver subroutine returns. */
export type SysResult = Success | Failure

/** A failure with `errno`. */
export function fail(errno: Errno): Failure {
  return { ok: false, rc: -1, errno }
}

/** Successes for 0 and every whole number of blocks up to 1 MiB, made once: the I/O path allocates nothing. */
const COMMON: Success[] = []

/** A success returning `rc` (0 by default). Results are frozen, so they can be shared. */
export function succeed(rc = 0): Success {
  const slot = rc % 512 === 0 && rc >= 0 && rc <= 1 << 20 ? rc / 512 : -1
  if (slot < 0) return Object.freeze({ ok: true, rc })
  let cached = COMMON[slot]
  if (!cached) {
    cached = Object.freeze({ ok: true as const, rc })
    COMMON[slot] = cached
  }
  return cached
}
