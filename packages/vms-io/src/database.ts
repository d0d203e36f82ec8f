import { SS, type Status } from '@vms/contracts'
import type { BlockDeviceLike } from './block-device'
import { DC, DEV, DEV2, DYN_IO, functionBit, LENGTH } from './constants'
import { parseDeviceName } from './device-names'
import type { Driver } from './driver'
import type { LogicalNameTable } from './logical-names'
import type { Crb, Ddb, Dpt, Fdt, Idb, Ucb } from './structures'

/** SYSGEN LOAD's options: what the driver sets at load time (seed note on cluster-known virtual disks). */
export interface LoadOptions {
  /** The allocation class of its DDBs (`$193$VDA0:`), 1-255; 0 for none. */
  readonly allocationClass?: number
  /** Set DEV$M_CLU in DEVCHAR2 of each unit: the device is cluster available. */
  readonly cluster?: boolean
}

/** SYSGEN CONNECT's options. */
export interface ConnectOptions {
  /** A disk unit's storage (the container of a virtual disk). */
  readonly storage?: BlockDeviceLike
  /** A template unit: assigning a channel to it clones a new unit (MBA0). */
  readonly template?: boolean
}

/** DEVCHAR of a unit whose driver has no prolog: shareable, available, input and output. */
const DEFAULT_DEVCHAR = DEV.SHR | DEV.AVL | DEV.IDV | DEV.ODV

/** Pool as the database takes it: SS$_INSFMEM when there is none. */
export interface PoolAccess {
  fromPool(bytes: number, type: number): { status: Status; address: number }
  toPool(address: number): void
}

/**
 * The I/O database (book 18.2): the loaded drivers' DPTs, and the device list of DDBs
 * with their CRBs, IDBs and UCBs, each taken from pool; IOC$SEARCH over it.
 */
export class IoDatabase {
  /** IOC$GL_DEVLIST: the DDBs, in the order they were connected. */
  private readonly ddbs: Ddb[] = []
  /** Loaded drivers by name (VDDRIVER). */
  private readonly loaded = new Map<string, Dpt>()
  /** Drivers loaded implicitly by `addUnit`, by identity. */
  private readonly implicit = new Map<Driver, Dpt>()
  /** The driver images LOAD finds by name. */
  private readonly images = new Map<string, Driver>()

  constructor(
    private readonly pool: PoolAccess,
    private readonly logicalNames: LogicalNameTable,
    images: readonly Driver[],
    private readonly nodeName: string | undefined,
  ) {
    for (const image of images) this.images.set(driverName(image), image)
  }

  /**
   * SYSGEN LOAD: loads a driver image (by name from the images given, or the image
   * itself), building its DPT, DDT and FDT, the DPT from pool. The allocation class
   * and cluster bit are set now, at load time, for every unit connected later.
   * SS$_NOSUCHFILE for an unknown image, SS$_DRVEXISTS when loaded already,
   * SS$_BADPARAM for an allocation class outside 0-255, SS$_INSFMEM without pool.
   */
  load(image: Driver | string, options: LoadOptions = {}): Status {
    const driver = typeof image === 'string' ? this.images.get(image.toUpperCase()) : image
    if (driver === undefined) return SS.NOSUCHFILE
    const allocationClass = options.allocationClass ?? 0
    if (!Number.isInteger(allocationClass) || allocationClass < 0 || allocationClass > 255)
      return SS.BADPARAM
    const name = driverName(driver)
    if (this.loaded.has(name)) return SS.DRVEXISTS
    const dpt = this.buildDpt(driver, name, allocationClass, options.cluster ?? false)
    if (typeof dpt === 'number') return dpt
    this.loaded.set(name, dpt)
    return SS.NORMAL
  }

  /** A loaded driver's DPT. */
  driver(name: string): Dpt | undefined {
    return this.loaded.get(name.toUpperCase())
  }

