/**
 * The errno values the VDM and its subdrivers return, by the names the manual pages use,
 * with the numbers Unix (and DG/UX) give them.
 */
export const Errno = {
  /** No such child: DGVDMGETCHILDINSTANCE has no child past the key. */
  ENOENT: 2,
  /** An image or device failed. */
  EIO: 5,
  /** The mirror cannot be used (vdmmirr(7), minimumimagesrequiredtouse / maximumimagesmissingtouse), or no such instance. */
  ENXIO: 6,
  /** Not an open descriptor. */
  EBADF: 9,
  /** The instance is open, linked or synchronizing. */
  EBUSY: 16,
  /** An instance of that name exists. */
  EEXIST: 17,
  /** A bad packet, a bad command or a request the page refuses (vdmmirr(7): removing the last image, DSKIOCGET on an unusable mirror). */
  EINVAL: 22,
} as const

/** The name of an errno. */
export type ErrnoName = keyof typeof Errno

/** A refused VDM request, as the errno the ioctl would set. */
export class VdmError extends Error {
  override readonly name = 'VdmError'
  /** The errno's number. */
  readonly errnoValue: number
  constructor(
    readonly errno: ErrnoName,
    message: string,
  ) {
    super(`${errno}: ${message}`)
    this.errnoValue = Errno[errno]
  }
}
