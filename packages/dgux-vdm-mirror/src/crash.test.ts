/**
 * Power cuts at random points during writes, synchronizations and fractures (vdmmirr(7),
 * DESCRIPTION: images marked out of date on write, recovery by synchronization after a
 * failure; DGVDMCREATEINSTANCE automaticsync). For every seed: a mirror on faulty disks
 * sharing one power supply, a workload, a cut after a random number of device writes
 * (each unflushed block then kept or lost, as seeded), a reboot from the raw disks,
 * assembly and the automatic synchronization; then:
 *
 *   - every write acknowledged by a successful fsync is on every usable image (a block
 *     holds its last flushed value or one written after that flush);
 *   - the usable images are identical;
 *   - the write-intent bitmap found on disk names only regions written since the last
 *     successful fsync, and the resynchronization copied no more than those regions
 *     (plus, for a copy interrupted by the cut, what lay past its checkpoint).
 *
 * CRASH_SEEDS (default 1200) sets how many seeds run, 20 to a test.
 */
import { BLOCK_SIZE } from '@vax-vms/block-device'
import { describe, expect, it } from 'vitest'
import { Random } from '../../../tools/fuzz/random'
import { DGVDMMIRRFRACTUREIMAGE } from './constants'
import { BITMAP_BLOCKS, BITMAP_START, DATA_START, type Label, readLabel } from './label'
import { vdmmirrinitpacket } from './mirror-packets'
import { children, mirrorOn, system, vdmmirrsyncimages } from './test-support'

const BLOCKS = 96
const REGION = 8
const SEEDS = Number(process.env.CRASH_SEEDS ?? 1200)
const PER_TEST = 20

function data(value: number, first: number, count: number): Uint8Array {
  const bytes = new Uint8Array(count * BLOCK_SIZE)
  const view = new DataView(bytes.buffer)
  for (let i = 0; i < count; i++) {
    view.setUint32(i * BLOCK_SIZE, value, true)
    view.setUint32(i * BLOCK_SIZE + 4, first + i, true)
  }
  return bytes
}

function valueAt(bytes: Uint8Array, index: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(index * BLOCK_SIZE, true)
}

type Kind = 'writes' | 'sync' | 'fracture'

