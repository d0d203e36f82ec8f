/**
 * The randomized model test: many owners make random $ENQ, conversion, $DEQ, cancel and
 * rundown calls on a few resources while the clock moves. After every step the lock
 * database is checked against the book's rules, independently of the implementation:
 *
 * - every pair of locks holding granted modes on a resource is compatible (13.1.3);
 * - no request that could be granted is left waiting: the head of the conversion queue
 *   is incompatible with the other granted modes, and the head of the waiting queue,
 *   when no conversion waits, is incompatible with them all (13.2.2, 13.2.3);
 * - queues are FIFO: each in the order its requests were made;
 * - every wait-for cycle is broken within DEADLOCK_WAIT of forming (13.3);
 * - the resource value block is what the last PW or EX writer left, every grant that
 *   reads it returns it, and after a rundown it reads as SS$_VALNOTVALID until written.
 */
import { SS } from '@vms/contracts'
import fc from 'fast-check'
import { expect } from 'vitest'
import { compatible, LCK } from '../lck'
import { LockManager } from '../lock-manager'
import type { LockDatabaseSnapshot, LockSnapshot } from '../snapshot'

export const OWNERS = 5
export const RESOURCES = ['A', 'B', 'C']
export const WAIT = 4

export type Op =
  | { kind: 'enq'; owner: number; resource: number; mode: number; flags: number }
  | { kind: 'convert'; owner: number; pick: number; mode: number; flags: number; value: number }
  | { kind: 'deq'; owner: number; pick: number; value: number; waitingOnly: boolean }
  | { kind: 'tick' }
  | { kind: 'rundown'; owner: number }

const flagsArb = fc.constantFrom(
  0,
  LCK.M_NOQUEUE,
  LCK.M_VALBLK,
  LCK.M_SYNCSTS,
  LCK.M_VALBLK | LCK.M_SYNCSTS,
  LCK.M_QUECVT,
)
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('enq' as const),
      owner: fc.nat(OWNERS - 1),
      resource: fc.nat(RESOURCES.length - 1),
      mode: fc.nat(5),
      flags: flagsArb,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('convert' as const),
      owner: fc.nat(OWNERS - 1),
      pick: fc.nat(20),
      mode: fc.nat(5),
      flags: flagsArb,
      value: fc.nat(255),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('deq' as const),
      owner: fc.nat(OWNERS - 1),
      pick: fc.nat(20),
      value: fc.nat(255),
      waitingOnly: fc.boolean(),
    }),
  },
  { weight: 4, arbitrary: fc.constant({ kind: 'tick' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('rundown' as const), owner: fc.nat(OWNERS - 1) }),
  },
)

interface Grant {
  readonly lockId: number
  readonly valueBlock: Uint8Array | undefined
  readonly status: number
}

export class Model {
  readonly lm: LockManager<number>
  time = 0
  /** Order in which requests joined the conversion or waiting queue. */
  readonly arrival = new Map<number, number>()
  private arrivals = 0
  /** When each waiting lock was first seen on a cycle (key: lock ID and arrival). */
  readonly onCycleSince = new Map<string, number>()
  /** The model's value block of each resource name, and whether it is valid. */
  readonly values = new Map<string, { block: number[]; valid: boolean }>()
  readonly grants: Grant[] = []

  /** `priorities`: each owner's deadlock priority (all 0, as VMS starts them, by default). */
  constructor(readonly priorities: readonly number[] = []) {
    this.lm = new LockManager<number>({
      notify: {
        completion: (e) => {
          if (e.granted)
            this.grants.push({ lockId: e.lockId, valueBlock: e.valueBlock, status: e.status })
        },
        blocking: () => {},
      },
      deadlockWait: WAIT,
      now: () => this.time,
    })
    for (let o = 0; o < OWNERS; o++) this.addOwner(o)
  }

  private addOwner(o: number): void {
    this.lm.addOwner(o + 1, { group: 1, deadlockPriority: this.priorities[o] ?? 0 })
  }

  locksOf(
    owner: number,
    s: LockDatabaseSnapshot,
    filter: (l: LockSnapshot) => boolean,
  ): LockSnapshot[] {
    return s.locks.filter((l) => l.pid === owner + 1 && filter(l))
  }

