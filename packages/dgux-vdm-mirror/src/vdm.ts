import { randomBytes } from 'node:crypto'
import { BLOCK_SIZE, type BlockDevice, BlockDeviceError } from '@vax-vms/block-device'
import {
  type Devt,
  DGVDMCREATEINSTANCE,
  DGVDMDELETEINSTANCE,
  DGVDMGETATTRIBUTES,
  DGVDMGETCHILDINSTANCE,
  DGVDMIOCTLSUBDRIVER,
  DGVDMLINKCHILDINSTANCE,
  DGVDMMIRRSUBDRIVERID,
  DGVDMPARTSUBDRIVERID,
  DGVDMPHYSSUBDRIVERID,
  DGVDMUNLINKCHILDINSTANCE,
  DGVDMUPDATEATTRIBUTES,
  DSKIOCGET,
  DSKIOCUSAGE,
  makedev,
  NODEV,
  ORDONLY,
  ORDWR,
  VDM_MAJOR,
} from './constants'
import { type ErrnoName, VdmError } from './errno'
import { Instance, type InstanceDriver } from './instance'
import { BITMAP_BLOCKS, BITMAP_START, type Label, readLabel } from './label'
import { type MirrorContext, MirrorDriver } from './mirror'
import { checkPacket } from './packet'
import { PartDriver } from './part'
import { PhysDriver } from './phys'
import {
  type DgVdmAttributesPacket,
  type DgVdmCreateInstancePacket,
  type DgVdmDeleteInstancePacket,
  type DgVdmGetChildInstancePacket,
  type DgVdmIoctlSubdriverPacket,
  type DgVdmLinkChildInstancePacket,
  type DgVdmPartCreatePacket,
  type DgVdmPhysCreatePacket,
  VDM_LAYOUTS,
} from './vdm-packets'

/** How a VDM is set up. */
export interface VdmOptions {
  /** Where console messages go (default: stderr). */
  readonly console?: (line: string) => void
  /** Blocks one synchronization step copies (default 8192: 4 MiB). */
  readonly syncChunkBlocks?: number
  /** Blocks a synchronization copies between durable checkpoints (default 131072: 64 MiB). */
  readonly checkpointBlocks?: number
  /** The smallest write-intent region of a new mirror, in blocks (default 16384: 8 MiB). */
  readonly regionBlocks?: number
  /** Makes image and mirror identities (default: random); tests pass a seeded one. */
  readonly newId?: () => string
}

/** The longest instance name, in bytes (it is kept in the mirror label). */
export const MAX_NAME_BYTES = 31

/**
 * The Virtual Disk Manager (vdm(7)): the instances, the physical disks they can use,
 * /dev/vdm's commands and the descriptors of open instances. Calls return 0 (or a
 * descriptor / device number) on success and -1 on failure with `errno` set, as the C
 * calls do; nothing is changed by a call that fails.
 */
export class Vdm {
  /** The errno of the last failed call (null before any). */
  errno: ErrnoName | null = null
  /** The message that came with it. */
  errorMessage = ''
  private readonly disks = new Map<string, BlockDevice>()
  private readonly instances = new Map<Devt, Instance>()
  private readonly fds = new Map<number, Instance>()
  private nextMinor = 1
  private nextFd = 3
  private readonly context: MirrorContext

  constructor(options: VdmOptions = {}) {
    const log = options.console ?? ((line: string) => process.stderr.write(`${line}\n`))
    this.context = {
      console: log,
      syncChunkBlocks: options.syncChunkBlocks ?? 8192,
      checkpointBlocks: options.checkpointBlocks ?? 131072,
      regionBlocks: options.regionBlocks ?? 16384,
      newId: options.newId ?? (() => randomBytes(16).toString('hex')),
    }
  }

  /** Makes a physical disk known by the name vdmphys(7) opens it by ("sd(insc(),0)"). */
  attachDisk(name: string, device: BlockDevice): void {
    this.disks.set(name, device)
  }

  /** The instance with a device number (undefined if none). */
  instance(devt: Devt): Instance | undefined {
    return this.instances.get(devt)
  }

