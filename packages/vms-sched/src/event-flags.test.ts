import { AstManager } from '@vms/ast'
import { DYN, type DynamicMemory, PriorityClass, SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { EventFlags } from './event-flags'
import { State } from './pcb'
import { checkInvariants, Scheduler, snapshot } from './scheduler'
import { TICK, Timers, TQE_LENGTH } from './timers'

function setup() {
  const s = new Scheduler()
  const flags = new EventFlags(s)
  const a = s.createProcess({ name: 'A', basePriority: 4, group: 0o200 })
  const b = s.createProcess({ name: 'B', basePriority: 4, group: 0o200 })
  const other = s.createProcess({ name: 'X', basePriority: 4, group: 0o300 })
  s.dispatch()
  expect(s.current).toBe(a)
  return { s, flags, a, b, other }
}

describe('local event flags (book 12.1.1)', () => {
  it('$SETEF / $CLREF answer SS$_WASSET or SS$_WASCLR; $READEF returns the whole cluster', () => {
    const { flags, a } = setup()
    expect(flags.setFlag(a.pid, 33)).toBe(SS.WASCLR)
    expect(flags.setFlag(a.pid, 33)).toBe(SS.WASSET)
    expect(flags.setFlag(a.pid, 63)).toBe(SS.WASCLR)
    expect(flags.readFlags(a.pid, 40)).toEqual({ status: SS.WASCLR, flags: 0x80000002 })
    expect(flags.clearFlag(a.pid, 33)).toBe(SS.WASSET)
    expect(flags.clearFlag(a.pid, 33)).toBe(SS.WASCLR)
  })

  it('$WAITFR puts the process in LEF until the flag is set, with the setter choosing the boost', () => {
    const { s, flags, a } = setup()
    a.priority = 4
    flags.waitForFlag(a.pid, 5)
    expect(a.state).toBe(State.LEF)
    flags.setFlag(a.pid, 6)
    expect(a.state).toBe(State.LEF)
    flags.setFlag(a.pid, 5, PriorityClass.IOCOM)
    expect(a.state).toBe(State.COM)
    expect(a.priority).toBe(6)
    expect(checkInvariants(s)).toEqual([])
  })

  it('$WAITFR returns at once when the flag is already set', () => {
    const { s, flags, a } = setup()
    flags.setFlag(a.pid, 1)
    flags.waitForFlag(a.pid, 1)
    expect(s.current).toBe(a)
  })

  it('$WFLOR wakes on any flag of the mask, $WFLAND only on all of them', () => {
    const { s, flags, a } = setup()
    flags.waitForAll(a.pid, 0, 0b1110)
    flags.setFlag(a.pid, 1)
    flags.setFlag(a.pid, 2)
    expect(a.state).toBe(State.LEF)
    flags.setFlag(a.pid, 3)
    expect(a.state).toBe(State.COM)
    s.dispatch()
    const b = s.current
    flags.waitForAny(b.pid, 32, 0b1100)
    expect(b.state).toBe(State.LEF)
    flags.setFlag(b.pid, 35)
    expect(b.state).toBe(State.COM)
  })

  it('bad flag numbers get SS$_ILLEFC and change nothing', () => {
    const { s, flags, a } = setup()
    for (const efn of [-1, 128, 1000, 2.5, Number.NaN]) {
      expect(flags.setFlag(a.pid, efn)).toBe(SS.ILLEFC)
      expect(flags.waitForFlag(a.pid, efn)).toBe(SS.ILLEFC)
    }
    expect(a.localFlags).toEqual([0, 0])
    expect(s.current).toBe(a)
    expect(flags.setFlag(0x999, 1)).toBe(SS.NONEXPR)
  })
})

describe('common event flag clusters (book 12.1.2)', () => {
  it('a flag in an unassociated common cluster is SS$_UNASEFC', () => {
    const { flags, a } = setup()
    expect(flags.setFlag(a.pid, 64)).toBe(SS.UNASEFC)
    expect(flags.waitForFlag(a.pid, 100)).toBe(SS.UNASEFC)
    expect(flags.associate(a.pid, 3, 'LOCAL')).toBe(SS.ILLEFC)
    expect(flags.associate(a.pid, 64, 'bad name!')).toBe(SS.IVLOGNAM)
  })

  it('processes of one group share a cluster by name; other groups get their own', () => {
    const { s, flags, a, b, other } = setup()
    expect(flags.associate(a.pid, 64, 'SYNC')).toBe(SS.NORMAL)
    expect(flags.associate(b.pid, 96, 'sync')).toBe(SS.NORMAL)
    expect(flags.associate(other.pid, 64, 'SYNC')).toBe(SS.NORMAL)
    flags.setFlag(a.pid, 70)
    expect(flags.readFlags(b.pid, 102)).toEqual({ status: SS.WASSET, flags: 1 << 6 })
    expect(flags.readFlags(other.pid, 70)).toEqual({ status: SS.WASCLR, flags: 0 })
    // A waits in CEF; B (another process) sets the flag and A becomes computable.
    a.priority = 4
    flags.waitForFlag(a.pid, 65)
    expect(a.state).toBe(State.CEF)
    s.dispatch()
    flags.setFlag(b.pid, 97, PriorityClass.RESAVL)
    expect(a.state).toBe(State.COM)
    expect(a.priority).toBe(7)
    expect(checkInvariants(s)).toEqual([])
  })

  it('a temporary cluster disappears with its last association; a permanent one stays', () => {
    const { flags, a, b } = setup()
    a.privileges.add('PRMCEB') // needed to create a permanent cluster (Table 12-1)
    flags.associate(a.pid, 64, 'TEMP')
    flags.associate(a.pid, 96, 'PERM', true)
    flags.setFlag(a.pid, 64)
    flags.setFlag(a.pid, 96)
    flags.disassociate(a.pid, 64)
    flags.disassociate(a.pid, 96)
    flags.associate(b.pid, 64, 'TEMP')
    flags.associate(b.pid, 96, 'PERM')
    expect(flags.readFlags(b.pid, 64).flags).toBe(0)
    expect(flags.readFlags(b.pid, 96).flags).toBe(1)
  })
})

describe('temporary and permanent clusters, $DACEFC and $DLCEFC (book 12.1.2)', () => {
  /** Everything the flags service holds about the clusters named here, and the scheduler. */
  function state(s: Scheduler, flags: EventFlags, names: string[]) {
    return {
      scheduler: snapshot(s),
      clusters: names.map((n) => [0o200, 0o300].map((g) => flags.clusterInfo(g, n))),
      reads: s.processes().map((p) => [64, 96].map((efn) => flags.readFlags(p.pid, efn))),
    }
  }

  it('$ASCEFC of a new permanent cluster needs PRMCEB: SS$_NOPRIV, and nothing changes', () => {
    const { s, flags, a } = setup()
    flags.associate(a.pid, 64, 'OLD')
    const before = state(s, flags, ['OLD', 'PERM'])
    expect(flags.associate(a.pid, 64, 'PERM', true)).toBe(SS.NOPRIV)
    expect(state(s, flags, ['OLD', 'PERM'])).toEqual(before)
    a.privileges.add('PRMCEB')
    expect(flags.associate(a.pid, 64, 'PERM', true)).toBe(SS.NORMAL)
    expect(flags.clusterInfo(0o200, 'PERM')).toMatchObject({ permanent: true, references: 1 })
    expect(flags.clusterInfo(0o200, 'OLD')).toBeUndefined() // dissociated, and temporary
  })

  it('an existing cluster needs no privilege to join, whatever is asked for', () => {
    const { flags, a, b } = setup()
    a.privileges.add('PRMCEB')
    flags.associate(a.pid, 64, 'PERM', true)
    expect(flags.associate(b.pid, 64, 'PERM', true)).toBe(SS.NORMAL)
    expect(flags.clusterInfo(0o200, 'PERM')).toMatchObject({ permanent: true, references: 2 })
  })

  it('CEB$W_REFC counts each association; re-associating the same cluster keeps its flags', () => {
    const { flags, a } = setup()
    flags.associate(a.pid, 64, 'BOTH')
    flags.associate(a.pid, 96, 'BOTH')
    flags.setFlag(a.pid, 64)
    expect(flags.clusterInfo(0o200, 'BOTH')).toMatchObject({ references: 2, flags: 1 })
    expect(flags.associate(a.pid, 64, 'both')).toBe(SS.NORMAL)
    expect(flags.clusterInfo(0o200, 'BOTH')).toMatchObject({ references: 2, flags: 1 })
    flags.disassociate(a.pid, 64)
    expect(flags.readFlags(a.pid, 96)).toEqual({ status: SS.WASSET, flags: 1 })
    flags.disassociate(a.pid, 96)
    expect(flags.clusterInfo(0o200, 'BOTH')).toBeUndefined()
  })

  it('$DLCEFC deletes an unused permanent cluster at once', () => {
    const { flags, a } = setup()
    a.privileges.add('PRMCEB')
    flags.associate(a.pid, 64, 'PERM', true)
    flags.setFlag(a.pid, 65)
    flags.disassociate(a.pid, 64)
    expect(flags.clusterInfo(0o200, 'PERM')).toMatchObject({ references: 0, flags: 2 })
    expect(flags.deleteCluster(a.pid, 'perm')).toBe(SS.NORMAL)
    expect(flags.clusterInfo(0o200, 'PERM')).toBeUndefined()
  })

  it('$DLCEFC of a cluster in use clears CEB$V_PERM; it goes when the last process dissociates', () => {
    const { flags, a, b } = setup()
    a.privileges.add('PRMCEB')
    flags.associate(a.pid, 64, 'PERM', true)
    flags.associate(b.pid, 96, 'PERM')
    expect(flags.deleteCluster(a.pid, 'PERM')).toBe(SS.NORMAL)
    expect(flags.clusterInfo(0o200, 'PERM')).toMatchObject({ permanent: false, references: 2 })
    flags.disassociate(a.pid, 64)
    expect(flags.clusterInfo(0o200, 'PERM')).toMatchObject({ references: 1 })
    flags.deleteProcess(b.pid) // process rundown dissociates (book 21.3 step 15)
    expect(flags.clusterInfo(0o200, 'PERM')).toBeUndefined()
  })

  it("$DLCEFC acts in the caller's group only, and needs PRMCEB; failures change nothing", () => {
    const { s, flags, a, b, other } = setup()
    a.privileges.add('PRMCEB')
    other.privileges.add('PRMCEB')
    flags.associate(a.pid, 64, 'PERM', true)
    flags.disassociate(a.pid, 64)
    const before = state(s, flags, ['PERM'])
    expect(flags.deleteCluster(other.pid, 'PERM')).toBe(SS.NORMAL) // group 300 has none
    expect(flags.deleteCluster(b.pid, 'PERM')).toBe(SS.NOPRIV) // B lacks PRMCEB
    expect(flags.deleteCluster(a.pid, 'bad name!')).toBe(SS.IVLOGNAM)
    expect(flags.deleteCluster(0x999, 'PERM')).toBe(SS.NONEXPR)
    expect(state(s, flags, ['PERM'])).toEqual(before)
  })

  it('rundown lets a temporary cluster go with its last process', () => {
    const { flags, a, b } = setup()
    flags.associate(a.pid, 64, 'TEMP')
    flags.associate(b.pid, 64, 'TEMP')
    flags.deleteProcess(a.pid)
    expect(flags.clusterInfo(0o200, 'TEMP')).toMatchObject({ references: 1 })
    flags.deleteProcess(b.pid)
    expect(flags.clusterInfo(0o200, 'TEMP')).toBeUndefined()
  })
})

describe('timers (book 11.4)', () => {
  it('$SETIMR clears the flag now and sets it at expiration with the timer boost', () => {
    const { s, flags, a } = setup()
    flags.setFlag(a.pid, 9)
    expect(new Timers(s, flags).setTimer(a.pid, 5 * TICK, { efn: 9 })).toBe(SS.NORMAL)
    expect(flags.readFlags(a.pid, 9).status).toBe(SS.WASCLR)
  })

  it('expires requests in time order, drops cancelled ones, and boosts by PRI$_TIMER', () => {
    const { s, flags, a, b } = setup()
    const timers = new Timers(s, flags)
    timers.setTimer(a.pid, 30, { efn: 3, requestId: 1 })
    timers.setTimer(a.pid, 10, { efn: 1, requestId: 2 })
    timers.setTimer(a.pid, 20, { efn: 2, requestId: 1 })
    expect(timers.pending().map((t) => t.efn)).toEqual([1, 2, 3])
    timers.cancelTimer(a.pid, 1)
    expect(timers.pending().map((t) => t.efn)).toEqual([1])
    a.priority = 4
    flags.waitForFlag(a.pid, 1)
    timers.expire(9)
    expect(a.state).toBe(State.LEF)
    timers.expire(10)
    expect(a.state).toBe(State.COM)
    expect(a.priority).toBe(7)
    expect(timers.setTimer(b.pid, 1, { efn: 200 })).toBe(SS.ILLEFC)
    expect(timers.setTimer(0x999, 1)).toBe(SS.NONEXPR)
    expect(timers.pending()).toEqual([])
  })

  it('$SCHDWK repeats until $CANWAK', () => {
    const s = new Scheduler()
    const flags = new EventFlags(s)
    const a = s.createProcess({ name: 'A', basePriority: 4 })
    const timers = new Timers(s, flags)
    // Every 10 ms: a shorter interval would be raised to 10 ms (book 11.5.2 step 3).
    timers.scheduleWakeup(a.pid, TICK, TICK)
    let wakes = 0
    for (let now = 0; now <= 10 * TICK; now += TICK / 2) {
      if (s.current === a) s.hibernate()
      const before = a.state
      timers.expire(now)
      if (before === State.HIB && a.state === State.COM) wakes++
      s.dispatch()
    }
    expect(wakes).toBe(10)
    timers.cancelWakeup(a.pid)
    expect(timers.nextExpiration()).toBeUndefined()
  })
})

describe('TQEs in nonpaged pool, charged to TQELM (book 11.4.1, 11.5)', () => {
  /** Pool as a list of live blocks; `room` blocks at most. */
  function pool(room = 100) {
    const blocks: { address: number; bytes: number; type: number }[] = []
    let address = 0
    const memory: DynamicMemory = {
      allocate: (bytes, type) => {
        if (blocks.length >= room) return { status: SS.INSFMEM, address: 0 }
        address += 64
        blocks.push({ address, bytes, type })
        return { status: SS.NORMAL, address }
      },
      deallocate: (at) => {
        const i = blocks.findIndex((b) => b.address === at)
        expect(i).toBeGreaterThanOrEqual(0)
        blocks.splice(i, 1)
      },
    }
    return { memory, blocks }
  }

  it('a TQE (DYN$C_TQE, TQE$K_LENGTH) goes back to pool when it fires, or is cancelled', () => {
    const { s, flags, a } = setup()
    const { memory, blocks } = pool()
    const timers = new Timers(s, flags, undefined, { memory })
    timers.setTimer(a.pid, 10, { efn: 1 })
    timers.setTimer(a.pid, 20, { efn: 2, requestId: 5 })
    timers.scheduleWakeup(a.pid, 30)
    expect(blocks.map((b) => [b.bytes, b.type])).toEqual([
      [TQE_LENGTH, DYN.TQE],
      [TQE_LENGTH, DYN.TQE],
      [TQE_LENGTH, DYN.TQE],
    ])
    timers.expire(10)
    expect(blocks.length).toBe(2)
    timers.cancelTimer(a.pid, 5)
    expect(blocks.length).toBe(1)
    timers.expire(30) // a wakeup that does not repeat
    expect(blocks.length).toBe(0)
  })

  it('a repeating wakeup keeps its TQE; a timer AST keeps it as its ACB until delivery', () => {
    const { s, flags, a } = setup()
    const { memory, blocks } = pool()
    const asts = new AstManager(s, memory)
    asts.createProcess(a.pid, 10)
    const timers = new Timers(s, flags, asts, { memory })
    timers.scheduleWakeup(a.pid, 10, 10)
    timers.expire(50)
    expect(blocks.length).toBe(1)
    timers.cancelWakeup(a.pid)
    timers.setTimer(a.pid, 60, { ast: { routine: 0x400 } })
    timers.expire(60)
    expect(asts.state(a.pid)?.queue[0]?.block).toBe(blocks[0]?.address)
    expect(asts.deliver(a.pid, 3).kind).toBe('deliver')
    expect(blocks).toEqual([])
  })

  it('beyond TQELM a request is SS$_EXQUOTA, without pool SS$_INSFMEM; the flag is left alone', () => {
    const { s, flags, a, b } = setup()
    const { memory } = pool(3)
    const timers = new Timers(s, flags, undefined, { memory, quota: 2 })
    flags.setFlag(a.pid, 4)
    expect(timers.setTimer(a.pid, 10, { efn: 1 })).toBe(SS.NORMAL)
    expect(timers.scheduleWakeup(a.pid, 10)).toBe(SS.NORMAL)
    expect(timers.setTimer(a.pid, 10, { efn: 4 })).toBe(SS.EXQUOTA)
    expect(timers.scheduleWakeup(a.pid, 10)).toBe(SS.EXQUOTA)
    expect(flags.readFlags(a.pid, 4).status).toBe(SS.WASSET)
    expect(timers.setTimer(b.pid, 10, { efn: 1 })).toBe(SS.NORMAL)
    expect(timers.setTimer(b.pid, 10, { efn: 1 })).toBe(SS.INSFMEM)
    expect(timers.queuedBy(a.pid)).toBe(2)
    expect(timers.queuedBy(b.pid)).toBe(1)
  })

  it('a timer AST is charged to ASTCNT at $SETIMR and given back at delivery or $CANTIM', () => {
    const { s, flags, a } = setup()
    const asts = new AstManager(s)
    asts.createProcess(a.pid, 2)
    const timers = new Timers(s, flags, asts)
    const ast = { routine: 0x400 }
    expect(timers.setTimer(a.pid, 10, { ast, requestId: 1 })).toBe(SS.NORMAL)
    expect(timers.setTimer(a.pid, 20, { ast, requestId: 2 })).toBe(SS.NORMAL)
    flags.setFlag(a.pid, 0)
    expect(timers.setTimer(a.pid, 30, { ast })).toBe(SS.EXQUOTA)
    expect(flags.readFlags(a.pid, 0).status).toBe(SS.WASSET) // nothing changed
    expect(asts.state(a.pid)?.remaining).toBe(0)
    timers.cancelTimer(a.pid, 2)
    expect(asts.state(a.pid)?.remaining).toBe(1)
    timers.expire(10)
    expect(asts.state(a.pid)?.remaining).toBe(1) // queued, not yet delivered
    expect(asts.deliver(a.pid, 3).kind).toBe('deliver')
    expect(asts.state(a.pid)?.remaining).toBe(2)
  })
})
