import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { EventFlags } from './event-flags'
import { State } from './pcb'
import { checkInvariants, Scheduler, snapshot } from './scheduler'
import { TICK, Timers } from './timers'

/**
 * Processes in UIC groups 0o200 and 0o300: ME [200,1]; TWIN [200,1] (same UIC); PEER
 * [200,2]; STRANGER [300,1]; CHILD, a subprocess of ME with another UIC.
 */
function setup(privileges: string[] = []) {
  const s = new Scheduler()
  const me = s.createProcess({ name: 'ME', basePriority: 4, group: 0o200, member: 1, privileges })
  const twin = s.createProcess({ name: 'TWIN', basePriority: 4, group: 0o200, member: 1 })
  const peer = s.createProcess({ name: 'PEER', basePriority: 4, group: 0o200, member: 2 })
  const stranger = s.createProcess({ name: 'STRANGER', basePriority: 4, group: 0o300, member: 1 })
  const child = s.createProcess({
    name: 'CHILD',
    basePriority: 4,
    owner: me.pid,
    group: 0o300,
    member: 7,
  })
  s.dispatch()
  expect(s.current).toBe(me)
  const timers = new Timers(s, new EventFlags(s))
  return { s, timers, me, twin, peer, stranger, child }
}

describe('EXE$NAMPID: who may affect whom (book 12.2.2, "Privilege Checks")', () => {
  it('test 1: a process may always affect itself and the processes of its job tree', () => {
    const { s, me, child } = setup()
    expect(s.checkAccess(me.pid, me.pid)).toBe(SS.NORMAL)
    expect(child.owner).toBe(me.pid)
    expect(child.job).toBe(me.pid)
    expect(s.checkAccess(me.pid, child.pid)).toBe(SS.NORMAL)
    expect(s.checkAccess(child.pid, me.pid)).toBe(SS.NORMAL)
  })

  it('test 2: a process with the same UIC may be affected without privilege (new in V4)', () => {
    const { s, me, twin } = setup()
    expect(s.checkAccess(me.pid, twin.pid)).toBe(SS.NORMAL)
  })

  it('without GROUP or WORLD, another UIC is SS$_NOPRIV, even in the same group', () => {
    const { s, me, peer, stranger } = setup()
    expect(s.checkAccess(me.pid, peer.pid)).toBe(SS.NOPRIV)
    expect(s.checkAccess(me.pid, stranger.pid)).toBe(SS.NOPRIV)
  })

  it('test 4: GROUP reaches the same UIC group only', () => {
    const { s, me, peer, stranger } = setup(['GROUP'])
    expect(s.checkAccess(me.pid, peer.pid)).toBe(SS.NORMAL)
    expect(s.checkAccess(me.pid, stranger.pid)).toBe(SS.NOPRIV)
  })

  it('test 3: WORLD reaches any process', () => {
    const { s, me, peer, stranger } = setup(['WORLD'])
    expect(s.checkAccess(me.pid, peer.pid)).toBe(SS.NORMAL)
    expect(s.checkAccess(me.pid, stranger.pid)).toBe(SS.NORMAL)
  })

  it('a target or caller that does not exist is SS$_NONEXPR', () => {
    const { s, me } = setup(['WORLD'])
    expect(s.checkAccess(me.pid, 0x999)).toBe(SS.NONEXPR)
    expect(s.checkAccess(0x999, me.pid)).toBe(SS.NONEXPR)
  })
})

describe('the process-control services apply it ("GROUP or WORLD", Table 12-1)', () => {
  it('$WAKE, $SUSPND, $RESUME, $SETPRI and $DELPRC of another UIC without privilege: SS$_NOPRIV and nothing changes', () => {
    const { s, timers, me, peer } = setup(['ALTPRI'])
    const before = snapshot(s)
    const tqes = timers.pending()
    expect(s.wake(peer.pid, me.pid)).toBe(SS.NOPRIV)
    expect(s.suspend(peer.pid, me.pid)).toBe(SS.NOPRIV)
    expect(s.resume(peer.pid, me.pid)).toBe(SS.NOPRIV)
    expect(s.setPriority(me.pid, peer.pid, 2).status).toBe(SS.NOPRIV)
    expect(s.deleteProcess(peer.pid, me.pid)).toBe(SS.NOPRIV)
    expect(timers.scheduleWakeup(peer.pid, TICK, 0, { caller: me.pid })).toBe(SS.NOPRIV)
    expect(timers.cancelWakeup(peer.pid, { caller: me.pid })).toBe(SS.NOPRIV)
    expect(s.wake(0x999, me.pid)).toBe(SS.NONEXPR)
    expect(s.suspend(0x999, me.pid)).toBe(SS.NONEXPR)
    expect(s.resume(0x999, me.pid)).toBe(SS.NONEXPR)
    expect(s.deleteProcess(0x999, me.pid)).toBe(SS.NONEXPR)
    expect(timers.scheduleWakeup(0x999, TICK, 0, { caller: me.pid })).toBe(SS.NONEXPR)
    expect(timers.cancelWakeup(0x999, { caller: me.pid })).toBe(SS.NONEXPR)
    expect(snapshot(s)).toEqual(before)
    expect(timers.pending()).toEqual(tqes)
  })

  it('with GROUP they act on a process of the same group', () => {
    const { s, timers, me, peer } = setup(['GROUP', 'ALTPRI'])
    expect(s.suspend(peer.pid, me.pid)).toBe(SS.NORMAL)
    expect(peer.suspendPending).toBe(true)
    expect(s.resume(peer.pid, me.pid)).toBe(SS.NORMAL)
    expect(s.setPriority(me.pid, peer.pid, 6)).toEqual({ status: SS.NORMAL, previous: 4 })
    expect(timers.scheduleWakeup(peer.pid, TICK, 0, { caller: me.pid })).toBe(SS.NORMAL)
    expect(timers.pending()[0]).toMatchObject({ pid: peer.pid, requester: me.pid })
    expect(timers.cancelWakeup(peer.pid, { caller: me.pid })).toBe(SS.NORMAL)
    expect(timers.pending()).toEqual([])
    expect(s.wake(peer.pid, me.pid)).toBe(SS.NORMAL)
    expect(peer.wakePending).toBe(true)
    expect(s.deleteProcess(peer.pid, me.pid)).toBe(SS.NORMAL)
    expect(s.process(peer.pid)).toBeUndefined()
    expect(checkInvariants(s)).toEqual([])
  })

  it('$SETPRI of another process needs ALTPRI above its authorized priority as well (Table 12-1)', () => {
    const { s, me, peer } = setup(['GROUP'])
    const before = snapshot(s)
    expect(s.setPriority(me.pid, peer.pid, 5).status).toBe(SS.NOPRIV)
    expect(snapshot(s)).toEqual(before)
    expect(s.setPriority(me.pid, peer.pid, 3).status).toBe(SS.NORMAL)
  })

  it('a hibernating process of the same UIC is woken without privilege (12.2.2, "Hibernate/Wake")', () => {
    const { s, me, twin } = setup()
    s.reschedulePending = true
    s.dispatch() // TWIN runs and hibernates
    expect(s.current).toBe(twin)
    s.hibernate()
    expect(twin.state).toBe(State.HIB)
    expect(s.wake(twin.pid, me.pid)).toBe(SS.NORMAL)
    expect(twin.state).toBe(State.COM)
  })
})
