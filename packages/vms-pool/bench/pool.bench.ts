import { NonpagedPool, PoolMemory, VariableLengthList } from '@vms/pool'
import { Random } from '../../../tools/fuzz/random'
import { LinearFirstFitList } from './linear-first-fit'

/** Something that hands out and takes back variable-length blocks. */
interface Allocator {
  allocate(bytes: number): number
  deallocate(address: number, bytes: number): void
}

/** The repository's seeded generator (mulberry32), so every failure can be replayed. */
function random(seed: number): () => number {
  const rng = new Random(seed)
  return () => rng.next()
}

interface Workload {
  readonly name: string
  readonly live: number
  readonly size: (r: number) => number
  readonly subject: () => Allocator
}

/**
 * Fills the allocator to `live` blocks, then runs allocate+free pairs in steady state
 * (free a random live block, allocate a new one) until `pairs` are done or `seconds`
 * pass. Returns pairs per second and a checksum of every address handed out: equal
 * checksums over the same pairs mean both allocators chose the very same blocks.
 */
function steadyState(allocator: Allocator, w: Workload, pairs: number, seconds: number) {
  const next = random(w.live)
  const addresses: number[] = []
  const sizes: number[] = []
  for (let i = 0; i < w.live; i++) {
    const s = w.size(next())
    addresses.push(allocator.allocate(s))
    sizes.push(s)
  }
  let done = 0
  let checksum = 0
  const start = performance.now()
  const deadline = start + seconds * 1000
  while (done < pairs && performance.now() < deadline) {
    for (let k = 0; k < 64; k++, done++) {
      const i = Math.floor(next() * w.live)
      allocator.deallocate(addresses[i] as number, sizes[i] as number)
      const s = w.size(next())
      const a = allocator.allocate(s)
      if (a < 0) throw new Error(`${w.name}: pool exhausted`)
      addresses[i] = a
      sizes[i] = s
      checksum = (checksum * 31 + a) >>> 0
    }
  }
  return { rate: done / ((performance.now() - start) / 1000), checksum, done }
}

const ARENA = 32 * 1024 * 1024
const BASE = 0x80000000

function firstFitList(): Allocator {
  return new VariableLengthList(new PoolMemory(BASE, ARENA), {
    name: 'bench',
    start: BASE,
    initialSize: ARENA,
    maximumSize: ARENA,
  })
}

function nonpagedPool(): Allocator {
  const pool = new NonpagedPool({
    parameters: { SRPCOUNT: 12_000, SRPCOUNTV: 12_000, IRPCOUNT: 12_000, IRPCOUNTV: 12_000 },
  })
  return {
    allocate: (bytes) => {
      const r = pool.allocate(bytes)
      return r.status === 1 ? r.address : -1
    },
    deallocate: (address) => pool.deallocate(address),
  }
}

const WORKLOADS: Workload[] = [
  {
    name: 'lookaside-sized 16-208 B (NonpagedPool), 10,000 live',
    live: 10_000,
    size: (r) => 16 + Math.floor(r * 193),
    subject: nonpagedPool,
  },
  {
    name: 'mixed variable 16-4096 B (first fit), 1,000 live',
    live: 1_000,
    size: (r) => 16 + Math.floor(r * r * 4080),
    subject: firstFitList,
  },
  {
    name: 'mixed variable 16-4096 B (first fit), 10,000 live',
    live: 10_000,
    size: (r) => 16 + Math.floor(r * r * 4080),
    subject: firstFitList,
  },
]

const num = (n: number, width = 12) => Math.round(n).toLocaleString('en-US').padStart(width)

/** `pnpm bench`: allocate+free pairs per second against a plain linear first-fit list. */
export default function runPoolBenchmarks(seconds = 1): void {
  console.log(
    '@vms/pool: allocate+free pairs per second, steady state (linear = walk the free list)',
  )
  console.log(
    `  ${'workload'.padEnd(54)}${'@vms/pool'.padStart(12)}${'linear'.padStart(12)}${'ratio'.padStart(8)}  same blocks`,
  )
  for (const w of WORKLOADS) {
    const ours = steadyState(w.subject(), w, Number.POSITIVE_INFINITY, seconds)
    const linear = steadyState(
      new LinearFirstFitList(BASE, ARENA),
      w,
      Number.POSITIVE_INFINITY,
      seconds,
    )
    // Same blocks: replay a fixed number of pairs on fresh allocators and compare.
    let same = 'n/a (lookaside)'
    if (w.subject === firstFitList) {
      const pairs = 20_000
      const a = steadyState(firstFitList(), w, pairs, 60)
      const b = steadyState(new LinearFirstFitList(BASE, ARENA), w, pairs, 60)
      same = a.checksum === b.checksum && a.done === b.done ? 'yes' : 'NO'
    }
    console.log(
      `  ${w.name.padEnd(54)}${num(ours.rate)}${num(linear.rate)}${`${(ours.rate / linear.rate).toFixed(1)}x`.padStart(8)}  ${same}`,
    )
  }
}