  /** The device number of the instance with a name, or NODEV. */
  findInstance(name: string): Devt {
    for (const i of this.instances.values()) if (i.name === name) return i.deviceNumber
    return NODEV
  }

  /** Every instance, in device-number order. */
  list(): Instance[] {
    return [...this.instances.values()].sort((a, b) => a.deviceNumber - b.deviceNumber)
  }

  /** The mirror driver of a mirror instance (undefined for other instances). */
  mirror(devt: Devt): MirrorDriver | undefined {
    const driver = this.instances.get(devt)?.driver
    return driver instanceof MirrorDriver ? driver : undefined
  }

  // ---- /dev/vdm commands ---------------------------------------------------------------

  /** ioctl(2) on /dev/vdm: the VDM framework commands of vdm(7). */
  vdmioctl(command: number, packet: unknown): number {
    return this.call(() => {
      switch (command) {
        case DGVDMCREATEINSTANCE:
          return this.createInstance(packet)
        case DGVDMDELETEINSTANCE:
          return this.deleteInstance(packet)
        case DGVDMLINKCHILDINSTANCE:
          return this.linkChild(packet)
        case DGVDMUNLINKCHILDINSTANCE:
          return this.unlinkChild(packet)
        case DGVDMGETCHILDINSTANCE:
          return this.getChild(packet)
        case DGVDMGETATTRIBUTES:
          return this.getAttributes(packet)
        case DGVDMUPDATEATTRIBUTES:
          return this.updateAttributes(packet)
        case DGVDMIOCTLSUBDRIVER:
          return this.ioctlSubdriver(packet)
        default:
          throw new VdmError('EINVAL', `unknown VDM command 0x${command.toString(16)}`)
      }
    })
  }

  private createInstance(packet: unknown): void {
    checkPacket<DgVdmCreateInstancePacket>(VDM_LAYOUTS.create, packet)
    const name = packet.instancename ?? ''
    if (name === '' || Buffer.byteLength(name) > MAX_NAME_BYTES || name.includes('\0'))
      throw new VdmError('EINVAL', `instance name "${name}"`)
    if (this.findInstance(name) !== NODEV)
      throw new VdmError('EEXIST', `an instance named ${name} exists`)
    const attributes = packet.subdriverattributespacketptr ?? null
    const driver = this.makeDriver(packet.subdriverid ?? 0, name, attributes)
    const instance = this.add(name, driver)
    packet.devicenumber = instance.deviceNumber
  }

  private makeDriver(subdriverId: number, name: string, attributes: object | null): InstanceDriver {
    switch (subdriverId) {
      case DGVDMPHYSSUBDRIVERID: {
        checkPacket<DgVdmPhysCreatePacket>(VDM_LAYOUTS.phys, attributes)
        const mode = attributes.openmode ?? 0
        if (mode !== ORDWR && mode !== ORDONLY) throw new VdmError('EINVAL', `open mode ${mode}`)
        const disk = this.disks.get(attributes.physicaldevicename ?? '')
        if (disk === undefined)
          throw new VdmError('ENXIO', `no disk ${attributes.physicaldevicename}`)
        return new PhysDriver(attributes.physicaldevicename ?? '', disk)
      }
      case DGVDMPARTSUBDRIVERID: {
        checkPacket<DgVdmPartCreatePacket>(VDM_LAYOUTS.part, attributes)
        const child = this.instances.get(attributes.childdevicenumber ?? 0)
        if (child === undefined) throw new VdmError('EINVAL', 'no such disk instance')
        const start = attributes.startingblock ?? 0
        const size = attributes.size ?? 0
        if (size < 1 || start + size > child.driver.blocks())
          throw new VdmError('EINVAL', `blocks ${start}+${size} are not on ${child.name}`)
        if (child.parent !== null)
          throw new VdmError('EBUSY', `${child.name} is linked to ${child.parent.name}`)
        const part = new PartDriver(start, size, child)
        child.holders++
        return part
      }
      case DGVDMMIRRSUBDRIVERID:
        return MirrorDriver.create(
          this.context,
          name,
          attributes,
          (d) => this.instances.get(d) ?? null,
        )
      default:
        throw new VdmError('EINVAL', `no subdriver ${subdriverId}`)
    }
  }

