import { PriorityClass, SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { State } from './pcb'
import { checkInvariants, Scheduler, snapshot } from './scheduler'

/** A current process REQ and a target T (computable, behind REQ). */
function setup() {
  const s = new Scheduler()
  const req = s.createProcess({ name: 'REQ', basePriority: 6 })
  const t = s.createProcess({ name: 'T', basePriority: 4 })
  s.dispatch()
  expect(s.current).toBe(req)
  return { s, req, t }
}

/** REQ gives up the CPU (it waits), so that T is selected. */
function letTargetRun(s: Scheduler): void {
  s.wait(State.LEF)
}

describe('$SUSPND through the SUSPND kernel AST (book 12.2.2, "Suspend/Resume")', () => {
  it('sets PCB$V_SUSPEN; the target enters SUSP only when it runs, not at the call', () => {
    const { s, req, t } = setup()
    expect(s.suspend(t.pid, req.pid)).toBe(SS.NORMAL)
    expect(t.suspendPending).toBe(true)
    expect(t.state).toBe(State.COM)
    letTargetRun(s)
    expect(t.state).toBe(State.SUSP)
    expect(s.current).toBe(s.nullProcess)
    expect(checkInvariants(s)).toEqual([])
  })

  it('a second $SUSPND while one is pending returns SS$_NORMAL and queues nothing more', () => {
    const { s, req, t } = setup()
    s.suspend(t.pid, req.pid)
    const before = snapshot(s)
    expect(s.suspend(t.pid, req.pid)).toBe(SS.NORMAL)
    expect(snapshot(s)).toEqual(before)
  })

  it('a process suspending itself enters SUSP at once', () => {
    const { s, req } = setup()
    expect(s.suspend(req.pid, req.pid)).toBe(SS.NORMAL)
    expect(req.state).toBe(State.SUSP)
    expect(checkInvariants(s)).toEqual([])
  })

  it('queuing the AST makes a waiting target computable; it runs, suspends, and after $RESUME waits again', () => {
    const { s, req, t } = setup()
    s.wait(State.LEF) // REQ waits; T runs and hibernates
    expect(s.current).toBe(t)
    s.hibernate()
    s.reportSystemEvent(req.pid, 'EVENT_FLAG', PriorityClass.NULL)
    s.dispatch()
    expect(s.current).toBe(req)
    s.suspend(t.pid, req.pid)
    expect(t.state).toBe(State.COM) // the AST event took it out of HIB
    letTargetRun(s)
    expect(t.state).toBe(State.SUSP)
    s.reportSystemEvent(t.pid, 'WAKE', PriorityClass.RESAVL) // not significant in SUSP
    expect(t.state).toBe(State.SUSP)
    expect(s.resume(t.pid)).toBe(SS.NORMAL)
    expect(t.state).toBe(State.COM)
    s.dispatch()
    // The AST returns: $HIBER was interrupted by an AST, so it is executed again.
    expect(s.current).toBe(t)
    expect([t.suspendPending, t.resumePending]).toEqual([false, false])
    expect(t.madeComputableBy).toBe('AST')
    expect(checkInvariants(s)).toEqual([])
  })

  it('a resumed process that was computable goes on as before its suspension', () => {
    const { s, req, t } = setup()
    t.madeComputableBy = 'EVENT_FLAG'
    s.suspend(t.pid, req.pid)
    letTargetRun(s)
    s.resume(t.pid)
    expect(t.madeComputableBy).toBe('RESUME')
    s.dispatch()
    expect(s.current).toBe(t)
    expect(t.madeComputableBy).toBe('EVENT_FLAG')
  })
})

describe('$RESUME (book 12.2.2, "Operation of the $RESUME System Service"; Table 12-2)', () => {
  it('a $RESUME that arrives before the suspension takes effect cancels it', () => {
    const { s, req, t } = setup()
    s.suspend(t.pid, req.pid)
    expect(s.resume(t.pid, req.pid)).toBe(SS.NORMAL)
    expect(t.resumePending).toBe(true)
    letTargetRun(s)
    // The SUSPND AST found PCB$V_RESPEN set: it cleared both bits and returned.
    expect(s.current).toBe(t)
    expect([t.state, t.suspendPending, t.resumePending]).toEqual([State.CUR, false, false])
    expect(checkInvariants(s)).toEqual([])
  })

  it('sets PCB$V_RESPEN even with no suspension pending, and only the SUSPND AST clears it', () => {
    const { s, req, t } = setup()
    s.resume(t.pid, req.pid)
    expect([t.state, t.resumePending]).toEqual([State.COM, true])
    s.suspend(t.pid, req.pid)
    letTargetRun(s)
    expect(s.current).toBe(t) // the pending resume skipped this suspension
    expect(t.resumePending).toBe(false)
    s.suspend(t.pid, t.pid)
    expect(t.state).toBe(State.SUSP) // the next one takes effect
  })

  it('reports the resume event only for a suspended process, with class 2 (+3, Table 10-3)', () => {
    const { s, req, t } = setup()
    s.suspend(t.pid, req.pid)
    letTargetRun(s)
    t.priority = 4
    s.resume(t.pid)
    expect([t.state, t.priority]).toEqual([State.COM, 7])
  })

  it('SS$_NONEXPR for no such process, and the null process cannot be suspended; nothing changes', () => {
    const { s, req } = setup()
    const before = snapshot(s)
    expect(s.suspend(0x999, req.pid)).toBe(SS.NONEXPR)
    expect(s.resume(0x999, req.pid)).toBe(SS.NONEXPR)
    expect(s.suspend(0)).toBe(SS.NONEXPR)
    expect(snapshot(s)).toEqual(before)
  })
})
