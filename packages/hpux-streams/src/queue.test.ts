/**
 * The SVR4 DDI queue routines (putq, getq, putbq, flushq, canput, qenable) and the
 * flow-control rules of the STREAMS Programmer's Guide ("Flow Control", "Message
 * Queueing Priority"), checked on bare queues.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  allocb,
  dupmsg,
  freemsg,
  M_DATA,
  M_FLUSH,
  M_IOCTL,
  M_PCPROTO,
  M_PROTO,
  type Mblk,
  mkmsg,
  msgdsize,
} from './message'
import {
  allocqPair,
  canput,
  enableok,
  FLUSHALL,
  FLUSHDATA,
  flushq,
  getq,
  INFPSZ,
  noenable,
  putbq,
  putq,
  QENAB,
  QFULL,
  type Queue,
  QWANTW,
  type Streamtab,
} from './queue'
import { Scheduler } from './scheduler'

/** A queue pair with a service procedure that records its runs (hiwat 100, lowat 40). */
function pair(sched: Scheduler, runs: string[], name = 'q', srv = true): Queue {
  const minfo = { id: 1, name, minpsz: 0, maxpsz: INFPSZ, hiwat: 100, lowat: 40 }
  const tab: Streamtab = {
    rdinit: { put: () => {}, ...(srv ? { srv: () => void runs.push(name) } : {}), minfo },
    wrinit: { put: () => {}, minfo },
  }
  return allocqPair(tab, sched)
}
const data = (n: number, type = M_DATA): Mblk => mkmsg(type, new Uint8Array(n))
const types = (q: Queue) => {
  const out: number[] = []
  for (let mp = q.first; mp; mp = mp.next) out.push(mp.datap.type)
  return out
}

describe('putq and priority messages (SVR4 STREAMS: message queueing priority)', () => {
  it('queues high-priority messages ahead of ordinary ones, in arrival order among themselves', () => {
    const q = pair(new Scheduler(), [])
    putq(q, data(1))
    putq(q, data(1, M_PROTO))
    putq(q, data(1, M_PCPROTO))
    putq(q, data(1, M_FLUSH))
    putq(q, data(1))
    expect(types(q)).toEqual([M_PCPROTO, M_FLUSH, M_DATA, M_PROTO, M_DATA])
  })

  it('counts only ordinary messages against the water marks: priority messages bypass flow control', () => {
    const q = pair(new Scheduler(), [])
    putq(q, data(500, M_PCPROTO))
    expect(q.count).toBe(0)
    expect(q.flag & QFULL).toBe(0)
    expect(canput(q)).toBe(true)
  })

  it('schedules the service procedure for a priority message even when noenabled', () => {
    const sched = new Scheduler()
    const runs: string[] = []
    const q = pair(sched, runs)
    noenable(q)
    putq(q, data(1))
    expect(sched.runqueues()).toBe(0)
    putq(q, data(1, M_PCPROTO))
    expect(sched.runqueues()).toBe(1)
    enableok(q)
  })

  it('schedules on an ordinary putq only when a getq found the queue empty (QWANTR)', () => {
    const sched = new Scheduler()
    const runs: string[] = []
    const q = pair(sched, runs)
    putq(q, data(1)) // new queues want reading
    putq(q, data(1)) // already enabled
    expect(sched.runqueues()).toBe(1)
    getq(q) // took a message, the queue is not empty: QWANTR clears
    putq(q, data(1)) // so this does not schedule the queue
    expect(sched.runqueues()).toBe(0)
    while (getq(q)) {}
    putq(q, data(1))
    expect(sched.runqueues()).toBe(1)
  })

  it('putbq puts a message back at the head of its class', () => {
    const q = pair(new Scheduler(), [])
    putq(q, data(1, M_PCPROTO))
    putq(q, data(2))
    const mp = getq(q) as Mblk
    expect(mp.datap.type).toBe(M_PCPROTO)
    const second = getq(q) as Mblk
    putq(q, data(3, M_PROTO))
    putbq(q, second)
    putbq(q, mp)
    expect(types(q)).toEqual([M_PCPROTO, M_DATA, M_PROTO])
    expect(q.count).toBe(5)
  })
})

describe('flow control: high and low water marks, canput and back-enabling', () => {
  it('is full at the high water mark and stays full until below the low water mark', () => {
    const q = pair(new Scheduler(), [])
    putq(q, data(60))
    expect(q.flag & QFULL).toBe(0)
    putq(q, data(40)) // 100 = hiwat
    expect(q.flag & QFULL).toBe(QFULL)
    putq(q, data(30))
    getq(q) // 70 left: between the marks, still full
    expect(q.count).toBe(70)
    expect(q.flag & QFULL).toBe(QFULL)
    getq(q) // 30 < lowat 40
    expect(q.flag & QFULL).toBe(0)
  })

  it('canput marks QWANTW, and draining below the low water mark back-enables the writer behind', () => {
    const sched = new Scheduler()
    const runs: string[] = []
    const upper = pair(sched, runs, 'upper')
    const lower = pair(sched, runs, 'lower')
    upper.next = lower
    lower.prev = upper
    putq(lower, data(100))
    sched.runqueues()
    runs.length = 0
    expect(canput(lower)).toBe(false)
    expect(lower.flag & QWANTW).toBe(QWANTW)
    getq(lower)
    expect(lower.flag & QWANTW).toBe(0)
    expect(upper.flag & QENAB).toBe(QENAB)
    sched.runqueues()
    expect(runs).toEqual(['upper'])
  })

  it('canput looks past queues without a service procedure to the next one that has one', () => {
    const sched = new Scheduler()
    const a = pair(sched, [], 'a', false)
    const b = pair(sched, [], 'b', false)
    const c = pair(sched, [], 'c', true)
    a.next = b
    b.next = c
    c.prev = b
    b.prev = a
    putq(c, data(100))
    expect(canput(a)).toBe(false)
    expect(c.flag & QWANTW).toBe(QWANTW)
  })

  it('flushq FLUSHDATA keeps control messages, FLUSHALL removes everything, and both re-open flow', () => {
    const sched = new Scheduler()
    const q = pair(sched, [])
    putq(q, data(80))
    putq(q, data(30, M_PROTO))
    putq(q, data(4, M_IOCTL))
    expect(q.flag & QFULL).toBe(QFULL)
    flushq(q, FLUSHDATA)
    expect(types(q)).toEqual([M_IOCTL])
    expect(q.flag & QFULL).toBe(0)
    flushq(q, FLUSHALL)
    expect(q.first).toBeNull()
    expect(q.count).toBe(0)
  })
})

