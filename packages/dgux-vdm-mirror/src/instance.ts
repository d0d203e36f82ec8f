import type { BlockDevice } from '@vax-vms/block-device'
import type { Devt } from './constants'

/** Use counts every instance keeps for DSKIOCUSAGE (dsk(7)). */
export interface Usage {
  reads: number
  writes: number
  blocksread: number
  blockswritten: number
}

/**
 * What a subdriver supplies for one of its instances. I/O is synchronous and whole
 * 512-byte blocks; a failure throws `BlockDeviceError` or `VdmError`.
 */
export interface InstanceDriver {
  readonly subdriverId: number
  /** Size in blocks. */
  blocks(): number
  read(block: number, buffer: Uint8Array): void
  write(block: number, data: Uint8Array): void
  flush(): void
  /** The first open: throws VdmError (ENXIO) when the instance may not be used. */
  open?(): void
  /** The last close. */
  close?(): void
  /** Children in key order. */
  children(): Instance[]
  /** Subdriver ioctls (DGVDMIOCTLSUBDRIVER or an open instance): throws VdmError. */
  ioctl?(command: number, argument: unknown): void
  getAttributes?(packet: unknown): void
  updateAttributes?(packet: unknown): void
  link?(child: Instance, childPacket: unknown): void
  unlink?(child: Instance): void
  childRole?(child: Instance, packet: unknown): void
  /** Throws VdmError (EBUSY) when the instance may not be deleted now. */
  checkDelete?(): void
  /** Deletion: release children and forget the instance. */
  delete?(): void
  /** DSKIOCGET's check: throws VdmError (EINVAL) when the instance is not usable. */
  checkUsable?(): void
}

/** One VDM instance: a name, a device number and the subdriver that serves it. */
export class Instance {
  parent: Instance | null = null
  opens = 0
  /** How many partitions are built on this instance (vdmpart(7)); such an instance is no image. */
  holders = 0
  readonly usage: Usage = { reads: 0, writes: 0, blocksread: 0, blockswritten: 0 }
  constructor(
    readonly name: string,
    readonly deviceNumber: Devt,
    readonly driver: InstanceDriver,
  ) {}
}

/** The physical disks a VDM can find by name (vdmphys(7)): "sd(insc(),0)" → its device. */
export type DiskTable = Map<string, BlockDevice>
