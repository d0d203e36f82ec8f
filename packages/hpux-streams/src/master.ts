/**
 * The master file entries of a STREAMS/UX driver (the page's "MASTER FILE ENTRY" and
 * "$DEVICE TABLE CONFIGURATION"): `$DRIVER_INSTALL` lines `name block-major char-major`
 * and `$DEVICE` lines `name handle type mask block char`, type and mask in hex. The
 * 0x8000 bit of the mask selects the second cloning method (C_CLONESMAJOR).
 */
import {
  C_CLONESMAJOR,
  DRV_CHAR,
  DRV_MP_SAFE,
  DRV_PSEUDO,
  SQLVL_DEFAULT,
  STR_IS_DEVICE,
} from './config'
import { Errno, fail } from './errno'
import type { Streamtab } from './queue'
import type { Streams } from './streams'

/** The $DEVICE mask bit for the second cloning method. */
export const DEVICE_MASK_CLONESMAJOR = 0x8000

export interface MasterDriverInstall {
  readonly name: string
  readonly blockMajor: number
  readonly charMajor: number
  readonly line: number
}

export interface MasterDevice {
  readonly name: string
  readonly handle: string
  readonly type: number
  readonly mask: number
  readonly blockMajor: number
  readonly charMajor: number
  /** The mask has 0x8000: the driver clones by the second method. */
  readonly clonesMajor: boolean
  readonly line: number
}

export interface MasterFile {
  readonly driverInstall: MasterDriverInstall[]
  readonly devices: MasterDevice[]
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

function majorField(text: string, line: number, what: string): number {
  if (!/^-?\d+$/.test(text))
    fail(Errno.EINVAL, `master line ${line}: ${what} "${text}" is not a number`)
  const n = Number(text)
  if (n < -1 || n > 255) fail(Errno.EINVAL, `master line ${line}: ${what} ${n} not in -1..255`)
  return n
}

function hexField(text: string, line: number, what: string): number {
  if (!/^(0x)?[0-9A-Fa-f]{1,8}$/.test(text))
    fail(Errno.EINVAL, `master line ${line}: ${what} "${text}" is not hex`)
  return Number.parseInt(text.replace(/^0x/, ''), 16)
}

/**
 * Parses the $DRIVER_INSTALL and $DEVICE sections of a master file. Lines starting with
 * `*` and text in `/* ... *\/` are comments; a section ends at `$$$` or the next `$`
 * heading; other sections are skipped. A malformed line throws EINVAL naming it.
 */
export function parseMasterFile(text: string): MasterFile {
  if (typeof text !== 'string') fail(Errno.EINVAL, 'master file is not text')
  const driverInstall: MasterDriverInstall[] = []
  const devices: MasterDevice[] = []
  let section: string | null = null
  const lines = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).split('\n')
  lines.forEach((raw, i) => {
    const line = i + 1
    const t = raw.trim()
    if (t === '' || t.startsWith('*')) return
    if (t.startsWith('$')) {
      section = t === '$$$' ? null : (t.split(/\s+/)[0] ?? null)
      return
    }
    const f = t.split(/\s+/)
    if (section === '$DRIVER_INSTALL') {
      if (f.length !== 3)
        fail(Errno.EINVAL, `master line ${line}: $DRIVER_INSTALL wants name block char`)
      const [name, b, c] = f as [string, string, string]
      if (!NAME.test(name)) fail(Errno.EINVAL, `master line ${line}: bad driver name ${name}`)
      if (driverInstall.some((d) => d.name === name))
        fail(Errno.EINVAL, `master line ${line}: ${name} twice`)
      driverInstall.push({
        name,
        blockMajor: majorField(b, line, 'block major'),
        charMajor: majorField(c, line, 'char major'),
        line,
      })
    } else if (section === '$DEVICE') {
      if (f.length !== 6)
        fail(Errno.EINVAL, `master line ${line}: $DEVICE wants name handle type mask block char`)
      const [name, handle, type, mask, b, c] = f as [string, string, string, string, string, string]
      if (!NAME.test(name)) fail(Errno.EINVAL, `master line ${line}: bad device name ${name}`)
      if (devices.some((d) => d.name === name))
        fail(Errno.EINVAL, `master line ${line}: ${name} twice`)
      const m = hexField(mask, line, 'mask')
      devices.push({
        name,
        handle,
        type: hexField(type, line, 'type'),
        mask: m,
        blockMajor: majorField(b, line, 'block major'),
        charMajor: majorField(c, line, 'char major'),
        clonesMajor: (m & DEVICE_MASK_CLONESMAJOR) !== 0,
        line,
      })
    } else if (section === null) fail(Errno.EINVAL, `master line ${line}: text outside a section`)
  })
  return { driverInstall, devices }
}

/** A driver's streamtab for configureMaster, and whether it is MP scalable (DRV_MP_SAFE). */
export interface MasterDriver {
  readonly streamtab: Streamtab
  readonly mpSafe?: boolean
}

/**
 * Installs every driver a master file names (its $DEVICE and $DRIVER_INSTALL entries) as
 * the page's install function does: install_driver, then str_install, undoing
 * install_driver if str_install fails. The character major is the $DEVICE entry's, else
 * the $DRIVER_INSTALL entry's, else dynamic (-1). All or nothing: on any error what was
 * installed is uninstalled and the error thrown. Returns each driver's major.
 */
export function configureMaster(
  streams: Streams,
  master: string | MasterFile,
  drivers: Readonly<Record<string, MasterDriver>>,
): Map<string, number> {
  if (typeof drivers !== 'object' || drivers === null) fail(Errno.EINVAL, 'master: no driver table')
  const file = typeof master === 'string' ? parseMasterFile(master) : master
  if (
    typeof file !== 'object' ||
    file === null ||
    !Array.isArray(file.devices) ||
    !Array.isArray(file.driverInstall)
  )
    fail(Errno.EINVAL, 'master: not a parsed master file')
  const names = [
    ...new Set([...file.devices.map((d) => d.name), ...file.driverInstall.map((d) => d.name)]),
  ]
  for (const name of names)
    if (!Object.hasOwn(drivers, name)) fail(Errno.EINVAL, `master: no streamtab for ${name}`)
  const installed = new Map<string, number>()
  try {
    for (const name of names) {
      const dev = file.devices.find((d) => d.name === name)
      const inst = file.driverInstall.find((d) => d.name === name)
      const drv = drivers[name] as MasterDriver
      if (typeof drv !== 'object' || drv === null)
        fail(Errno.EINVAL, `master: bad entry for ${name}`)
      const info = {
        name,
        class: 'pseudo',
        flags: DRV_CHAR | DRV_PSEUDO | (drv.mpSafe ? DRV_MP_SAFE : 0),
        blockMajor: inst?.blockMajor ?? dev?.blockMajor ?? -1,
        charMajor: dev && dev.charMajor !== -1 ? dev.charMajor : (inst?.charMajor ?? -1),
      }
      const major = streams.installDriver(info, { flags: dev?.clonesMajor ? C_CLONESMAJOR : 0 })
      try {
        streams.strInstall({
          name,
          major: -1,
          streamtab: drv.streamtab,
          flags: STR_IS_DEVICE,
          syncLevel: SQLVL_DEFAULT,
          syncName: '',
        })
      } catch (e) {
        streams.uninstallDriver(info)
        throw e
      }
      installed.set(name, major)
    }
  } catch (e) {
    for (const name of installed.keys()) streams.uninstallDriver({ name })
    throw e
  }
  return installed
}
