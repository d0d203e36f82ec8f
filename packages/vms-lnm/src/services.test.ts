import { SS } from '@vms/contracts'
import { beforeEach, describe, expect, it } from 'vitest'
import { LNM } from './lnm'
import { EXEC, KERNEL, Machine, SUPER, USER } from './testing/harness'

const P1 = 0x101
const P2 = 0x102

let m: Machine
beforeEach(() => {
  m = new Machine()
  m.process(P1, { group: 0o200 })
  m.process(P2, { group: 0o200, job: P1 })
})

describe('default tables (book 28.3.1, Tables 28-1 and 28-2)', () => {
  it('LNM$FILE_DEV resolves depth first to the process, job, group and system tables (Figure 28-6)', () => {
    expect(m.names.database.tables(P1, 'LNM$FILE_DEV', USER)).toEqual([
      { name: 'LNM$PROCESS_TABLE' },
      { name: 'LNM$JOB_00000101' },
      { name: 'LNM$GROUP_000200' },
      { name: 'LNM$SYSTEM_TABLE' },
    ])
  })

  it('an executive-mode resolution sees only executive-mode LNM$FILE_DEV: the system table (28.4)', () => {
    expect(m.names.database.tables(P1, 'LNM$FILE_DEV', EXEC)).toEqual([
      { name: 'LNM$SYSTEM_TABLE' },
    ])
  })

  it('each directory holds its own name, and the Version 3 names resolve (Table 28-2)', () => {
    expect(m.trnlnm(P1, USER, 'LNM$SYSTEM_DIRECTORY', 'LNM$SYSTEM_DIRECTORY').attributes).toBe(
      LNM.M_TABLE | LNM.M_NO_ALIAS,
    )
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS_DIRECTORY', 'LNM$PROCESS_DIRECTORY').status).toBe(
      SS.NORMAL,
    )
    expect(m.names.database.tables(P1, 'TRNLOG$_PROCESS_GROUP', USER)).toEqual([
      { name: 'LNM$PROCESS_TABLE' },
      { name: 'LNM$JOB_00000101' },
      { name: 'LNM$GROUP_000200' },
    ])
  })
})

