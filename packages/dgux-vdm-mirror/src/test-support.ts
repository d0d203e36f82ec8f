/**
 * Helpers shared by this package's tests: a small system of disks, and the routines of
 * vdmmirr(7)'s EXAMPLE ported line for line (they are the page's, so the tests use them
 * the way the page does).
 */
import {
  BLOCK_SIZE,
  type BlockDevice,
  FaultyBlockDevice,
  MemoryBlockDevice,
  PowerSupply,
} from '@vax-vms/block-device'
import {
  type Devt,
  DGVDMGETCHILDINSTANCE,
  DGVDMMIRRMAXIMAGES,
  DGVDMMIRRSUBDRIVERID,
  DGVDMMIRRSYNCIMAGES,
  DGVDMMIRRTERMINATESYNC,
  NODEV,
  ORDWR,
} from './constants'
import {
  vdmcreateinstance,
  vdmioctlsubdriver,
  vdmpartcreateinstance,
  vdmphyscreateinstance,
} from './library'
import {
  type DgVdmMirrCreatePacket,
  type DgVdmMirrGetChildPacket,
  vdmmirrinitpacket,
} from './mirror-packets'
import { Vdm, type VdmOptions } from './vdm'
import { type DgVdmChildInstancePacket, vdminitpacket } from './vdm-packets'

/** vdmmirrsetpacket (EXAMPLE): fills a create packet. */
export function vdmmirrsetpacket(
  numberofimages: number,
  images: readonly Devt[],
  automaticsync: number,
  minimumimagesrequiredtouse: number,
  maximumimagesmissingtouse: number,
  createpkt: DgVdmMirrCreatePacket,
): void {
  Object.assign(createpkt, vdmmirrinitpacket('create'))
  createpkt.automaticsync = automaticsync
  createpkt.minimumimagesrequiredtouse = minimumimagesrequiredtouse
  createpkt.maximumimagesmissingtouse = maximumimagesmissingtouse
  createpkt.millisecondsbetweensyncio = 0
  createpkt.numberofimages = numberofimages
  for (let imageindex = 0; imageindex < numberofimages; imageindex++)
    createpkt.imagedevicenumbers[imageindex] = images[imageindex]!
}

/** vdmmirrcreateinstance (EXAMPLE). */
export function vdmmirrcreateinstance(
  vdm: Vdm,
  instancename: string,
  numberofimages: number,
  images: readonly Devt[],
  automaticsync: number,
  minimumimagesrequiredtouse: number,
  maximumimagesmissingtouse: number,
): Devt {
  const createpkt = vdmmirrinitpacket('create')
  vdmmirrsetpacket(
    numberofimages,
    images,
    automaticsync,
    minimumimagesrequiredtouse,
    maximumimagesmissingtouse,
    createpkt,
  )
  return vdmcreateinstance(vdm, instancename, DGVDMMIRRSUBDRIVERID, createpkt)
}

/** vdmmirrterminatesync (EXAMPLE). */
export function vdmmirrterminatesync(vdm: Vdm, mirror: Devt, destimage: Devt): number {
  const terminatepkt = vdmmirrinitpacket('terminatesync')
  terminatepkt.destimage = destimage
  return vdmioctlsubdriver(vdm, DGVDMMIRRSUBDRIVERID, mirror, DGVDMMIRRTERMINATESYNC, terminatepkt)
}

/** One child of a mirror, as the EXAMPLE's DGVDMGETCHILDINSTANCE loop sees it. */
export interface ChildView {
  device: Devt
  role: DgVdmMirrGetChildPacket
}

/** The EXAMPLE's DGVDMGETCHILDINSTANCE loop: every child with its role packet. */
export function children(vdm: Vdm, mirror: Devt): ChildView[] {
  const getchildpkt = vdminitpacket('getchild')
  const rolepkt = vdmmirrinitpacket('getchild')
  const childpkt: DgVdmChildInstancePacket = {
    childinstance: { devicenumberused: 0, specifiervalue: { devicenumber: 0 } },
    childrolepacketptr: rolepkt,
  }
  getchildpkt.parentsubdriverid = DGVDMMIRRSUBDRIVERID
  getchildpkt.parentdevicenumber = mirror
  getchildpkt.available = 1
  getchildpkt.childinstancearrayptr = childpkt
  getchildpkt.key = 0
  const out: ChildView[] = []
  while (vdm.vdmioctl(DGVDMGETCHILDINSTANCE, getchildpkt) === 0)
    if (childpkt.childinstance.devicenumberused)
      out.push({ device: childpkt.childinstance.specifiervalue.devicenumber, role: { ...rolepkt } })
  return out
}

/**
 * vdmmirrsyncimages (EXAMPLE). With `wait`, the page sleeps 10 seconds between polls of
 * the children; here a poll is preceded by synchronization steps instead.
 */
export function vdmmirrsyncimages(
  vdm: Vdm,
  mirror: Devt,
  sourceimage: Devt,
  numberofdestinations: number,
  destinationimages: readonly Devt[],
  millisecondsbetweensyncio: number,
  wait: boolean,
): number {
  const syncpkt = vdmmirrinitpacket('syncimages')
  syncpkt.sourceimage = sourceimage
  syncpkt.millisecondsbetweensyncio = millisecondsbetweensyncio
  syncpkt.numberofdestinations = numberofdestinations
  // The page's example writes `destinationdevicenumbers`; its structure calls the field `destimages`.
  for (let imageindex = 0; imageindex < numberofdestinations; imageindex++)
    syncpkt.destimages[imageindex] = destinationimages[imageindex]!
  const status = vdmioctlsubdriver(vdm, DGVDMMIRRSUBDRIVERID, mirror, DGVDMMIRRSYNCIMAGES, syncpkt)
  if (status !== 0) return status
  if (wait) {
    for (;;) {
      const stillsyncing = children(vdm, mirror).some(
        (c) =>
          destinationimages.slice(0, numberofdestinations).includes(c.device) &&
          c.role.syncdest === 1,
      )
      if (!stillsyncing) break
      for (let i = 0; i < 16; i++) vdm.syncStep()
    }
  }
  return 0
}

