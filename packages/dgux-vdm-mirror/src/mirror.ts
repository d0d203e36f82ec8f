import { BLOCK_SIZE, BlockDeviceError, checkRequest } from '@vax-vms/block-device'
import {
  type Devt,
  DGVDMMIRRFRACTUREIMAGE,
  DGVDMMIRRMAXIMAGES,
  DGVDMMIRRSUBDRIVERID,
  DGVDMMIRRSYNCIMAGES,
  DGVDMMIRRTERMINATESYNC,
  DGVDMMIRRTHROTTLESYNC,
  NODEV,
} from './constants'
import { VdmError } from './errno'
import { type Extent, ExtentCursor, extentBlocks, groupExtents, mergeExtents } from './extents'
import type { Instance, InstanceDriver } from './instance'
import {
  BITMAP_BLOCKS,
  BITMAP_START,
  DATA_START,
  encodeLabel,
  type ImageState,
  LABEL_SLOTS,
  type Label,
  MAX_REGIONS,
  type MemberRecord,
} from './label'
import {
  type DgVdmMirrCreatePacket,
  type DgVdmMirrFractureImagePacket,
  type DgVdmMirrGetChildPacket,
  type DgVdmMirrGetPacket,
  type DgVdmMirrSyncImagesPacket,
  type DgVdmMirrTerminateSyncPacket,
  type DgVdmMirrThrottleSyncPacket,
  type DgVdmMirrUpdatePacket,
  MIRR_LAYOUTS,
} from './mirror-packets'
import { checkPacket, devtList } from './packet'

/** What a mirror needs from the VDM that holds it. */
export interface MirrorContext {
  /** The system console: failed writes are reported here (vdmmirr(7), DESCRIPTION). */
  console(line: string): void
  /** Blocks copied by one step of a synchronization. */
  readonly syncChunkBlocks: number
  /** Blocks a synchronization copies between two durable checkpoints. */
  readonly checkpointBlocks: number
  /** The smallest write-intent region, in blocks. */
  readonly regionBlocks: number
  /** A new 128-bit identity, as 32 hex digits. */
  newId(): string
}

/** One image of a mirror, with what the driver knows of it. */
export interface Member {
  readonly id: string
  /** The child instance; null while the image is missing (not found at assembly). */
  child: Instance | null
  state: ImageState
  /** No more I/O to it: its writes failed, or it is fractured. */
  quiet: boolean
  /** Fractured, with the groups changed since (null: not monitored). */
  fracture: { granularity: number; changed: Set<number> | null } | null
  checkpoint: number
  fullResync: boolean
}

/** One synchronization: a source copied to destinations along a plan, a step at a time. */
export class SyncJob {
  copied = 0
  private sinceCheckpoint = 0
  constructor(
    readonly source: Member,
    readonly dests: Member[],
    readonly cursor: ExtentCursor,
    public millisecondsBetweenSyncIo: number,
    /** Plans that the write-intent bitmap keeps across a crash (else: a full copy from the checkpoint). */
    readonly bitmapPlan: boolean,
  ) {}
  /** Blocks in the plan. */
  get total(): number {
    return extentBlocks(this.cursor.extents)
  }
  /** @internal Counts copied blocks; true when a checkpoint is due. */
  advance(blocks: number, every: number): boolean {
    this.copied += blocks
    this.sinceCheckpoint += blocks
    if (this.sinceCheckpoint < every) return false
    this.sinceCheckpoint = 0
    return true
  }
}

/** The mirror's attributes (vdmmirr(7), DGVDMCREATEINSTANCE / DGVDMUPDATEATTRIBUTES). */
export interface MirrorAttributes {
  automaticsync: boolean
  minimumimagesrequiredtouse: number
  maximumimagesmissingtouse: number
  millisecondsbetweensyncio: number
}

function deviceName(instance: Instance | null): string {
  return instance === null
    ? 'missing image'
    : `${instance.name} (device 0x${instance.deviceNumber.toString(16)})`
}

function checkLimits(min: number, max: number): void {
  if (min < -1) throw new VdmError('EINVAL', `minimumimagesrequiredtouse ${min}`)
  if (max < -1) throw new VdmError('EINVAL', `maximumimagesmissingtouse ${max}`)
}

/**
 * The Mirror Subdriver's instance (vdmmirr(7)): up to three images kept identical, with
 * their states, synchronizations, fractures and the on-disk label and write-intent
 * bitmap that let a reboot find the right state.
 */