describe('the scheduler (runqueues)', () => {
  it('runs enabled queues in the order they were enabled, and queues they enable after them', () => {
    const sched = new Scheduler()
    const runs: string[] = []
    const a = pair(sched, runs, 'a')
    const b = pair(sched, runs, 'b')
    putq(b, data(1))
    putq(a, data(1))
    expect(sched.pending).toBe(true)
    expect(sched.runqueues()).toBe(2)
    expect(runs).toEqual(['b', 'a'])
    expect(sched.pending).toBe(false)
  })

  it('does not re-enter from inside a service procedure', () => {
    const sched = new Scheduler()
    let inner = -1
    const minfo = { id: 1, name: 'x', minpsz: 0, maxpsz: INFPSZ, hiwat: 10, lowat: 1 }
    const q = allocqPair(
      {
        rdinit: {
          put: () => {},
          srv: () => {
            inner = sched.runqueues()
          },
          minfo,
        },
        wrinit: { put: () => {}, minfo },
      },
      sched,
    )
    putq(q, data(1))
    sched.runqueues()
    expect(inner).toBe(0)
  })
})

describe('message blocks', () => {
  it('dupmsg shares data blocks (db_ref) and msgdsize counts M_DATA bytes only', () => {
    const mp = mkmsg(M_PROTO, [1, 2, 3])
    mp.cont = mkmsg(M_DATA, [4, 5])
    const dup = dupmsg(mp)
    expect(mp.datap.ref).toBe(2)
    expect(dup.cont?.datap).toBe(mp.cont.datap)
    expect(msgdsize(mp)).toBe(2)
    freemsg(dup)
    expect(mp.datap.ref).toBe(1)
    expect(allocb(8).wptr).toBe(0)
  })
})

describe('queue invariants under random putq/putbq/getq/flushq (randomized)', () => {
  const PRIORITY = [M_PCPROTO, M_FLUSH]
  const ORDINARY = [M_DATA, M_PROTO, M_IOCTL]
  const step = fc.oneof(
    fc.record({
      op: fc.constant('putq' as const),
      type: fc.constantFrom(...PRIORITY, ...ORDINARY),
      n: fc.nat(60),
    }),
    fc.record({ op: fc.constant('putbq' as const) }),
    fc.record({ op: fc.constant('getq' as const) }),
    fc.record({ op: fc.constant('flushq' as const), all: fc.boolean() }),
  )
  for (let seed = 1; seed <= 4; seed++) {
    it(`seed ${seed}: order by class, count, and the water-mark hysteresis hold after every step`, () => {
      fc.assert(
        fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
          const q = pair(new Scheduler(), [])
          // The model: priority and ordinary messages, each in queue order.
          const model = { pri: [] as Mblk[], ord: [] as Mblk[] }
          let taken: Mblk | null = null
          for (const s of steps) {
            if (s.op === 'putq') {
              const mp = data(s.n, s.type)
              putq(q, mp)
              ;(s.type >= 0x80 ? model.pri : model.ord).push(mp)
            } else if (s.op === 'getq') {
              const mp = getq(q)
              expect(mp).toBe(model.pri.shift() ?? model.ord.shift() ?? null)
              taken = mp
            } else if (s.op === 'putbq' && taken) {
              putbq(q, taken)
              ;(taken.datap.type >= 0x80 ? model.pri : model.ord).unshift(taken)
              taken = null
            } else if (s.op === 'flushq') {
              flushq(q, s.all ? FLUSHALL : FLUSHDATA)
              const keep = (m: Mblk) =>
                !s.all && ![M_DATA, M_PROTO, M_PCPROTO].includes(m.datap.type)
              model.pri = model.pri.filter(keep)
              model.ord = model.ord.filter(keep)
            }
            const order: Mblk[] = []
            for (let mp = q.first; mp; mp = mp.next) order.push(mp)
            expect(order).toEqual([...model.pri, ...model.ord])
            expect(q.count).toBe(model.ord.reduce((n, m) => n + (m.wptr - m.rptr), 0))
            if (q.count >= q.hiwat) expect(q.flag & QFULL).toBe(QFULL)
            if (q.count < q.lowat || q.count === 0) expect(q.flag & QFULL).toBe(0)
          }
        }),
        { seed, numRuns: 100 },
      )
    })
  }
})
