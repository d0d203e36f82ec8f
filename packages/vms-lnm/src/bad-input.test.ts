/**
 * Bad arguments (book 28.8.1: every string probed for reading, every output buffer for
 * writing, the item list for reading, before anything is done): each call below fails
 * with its status and leaves the whole database and the pool exactly as they were.
 */
import { SS, type Status } from '@vms/contracts'
import { beforeEach, describe, expect, it } from 'vitest'
import { LNM } from './lnm'
import { type FakeGuest, Machine, NO_ACCESS_HIGH, READ_ONLY, SUPER, USER } from './testing/harness'

const P1 = 0x101
let m: Machine
let g: FakeGuest

beforeEach(() => {
  m = new Machine()
  g = m.process(P1)
  m.crelnm(P1, USER, 'LNM$PROCESS', 'EXISTING', ['OLD'])
  m.crelnm(P1, USER, 'LNM$JOB', 'JOBNAME', ['J'])
})

/** Runs `call`, expects `status`, and checks nothing changed. */
function unchanged(status: Status, call: () => Status): void {
  const before = m.state()
  expect(call()).toBe(status)
  expect(m.state()).toEqual(before)
}

const NOWHERE = NO_ACCESS_HIGH + 0x100

/** $CRELNM's argument list with a good value for each argument unless replaced. */
function crelnmArgs(replace: Partial<Record<0 | 1 | 2 | 3 | 4, number>> = {}): number[] {
  const items = g.itemList([{ length: 3, code: LNM._STRING, buffer: g.text('NEW') }])
  const args = [g.longword(0), g.string('LNM$PROCESS'), g.string('EXISTING'), g.byte(USER), items]
  for (const [i, v] of Object.entries(replace)) args[Number(i)] = v
  return args
}

function trnlnmArgs(replace: Partial<Record<0 | 1 | 2 | 3 | 4, number>> = {}): number[] {
  const items = g.itemList([{ length: 16, code: LNM._STRING, buffer: g.allocate(16) }])
  const args = [g.longword(0), g.string('LNM$PROCESS'), g.string('EXISTING'), g.byte(USER), items]
  for (const [i, v] of Object.entries(replace)) args[Number(i)] = v
  return args
}

function dellnmArgs(replace: Partial<Record<0 | 1 | 2, number>> = {}): number[] {
  const args = [g.string('LNM$PROCESS'), g.string('EXISTING'), g.byte(USER)]
  for (const [i, v] of Object.entries(replace)) args[Number(i)] = v
  return args
}