export class MirrorDriver implements InstanceDriver {
  readonly subdriverId = DGVDMMIRRSUBDRIVERID
  readonly syncs: SyncJob[] = []
  /** Images found missing at assembly (vdmmirr(7), maximumimagesmissingtouse). */
  missing = 0
  /** An unclean shutdown whose recovery waits until the mirror passes the open tests. */
  pendingRecovery = false
  /** Blocks copied by every synchronization so far. */
  syncBlocksCopied = 0
  /** Whether the labels say the images are identical (properly closed). */
  clean = true
  /** The write-intent bitmap as on disk: bit r set = region r may differ. */
  readonly bits = new Uint8Array(BITMAP_BLOCKS * BLOCK_SIZE)
  instance: Instance | null = null
  isOpen = false
  /** Writes were acknowledged since the last flush that reached an image. */
  private unflushed = false
  private readonly buffer: Uint8Array

  private constructor(
    private readonly ctx: MirrorContext,
    readonly name: string,
    readonly mirrorId: string,
    readonly members: Member[],
    readonly attributes: MirrorAttributes,
    readonly regionBlocks: number,
    readonly mirrorBlocks: number,
    public generation: number,
  ) {
    this.buffer = new Uint8Array(ctx.syncChunkBlocks * BLOCK_SIZE)
  }

  /**
   * DGVDMCREATEINSTANCE (vdmmirr(7)): one image is usable, several are all corrupt until
   * synchronized. Writes a label and an empty bitmap on every image.
   */
  static create(
    ctx: MirrorContext,
    name: string,
    packet: unknown,
    lookup: (d: Devt) => Instance | null,
  ): MirrorDriver {
    checkPacket<DgVdmMirrCreatePacket>(MIRR_LAYOUTS.create, packet)
    const count = packet.numberofimages ?? 0
    if (count < 1 || count > DGVDMMIRRMAXIMAGES)
      throw new VdmError('EINVAL', `numberofimages ${count}`)
    const min = packet.minimumimagesrequiredtouse ?? 0
    const max = packet.maximumimagesmissingtouse ?? 0
    checkLimits(min, max)
    const devices = devtList(packet, 'imagedevicenumbers', count)
    if (new Set(devices).size !== count) throw new VdmError('EINVAL', 'an image is given twice')
    const children = devices.map((d) => {
      const child = lookup(d)
      if (child === null) throw new VdmError('EINVAL', `no instance 0x${d.toString(16)}`)
      checkFreeChild(child)
      return child
    })
    const mirrorBlocks = Math.min(...children.map((c) => c.driver.blocks())) - DATA_START
    if (mirrorBlocks < 1)
      throw new VdmError('EINVAL', 'an image is too small to hold the mirror label')
    const regionBlocks = Math.max(ctx.regionBlocks, Math.ceil(mirrorBlocks / MAX_REGIONS))
    const members = children.map(
      (child): Member => ({
        id: ctx.newId(),
        child,
        state: count === 1 ? 'usable' : 'corrupt',
        quiet: false,
        fracture: null,
        checkpoint: 0,
        fullResync: false,
      }),
    )
    const attributes: MirrorAttributes = {
      automaticsync: packet.automaticsync === 1,
      minimumimagesrequiredtouse: min,
      maximumimagesmissingtouse: max,
      millisecondsbetweensyncio: packet.millisecondsbetweensyncio ?? 0,
    }
    const mirror = new MirrorDriver(
      ctx,
      name,
      ctx.newId(),
      members,
      attributes,
      regionBlocks,
      mirrorBlocks,
      0,
    )
    for (const m of members) mirror.writeBitmapTo(m, 0, BITMAP_BLOCKS)
    mirror.persist()
    return mirror
  }

  /**
   * Rebuilds a mirror from the newest label found on its images (a reboot): images not
   * found are missing; an unclean shutdown or an interrupted synchronization is
   * recovered now when the mirror passes its tests, else when it is first opened.
   */
  static assemble(
    ctx: MirrorContext,
    label: Label,
    found: Map<string, Instance>,
    bitmaps: Map<string, Uint8Array>,
  ): MirrorDriver {
    const members = label.members.map(
      (r): Member => ({
        id: r.id,
        child: found.get(r.id) ?? null,
        state: r.state,
        quiet: false,
        // The change map of a fracture lives in memory: a reboot loses it (vdmmirr(7), DGVDMMIRRFRACTUREIMAGE).
        fracture: null,
        checkpoint: r.checkpoint,
        fullResync: r.fullResync,
      }),
    )
    const mirror = new MirrorDriver(
      ctx,
      label.name,
      label.mirrorId,
      members,
      {
        automaticsync: label.automaticsync,
        minimumimagesrequiredtouse: label.minimumimagesrequiredtouse,
        maximumimagesmissingtouse: label.maximumimagesmissingtouse,
        millisecondsbetweensyncio: label.millisecondsbetweensyncio,
      },
      label.regionBlocks,
      label.mirrorBlocks,
      label.generation,
    )
    mirror.clean = label.clean
    mirror.missing = members.filter((m) => m.child === null).length
    // The bitmaps of the images that were being written; a corrupt image's is stale.
    for (const m of members) {
      const b = m.child === null || m.state === 'corrupt' ? undefined : bitmaps.get(m.id)
      if (b !== undefined) for (let i = 0; i < b.length; i++) mirror.bits[i]! |= b[i]!
    }
    const inconsistent =
      !label.clean || members.some((m) => m.child !== null && m.state === 'syncdest')
    if (inconsistent) {
      mirror.pendingRecovery = true
      if (mirror.openProblem() === null) mirror.recover()
    }
    return mirror
  }

