import { describe, expect, it } from 'vitest'
import { LCK, LockMode } from './lck'
import { Harness } from './testing/harness'

const { NL, PR, PW, EX } = LockMode

describe('13.3.1 initiating a deadlock search', () => {
  it('starts only when a request has waited DEADLOCK_WAIT, from the oldest first', () => {
    const h = new Harness({ deadlockWait: 10 })
    h.enq('a1', 1, 'R1', EX)
    h.enq('b2', 2, 'R2', EX)
    h.lm.tick(3)
    h.enq('a2', 1, 'R2', EX) // due at 13
    h.lm.tick(5)
    h.enq('b1', 2, 'R1', EX) // due at 15: now a cycle
    h.take()
    h.lm.tick(12)
    expect(h.take()).toEqual([])
    h.lm.tick(13)
    // All deadlock priorities are 0: the lock that timed out is the victim.
    expect(h.take()).toEqual(['a2: SS$_DEADLOCK'])
    expect(h.stateOf('b1')).toBe('waiting for EX')
    expect(h.lm.deadlocks).toEqual({ conversion: 0, multipleResource: 1, searches: 1 })
  })

  it('uses the clock the caller supplies (now), and searches again DEADLOCK_WAIT later while a request still waits', () => {
    let time = 100
    const h = new Harness({ deadlockWait: 5, now: () => time })
    h.enq('a', 1, 'R', EX)
    h.enq('b', 2, 'R', EX) // due at 105
    expect(h.lm.snapshot().timeouts).toEqual([{ lockId: h.id('b'), duetime: 105 }])
    time = 106
    h.lm.tick(time)
    expect(h.lm.snapshot().timeouts).toEqual([{ lockId: h.id('b'), duetime: 111 }])
    expect(h.lm.deadlocks.searches).toBe(1)
  })

  it('LCK$M_NODLCKWT keeps a request off the timeout queue', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', EX)
    h.enq('b', 2, 'R', EX, LCK.M_NODLCKWT)
    expect(h.lm.snapshot().timeouts).toEqual([])
  })
})

describe('13.3.2.1 conversion deadlocks', () => {
  it('two PR locks converting to EX: the book’s example; the lower deadlock priority is the victim', () => {
    const h = new Harness()
    h.lm.setDeadlockPriority(1, 5)
    h.lm.setDeadlockPriority(2, 3)
    h.enq('a', 1, 'R', PR)
    h.enq('b', 2, 'R', PR)
    h.convert('a', EX)
    h.lm.tick(1)
    h.convert('b', EX)
    h.take()
    h.lm.tick(10) // a times out: nothing before it on the conversion queue; the multiple-resource search finds b
    expect(h.take()).toEqual(['b: SS$_DEADLOCK'])
    expect(h.stateOf('b')).toBe('PR granted') // a failed conversion keeps its granted mode
    expect(h.lm.deadlocks.multipleResource).toBe(1)
  })

  it('found by the conversion test when the search starts from the later conversion', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', PR)
    h.enq('b', 2, 'R', PR)
    h.convert('a', EX)
    h.convert('b', EX)
    h.take()
    expect(h.lm.searchFrom(h.id('b'))).toMatchObject({ kind: 'conversion' })
    expect(h.take()).toEqual(['b: SS$_DEADLOCK'])
    expect(h.lm.deadlocks.conversion).toBe(1)
  })

  it('no deadlock when the earlier conversion does not wait for the later one', () => {
    const h = new Harness()
    h.enq('x', 3, 'R', PR)
    h.enq('a', 1, 'R', PR)
    h.enq('b', 2, 'R', NL)
    h.convert('a', PW) // waits for x's PR
    h.convert('b', EX) // waits for x and a; a does not wait for b's NL
    h.take()
    h.lm.tick(100)
    expect(h.take()).toEqual([])
  })
})

