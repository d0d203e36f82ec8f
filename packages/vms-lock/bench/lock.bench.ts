/**
 * `pnpm bench lock`: the lock manager's rates. For scale, the Linux DLM's published
 * figures on a 700 MHz Pentium III are about 31,000 new local locks and 161,000 local
 * conversions per second.
 */
import { LCK, LockManager, LockSpace } from '@vms/lock'

const SYNC = LCK.M_SYNCSTS
const SECONDS = Number(process.env.LOCK_BENCH_SECONDS ?? 1)

function quiet(): LockManager<number> {
  return new LockManager<number>({
    notify: { completion: () => {}, blocking: () => {} },
    lockIdTableMax: 1_000_000,
  })
}

/** Runs `batch` (which does `n` operations) until `SECONDS` pass; operations per second. */
function rate(n: number, batch: () => void): number {
  const warm = performance.now() + 200
  while (performance.now() < warm) batch()
  let done = 0
  const start = performance.now()
  const end = start + SECONDS * 1000
  while (performance.now() < end) {
    batch()
    done += n
  }
  return done / ((performance.now() - start) / 1000)
}

function uncontendedCore(names: readonly string[]): number {
  const lm = quiet()
  lm.addOwner(1, { enqlm: 1_000_000 })
  const n = Math.max(names.length, 1000)
  return rate(n, () => {
    for (let i = 0; i < n; i++) {
      const resource = names[i % names.length] as string
      const r = lm.enq({ pid: 1, mode: 5, flags: SYNC, resource, request: 0 })
      lm.deq({ pid: 1, lockId: r.lockId })
    }
  })
}

function uncontendedStandalone(names: readonly string[]): number {
  const space = new LockSpace()
  const owner = space.owner()
  return rate(names.length, () => {
    for (const resource of names) owner.enqNow(resource, 'EX').release()
  })
}

function conversions(): number {
  const lm = quiet()
  lm.addOwner(1)
  lm.addOwner(2)
  lm.enq({ pid: 2, mode: 1, flags: SYNC, resource: 'shared', request: 0 })
  const id = lm.enq({ pid: 1, mode: 0, flags: SYNC, resource: 'shared', request: 0 }).lockId
  return rate(1000, () => {
    for (let i = 0; i < 500; i++) {
      lm.enq({ pid: 1, mode: 4, flags: SYNC | LCK.M_CONVERT, lockId: id, request: 0 })
      lm.enq({ pid: 1, mode: 0, flags: SYNC | LCK.M_CONVERT, lockId: id, request: 0 })
    }
  })
}

/**
 * 64 owners on 8 resources, each holding at most one lock and taking turns: request a
 * random mode (which often waits), release when granted. Counts $ENQ and $DEQ calls;
 * completions come through the notifier as they would as ASTs.
 */
function contended(): { rate: number; waitedShare: number } {
  const owners = 64
  const held: number[] = new Array(owners + 1).fill(0)
  let waited = 0
  let requests = 0
  let seed = 12345
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) >>> 0
    return seed % n
  }
  const lm = new LockManager<number>({
    notify: { completion: () => {}, blocking: () => {} },
  })
  for (let p = 1; p <= owners; p++) lm.addOwner(p)
  const r = rate(1000, () => {
    for (let i = 0; i < 500; i++) {
      const p = 1 + random(owners)
      if (held[p] !== 0) {
        lm.deq({ pid: p, lockId: held[p] as number })
        held[p] = 0
      } else {
        const result = lm.enq({
          pid: p,
          mode: random(6),
          flags: SYNC,
          resource: `R${random(8)}`,
          request: p,
        })
        requests++
        if (result.status !== 0x689) waited++
        held[p] = result.lockId
      }
    }
  })
  return { rate: r, waitedShare: waited / requests }
}

/**
 * A cycle of `n` owners: owner i holds resource i and waits for resource i-1; owner 0
 * waits for resource n-1. The search starts from one request and walks the whole cycle.
 */
function deadlockSearch(n: number): { ms: number; found: boolean } {
  const lm = new LockManager<number>({
    notify: { completion: () => {}, blocking: () => {} },
    lockIdTableMax: 4 * n + 10,
  })
  for (let i = 0; i < n; i++) lm.addOwner(i)
  for (let i = 0; i < n; i++)
    lm.enq({ pid: i, mode: 5, flags: SYNC, resource: `R${i}`, request: 0 })
  const waiting: number[] = []
  for (let i = 1; i < n; i++)
    waiting.push(lm.enq({ pid: i, mode: 5, resource: `R${i - 1}`, request: 0 }).lockId)
  const start = lm.enq({ pid: 0, mode: 5, resource: `R${n - 1}`, request: 0 }).lockId
  // Time the search only: an equal graph is rebuilt for each repetition.
  const t0 = performance.now()
  const found = lm.searchFrom(start)
  const ms = performance.now() - t0
  return { ms, found: found !== undefined && waiting.length === n - 1 }
}

function best(
  f: () => { ms: number; found: boolean },
  times: number,
): { ms: number; found: boolean } {
  let result = f()
  for (let i = 1; i < times; i++) {
    const r = f()
    if (r.ms < result.ms) result = r
  }
  return result
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(12)
}

export default function main(): void {
  const one = ['RESOURCE']
  const many = Array.from({ length: 1000 }, (_, i) => `FILE_${i}`)
  const rows: [string, string][] = []
  rows.push([
    'uncontended $ENQ+$DEQ pairs/s, one resource (system-service form)',
    fmt(uncontendedCore(one)),
  ])
  rows.push([
    'uncontended $ENQ+$DEQ pairs/s, 1,000 resources (system-service form)',
    fmt(uncontendedCore(many)),
  ])
  rows.push([
    'uncontended enqNow+release pairs/s (standalone LockSpace)',
    fmt(uncontendedStandalone(many)),
  ])
  rows.push(['conversions/s (NL <-> PW beside a CR holder)', fmt(conversions())])
  const c = contended()
  rows.push([
    `contended $ENQ/$DEQ calls/s (64 owners, 8 resources, random modes; ${Math.round(c.waitedShare * 100)}% wait)`,
    fmt(c.rate),
  ])
  for (let i = 0; i < 5; i++) deadlockSearch(2_000) // warm the search up
  for (const n of [1_000, 10_000]) {
    const d = best(() => deadlockSearch(n), 5)
    if (!d.found) throw new Error('deadlock not found')
    rows.push([
      `deadlock search over a cycle of ${n.toLocaleString('en-US')} waiting locks (ms)`,
      d.ms.toFixed(2).padStart(12),
    ])
  }
  const width = Math.max(...rows.map(([k]) => k.length))
  console.log('@vms/lock')
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`)
}