describe('$CRELNM and $TRNLNM (book 28.8.2, 28.8.3)', () => {
  it('creates a name in the first table of LNM$PROCESS and translates it with every item', () => {
    expect(m.crelnm(P1, USER, 'LNM$PROCESS', 'WORK', ['DUA1:[WORK]'])).toBe(SS.NORMAL)
    expect(m.trnlnm(P1, USER, 'LNM$FILE_DEV', 'WORK')).toEqual({
      status: SS.NORMAL,
      string: 'DUA1:[WORK]',
      length: 11,
      attributes: LNM.M_EXISTS,
      maxIndex: 0,
      acmode: USER,
      table: 'LNM$PROCESS_TABLE',
    })
  })

  it('a second definition at the same mode supersedes the first: SS$_SUPERSEDE (28.8.3)', () => {
    m.crelnm(P1, USER, 'LNM$PROCESS', 'WORK', ['A'])
    expect(m.crelnm(P1, USER, 'LNM$PROCESS', 'WORK', ['B'])).toBe(SS.SUPERSEDE)
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'WORK').string).toBe('B')
  })

  it('a multivalued name (search list) has one LNMX per equivalence, indexes 0, 1, 2 (28.4, 28.5.1)', () => {
    m.crelnm(P1, USER, 'LNM$PROCESS', 'SRC', ['[A]', '[B]', '[C]'])
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'SRC', { index: 2 })).toMatchObject({
      string: '[C]',
      maxIndex: 2,
    })
    const missing = m.trnlnm(P1, USER, 'LNM$PROCESS', 'SRC', { index: 5 })
    expect(missing).toMatchObject({ status: SS.NORMAL, string: '', length: 0, attributes: 0 })
  })

  it('translation indexes may be sparse when given with LNM$_INDEX (28.5.1)', () => {
    m.crelnm(P1, USER, 'LNM$PROCESS', 'SPARSE', [
      { value: 'ONE', index: 1 },
      { value: 'FIVE', index: 5 },
      'SIX',
    ])
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'SPARSE', { index: 5 }).string).toBe('FIVE')
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'SPARSE', { index: 6 }).string).toBe('SIX')
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'SPARSE', { index: 0 }).attributes).toBe(0)
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'SPARSE').maxIndex).toBe(6)
  })

  it('CONCEALED and TERMINAL are attributes of each equivalence, returned by LNM$_ATTRIBUTES (28.4)', () => {
    m.crelnm(P1, USER, 'LNM$PROCESS', 'ROOT', [
      { value: 'DUA0:[SYS0.]', flags: LNM.M_CONCEALED | LNM.M_TERMINAL },
      'SYS$COMMON:',
    ])
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'ROOT').attributes).toBe(
      LNM.M_EXISTS | LNM.M_CONCEALED | LNM.M_TERMINAL,
    )
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'ROOT', { index: 1 }).attributes).toBe(LNM.M_EXISTS)
  })

  it('CONFINE and NO_ALIAS are attributes of the name, returned with every index (28.2)', () => {
    m.crelnm(P1, USER, 'LNM$PROCESS', 'PPF', ['X'], { attr: LNM.M_CONFINE | LNM.M_NO_ALIAS })
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'PPF').attributes).toBe(
      LNM.M_EXISTS | LNM.M_CONFINE | LNM.M_NO_ALIAS,
    )
  })

  it('a name with no equivalence is allowed (28.8.3): MAX_INDEX is -1', () => {
    expect(m.crelnm(P1, USER, 'LNM$PROCESS', 'FLAG', [])).toBe(SS.NORMAL)
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'FLAG')).toMatchObject({ maxIndex: -1, string: '' })
  })

  it('names are case sensitive unless LNM$M_CASE_BLIND is asked for (28.4, 28.6)', () => {
    m.crelnm(P1, USER, 'LNM$PROCESS', 'MixedCase', ['X'])
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'MIXEDCASE').status).toBe(SS.NOLOGNAM)
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'MIXEDCASE', { attr: LNM.M_CASE_BLIND }).string).toBe(
      'X',
    )
  })

  it('any byte may be in a name (28.2)', () => {
    const name = 'A\u0000\u00ff b'
    expect(m.crelnm(P1, USER, 'LNM$PROCESS', name, ['Y'])).toBe(SS.NORMAL)
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', name).string).toBe('Y')
  })

  it('the first table of LNM$FILE_DEV holding the name answers: process before system (28.6)', () => {
    m.names.define('DISK', 'SYSTEM_DISK:', { table: 'LNM$SYSTEM' })
    expect(m.trnlnm(P1, USER, 'LNM$FILE_DEV', 'DISK').table).toBe('LNM$SYSTEM_TABLE')
    m.crelnm(P1, USER, 'LNM$PROCESS', 'DISK', ['MY_DISK:'])
    expect(m.trnlnm(P1, USER, 'LNM$FILE_DEV', 'DISK')).toMatchObject({
      string: 'MY_DISK:',
      table: 'LNM$PROCESS_TABLE',
    })
  })

  it('LNM$_TABLE on $CRELNM returns the table the name went into', () => {
    const g = m.guest(P1)
    const [buffer, retlen] = [g.allocate(32), g.allocate(2)]
    const items = g.itemList([
      { length: 1, code: LNM._STRING, buffer: g.text('Q') },
      { length: 32, code: LNM._TABLE, buffer, retlen },
    ])
    const status = m.call('CRELNM', P1, USER, [0, g.string('LNM$JOB'), g.string('Q'), 0, items])
    expect(status).toBe(SS.NORMAL)
    expect(g.readText(buffer, g.readWord(retlen))).toBe('LNM$JOB_00000101')
  })

  it('LNM$_CHAIN continues the item list at its buffer address', () => {
    m.crelnm(P1, USER, 'LNM$PROCESS', 'CHAINED', ['ONE', 'TWO'])
    const g = m.guest(P1)
    const [a, b] = [g.allocate(8), g.allocate(8)]
    const second = g.itemList([
      { length: 4, code: LNM._INDEX, buffer: g.longword(1) },
      { length: 8, code: LNM._STRING, buffer: b },
    ])
    const first = g.itemList([
      { length: 8, code: LNM._STRING, buffer: a },
      { length: 0, code: LNM._CHAIN, buffer: second },
    ])
    const status = m.call('TRNLNM', P1, USER, [
      0,
      g.string('LNM$PROCESS'),
      g.string('CHAINED'),
      0,
      first,
    ])
    expect(status).toBe(SS.NORMAL)
    expect([g.readText(a, 3), g.readText(b, 3)]).toEqual(['ONE', 'TWO'])
  })

  it('a string cut to its buffer gives SS$_BUFFEROVF with the length written', () => {
    m.crelnm(P1, USER, 'LNM$PROCESS', 'LONG', ['ABCDEFGH'])
    const g = m.guest(P1)
    const [buffer, retlen] = [g.allocate(4), g.allocate(2)]
    const items = g.itemList([{ length: 4, code: LNM._STRING, buffer, retlen }])
    const status = m.call('TRNLNM', P1, USER, [
      0,
      g.string('LNM$PROCESS'),
      g.string('LONG'),
      0,
      items,
    ])
    expect(status).toBe(SS.BUFFEROVF)
    expect([g.readText(buffer, 4), g.readWord(retlen)]).toEqual(['ABCD', 4])
  })

  it('$TRNLNM with no item list only says whether the name exists', () => {
    m.crelnm(P1, USER, 'LNM$PROCESS', 'HERE', ['X'])
    const g = m.guest(P1)
    expect(m.call('TRNLNM', P1, USER, [0, g.string('LNM$PROCESS'), g.string('HERE'), 0, 0])).toBe(
      SS.NORMAL,
    )
    expect(m.call('TRNLNM', P1, USER, [0, g.string('LNM$PROCESS'), g.string('GONE'), 0, 0])).toBe(
      SS.NOLOGNAM,
    )
  })
})