describe('$CRELNM bad arguments (book 28.8.1, 28.8.3)', () => {
  it('a good call with the same arguments supersedes (the baseline of the cases below)', () => {
    expect(m.call('CRELNM', P1, USER, crelnmArgs())).toBe(SS.SUPERSEDE)
  })

  it.each([
    ['ATTR', 0],
    ['TABNAM', 1],
    ['LOGNAM', 2],
    ['ACMODE', 3],
    ['ITMLST', 4],
  ] as const)('an unreadable %s address is SS$_ACCVIO', (_name, i) => {
    unchanged(SS.ACCVIO, () => m.call('CRELNM', P1, USER, crelnmArgs({ [i]: NOWHERE })))
  })

  it('TABNAM or LOGNAM address 0 (a required argument omitted) is SS$_ACCVIO', () => {
    unchanged(SS.ACCVIO, () => m.call('CRELNM', P1, USER, crelnmArgs({ 1: 0 })))
    unchanged(SS.ACCVIO, () => m.call('CRELNM', P1, USER, crelnmArgs({ 2: 0 })))
  })

  it('a descriptor whose text is unreadable is SS$_ACCVIO', () => {
    unchanged(SS.ACCVIO, () =>
      m.call('CRELNM', P1, USER, crelnmArgs({ 2: g.descriptorTo(NOWHERE, 4) })),
    )
  })

  it('an unreadable LNM$_STRING, LNM$_INDEX or LNM$_ATTRIBUTES buffer is SS$_ACCVIO', () => {
    for (const code of [LNM._STRING, LNM._INDEX, LNM._ATTRIBUTES]) {
      const items = g.itemList([{ length: 4, code, buffer: NOWHERE }])
      unchanged(SS.ACCVIO, () => m.call('CRELNM', P1, USER, crelnmArgs({ 4: items })))
    }
  })

  it('an LNM$_TABLE buffer or return length the caller cannot write is SS$_ACCVIO, checked first', () => {
    const readOnly = g.readOnly(new Uint8Array(32))
    const string = { length: 3, code: LNM._STRING, buffer: g.text('NEW') }
    for (const table of [
      { length: 32, code: LNM._TABLE, buffer: readOnly },
      { length: 32, code: LNM._TABLE, buffer: g.allocate(32), retlen: readOnly },
    ]) {
      const items = g.itemList([string, table])
      unchanged(SS.ACCVIO, () => m.call('CRELNM', P1, USER, crelnmArgs({ 4: items })))
    }
  })

  it('a string input in read-only memory is fine (inputs are probed for reading only)', () => {
    const items = g.itemList([
      { length: 3, code: LNM._STRING, buffer: g.readOnly(Uint8Array.of(65, 66, 67)) },
    ])
    expect(m.call('CRELNM', P1, USER, crelnmArgs({ 4: items }))).toBe(SS.SUPERSEDE)
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'EXISTING').string).toBe('ABC')
  })

  it('an empty or 256-byte LOGNAM or TABNAM is SS$_IVLOGNAM (28.2)', () => {
    for (const text of ['', 'N'.repeat(256)]) {
      unchanged(SS.IVLOGNAM, () => m.call('CRELNM', P1, USER, crelnmArgs({ 2: g.string(text) })))
      unchanged(SS.IVLOGNAM, () => m.call('CRELNM', P1, USER, crelnmArgs({ 1: g.string(text) })))
    }
    // A length word far past the text is refused before the text is read.
    unchanged(SS.IVLOGNAM, () =>
      m.call('CRELNM', P1, USER, crelnmArgs({ 2: g.descriptorTo(NOWHERE, 4000) })),
    )
  })

  it('a 255-byte name is the longest (28.2)', () => {
    expect(m.crelnm(P1, USER, 'LNM$PROCESS', 'N'.repeat(255), ['X'])).toBe(SS.NORMAL)
  })

  it('an empty or 256-byte equivalence string is SS$_IVLOGNAM (28.4)', () => {
    for (const value of ['', 'E'.repeat(256)]) {
      const items = g.itemList([{ length: value.length, code: LNM._STRING, buffer: g.text(value) }])
      unchanged(SS.IVLOGNAM, () => m.call('CRELNM', P1, USER, crelnmArgs({ 4: items })))
    }
  })

  it('ATTR bits other than NO_ALIAS and CONFINE are SS$_BADPARAM', () => {
    for (const attr of [LNM.M_TERMINAL, LNM.M_TABLE, LNM.M_CRELOG, LNM.M_CASE_BLIND, 0x80000000]) {
      unchanged(SS.BADPARAM, () => m.call('CRELNM', P1, USER, crelnmArgs({ 0: g.longword(attr) })))
    }
  })

  it('equivalence attributes other than CONCEALED and TERMINAL are SS$_BADPARAM', () => {
    for (const flags of [LNM.M_NO_ALIAS, LNM.M_EXISTS, LNM.M_CASE_BLIND]) {
      unchanged(SS.BADPARAM, () =>
        m.crelnm(P1, USER, 'LNM$PROCESS', 'EXISTING', [{ value: 'X', flags }]),
      )
    }
  })

  it('an index outside 0..127 or given twice is SS$_BADPARAM (28.5.1)', () => {
    for (const values of [
      [{ value: 'X', index: 128 }],
      [{ value: 'X', index: -1 }],
      [
        { value: 'X', index: 3 },
        { value: 'Y', index: 3 },
      ],
      [{ value: 'X', index: 127 }, 'Y'],
    ]) {
      unchanged(SS.BADPARAM, () => m.crelnm(P1, USER, 'LNM$PROCESS', 'EXISTING', values))
    }
  })

  it('an item code $CRELNM does not take is SS$_BADPARAM', () => {
    for (const code of [LNM._LENGTH, LNM._MAX_INDEX, LNM._ACMODE, LNM._PARENT, 99]) {
      const items = g.itemList([{ length: 4, code, buffer: g.allocate(4) }])
      unchanged(SS.BADPARAM, () => m.call('CRELNM', P1, USER, crelnmArgs({ 4: items })))
    }
  })

  it('an item list that chains to itself is SS$_BADPARAM, not a hang', () => {
    const at = g.allocate(16)
    const view = new DataView(g.bytes.buffer)
    view.setUint16(at, 0, true)
    view.setUint16(at + 2, LNM._CHAIN, true)
    view.setUint32(at + 4, at, true)
    unchanged(SS.BADPARAM, () => m.call('CRELNM', P1, USER, crelnmArgs({ 4: at })))
  })

  it('a table name that names no table is SS$_NOLOGTAB (28.8.3)', () => {
    unchanged(SS.NOLOGTAB, () =>
      m.call('CRELNM', P1, USER, crelnmArgs({ 1: g.string('NO_SUCH_TABLE') })),
    )
  })

  it('a shareable table without write access is SS$_NOPRIV (28.8.3)', () => {
    for (const table of ['LNM$SYSTEM', 'LNM$GROUP', 'LNM$SYSTEM_DIRECTORY']) {
      unchanged(SS.NOPRIV, () => m.call('CRELNM', P1, USER, crelnmArgs({ 1: g.string(table) })))
    }
  })

  it('no pool for the LNMB is SS$_INSFMEM (28.8.3)', () => {
    m.kernel.memory.limit = m.kernel.memory.inUse
    unchanged(SS.INSFMEM, () => m.call('CRELNM', P1, USER, crelnmArgs()))
  })

  it('a process that runs out of pool while its tables are made gets SS$_INSFMEM and no tables', () => {
    m.kernel.memory.limit = m.kernel.memory.inUse + 100
    m.kernel.addProcess(0x200, { group: 0o777 })
    const before = m.state()
    expect(m.names.database.attach(0x200)).toBe(SS.INSFMEM)
    expect(m.state()).toEqual(before)
    expect(m.names.database.attached(0x200)).toBe(false)
  })
})

