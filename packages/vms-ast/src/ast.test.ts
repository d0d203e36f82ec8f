import {
  DYN,
  type DynamicMemory,
  PriorityClass,
  type ProcessEvents,
  SS,
  type SystemEvent,
} from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { ACB_LENGTH, type Acb, type AccessMode, AstManager } from './ast'

/** A scheduler stand-in that records every SCH$RSE call. */
function recorder() {
  const events: { pid: number; event: SystemEvent; priorityClass: number }[] = []
  const scheduler: ProcessEvents = {
    reportSystemEvent(pid, event, priorityClass) {
      events.push({ pid, event, priorityClass })
      return SS.NORMAL
    },
  }
  return { events, asts: new AstManager(scheduler) }
}

const acb = (mode: AccessMode, routine: number, extra: Partial<Acb> = {}): Acb => ({
  pid: 7,
  mode,
  routine,
  parameter: routine * 10,
  ...extra,
})

describe('SCH$QAST queue order (book 7.4)', () => {
  it('orders by mode, kernel first, special kernel ASTs ahead of normal ones, FIFO within a mode', () => {
    const { asts } = recorder()
    asts.createProcess(7, 10)
    asts.queue(acb(3, 1))
    asts.queue(acb(0, 2))
    asts.queue(acb(1, 3))
    asts.queue(acb(3, 4))
    asts.queue(acb(0, 5, { special: true }))
    asts.queue(acb(0, 6))
    asts.queue(acb(2, 7))
    asts.queue(acb(0, 8, { special: true }))
    expect(asts.state(7)?.queue.map((a) => a.routine)).toEqual([5, 8, 2, 6, 3, 7, 1, 4])
  })

  it('reports the AST event to the scheduler with the caller-chosen boost class (book 10.4.3)', () => {
    const { asts, events } = recorder()
    asts.createProcess(7, 10)
    asts.queue(acb(3, 1), PriorityClass.TIMER)
    expect(events).toEqual([{ pid: 7, event: 'AST', priorityClass: PriorityClass.TIMER }])
  })

  it('refuses a nonexistent process with SS$_NONEXPR and reports nothing', () => {
    const { asts, events } = recorder()
    expect(asts.queue(acb(3, 1))).toBe(SS.NONEXPR)
    expect(asts.declare(99, 3, 1)).toBe(SS.NONEXPR)
    expect(asts.setAst(99, 3, false)).toBe(SS.NONEXPR)
    expect(events).toEqual([])
  })
})

describe('ASTLVL (book 7.3)', () => {
  it('is the mode of the first queued AST, 0 for a special kernel AST, 4 for none', () => {
    const { asts } = recorder()
    asts.createProcess(7, 10)
    expect(asts.astLevel(7)).toBe(4)
    asts.queue(acb(3, 1))
    expect(asts.astLevel(7)).toBe(3)
    asts.queue(acb(1, 2))
    expect(asts.astLevel(7)).toBe(1)
    asts.queue(acb(0, 3, { special: true }))
    expect(asts.astLevel(7)).toBe(0)
  })
})

describe('SCH$ASTDEL delivery rules (book 7.5.1)', () => {
  it('delivers an AST only to a mode at least as privileged as the one being returned to', () => {
    const { asts } = recorder()
    asts.createProcess(7, 10)
    asts.queue(acb(3, 1))
    // Returning to kernel mode: a user AST must wait (ASTLVL stays 3).
    expect(asts.deliver(7, 0)).toEqual({ kind: 'blocked', astlvl: 3 })
    const d = asts.deliver(7, 3)
    expect(d.kind).toBe('deliver')
    expect(d.kind === 'deliver' && d.acb.routine).toBe(1)
    expect(asts.deliver(7, 3)).toEqual({ kind: 'none' })
  })

  it('a kernel AST is delivered whatever mode the process returns to', () => {
    const { asts } = recorder()
    asts.createProcess(7, 10)
    asts.queue(acb(0, 1))
    expect(asts.deliver(7, 3).kind).toBe('deliver')
  })

  it('holds back a second AST of a mode while one is active there, until AST exit', () => {
    const { asts } = recorder()
    asts.createProcess(7, 10)
    asts.queue(acb(3, 1))
    asts.queue(acb(3, 2))
    expect(asts.deliver(7, 3).kind).toBe('deliver')
    expect(asts.state(7)?.active).toBe(0b1000)
    expect(asts.deliver(7, 3)).toEqual({ kind: 'blocked', astlvl: 4 })
    expect(asts.hasDeliverable(7, 3)).toBe(false)
    asts.exitAst(7, 3)
    expect(asts.hasDeliverable(7, 3)).toBe(true)
    const d = asts.deliver(7, 3)
    expect(d.kind === 'deliver' && d.acb.routine).toBe(2)
  })

  it('special kernel ASTs are delivered even when kernel ASTs are disabled or active', () => {
    const { asts } = recorder()
    asts.createProcess(7, 10)
    asts.setAst(7, 0, false)
    asts.queue(acb(0, 1))
    asts.queue(acb(0, 2, { special: true }))
    const d = asts.deliver(7, 0)
    expect(d.kind === 'deliver' && d.acb.routine).toBe(2)
    expect(asts.deliver(7, 0)).toEqual({ kind: 'blocked', astlvl: 1 })
  })
})

