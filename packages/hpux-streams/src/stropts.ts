/**
 * The user-visible STREAMS constants (<stropts.h>, <sys/stream.h>, <fcntl.h>) and the
 * layouts of the structures that travel inside messages: `iocblk` in M_IOCTL/M_IOCACK/
 * M_IOCNAK and `stroptions` in M_SETOPTS. Structures are big-endian 32-bit fields, as on
 * the HP 9000.
 */
import type { Mblk } from './message'

const STR = 0x53 << 8 // ('S' << 8)
/** I_NREAD: number of messages on the stream head read queue; bytes in the first. */
export const I_NREAD = STR | 0o1
/** I_PUSH: push the named module just below the stream head. */
export const I_PUSH = STR | 0o2
/** I_POP: remove the module just below the stream head. */
export const I_POP = STR | 0o3
/** I_LOOK: the name of the module just below the stream head. */
export const I_LOOK = STR | 0o4
/** I_FLUSH: flush the read and/or write side (FLUSHR, FLUSHW, FLUSHRW). */
export const I_FLUSH = STR | 0o5
/** I_SRDOPT / I_GRDOPT: set / get the read mode. */
export const I_SRDOPT = STR | 0o6
export const I_GRDOPT = STR | 0o7
/** I_STR: send an ioctl downstream as M_IOCTL and wait for M_IOCACK or M_IOCNAK. */
export const I_STR = STR | 0o10
/** I_FIND: whether the named module is on the stream. */
export const I_FIND = STR | 0o13

/** M_FLUSH / I_FLUSH flags. */
export const FLUSHR = 0x01
export const FLUSHW = 0x02
export const FLUSHRW = 0x03

/** getmsg/putmsg flag: the high-priority message (M_PCPROTO). */
export const RS_HIPRI = 0x01
/** getmsg results: more control / data remain on the stream head for the next getmsg. */
export const MORECTL = 0x01
export const MOREDATA = 0x02

/** Read modes (I_SRDOPT): byte stream, message discard, message non-discard. */
export const RNORM = 0x00
export const RMSGD = 0x01
export const RMSGN = 0x02
/** Control-message handling for read: fail with EBADMSG, deliver as data, discard. */
export const RPROTNORM = 0x00
export const RPROTDAT = 0x10
export const RPROTDIS = 0x20
const RMODEMASK = 0x03
const RPROTMASK = 0x30

/** Splits and checks an I_SRDOPT argument; null when it is not a valid read option. */
export function readOption(arg: number): { mode: number; prot: number } | null {
  if (!Number.isInteger(arg) || arg & ~(RMODEMASK | RPROTMASK)) return null
  const mode = arg & RMODEMASK
  const prot = arg & RPROTMASK
  if (mode === 3 || prot === (RPROTDAT | RPROTDIS)) return null
  return { mode, prot }
}

/** ioc_count of a transparent ioctl (an ioctl other than I_STR). */
export const TRANSPARENT = -1

/** sflag values passed to open routines. */
export const DRVOPEN = 0
export const MODOPEN = 1
export const CLONEOPEN = 2

/** open flags (HP-UX <fcntl.h>). */
export const O_RDONLY = 0
export const O_WRONLY = 1
export const O_RDWR = 2
export const O_NDELAY = 0x04
export const O_NONBLOCK = 0x10000
const O_ACCMODE = 3

/** Whether `oflag` is an access mode with only known flags. */
export function validOflag(oflag: unknown): oflag is number {
  return (
    typeof oflag === 'number' &&
    Number.isInteger(oflag) &&
    (oflag & ~(O_ACCMODE | O_NDELAY | O_NONBLOCK)) === 0 &&
    (oflag & O_ACCMODE) !== 3
  )
}
export const canRead = (oflag: number): boolean => (oflag & O_ACCMODE) !== O_WRONLY
export const canWrite = (oflag: number): boolean => (oflag & O_ACCMODE) !== O_RDONLY

