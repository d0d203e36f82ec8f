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
 *
 * Longer runs: LOCK_MODEL_RUNS=200 pnpm exec vitest run packages/vms-lock/src/model.test.ts
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { locksOnCycles, Model, OWNERS, opArb, RESOURCES, WAIT } from './testing/model'

const STEPS = 120
const RUNS = Number(process.env.LOCK_MODEL_RUNS ?? 4)

describe('randomized model test (every step checked against the rules of ch. 13)', () => {
  for (
    let chunk = Number(process.env.LOCK_MODEL_FIRST ?? 0);
    chunk < Number(process.env.LOCK_MODEL_CHUNKS ?? 24);
    chunk++
  )
    it(`seeds ${chunk * 1000}..: ${RUNS} runs of ${STEPS} operations by ${OWNERS} owners on ${RESOURCES.length} resources`, () => {
      fc.assert(
        fc.property(
          fc.array(opArb, {
            minLength: process.env.LOCK_MODEL_SHRINK === undefined ? STEPS : 1,
            maxLength: STEPS,
          }),
          (ops) => {
            const m = new Model()
            for (const op of ops) m.apply(op)
            // Quiescence: with nothing new, time alone breaks every cycle.
            for (let i = 0; i < 3 * WAIT; i++) m.apply({ kind: 'tick' })
            expect(locksOnCycles(m.lm.snapshot())).toEqual([])
          },
        ),
        {
          seed: chunk * 1000,
          numRuns: RUNS,
          endOnFailure: process.env.LOCK_MODEL_SHRINK === undefined,
        },
      )
    })

  for (let chunk = 0; chunk < Number(process.env.LOCK_MODEL_CHUNKS ?? 24) / 3; chunk++)
    it(`seeds ${chunk * 1000 + 500}..: owners with different deadlock priorities; every cycle is broken in time`, () => {
      fc.assert(
        fc.property(
          fc.array(opArb, { minLength: STEPS, maxLength: STEPS }),
          fc.array(fc.nat(3), { minLength: OWNERS, maxLength: OWNERS }),
          (ops, priorities) => {
            const m = new Model(priorities)
            for (const op of ops) m.apply(op)
            for (let i = 0; i < 20 * WAIT && locksOnCycles(m.lm.snapshot()).length > 0; i++)
              m.apply({ kind: 'tick' })
            expect(locksOnCycles(m.lm.snapshot())).toEqual([])
          },
        ),
        {
          seed: chunk * 1000 + 500,
          numRuns: RUNS,
          endOnFailure: process.env.LOCK_MODEL_SHRINK === undefined,
        },
      )
    })
})