  private add(name: string, driver: InstanceDriver): Instance {
    const instance = new Instance(name, makedev(VDM_MAJOR, this.nextMinor++), driver)
    this.instances.set(instance.deviceNumber, instance)
    if (driver instanceof MirrorDriver) {
      driver.instance = instance
      for (const c of driver.children()) c.parent = instance
    }
    return instance
  }

  private lookup(devt: number | undefined): Instance {
    const i = this.instances.get(devt ?? 0)
    if (i === undefined) throw new VdmError('ENXIO', `no instance 0x${(devt ?? 0).toString(16)}`)
    return i
  }

  /** DGVDMDELETEINSTANCE: not while open, linked or (a mirror) synchronizing. */
  private deleteInstance(packet: unknown): void {
    checkPacket<DgVdmDeleteInstancePacket>(VDM_LAYOUTS.delete, packet)
    const i = this.lookup(packet.devicenumber)
    if (i.opens > 0) throw new VdmError('EBUSY', `${i.name} is open`)
    if (i.parent !== null) throw new VdmError('EBUSY', `${i.name} is linked to ${i.parent.name}`)
    if (i.holders > 0) throw new VdmError('EBUSY', `${i.name} holds partitions`)
    i.driver.checkDelete?.()
    i.driver.delete?.()
    if (i.driver instanceof PartDriver) i.driver.child.holders--
    this.instances.delete(i.deviceNumber)
  }

  private linkChild(packet: unknown): void {
    checkPacket<DgVdmLinkChildInstancePacket>(VDM_LAYOUTS.link, packet)
    const parent = this.lookup(packet.parentdevicenumber)
    const child = this.lookup(packet.childdevicenumber)
    if (parent.driver.link === undefined || child === parent)
      throw new VdmError('EINVAL', `${parent.name} takes no children`)
    parent.driver.link(child, packet.childpacketptr ?? null)
  }

  private unlinkChild(packet: unknown): void {
    checkPacket<DgVdmLinkChildInstancePacket>(VDM_LAYOUTS.link, packet)
    const parent = this.lookup(packet.parentdevicenumber)
    const child = this.lookup(packet.childdevicenumber)
    if (parent.driver.unlink === undefined || child.parent !== parent)
      throw new VdmError('EINVAL', `${child.name} is not a child of ${parent.name}`)
    parent.driver.unlink(child)
  }

  /**
   * DGVDMGETCHILDINSTANCE: the child at `key` (0 = the first) with its role packet filled
   * in by the parent's subdriver, `key` advanced; ENOENT past the last child.
   */
  private getChild(packet: unknown): void {
    checkPacket<DgVdmGetChildInstancePacket>(VDM_LAYOUTS.getchild, packet)
    const parent = this.lookup(packet.parentdevicenumber)
    if ((packet.parentsubdriverid ?? 0) !== parent.driver.subdriverId)
      throw new VdmError('EINVAL', `${parent.name} is not of subdriver ${packet.parentsubdriverid}`)
    if ((packet.available ?? 0) < 1) throw new VdmError('EINVAL', 'no room for a child')
    const out = packet.childinstancearrayptr
    if (out === null || out === undefined || typeof out !== 'object')
      throw new VdmError('EINVAL', 'no child instance packet')
    const key = packet.key ?? 0
    const child = parent.driver.children()[key]
    if (child === undefined) throw new VdmError('ENOENT', `no child at key ${key}`)
    const role = out.childrolepacketptr ?? null
    if (role !== null) {
      if (parent.driver.childRole === undefined)
        throw new VdmError('EINVAL', 'the subdriver has no role packet')
      parent.driver.childRole(child, role)
    }
    out.childinstance = {
      devicenumberused: 1,
      specifiervalue: { devicenumber: child.deviceNumber },
    }
    packet.key = key + 1
  }