  /**
   * IOC$SEARCH (book 18.3.2, 18.4.2): translates `devnam` (book 18.1), parses it and
   * finds the unit; a generic name (VD, VDA) finds the first unit not allocated to
   * another process. SS$_IVDEVNAM, SS$_NONLOCAL, SS$_TOOMANYLNAM, SS$_NOSUCHDEV.
   */
  search(devnam: string, pid = 0): { status: Status; ucb?: Ucb } {
    const translated = this.logicalNames.translate(devnam)
    if (translated.status !== SS.NORMAL) return { status: translated.status }
    const parsed = parseDeviceName(translated.name)
    if (parsed.name === undefined) return { status: parsed.status }
    const { allocationClass, node, letters, unit } = parsed.name
    if (node !== undefined && node !== this.nodeName) return { status: SS.NOSUCHDEV }
    const classMatches = (ddb: Ddb) =>
      allocationClass === undefined || ddb.allocationClass === allocationClass
    if (unit !== undefined) {
      const ddb = this.ddbs.find((d) => d.name === letters && classMatches(d))
      const ucb = ddb?.ucbs.find((u) => u.unit === unit)
      return ucb === undefined ? { status: SS.NOSUCHDEV } : { status: SS.NORMAL, ucb }
    }
    const candidates = this.ddbs
      .filter(
        (d) =>
          classMatches(d) &&
          (d.name === letters ||
            (d.name.length === letters.length + 1 && d.name.startsWith(letters))),
      )
      .flatMap((d) => d.ucbs)
    const ucb =
      candidates.find((u) => !u.template && (u.pid === 0 || u.pid === pid)) ??
      candidates.find((u) => u.pid === 0) ??
      candidates[0]
    return ucb === undefined ? { status: SS.NOSUCHDEV } : { status: SS.NORMAL, ucb }
  }

  /** Every unit, in the order of the device list. */
  devices(): Ucb[] {
    return this.ddbs.flatMap((ddb) => ddb.ucbs)
  }

  /**
   * The device name as $GETDVI's DEVNAM and FULLDEVNAM give it: `_$193$VDA0:` with an
   * allocation class, `_NODE$VDA0:` (full) with a node name, `_VDA0:` otherwise.
   */
  deviceName(ucb: Ucb, full = false): string {
    if (ucb.ddb.allocationClass !== 0) return `_$${ucb.ddb.allocationClass}$${ucb.name}:`
    if (full && this.nodeName !== undefined) return `_${this.nodeName}$${ucb.name}:`
    return `_${ucb.name}:`
  }

  /** The lowest unit number not in use on the controller, from 1 (a clone's). */
  nextUnit(ddb: Ddb): number {
    let unit = 1
    while (ddb.ucbs.some((u) => u.unit === unit)) unit++
    return unit
  }

  /** The DPT, DDT and FDT of a driver; the DPT from pool. */
  private buildDpt(
    driver: Driver,
    name: string,
    allocationClass: number,
    cluster: boolean,
  ): Dpt | Status {
    const block = this.pool.fromPool(LENGTH.DPT, DYN_IO.DPT)
    if (block.status !== SS.NORMAL) return block.status
    let legal = 0n
    for (const code of driver.fdt.keys()) legal |= functionBit(code)
    let buffered = 0n
    for (const code of driver.buffered ?? [...driver.fdt.keys()]) buffered |= functionBit(code)
    const fdt: Fdt = { legal, buffered: buffered & legal, routines: new Map(driver.fdt) }
    return {
      name,
      generic: driver.name,
      driver,
      ddt: { startIo: driver.startIo.bind(driver), cancel: driver.cancel?.bind(driver) },
      fdt,
      allocationClass,
      cluster,
      refc: 0,
      poolAddress: block.address,
    }
  }

  /** CONNECT's work: DDB, CRB and IDB for a new controller, and the UCB. */
  connect(devnam: string, dpt: Dpt, options: ConnectOptions): { status: Status; ucb?: Ucb } {
    const parsed = parseDeviceName(devnam)
    const name = parsed.name
    if (
      name === undefined ||
      name.unit === undefined ||
      name.node !== undefined ||
      name.allocationClass !== undefined
    )
      return { status: SS.IVDEVNAM }
    if (name.letters.length < 2) return { status: SS.IVDEVNAM }
    const isDisk = dpt.driver.prolog?.devclass === DC.DISK
    if (isDisk && options.storage === undefined && options.template !== true)
      return { status: SS.BADPARAM }
    let ddb = this.ddbs.find((d) => d.name === name.letters)
    if (ddb !== undefined && ddb.dpt !== dpt) return { status: SS.DEVEXISTS }
    if (ddb?.ucbs.some((u) => u.unit === name.unit)) return { status: SS.DEVEXISTS }
    let created: Ddb | undefined
    if (ddb === undefined) {
      const made = this.newController(name.letters, dpt)
      if (made.ddb === undefined) return { status: made.status }
      ddb = made.ddb
      created = ddb
    }
    const made = this.newUnit(ddb, name.unit, {
      maxblock: options.storage?.blocks ?? 0,
      storage: options.storage,
      template: options.template ?? false,
    })
    if (made.ucb === undefined) {
      if (created !== undefined) this.deleteController(created)
      return made
    }
    return made
  }