describe('13.3.2.2 multiple resource deadlocks', () => {
  it('Figure 13-10: A waits on R1 held by C, D, G, B; D waits on R3 (E, F); B waits on R2 held by D and A', () => {
    const h = new Harness()
    const [A, B, C, D, E, F, G] = [1, 2, 3, 4, 5, 6, 7]
    h.enq('A2', A, 'R2', PR)
    h.enq('D2', D, 'R2', PR)
    h.enq('C1', C, 'R1', PR)
    h.enq('D1', D, 'R1', PR)
    h.enq('G1', G, 'R1', PR)
    h.enq('B1', B, 'R1', PR)
    h.enq('E3', E, 'R3', PR)
    h.enq('F3', F, 'R3', PR)
    h.enq('A1', A, 'R1', EX) // A waits for C, D, G, B on Resource 1
    h.lm.tick(1)
    h.enq('D3', D, 'R3', EX) // D waits for E, F
    h.enq('B2', B, 'R2', EX) // B waits for D and A: the cycle A -> B -> A
    h.take()
    h.lm.tick(10)
    expect(h.take()).toEqual(['A1: SS$_DEADLOCK'])
    expect(h.stateOf('B2')).toBe('waiting for EX')
  })

  it('the victim is the lowest deadlock priority on the cycle, not the lock that timed out', () => {
    const h = new Harness()
    for (const [pid, pri] of [
      [1, 9],
      [2, 4],
      [3, 7],
    ] as const)
      h.lm.setDeadlockPriority(pid, pri)
    h.enq('a', 1, 'A', EX)
    h.enq('b', 2, 'B', EX)
    h.enq('c', 3, 'C', EX)
    h.enq('ab', 1, 'B', EX)
    h.enq('bc', 2, 'C', EX)
    h.enq('ca', 3, 'A', EX)
    h.take()
    h.lm.tick(10)
    expect(h.take()).toEqual(['bc: SS$_DEADLOCK'])
  })

  it('a process that locks one resource twice deadlocks with itself', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', EX)
    h.enq('b', 1, 'R', EX)
    h.take()
    h.lm.tick(10)
    expect(h.take()).toEqual(['b: SS$_DEADLOCK'])
  })

  it('an NL request behind a waiting EX is found waiting in FIFO order (a cycle the mode test alone misses)', () => {
    const h = new Harness()
    h.enq('p', 1, 'R', PR)
    h.enq('q', 2, 'R', EX) // waits for p
    h.enq('pn', 1, 'R', NL) // waits behind q, which waits for its own owner
    h.take()
    h.lm.tick(10)
    expect(h.take()).toEqual(['q: SS$_DEADLOCK', 'pn: SS$_NORMAL NL'])
  })

  it('no deadlock is reported for a plain chain of waits', () => {
    const h = new Harness()
    h.enq('a', 1, 'A', EX)
    h.enq('b', 2, 'B', EX)
    h.enq('ba', 2, 'A', EX)
    h.enq('cb', 3, 'B', EX)
    h.take()
    for (let t = 10; t < 100; t += 10) h.lm.tick(t)
    expect(h.take()).toEqual([])
    expect(h.lm.deadlocks.searches).toBeGreaterThan(2)
  })

  it('LCK$M_NODLCKBLK: a lock that never counts as blocking hides the cycle', () => {
    const h = new Harness()
    h.enq('a', 1, 'A', EX, LCK.M_NODLCKBLK)
    h.enq('b', 2, 'B', EX)
    h.enq('ab', 1, 'B', EX)
    h.enq('ba', 2, 'A', EX)
    h.take()
    h.lm.tick(10)
    h.lm.tick(20)
    expect(h.take()).toEqual([])
  })

  it('a cycle of 10,000 owners is found without exhausting the host stack', () => {
    const h = new Harness({ lockIdTableMax: 30_000 })
    const n = 10_000
    for (let i = 0; i < n; i++) h.lm.addOwner(100 + i)
    for (let i = 0; i < n; i++)
      h.lm.enq({ pid: 100 + i, mode: EX, resource: `R${i}`, request: `h${i}` })
    h.lm.tick(1)
    for (let i = 1; i < n; i++)
      h.lm.enq({ pid: 100 + i, mode: EX, resource: `R${i - 1}`, request: `w${i}` })
    h.lm.tick(2)
    h.lm.enq({ pid: 100, mode: EX, resource: `R${n - 1}`, request: 'w0' })
    h.take()
    h.lm.tick(11) // w1 times out first
    expect(h.take()).toEqual(['w1: SS$_DEADLOCK'])
  })
})
