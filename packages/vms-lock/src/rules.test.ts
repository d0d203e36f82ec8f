import { DYN, SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { LKI } from './getlki'
import { AccessMode, COMPATIBLE, compatible, LCK, LockMode } from './lck'
import { LKB_LENGTH, RSB_LENGTH } from './structures'
import { Harness } from './testing/harness'

const { NL, CR, PR, PW, EX } = LockMode

describe('13.1.3 lock modes', () => {
  it('follow the compatibility table of the System Services Reference Manual', () => {
    const table = [
      // NL CR CW PR PW EX
      [1, 1, 1, 1, 1, 1], // NL
      [1, 1, 1, 1, 1, 0], // CR
      [1, 1, 1, 0, 0, 0], // CW
      [1, 1, 0, 1, 0, 0], // PR
      [1, 1, 0, 0, 0, 0], // PW
      [1, 0, 0, 0, 0, 0], // EX
    ]
    for (let a = 0; a < 6; a++)
      for (let b = 0; b < 6; b++) expect(compatible(a, b) ? 1 : 0).toBe(table[a]?.[b])
    // The table is symmetric.
    for (let a = 0; a < 6; a++)
      for (let b = 0; b < 6; b++) expect(compatible(a, b)).toBe(compatible(b, a))
    expect(COMPATIBLE).toHaveLength(6)
  })
})

describe('13.2.1 $ENQ of a new lock', () => {
  it('grants a compatible request at once, and SS$_SYNCH with LCK$M_SYNCSTS', () => {
    const h = new Harness()
    expect(h.enq('a', 1, 'R', PR)).toBe('SS$_NORMAL')
    expect(h.take()).toEqual(['a: SS$_NORMAL PR']) // event flag, LKSB and AST for an immediate grant
    expect(h.enq('b', 2, 'R', PR, LCK.M_SYNCSTS)).toBe('SS$_SYNCH')
    expect(h.take()).toEqual([]) // no event flag, no completion AST
    expect(h.stateOf('b')).toBe('PR granted')
  })

  it('queues an incompatible request FIFO on the waiting queue', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', EX)
    h.take()
    expect(h.enq('b', 2, 'R', PR)).toBe('SS$_NORMAL')
    expect(h.enq('c', 3, 'R', CR)).toBe('SS$_NORMAL')
    expect(h.stateOf('b')).toBe('waiting for PR')
    expect(h.stateOf('c')).toBe('waiting for CR')
    expect(h.take()).toEqual(['a: blocking PR'])
    h.deq('a')
    expect(h.take()).toEqual(['b: SS$_NORMAL PR', 'c: SS$_NORMAL CR'])
  })

  it('LCK$M_NOQUEUE: SS$_NOTQUEUED and no lock when it cannot be granted at once', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', PW)
    const before = h.lm.snapshot()
    expect(h.enq('b', 2, 'R', PR, LCK.M_NOQUEUE)).toBe('SS$_NOTQUEUED')
    expect(h.lm.snapshot()).toEqual(before)
    expect(h.enq('c', 2, 'R', CR, LCK.M_NOQUEUE)).toBe('SS$_NORMAL')
  })

  it('a new request waits behind waiting requests even when compatible with the granted locks (FIFO, nothing starves)', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', PR)
    h.enq('b', 2, 'R', EX)
    expect(h.enq('c', 3, 'R', PR)).toBe('SS$_NORMAL')
    expect(h.stateOf('c')).toBe('waiting for PR')
    h.deq('a')
    expect(h.stateOf('b')).toBe('EX granted')
    expect(h.stateOf('c')).toBe('waiting for PR')
  })

  it('a new request waits while a conversion waits (13.1.3: conversions have precedence)', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', PR)
    h.enq('b', 2, 'R', PR)
    h.convert('a', EX)
    expect(h.enq('c', 3, 'R', NL)).toBe('SS$_NORMAL')
    expect(h.stateOf('c')).toBe('waiting for NL')
  })

  it('13.1.1: names are 1 to 31 bytes, qualified by UIC group, access mode and parent', () => {
    const h = new Harness()
    h.lm.addOwner(20, { group: 2 })
    expect(h.enq('a', 1, 'R', EX)).toBe('SS$_NORMAL')
    // Another group: another resource.
    expect(h.enq('b', 20, 'R', EX, LCK.M_NOQUEUE)).toBe('SS$_NORMAL')
    // Another access mode: another resource.
    expect(
      h.enq('c', 2, 'R', EX, LCK.M_NOQUEUE, {
        acmode: AccessMode.SUPERVISOR,
        callerMode: AccessMode.SUPERVISOR,
      }),
    ).toBe('SS$_NORMAL')
    // ACMODE is maximized with the caller's mode: a user caller asking for kernel gets user.
    expect(h.enq('d', 2, 'R', EX, LCK.M_NOQUEUE, { acmode: AccessMode.KERNEL })).toBe(
      'SS$_NOTQUEUED',
    )
    expect(h.enq('e', 1, 'x'.repeat(31), NL)).toBe('SS$_NORMAL')
    expect(h.lm.snapshot().resources.map((r) => [r.name.length, r.group, r.rmod])).toEqual([
      [1, 1, 3],
      [1, 2, 3],
      [1, 1, 2],
      [31, 1, 3],
    ])
  })

  it('LCK$M_SYSTEM: systemwide names need SYSLCK or an inner mode (SS$_NOSYSLCK)', () => {
    const h = new Harness()
    h.lm.addOwner(30, { group: 5, syslck: true })
    expect(h.enq('a', 1, 'S', EX, LCK.M_SYSTEM)).toBe('SS$_NOSYSLCK')
    expect(
      h.enq('b', 1, 'S', EX, LCK.M_SYSTEM, {
        callerMode: AccessMode.EXECUTIVE,
        acmode: AccessMode.USER,
      }),
    ).toBe('SS$_NORMAL')
    // Systemwide: group 5 and group 1 meet on the same resource (at the same access mode).
    expect(h.enq('c', 30, 'S', EX, LCK.M_SYSTEM | LCK.M_NOQUEUE)).toBe('SS$_NOTQUEUED')
    expect(h.lm.snapshot().resources).toMatchObject([{ group: 0, system: true, rmod: 3 }])
  })

  it('ENQLM: SS$_EXENQLM when the quota is used up; LCK$M_NOQUOTA only from an inner mode', () => {
    const h = new Harness()
    h.lm.addOwner(40, { enqlm: 2 })
    expect(h.enq('a', 40, 'A', NL)).toBe('SS$_NORMAL')
    expect(h.enq('b', 40, 'B', NL)).toBe('SS$_NORMAL')
    expect(h.enq('c', 40, 'C', NL)).toBe('SS$_EXENQLM')
    expect(h.enq('d', 40, 'D', NL, LCK.M_NOQUOTA)).toBe('SS$_EXENQLM')
    expect(h.enq('e', 40, 'E', NL, LCK.M_NOQUOTA, { callerMode: AccessMode.KERNEL })).toBe(
      'SS$_NORMAL',
    )
    h.deq('a')
    expect(h.enq('f', 40, 'F', NL)).toBe('SS$_NORMAL')
  })

  it('owners of one job share its quota (JIB$W_ENQCNT)', () => {
    const h = new Harness()
    const quota = { limit: 1, count: 0 }
    h.lm.addOwner(41, { quota })
    h.lm.addOwner(42, { quota })
    expect(h.enq('a', 41, 'A', NL)).toBe('SS$_NORMAL')
    expect(h.enq('b', 42, 'B', NL)).toBe('SS$_EXENQLM')
  })

  it('13.1.4: the lock ID has a sequence number, so an ID used again after $DEQ is SS$_IVLOCKID', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', EX)
    const old = h.id('a')
    h.deq('a')
    h.enq('b', 1, 'R', EX)
    const reused = h.id('b')
    expect(reused & 0xffff).toBe(old & 0xffff) // the freed index is taken first (LCK$GL_NXTID)
    expect(reused).not.toBe(old)
    expect(h.lm.deq({ pid: 1, lockId: old })).toBe(SS.IVLOCKID)
    expect(h.stateOf('b')).toBe('EX granted')
  })

  it('13.1.4: a lock ID is valid only for its own process, from its mode or an inner one', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', EX, 0, { callerMode: AccessMode.SUPERVISOR })
    expect(h.lm.deq({ pid: 2, lockId: h.id('a') })).toBe(SS.IVLOCKID)
    expect(h.lm.deq({ pid: 1, lockId: h.id('a'), callerMode: AccessMode.USER })).toBe(SS.IVLOCKID)
    expect(h.lm.deq({ pid: 1, lockId: h.id('a'), callerMode: AccessMode.KERNEL })).toBe(SS.NORMAL)
  })

  it('the lock ID table grows by LOCKIDTBL up to LOCKIDTBL_MAX, then SS$_NOLOCKID', () => {
    const h = new Harness({ lockIdTable: 2, lockIdTableMax: 3 })
    expect(h.enq('a', 1, 'A', NL)).toBe('SS$_NORMAL')
    expect(h.enq('b', 1, 'B', NL)).toBe('SS$_NORMAL')
    expect(h.enq('c', 1, 'C', NL)).toBe('SS$_NORMAL')
    expect(h.enq('d', 1, 'D', NL)).toBe('SS$_NOLOCKID')
  })
})