describe('access modes (book 28.2, 28.6, 28.8.1)', () => {
  it('without SYSNAM the ACMODE argument is maximized with the caller mode', () => {
    m.crelnm(P1, USER, 'LNM$PROCESS', 'X', ['USER'], { acmode: EXEC })
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'X').acmode).toBe(USER)
    m.crelnm(P1, SUPER, 'LNM$PROCESS', 'Y', ['SUPER'], { acmode: KERNEL })
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'Y').acmode).toBe(SUPER)
  })

  it('without ACMODE a name takes the caller mode (28.2)', () => {
    m.crelnm(P1, EXEC, 'LNM$PROCESS', 'X', ['E'])
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'X').acmode).toBe(EXEC)
  })

  it('with SYSNAM the ACMODE argument is used as given (28.8.1)', () => {
    m.process(0x103, { privileges: ['SYSNAM'] })
    m.crelnm(0x103, USER, 'LNM$PROCESS', 'X', ['E'], { acmode: EXEC })
    expect(m.trnlnm(0x103, USER, 'LNM$PROCESS', 'X').acmode).toBe(EXEC)
  })

  it('an outer-mode definition is an alias, not a replacement; translation sees the outermost of the modes asked for', () => {
    m.crelnm(P1, EXEC, 'LNM$PROCESS', 'X', ['EXEC'])
    expect(m.crelnm(P1, USER, 'LNM$PROCESS', 'X', ['USER'])).toBe(SS.NORMAL)
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'X').string).toBe('USER')
    expect(m.trnlnm(P1, SUPER, 'LNM$PROCESS', 'X', { acmode: SUPER }).string).toBe('EXEC')
    expect(m.trnlnm(P1, KERNEL, 'LNM$PROCESS', 'X', { acmode: KERNEL }).status).toBe(SS.NOLOGNAM)
  })

  it('a translation from an inner mode is maximized too: a user caller cannot ask to skip user names (28.8.1)', () => {
    m.crelnm(P1, EXEC, 'LNM$PROCESS', 'X', ['EXEC'])
    m.crelnm(P1, USER, 'LNM$PROCESS', 'X', ['USER'])
    expect(m.trnlnm(P1, EXEC, 'LNM$PROCESS', 'X', { acmode: EXEC }).string).toBe('EXEC')
    expect(m.trnlnm(P1, EXEC, 'LNM$PROCESS', 'X').string).toBe('USER')
  })

  it('an inner-mode NO_ALIAS name refuses outer-mode definitions: SS$_DUPLNAM (28.8.3)', () => {
    m.crelnm(P1, EXEC, 'LNM$PROCESS', 'SAFE', ['E'], { attr: LNM.M_NO_ALIAS })
    const before = m.state()
    expect(m.crelnm(P1, USER, 'LNM$PROCESS', 'SAFE', ['U'])).toBe(SS.DUPLNAM)
    expect(m.state()).toEqual(before)
  })

  it('a new NO_ALIAS name deletes the outer-mode aliases: SS$_SUPERSEDE (28.8.3)', () => {
    m.crelnm(P1, USER, 'LNM$PROCESS', 'X', ['U'])
    m.crelnm(P1, SUPER, 'LNM$PROCESS', 'X', ['S'])
    expect(m.crelnm(P1, EXEC, 'LNM$PROCESS', 'X', ['E'], { attr: LNM.M_NO_ALIAS })).toBe(
      SS.SUPERSEDE,
    )
    expect(m.names.snapshot().filter((n) => n.name === 'X')).toHaveLength(1)
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'X').string).toBe('E')
  })

  it('the system tables are NO_ALIAS kernel names: redefining one from an outer mode is SS$_DUPLNAM', () => {
    const before = m.state()
    expect(m.crelnm(P1, USER, 'LNM$PROCESS_DIRECTORY', 'LNM$PROCESS_TABLE', ['X'])).toBe(SS.DUPLNAM)
    expect(m.crelnm(P1, KERNEL, 'LNM$PROCESS_DIRECTORY', 'LNM$PROCESS_TABLE', ['X'])).toBe(
      SS.NOPRIV,
    )
    expect(m.state()).toEqual(before)
  })
})