describe("a process's first call", () => {
  it('with a bad argument makes nothing, not even the process tables', () => {
    m.kernel.addProcess(0x300, { group: 0o400 })
    const guest = m.process(0x301) // a second memory, used by process 0x300 below
    m.guests.set(0x300, guest)
    const before = m.state()
    expect(m.call('CRELNM', 0x300, USER, [0, NOWHERE, guest.string('X'), 0, 0])).toBe(SS.ACCVIO)
    expect(m.state()).toEqual(before)
    expect(m.names.database.attached(0x300)).toBe(false)
    expect(m.crelnm(0x300, USER, 'LNM$GROUP', 'X', ['Y'])).toBe(SS.NOPRIV)
    expect(m.names.database.attached(0x300)).toBe(true)
  })
})

describe('$TRNLNM bad arguments (book 28.8.1, 28.8.2)', () => {
  it('the baseline call works', () => {
    expect(m.call('TRNLNM', P1, USER, trnlnmArgs())).toBe(SS.NORMAL)
  })

  it.each([
    ['ATTR', 0],
    ['TABNAM', 1],
    ['LOGNAM', 2],
    ['ACMODE', 3],
    ['ITMLST', 4],
  ] as const)('an unreadable %s address is SS$_ACCVIO', (_name, i) => {
    unchanged(SS.ACCVIO, () => m.call('TRNLNM', P1, USER, trnlnmArgs({ [i]: NOWHERE })))
  })

  it('an output buffer or return length the caller cannot write is SS$_ACCVIO, and nothing is written', () => {
    const readOnly = g.readOnly(new Uint8Array(16))
    for (const code of [
      LNM._STRING,
      LNM._LENGTH,
      LNM._ATTRIBUTES,
      LNM._MAX_INDEX,
      LNM._ACMODE,
      LNM._TABLE,
    ]) {
      const good = g.allocate(16)
      g.bytes.fill(0xee, good, good + 16)
      const items = g.itemList([
        { length: 16, code: LNM._STRING, buffer: good },
        { length: 4, code, buffer: readOnly },
      ])
      unchanged(SS.ACCVIO, () => m.call('TRNLNM', P1, USER, trnlnmArgs({ 4: items })))
      expect(g.bytes[good]).toBe(0xee)
    }
    const items = g.itemList([
      { length: 16, code: LNM._STRING, buffer: g.allocate(16), retlen: READ_ONLY },
    ])
    unchanged(SS.ACCVIO, () => m.call('TRNLNM', P1, USER, trnlnmArgs({ 4: items })))
  })

  it('an unreadable LNM$_INDEX buffer is SS$_ACCVIO', () => {
    const items = g.itemList([{ length: 4, code: LNM._INDEX, buffer: NOWHERE }])
    unchanged(SS.ACCVIO, () => m.call('TRNLNM', P1, USER, trnlnmArgs({ 4: items })))
  })

  it('an empty or 256-byte name or table is SS$_IVLOGNAM', () => {
    for (const text of ['', 'N'.repeat(256)]) {
      unchanged(SS.IVLOGNAM, () => m.call('TRNLNM', P1, USER, trnlnmArgs({ 2: g.string(text) })))
      unchanged(SS.IVLOGNAM, () => m.call('TRNLNM', P1, USER, trnlnmArgs({ 1: g.string(text) })))
    }
  })

  it('ATTR bits other than CASE_BLIND, and item codes $TRNLNM does not take, are SS$_BADPARAM', () => {
    unchanged(SS.BADPARAM, () =>
      m.call('TRNLNM', P1, USER, trnlnmArgs({ 0: g.longword(LNM.M_NO_ALIAS) })),
    )
    const items = g.itemList([{ length: 4, code: LNM._LNMB_ADDR, buffer: g.allocate(4) }])
    unchanged(SS.BADPARAM, () => m.call('TRNLNM', P1, USER, trnlnmArgs({ 4: items })))
  })

  it('an absent name, or a table name in neither directory, is SS$_NOLOGNAM (28.6)', () => {
    const buffer = g.allocate(16)
    g.bytes.fill(0xee, buffer, buffer + 16)
    const items = g.itemList([{ length: 16, code: LNM._STRING, buffer }])
    unchanged(SS.NOLOGNAM, () =>
      m.call('TRNLNM', P1, USER, trnlnmArgs({ 2: g.string('ABSENT'), 4: items })),
    )
    expect(g.bytes[buffer]).toBe(0xee)
    unchanged(SS.NOLOGNAM, () =>
      m.call('TRNLNM', P1, USER, trnlnmArgs({ 1: g.string('NO_SUCH_TABLE') })),
    )
  })
})