describe('13.2.1 sublocks and resource trees', () => {
  it('a sublock names a subresource of its parent lock’s resource, one deeper', () => {
    const h = new Harness()
    h.enq('file', 1, 'FILE', PR)
    expect(h.enq('rec', 1, 'REC1', EX, 0, { parentId: h.id('file') })).toBe('SS$_NORMAL')
    // Same name without the parent: a different resource.
    expect(h.enq('top', 2, 'REC1', EX, LCK.M_NOQUEUE)).toBe('SS$_NORMAL')
    const s = h.lm.snapshot()
    expect(s.resources.map((r) => [r.name, r.depth, r.parent, r.refcnt])).toEqual([
      ['FILE', 0, 0, 1],
      ['REC1', 1, 1, 0],
      ['REC1', 0, 0, 0],
    ])
    expect(s.locks.find((l) => l.lockId === h.id('file'))?.refcnt).toBe(1)
  })

  it('SS$_PARNOTGRANT when the parent waits; SS$_IVLOCKID for another process’s parent', () => {
    const h = new Harness()
    h.enq('a', 1, 'FILE', EX)
    h.enq('b', 2, 'FILE', EX)
    expect(h.enq('c', 2, 'REC', EX, 0, { parentId: h.id('b') })).toBe('SS$_PARNOTGRANT')
    expect(h.enq('d', 2, 'REC', EX, 0, { parentId: h.id('a') })).toBe('SS$_IVLOCKID')
  })

  it('13.2.3: $DEQ of a parent with sublocks is SS$_SUBLOCKS; they go first', () => {
    const h = new Harness()
    h.enq('p', 1, 'P', EX)
    h.enq('s', 1, 'S', EX, 0, { parentId: h.id('p') })
    expect(h.deq('p')).toBe('SS$_SUBLOCKS')
    expect(h.deq('s')).toBe('SS$_NORMAL')
    expect(h.deq('p')).toBe('SS$_NORMAL')
    expect(h.lm.snapshot().resources).toEqual([])
  })

  it('13.1.1: the tree is at most 32 deep (SS$_EXDEPTH)', () => {
    const h = new Harness()
    let parentId = 0
    for (let d = 0; d < 32; d++) {
      const r = h.lm.enq({ pid: 1, mode: NL, resource: `L${d}`, parentId, request: '' })
      expect(r.status).toBe(SS.NORMAL)
      parentId = r.lockId
    }
    expect(h.lm.enq({ pid: 1, mode: NL, resource: 'deep', parentId, request: '' }).status).toBe(
      SS.EXDEPTH,
    )
  })

  it('a sublock may not come from a more privileged mode than its parent (SS$_IVLOCKID)', () => {
    const h = new Harness()
    h.enq('p', 1, 'P', EX, 0, { callerMode: AccessMode.USER })
    expect(h.enq('s', 1, 'S', EX, 0, { parentId: h.id('p'), callerMode: AccessMode.USER })).toBe(
      'SS$_NORMAL',
    )
    expect(h.enq('k', 1, 'K', EX, 0, { parentId: h.id('p'), callerMode: AccessMode.KERNEL })).toBe(
      'SS$_NORMAL',
    )
    // The subresource's access mode is the parent's (13.1.1).
    expect(h.lm.snapshot().resources.map((r) => r.rmod)).toEqual([3, 3, 3])
  })
})