/** vdmmirrsyncmirror (EXAMPLE): syncs every corrupt image from a good one, if there is one. */
export function vdmmirrsyncmirror(
  vdm: Vdm,
  mirror: Devt,
  millisecondsbetweensyncio: number,
): number {
  const corruptimages: Devt[] = []
  let goodimage = NODEV
  for (const c of children(vdm, mirror)) {
    if (c.role.corrupt) corruptimages.push(c.device)
    else goodimage = c.device
  }
  if (corruptimages.length > 0 && goodimage !== NODEV)
    return vdmmirrsyncimages(
      vdm,
      mirror,
      goodimage,
      corruptimages.length,
      corruptimages,
      millisecondsbetweensyncio,
      false,
    )
  return 0
}

export const MAX_IMAGES = DGVDMMIRRMAXIMAGES

/** A block filled with one value (mirror data that tests can recognise). */
export function block(value: number, blocks = 1): Uint8Array {
  return new Uint8Array(blocks * BLOCK_SIZE).fill(value & 0xff)
}

/** A system of `count` disks of `blocks` blocks each, all on one power supply, as phys instances "d0".. */
export interface TestSystem {
  vdm: Vdm
  power: PowerSupply
  disks: FaultyBlockDevice[]
  raw: MemoryBlockDevice[]
  phys: Devt[]
  console: string[]
}

/** Builds a VDM over faulty memory disks, or over the given raw disks (a reboot). */
export function system(
  count: number,
  blocks: number,
  options: VdmOptions & { seed?: number; raw?: MemoryBlockDevice[] } = {},
): TestSystem {
  const consoleLines: string[] = []
  const power = new PowerSupply(options.seed ?? 1)
  const raw = options.raw ?? Array.from({ length: count }, () => new MemoryBlockDevice(blocks))
  const disks = raw.map((r) => new FaultyBlockDevice(r, { power }))
  let id = 0
  const vdm = new Vdm({
    syncChunkBlocks: 8,
    checkpointBlocks: 32,
    regionBlocks: 8,
    newId: () => (++id).toString(16).padStart(32, '0'),
    console: (line) => consoleLines.push(line),
    ...options,
  })
  const phys = disks.map((d, i) => {
    vdm.attachDisk(`sd(insc(),${i})`, d)
    return vdmphyscreateinstance(vdm, `d${i}`, `sd(insc(),${i})`, ORDWR)
  })
  return { vdm, power, disks, raw, phys, console: consoleLines }
}

/** Everything a bad request must leave alone: every disk's bytes and the VDM's view. */
export function snapshot(vdm: Vdm, disks: readonly BlockDevice[]): unknown {
  const bytes = disks.map((d) => {
    const b = new Uint8Array(d.blocks * BLOCK_SIZE)
    d.read(0, b)
    return Buffer.from(b).toString('base64')
  })
  const instances = vdm.list().map((i) => {
    const m = vdm.mirror(i.deviceNumber)
    return {
      name: i.name,
      dev: i.deviceNumber,
      parent: i.parent?.name ?? null,
      opens: i.opens,
      mirror: m && {
        members: m.describe(),
        attributes: { ...m.attributes },
        generation: m.generation,
        clean: m.clean,
        syncs: m.syncs.map((j) => ({
          src: j.source.id,
          dests: j.dests.map((d) => d.id),
          at: j.cursor.position,
          ms: j.millisecondsBetweenSyncIo,
        })),
      },
    }
  })
  return { bytes, instances }
}

export { vdmpartcreateinstance, vdmphyscreateinstance }

/** Options of `mirrorOn`. */
export interface MirrorSetup {
  images?: number
  automaticsync?: number
  min?: number
  max?: number
  /** Synchronize every image from the first, to completion (default true when images > 1). */
  synced?: boolean
}

/** Creates mirror "m" on the first `images` disks of a test system, synchronized unless told not to. */
export function mirrorOn(t: TestSystem, setup: MirrorSetup = {}): Devt {
  const n = setup.images ?? t.phys.length
  const images = t.phys.slice(0, n)
  const c = vdmmirrcreateinstance(
    t.vdm,
    'm',
    n,
    images,
    setup.automaticsync ?? 1,
    setup.min ?? -1,
    setup.max ?? -1,
  )
  if (c === NODEV) throw new Error(`create failed: ${t.vdm.errorMessage}`)
  if (n > 1 && setup.synced !== false) {
    if (vdmmirrsyncimages(t.vdm, c, images[0]!, n - 1, images.slice(1), 0, false) !== 0)
      throw new Error(`sync failed: ${t.vdm.errorMessage}`)
    t.vdm.syncAll()
  }
  return c
}

/** Reads mirror data blocks from one image (below the mirror: image block 16 + b). */
export function imageBlock(device: BlockDevice, mirrorBlock: number): number {
  const b = new Uint8Array(BLOCK_SIZE)
  device.read(16 + mirrorBlock, b)
  return b[0]!
}

/** The role of one image, by device number. */
export function role(vdm: Vdm, mirror: Devt, image: Devt): DgVdmMirrGetChildPacket {
  const c = children(vdm, mirror).find((x) => x.device === image)
  if (c === undefined) throw new Error(`0x${image.toString(16)} is not a child`)
  return c.role
}