  // ---- the open tests -------------------------------------------------------------

  /** Images that are not corrupt (synchronization destinations count: vdmmirr(7)). */
  nonCorruptImages(): number {
    return this.members.filter((m) => m.child !== null && m.state !== 'corrupt').length
  }

  /** Why the mirror may not be opened now (vdmmirr(7), DGVDMCREATEINSTANCE), or null. */
  openProblem(): string | null {
    const min = this.attributes.minimumimagesrequiredtouse
    if (min !== -1 && this.nonCorruptImages() < min)
      return `${this.nonCorruptImages()} non-corrupt images, ${min} required`
    const max = this.attributes.maximumimagesmissingtouse
    if (max !== -1 && this.missing > max)
      return `${this.missing} images missing, at most ${max} allowed`
    return null
  }

  open(): void {
    const problem = this.openProblem()
    if (problem !== null) throw new VdmError('ENXIO', `mirror ${this.name}: ${problem}`)
    if (this.pendingRecovery) this.recover()
    this.isOpen = true
  }

  /** The last close: flush, then mark every image identical (vdmmirr(7), DESCRIPTION). */
  close(): void {
    this.isOpen = false
    const unflushed = this.unflushed
    this.flushAndClear()
    if (!this.clean && this.writable().length > 0) {
      this.clean = true
      this.persist()
    }
    // Like close(2): EIO when writes it should have made durable reached no image.
    if (unflushed && this.writable().length === 0)
      throw new BlockDeviceError('EIO', `mirror ${this.name}: no image could be flushed`)
  }

  checkUsable(): void {
    const problem = this.openProblem()
    if (problem !== null)
      throw new VdmError('EINVAL', `mirror ${this.name} is not usable: ${problem}`)
    if (this.readable().length === 0)
      throw new VdmError('EINVAL', `mirror ${this.name} has no usable image`)
  }

  // ---- I/O --------------------------------------------------------------------------

  blocks(): number {
    return this.mirrorBlocks
  }

  /** Images read from: usable, not being synchronized (vdmmirr(7), DESCRIPTION). */
  readable(): Member[] {
    return this.members.filter((m) => m.child !== null && !m.quiet && m.state === 'usable')
  }

  /** Images written: usable ones and synchronization destinations. */
  writable(): Member[] {
    return this.members.filter((m) => m.child !== null && !m.quiet && m.state !== 'corrupt')
  }

  read(block: number, buffer: Uint8Array): void {
    checkRequest(this.mirrorBlocks, block, buffer)
    for (const m of this.readable()) {
      try {
        m.child!.driver.read(DATA_START + block, buffer)
        return
      } catch (error) {
        if (!(error instanceof BlockDeviceError)) throw error
        this.ctx.console(
          `vdmmirr: read failed on image ${deviceName(m.child)} of mirror ${this.name}`,
        )
      }
    }
    throw new BlockDeviceError('EIO', `mirror ${this.name}: no image could be read`)
  }

  /**
   * A write goes to every usable image and every destination of a synchronization. The
   * first write after a clean close marks the labels unclean, and the first write to a
   * region since the last flush sets its bit in every image's bitmap, durably, before
   * the data is written (see README, "Crash safety"). A failed image becomes corrupt.
   */
  write(block: number, data: Uint8Array): void {
    checkRequest(this.mirrorBlocks, block, data)
    if (this.writable().length === 0)
      throw new BlockDeviceError('EIO', `mirror ${this.name} has no usable image`)
    if (this.clean) {
      this.clean = false
      this.persist()
    }
    const last = block + data.length / BLOCK_SIZE - 1
    this.markRegions(block, last)
    for (const m of this.members) {
      const changed = m.fracture?.changed
      if (changed === undefined || changed === null) continue
      const g = m.fracture!.granularity
      for (let x = Math.floor(block / g); x <= Math.floor(last / g); x++) changed.add(x)
    }
    let written = 0
    for (const m of this.writable()) {
      try {
        m.child!.driver.write(DATA_START + block, data)
        written++
      } catch (error) {
        if (!(error instanceof BlockDeviceError)) throw error
        this.failImage(m)
      }
    }
    if (written > 0) this.unflushed = true
    if (written === 0)
      throw new BlockDeviceError('EIO', `mirror ${this.name}: the write failed on every image`)
  }

