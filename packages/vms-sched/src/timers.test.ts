import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { EventFlags } from './event-flags'
import { State } from './pcb'
import { Scheduler, snapshot } from './scheduler'
import { MINIMUM_REPEAT, TICK, Timers } from './timers'

function setup() {
  const s = new Scheduler()
  const flags = new EventFlags(s)
  const a = s.createProcess({ name: 'A', basePriority: 4 })
  s.dispatch()
  return { s, flags, a, timers: new Timers(s, flags) }
}

describe('$SCHDWK repeat interval (book 11.5.2 step 3)', () => {
  it('an interval under 10 ms is raised to 10 ms, the interval clock resolution', () => {
    const { timers, a } = setup()
    expect(MINIMUM_REPEAT).toBe(TICK)
    for (const repeat of [1, 100, TICK - 1]) {
      expect(timers.scheduleWakeup(a.pid, TICK, repeat)).toBe(SS.NORMAL)
    }
    expect(timers.scheduleWakeup(a.pid, TICK, 3 * TICK)).toBe(SS.NORMAL)
    expect(timers.scheduleWakeup(a.pid, TICK, 0)).toBe(SS.NORMAL)
    expect(timers.pending().map((t) => t.repeat)).toEqual([TICK, TICK, TICK, 3 * TICK, 0])
  })

  it('so a 100 ns repeat fires once per 10 ms step, not 100,000 times', () => {
    const { s, timers, a } = setup()
    timers.scheduleWakeup(a.pid, 0, 1)
    let fired = 0
    const wake = s.wake.bind(s)
    s.wake = (pid, caller) => {
      fired++
      return wake(pid, caller)
    }
    for (let now = 0; now < 10 * TICK; now += TICK) timers.expire(now)
    expect(fired).toBe(10)
    expect(timers.pending()).toHaveLength(1)
  })

  it('a time or interval that is not a finite number is SS$_IVTIME and queues nothing', () => {
    const { s, timers, a } = setup()
    const before = snapshot(s)
    expect(timers.scheduleWakeup(a.pid, Number.NaN)).toBe(SS.IVTIME)
    expect(timers.scheduleWakeup(a.pid, TICK, Number.POSITIVE_INFINITY)).toBe(SS.IVTIME)
    expect(timers.scheduleWakeup(a.pid, TICK, -TICK)).toBe(SS.IVTIME)
    expect(timers.setTimer(a.pid, Number.NaN, { efn: 1 })).toBe(SS.IVTIME)
    expect(timers.pending()).toEqual([])
    expect(snapshot(s)).toEqual(before)
  })
})

describe('$CANTIM and the access mode of the request (book 11.5.1)', () => {
  it("$SETIMR records the caller's access mode in TQE$B_RMOD (step 6) and the requester in TQE$L_RQPID", () => {
    const { timers, a } = setup()
    timers.setTimer(a.pid, TICK, { efn: 1, mode: 1 })
    timers.setTimer(a.pid, TICK, { efn: 2, ast: { routine: 0x400, mode: 2 } })
    timers.setTimer(a.pid, TICK, { efn: 3 })
    expect(timers.pending().map((t) => [t.efn, t.mode, t.requester])).toEqual([
      [1, 1, a.pid],
      [2, 2, a.pid],
      [3, 3, a.pid],
    ])
  })

  it("no request of a mode more privileged than the caller's is cancelled", () => {
    const { s, timers, a } = setup()
    timers.setTimer(a.pid, TICK, { efn: 1, requestId: 7, mode: 0 })
    timers.setTimer(a.pid, TICK, { efn: 2, requestId: 7, mode: 1 })
    timers.setTimer(a.pid, TICK, { efn: 3, requestId: 7, mode: 3 })
    timers.setTimer(a.pid, TICK, { efn: 4, requestId: 8, mode: 3 })
    const before = snapshot(s)
    expect(timers.cancelTimer(a.pid, 7, 3)).toBe(SS.NORMAL) // user mode: its own only
    expect(timers.pending().map((t) => t.efn)).toEqual([1, 2, 4])
    expect(timers.cancelTimer(a.pid, 0, 1)).toBe(SS.NORMAL) // executive: exec and user, any ID
    expect(timers.pending().map((t) => t.efn)).toEqual([1])
    expect(timers.cancelTimer(a.pid, 0, 0)).toBe(SS.NORMAL) // kernel: everything
    expect(timers.pending()).toEqual([])
    expect(snapshot(s)).toEqual(before)
  })

  it("the kernel-mode default still cancels all of a process's timers (process rundown)", () => {
    const { timers, a } = setup()
    timers.setTimer(a.pid, TICK, { efn: 1, mode: 0 })
    timers.setTimer(a.pid, TICK, { efn: 2 })
    timers.cancelTimer(a.pid)
    expect(timers.pending()).toEqual([])
  })

  it('$CANWAK with a mode leaves wakeups of more privileged modes (rundown, book 21.3 step 13)', () => {
    const { timers, a } = setup()
    timers.scheduleWakeup(a.pid, TICK, 0, { mode: 1 })
    timers.scheduleWakeup(a.pid, 2 * TICK, 0, { mode: 3 })
    timers.cancelWakeup(a.pid, { mode: 3 })
    expect(timers.pending().map((t) => t.mode)).toEqual([1])
    timers.cancelWakeup(a.pid)
    expect(timers.pending()).toEqual([])
  })

  it('a wakeup scheduled for another process wakes that one and is charged to the requester', () => {
    const { s, timers, a } = setup()
    const b = s.createProcess({ name: 'B', basePriority: 4 })
    const quota = new Timers(s, new EventFlags(s), undefined, { quota: 1 })
    expect(quota.scheduleWakeup(b.pid, TICK, 0, { caller: a.pid })).toBe(SS.NORMAL)
    expect(quota.queuedBy(a.pid)).toBe(1)
    expect(quota.queuedBy(b.pid)).toBe(0)
    expect(quota.scheduleWakeup(b.pid, TICK, 0, { caller: a.pid })).toBe(SS.EXQUOTA)
    expect(quota.scheduleWakeup(b.pid, TICK)).toBe(SS.NORMAL) // B's own quota
    expect(timers.pending()).toEqual([])
    quota.expire(TICK)
    expect(b.wakePending).toBe(true)
    expect(b.state).toBe(State.COM)
  })
})
