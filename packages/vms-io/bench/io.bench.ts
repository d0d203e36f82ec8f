/**
 * `pnpm bench io`: $QIO round trips to the null device through the package API, and
 * disk throughput through the disk driver on a MemoryBlockDevice against reading and
 * writing the device directly. Device time is virtual and set to zero here, so the
 * figures are the I/O system's own cost: preprocessing, IRPs, the driver, postprocessing.
 */

// @vms/io does not depend on @vax-vms/block-device yet; the bench reaches it by path.
import { MemoryBlockDevice } from '@vax-vms/block-device'
import { SS } from '@vms/contracts'
import { diskDriver, IoFunction, type IoHost, IoSystem, nullDriver } from '@vms/io'

const SECONDS = Number(process.env.IO_BENCH_SECONDS ?? 1)
const memory = new Uint8Array(0x20000)

function host(): IoHost {
  return {
    readUser: (va, n) => memory.subarray(va, va + n),
    probeWrite: () => true,
    clearEventFlag: () => SS.WASCLR,
    setEventFlag: () => {},
    queueAst: () => {},
    writeProcess: (_pid, address, data) => memory.set(data, address),
    after: (_delay, then) => then(),
  }
}

/** A pool that hands out addresses from a free list, as nonpaged pool's lookaside lists do. */
function pool() {
  const free: number[] = []
  let next = 0x80000000
  return {
    allocate: () => {
      const address = free.pop()
      if (address !== undefined) return { status: SS.NORMAL, address }
      next += 256
      return { status: SS.NORMAL, address: next }
    },
    deallocate: (address: number) => void free.push(address),
  }
}

/** Runs `batch` (which does `n` operations) until SECONDS pass; operations per second. */
function rate(n: number, batch: () => void): number {
  const warm = performance.now() + 200
  while (performance.now() < warm) batch()
  let done = 0
  const start = performance.now()
  while (performance.now() - start < SECONDS * 1000) {
    batch()
    done += n
  }
  return done / ((performance.now() - start) / 1000)
}

function nullRoundTrips(withPool: boolean): number {
  const io = new IoSystem(host(), withPool ? { pool: pool() } : {})
  io.addUnit('NLA0', nullDriver(), ['NL'])
  const channel = io.assign(1, 'NL', 3).channel as number
  const args = {
    efn: 1,
    channel,
    func: IoFunction.WRITEVBLK,
    iosb: 0x100,
    astadr: 0,
    astprm: 0,
    p: [0, 64, 0, 0, 0, 0],
  }
  return rate(1000, () => {
    for (let i = 0; i < 1000; i++) {
      io.qio(1, 3, args)
      io.postprocess()
    }
  })
}

const BLOCKS = 8192 // a 4 MB device
const TRANSFER = 64 // blocks a request (32 KB)

function diskThroughput(write: boolean): number {
  const device = new MemoryBlockDevice(BLOCKS)
  const io = new IoSystem(host(), { pool: pool() })
  io.load(diskDriver({ latency: 0, perBlock: 0 }))
  io.connect('DKA0', 'DKDRIVER', { storage: device })
  io.mountForeign(1, 'DKA0')
  const channel = io.assign(1, 'DKA0', 3).channel as number
  const func = write ? IoFunction.WRITELBLK : IoFunction.READLBLK
  const requests = BLOCKS / TRANSFER
  const blocksPerSecond = rate(BLOCKS, () => {
    for (let r = 0; r < requests; r++) {
      const status = io.qio(1, 3, {
        efn: 1,
        channel,
        func,
        iosb: 0x100,
        astadr: 0,
        astprm: 0,
        p: [0x1000, TRANSFER * 512, r * TRANSFER, 0, 0, 0],
      })
      if (status !== SS.NORMAL) throw new Error(`$QIO: ${status}`)
      io.postprocess()
    }
  })
  return (blocksPerSecond * 512) / 1e6
}

function directThroughput(write: boolean): number {
  const device = new MemoryBlockDevice(BLOCKS)
  const buffer = new Uint8Array(TRANSFER * 512)
  const blocksPerSecond = rate(BLOCKS, () => {
    for (let block = 0; block < BLOCKS; block += TRANSFER) {
      if (write) device.write(block, buffer)
      else device.read(block, buffer)
    }
  })
  return (blocksPerSecond * 512) / 1e6
}

export default function main(): void {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(12)
  const rows: [string, string][] = [
    ['$QIO+IOC$IOPOST round trips/s, 64-byte writes to NL (no pool)', fmt(nullRoundTrips(false))],
    [
      '$QIO+IOC$IOPOST round trips/s, 64-byte writes to NL (IRPs from pool)',
      fmt(nullRoundTrips(true)),
    ],
  ]
  for (const write of [false, true]) {
    const through = diskThroughput(write)
    const direct = directThroughput(write)
    const verb = write ? 'writes' : 'reads'
    rows.push([`disk ${verb} through DKDRIVER, 32 KB transfers (MB/s)`, fmt(through)])
    rows.push([`disk ${verb} on the MemoryBlockDevice directly (MB/s)`, fmt(direct)])
    rows.push(['  through the driver / directly', `${(through / direct).toFixed(2)}x`.padStart(12)])
  }
  const width = Math.max(...rows.map(([k]) => k.length))
  console.log('@vms/io')
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`)
}
