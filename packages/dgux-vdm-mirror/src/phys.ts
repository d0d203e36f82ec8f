import type { BlockDevice } from '@vax-vms/block-device'
import { DGVDMPHYSSUBDRIVERID } from './constants'
import type { Instance, InstanceDriver } from './instance'

/** vdmphys(7): an instance that is a whole physical disk. */
export class PhysDriver implements InstanceDriver {
  readonly subdriverId = DGVDMPHYSSUBDRIVERID
  constructor(
    readonly physicalDeviceName: string,
    readonly disk: BlockDevice,
  ) {}
  blocks(): number {
    return this.disk.blocks
  }
  read(block: number, buffer: Uint8Array): void {
    this.disk.read(block, buffer)
  }
  write(block: number, data: Uint8Array): void {
    this.disk.write(block, data)
  }
  flush(): void {
    this.disk.flush()
  }
  children(): Instance[] {
    return []
  }
}