/** Size of `struct iocblk` here: ioc_cmd, ioc_id, ioc_count, ioc_error, ioc_rval. */
export const IOCBLK_SIZE = 20

/**
 * `struct iocblk` over the first block of an M_IOCTL, M_IOCACK or M_IOCNAK message: a
 * driver reads `cmd`, sets `error`/`rval`/`count`, changes the type and qreply()s it.
 */
export class Iocblk {
  private readonly view: DataView

  constructor(mp: Mblk) {
    const base = mp.datap.base
    this.view = new DataView(base.buffer, base.byteOffset + mp.rptr, IOCBLK_SIZE)
  }

  /** ioc_cmd: the ioctl command. */
  get cmd(): number {
    return this.view.getInt32(0)
  }
  set cmd(v: number) {
    this.view.setInt32(0, v)
  }
  /** ioc_id: matches the acknowledgement to the stream head's request. */
  get id(): number {
    return this.view.getInt32(4)
  }
  set id(v: number) {
    this.view.setInt32(4, v)
  }
  /** ioc_count: bytes of data in b_cont, or TRANSPARENT. */
  get count(): number {
    return this.view.getInt32(8)
  }
  set count(v: number) {
    this.view.setInt32(8, v)
  }
  /** ioc_error: the errno to return (0 in a NAK means EINVAL). */
  get error(): number {
    return this.view.getInt32(12)
  }
  set error(v: number) {
    this.view.setInt32(12, v)
  }
  /** ioc_rval: the ioctl's return value. */
  get rval(): number {
    return this.view.getInt32(16)
  }
  set rval(v: number) {
    this.view.setInt32(16, v)
  }
}

/** The iocblk of a message, or null when its first block is too short to hold one. */
export function iocblk(mp: Mblk): Iocblk | null {
  return mp.wptr - mp.rptr >= IOCBLK_SIZE ? new Iocblk(mp) : null
}

/** stroptions so_flags bits: which fields of an M_SETOPTS message apply. */
export const SO_READOPT = 0x0001
export const SO_WROFF = 0x0002
export const SO_MINPSZ = 0x0004
export const SO_MAXPSZ = 0x0008
export const SO_HIWAT = 0x0010
export const SO_LOWAT = 0x0020
export const SO_NDELON = 0x0100
export const SO_NDELOFF = 0x0200

/** `struct stroptions`: so_flags, so_readopt, so_wroff, so_minpsz, so_maxpsz, so_hiwat, so_lowat. */
export interface Stroptions {
  readonly flags: number
  readonly readopt?: number
  readonly wroff?: number
  readonly minpsz?: number
  readonly maxpsz?: number
  readonly hiwat?: number
  readonly lowat?: number
}
/** Bytes of `struct stroptions` in an M_SETOPTS message. */
export const STROPTIONS_SIZE = 28
const SO_FIELDS = ['readopt', 'wroff', 'minpsz', 'maxpsz', 'hiwat', 'lowat'] as const

/** Writes `so` into an M_SETOPTS block's bytes. */
export function encodeStroptions(so: Stroptions): Uint8Array {
  const out = new Uint8Array(STROPTIONS_SIZE)
  const v = new DataView(out.buffer)
  v.setUint32(0, so.flags)
  SO_FIELDS.forEach((f, i) => {
    v.setInt32(4 + 4 * i, so[f] ?? 0)
  })
  return out
}

/** Reads the stroptions of an M_SETOPTS message; null when the block is too short. */
export function decodeStroptions(mp: Mblk): Required<Stroptions> | null {
  if (mp.wptr - mp.rptr < STROPTIONS_SIZE) return null
  const base = mp.datap.base
  const v = new DataView(base.buffer, base.byteOffset + mp.rptr, STROPTIONS_SIZE)
  const at = (i: number) => v.getInt32(4 + 4 * i)
  return {
    flags: v.getUint32(0),
    readopt: at(0),
    wroff: at(1),
    minpsz: at(2),
    maxpsz: at(3),
    hiwat: at(4),
    lowat: at(5),
  }
}
