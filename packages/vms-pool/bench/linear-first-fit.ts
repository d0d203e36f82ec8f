/**
 * The textbook form of EXE$ALLOCATE/EXE$DEALLOCATE: walk the address-ordered free list
 * from the head. Used as the reference model in tests (it is obviously right) and as
 * the baseline in the benchmark (it is O(n) in the number of free blocks).
 */
export class LinearFirstFitList {
  /** Free blocks in address order: [address, size] pairs in two parallel arrays. */
  readonly addresses: number[] = []
  readonly sizes: number[] = []

  constructor(start: number, size: number) {
    this.addresses.push(start)
    this.sizes.push(size)
  }

  allocate(bytes: number): number {
    const size = Math.ceil(bytes / 16) * 16
    for (let i = 0; i < this.addresses.length; i++) {
      const blockSize = this.sizes[i] as number
      if (blockSize < size) continue
      const address = this.addresses[i] as number
      if (blockSize === size) {
        this.addresses.splice(i, 1)
        this.sizes.splice(i, 1)
      } else {
        this.addresses[i] = address + size
        this.sizes[i] = blockSize - size
      }
      return address
    }
    return -1
  }

  deallocate(address: number, bytes: number): void {
    const size = Math.ceil(bytes / 16) * 16
    let i = 0
    while (i < this.addresses.length && (this.addresses[i] as number) < address) i++
    const prev = i - 1
    const mergePrev =
      prev >= 0 && (this.addresses[prev] as number) + (this.sizes[prev] as number) === address
    const mergeNext = i < this.addresses.length && this.addresses[i] === address + size
    if (mergePrev && mergeNext) {
      this.sizes[prev] = (this.sizes[prev] as number) + size + (this.sizes[i] as number)
      this.addresses.splice(i, 1)
      this.sizes.splice(i, 1)
    } else if (mergePrev) {
      this.sizes[prev] = (this.sizes[prev] as number) + size
    } else if (mergeNext) {
      this.addresses[i] = address
      this.sizes[i] = size + (this.sizes[i] as number)
    } else {
      this.addresses.splice(i, 0, address)
      this.sizes.splice(i, 0, size)
    }
  }

  get freeBytes(): number {
    return this.sizes.reduce((a, b) => a + b, 0)
  }

  get largest(): number {
    return this.sizes.reduce((a, b) => Math.max(a, b), 0)
  }
}
