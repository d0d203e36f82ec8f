import { SS, statusName } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { LKI } from './getlki'
import { AccessMode, LCK, LockMode } from './lck'
import type { DeqRequest, EnqRequest } from './lock-manager'
import { Harness } from './testing/harness'

const { NL, CR, PR, EX } = LockMode

/**
 * A lock database with something on every queue: granted, converting and waiting locks,
 * a sublock, a value block, a kernel-mode lock, and the timeout queue. The probe refuses
 * requests whose context is 'unwritable' (an LKSB the caller cannot write).
 */
function populated(): Harness {
  const h = new Harness({ probe: (_pid, request) => request !== 'unwritable' })
  h.lm.addOwner(9, { enqlm: 1 })
  h.enq('a', 1, 'FILE', PR, LCK.M_VALBLK)
  h.enq('b', 2, 'FILE', PR)
  h.convert('a', EX)
  h.enq('c', 3, 'FILE', CR)
  h.enq('d', 2, 'DIR', EX)
  h.enq('sub', 2, 'REC', EX, 0, { parentId: h.id('d') })
  h.enq('k', 1, 'KERN', EX, 0, { callerMode: AccessMode.KERNEL, acmode: AccessMode.KERNEL })
  h.enq('q', 9, 'Q', NL)
  h.lm.tick(4)
  h.take()
  return h
}

const enqCases: [string, (h: Harness) => EnqRequest<string>, number][] = [
  ['bad mode 6', () => ({ pid: 1, mode: 6, resource: 'X', request: 'x' }), SS.BADPARAM],
  ['bad mode -1', () => ({ pid: 1, mode: -1, resource: 'X', request: 'x' }), SS.BADPARAM],
  ['bad mode 1.5', () => ({ pid: 1, mode: 1.5, resource: 'X', request: 'x' }), SS.BADPARAM],
  ['bad mode NaN', () => ({ pid: 1, mode: Number.NaN, resource: 'X', request: 'x' }), SS.BADPARAM],
  [
    'undefined flag bits',
    () => ({ pid: 1, mode: NL, flags: 0x8000, resource: 'X', request: 'x' }),
    SS.BADPARAM,
  ],
  [
    'LCK$M_CVTSYS (system-owned locks are not supported)',
    () => ({ pid: 1, mode: NL, flags: LCK.M_CVTSYS, resource: 'X', request: 'x' }),
    SS.BADPARAM,
  ],
  [
    'bad caller mode',
    () => ({ pid: 1, mode: NL, resource: 'X', callerMode: 7, request: 'x' }),
    SS.BADPARAM,
  ],
  [
    'bad ACMODE',
    () => ({ pid: 1, mode: NL, resource: 'X', acmode: -2, request: 'x' }),
    SS.BADPARAM,
  ],
  [
    'short value block',
    () => ({
      pid: 1,
      mode: NL,
      resource: 'X',
      flags: LCK.M_VALBLK,
      valueBlock: new Uint8Array(3),
      request: 'x',
    }),
    SS.BADPARAM,
  ],
  ['unknown process', () => ({ pid: 77, mode: NL, resource: 'X', request: 'x' }), SS.NONEXPR],
  [
    'name of 32 bytes',
    () => ({ pid: 1, mode: NL, resource: 'N'.repeat(32), request: 'x' }),
    SS.IVBUFLEN,
  ],
  [
    'name of 32 bytes as Uint8Array',
    () => ({ pid: 1, mode: NL, resource: new Uint8Array(32), request: 'x' }),
    SS.IVBUFLEN,
  ],
  ['empty name', () => ({ pid: 1, mode: NL, resource: '', request: 'x' }), SS.IVBUFLEN],
  ['no name', () => ({ pid: 1, mode: NL, request: 'x' }), SS.IVBUFLEN],
  [
    'UTF-8 name over 31 bytes',
    () => ({ pid: 1, mode: NL, resource: `${'é'.repeat(16)}€`, request: 'x' }),
    SS.IVBUFLEN,
  ],
  [
    'an LKSB the caller cannot write',
    () => ({ pid: 1, mode: NL, resource: 'X', request: 'unwritable' }),
    SS.ACCVIO,
  ],
  [
    'unknown parent lock ID',
    () => ({ pid: 1, mode: NL, resource: 'X', parentId: 0x7777, request: 'x' }),
    SS.IVLOCKID,
  ],
  [
    'parent owned by another process',
    (h) => ({ pid: 1, mode: NL, resource: 'X', parentId: h.id('d'), request: 'x' }),
    SS.IVLOCKID,
  ],
  [
    'parent from a more privileged mode',
    (h) => ({ pid: 1, mode: NL, resource: 'X', parentId: h.id('k'), request: 'x' }),
    SS.IVLOCKID,
  ],
  [
    'parent not granted',
    (h) => ({ pid: 3, mode: NL, resource: 'X', parentId: h.id('c'), request: 'x' }),
    SS.PARNOTGRANT,
  ],
  [
    'systemwide without SYSLCK',
    () => ({ pid: 1, mode: NL, resource: 'X', flags: LCK.M_SYSTEM, request: 'x' }),
    SS.NOSYSLCK,
  ],
  ['quota used up', () => ({ pid: 9, mode: NL, resource: 'X', request: 'x' }), SS.EXENQLM],
  [
    'NOQUEUE on a busy resource',
    () => ({ pid: 3, mode: EX, resource: 'DIR', flags: LCK.M_NOQUEUE, request: 'x' }),
    SS.NOTQUEUED,
  ],
  [
    'convert: unknown lock ID',
    () => ({ pid: 1, mode: NL, flags: LCK.M_CONVERT, lockId: 0x4242, request: 'x' }),
    SS.IVLOCKID,
  ],
  [
    'convert: lock ID 0',
    () => ({ pid: 1, mode: NL, flags: LCK.M_CONVERT, lockId: 0, request: 'x' }),
    SS.IVLOCKID,
  ],
  [
    'convert: negative lock ID',
    () => ({ pid: 1, mode: NL, flags: LCK.M_CONVERT, lockId: -5, request: 'x' }),
    SS.IVLOCKID,
  ],
  [
    'convert: stale lock ID',
    (h) => ({ pid: 1, mode: NL, flags: LCK.M_CONVERT, lockId: h.id('gone'), request: 'x' }),
    SS.IVLOCKID,
  ],
  [
    'convert: another process’s lock',
    (h) => ({ pid: 1, mode: NL, flags: LCK.M_CONVERT, lockId: h.id('b'), request: 'x' }),
    SS.IVLOCKID,
  ],
  [
    'convert: a lock that is converting',
    (h) => ({ pid: 1, mode: NL, flags: LCK.M_CONVERT, lockId: h.id('a'), request: 'x' }),
    SS.CVTUNGRANT,
  ],
  [
    'convert: a lock that is waiting',
    (h) => ({ pid: 3, mode: NL, flags: LCK.M_CONVERT, lockId: h.id('c'), request: 'x' }),
    SS.CVTUNGRANT,
  ],
  [
    'convert: NOQUEUE that would wait',
    (h) => ({
      pid: 2,
      mode: EX,
      flags: LCK.M_CONVERT | LCK.M_NOQUEUE,
      lockId: h.id('b'),
      request: 'x',
    }),
    SS.NOTQUEUED,
  ],
  [
    'convert: an LKSB the caller cannot write',
    (h) => ({ pid: 2, mode: NL, flags: LCK.M_CONVERT, lockId: h.id('b'), request: 'unwritable' }),
    SS.ACCVIO,
  ],
]