  /** Flushes every image, then clears the bitmap bits no synchronization still needs. */
  flush(): void {
    this.flushAndClear()
    if (this.writable().length === 0)
      throw new BlockDeviceError('EIO', `mirror ${this.name}: no image could be flushed`)
  }

  /** Flushes every written image, then clears (durably) the bits no resync needs; failures make images corrupt. */
  private flushAndClear(): void {
    for (const m of this.writable()) {
      try {
        m.child!.driver.flush()
      } catch (error) {
        if (!(error instanceof BlockDeviceError)) throw error
        this.failImage(m)
      }
    }
    if (this.writable().length > 0) this.unflushed = false
    const keep = new Uint8Array(this.bits.length)
    for (const job of this.syncs) {
      if (!job.bitmapPlan) continue
      for (const [s, e] of job.cursor.extents) {
        const from = Math.max(s, job.cursor.position)
        if (from >= e) continue
        for (
          let r = Math.floor(from / this.regionBlocks);
          r <= Math.floor((e - 1) / this.regionBlocks);
          r++
        )
          keep[r >> 3]! |= 1 << (r & 7)
      }
    }
    let cleared = false
    for (let b = 0; b < BITMAP_BLOCKS; b++) {
      const lo = b * BLOCK_SIZE
      let changed = false
      for (let i = lo; i < lo + BLOCK_SIZE; i++)
        if (this.bits[i] !== keep[i]) {
          changed = true
          break
        }
      if (!changed) continue
      cleared = true
      this.bits.set(keep.subarray(lo, lo + BLOCK_SIZE), lo)
      for (const m of this.writable()) this.writeBitmapTo(m, b, 1)
    }
    // The cleared bits are made durable too, so that after a flush the bitmap on disk
    // names exactly the regions written since (a crash then resyncs no more).
    if (cleared)
      for (const m of this.writable()) {
        try {
          m.child!.driver.flush()
        } catch (error) {
          if (!(error instanceof BlockDeviceError)) throw error
          this.failImage(m)
        }
      }
  }