describe('13.2.2 lock conversions', () => {
  it('the book’s example: NL and PW granted; PW to EX is granted (conversion grant mode leaves it out)', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', NL)
    h.enq('b', 2, 'R', PW)
    const rsb = h.lm.snapshot().resources[0]
    expect([rsb?.ggmode, rsb?.cgmode]).toEqual([PW, PW])
    expect(h.convert('b', EX)).toBe('SS$_NORMAL')
    expect(h.stateOf('b')).toBe('EX granted')
  })

  it('a conversion incompatible with other granted locks waits FIFO on the conversion queue, keeping its granted mode', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', PR)
    h.enq('b', 2, 'R', PR)
    h.take()
    expect(h.convert('a', EX)).toBe('SS$_NORMAL')
    expect(h.stateOf('a')).toBe('PR converting to EX')
    expect(h.take()).toEqual(['b: blocking EX'])
    const rsb = h.lm.snapshot().resources[0]
    expect(rsb?.ggmode).toBe(PR) // group grant mode counts the granted mode of converting locks
    expect(rsb?.converting).toEqual([h.id('a')])
    h.deq('b')
    expect(h.take()).toEqual(['a: SS$_NORMAL EX'])
  })

  it('SS$_CVTUNGRANT for a lock that is not granted', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', EX)
    h.enq('b', 2, 'R', EX)
    expect(h.convert('b', NL)).toBe('SS$_CVTUNGRANT')
    h.enq('c', 3, 'R', NL)
    h.convert('c', EX)
    expect(h.convert('c', NL)).toBe('SS$_CVTUNGRANT')
  })

  it('a compatible conversion is granted at once even while others wait (the book), unless LCK$M_QUECVT', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', PR)
    h.enq('b', 2, 'R', CR)
    h.enq('c', 3, 'R', NL)
    h.convert('a', EX) // waits for b's CR
    expect(h.convert('c', CR)).toBe('SS$_NORMAL')
    expect(h.stateOf('c')).toBe('CR granted')
    expect(h.convert('c', NL, LCK.M_QUECVT)).toBe('SS$_NORMAL')
    expect(h.stateOf('c')).toBe('CR converting to NL')
    // QUECVT with NOQUEUE: not queued, nothing changes.
    expect(h.convert('b', NL, LCK.M_QUECVT | LCK.M_NOQUEUE)).toBe('SS$_NOTQUEUED')
    expect(h.stateOf('b')).toBe('CR granted')
  })

  it('conversions are granted in FIFO order and stop at the first that cannot be (13.2.3)', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', PR)
    h.enq('b', 2, 'R', NL)
    h.enq('c', 3, 'R', NL)
    h.convert('b', EX) // waits for a
    h.convert('c', CR, LCK.M_QUECVT) // would be compatible, but queues behind b
    expect(h.stateOf('c')).toBe('NL converting to CR')
    h.take()
    h.deq('a')
    // b's EX now blocks c's conversion: b gets its blocking AST.
    expect(h.take()).toEqual(['b: SS$_NORMAL EX', 'b: blocking CR'])
    expect(h.stateOf('c')).toBe('NL converting to CR')
    h.convert('b', NL)
    expect(h.take()).toEqual(['b: SS$_NORMAL NL', 'c: SS$_NORMAL CR'])
  })

  it('LCK$M_NOQUEUE on a conversion: SS$_NOTQUEUED and the lock keeps its mode', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', PR)
    h.enq('b', 2, 'R', PR)
    const before = h.lm.snapshot()
    expect(h.convert('a', EX, LCK.M_NOQUEUE)).toBe('SS$_NOTQUEUED')
    expect(h.lm.snapshot()).toEqual(before)
  })

  it('a conversion down is always granted at once, even when the lock is not at the head of a queue', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', CR)
    h.enq('b', 2, 'R', PW)
    h.convert('a', PW) // waits for b's PW
    expect(h.convert('b', PR)).toBe('SS$_NORMAL')
    expect(h.stateOf('b')).toBe('PR granted')
    expect(h.stateOf('a')).toBe('CR converting to PW')
  })
})

