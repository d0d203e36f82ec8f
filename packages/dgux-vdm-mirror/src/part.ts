import { BlockDeviceError, checkRequest } from '@vax-vms/block-device'
import { DGVDMPARTSUBDRIVERID } from './constants'
import type { Instance, InstanceDriver } from './instance'

/** vdmpart(7): `size` blocks of another instance, from `start`. */
export class PartDriver implements InstanceDriver {
  readonly subdriverId = DGVDMPARTSUBDRIVERID
  constructor(
    readonly start: number,
    readonly size: number,
    readonly child: Instance,
  ) {}
  blocks(): number {
    return this.size
  }
  read(block: number, buffer: Uint8Array): void {
    checkRequest(this.size, block, buffer)
    this.child.driver.read(this.start + block, buffer)
  }
  write(block: number, data: Uint8Array): void {
    checkRequest(this.size, block, data)
    this.child.driver.write(this.start + block, data)
  }
  flush(): void {
    this.child.driver.flush()
  }
  children(): Instance[] {
    return [this.child]
  }
  checkUsable(): void {
    if (this.start + this.size > this.child.driver.blocks())
      throw new BlockDeviceError('EIO', 'the partition passes the end of its disk')
  }
}