  private newController(letters: string, dpt: Dpt): { status: Status; ddb?: Ddb } {
    const blocks: number[] = []
    for (const [bytes, type] of [
      [LENGTH.DDB, DYN_IO.DDB],
      [LENGTH.CRB, DYN_IO.CRB],
      [LENGTH.IDB, DYN_IO.IDB],
    ] as const) {
      const block = this.pool.fromPool(bytes, type)
      if (block.status !== SS.NORMAL) {
        for (const address of blocks) this.pool.toPool(address)
        return { status: block.status }
      }
      blocks.push(block.address)
    }
    const [ddbAddress, crbAddress, idbAddress] = blocks as [number, number, number]
    const idb: Idb = { units: [], owner: undefined, poolAddress: idbAddress }
    const crb: Crb = { idb, poolAddress: crbAddress }
    const ddb: Ddb = {
      name: letters,
      dpt,
      allocationClass: dpt.allocationClass,
      ucbs: [],
      crb,
      poolAddress: ddbAddress,
    }
    this.ddbs.push(ddb)
    dpt.refc++
    return { status: SS.NORMAL, ddb }
  }

  private deleteController(ddb: Ddb): void {
    this.ddbs.splice(this.ddbs.indexOf(ddb), 1)
    ddb.dpt.refc--
    for (const address of [ddb.poolAddress, ddb.crb.poolAddress, ddb.crb.idb.poolAddress])
      this.pool.toPool(address)
  }

  /** A UCB from pool for unit `unit` of the controller, with the DPT's defaults. */
  newUnit(
    ddb: Ddb,
    unit: number,
    init: { maxblock: number; storage: BlockDeviceLike | undefined; template: boolean },
  ): { status: Status; ucb?: Ucb } {
    if (unit > 9999) return { status: SS.DEVEXISTS }
    const block = this.pool.fromPool(LENGTH.UCB, DYN_IO.UCB)
    if (block.status !== SS.NORMAL) return { status: block.status }
    const dpt = ddb.dpt
    const prolog = dpt.driver.prolog
    const ucb: Ucb = {
      name: `${ddb.name}${unit}`,
      driver: dpt.driver,
      ddb,
      unit,
      busy: false,
      current: undefined,
      queue: [],
      operations: 0,
      errors: 0,
      devchar: (prolog?.devchar ?? DEFAULT_DEVCHAR) | 0,
      devchar2: (prolog?.devchar2 ?? 0) | (dpt.cluster ? DEV2.CLU : 0) | 0,
      devclass: prolog?.devclass ?? DC.MISC,
      devtype: prolog?.devtype ?? 0,
      devbufsiz: prolog?.devbufsiz ?? 0,
      refc: 0,
      pid: 0,
      amod: 0,
      online: true,
      template: init.template,
      deleteOnLastChannel: false,
      charge: 0,
      chargedPid: 0,
      maxblock: init.maxblock,
      storage: init.storage,
      mailbox: undefined,
      poolAddress: block.address,
    }
    const at = ddb.ucbs.findIndex((u) => u.unit > unit)
    ddb.ucbs.splice(at < 0 ? ddb.ucbs.length : at, 0, ucb)
    ddb.crb.idb.units.push(ucb)
    return { status: SS.NORMAL, ucb }
  }
  /**
   * The DPT of a driver given by the object itself (`addUnit`): loaded now if it was
   * not. Throws when pool has no room, as a failed boot would.
   */
  implicitDpt(driver: Driver): Dpt {
    let dpt = this.implicit.get(driver)
    if (dpt === undefined) {
      const built = this.buildDpt(driver, driverName(driver), 0, false)
      if (typeof built === 'number') throw new Error(`no pool for the ${driver.name} driver`)
      dpt = built
      this.implicit.set(driver, dpt)
      if (!this.loaded.has(dpt.name)) this.loaded.set(dpt.name, dpt)
    }
    return dpt
  }

  /** The unit leaves its DDB and IDB, and its UCB goes back to pool. */
  removeUnit(ucb: Ucb): void {
    const list = ucb.ddb.ucbs
    list.splice(list.indexOf(ucb), 1)
    const units = ucb.ddb.crb.idb.units
    units.splice(units.indexOf(ucb), 1)
    this.pool.toPool(ucb.poolAddress)
  }
}

/** The name SYSGEN LOAD knows a driver by: its prolog's, or `${generic}DRIVER`. */
export function driverName(driver: Driver): string {
  return (driver.prolog?.driverName ?? `${driver.name}DRIVER`).toUpperCase()
}