  private getAttributes(packet: unknown): void {
    checkPacket<DgVdmAttributesPacket>(VDM_LAYOUTS.attributes, packet)
    const i = this.lookup(packet.devicenumber)
    const sub = packet.subdriverattributespacketptr ?? null
    if (sub !== null) {
      if (i.driver.getAttributes === undefined)
        throw new VdmError('EINVAL', `${i.name} has no attributes packet`)
      i.driver.getAttributes(sub)
    }
    packet.subdriverid = i.driver.subdriverId
    packet.instancename = i.name
  }

  private updateAttributes(packet: unknown): void {
    checkPacket<DgVdmAttributesPacket>(VDM_LAYOUTS.attributes, packet)
    const i = this.lookup(packet.devicenumber)
    if (i.driver.updateAttributes === undefined)
      throw new VdmError('EINVAL', `${i.name} has no attributes`)
    i.driver.updateAttributes(packet.subdriverattributespacketptr ?? null)
  }

  /** DGVDMIOCTLSUBDRIVER: a subdriver's ioctl, sent to an instance through /dev/vdm. */
  private ioctlSubdriver(packet: unknown): void {
    checkPacket<DgVdmIoctlSubdriverPacket>(VDM_LAYOUTS.ioctlsubdriver, packet)
    const i = this.lookup(packet.instancedevicenumber)
    if ((packet.subdriverid ?? 0) !== i.driver.subdriverId)
      throw new VdmError('EINVAL', `${i.name} is not of subdriver ${packet.subdriverid}`)
    this.instanceIoctl(i, packet.command ?? 0, packet.argument ?? null)
  }

  private instanceIoctl(i: Instance, command: number, argument: unknown): void {
    if (command === DSKIOCGET) {
      i.driver.checkUsable?.()
      if (typeof argument !== 'object' || argument === null)
        throw new VdmError('EINVAL', 'no DSKIOCGET packet')
      Object.assign(argument, { totalblocks: i.driver.blocks() })
    } else if (command === DSKIOCUSAGE) {
      if (typeof argument !== 'object' || argument === null)
        throw new VdmError('EINVAL', 'no DSKIOCUSAGE packet')
      Object.assign(argument, { ...i.usage })
    } else if (i.driver.ioctl !== undefined) i.driver.ioctl(command, argument)
    else throw new VdmError('EINVAL', `${i.name} has no command 0x${command.toString(16)}`)
  }

  // ---- descriptors -----------------------------------------------------------------------

  /** open(2) of an instance's device node: a descriptor, or -1 (ENXIO for a mirror below its minimums). */
  open(devt: Devt): number {
    return this.call(() => {
      const i = this.lookup(devt)
      if (i.parent !== null)
        throw new VdmError('EBUSY', `${i.name} is an image of ${i.parent.name}`)
      if (i.opens === 0) i.driver.open?.()
      i.opens++
      const fd = this.nextFd++
      this.fds.set(fd, i)
      return fd
    })
  }

  /** close(2): the last close of a mirror marks its images identical. */
  close(fd: number): number {
    return this.call(() => {
      const i = this.descriptor(fd)
      this.fds.delete(fd)
      i.opens--
      if (i.opens === 0) i.driver.close?.()
    })
  }

  /** Reads whole blocks at `block` through a descriptor. */
  read(fd: number, block: number, buffer: Uint8Array): number {
    return this.call(() => {
      const i = this.descriptor(fd)
      i.driver.read(block, buffer)
      i.usage.reads++
      i.usage.blocksread += buffer.length / BLOCK_SIZE
    })
  }

  /** Writes whole blocks at `block` through a descriptor. */
  write(fd: number, block: number, data: Uint8Array): number {
    return this.call(() => {
      const i = this.descriptor(fd)
      i.driver.write(block, data)
      i.usage.writes++
      i.usage.blockswritten += data.length / BLOCK_SIZE
    })
  }

  /** fsync(2): every write before it is durable on every image. */
  fsync(fd: number): number {
    return this.call(() => this.descriptor(fd).driver.flush())
  }