  apply(op: Op): void {
    const before = this.lm.snapshot()
    this.grants.length = 0
    switch (op.kind) {
      case 'enq': {
        const name = RESOURCES[op.resource] as string
        const rsb = before.resources.find((r) => r.name === name)
        const grantable =
          rsb === undefined ||
          (rsb.converting.length === 0 &&
            rsb.waiting.length === 0 &&
            holders(before, rsb.serial).every((l) => compatible(l.grmode, op.mode)))
        const r = this.lm.enq({
          pid: op.owner + 1,
          mode: op.mode,
          flags: op.flags,
          resource: name,
          request: 0,
        })
        if ((op.flags & LCK.M_NOQUEUE) !== 0 && !grantable) expect(r.status).toBe(SS.NOTQUEUED)
        else if (grantable) {
          expect(r.status).toBe((op.flags & LCK.M_SYNCSTS) !== 0 ? SS.SYNCH : SS.NORMAL)
          if (r.status === SS.SYNCH)
            this.grants.push({ lockId: r.lockId, valueBlock: r.valueBlock, status: r.lksbStatus })
        } else {
          expect(r.status).toBe(SS.NORMAL)
          this.arrival.set(r.lockId, ++this.arrivals)
        }
        break
      }
      case 'convert': {
        const mine = this.locksOf(op.owner, before, (l) => l.state === 1)
        const lock = mine[op.pick % Math.max(1, mine.length)]
        if (lock === undefined) break
        const block = new Uint8Array(16).fill(op.value)
        const name = (before.resources.find((r) => r.serial === lock.resource) as { name: string })
          .name
        const writes = (op.flags & LCK.M_VALBLK) !== 0 && lock.grmode >= 4 && op.mode <= lock.grmode
        const r = this.lm.enq({
          pid: op.owner + 1,
          mode: op.mode,
          flags: op.flags | LCK.M_CONVERT,
          lockId: lock.lockId,
          valueBlock: block,
          request: 0,
        })
        expect([SS.NORMAL, SS.SYNCH, SS.NOTQUEUED]).toContain(r.status)
        if (r.status === SS.NOTQUEUED) break
        if (writes) this.values.set(name, { block: [...block], valid: true })
        if (r.status === SS.SYNCH)
          this.grants.push({ lockId: r.lockId, valueBlock: r.valueBlock, status: r.lksbStatus })
        const after = this.lm.snapshot().locks.find((l) => l.lockId === lock.lockId)
        if (after?.state === 0) this.arrival.set(lock.lockId, ++this.arrivals)
        break
      }
      case 'deq': {
        const mine = this.locksOf(op.owner, before, (l) => !op.waitingOnly || l.state !== 1)
        const lock = mine[op.pick % Math.max(1, mine.length)]
        if (lock === undefined) break
        const block = new Uint8Array(16).fill(op.value)
        const name = (before.resources.find((r) => r.serial === lock.resource) as { name: string })
          .name
        expect(this.lm.deq({ pid: op.owner + 1, lockId: lock.lockId, valueBlock: block })).toBe(
          SS.NORMAL,
        )
        if (lock.state !== -1 && lock.grmode >= 4)
          this.values.set(name, { block: [...block], valid: true })
        break
      }
      case 'tick':
        this.time++
        this.lm.tick(this.time)
        break
      case 'rundown': {
        for (const l of this.locksOf(op.owner, before, (l) => l.state !== -1 && l.grmode >= 4)) {
          const name = (before.resources.find((r) => r.serial === l.resource) as { name: string })
            .name
          const v = this.values.get(name) ?? { block: new Array(16).fill(0), valid: true }
          this.values.set(name, { block: v.block, valid: false })
        }
        expect(this.lm.removeOwner(op.owner + 1)).toBe(SS.NORMAL)
        this.addOwner(op.owner)
        break
      }
    }
    this.check()
  }

