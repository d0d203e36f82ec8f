import { AstManager } from '@vms/ast'
import { PriorityClass, SS, type SystemEvent } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { Random } from '../../../tools/fuzz/random'
import { EventFlags } from './event-flags'
import { State } from './pcb'
import { checkInvariants, Scheduler } from './scheduler'
import { Timers } from './timers'

/** The repository's seeded generator (mulberry32), so every failure can be replayed. */
function random(seed: number): () => number {
  const rng = new Random(seed)
  return () => rng.next()
}

const EVENTS: SystemEvent[] = [
  'WAKE',
  'RESUME',
  'AST',
  'EVENT_FLAG',
  'RESOURCE_AVAILABLE',
  'PAGE_FAULT_COMPLETE',
  'FREE_PAGE',
]

/**
 * Thousands of random services, events, clock ticks and garbage arguments against one
 * scheduler; after every step the queues, the summary longword and the current process
 * must agree (checkInvariants), and every computable normal process's priority stays
 * within base..15 (book 10.4.3, step 3).
 */
describe('scheduler invariants under random load', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: 5,000 operations', (seed) => {
    const next = random(seed)
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T
    const s: Scheduler = new Scheduler({
      quantum: 5,
      hasDeliverableAst: (pid: number): boolean => asts.hasDeliverable(pid, 3),
    })
    const asts: AstManager = new AstManager(s)
    const flags = new EventFlags(s)
    const timers = new Timers(s, flags, asts)
    let now = 0
    const pids = (): number[] => s.processes().map((p) => p.pid)
    const anyPid = (): number => (next() < 0.05 ? 0x7777 : pick(pids()))
    for (let i = 0; i < 5000; i++) {
      const r = next()
      const me = s.current.pid
      const running = s.current !== s.nullProcess
      if (r < 0.08 && pids().length < 40) {
        const p = s.createProcess({
          name: `P${i}`,
          basePriority: Math.floor(next() * 20),
          group: 1 + Math.floor(next() * 2),
          member: 1 + Math.floor(next() * 2),
          privileges: next() < 0.3 ? [pick(['GROUP', 'WORLD', 'PRMCEB', 'ALTPRI'])] : [],
          ...(next() < 0.2 && running && { owner: me }),
        })
        asts.createProcess(p.pid, 3)
        flags.associate(p.pid, 64, 'SHARED')
      } else if (r < 0.13 && running) flags.waitForFlag(me, pick([1, 2, 33, 64, 65]))
      else if (r < 0.17 && running) flags.waitForAll(me, pick([0, 64]), Math.floor(next() * 16))
      else if (r < 0.25)
        flags.setFlag(anyPid(), pick([1, 2, 33, 64, 65, 200, -3]), pick([0, 1, 2, 3, 4] as const))
      else if (r < 0.28 && running) s.hibernate()
      else if (r < 0.33) s.wake(anyPid(), next() < 0.5 ? me : undefined)
      else if (r < 0.36) s.suspend(anyPid(), next() < 0.5 ? me : undefined)
      else if (r < 0.41) s.resume(anyPid(), next() < 0.5 ? me : undefined)
      else if (r < 0.45) s.reportSystemEvent(anyPid(), pick(EVENTS), pick([0, 1, 2, 3, 4] as const))
      else if (r < 0.5 && running) s.resourceWait(pick(['RSN$_NPDYNMEM', 'RSN$_MAILBOX']))
      else if (r < 0.53) s.resourceAvailable(pick(['RSN$_NPDYNMEM', 'RSN$_MAILBOX']))
      else if (r < 0.58) asts.declare(anyPid(), 3, i)
      else if (r < 0.62) {
        const d = asts.deliver(me, 3)
        if (d.kind === 'deliver') asts.exitAst(me, d.acb.mode)
      } else if (r < 0.66)
        timers.setTimer(anyPid(), now + Math.floor(next() * 50), {
          efn: pick([1, 2, 64, 300]),
          ast: { routine: i },
        })
      else if (r < 0.67) s.setPriority(anyPid(), anyPid(), Math.floor(next() * 40) - 4)
      else if (r < 0.675)
        timers.scheduleWakeup(anyPid(), now + Math.floor(next() * 50), pick([0, 1, 99, -1]), {
          caller: me,
        })
      else if (r < 0.68) {
        const which = next()
        if (which < 0.5) timers.cancelWakeup(anyPid(), { caller: me })
        else if (which < 0.75) flags.associate(me, 96, pick(['P1', 'P2']), true)
        else flags.deleteCluster(me, pick(['P1', 'P2', 'SHARED']))
      } else if (r < 0.7 && pids().length > 2) {
        const pid = anyPid()
        if (s.deleteProcess(pid) === SS.NORMAL) asts.deleteProcess(pid)
      } else {
        timers.expire(now)
        s.clockTick()
        now++
      }
      if (next() < 0.7) s.dispatch()
      const problems = checkInvariants(s)
      // A waiting process keeps its current priority when $SETPRI changes its base, until
      // SCH$RSE boosts it from the new base as its wait ends (book 12.3, "Set Priority").
      for (const p of s.processes()) {
        const computable = p.state === State.COM || p.state === State.CUR
        if (
          p.pid !== 0 &&
          computable &&
          !p.realTime &&
          (p.priority < p.basePriority || p.priority > 15)
        )
          problems.push(`${p.name} pri ${p.priority} base ${p.basePriority}`)
      }
      if (problems.length > 0) throw new Error(`seed ${seed}, step ${i}: ${problems.join('; ')}`)
    }
    // Nothing lost: once everyone still waiting is released, every process can run.
    for (const p of s.processes()) if (p.state === State.SUSP) s.resume(p.pid)
    expect(checkInvariants(s)).toEqual([])
  })
})

describe('bad arguments leave the scheduler untouched', () => {
  it('NONEXPR / BADPARAM / ILLEFC calls change no process', () => {
    const s = new Scheduler()
    const flags = new EventFlags(s)
    s.createProcess({ name: 'A', basePriority: 4 })
    s.createProcess({ name: 'B', basePriority: 7 })
    s.dispatch()
    const snapshot = () =>
      s.processes().map((p) => [p.pid, p.state, p.priority, p.basePriority, p.localFlags.join()])
    const before = snapshot()
    expect(s.wake(-1)).toBe(SS.NONEXPR)
    expect(s.suspend(0)).toBe(SS.NONEXPR) // the null process cannot be suspended
    expect(s.deleteProcess(0)).toBe(SS.NONEXPR)
    expect(s.setPriority(s.current.pid, s.current.pid, -1).status).toBe(SS.BADPARAM)
    expect(s.reportSystemEvent(Number.NaN, 'AST', PriorityClass.TICOM)).toBe(SS.NONEXPR)
    expect(flags.setFlag(s.current.pid, 128)).toBe(SS.ILLEFC)
    expect(flags.waitForAll(s.current.pid, 64, 1)).toBe(SS.UNASEFC)
    expect(snapshot()).toEqual(before)
    expect(checkInvariants(s)).toEqual([])
  })
})
