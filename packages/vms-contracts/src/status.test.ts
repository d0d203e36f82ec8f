import { describe, expect, it } from 'vitest'
import {
  facilityOf,
  formatStatus,
  isSuccess,
  messageNumberOf,
  Severity,
  SS,
  severityOf,
  statusName,
} from './status'

describe('condition values', () => {
  it('carry the numeric values of $SSDEF', () => {
    expect(SS.NORMAL).toBe(1)
    expect(SS.ACCVIO).toBe(12)
    expect(SS.INSFMEM).toBe(292)
    expect(SS.NONEXPR).toBe(2280)
    expect(SS.ILLEFC).toBe(236)
  })

  it('decompose into severity, message number and facility', () => {
    expect(severityOf(SS.INSFMEM)).toBe(Severity.severe)
    expect(messageNumberOf(SS.INSFMEM)).toBe(36)
    expect(facilityOf(SS.INSFMEM)).toBe(0)
    expect(severityOf(SS.NONEXPR)).toBe(Severity.warning)
    expect(severityOf(SS.WASSET)).toBe(Severity.success)
  })

  it('odd values are success, as BLBS tests them', () => {
    expect(isSuccess(SS.NORMAL)).toBe(true)
    expect(isSuccess(SS.WASSET)).toBe(true)
    expect(isSuccess(SS.ACCVIO)).toBe(false)
    expect(isSuccess(SS.NONEXPR)).toBe(false)
  })

  it('every value is distinct, except the documented aliases of 1', () => {
    const seen = new Map<number, string[]>()
    for (const [name, value] of Object.entries(SS))
      seen.set(value, [...(seen.get(value) ?? []), name])
    const shared = [...seen.values()].filter((names) => names.length > 1)
    expect(shared).toEqual([['NORMAL', 'WASCLR', 'CONTINUE']])
  })

  it('carry the lock management values of $SSDEF (book ch. 13)', () => {
    expect(SS.SYNCH).toBe(0x0689)
    expect(SS.NOTQUEUED).toBe(0x09b8)
    expect(SS.VALNOTVALID).toBe(0x09f0)
    expect(SS.NOMORELOCK).toBe(0x0a08)
    expect(SS.DEADLOCK).toBe(0x0e0a)
    expect(SS.NOLOCKID).toBe(0x0e12)
    expect(SS.EXDEPTH).toBe(0x0e1a)
    expect(SS.IVLOCKID).toBe(0x2124)
    expect(SS.SUBLOCKS).toBe(0x212c)
    expect(SS.PARNOTGRANT).toBe(0x2134)
    expect(SS.CVTUNGRANT).toBe(0x213c)
    expect(SS.NOSYSLCK).toBe(0x28f4)
    expect(SS.EXENQLM).toBe(0x2a44)
    expect(SS.IVBUFLEN).toBe(0x034c)
    // SYNCH is a success, VALNOTVALID a warning (the lock is granted all the same),
    // DEADLOCK a nonfatal error, IVLOCKID severe.
    expect(severityOf(SS.SYNCH)).toBe(Severity.success)
    expect(severityOf(SS.VALNOTVALID)).toBe(Severity.warning)
    expect(severityOf(SS.DEADLOCK)).toBe(Severity.error)
    expect(severityOf(SS.IVLOCKID)).toBe(Severity.severe)
    expect(formatStatus(SS.DEADLOCK)).toBe('%SYSTEM-E-DEADLOCK, deadlock detected')
    expect(formatStatus(SS.EXENQLM)).toBe('%SYSTEM-F-EXENQLM, exceeded enqueue quota')
  })

  it('format like the DCL message display, with FAO arguments', () => {
    expect(formatStatus(SS.INSFMEM)).toBe('%SYSTEM-F-INSFMEM, insufficient dynamic memory')
    expect(formatStatus(SS.ACCVIO, [4, 0x200, 0x1004, 0x03c00000])).toBe(
      '%SYSTEM-F-ACCVIO, access violation, reason mask=04, virtual address=00000200, PC=00001004, PSL=03C00000',
    )
    expect(formatStatus(0x12345674)).toBe('%NONAME-F-NOMSG, Message number 12345674')
    expect(formatStatus(0x7ff8)).toBe('%SYSTEM-W-NOMSG, Message number 00007FF8')
    expect(statusName(1)).toBe('SS$_NORMAL')
    expect(statusName(0xdead)).toBeUndefined()
  })
})