describe('13.1.1 and $ENQ: the lock value block', () => {
  const block = (n: number) => new Uint8Array(16).fill(n)

  it('is written by a conversion down from PW or EX and read by a grant', () => {
    const h = new Harness()
    h.enq('w', 1, 'R', EX, LCK.M_VALBLK)
    expect(h.convert('w', NL, LCK.M_VALBLK, { valueBlock: block(7) })).toBe('SS$_NORMAL')
    const rsb = h.lm.snapshot().resources[0]
    expect(rsb?.valueBlock).toEqual([...block(7)])
    expect(rsb?.valseqnum).toBe(1)
    const r = h.lm.enq({
      pid: 2,
      mode: PR,
      resource: 'R',
      flags: LCK.M_VALBLK | LCK.M_SYNCSTS,
      request: 'r',
    })
    expect(r.status).toBe(SS.SYNCH)
    expect(r.valueBlock).toEqual(block(7))
  })

  it('an up-conversion reads; a conversion from a mode below PW does not write', () => {
    const h = new Harness()
    h.enq('w', 1, 'R', PR, LCK.M_VALBLK)
    h.convert('w', NL, LCK.M_VALBLK, { valueBlock: block(9) })
    expect(h.lm.snapshot().resources[0]?.valueBlock).toEqual([...block(0)])
    h.take()
    h.convert('w', EX, LCK.M_VALBLK)
    expect(h.take()).toEqual(['w: SS$_NORMAL EX'])
  })

  it('$DEQ with a value block writes it when the lock is held in PW or EX', () => {
    const h = new Harness()
    h.enq('keep', 2, 'R', NL)
    h.enq('w', 1, 'R', PW)
    h.deq('w', { valueBlock: block(3) })
    expect(h.lm.snapshot().resources[0]?.valueBlock).toEqual([...block(3)])
    h.enq('r', 1, 'R', PR)
    h.deq('r', { valueBlock: block(4) })
    expect(h.lm.snapshot().resources[0]?.valueBlock).toEqual([...block(3)])
  })

  it('is marked not valid when a process holding PW or EX is run down: grants return SS$_VALNOTVALID until rewritten', () => {
    const h = new Harness()
    h.enq('keep', 2, 'R', NL)
    h.enq('w', 1, 'R', EX)
    h.lm.rundown(1)
    const r = h.lm.enq({
      pid: 3,
      mode: EX,
      resource: 'R',
      flags: LCK.M_VALBLK | LCK.M_SYNCSTS,
      request: 'r',
    })
    expect(r.status).toBe(SS.SYNCH)
    expect(r.lksbStatus).toBe(SS.VALNOTVALID)
    h.ids.set('r', r.lockId)
    h.convert('r', NL, LCK.M_VALBLK, { valueBlock: block(1) })
    const again = h.lm.enq({
      pid: 4,
      mode: PR,
      resource: 'R',
      flags: LCK.M_VALBLK | LCK.M_SYNCSTS,
      request: 's',
    })
    expect(again.lksbStatus).toBe(SS.NORMAL)
    expect(again.valueBlock).toEqual(block(1))
  })

  it('is lost with the resource when the last lock goes', () => {
    const h = new Harness()
    h.enq('w', 1, 'R', EX)
    h.deq('w', { valueBlock: block(5) })
    const r = h.lm.enq({
      pid: 1,
      mode: PR,
      resource: 'R',
      flags: LCK.M_VALBLK | LCK.M_SYNCSTS,
      request: 'r',
    })
    expect(r.valueBlock).toEqual(block(0))
  })
})

