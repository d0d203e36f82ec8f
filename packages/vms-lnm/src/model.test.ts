/**
 * The randomized model test: random $CRELNM and $DELLNM calls, at random modes, with
 * NO_ALIAS sometimes, by two processes of one job on the process and job tables; after
 * each step $TRNLNM at every mode must agree with a model of the rules of book 28.2
 * and 28.8 kept as a plain map, and the pool must hold exactly one block per name.
 */
import { SS, type Status } from '@vms/contracts'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LNM } from './lnm'
import { Machine } from './testing/harness'

const PIDS = [0x101, 0x102]
const NAMES = ['A', 'B', 'a']
const TABLES = ['LNM$PROCESS', 'LNM$JOB']

type Op =
  | {
      kind: 'create'
      who: number
      table: number
      name: number
      mode: number
      values: string[]
      noAlias: boolean
    }
  | { kind: 'delete'; who: number; table: number; name: number; mode: number }
  | { kind: 'deleteAll'; who: number; table: number; mode: number }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      who: fc.nat(1),
      table: fc.nat(1),
      name: fc.nat(NAMES.length - 1),
      mode: fc.nat(3),
      values: fc.array(fc.constantFrom('X', 'Y', 'Z:'), { maxLength: 3 }),
      noAlias: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      who: fc.nat(1),
      table: fc.nat(1),
      name: fc.nat(NAMES.length - 1),
      mode: fc.nat(3),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deleteAll' as const),
      who: fc.nat(1),
      table: fc.nat(1),
      mode: fc.nat(3),
    }),
  },
)

/** One definition in the model. */
interface Definition {
  values: string[]
  noAlias: boolean
}

/** The model: for each table instance, name and mode, its definition. */
class Model {
  readonly defs = new Map<string, Definition>()

  /** The table instance a process's LNM$PROCESS or LNM$JOB means. */
  static space(who: number, table: number): string {
    return table === 0 ? `process ${who}` : 'job'
  }

  private key(space: string, name: string, mode: number) {
    return `${space}|${name}|${mode}`
  }

  get(space: string, name: string, mode: number): Definition | undefined {
    return this.defs.get(this.key(space, name, mode))
  }

  /** LNM$INSLOGTAB (28.8.3). */
  create(space: string, name: string, mode: number, d: Definition): Status {
    for (let inner = 0; inner < mode; inner++)
      if (this.get(space, name, inner)?.noAlias) return SS.DUPLNAM
    let replaced = this.defs.delete(this.key(space, name, mode))
    if (d.noAlias)
      for (let outer = mode + 1; outer <= 3; outer++)
        replaced = this.defs.delete(this.key(space, name, outer)) || replaced
    this.defs.set(this.key(space, name, mode), d)
    return replaced ? SS.SUPERSEDE : SS.NORMAL
  }

  /** $DELLNM of one name (28.8.5): the mode and outer ones. */
  delete(space: string, name: string, mode: number): Status {
    let any = false
    for (let m = mode; m <= 3; m++) any = this.defs.delete(this.key(space, name, m)) || any
    return any ? SS.NORMAL : SS.NOLOGNAM
  }

  deleteAll(space: string, mode: number): void {
    for (const key of [...this.defs.keys()]) {
      const [s, , m] = key.split('|')
      if (s === space && Number(m) >= mode) this.defs.delete(key)
    }
  }

  /** $TRNLNM at `mode` in one table: the outermost definition at the mode or inner. */
  translate(space: string, name: string, mode: number): Definition | undefined {
    for (let m = mode; m >= 0; m--) {
      const d = this.get(space, name, m)
      if (d !== undefined) return d
    }
    return undefined
  }
}

function run(ops: readonly Op[]): void {
  const machine = new Machine()
  for (const pid of PIDS) machine.process(pid, { job: 0x101, privileges: ['SYSNAM'] })
  const base = machine.kernel.memory.count
  const model = new Model()
  for (const op of ops) {
    const pid = PIDS[op.who] as number
    const table = TABLES[op.table] as string
    const space = Model.space(pid, op.table)
    if (op.kind === 'create') {
      const name = NAMES[op.name] as string
      const expected = model.create(space, name, op.mode, {
        values: op.values,
        noAlias: op.noAlias,
      })
      const got = machine.crelnm(pid, 3, table, name, op.values, {
        acmode: op.mode,
        attr: op.noAlias ? LNM.M_NO_ALIAS : 0,
      })
      expect(got).toBe(expected)
    } else if (op.kind === 'delete') {
      const name = NAMES[op.name] as string
      // $DELLNM searches LNM$PROCESS or LNM$JOB: one table each, so the model is exact.
      expect(machine.dellnm(pid, 3, table, name, { acmode: op.mode })).toBe(
        model.delete(space, name, op.mode),
      )
    } else {
      expect(machine.dellnm(pid, 3, table, undefined, { acmode: op.mode })).toBe(SS.NORMAL)
      model.deleteAll(space, op.mode)
    }
    for (const who of [0, 1])
      for (const t of [0, 1])
        for (const name of NAMES)
          for (let mode = 0; mode <= 3; mode++) {
            const want = model.translate(Model.space(PIDS[who] as number, t), name, mode)
            const got = machine.trnlnm(PIDS[who] as number, 3, TABLES[t] as string, name, {
              acmode: mode,
            })
            if (want === undefined) expect(got.status).toBe(SS.NOLOGNAM)
            else {
              expect(got.status).toBe(SS.NORMAL)
              expect(got.maxIndex).toBe(want.values.length - 1)
              expect(got.string).toBe(want.values[0] ?? '')
            }
          }
    expect(machine.kernel.memory.count).toBe(base + model.defs.size)
  }
}

describe('random $CRELNM and $DELLNM against a model (book 28.2, 28.8)', () => {
  const runs = Number(process.env.LNM_MODEL_RUNS ?? 12)
  for (let seed = 1; seed <= 10; seed++)
    it(`seed ${seed}: translation at every mode agrees with the model`, () => {
      fc.assert(fc.property(fc.array(opArb, { maxLength: 25 }), run), { seed, numRuns: runs })
    })
})
