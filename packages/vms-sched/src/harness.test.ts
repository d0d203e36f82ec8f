import { describe, expect, it } from 'vitest'
import { Harness } from './harness'
import { checkInvariants } from './scheduler'

describe('Harness: scripted processes on the scheduler', () => {
  it('an event flag set by a compute-bound process preempts it for the waiting process (book 10.4.3)', () => {
    const h = new Harness({ quantum: 4 })
    h.spawn('EDITOR', 4, [{ compute: 1 }, { waitfr: 1 }, { compute: 1 }])
    h.spawn('BATCH', 4, [{ compute: 12 }, { setef: 1, of: 'EDITOR' }, { compute: 3 }])
    h.run(20)
    const at = (text: string) => h.trace.findIndex((l) => l.endsWith(text))
    expect(at('wait EDITOR LEF')).toBeGreaterThan(0)
    expect(h.trace[at('event EVENT_FLAG for EDITOR in LEF') + 1]).toMatch(
      /^t=0\.130 {2}schedule EDITOR pri 8$/,
    )
    expect(at('exit EDITOR')).toBeLessThan(at('exit BATCH'))
    // 1 + 1 ticks for the editor, 12 + 3 for batch, the rest idle.
    const byName = new Map(h.scheduler.processes().map((p) => [p.name, p.cpuTicks]))
    expect(byName.get('NULL')).toBe(20 - 17)
    expect(checkInvariants(h.scheduler)).toEqual([])
  })

  it('compute-bound processes of one priority share the CPU by quanta', () => {
    const h = new Harness({ quantum: 5 })
    const a = h.spawn('A', 4, [{ compute: 1000 }])
    const b = h.spawn('B', 4, [{ compute: 1000 }])
    const c = h.spawn('C', 4, [{ compute: 1000 }])
    h.run(300)
    for (const p of [a, b, c]) expect(Math.abs(p.cpuTicks - 100)).toBeLessThanOrEqual(5)
  })

  it('a higher base priority starves a lower one while it computes; $HIBER/$WAKE hand the CPU back', () => {
    const h = new Harness()
    const low = h.spawn('LOW', 2, [{ compute: 50 }])
    h.spawn('HIGH', 8, [{ compute: 10 }, { hibernate: true }, { compute: 10 }])
    h.run(30)
    expect(low.cpuTicks).toBe(20)
    h.spawn('WAKER', 9, [{ wake: 'HIGH' }])
    h.run(30)
    expect(h.trace.some((l) => l.endsWith('event WAKE for HIGH in HIB'))).toBe(true)
    expect(low.cpuTicks).toBe(40)
  })

  it('$SETIMR sleeps a process for the given ticks with the timer boost', () => {
    const h = new Harness()
    const p = h.spawn('SLEEPER', 4, [{ setimr: 7, efn: 2 }, { waitfr: 2 }, { compute: 1 }])
    h.spawn('HOG', 4, [{ compute: 100 }])
    h.run(20)
    const woke = h.trace.find((l) => l.includes('event EVENT_FLAG for SLEEPER'))
    expect(woke).toMatch(/^t=0\.070 /)
    expect(p.cpuTicks).toBe(1)
  })

  it('$SUSPND takes effect when the target runs; a $RESUME before that cancels it (book 12.2.2, "Suspend/Resume")', () => {
    const h = new Harness()
    const work = h.spawn('WORK', 4, [{ compute: 3 }])
    h.spawn('CTL', 8, [{ suspend: 'WORK' }, { compute: 2 }, { resume: 'WORK' }])
    h.run(10)
    expect(h.trace.some((l) => l.endsWith('suspend WORK'))).toBe(true)
    expect(h.trace.some((l) => l.endsWith('wait WORK SUSP'))).toBe(false)
    expect(work.cpuTicks).toBe(3)

    const g = new Harness()
    const held = g.spawn('WORK', 4, [{ compute: 3 }])
    g.spawn('CTL', 8, [{ suspend: 'WORK' }, { hibernate: true }])
    g.run(10)
    expect(g.trace.some((l) => l.endsWith('wait WORK SUSP'))).toBe(true)
    expect(held.cpuTicks).toBe(0)
    expect(checkInvariants(g.scheduler)).toEqual([])
  })
})