describe('$SETAST', () => {
  it('returns SS$_WASSET / SS$_WASCLR for the previous state and gates delivery for that mode only', () => {
    const { asts } = recorder()
    asts.createProcess(7, 10)
    expect(asts.setAst(7, 3, false)).toBe(SS.WASSET)
    expect(asts.setAst(7, 3, false)).toBe(SS.WASCLR)
    asts.queue(acb(3, 1))
    expect(asts.deliver(7, 3).kind).toBe('blocked')
    asts.queue(acb(2, 2))
    expect(asts.deliver(7, 3).kind).toBe('deliver') // supervisor AST unaffected
    expect(asts.setAst(7, 3, true)).toBe(SS.WASCLR)
    expect(asts.deliver(7, 3).kind).toBe('deliver')
  })
})

describe('$DCLAST and the AST quota', () => {
  it('charges ASTCNT, refuses with SS$_EXQUOTA when used up without changing anything, and returns it on delivery', () => {
    const { asts, events } = recorder()
    asts.createProcess(7, 2)
    expect(asts.declare(7, 3, 1)).toBe(SS.NORMAL)
    expect(asts.declare(7, 3, 2)).toBe(SS.NORMAL)
    const before = asts.state(7)
    expect(asts.declare(7, 3, 3)).toBe(SS.EXQUOTA)
    expect(asts.state(7)).toEqual(before)
    expect(events).toHaveLength(2)
    asts.deliver(7, 3)
    expect(asts.state(7)?.remaining).toBe(1)
    asts.exitAst(7, 3)
    expect(asts.declare(7, 3, 3)).toBe(SS.NORMAL)
  })

  it('cannot queue an AST for a more privileged mode than the caller', () => {
    const { asts } = recorder()
    asts.createProcess(7, 5)
    asts.declare(7, 3, 1, 0, 0)
    expect(asts.state(7)?.queue[0]?.mode).toBe(3)
    asts.declare(7, 1, 2, 0, 2)
    expect(asts.state(7)?.queue[0]?.mode).toBe(2)
  })
})

/** Dynamic memory that hands out numbered blocks, up to `limit` at once, and records them. */
function countingMemory(limit = Number.POSITIVE_INFINITY) {
  const live = new Map<number, { bytes: number; type: number }>()
  let next = 0x1000
  const memory: DynamicMemory = {
    allocate(bytes, type) {
      if (live.size >= limit) return { status: SS.INSFMEM, address: 0 }
      next += 0x40
      live.set(next, { bytes, type })
      return { status: SS.NORMAL, address: next }
    },
    deallocate(address) {
      if (!live.delete(address)) throw new Error(`deallocated ${address} twice or never allocated`)
    },
  }
  return { memory, live }
}

describe('ACBs in nonpaged pool (book 7.2.2, 7.5.1 step i)', () => {
  const scheduler: ProcessEvents = { reportSystemEvent: () => SS.NORMAL }

  it('$DCLAST allocates an ACB (DYN$C_ACB, ACB$K_LENGTH) that delivery returns to pool', () => {
    const { memory, live } = countingMemory()
    const asts = new AstManager(scheduler, memory)
    asts.createProcess(7, 10)
    expect(asts.declare(7, 3, 0x200)).toBe(SS.NORMAL)
    expect([...live.values()]).toEqual([{ bytes: ACB_LENGTH, type: DYN.ACB }])
    expect(asts.deliver(7, 3).kind).toBe('deliver')
    expect(live.size).toBe(0)
  })

  it('deleting a process returns the ACBs of its undelivered ASTs', () => {
    const { memory, live } = countingMemory()
    const asts = new AstManager(scheduler, memory)
    asts.createProcess(7, 10)
    asts.declare(7, 3, 0x200)
    asts.declare(7, 3, 0x300)
    expect(live.size).toBe(2)
    asts.deleteProcess(7)
    expect(live.size).toBe(0)
  })

  it('with no pool left $DCLAST is SS$_INSFMEM, and neither the queue nor the quota changes', () => {
    const { memory } = countingMemory(0)
    const asts = new AstManager(scheduler, memory)
    asts.createProcess(7, 10)
    expect(asts.declare(7, 3, 0x200)).toBe(SS.INSFMEM)
    expect(asts.state(7)).toMatchObject({ queue: [], remaining: 10 })
  })
})