describe('table names and directories (book 28.3, 28.7)', () => {
  it('a user may define a table search list in the process directory and use it', () => {
    expect(
      m.crelnm(P1, SUPER, 'LNM$PROCESS_DIRECTORY', 'MY_TABLES', ['LNM$JOB', 'LNM$PROCESS']),
    ).toBe(SS.NORMAL)
    m.crelnm(P1, USER, 'LNM$PROCESS', 'X', ['IN_PROCESS'])
    m.crelnm(P1, USER, 'MY_TABLES', 'Y', ['IN_JOB'])
    expect(m.trnlnm(P1, USER, 'MY_TABLES', 'X').table).toBe('LNM$PROCESS_TABLE')
    expect(m.trnlnm(P1, USER, 'MY_TABLES', 'Y').table).toBe('LNM$JOB_00000101')
  })

  it('a name in a directory is 1 to 31 letters, digits, $ and _: SS$_IVLOGNAM otherwise (28.3)', () => {
    const before = m.state()
    expect(m.crelnm(P1, USER, 'LNM$PROCESS_DIRECTORY', 'NOT A TABLE', ['X'])).toBe(SS.IVLOGNAM)
    expect(m.crelnm(P1, USER, 'LNM$PROCESS_DIRECTORY', 'T'.repeat(32), ['X'])).toBe(SS.IVLOGNAM)
    expect(m.state()).toEqual(before)
    expect(m.crelnm(P1, USER, 'LNM$PROCESS_DIRECTORY', 'T'.repeat(31), ['X'])).toBe(SS.NORMAL)
  })

  it('redefining LNM$FILE_DEV in the process directory changes this process search order only', () => {
    m.names.define('X', 'SYS', { table: 'LNM$SYSTEM' })
    m.crelnm(P1, USER, 'LNM$PROCESS', 'X', ['PROC'])
    m.crelnm(P1, SUPER, 'LNM$PROCESS_DIRECTORY', 'LNM$FILE_DEV', ['LNM$SYSTEM', 'LNM$PROCESS'])
    expect(m.trnlnm(P1, USER, 'LNM$FILE_DEV', 'X').string).toBe('SYS')
    m.crelnm(P2, USER, 'LNM$PROCESS', 'X', ['PROC2'])
    expect(m.trnlnm(P2, USER, 'LNM$FILE_DEV', 'X').string).toBe('PROC2')
  })

  it('a table name goes at most LNM$C_MAXDEPTH (10) levels deep: SS$_TOOMANYLNAM beyond (28.7)', () => {
    // T0 -> T1 -> ... -> Tn -> LNM$PROCESS_TABLE: n + 1 steps from T0 to the table.
    const chain = (prefix: string, n: number) => {
      for (let i = 0; i < n; i++)
        m.crelnm(P1, USER, 'LNM$PROCESS_DIRECTORY', `${prefix}${i}`, [`${prefix}${i + 1}`])
      m.crelnm(P1, USER, 'LNM$PROCESS_DIRECTORY', `${prefix}${n}`, ['LNM$PROCESS_TABLE'])
    }
    m.crelnm(P1, USER, 'LNM$PROCESS', 'X', ['FOUND'])
    chain('A', 9)
    expect(m.trnlnm(P1, USER, 'A0', 'X').string).toBe('FOUND')
    chain('B', 10)
    expect(m.trnlnm(P1, USER, 'B0', 'X').status).toBe(SS.TOOMANYLNAM)
  })

  it('a circular table name ends in SS$_TOOMANYLNAM, not a hang (28.7)', () => {
    m.crelnm(P1, USER, 'LNM$PROCESS_DIRECTORY', 'LOOP1', ['LOOP2'])
    m.crelnm(P1, USER, 'LNM$PROCESS_DIRECTORY', 'LOOP2', ['LOOP1'])
    // A name in neither hash table fails before the table name is looked at (28.6).
    expect(m.trnlnm(P1, USER, 'LOOP1', 'X').status).toBe(SS.NOLOGNAM)
    m.crelnm(P1, USER, 'LNM$PROCESS', 'X', ['Y'])
    expect(m.trnlnm(P1, USER, 'LOOP1', 'X').status).toBe(SS.TOOMANYLNAM)
    const before = m.state()
    expect(m.crelnm(P1, USER, 'LOOP1', 'X', ['Y'])).toBe(SS.TOOMANYLNAM)
    expect(m.state()).toEqual(before)
  })

  it('an equivalence of a table name that names nothing is passed over (28.7)', () => {
    m.crelnm(P1, USER, 'LNM$PROCESS_DIRECTORY', 'SOME', ['NO_SUCH_TABLE', 'LNM$PROCESS'])
    m.crelnm(P1, USER, 'LNM$PROCESS', 'X', ['FOUND'])
    expect(m.trnlnm(P1, USER, 'SOME', 'X').string).toBe('FOUND')
  })
})

