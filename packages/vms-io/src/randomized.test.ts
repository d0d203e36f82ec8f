import { isSuccess, SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { Random } from '../../../tools/fuzz/random'
import { IoFunction, IoModifier } from './constants'
import { diskDriver } from './disk'
import { nullDriver, terminalDriver } from './drivers'
import { memoryDisk, testSystem } from './test-host'

const SEEDS = Number(process.env.IO_RANDOM_SEEDS ?? 24)
const STEPS = 250

const FUNCTIONS = [
  IoFunction.READVBLK,
  IoFunction.WRITEVBLK,
  IoFunction.READLBLK,
  IoFunction.WRITELBLK,
  IoFunction.WRITEOF,
  IoFunction.SETMODE,
  IoFunction.SENSEMODE,
  0x3f,
]
const MODIFIERS = [0, IoModifier.NOW, IoModifier.READATTN, IoModifier.WRTATTN, 0x8000]

/**
 * Random requests from two processes to every kind of device, good and bad, with time
 * passing between them (book 18.5-18.8). Each refused call must leave pool, quotas,
 * unit queues and channels exactly as they were; at the end, with every channel
 * deassigned and all time run, every IRP, system buffer, message and quota is back.
 */
function run(seed: number) {
  const rng = new Random(seed)
  const s = testSystem({ io: { images: [diskDriver()], mailboxes: true } })
  const terminal = terminalDriver(() => {})
  s.io.addUnit('NLA0', nullDriver(), ['NL'])
  s.io.addUnit('OPA0', terminal, ['TT'])
  s.io.load('DKDRIVER')
  s.io.connect('DKA0', 'DKDRIVER', { storage: memoryDisk(16) })
  s.io.mountForeign(1, 'DKA0')
  for (const pid of [1, 2]) s.io.setQuotas(pid, { diolm: 3, biolm: 3, bytlm: 2000 })
  const baseline = s.pool.stats()
  const snapshot = () => ({
    pool: s.pool.stats(),
    quotas: [s.io.quotas(1), s.io.quotas(2)],
    queues: s.io.devices().map((u) => [u.name, u.queue.length, u.busy, u.refc]),
    channels: [s.io.channelsOf(1), s.io.channelsOf(2)],
    posted: s.io.postPending,
  })
  let time = 0
  for (let step = 0; step < STEPS; step++) {
    const pid = rng.int(1, 2)
    const action = rng.int(0, 9)
    const before = snapshot()
    let status: number = SS.NORMAL
    if (action === 0) {
      status = s.io.assign(pid, rng.pick(['NL', 'TT', 'DKA0', 'MBA0', 'XYA0', 'BOX', '']), 3).status
    } else if (action === 1) {
      status = s.io.createMailbox(pid, 3, {
        lognam: 'BOX',
        maxmsg: rng.pick([0, 16, 70000]),
        bufquo: rng.pick([0, 40, 400]),
      }).status
    } else if (action === 2) {
      const channels = s.io.channelsOf(pid)
      if (channels.length > 0) s.io.deassign(pid, rng.pick(channels), 3)
      continue
    } else if (action === 3) {
      const channels = s.io.channelsOf(pid)
      status = s.io.cancel(
        pid,
        channels.length > 0 && rng.chance(0.8) ? rng.pick(channels) : 999,
        3,
      )
    } else if (action === 4) {
      time += rng.int(0, 200_000)
      s.advance(time)
      if (rng.chance(0.3)) terminal.input('line\r')
      continue
    } else {
      const channels = s.io.channelsOf(pid)
      const channel = channels.length > 0 && rng.chance(0.9) ? rng.pick(channels) : rng.int(0, 200)
      status = s.io.qio(pid, 3, {
        efn: rng.chance(0.95) ? 1 : 300,
        channel,
        func: rng.pick(FUNCTIONS) | rng.pick(MODIFIERS),
        iosb: rng.pick([0, 0x1800, 0x9000]),
        astadr: rng.pick([0, 0x2000]),
        astprm: 0,
        p: [
          rng.pick([0x1000, 0x1f00, 0x9000, -1]),
          rng.pick([0, 1, 16, 17, 512, 600, 5000, 70000, -5]),
          rng.pick([0, 1, 3, 15, 16, 99, -1]),
          rng.int(0, 3),
          0,
          0,
        ],
      })
    }
    if (!isSuccess(status)) expect(snapshot(), `seed ${seed} step ${step}`).toEqual(before)
  }
  for (const pid of [1, 2]) for (const c of s.io.channelsOf(pid)) s.io.deassign(pid, c, 3)
  s.advance(time + 100_000_000)
  expect(s.pool.stats(), `seed ${seed}`).toEqual(baseline)
  expect(s.io.quotas(1)).toEqual({ diocnt: 3, biocnt: 3, bytcnt: 2000, bytlm: 2000 })
  expect(s.io.quotas(2)).toEqual({ diocnt: 3, biocnt: 3, bytcnt: 2000, bytlm: 2000 })
  expect(s.io.devices().map((u) => u.name)).toEqual(['MBA0', 'NLA0', 'OPA0', 'DKA0'])
}

describe('randomized requests (book 18.5-18.8): refusals change nothing, and everything comes back', () => {
  for (let seed = 1; seed <= SEEDS; seed++) it(`seed ${seed}`, () => run(seed))
})
