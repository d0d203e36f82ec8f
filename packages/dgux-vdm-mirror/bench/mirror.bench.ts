/**
 * `pnpm bench mirror`: the mirror over image files in os.tmpdir(), against the host.
 *
 *   1. full synchronization of a mirror of VDM_BENCH_MIB MiB (default 1024) against
 *      fs.copyFile of the same image, in the same run (goal: at least 0.8 of it);
 *   2. resynchronization after a fracture with 1% of the blocks changed: blocks copied
 *      against those blocks rounded up to the change granularity;
 *   3. sequential write and read throughput of a two-image mirror against one plain
 *      file-backed device.
 *
 *   VDM_BENCH_MIB=64 pnpm bench mirror     a quick run
 */
import { closeSync, copyFileSync, fdatasyncSync, mkdtempSync, openSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  DATA_START,
  type Devt,
  DGVDMLINKCHILDINSTANCE,
  DGVDMMIRRFRACTUREIMAGE,
  DGVDMMIRRSUBDRIVERID,
  DGVDMMIRRSYNCIMAGES,
  ORDWR,
  Vdm,
  vdmcreateinstance,
  vdminitpacket,
  vdmioctlsubdriver,
  vdmmirrinitpacket,
  vdmphyscreateinstance,
} from '@dgux/vdm-mirror'
import { BLOCK_SIZE, FileBlockDevice } from '@vax-vms/block-device'
import { Random } from '../../../tools/fuzz/random'

const MIB = Number(process.env.VDM_BENCH_MIB ?? 1024)
const BLOCKS = (MIB * 1024 * 1024) / BLOCK_SIZE
const CHUNK = 2048 // 1 MiB per I/O of the workloads
/** Optional overrides of the VDM's synchronization step and write-intent region, in blocks. */
const SYNC_CHUNK = process.env.VDM_BENCH_SYNC_CHUNK
  ? Number(process.env.VDM_BENCH_SYNC_CHUNK)
  : undefined
const REGION = process.env.VDM_BENCH_REGION ? Number(process.env.VDM_BENCH_REGION) : undefined

function seconds(f: () => void): number {
  const t = performance.now()
  f()
  return (performance.now() - t) / 1000
}

/** The better of two runs (the first also warms the JIT and the page cache). */
function best(f: () => void): number {
  return Math.min(seconds(f), seconds(f))
}

function rate(bytes: number, s: number): string {
  return `${(bytes / 1024 ** 2 / s).toFixed(0)} MiB/s`
}

function fill(bytes: Uint8Array, seed: number): void {
  const view = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4)
  let x = seed | 1
  for (let i = 0; i < view.length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    view[i] = x
  }
}

interface Rig {
  vdm: Vdm
  devices: FileBlockDevice[]
  phys: Devt[]
  mirror: Devt
}

/** A VDM over new image files, with a one-image mirror on the first (usable at once). */
function rig(dir: string, names: string[]): Rig {
  const vdm = new Vdm({
    console: () => {},
    ...(SYNC_CHUNK === undefined ? {} : { syncChunkBlocks: SYNC_CHUNK }),
    ...(REGION === undefined ? {} : { regionBlocks: REGION }),
  })
  const devices = names.map((n) => FileBlockDevice.create(join(dir, n), DATA_START + BLOCKS))
  const phys = devices.map((d, i) => {
    vdm.attachDisk(names[i]!, d)
    return vdmphyscreateinstance(vdm, `d${i}`, names[i]!, ORDWR)
  })
  const c = vdmmirrinitpacket('create')
  Object.assign(c, {
    automaticsync: 1,
    minimumimagesrequiredtouse: -1,
    maximumimagesmissingtouse: -1,
    numberofimages: 1,
  })
  c.imagedevicenumbers[0] = phys[0]!
  const mirror = vdmcreateinstance(vdm, 'bench', DGVDMMIRRSUBDRIVERID, c)
  return { vdm, devices, phys, mirror }
}

function link(r: Rig, image: Devt): void {
  const p = vdminitpacket('link')
  p.parentdevicenumber = r.mirror
  p.childdevicenumber = image
  if (r.vdm.vdmioctl(DGVDMLINKCHILDINSTANCE, p) !== 0) throw new Error(r.vdm.errorMessage)
}

function sync(r: Rig, source: Devt, dest: Devt): void {
  const p = vdmmirrinitpacket('syncimages')
  p.sourceimage = source
  p.numberofdestinations = 1
  p.destimages[0] = dest
  if (vdmioctlsubdriver(r.vdm, DGVDMMIRRSUBDRIVERID, r.mirror, DGVDMMIRRSYNCIMAGES, p) !== 0)
    throw new Error(r.vdm.errorMessage)
  r.vdm.syncAll()
}

/** Writes the whole device sequentially in 1 MiB transfers, then flushes. */
function writeAll(write: (block: number, data: Uint8Array) => void, flush: () => void): void {
  const data = new Uint8Array(CHUNK * BLOCK_SIZE)
  for (let b = 0; b < BLOCKS; b += CHUNK) {
    fill(data, b + 1)
    write(b, data.subarray(0, Math.min(CHUNK, BLOCKS - b) * BLOCK_SIZE))
  }
  flush()
}

