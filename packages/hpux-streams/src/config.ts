/**
 * Driver and module configuration (STREAMS/UX chapter 5, and the page's install-function
 * example): install_driver with drv_info and drv_ops, str_install with streams_info,
 * uninstall_driver. The character device switch maps majors to drivers; the module
 * switch maps names to pushable modules.
 */
import { CLONE_MAJOR, MAX_MAJOR } from './device'
import { Errno, fail } from './errno'
import { INFPSZ, type ModuleInfo, type QInit, type Streamtab } from './queue'

/**
 * drv_info flags. DRV_MP_SAFE marks an MP-scalable driver; without it the driver runs
 * under UP emulation. The page names these flags but not their values: the values of
 * the DRV_*, C_*, STR_* and SQLVL_* constants are this package's.
 */
export const DRV_CHAR = 0x0001
export const DRV_BLOCK = 0x0002
export const DRV_PSEUDO = 0x0004
export const DRV_MP_SAFE = 0x0008

/** drv_ops d_flags: the driver uses the second cloning method (the page; its value here is this package's). */
export const C_CLONESMAJOR = 0x0001

/** streams_info inst_flags: what str_install installs. */
export const STR_IS_DEVICE = 0x0001
export const STR_IS_MODULE = 0x0002

/**
 * Synchronization levels (inst_sync_level). The framework is single-threaded and
 * deterministic, so the level is checked and recorded but serializes nothing.
 */
export const SQLVL_DEFAULT = 0
export const SQLVL_QUEUE = 1
export const SQLVL_QUEUEPAIR = 2
export const SQLVL_MODULE = 3
export const SQLVL_ELSEWHERE = 4
export const SQLVL_GLOBAL = 5

/** Longest module name (FMNAMESZ). */
export const FMNAMESZ = 8

/** drv_info_t: name, class, flags, block major, character major (-1: assign one). */
export interface DrvInfo {
  readonly name: string
  readonly class: string
  readonly flags: number
  readonly blockMajor: number
  readonly charMajor: number
}

/**
 * drv_ops_t. A STREAMS driver's entry points are all NULL (its streamtab has them), so
 * only d_flags is read: C_CLONESMAJOR selects the second cloning method.
 */
export interface DrvOps {
  readonly flags: number
}

/** streams_info_t: name, major (-1: the one install_driver assigned), streamtab, flags, sync level and name. */
export interface StreamsInfo {
  readonly name: string
  readonly major: number
  readonly streamtab: Streamtab
  readonly flags: number
  readonly syncLevel: number
  readonly syncName: string
}

/** A character device switch entry (cdevsw): an installed driver, STREAMS if str_install ran. */
export interface CdevEntry {
  readonly info: DrvInfo
  readonly ops: DrvOps
  readonly major: number
  streams?: StreamsInfo
}

/** Where dynamically assigned character majors start. */
export const DYNAMIC_MAJOR_BASE = 64

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)

function badMinfo(m: ModuleInfo | undefined): string | null {
  if (typeof m !== 'object' || m === null) return 'no module_info'
  if (typeof m.name !== 'string' || m.name.length === 0) return 'mi_idname empty'
  if (![m.id, m.minpsz, m.maxpsz, m.hiwat, m.lowat].every(isInt)) return 'module_info not integers'
  if (m.minpsz < 0 || (m.maxpsz !== INFPSZ && m.maxpsz < m.minpsz)) return 'bad packet sizes'
  if (m.lowat < 0 || m.hiwat < m.lowat) return 'bad water marks'
  return null
}

function badQinit(q: QInit | undefined): string | null {
  if (typeof q !== 'object' || q === null) return 'no qinit'
  if (typeof q.put !== 'function') return 'no put procedure'
  if (q.srv !== undefined && typeof q.srv !== 'function') return 'bad service procedure'
  return badMinfo(q.minfo)
}

/** The reason a streamtab cannot be installed, or null. */
export function badStreamtab(tab: Streamtab | undefined): string | null {
  if (typeof tab !== 'object' || tab === null) return 'no streamtab'
  const r = badQinit(tab.rdinit)
  if (r) return `read qinit: ${r}`
  const w = badQinit(tab.wrinit)
  if (w) return `write qinit: ${w}`
  if (typeof tab.rdinit.open !== 'function') return 'read qinit has no open routine'
  return null
}

/** The switch tables: cdevsw (by major) and fmodsw (by module name). */
export class DeviceSwitch {
  readonly cdevsw = new Map<number, CdevEntry>()
  readonly fmodsw = new Map<string, StreamsInfo>()