describe('13.2.3 $DEQ', () => {
  it('of a waiting request completes it with SS$_ABORT and grants what can be', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', EX)
    h.enq('b', 2, 'R', EX)
    h.enq('c', 3, 'R', NL)
    h.take()
    expect(h.deq('b')).toBe('SS$_NORMAL')
    expect(h.take()).toEqual(['b: SS$_ABORT', 'c: SS$_NORMAL NL'])
  })

  it('of a converting lock dequeues the whole lock (SS$_ABORT for the conversion)', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', PR)
    h.enq('b', 2, 'R', PR)
    h.convert('a', EX)
    h.take()
    expect(h.deq('a')).toBe('SS$_NORMAL')
    expect(h.take()).toEqual(['a: SS$_ABORT'])
    expect(h.stateOf('a')).toBe('gone')
  })

  it('LCK$M_DEQALL releases the locks of the caller at its mode or outer ones, sublocks first', () => {
    const h = new Harness()
    h.enq('k', 1, 'K', EX, 0, { callerMode: AccessMode.KERNEL })
    h.enq('p', 1, 'P', EX)
    h.enq('s', 1, 'S', EX, 0, { parentId: h.id('p') })
    h.enq('o', 2, 'O', EX)
    expect(h.lm.deq({ pid: 1, lockId: 0, flags: LCK.M_DEQALL })).toBe(SS.NORMAL)
    expect(['k', 'p', 's', 'o'].map((l) => h.stateOf(l))).toEqual([
      'EX granted',
      'gone',
      'gone',
      'EX granted',
    ])
  })

  it('LCK$M_DEQALL with a parent lock ID releases only its sublocks', () => {
    const h = new Harness()
    h.enq('p', 1, 'P', EX)
    h.enq('s', 1, 'S', EX, 0, { parentId: h.id('p') })
    h.enq('t', 1, 'T', EX, 0, { parentId: h.id('s') })
    h.enq('x', 1, 'X', EX)
    h.lm.deq({ pid: 1, lockId: h.id('p'), flags: LCK.M_DEQALL })
    expect(['p', 's', 't', 'x'].map((l) => h.stateOf(l))).toEqual([
      'EX granted',
      'gone',
      'gone',
      'EX granted',
    ])
  })

  it('rundown releases every lock of the process and returns its quota', () => {
    const h = new Harness()
    h.enq('a', 1, 'A', EX)
    h.enq('b', 2, 'A', EX)
    h.enq('c', 1, 'C', NL)
    h.take()
    expect(h.lm.removeOwner(1)).toBe(SS.NORMAL)
    expect(h.take()).toEqual(['b: SS$_NORMAL EX'])
    expect(h.lm.snapshot().owners.map((o) => o.pid)).not.toContain(1)
    expect(h.lm.rundown(1)).toBe(SS.NONEXPR)
  })
})