function readAll(read: (block: number, data: Uint8Array) => void): void {
  const data = new Uint8Array(CHUNK * BLOCK_SIZE)
  for (let b = 0; b < BLOCKS; b += CHUNK)
    read(b, data.subarray(0, Math.min(CHUNK, BLOCKS - b) * BLOCK_SIZE))
}

export default function bench(): void {
  const dir = mkdtempSync(join(tmpdir(), 'vdm-bench-'))
  const bytes = BLOCKS * BLOCK_SIZE
  const rows: [string, string, string][] = []
  try {
    // 1. Fill image a through a one-image mirror, link b, synchronize a → b; copyFile a.
    const r = rig(dir, ['a.img', 'b.img'])
    const fd = r.vdm.open(r.mirror)
    const dev = r.vdm.blockDevice(fd)
    writeAll(
      (b, d) => dev.write(b, d),
      () => dev.flush(),
    )
    link(r, r.phys[1]!)
    const corrupt = () => {
      const f = vdmmirrinitpacket('fractureimage')
      f.imagedevicenumber = r.phys[1]!
      if (r.vdm.ioctl(fd, DGVDMMIRRFRACTUREIMAGE, f) !== 0) throw new Error(r.vdm.errorMessage)
    }
    const first = seconds(() => sync(r, r.phys[0]!, r.phys[1]!))
    corrupt()
    const syncTime = Math.min(
      first,
      seconds(() => sync(r, r.phys[0]!, r.phys[1]!)),
    )
    const copyTime = best(() => copyFileSync(join(dir, 'a.img'), join(dir, 'copy.img')))
    // The synchronization makes its copy durable before the image is usable; so does this one.
    const durableCopyTime = best(() => {
      copyFileSync(join(dir, 'a.img'), join(dir, 'copy.img'))
      const copy = openSync(join(dir, 'copy.img'), 'r+')
      fdatasyncSync(copy)
      closeSync(copy)
    })
    rmSync(join(dir, 'copy.img'))
    rows.push([
      `full sync, ${MIB} MiB`,
      rate(bytes, syncTime),
      `${(copyTime / syncTime).toFixed(2)} of fs.copyFile (${rate(bytes, copyTime)})`,
    ])
    rows.push([
      '',
      '',
      `${(durableCopyTime / syncTime).toFixed(2)} of fs.copyFile + fdatasync (${rate(bytes, durableCopyTime)})`,
    ])

    // 3. The two-image mirror against one plain file-backed device: sequential write and read.
    const plain = FileBlockDevice.create(join(dir, 'plain.img'), BLOCKS)
    const plainWrite = best(() =>
      writeAll(
        (b, d) => plain.write(b, d),
        () => plain.flush(),
      ),
    )
    const plainRead = best(() => readAll((b, d) => plain.read(b, d)))
    plain.close()
    rmSync(join(dir, 'plain.img'))
    const mirrorWrite = best(() =>
      writeAll(
        (b, d) => dev.write(b, d),
        () => dev.flush(),
      ),
    )
    const mirrorRead = best(() => readAll((b, d) => dev.read(b, d)))
    rows.push([
      'write, 2-image mirror',
      rate(bytes, mirrorWrite),
      `${(plainWrite / mirrorWrite).toFixed(2)} of one file (${rate(bytes, plainWrite)})`,
    ])
    rows.push([
      'read, 2-image mirror',
      rate(bytes, mirrorRead),
      `${(plainRead / mirrorRead).toFixed(2)} of one file (${rate(bytes, plainRead)})`,
    ])

    // 2. Fracture b with granularity 16, change 1% of the blocks, resynchronize.
    const granularity = 16
    const f = vdmmirrinitpacket('fractureimage')
    f.imagedevicenumber = r.phys[1]!
    f.changegranularity = granularity
    if (r.vdm.ioctl(fd, DGVDMMIRRFRACTUREIMAGE, f) !== 0) throw new Error(r.vdm.errorMessage)
    const rng = new Random(1)
    const changed = new Set<number>()
    const one = new Uint8Array(BLOCK_SIZE)
    while (changed.size < Math.ceil(BLOCKS / 100)) {
      const b = rng.int(0, BLOCKS - 1)
      changed.add(b)
      fill(one, b)
      dev.write(b, one)
    }
    dev.flush()
    const groups = new Set([...changed].map((b) => Math.floor(b / granularity)))
    const bound = groups.size * granularity
    const mirror = r.vdm.mirror(r.mirror)!
    const before = mirror.syncBlocksCopied
    const resyncTime = seconds(() => sync(r, r.phys[0]!, r.phys[1]!))
    const copied = mirror.syncBlocksCopied - before
    rows.push([
      `resync after fracture, 1% changed (${changed.size} blocks)`,
      `${copied} blocks in ${resyncTime.toFixed(2)} s`,
      `bound ${bound} (= ${groups.size} groups of ${granularity}): ${copied <= bound ? 'within' : 'OVER'}`,
    ])
    dev.close()
    for (const d of r.devices) d.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  console.log(`@dgux/vdm-mirror: image files in ${tmpdir()} (VDM_BENCH_MIB=${MIB})`)
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((row) => row[i]!.length)))
  for (const row of rows) console.log(row.map((c, i) => c.padEnd(w[i]!)).join('  '))
}