  check(): void {
    const s = this.lm.snapshot()
    const byId = new Map(s.locks.map((l) => [l.lockId, l]))
    const present = new Set(s.resources.map((r) => r.name))
    for (const name of [...this.values.keys()]) if (!present.has(name)) this.values.delete(name)
    for (const rsb of s.resources) {
      const held = holders(s, rsb.serial)
      // Granted modes are compatible, pair by pair.
      for (const a of held)
        for (const b of held) if (a !== b) expect(compatible(a.grmode, b.grmode)).toBe(true)
      expect(rsb.ggmode).toBe(Math.max(0, ...held.map((l) => l.grmode)))
      // Nothing grantable is left waiting.
      const head = rsb.converting[0]
      if (head !== undefined) {
        const h = byId.get(head) as LockSnapshot
        const others = held.filter((l) => l.lockId !== head)
        expect(others.every((l) => compatible(l.grmode, h.rqmode))).toBe(false)
      } else if (rsb.waiting[0] !== undefined) {
        const w = byId.get(rsb.waiting[0]) as LockSnapshot
        expect(held.every((l) => compatible(l.grmode, w.rqmode))).toBe(false)
      }
      // FIFO.
      for (const q of [rsb.converting, rsb.waiting]) {
        const order = q.map((id) => this.arrival.get(id) ?? 0)
        expect(order).toEqual([...order].sort((x, y) => x - y))
      }
      // Value blocks.
      const v = this.values.get(rsb.name) ?? { block: new Array(16).fill(0), valid: true }
      expect(rsb.valueBlock).toEqual(v.block)
      expect(rsb.valueBlockValid).toBe(v.valid)
    }
    for (const g of this.grants) {
      const l = byId.get(g.lockId)
      if (l === undefined || g.valueBlock === undefined) continue
      const name = (s.resources.find((r) => r.serial === l.resource) as { name: string }).name
      const v = this.values.get(name) ?? { block: new Array(16).fill(0), valid: true }
      expect([...g.valueBlock]).toEqual(v.block)
      expect(g.status).toBe(v.valid ? SS.NORMAL : SS.VALNOTVALID)
    }
    // Every wait-for cycle is broken within the deadlock wait: with equal priorities the
    // request whose search finds a cycle is itself the victim, so no request stays on a
    // cycle past its next search. (With other priorities, see the quiescence check.)
    if (this.priorities.some((p) => p !== 0)) return
    const onCycle = locksOnCycles(s)
    const seen = new Set<string>()
    for (const l of onCycle) {
      const key = `${l.lockId}:${this.arrival.get(l.lockId)}`
      seen.add(key)
      const since = this.onCycleSince.get(key) ?? this.time
      this.onCycleSince.set(key, since)
      expect(this.time - since).toBeLessThan(WAIT + 1)
    }
    for (const key of [...this.onCycleSince.keys()])
      if (!seen.has(key)) this.onCycleSince.delete(key)
  }
}

/** Locks holding a granted mode on a resource: the granted and conversion queues. */
function holders(s: LockDatabaseSnapshot, serial: number): LockSnapshot[] {
  return s.locks.filter((l) => l.resource === serial && l.state !== -1)
}

/**
 * The waiting locks on a wait-for cycle, by brute force over the snapshot: a waiting lock
 * waits for the owners of the locks whose granted modes block it and for the request
 * ahead of it in FIFO order; an owner waits on each of its waiting locks.
 */
export function locksOnCycles(s: LockDatabaseSnapshot): LockSnapshot[] {
  const byId = new Map(s.locks.map((l) => [l.lockId, l]))
  const next = (node: string): string[] => {
    if (node.startsWith('o'))
      return s.locks.filter((l) => `o${l.pid}` === node && l.state !== 1).map((l) => `l${l.lockId}`)
    const w = byId.get(Number(node.slice(1))) as LockSnapshot
    const rsb = s.resources.find((r) => r.serial === w.resource)
    if (rsb === undefined) return []
    const out = holders(s, w.resource)
      .filter((l) => l.lockId !== w.lockId && !compatible(l.grmode, w.rqmode))
      .map((l) => `o${l.pid}`)
    const queue = [...rsb.converting, ...rsb.waiting]
    const at = queue.indexOf(w.lockId)
    if (at > 0) out.push(`l${queue[at - 1]}`)
    return out
  }
  return s.locks.filter((l) => {
    if (l.state === 1) return false
    const start = `l${l.lockId}`
    const seen = new Set<string>()
    const todo = next(start)
    while (todo.length > 0) {
      const n = todo.pop() as string
      if (n === start) return true
      if (seen.has(n)) continue
      seen.add(n)
      todo.push(...next(n))
    }
    return false
  })
}