describe('$DELLNM bad arguments (book 28.8.1, 28.8.5)', () => {
  it('the baseline call works', () => {
    expect(m.call('DELLNM', P1, USER, dellnmArgs())).toBe(SS.NORMAL)
  })

  it.each([
    ['TABNAM', 0],
    ['LOGNAM', 1],
    ['ACMODE', 2],
  ] as const)('an unreadable %s address is SS$_ACCVIO', (_name, i) => {
    unchanged(SS.ACCVIO, () => m.call('DELLNM', P1, USER, dellnmArgs({ [i]: NOWHERE })))
  })

  it('an empty or 256-byte name or table is SS$_IVLOGNAM', () => {
    for (const text of ['', 'N'.repeat(256)]) {
      unchanged(SS.IVLOGNAM, () => m.call('DELLNM', P1, USER, dellnmArgs({ 1: g.string(text) })))
      unchanged(SS.IVLOGNAM, () => m.call('DELLNM', P1, USER, dellnmArgs({ 0: g.string(text) })))
    }
  })

  it('an absent name is SS$_NOLOGNAM; a name only at an inner mode is SS$_NOLOGNAM too', () => {
    unchanged(SS.NOLOGNAM, () => m.call('DELLNM', P1, USER, dellnmArgs({ 1: g.string('ABSENT') })))
    m.crelnm(P1, SUPER, 'LNM$PROCESS', 'INNER', ['S'])
    unchanged(SS.NOLOGNAM, () => m.call('DELLNM', P1, USER, dellnmArgs({ 1: g.string('INNER') })))
  })

  it('a shareable table without write access is SS$_NOPRIV', () => {
    m.names.define('SYSNAME', 'X', { table: 'LNM$SYSTEM', mode: USER })
    unchanged(SS.NOPRIV, () =>
      m.call('DELLNM', P1, USER, [g.string('LNM$SYSTEM'), g.string('SYSNAME'), 0]),
    )
    unchanged(SS.NOPRIV, () => m.call('DELLNM', P1, USER, [g.string('LNM$SYSTEM'), 0, 0]))
  })
})