describe('13.2.4 granting a lock: ASTs', () => {
  it('a blocking AST goes to each granted lock that blocks a request, once until it is converted', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', PR)
    h.enq('b', 2, 'R', CR)
    h.take()
    h.enq('c', 3, 'R', EX)
    expect(h.take()).toEqual(['a: blocking EX', 'b: blocking EX'])
    h.enq('d', 4, 'R', PW)
    expect(h.take()).toEqual([]) // already delivered
    h.convert('a', PR) // re-armed by the conversion
    expect(h.take()).toEqual(['a: SS$_NORMAL PR', 'a: blocking EX'])
  })

  it('a newly granted lock that blocks a waiting request gets a blocking AST', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', EX)
    h.enq('b', 2, 'R', PR)
    h.enq('c', 3, 'R', EX)
    h.take()
    h.deq('a')
    expect(h.take()).toEqual(['b: SS$_NORMAL PR', 'b: blocking EX'])
  })

  it('a converting lock gets blocking ASTs for its granted mode', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', PR)
    h.enq('b', 2, 'R', PR)
    h.convert('a', EX)
    h.take()
    h.enq('c', 3, 'R', PW)
    expect(h.take()).toEqual(['a: blocking PW'])
  })

  it('no blocking AST when the request asked for none (BLKAST not given)', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', EX, 0, { blockingAst: false })
    h.take()
    h.enq('b', 2, 'R', EX)
    expect(h.take()).toEqual([])
  })
})