function runSeed(seed: number): void {
  const rng = new Random(seed)
  const kind: Kind = (['writes', 'sync', 'fracture'] as const)[seed % 3]!
  const images = rng.int(2, 3)
  const t = system(images, DATA_START + BLOCKS, {
    seed,
    syncChunkBlocks: rng.pick([4, 8, 16]),
    checkpointBlocks: 16,
  })
  const m = mirrorOn(t)
  let fd = t.vdm.open(m)
  const last = t.phys[images - 1]!

  // The model: per block, its last flushed value and the values written since.
  const durable = new Array<number>(BLOCKS).fill(0)
  const pending = Array.from({ length: BLOCKS }, () => [] as number[])
  let written = new Set<number>()
  let value = 1
  const write = () => {
    const b = rng.int(0, BLOCKS - 1)
    const n = rng.int(1, Math.min(4, BLOCKS - b))
    const v = value++
    for (let i = 0; i < n; i++) {
      pending[b + i]!.push(v)
      written.add(Math.floor((b + i) / REGION))
    }
    t.vdm.write(fd, b, data(v, b, n))
  }
  const fsync = (close = false) => {
    // A successful close, like a successful fsync, makes every write before it durable.
    const status = close ? t.vdm.close(fd) : t.vdm.fsync(fd)
    if (close) fd = t.vdm.open(m)
    if (status !== 0) return
    for (let b = 0; b < BLOCKS; b++) {
      const p = pending[b]!
      if (p.length > 0) durable[b] = p[p.length - 1]!
      p.length = 0
    }
    written = new Set()
  }
  const fracture = (granularity: number) => {
    const p = vdmmirrinitpacket('fractureimage')
    p.imagedevicenumber = last
    p.changegranularity = granularity
    t.vdm.ioctl(fd, DGVDMMIRRFRACTUREIMAGE, p)
  }

  for (let i = 0; i < 10; i++) write()
  fsync()
  if (kind === 'sync') {
    fracture(rng.pick([0, 1, 4]))
    for (let i = 0; i < 5; i++) write()
    vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [last], 0, false)
  }
  t.power.cutAfterWrites(rng.int(0, 80))
  const fractureAt = rng.int(0, 20)
  for (let op = 0; op < 60 && t.power.on; op++) {
    if (kind === 'fracture' && op === fractureAt) fracture(rng.pick([0, 1, 4, 16]))
    else if (kind === 'fracture' && op === fractureAt + 10)
      vdmmirrsyncimages(t.vdm, m, t.phys[0]!, 1, [last], 0, false)
    const r = rng.next()
    if (r < 0.6) write()
    else if (r < 0.72) fsync()
    else if (r < 0.77) fsync(true)
    else t.vdm.syncStep()
  }
  t.power.cut()

  // What the disks hold at the cut: the newest label, and the bitmap bits.
  const labels = t.raw.map((d) => readLabel((b, buf) => d.read(b, buf)))
  const newest = labels.reduce<Label | null>(
    (a, l) => (l && (!a || l.generation > a.generation) ? l : a),
    null,
  )!
  const dirty = new Set<number>()
  for (const [i, d] of t.raw.entries()) {
    // Only the images the newest label has usable or being copied keep a live bitmap.
    const state = newest.members.find((x) => x.id === labels[i]?.imageId)?.state
    if (state === undefined || state === 'corrupt') continue
    const bits = new Uint8Array(BITMAP_BLOCKS * BLOCK_SIZE)
    d.read(BITMAP_START, bits)
    for (let r = 0; r < BLOCKS / REGION; r++) if (bits[r >> 3]! & (1 << (r & 7))) dirty.add(r)
  }
  for (const r of dirty)
    expect(
      written.has(r),
      `seed ${seed}: region ${r} dirty on disk, not written since the flush`,
    ).toBe(true)
  const interrupted = newest.members.filter((x) => x.state === 'syncdest' && x.fullResync)
  const bound =
    dirty.size * REGION * (1 + interrupted.length) +
    interrupted.reduce((n, x) => n + BLOCKS - x.checkpoint, 0)

  // Reboot: assemble from the disks and let the automatic synchronization run.
  const u = system(images, 0, { raw: t.raw, seed })
  const [m2] = u.vdm.assembleMirrors()
  expect(m2, `seed ${seed}: mirror assembled`).toBeDefined()
  const mirror = u.vdm.mirror(m2!)!
  u.vdm.syncAll()
  expect(
    mirror.syncBlocksCopied,
    `seed ${seed}: resync copied no more than the dirty regions`,
  ).toBeLessThanOrEqual(bound)

  const usable = children(u.vdm, m2!).filter((c) => c.role.corrupt === 0 && c.role.syncdest === 0)
  expect(usable.length, `seed ${seed}: a usable image`).toBeGreaterThan(0)
  const contents = usable.map((c) => {
    const bytes = new Uint8Array(BLOCKS * BLOCK_SIZE)
    u.raw[u.phys.indexOf(c.device)]!.read(DATA_START, bytes)
    return bytes
  })
  for (const bytes of contents.slice(1))
    expect(Buffer.compare(bytes, contents[0]!), `seed ${seed}: usable images identical`).toBe(0)
  const first = contents[0]!
  for (let b = 0; b < BLOCKS; b++) {
    const v = valueAt(first, b)
    const allowed = [durable[b]!, ...pending[b]!]
    expect(allowed, `seed ${seed}: block ${b} holds ${v}`).toContain(v)
  }
  const fd2 = u.vdm.open(m2!)
  expect(fd2, `seed ${seed}: mirror opens`).toBeGreaterThan(0)
  const through = new Uint8Array(BLOCKS * BLOCK_SIZE)
  expect(u.vdm.read(fd2, 0, through)).toBe(0)
  expect(Buffer.compare(through, first)).toBe(0)
}

describe('power cuts during writes, synchronizations and fractures (vdmmirr(7) DESCRIPTION, automaticsync)', () => {
  for (let from = 1; from <= SEEDS; from += PER_TEST) {
    const to = Math.min(SEEDS, from + PER_TEST - 1)
    it(`seeds ${from}..${to}`, async () => {
      // Give the event loop a turn first, so vitest's worker RPC is never starved by a long run of tests.
      await new Promise((resolve) => setImmediate(resolve))
      for (let seed = from; seed <= to; seed++) runSeed(seed)
    })
  }
})
