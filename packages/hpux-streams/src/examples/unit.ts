/**
 * The unit driver, a clone driver of the second method (C_CLONESMAJOR). Its minor
 * numbers carry information: minor = unit << 8 | mode, units 1..N, so /dev/unit3 can be
 * minor 0x300. Minor 0 is its clone minor: an open of it takes the lowest free unit and
 * returns a device number for it. When every unit is busy it may hand out a unit of
 * another major where the same streamtab is installed (`spill`), which the framework
 * allows only for the same streamtab and MP character. Data written is echoed back;
 * UNIT_INFO (I_STR) answers the major, unit and mode of the stream.
 */
import { major, makedev, minor } from '../device'
import { Errno } from '../errno'
import type { Queue, Streamtab } from '../queue'
import { WR } from '../queue'
import { echoStreamtab } from './echo'

/** The unit driver's clone minor. */
export const UNIT_CLONE_MINOR = 0
/** I_STR command: answers three big-endian longwords, major, unit and mode. */
export const UNIT_INFO = (0x75 << 8) | 1

/** The minor number of `unit` opened in `mode` (0..255). */
export function unitMinor(unit: number, mode = 0): number {
  return (unit << 8) | (mode & 0xff)
}

interface Unit {
  readonly major: number
  readonly unit: number
  readonly mode: number
}

export interface UnitDriver {
  readonly streamtab: Streamtab
  /** Lets clone opens go on to `major` (the same streamtab installed again) when units run out. */
  spill(major: number): void
  /** "major:unit" of every open unit. */
  unitsInUse(): string[]
}

export function createUnitDriver(units = 8): UnitDriver {
  const busy = new Set<string>()
  const spills: number[] = []
  const key = (maj: number, unit: number) => `${maj}:${unit}`

  const claim = (q: Queue, maj: number, unit: number, mode: number): void => {
    busy.add(key(maj, unit))
    q.ptr = WR(q).ptr = { major: maj, unit, mode } satisfies Unit
  }

  const streamtab = echoStreamtab({
    name: 'unit',
    open: (q, devp) => {
      if (q.ptr) return 0
      const maj = major(devp.dev)
      const m = minor(devp.dev)
      if (m === UNIT_CLONE_MINOR) {
        for (const target of [maj, ...spills]) {
          for (let u = 1; u <= units; u++) {
            if (busy.has(key(target, u))) continue
            claim(q, target, u, 0)
            devp.dev = makedev(target, unitMinor(u))
            return 0
          }
        }
        return Errno.ENXIO // no unit left anywhere
      }
      const unit = m >> 8
      if (unit < 1 || unit > units || m > 0xffff) return Errno.ENXIO
      if (busy.has(key(maj, unit))) return Errno.EBUSY // one stream per unit
      claim(q, maj, unit, m & 0xff)
      return 0
    },
    close: (q) => {
      const u = q.ptr as Unit
      busy.delete(key(u.major, u.unit))
      return 0
    },
    ioctl: (q, ioc) => {
      if (ioc.cmd !== UNIT_INFO) return Errno.EINVAL
      const u = q.ptr as Unit
      const out = new Uint8Array(12)
      const v = new DataView(out.buffer)
      v.setInt32(0, u.major)
      v.setInt32(4, u.unit)
      v.setInt32(8, u.mode)
      return out
    },
  })
  return {
    streamtab,
    spill: (m) => void spills.push(m),
    unitsInUse: () => [...busy].sort(),
  }
}