describe('shareable tables and privileges (book 28.3, 28.8.1)', () => {
  it('the system table needs SYSNAM to write; everyone reads it', () => {
    const before = m.state()
    expect(m.crelnm(P1, USER, 'LNM$SYSTEM', 'S', ['X'])).toBe(SS.NOPRIV)
    expect(m.state()).toEqual(before)
    m.process(0x103, { privileges: ['SYSNAM'] })
    expect(m.crelnm(0x103, USER, 'LNM$SYSTEM', 'S', ['X'])).toBe(SS.NORMAL)
    expect(m.trnlnm(P1, USER, 'LNM$FILE_DEV', 'S').table).toBe('LNM$SYSTEM_TABLE')
    expect(m.dellnm(P1, USER, 'LNM$SYSTEM', 'S')).toBe(SS.NOPRIV)
    expect(m.dellnm(0x103, USER, 'LNM$SYSTEM', 'S')).toBe(SS.NORMAL)
  })

  it('the system directory needs SYSNAM too', () => {
    expect(m.crelnm(P1, USER, 'LNM$SYSTEM_DIRECTORY', 'T', ['LNM$SYSTEM'])).toBe(SS.NOPRIV)
  })

  it('the group table needs GRPNAM to write; the group reads it, other groups do not', () => {
    expect(m.crelnm(P1, USER, 'LNM$GROUP', 'G', ['X'])).toBe(SS.NOPRIV)
    m.process(0x103, { group: 0o200, privileges: ['GRPNAM'] })
    expect(m.crelnm(0x103, USER, 'LNM$GROUP', 'G', ['X'])).toBe(SS.NORMAL)
    expect(m.trnlnm(P1, USER, 'LNM$FILE_DEV', 'G').table).toBe('LNM$GROUP_000200')
    m.process(0x104, { group: 0o300 })
    expect(m.trnlnm(0x104, USER, 'LNM$FILE_DEV', 'G').status).toBe(SS.NOLOGNAM)
    expect(m.trnlnm(0x104, USER, 'LNM$GROUP_000200', 'G').status).toBe(SS.NOPRIV)
  })

  it("GRPNAM is for one group: another group's table stays closed (28.3)", () => {
    m.process(0x103, { group: 0o300, privileges: ['GRPNAM'] })
    expect(m.crelnm(0x103, USER, 'LNM$GROUP_000200', 'G', ['X'])).toBe(SS.NOPRIV)
  })

  it('the job table is shared by the processes of the job (28.2)', () => {
    m.crelnm(P1, USER, 'LNM$JOB', 'SYS$LOGIN', ['DUA1:[USER]'])
    expect(m.trnlnm(P2, USER, 'LNM$FILE_DEV', 'SYS$LOGIN').string).toBe('DUA1:[USER]')
    m.process(0x105, { job: 0x105 })
    expect(m.trnlnm(0x105, USER, 'LNM$FILE_DEV', 'SYS$LOGIN').status).toBe(SS.NOLOGNAM)
    expect(m.trnlnm(0x105, USER, 'LNM$JOB_00000101', 'SYS$LOGIN').status).toBe(SS.NOPRIV)
  })

  it("process-private names are the process's own (28.2)", () => {
    m.crelnm(P1, USER, 'LNM$PROCESS', 'MINE', ['X'])
    expect(m.trnlnm(P2, USER, 'LNM$FILE_DEV', 'MINE').status).toBe(SS.NOLOGNAM)
  })
})

