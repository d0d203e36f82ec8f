/**
 * HP-UX device numbers and the device file table. A `dev_t` is 32 bits: the major number
 * in the top 8 bits, the minor number in the low 24 (HP-UX <sys/sysmacros.h>).
 */
import { Errno, fail } from './errno'

/** The clone driver's major number (the page's first cloning method). */
export const CLONE_MAJOR = 72
export const MAX_MAJOR = 0xff
export const MAX_MINOR = 0xffffff
/** No device ((dev_t)-1). */
export const NODEV = -1

const isInt = (v: unknown, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max

/** Whether `dev` is a device number: an integer 0..0xFFFFFFFF. */
export function validDev(dev: unknown): dev is number {
  return isInt(dev, 0xffffffff)
}

/** makedev (the page's "makdev"): a device number from a major and a minor; NODEV if either is out of range. */
export function makedev(maj: number, min: number): number {
  if (!isInt(maj, MAX_MAJOR) || !isInt(min, MAX_MINOR)) return NODEV
  return ((maj << 24) | min) >>> 0
}

/** major(dev): the top 8 bits. */
export function major(dev: number): number {
  return (dev >>> 24) & MAX_MAJOR
}

/** minor(dev): the low 24 bits. */
export function minor(dev: number): number {
  return dev & MAX_MINOR
}

/** A device special file, as mknod(1M) makes it: name, type, major, minor. */
export interface DeviceFile {
  readonly name: string
  /** 'c' character special (STREAMS devices are character devices), 'b' block special. */
  readonly type: 'c' | 'b'
  readonly major: number
  readonly minor: number
}

/** The device files of the system, by path name. */
export class DeviceFiles {
  private readonly files = new Map<string, DeviceFile>()

  /** mknod: creates a device file. EEXIST if the name is taken, EINVAL for a bad field. */
  mknod(name: string, type: 'c' | 'b', maj: number, min: number): DeviceFile {
    if (typeof name !== 'string' || name.length === 0) fail(Errno.EINVAL, 'mknod: empty name')
    if (type !== 'c' && type !== 'b') fail(Errno.EINVAL, `mknod ${name}: type must be c or b`)
    if (!isInt(maj, MAX_MAJOR)) fail(Errno.EINVAL, `mknod ${name}: major ${maj} not in 0..255`)
    if (!isInt(min, MAX_MINOR)) fail(Errno.EINVAL, `mknod ${name}: minor ${min} not in 0..0xFFFFFF`)
    if (this.files.has(name)) fail(Errno.EEXIST, `mknod: ${name} exists`)
    const file = { name, type, major: maj, minor: min }
    this.files.set(name, file)
    return file
  }

  /** unlink: removes a device file. ENOENT if there is none. */
  unlink(name: string): void {
    if (!this.files.delete(name)) fail(Errno.ENOENT, `${name}: no such file`)
  }

  lookup(name: string): DeviceFile | undefined {
    return this.files.get(name)
  }

  list(): DeviceFile[] {
    return [...this.files.values()]
  }
}