  /** The driver installed under `name`. */
  driverNamed(name: string): CdevEntry | undefined {
    for (const e of this.cdevsw.values()) if (e.info.name === name) return e
    return undefined
  }

  /** The lowest free character major from DYNAMIC_MAJOR_BASE, never the clone major. */
  private freeMajor(): number {
    for (let m = DYNAMIC_MAJOR_BASE; m <= MAX_MAJOR; m++)
      if (m !== CLONE_MAJOR && !this.cdevsw.has(m)) return m
    return fail(Errno.ENOSPC, 'no free character major')
  }

  /**
   * install_driver: puts a driver in the character switch. A charMajor of -1 gets the
   * lowest free major. EEXIST for a name already installed, EINVAL for a bad field or the
   * clone major, EBUSY for a major in use.
   */
  installDriver(info: DrvInfo, ops: DrvOps): CdevEntry {
    if (typeof info !== 'object' || info === null) fail(Errno.EINVAL, 'install_driver: no drv_info')
    if (typeof ops !== 'object' || ops === null || !isInt(ops.flags))
      fail(Errno.EINVAL, 'install_driver: no drv_ops')
    const { name, flags, blockMajor, charMajor } = info
    if (typeof name !== 'string' || name.length === 0) fail(Errno.EINVAL, 'install_driver: no name')
    if (!isInt(flags) || !(flags & DRV_CHAR))
      fail(Errno.EINVAL, `install_driver ${name}: not a character driver (DRV_CHAR)`)
    if (!isInt(blockMajor) || blockMajor < -1 || blockMajor > MAX_MAJOR)
      fail(Errno.EINVAL, `install_driver ${name}: bad block major ${blockMajor}`)
    if (!isInt(charMajor) || charMajor < -1 || charMajor > MAX_MAJOR || charMajor === CLONE_MAJOR)
      fail(Errno.EINVAL, `install_driver ${name}: bad character major ${charMajor}`)
    if (this.driverNamed(name)) fail(Errno.EEXIST, `install_driver: ${name} is installed`)
    if (charMajor !== -1 && this.cdevsw.has(charMajor))
      fail(Errno.EBUSY, `install_driver ${name}: major ${charMajor} in use`)
    const major = charMajor === -1 ? this.freeMajor() : charMajor
    const entry: CdevEntry = { info, ops, major }
    this.cdevsw.set(major, entry)
    return entry
  }

  /**
   * str_install: makes an installed driver a STREAMS driver (STR_IS_DEVICE), or registers
   * a pushable module (STR_IS_MODULE). ENXIO when the driver is not installed, EEXIST when
   * already done, EINVAL for a bad streams_info.
   */
  strInstall(si: StreamsInfo): void {
    if (typeof si !== 'object' || si === null) fail(Errno.EINVAL, 'str_install: no streams_info')
    const { name, flags, syncLevel, syncName } = si
    if (typeof name !== 'string' || name.length === 0) fail(Errno.EINVAL, 'str_install: no name')
    const kind = isInt(flags) ? flags & (STR_IS_DEVICE | STR_IS_MODULE) : 0
    if (kind !== STR_IS_DEVICE && kind !== STR_IS_MODULE)
      fail(Errno.EINVAL, `str_install ${name}: flags must say device or module`)
    if (!isInt(syncLevel) || syncLevel < SQLVL_DEFAULT || syncLevel > SQLVL_GLOBAL)
      fail(Errno.EINVAL, `str_install ${name}: bad sync level ${syncLevel}`)
    if (syncLevel === SQLVL_ELSEWHERE && (typeof syncName !== 'string' || syncName === ''))
      fail(Errno.EINVAL, `str_install ${name}: SQLVL_ELSEWHERE needs a sync name`)
    const bad = badStreamtab(si.streamtab)
    if (bad && !(kind === STR_IS_MODULE && bad === 'read qinit has no open routine'))
      fail(Errno.EINVAL, `str_install ${name}: ${bad}`)
    if (kind === STR_IS_MODULE) {
      if (name.length > FMNAMESZ) fail(Errno.EINVAL, `str_install: module name ${name} too long`)
      if (this.fmodsw.has(name)) fail(Errno.EEXIST, `str_install: module ${name} is installed`)
      this.fmodsw.set(name, si)
      return
    }
    const entry = this.driverNamed(name)
    if (!entry) fail(Errno.ENXIO, `str_install: driver ${name} is not installed`)
    if (entry.streams) fail(Errno.EEXIST, `str_install: ${name} is already a STREAMS driver`)
    if (si.major !== -1 && si.major !== entry.major)
      fail(
        Errno.EINVAL,
        `str_install ${name}: major ${si.major} is not the driver's ${entry.major}`,
      )
    entry.streams = si
  }
}
