import { PriorityClass, SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { State } from './pcb'
import { checkInvariants, Scheduler, snapshot } from './scheduler'

/** A scheduler with one process `p` of base priority `base` waiting in LEF. */
function waitingProcess(base: number) {
  const s = new Scheduler()
  const p = s.createProcess({ name: 'P', basePriority: base })
  s.dispatch()
  expect(s.current).toBe(p)
  p.priority = base // forget the creation boost
  s.wait(State.LEF)
  return { s, p }
}

describe('priority boosts (book 10.4.3, Table 10-3)', () => {
  it.each([
    {
      event: 'page fault read complete',
      name: 'PRI$_NULL',
      priorityClass: PriorityClass.NULL,
      boost: 0,
    },
    { event: 'quantum end', name: 'PRI$_NULL', priorityClass: PriorityClass.NULL, boost: 0 },
    {
      event: 'direct I/O completion',
      name: 'PRI$_IOCOM',
      priorityClass: PriorityClass.IOCOM,
      boost: 2,
    },
    { event: 'set priority', name: 'PRI$_IOCOM', priorityClass: PriorityClass.IOCOM, boost: 2 },
    {
      event: 'resource available',
      name: 'PRI$_RESAVL',
      priorityClass: PriorityClass.RESAVL,
      boost: 3,
    },
    {
      event: 'wake, resume, delete',
      name: 'PRI$_RESAVL',
      priorityClass: PriorityClass.RESAVL,
      boost: 3,
    },
    {
      event: 'timer request expiration',
      name: 'PRI$_TIMER',
      priorityClass: PriorityClass.TIMER,
      boost: 3,
    },
    {
      event: 'terminal output completion',
      name: 'PRI$_TOCOM',
      priorityClass: PriorityClass.TOCOM,
      boost: 4,
    },
    {
      event: 'terminal input completion',
      name: 'PRI$_TICOM',
      priorityClass: PriorityClass.TICOM,
      boost: 6,
    },
    { event: 'process creation', name: 'PRI$_TICOM', priorityClass: PriorityClass.TICOM, boost: 6 },
  ])('$event: class $priorityClass ($name) adds $boost to the base', ({ priorityClass, boost }) => {
    const { s, p } = waitingProcess(4)
    s.reportSystemEvent(p.pid, 'EVENT_FLAG', priorityClass)
    expect(p.state).toBe(State.COM)
    expect(p.priority).toBe(4 + boost)
  })

  it('keeps the current priority when it is higher than base + boost (step 2)', () => {
    const { s, p } = waitingProcess(4)
    p.priority = 9
    s.reportSystemEvent(p.pid, 'EVENT_FLAG', PriorityClass.IOCOM)
    expect(p.priority).toBe(9)
  })

  it('uses the base priority when the result would pass 15 (step 3): no boost for 14 and 15', () => {
    for (const base of [10, 14, 15]) {
      const { s, p } = waitingProcess(base)
      s.reportSystemEvent(p.pid, 'EVENT_FLAG', PriorityClass.TICOM)
      expect(p.priority).toBe(base)
    }
    const { s, p } = waitingProcess(9)
    s.reportSystemEvent(p.pid, 'EVENT_FLAG', PriorityClass.TICOM)
    expect(p.priority).toBe(15)
  })

  it('never boosts a real-time process', () => {
    const { s, p } = waitingProcess(20)
    s.reportSystemEvent(p.pid, 'EVENT_FLAG', PriorityClass.TICOM)
    expect(p.priority).toBe(20)
  })

  it('process creation is a class 4 event', () => {
    const s = new Scheduler()
    expect(s.createProcess({ name: 'A', basePriority: 4 }).priority).toBe(10)
  })
})

describe('the priority history of Figure 10-6 (book 10.4.3)', () => {
  it('follows notes 8-13 and 16-17 for two normal processes', () => {
    const s = new Scheduler({ quantum: 2 })
    const a = s.createProcess({ name: 'A', basePriority: 4 })
    const b = s.createProcess({ name: 'B', basePriority: 3 })
    s.dispatch()
    expect(s.current).toBe(a)
    // Get both to a known state: B waits for I/O at priority 6, A runs at its base.
    s.dispatch()
    s.wait(State.LEF) // A
    s.wait(State.LEF) // B
    a.priority = 4
    b.priority = 6
    // (8) A requests terminal output: the null process runs.
    expect(s.current).toBe(s.nullProcess)
    // (9) A executes after the completion at base + 3: boost 4, one level off when scheduled.
    s.reportSystemEvent(a.pid, 'EVENT_FLAG', PriorityClass.TOCOM)
    s.dispatch()
    expect([s.current, a.priority]).toEqual([a, 7])
    // (12) Quantum end with no outswapped computable process: one level lower, not base.
    s.clockTick()
    s.clockTick()
    s.dispatch()
    expect([s.current, a.priority]).toEqual([a, 6])
    // (13) B's I/O completes: base 3 + 2 is below its current 6, so it keeps 6, and 6 >= 6 preempts A.
    s.reportSystemEvent(b.pid, 'EVENT_FLAG', PriorityClass.IOCOM)
    expect(b.priority).toBe(6)
    expect(s.reschedulePending).toBe(true)
    s.dispatch()
    expect([s.current, b.priority]).toEqual([b, 5])
    // (16) B requests I/O: A executes again, one level lower; one more quantum brings it to base.
    s.wait(State.LEF)
    expect([s.current, a.priority]).toEqual([a, 5])
    s.clockTick()
    s.clockTick()
    s.dispatch()
    expect([s.current, a.priority]).toEqual([a, 4])
    // (17) Quantum end at base priority: rescheduled at the same priority.
    s.clockTick()
    s.clockTick()
    s.dispatch()
    expect([s.current, a.priority]).toEqual([a, 4])
    expect(checkInvariants(s)).toEqual([])
  })
})

describe('SCH$WAIT with an AST already queued (book 10.4.1 step 6)', () => {
  it('makes the process computable again at once instead of leaving it waiting', () => {
    let deliverable = false
    const s = new Scheduler({ hasDeliverableAst: () => deliverable })
    const p = s.createProcess({ name: 'P', basePriority: 4 })
    s.dispatch()
    deliverable = true
    s.wait(State.LEF)
    expect(s.current).toBe(p)
    deliverable = false
    s.wait(State.LEF)
    expect(p.state).toBe(State.LEF)
  })
})

describe('event significance (book 10.4.3 step 2)', () => {
  it('ignores a wake for a process that is not hibernating', () => {
    const { s, p } = waitingProcess(4)
    s.reportSystemEvent(p.pid, 'WAKE', PriorityClass.RESAVL)
    expect(p.state).toBe(State.LEF)
  })

  it('an AST is significant for every wait state except SUSP', () => {
    const { s, p } = waitingProcess(4)
    s.reportSystemEvent(p.pid, 'AST', PriorityClass.NULL)
    expect(p.state).toBe(State.COM)
    expect(p.madeComputableBy).toBe('AST') // so a wait service can be made to wait again
    s.suspend(p.pid)
    // The suspension takes effect when P runs its SUSPND kernel AST (book 12.2.2).
    s.dispatch()
    expect(p.state).toBe(State.SUSP)
    s.reportSystemEvent(p.pid, 'AST', PriorityClass.NULL)
    expect(p.state).toBe(State.SUSP)
    s.resume(p.pid)
    expect(p.state).toBe(State.COM)
  })

  it('answers SS$_NONEXPR for an unknown process', () => {
    const s = new Scheduler()
    expect(s.reportSystemEvent(0x999, 'WAKE', PriorityClass.NULL)).toBe(SS.NONEXPR)
    expect(s.wake(0x999)).toBe(SS.NONEXPR)
    expect(s.suspend(0x999)).toBe(SS.NONEXPR)
    expect(s.resume(0x999)).toBe(SS.NONEXPR)
    expect(checkInvariants(s)).toEqual([])
  })
})

describe('rescheduling (book 10.4, 10.5)', () => {
  it('preempts only for a priority at least the current one, then demotes a boosted process by one', () => {
    const s = new Scheduler()
    const a = s.createProcess({ name: 'A', basePriority: 4 })
    s.dispatch()
    expect(s.current).toBe(a)
    expect(a.priority).toBe(9) // created at 10, demoted once when scheduled
    const b = s.createProcess({ name: 'B', basePriority: 2 }) // boosted to 8 < 9
    expect(s.reschedulePending).toBe(false)
    const c = s.createProcess({ name: 'C', basePriority: 3 }) // 9 >= 9
    expect(s.reschedulePending).toBe(true)
    s.dispatch()
    // A goes to the tail of the priority 9 queue, behind C, which runs demoted to 8.
    expect(s.current).toBe(c)
    expect(c.priority).toBe(8)
    expect(s.queued(State.COM, 9)).toEqual([a])
    expect(s.queued(State.COM, 8)).toEqual([b])
    expect(checkInvariants(s)).toEqual([])
  })

  it('round robin among equal priorities at quantum end (SCH$QEND)', () => {
    const s = new Scheduler({ quantum: 3 })
    const a = s.createProcess({ name: 'A', basePriority: 15 })
    const b = s.createProcess({ name: 'B', basePriority: 15 })
    s.dispatch()
    const order: string[] = []
    for (let t = 0; t < 12; t++) {
      order.push(s.current.name)
      s.clockTick()
      s.dispatch()
    }
    expect(order.join('')).toBe('AAABBBAAABBB')
    expect(a.cpuTicks + b.cpuTicks).toBe(12)
  })

  it('a real-time process keeps the CPU at quantum end', () => {
    const s = new Scheduler({ quantum: 2 })
    const r = s.createProcess({ name: 'R', basePriority: 16 })
    s.createProcess({ name: 'Q', basePriority: 16 })
    s.dispatch()
    for (let t = 0; t < 10; t++) {
      s.clockTick()
      s.dispatch()
    }
    expect(s.current).toBe(r)
  })

  it('charges IOTA against the quantum at each wait (book 10.4.2)', () => {
    const { p } = waitingProcess(4)
    expect(p.quantum).toBe(20 - 2)
  })

  it('runs the null process when nothing is computable', () => {
    const { s } = waitingProcess(4)
    expect(s.current).toBe(s.nullProcess)
    expect(s.computableSummary).toBe(0)
  })
})

describe('hibernate and wake (book 12.3)', () => {
  it('a wake that arrives first is remembered and satisfies the next $HIBER', () => {
    const s = new Scheduler()
    const p = s.createProcess({ name: 'P', basePriority: 4 })
    s.dispatch()
    expect(s.wake(p.pid)).toBe(SS.NORMAL)
    expect(p.wakePending).toBe(true)
    s.hibernate()
    expect(s.current).toBe(p)
    expect(p.wakePending).toBe(false)
    p.priority = 4
    s.hibernate()
    expect(p.state).toBe(State.HIB)
    s.wake(p.pid)
    expect(p.state).toBe(State.COM)
    expect(p.priority).toBe(7) // base 4 + 3 for a wake
  })
})

describe('$SETPRI (book 12.3, "Set Priority")', () => {
  it('needs ALTPRI above the authorized priority; bad values change nothing', () => {
    const s = new Scheduler()
    const user = s.createProcess({ name: 'U', basePriority: 4 })
    const op = s.createProcess({ name: 'OP', basePriority: 4, privileges: ['ALTPRI'] })
    const before = snapshot(s)
    expect(s.setPriority(user.pid, user.pid, 6).status).toBe(SS.NOPRIV)
    expect(s.setPriority(user.pid, user.pid, 32).status).toBe(SS.BADPARAM)
    expect(s.setPriority(user.pid, user.pid, 1.5).status).toBe(SS.BADPARAM)
    expect(s.setPriority(user.pid, 0x999, 3).status).toBe(SS.NONEXPR)
    expect(s.setPriority(0x999, user.pid, 3).status).toBe(SS.NONEXPR)
    expect(snapshot(s)).toEqual(before)
    expect(s.setPriority(user.pid, user.pid, 2)).toEqual({ status: SS.NORMAL, previous: 4 })
    expect(s.setPriority(op.pid, user.pid, 12)).toEqual({ status: SS.NORMAL, previous: 2 })
    s.dispatch()
    expect(s.current).toBe(user)
    expect(checkInvariants(s)).toEqual([])
  })

  it('reports the set-priority event with class 1 (PRI$_IOCOM, +2): a computable target is requeued at base + 2', () => {
    const s = new Scheduler()
    const a = s.createProcess({ name: 'A', basePriority: 4, privileges: ['ALTPRI'] })
    const b = s.createProcess({ name: 'B', basePriority: 4 }) // computable at 4 + 6
    s.dispatch()
    expect([s.current, a.priority]).toEqual([a, 9])
    expect(s.reschedulePending).toBe(false)
    expect(s.setPriority(a.pid, b.pid, 9)).toEqual({ status: SS.NORMAL, previous: 4 })
    expect(b.basePriority).toBe(9)
    expect(b.priority).toBe(11) // 9 + 2 (Table 10-3, "Set priority": class 1, boost 2)
    expect(s.queued(State.COM, 11)).toEqual([b])
    expect(s.queued(State.COM, 10)).toEqual([])
    expect(s.reschedulePending).toBe(true) // 11 >= A's 9: SCH$RSE asks for a reschedule
    s.dispatch()
    expect(s.current).toBe(b)
    expect(checkInvariants(s)).toEqual([])
  })

  it('SCH$RSE keeps a higher current priority, and uses the base past 15 (10.4.3 steps 2-3)', () => {
    const s = new Scheduler()
    const a = s.createProcess({ name: 'A', basePriority: 4, privileges: ['ALTPRI'] })
    const b = s.createProcess({ name: 'B', basePriority: 4 }) // computable at 10
    s.dispatch()
    s.setPriority(a.pid, b.pid, 2)
    expect([b.basePriority, b.priority]).toEqual([2, 10]) // max(10, 2 + 2)
    s.setPriority(a.pid, b.pid, 14)
    expect([b.basePriority, b.priority]).toEqual([14, 14]) // 16 passes 15: the base
    s.setPriority(a.pid, b.pid, 20)
    expect([b.basePriority, b.priority]).toEqual([20, 20]) // real time: no boost
    s.setPriority(a.pid, b.pid, 3)
    expect([b.basePriority, b.priority]).toEqual([3, 3]) // 20 passes 15: the base
    expect(checkInvariants(s)).toEqual([])
  })

  it('the event is not significant for a waiting process: it keeps its priority until its wait ends', () => {
    const { s, p } = waitingProcess(10)
    const op = s.createProcess({ name: 'OP', basePriority: 4, privileges: ['ALTPRI'] })
    s.setPriority(op.pid, p.pid, 2)
    expect([p.state, p.basePriority, p.priority]).toEqual([State.LEF, 2, 10])
    expect(p.madeComputableBy).toBeUndefined()
    s.reportSystemEvent(p.pid, 'EVENT_FLAG', PriorityClass.NULL)
    expect(p.priority).toBe(10)
    expect(checkInvariants(s)).toEqual([])
  })

  it('for the current process, its priority changes too, and a reschedule follows only if it is outranked', () => {
    const s = new Scheduler()
    const a = s.createProcess({ name: 'A', basePriority: 8 })
    const b = s.createProcess({ name: 'B', basePriority: 5, privileges: ['ALTPRI'] }) // at 11
    s.dispatch()
    expect([s.current, a.priority]).toEqual([a, 13])
    s.reschedulePending = false
    s.setPriority(a.pid, a.pid, 7)
    expect([a.basePriority, a.priority]).toEqual([7, 7])
    expect(s.reschedulePending).toBe(true) // B at 11 outranks 7
    s.dispatch()
    expect(s.current).toBe(b)
    s.setPriority(b.pid, b.pid, 8)
    expect([b.priority, s.reschedulePending]).toEqual([8, false]) // A's 7 does not outrank 8
    s.setPriority(b.pid, b.pid, 6)
    expect(s.reschedulePending).toBe(true) // A's 7 does
    expect(checkInvariants(s)).toEqual([])
  })
})

describe('resource wait (SCH$RWAIT / SCH$RAVAIL)', () => {
  it('wakes every process waiting for that resource and no other', () => {
    const s = new Scheduler()
    const a = s.createProcess({ name: 'A', basePriority: 4 })
    const b = s.createProcess({ name: 'B', basePriority: 4 })
    const c = s.createProcess({ name: 'C', basePriority: 4 })
    s.dispatch()
    s.resourceWait('RSN$_NPDYNMEM')
    s.resourceWait('RSN$_NPDYNMEM')
    s.resourceWait('RSN$_MAILBOX')
    expect([a, b, c].map((p) => p.state)).toEqual([State.MWAIT, State.MWAIT, State.MWAIT])
    s.resourceAvailable('RSN$_NPDYNMEM')
    expect([a, b, c].map((p) => p.state)).toEqual([State.COM, State.COM, State.MWAIT])
    expect(checkInvariants(s)).toEqual([])
  })
})