const deqCases: [string, (h: Harness) => DeqRequest, number][] = [
  ['unknown lock ID', () => ({ pid: 1, lockId: 0x4242 }), SS.IVLOCKID],
  ['stale lock ID', (h) => ({ pid: 1, lockId: h.id('gone') }), SS.IVLOCKID],
  ['another process’s lock', (h) => ({ pid: 1, lockId: h.id('b') }), SS.IVLOCKID],
  ['a kernel lock from user mode', (h) => ({ pid: 1, lockId: h.id('k') }), SS.IVLOCKID],
  ['a parent with sublocks', (h) => ({ pid: 2, lockId: h.id('d') }), SS.SUBLOCKS],
  ['undefined flag bits', (h) => ({ pid: 2, lockId: h.id('b'), flags: 0x100 }), SS.BADPARAM],
  [
    'short value block',
    (h) => ({ pid: 2, lockId: h.id('b'), valueBlock: new Uint8Array(8) }),
    SS.BADPARAM,
  ],
  [
    'DEQALL with another process’s parent',
    (h) => ({ pid: 1, lockId: h.id('d'), flags: LCK.M_DEQALL }),
    SS.IVLOCKID,
  ],
  ['unknown process', () => ({ pid: 77, lockId: 1 }), SS.NONEXPR],
]

describe('bad input gets its VMS status and leaves the whole lock database as it was', () => {
  for (const [name, make, status] of enqCases)
    it(`$ENQ ${name}: ${statusName(status)}`, () => {
      const h = populated()
      h.enq('gone', 1, 'TEMP', NL)
      h.deq('gone')
      h.take()
      const before = h.lm.snapshot()
      const r = h.lm.enq(make(h))
      expect(statusName(r.status)).toBe(statusName(status))
      expect(r.lockId).toBe(0)
      expect(h.lm.snapshot()).toEqual(before)
      expect(h.take()).toEqual([])
    })

  for (const [name, make, status] of deqCases)
    it(`$DEQ ${name}: ${statusName(status)}`, () => {
      const h = populated()
      h.enq('gone', 1, 'TEMP', NL)
      h.deq('gone')
      h.take()
      const before = h.lm.snapshot()
      expect(statusName(h.lm.deq(make(h)))).toBe(statusName(status))
      expect(h.lm.snapshot()).toEqual(before)
      expect(h.take()).toEqual([])
    })

  it('$GETLKI with a bad item, an unknown or stale lock, or a lock it may not see', () => {
    const h = populated()
    const before = h.lm.snapshot()
    expect(h.lm.getlki({ pid: 1, lockId: h.id('a'), items: [LKI.PID, 1] }).status).toBe(SS.BADPARAM)
    expect(h.lm.getlki({ pid: 1, lockId: 0x4242, items: [LKI.PID] }).status).toBe(SS.IVLOCKID)
    expect(h.lm.getlki({ pid: 2, lockId: h.id('k'), items: [LKI.PID] }).status).toBe(SS.IVLOCKID)
    expect(h.lm.snapshot()).toEqual(before)
  })

  it('the snapshot really sees every kind of change (a control for the comparisons above)', () => {
    const h = populated()
    const before = h.lm.snapshot()
    h.lm.setDeadlockPriority(2, 1)
    expect(h.lm.snapshot()).not.toEqual(before)
  })
})
