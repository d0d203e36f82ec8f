/**
 * The errno values STREAMS/UX returns, with HP-UX's numbers (HP-UX <sys/errno.h>). Every
 * operation that refuses bad input throws a {@link StreamsError} carrying one of these.
 */
export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  EINTR: 4,
  EIO: 5,
  /** No such device or address: an unknown major, a clone minor that names no STREAMS major, a refused device number. */
  ENXIO: 6,
  EBADF: 9,
  /** Try again: no data in non-blocking mode, or the stream is flow controlled. */
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  ENOTTY: 25,
  ENOSPC: 28,
  ERANGE: 34,
  ENODATA: 51,
  /** The stream head gave up waiting for an ioctl acknowledgement. */
  ETIME: 52,
  ENOSR: 53,
  ENOSTR: 54,
  EPROTO: 61,
  /** A read met a control message in RPROTNORM mode. */
  EBADMSG: 67,
} as const

/** The name of an errno value (`'EINVAL'`). */
export type ErrnoName = keyof typeof Errno

const NAMES = new Map<number, ErrnoName>(
  Object.entries(Errno).map(([name, code]) => [code, name as ErrnoName]),
)

/** The name of errno `code`, or `E<code>` for a value this table does not list. */
export function errnoName(code: number): string {
  return NAMES.get(code) ?? `E${code}`
}

/**
 * What every refused STREAMS operation throws: the errno (name and HP-UX number) and what
 * was wrong. The framework state is unchanged when one is thrown for bad input.
 */
export class StreamsError extends Error {
  override readonly name = 'StreamsError'
  /** The errno name, `'EINVAL'`. */
  readonly errno: string
  /** The HP-UX errno number, 22 for EINVAL. */
  readonly code: number

  constructor(code: number, detail: string) {
    super(`${errnoName(code)}: ${detail}`)
    this.code = code
    this.errno = errnoName(code)
  }
}

/** Throws `StreamsError(code)`; the value `never` lets callers use it in expressions. */
export function fail(code: number, detail: string): never {
  throw new StreamsError(code, detail)
}