  /** Regions whose bit is set. */
  dirtyRegions(): number[] {
    const out: number[] = []
    for (let i = 0; i < this.bits.length; i++) {
      const byte = this.bits[i]!
      if (byte === 0) continue
      for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) out.push(i * 8 + bit)
    }
    return out
  }

  private markRegions(first: number, last: number): void {
    const blocks = new Set<number>()
    for (
      let r = Math.floor(first / this.regionBlocks);
      r <= Math.floor(last / this.regionBlocks);
      r++
    ) {
      const mask = 1 << (r & 7)
      if (this.bits[r >> 3]! & mask) continue
      this.bits[r >> 3]! |= mask
      blocks.add(r >> 12)
    }
    if (blocks.size === 0) return
    for (const m of this.writable()) {
      try {
        for (const b of blocks) this.writeBitmapTo(m, b, 1, false)
        m.child!.driver.flush()
      } catch (error) {
        if (!(error instanceof BlockDeviceError)) throw error
        this.failImage(m)
      }
    }
  }

  private writeBitmapTo(m: Member, first: number, count: number, catchErrors = true): void {
    try {
      m.child!.driver.write(
        BITMAP_START + first,
        this.bits.subarray(first * BLOCK_SIZE, (first + count) * BLOCK_SIZE),
      )
    } catch (error) {
      if (!catchErrors || !(error instanceof BlockDeviceError)) throw error
      this.failImage(m)
    }
  }

  // ---- labels -----------------------------------------------------------------------

  /** The label as image `m` holds it. */
  labelFor(m: Member): Label {
    return {
      generation: this.generation,
      mirrorId: this.mirrorId,
      imageId: m.id,
      name: this.name,
      ...this.attributes,
      regionBlocks: this.regionBlocks,
      mirrorBlocks: this.mirrorBlocks,
      clean: this.clean,
      members: this.members.map(
        (x): MemberRecord => ({
          id: x.id,
          // A missing image misses every write: it comes back corrupt.
          state: x.child === null ? 'corrupt' : x.state,
          fractured: x.fracture !== null,
          changeGranularity: x.fracture?.granularity ?? 0,
          checkpoint: x.checkpoint,
          fullResync: x.fullResync,
        }),
      ),
    }
  }

  /** Writes a new generation of the label to every image that takes I/O, each flushed. */
  persist(): void {
    this.generation++
    for (const m of this.members) {
      if (m.child === null || m.quiet) continue
      try {
        m.child.driver.write(this.generation % LABEL_SLOTS, encodeLabel(this.labelFor(m)))
        m.child.driver.flush()
      } catch (error) {
        if (!(error instanceof BlockDeviceError)) throw error
        this.failImage(m)
      }
    }
  }

  /** A failed write: the image is corrupt and the console says so (vdmmirr(7), DESCRIPTION). */
  failImage(m: Member): void {
    if (m.quiet && m.state === 'corrupt') return
    m.state = 'corrupt'
    m.quiet = true
    m.fracture = null
    this.ctx.console(
      `vdmmirr: write failed on image ${deviceName(m.child)} of mirror ${this.name}; the image is corrupt`,
    )
    this.leaveSyncs(m)
    this.persist()
  }

  /** Takes an image out of every synchronization: as source it ends them, as destination it leaves its own. */
  private leaveSyncs(m: Member): void {
    for (const job of [...this.syncs]) {
      if (job.source === m) this.endJob(job, job.dests)
      else if (job.dests.includes(m)) this.dropDest(job, m)
    }
  }

  /** One destination leaves its synchronization, corrupt; the job ends with its last destination. */
  private dropDest(job: SyncJob, d: Member): void {
    job.dests.splice(job.dests.indexOf(d), 1)
    this.endJob(job.dests.length === 0 ? job : null, [d])
  }

  /** Ends a job, leaving `corrupt` destinations corrupt (the job's label work is the caller's). */
  private endJob(job: SyncJob | null, corrupt: readonly Member[]): void {
    for (const d of corrupt) {
      d.state = 'corrupt'
      d.checkpoint = 0
      d.fullResync = false
    }
    const i = job === null ? -1 : this.syncs.indexOf(job)
    if (i >= 0) this.syncs.splice(i, 1)
  }

  // ---- recovery after a reboot -------------------------------------------------------

  /**
   * After an unclean shutdown (vdmmirr(7), DESCRIPTION and `automaticsync`): with
   * automaticsync, the first usable image is copied to the other usable images over the
   * regions of the write-intent bitmap only, and interrupted synchronizations resume
   * from their checkpoint; without it, only that image stays usable.
   */
  recover(): void {
    this.pendingRecovery = false
    const present = this.members.filter((m) => m.child !== null)
    const source = present.find((m) => m.state === 'usable')
    const others = present.filter((m) => m !== source && m.state !== 'corrupt')
    if (source === undefined || !this.attributes.automaticsync) {
      for (const m of others) {
        m.state = 'corrupt'
        m.checkpoint = 0
        m.fullResync = false
      }
      this.persist()
      return
    }
    const dirty = groupExtents(this.dirtyRegions(), this.regionBlocks, this.mirrorBlocks)
    const ms = this.attributes.millisecondsbetweensyncio
    const resync = others.filter((m) => m.state === 'usable' || !m.fullResync)
    const resume = others.filter((m) => m.state === 'syncdest' && m.fullResync)
    for (const m of resync) {
      m.state = 'syncdest'
      m.fullResync = false
      m.checkpoint = 0
    }
    if (resync.length > 0)
      this.syncs.push(new SyncJob(source, resync, new ExtentCursor(dirty), ms, true))
    for (const m of resume) {
      const plan = mergeExtents([...dirty, [m.checkpoint, this.mirrorBlocks]])
      this.syncs.push(new SyncJob(source, [m], new ExtentCursor(plan), ms, false))
    }
    this.persist()
  }

  // ---- synchronization --------------------------------------------------------------

  /**
   * Copies one chunk for every synchronization; finishes those whose plan is done.
   * Returns whether any synchronization remains.
   */
  syncStep(): boolean {
    for (const job of [...this.syncs]) this.stepJob(job)
    return this.syncs.length > 0
  }

  /** Copies the next chunk of one synchronization, finishing it when its plan is done. */
  stepJob(job: SyncJob): void {
    if (!this.syncs.includes(job)) return
    const piece = job.cursor.next(this.ctx.syncChunkBlocks)
    if (piece !== null) {
      const [start, end] = piece
      const data = this.buffer.subarray(0, (end - start) * BLOCK_SIZE)
      try {
        job.source.child!.driver.read(DATA_START + start, data)
      } catch (error) {
        if (!(error instanceof BlockDeviceError)) throw error
        this.ctx.console(
          `vdmmirr: read failed on sync source ${deviceName(job.source.child)} of mirror ${this.name}`,
        )
        this.endJob(job, job.dests)
        this.persist()
        return
      }
      for (const d of [...job.dests]) {
        try {
          d.child!.driver.write(DATA_START + start, data)
        } catch (error) {
          if (!(error instanceof BlockDeviceError)) throw error
          this.failImage(d)
        }
      }
      if (!this.syncs.includes(job)) return
      this.syncBlocksCopied += end - start
      if (job.advance(end - start, this.ctx.checkpointBlocks) && !job.cursor.done)
        this.checkpoint(job)
    }
    if (job.cursor.done) this.complete(job)
  }

  /** Makes the copy so far durable, then records how far it got. */
  private checkpoint(job: SyncJob): void {
    for (const d of [...job.dests]) {
      try {
        d.child!.driver.flush()
        d.checkpoint = job.cursor.position
      } catch (error) {
        if (!(error instanceof BlockDeviceError)) throw error
        this.failImage(d)
      }
    }
    this.persist()
  }

  /** The destinations are synchronized: usable (vdmmirr(7), DGVDMCREATEINSTANCE). */
  private complete(job: SyncJob): void {
    const i = this.syncs.indexOf(job)
    if (i < 0) return
    this.syncs.splice(i, 1)
    for (const d of [...job.dests]) {
      try {
        d.child!.driver.flush()
      } catch (error) {
        if (!(error instanceof BlockDeviceError)) throw error
        this.failImage(d)
        continue
      }
      d.state = 'usable'
      d.fracture = null
      d.checkpoint = 0
      d.fullResync = false
    }
    this.persist()
    this.flushAndClear()
  }

  // ---- ioctls -------------------------------------------------------------------------

  /**
   * The mirror's own ioctls. A command during which every image failed (a dead bus, a
   * power cut) reports EIO, though what it had done stays done.
   */
  ioctl(command: number, argument: unknown): void {
    const had = this.writable().length > 0
    this.command(command, argument)
    if (had && this.writable().length === 0)
      throw new BlockDeviceError('EIO', `mirror ${this.name}: every image failed`)
  }

  private command(command: number, argument: unknown): void {
    switch (command) {
      case DGVDMMIRRSYNCIMAGES:
        this.syncImages(argument)
        return
      case DGVDMMIRRTERMINATESYNC:
        this.terminateSync(argument)
        return
      case DGVDMMIRRTHROTTLESYNC:
        this.throttleSync(argument)
        return
      case DGVDMMIRRFRACTUREIMAGE:
        this.fractureImage(argument)
        return
      default:
        throw new VdmError(
          'EINVAL',
          `mirror ${this.name}: unknown command 0x${command.toString(16)}`,
        )
    }
  }

  private member(devt: Devt, what: string): Member {
    const m = this.members.find((x) => x.child !== null && x.child.deviceNumber === devt)
    if (m === undefined)
      throw new VdmError(
        'EINVAL',
        `${what} 0x${devt.toString(16)} is not an image of mirror ${this.name}`,
      )
    return m
  }

  /** DGVDMMIRRSYNCIMAGES (vdmmirr(7)). */
  private syncImages(packet: unknown): void {
    checkPacket<DgVdmMirrSyncImagesPacket>(MIRR_LAYOUTS.syncimages, packet)
    const count = packet.numberofdestinations ?? 0
    if (count < 1 || count > DGVDMMIRRMAXIMAGES - 1)
      throw new VdmError('EINVAL', `numberofdestinations ${count}`)
    const source = this.member(packet.sourceimage ?? 0, 'source image')
    const dests = devtList(packet, 'destimages', count).map((d) =>
      this.member(d, 'destination image'),
    )
    if (new Set(dests).size !== count) throw new VdmError('EINVAL', 'a destination is given twice')
    if (dests.includes(source)) throw new VdmError('EINVAL', 'the source is also a destination')
    const present = this.members.filter((m) => m.child !== null)
    const allCorrupt = present.every((m) => m.state === 'corrupt')
    // Only images that are not corrupt can be the source, unless all are corrupt; a
    // destination "cannot be used as an up to date image for a synchronization".
    if (source.quiet || (source.state !== 'usable' && !(allCorrupt && source.state === 'corrupt')))
      throw new VdmError('EINVAL', `image ${deviceName(source.child)} cannot be a source`)
    // Simultaneous synchronizations must all have the same source.
    if (this.syncs.some((j) => j.source !== source))
      throw new VdmError('EBUSY', `mirror ${this.name} is synchronizing from another image`)
    for (const d of dests)
      if (d.state !== 'corrupt')
        throw new VdmError('EINVAL', `image ${deviceName(d.child)} is not corrupt`)
    if (source.state === 'corrupt') source.state = 'usable'
    const plans: Extent[] = []
    for (const d of dests) {
      const f = d.fracture
      if (f?.changed) plans.push(...groupExtents(f.changed, f.granularity, this.mirrorBlocks))
      else plans.push([0, this.mirrorBlocks])
    }
    for (const d of dests) {
      d.state = 'syncdest'
      d.quiet = false
      d.fracture = null
      d.checkpoint = 0
      d.fullResync = true
      // Its bitmap must be current, durably, before a label names it a destination.
      try {
        this.writeBitmapTo(d, 0, BITMAP_BLOCKS, false)
        d.child!.driver.flush()
      } catch (error) {
        if (!(error instanceof BlockDeviceError)) throw error
        this.failImage(d)
      }
    }
    const live = dests.filter((d) => d.state === 'syncdest')
    const job = new SyncJob(
      source,
      live,
      new ExtentCursor(mergeExtents(plans)),
      packet.millisecondsbetweensyncio ?? 0,
      false,
    )
    if (live.length > 0) this.syncs.push(job)
    this.persist()
  }

  /** DGVDMMIRRTERMINATESYNC (vdmmirr(7)): that destination alone stops, left corrupt. */
  private terminateSync(packet: unknown): void {
    checkPacket<DgVdmMirrTerminateSyncPacket>(MIRR_LAYOUTS.terminatesync, packet)
    const d = this.member(packet.destimage ?? 0, 'destination image')
    const job = this.syncs.find((j) => j.dests.includes(d))
    if (job === undefined)
      throw new VdmError('EINVAL', `image ${deviceName(d.child)} is not being synchronized`)
    this.dropDest(job, d)
    this.persist()
  }

  /** DGVDMMIRRTHROTTLESYNC (vdmmirr(7)): the pause of the whole synchronization holding that destination. */
  private throttleSync(packet: unknown): void {
    checkPacket<DgVdmMirrThrottleSyncPacket>(MIRR_LAYOUTS.throttlesync, packet)
    const d = this.member(packet.destimage ?? 0, 'destination image')
    const job = this.syncs.find((j) => j.dests.includes(d))
    if (job === undefined)
      throw new VdmError('EINVAL', `image ${deviceName(d.child)} is not being synchronized`)
    job.millisecondsBetweenSyncIo = packet.millisecondsbetweensyncio ?? 0
  }

  /**
   * DGVDMMIRRFRACTUREIMAGE (vdmmirr(7)): the image takes no more I/O and is corrupt, but
   * stays on the mirror; with a nonzero granularity the groups written from now on are
   * remembered, so a later synchronization copies only them.
   */
  private fractureImage(packet: unknown): void {
    checkPacket<DgVdmMirrFractureImagePacket>(MIRR_LAYOUTS.fractureimage, packet)
    const m = this.member(packet.imagedevicenumber ?? 0, 'image')
    const granularity = packet.changegranularity ?? 0
    if (m.state !== 'usable' || m.quiet)
      throw new VdmError('EINVAL', `image ${deviceName(m.child)} is not usable`)
    if (this.syncs.some((j) => j.source === m))
      throw new VdmError('EBUSY', `image ${deviceName(m.child)} is the source of a synchronization`)
    if (this.readable().length === 1)
      throw new VdmError('EINVAL', `image ${deviceName(m.child)} is the last usable image`)
    try {
      m.child!.driver.flush()
    } catch (error) {
      if (!(error instanceof BlockDeviceError)) throw error
      this.failImage(m)
      return
    }
    m.state = 'corrupt'
    m.fracture = { granularity, changed: granularity > 0 ? new Set() : null }
    this.persist()
    m.quiet = true
  }

  // ---- attributes and children ----------------------------------------------------------

  getAttributes(packet: unknown): void {
    checkPacket<DgVdmMirrGetPacket>(MIRR_LAYOUTS.get, packet)
    Object.assign(packet, {
      automaticsync: this.attributes.automaticsync ? 1 : 0,
      syncinprogress: this.syncs.length > 0 ? 1 : 0,
      minimumimagesrequiredtouse: this.attributes.minimumimagesrequiredtouse,
      maximumimagesmissingtouse: this.attributes.maximumimagesmissingtouse,
      millisecondsbetweensyncio: this.attributes.millisecondsbetweensyncio,
    })
  }

  updateAttributes(packet: unknown): void {
    checkPacket<DgVdmMirrUpdatePacket>(MIRR_LAYOUTS.update, packet)
    const min = packet.minimumimagesrequiredtouse ?? 0
    const max = packet.maximumimagesmissingtouse ?? 0
    checkLimits(min, max)
    this.attributes.automaticsync = packet.automaticsync === 1
    this.attributes.minimumimagesrequiredtouse = min
    this.attributes.maximumimagesmissingtouse = max
    this.attributes.millisecondsbetweensyncio = packet.millisecondsbetweensyncio ?? 0
    this.persist()
  }

  children(): Instance[] {
    return this.members.flatMap((m) => (m.child === null ? [] : [m.child]))
  }

  /** DGVDMGETCHILDINSTANCE's role packet (vdmmirr(7) `dgvdmmirrgetchildpacket`). */
  childRole(child: Instance, packet: unknown): void {
    checkPacket<DgVdmMirrGetChildPacket>(MIRR_LAYOUTS.getchild, packet)
    const m = this.members.find((x) => x.child === child)!
    const job = this.syncs.find((j) => j.dests.includes(m))
    Object.assign(packet, {
      corrupt: m.state === 'corrupt' ? 1 : 0,
      syncsource: this.syncs.some((j) => j.source === m) ? 1 : 0,
      syncdest: job ? 1 : 0,
      fractured: m.fracture !== null ? 1 : 0,
      syncblock: job ? job.cursor.position : 0,
      changegranularity: m.fracture?.granularity ?? 0,
      sourceimage: job ? job.source.child!.deviceNumber : NODEV,
    })
  }

  /**
   * DGVDMLINKCHILDINSTANCE (vdmmirr(7)): the new image is corrupt until synchronized. A
   * missing image with the same identity comes back in its place; otherwise a missing
   * image makes room when three are on the mirror.
   */
  link(child: Instance, childPacket: unknown): void {
    if (childPacket !== null && childPacket !== undefined)
      throw new VdmError('EINVAL', 'the mirror takes no child packet')
    checkFreeChild(child)
    if (child.driver.blocks() < DATA_START + this.mirrorBlocks)
      throw new VdmError('EINVAL', `${child.name} is smaller than mirror ${this.name}`)
    const missing = this.members.findIndex((m) => m.child === null)
    if (this.members.length >= DGVDMMIRRMAXIMAGES && missing < 0)
      throw new VdmError('EINVAL', `mirror ${this.name} has ${DGVDMMIRRMAXIMAGES} images`)
    const m: Member = {
      id: this.ctx.newId(),
      child,
      state: 'corrupt',
      quiet: false,
      fracture: null,
      checkpoint: 0,
      fullResync: false,
    }
    if (this.members.length >= DGVDMMIRRMAXIMAGES) {
      this.members.splice(missing, 1)
      this.missing = Math.max(0, this.missing - 1)
    }
    this.members.push(m)
    child.parent = this.instance
    this.writeBitmapTo(m, 0, BITMAP_BLOCKS)
    this.persist()
  }

  /**
   * DGVDMUNLINKCHILDINSTANCE (vdmmirr(7)): never the last image (EINVAL); while open,
   * never the last usable one (EBUSY). Its synchronizations end and its change map is
   * dropped, so coming back needs a full synchronization.
   */
  unlink(child: Instance): void {
    const m = this.members.find((x) => x.child === child)
    if (m === undefined)
      throw new VdmError('EINVAL', `${child.name} is not an image of mirror ${this.name}`)
    if (this.children().length === 1)
      throw new VdmError('EINVAL', `${child.name} is the last image of mirror ${this.name}`)
    const usable = (x: Member) => x.child !== null && !x.quiet && x.state !== 'corrupt'
    if (this.isOpen && usable(m) && this.members.filter(usable).length === 1)
      throw new VdmError(
        'EBUSY',
        `${child.name} is the last usable image of open mirror ${this.name}`,
      )
    this.leaveSyncs(m)
    this.members.splice(this.members.indexOf(m), 1)
    wipeLabel(child)
    child.parent = null
    this.persist()
  }

  checkDelete(): void {
    if (this.syncs.length > 0) throw new VdmError('EBUSY', `mirror ${this.name} is synchronizing`)
  }

  /** DGVDMDELETEINSTANCE: the images are released and their labels wiped. */
  delete(): void {
    for (const m of this.members) {
      if (m.child === null) continue
      wipeLabel(m.child)
      m.child.parent = null
    }
  }

  /** The image states, for tests and the CLI. */
  describe(): { id: string; device: Devt; name: string; state: ImageState; fractured: boolean }[] {
    return this.members.map((m) => ({
      id: m.id,
      device: m.child?.deviceNumber ?? NODEV,
      name: m.child?.name ?? '(missing)',
      state: m.state,
      fractured: m.fracture !== null,
    }))
  }
}

/** An instance may become an image when no parent holds it, none is built on it and it is closed. */
export function checkFreeChild(child: Instance): void {
  if (child.parent !== null) throw new VdmError('EBUSY', `${child.name} is already linked`)
  if (child.holders > 0) throw new VdmError('EBUSY', `${child.name} holds partitions`)
  if (child.opens > 0) throw new VdmError('EBUSY', `${child.name} is open`)
}

/** Removes the mirror label from an image that leaves its mirror (best effort). */
function wipeLabel(child: Instance): void {
  try {
    child.driver.write(0, new Uint8Array(LABEL_SLOTS * BLOCK_SIZE))
    child.driver.flush()
  } catch (error) {
    if (!(error instanceof BlockDeviceError)) throw error
  }
}