describe('13.2.6 $GETLKI', () => {
  it('returns the lock and resource items and lists of blocking and blocked locks', () => {
    const h = new Harness()
    h.enq('a', 1, 'R', PR, LCK.M_VALBLK)
    h.enq('b', 2, 'R', EX)
    const r = h.lm.getlki({
      pid: 1,
      lockId: h.id('b'),
      items: [
        LKI.PID,
        LKI.STATE,
        LKI.RESNAM,
        LKI.BLOCKEDBY,
        LKI.LCKCOUNT,
        LKI.WAITCOUNT,
        LKI.NAMSPACE,
      ],
    })
    expect(r.status).toBe(SS.NORMAL)
    expect(r.values.get(LKI.PID)).toBe(2)
    expect(r.values.get(LKI.STATE)).toEqual({ rqmode: EX, grmode: NL, queue: -1 })
    expect(r.values.get(LKI.RESNAM)).toEqual(new Uint8Array([0x52]))
    expect(r.values.get(LKI.BLOCKEDBY)).toEqual([
      { lockId: h.id('a'), pid: 1, rqmode: PR, grmode: PR, queue: 1 },
    ])
    expect(r.values.get(LKI.LCKCOUNT)).toBe(2)
    expect(r.values.get(LKI.WAITCOUNT)).toBe(1)
    expect(r.values.get(LKI.NAMSPACE)).toEqual({ group: 1, rmod: 3, system: false })
    const blocking = h.lm.getlki({ pid: 2, lockId: h.id('a'), items: [LKI.BLOCKING] })
    expect(blocking.values.get(LKI.BLOCKING)).toEqual([
      { lockId: h.id('b'), pid: 2, rqmode: EX, grmode: NL, queue: -1 },
    ])
  })

  it('wildcard scans the lock ID table, skipping locks the caller may not see, then SS$_NOMORELOCK', () => {
    const h = new Harness()
    h.lm.addOwner(50, { group: 9 })
    h.enq('a', 1, 'A', NL)
    h.enq('x', 50, 'X', NL)
    h.enq('k', 1, 'K', NL, 0, { callerMode: AccessMode.KERNEL, acmode: AccessMode.KERNEL })
    h.enq('b', 1, 'B', NL)
    const seen: number[] = []
    let context = 0
    for (;;) {
      const r = h.lm.getlki({ pid: 1, lockId: context, wildcard: true, items: [LKI.LOCKID] })
      if (r.status === SS.NOMORELOCK) break
      seen.push(r.values.get(LKI.LOCKID) as number)
      context = r.lockId
    }
    expect(seen).toEqual([h.id('a'), h.id('b')])
    // WORLD sees the other group; kernel mode sees the kernel resource.
    const world = h.lm.getlki({ pid: 1, lockId: h.id('x'), items: [LKI.PID], world: true })
    expect(world.values.get(LKI.PID)).toBe(50)
    expect(h.lm.getlki({ pid: 1, lockId: h.id('x'), items: [LKI.PID] }).status).toBe(SS.IVLOCKID)
    expect(h.lm.getlki({ pid: 1, lockId: h.id('k'), items: [], callerMode: 0 }).status).toBe(
      SS.NORMAL,
    )
    expect(h.lm.getlki({ pid: 1, lockId: h.id('a'), items: [9999] }).status).toBe(SS.BADPARAM)
  })
})

describe('13.1 structures in pool (DynamicMemory)', () => {
  it('RSBs and LKBs are allocated as DYN$C_RSB and DYN$C_LKB and given back', () => {
    const calls: string[] = []
    let next = 0x1000
    const memory = {
      allocate: (bytes: number, type: number) => {
        calls.push(`allocate ${bytes} ${type}`)
        next += 0x100
        return { status: SS.NORMAL, address: next }
      },
      deallocate: (address: number) => calls.push(`deallocate ${address.toString(16)}`),
    }
    const h = new Harness({ memory })
    h.enq('a', 1, 'R', EX)
    h.enq('b', 2, 'R', EX)
    h.deq('b')
    h.deq('a')
    expect(calls).toEqual([
      `allocate ${LKB_LENGTH} ${DYN.LKB}`,
      `allocate ${RSB_LENGTH} ${DYN.RSB}`,
      `allocate ${LKB_LENGTH} ${DYN.LKB}`,
      'deallocate 1300',
      'deallocate 1100',
      'deallocate 1200',
    ])
  })

  it('SS$_INSFMEM when pool is exhausted, and nothing changes', () => {
    let left = 1
    const memory = {
      allocate: () => {
        if (left === 0) return { status: SS.INSFMEM, address: 0 }
        left--
        return { status: SS.NORMAL, address: 0x2000 }
      },
      deallocate: () => {
        left++
      },
    }
    const h = new Harness({ memory })
    const before = h.lm.snapshot()
    expect(h.enq('a', 1, 'R', EX)).toBe('SS$_INSFMEM') // the LKB fits, the RSB does not
    expect(h.lm.snapshot()).toEqual(before)
    expect(left).toBe(1)
  })
})