  /** ioctl(2) on an open instance (vdmmirr(7), IOCTLS, way 1). */
  ioctl(fd: number, command: number, argument: unknown): number {
    return this.call(() => this.instanceIoctl(this.descriptor(fd), command, argument))
  }

  /** A descriptor seen as a `BlockDevice` whose calls throw `BlockDeviceError` on failure. */
  blockDevice(fd: number): BlockDevice {
    const i = this.descriptor(fd)
    const check = (status: number) => {
      if (status < 0)
        throw new BlockDeviceError(this.errno === 'EINVAL' ? 'EINVAL' : 'EIO', this.errorMessage)
    }
    return {
      blocks: i.driver.blocks(),
      read: (block, buffer) => check(this.read(fd, block, buffer)),
      write: (block, data) => check(this.write(fd, block, data)),
      flush: () => check(this.fsync(fd)),
      close: () => {
        if (this.fds.has(fd)) this.close(fd)
      },
    }
  }

  private descriptor(fd: number): Instance {
    const i = this.fds.get(fd)
    if (i === undefined) throw new VdmError('EBADF', `descriptor ${fd} is not open`)
    return i
  }

  // ---- synchronizations ----------------------------------------------------------------------

  /** One step of every synchronization on every mirror; true while any remains. */
  syncStep(): boolean {
    let more = false
    for (const i of this.list())
      if (i.driver instanceof MirrorDriver && i.driver.syncStep()) more = true
    return more
  }

  /** Runs every synchronization to its end (no pauses: see `runSyncs` for the throttled runner). */
  syncAll(): void {
    while (this.syncStep()) {}
  }

  // ---- reboot ----------------------------------------------------------------------------------

  /**
   * Finds the mirrors on the instances that are neither images nor partitioned (a reboot):
   * each mirror takes its name, attributes and image states from the newest label on its
   * images; see `MirrorDriver.assemble` for the recovery of an unclean shutdown. Returns
   * the new mirrors' device numbers.
   */
  assembleMirrors(): Devt[] {
    const groups = new Map<string, { label: Label; instance: Instance; bitmap: Uint8Array }[]>()
    for (const i of this.list()) {
      if (i.parent !== null || i.holders > 0 || i.driver instanceof MirrorDriver) continue
      try {
        const label = readLabel((b, buf) => i.driver.read(b, buf))
        if (label === null) continue
        const bitmap = new Uint8Array(BITMAP_BLOCKS * BLOCK_SIZE)
        i.driver.read(BITMAP_START, bitmap)
        const group = groups.get(label.mirrorId) ?? []
        group.push({ label, instance: i, bitmap })
        groups.set(label.mirrorId, group)
      } catch (error) {
        if (!(error instanceof BlockDeviceError)) throw error
      }
    }
    const made: Devt[] = []
    for (const group of groups.values()) {
      const newest = group.reduce((a, b) => (b.label.generation > a.label.generation ? b : a))
      const found = new Map<string, Instance>()
      const bitmaps = new Map<string, Uint8Array>()
      for (const g of group) {
        if (
          found.has(g.label.imageId) ||
          !newest.label.members.some((m) => m.id === g.label.imageId)
        )
          continue
        found.set(g.label.imageId, g.instance)
        bitmaps.set(g.label.imageId, g.bitmap)
      }
      if (this.findInstance(newest.label.name) !== NODEV) {
        this.context.console(
          `vdmmirr: mirror ${newest.label.name} not assembled: the name is taken`,
        )
        continue
      }
      const driver = MirrorDriver.assemble(this.context, newest.label, found, bitmaps)
      made.push(this.add(newest.label.name, driver).deviceNumber)
    }
    return made
  }

  /** Runs a request: its value (0 for none), or -1 with `errno` set when it is refused. */
  private call(f: () => unknown): number {
    try {
      const value = f()
      return typeof value === 'number' ? value : 0
    } catch (error) {
      if (error instanceof VdmError || error instanceof BlockDeviceError) {
        this.errno = error instanceof VdmError ? error.errno : error.code
        this.errorMessage = error.message
        return -1
      }
      throw error
    }
  }
}