describe('$DELLNM (book 28.8.5)', () => {
  it('deletes a name; a second deletion is SS$_NOLOGNAM', () => {
    m.crelnm(P1, USER, 'LNM$PROCESS', 'X', ['Y'])
    expect(m.dellnm(P1, USER, 'LNM$PROCESS', 'X')).toBe(SS.NORMAL)
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'X').status).toBe(SS.NOLOGNAM)
    expect(m.dellnm(P1, USER, 'LNM$PROCESS', 'X')).toBe(SS.NOLOGNAM)
  })

  it('deletes the name at the request mode with its outer aliases, never an inner one', () => {
    m.crelnm(P1, EXEC, 'LNM$PROCESS', 'X', ['E'])
    m.crelnm(P1, SUPER, 'LNM$PROCESS', 'X', ['S'])
    m.crelnm(P1, USER, 'LNM$PROCESS', 'X', ['U'])
    expect(m.dellnm(P1, SUPER, 'LNM$PROCESS', 'X', { acmode: SUPER })).toBe(SS.NORMAL)
    expect(m.trnlnm(P1, USER, 'LNM$PROCESS', 'X').string).toBe('E')
    const before = m.state()
    expect(m.dellnm(P1, USER, 'LNM$PROCESS', 'X')).toBe(SS.NOLOGNAM)
    expect(m.state()).toEqual(before)
  })

  it('without a name deletes every name of the first table at the mode or outer ones', () => {
    m.crelnm(P1, USER, 'LNM$PROCESS', 'A', ['1'])
    m.crelnm(P1, USER, 'LNM$PROCESS', 'B', ['2'])
    m.crelnm(P1, SUPER, 'LNM$PROCESS', 'C', ['3'])
    m.crelnm(P1, USER, 'LNM$JOB', 'D', ['4'])
    expect(m.dellnm(P1, USER, 'LNM$FILE_DEV')).toBe(SS.NORMAL)
    expect(m.trnlnm(P1, USER, 'LNM$FILE_DEV', 'A').status).toBe(SS.NOLOGNAM)
    expect(m.trnlnm(P1, USER, 'LNM$FILE_DEV', 'C').string).toBe('3')
    expect(m.trnlnm(P1, USER, 'LNM$FILE_DEV', 'D').string).toBe('4')
  })

  it('searches the tables of the table name for the one holding the name (28.7)', () => {
    m.crelnm(P1, USER, 'LNM$JOB', 'D', ['4'])
    expect(m.dellnm(P1, USER, 'LNM$FILE_DEV', 'D')).toBe(SS.NORMAL)
    expect(m.trnlnm(P2, USER, 'LNM$JOB', 'D').status).toBe(SS.NOLOGNAM)
  })

  it('the system-made tables cannot be deleted', () => {
    const before = m.state()
    expect(m.dellnm(P1, USER, 'LNM$PROCESS_DIRECTORY', 'LNM$PROCESS_TABLE')).toBe(SS.NOLOGNAM)
    expect(m.dellnm(P1, KERNEL, 'LNM$PROCESS_DIRECTORY', 'LNM$PROCESS_TABLE')).toBe(SS.NOPRIV)
    // Deleting the whole directory from user mode leaves the kernel-mode names.
    expect(m.dellnm(P1, USER, 'LNM$PROCESS_DIRECTORY')).toBe(SS.NORMAL)
    expect(m.state()).toEqual(before)
    // From kernel mode it takes LNM$PROCESS, LNM$JOB and LNM$GROUP, but not the tables.
    expect(m.dellnm(P1, KERNEL, 'LNM$PROCESS_DIRECTORY')).toBe(SS.NORMAL)
    expect(
      m.names
        .snapshot()
        .filter((n) => n.space === `process ${P1}` && n.table === 'LNM$PROCESS_DIRECTORY')
        .map((n) => n.name),
    ).toEqual(['LNM$PROCESS_DIRECTORY', 'LNM$PROCESS_TABLE'])
  })
})

describe('process deletion (book 22.2, 28.3)', () => {
  it('takes the process names and tables with it; the job table goes with the last process', () => {
    const fresh = new Machine()
    const base = fresh.state()
    fresh.process(P1)
    fresh.process(P2, { job: P1 })
    fresh.crelnm(P1, USER, 'LNM$PROCESS', 'X', ['Y'])
    fresh.crelnm(P1, USER, 'LNM$JOB', 'J', ['Y'])
    fresh.crelnm(P2, USER, 'LNM$PROCESS', 'Z', ['Y'])
    fresh.kernel.deleteProcess(P1)
    expect(fresh.trnlnm(P2, USER, 'LNM$JOB', 'J').string).toBe('Y')
    fresh.kernel.deleteProcess(P2)
    const after = fresh.state()
    // Only the group table LNM$GROUP_000200 (and its LNMB in pool) outlives the job.
    expect(after.names.filter((n) => !base.names.some((b) => b.name === n.name))).toEqual([
      expect.objectContaining({ name: 'LNM$GROUP_000200', table: 'LNM$SYSTEM_DIRECTORY' }),
    ])
    expect(fresh.kernel.memory.count).toBe(base.names.length + 1)
  })
})
