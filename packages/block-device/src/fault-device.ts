import { BLOCK_SIZE, type BlockDevice, BlockDeviceError, checkRequest } from './block-device'

/** A seeded generator (mulberry32): the same seed makes the same faults. */
function generator(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * The power feeding one or more `FaultyBlockDevice`s: a cut hits all of them at the
 * same instant, as a machine's power failure hits all of its disks. Each device then
 * loses, block by block and as the seed decides, whatever was written to it since its
 * last `flush()`; the write in flight at the cut is torn the same way.
 */
export class PowerSupply {
  private readonly random: () => number
  private readonly devices = new Set<FaultyBlockDevice>()
  private armed: number | null = null
  private powered = true
  /** Writes the devices on this supply have started, all together. */
  writes = 0

  constructor(seed = 1) {
    this.random = generator(seed)
  }

  /** Whether the power is on. After a cut every call on every device throws EIO. */
  get on(): boolean {
    return this.powered
  }

  /**
   * Arms a cut: the next `writes` writes (on any device of this supply) complete; the
   * one after that is in flight when the power goes, and throws EIO.
   */
  cutAfterWrites(writes: number): void {
    if (!Number.isSafeInteger(writes) || writes < 0)
      throw new BlockDeviceError('EINVAL', `cut after ${writes} writes`)
    this.armed = writes
  }

  /** Cuts the power now: every device keeps or loses each unflushed block, as seeded. */
  cut(): void {
    if (!this.powered) return
    this.powered = false
    this.armed = null
    for (const device of this.devices) device.losePower(this.random)
  }

  /** Restores the power: the devices work again, holding what survived the cut. */
  restore(): void {
    this.powered = true
  }

  /** @internal Called by a device on this supply. */
  attach(device: FaultyBlockDevice): void {
    this.devices.add(device)
  }

  /** @internal Called before a write: true when this write is the one the cut hits. */
  countWrite(): boolean {
    this.writes++
    if (this.armed === null) return false
    if (this.armed === 0) return true
    this.armed--
    return false
  }

  /** @internal A seeded number in [0, 1) for the devices' own choices. */
  next(): number {
    return this.random()
  }
}

/** How a `FaultyBlockDevice` draws its faults. */
export interface FaultyBlockDeviceOptions {
  /** The power this device hangs on; devices that share one lose power together. */
  readonly power?: PowerSupply
  /** The seed of a supply made for this device alone (when `power` is not given). */
  readonly seed?: number
}

/** What a `FaultyBlockDevice` has seen, for tests that count the work done. */
export interface FaultyBlockDeviceStatistics {
  reads: number
  writes: number
  flushes: number
  blocksRead: number
  blocksWritten: number
}

/**
 * Wraps a device and injects the failures a mirror must survive:
 *
 * - `failNextWrites(n)`: the next `n` writes throw EIO and write nothing;
 * - `failDevice()`: from now on every read, write and flush throws EIO (a dead disk);
 * - `tearNextWrite()`: the next write of two or more blocks writes a seeded, non-empty,
 *   proper subset of its blocks and throws EIO;
 * - a power cut (`power.cutAfterWrites(n)` or `power.cut()`): each block written since
 *   the last `flush()` keeps its new contents or gets back the old ones, as the seed
 *   decides, including the blocks of the write in flight.
 *
 * Writes go through to the wrapped device at once, with the flushed contents of each
 * block kept aside until the next flush; so after a cut the wrapped device holds exactly
 * what a real disk could hold, and can be reopened to play the reboot.
 */
export class FaultyBlockDevice implements BlockDevice {
  readonly blocks: number
  readonly power: PowerSupply
  readonly statistics: FaultyBlockDeviceStatistics = {
    reads: 0,
    writes: 0,
    flushes: 0,
    blocksRead: 0,
    blocksWritten: 0,
  }
  /** The flushed contents of each block written since the last flush. */
  private readonly unflushed = new Map<number, Uint8Array>()
  private failingWrites = 0
  private failed = false
  private tearing = false
  private closed = false

  constructor(
    readonly inner: BlockDevice,
    options: FaultyBlockDeviceOptions = {},
  ) {
    this.blocks = inner.blocks
    this.power = options.power ?? new PowerSupply(options.seed ?? 1)
    this.power.attach(this)
  }

  /** Blocks written since the last flush: those a power cut may lose. */
  get unflushedBlocks(): number {
    return this.unflushed.size
  }

  /** Makes the next `count` writes throw EIO without writing anything. */
  failNextWrites(count = 1): void {
    this.failingWrites = count
  }

  /** Fails the whole device: every later read, write and flush throws EIO. */
  failDevice(): void {
    this.failed = true
  }

  /** Tears the next multi-block write: some of its blocks are written, then EIO. */
  tearNextWrite(): void {
    this.tearing = true
  }

  read(block: number, buffer: Uint8Array): void {
    this.check()
    checkRequest(this.blocks, block, buffer)
    this.inner.read(block, buffer)
    this.statistics.reads++
    this.statistics.blocksRead += buffer.length / BLOCK_SIZE
  }

  write(block: number, data: Uint8Array): void {
    this.check()
    checkRequest(this.blocks, block, data)
    if (this.failingWrites > 0) {
      this.failingWrites--
      throw new BlockDeviceError('EIO', `injected write failure at block ${block}`)
    }
    const count = data.length / BLOCK_SIZE
    const inFlightAtCut = this.power.countWrite()
    if (this.tearing && count >= 2) {
      this.tearing = false
      const keep = this.tornSubset(count)
      for (let i = 0; i < count; i++)
        if (keep[i])
          this.writeBlocks(block + i, data.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE))
      throw new BlockDeviceError(
        'EIO',
        `injected torn write at blocks ${block}..${block + count - 1}`,
      )
    }
    this.writeBlocks(block, data)
    if (inFlightAtCut) {
      this.power.cut()
      throw new BlockDeviceError('EIO', `power failed during the write at block ${block}`)
    }
  }

  flush(): void {
    this.check()
    this.inner.flush()
    this.unflushed.clear()
    this.statistics.flushes++
  }

  close(): void {
    this.closed = true
  }

  /** @internal The power went: keep or undo each unflushed block, as the supply draws. */
  losePower(random: () => number): void {
    const sorted = [...this.unflushed.entries()].sort((a, b) => a[0] - b[0])
    for (const [block, old] of sorted) if (random() < 0.5) this.inner.write(block, old)
    this.unflushed.clear()
  }

  private writeBlocks(block: number, data: Uint8Array): void {
    const count = data.length / BLOCK_SIZE
    for (let i = 0; i < count; i++) {
      if (this.unflushed.has(block + i)) continue
      const old = new Uint8Array(BLOCK_SIZE)
      this.inner.read(block + i, old)
      this.unflushed.set(block + i, old)
    }
    this.inner.write(block, data)
    this.statistics.writes++
    this.statistics.blocksWritten += count
  }

  /** A seeded choice of blocks to write: at least one, never all. */
  private tornSubset(count: number): boolean[] {
    const keep = Array.from({ length: count }, () => this.power.next() < 0.5)
    const first = Math.floor(this.power.next() * count)
    keep[first] = true
    keep[(first + 1 + Math.floor(this.power.next() * (count - 1))) % count] = false
    return keep
  }

  private check(): void {
    if (this.closed) throw new BlockDeviceError('ENXIO', 'the device is closed')
    if (!this.power.on) throw new BlockDeviceError('EIO', 'the power is off')
    if (this.failed) throw new BlockDeviceError('EIO', 'the device has failed')
  }
}
