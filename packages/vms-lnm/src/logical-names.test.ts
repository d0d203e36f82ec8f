import { SS } from '@vms/contracts'
import { beforeEach, describe, expect, it } from 'vitest'
import { LNM } from './lnm'
import { EXEC, Machine, SUPER, USER } from './testing/harness'

const P1 = 0x101
let m: Machine

beforeEach(() => {
  m = new Machine()
  m.process(P1)
  const system = { table: 'LNM$SYSTEM_TABLE', mode: EXEC }
  m.names.define('SYS$SYSTEM', 'SYS$SYSROOT:[SYSEXE]', system)
  m.names.define(
    'SYS$SYSROOT',
    [{ value: 'DUA0:[SYS0.]', concealed: true, terminal: true }, 'SYS$COMMON:'],
    system,
  )
  m.names.define('SYS$COMMON', [{ value: 'DUA0:[SYS0.SYSCOMMON.]', concealed: true }], system)
})

describe('the host API for DCL (DEFINE, DEASSIGN, F$TRNLNM; book 28.3.1, 28.4)', () => {
  it('DEFINE makes a supervisor-mode name in LNM$PROCESS; F$TRNLNM finds it through LNM$FILE_DEV', () => {
    expect(m.names.define('WORK', 'DUA1:[WORK]', { pid: P1 })).toBe(SS.NORMAL)
    const t = m.names.translate('WORK', { pid: P1 })
    expect(t).toMatchObject({ status: SS.NORMAL, value: 'DUA1:[WORK]' })
    expect(t.name).toMatchObject({ mode: SUPER, table: 'LNM$PROCESS_TABLE' })
    expect(m.names.define('WORK', 'DUA2:', { pid: P1 })).toBe(SS.SUPERSEDE)
  })

  it('DEFINE/USER makes a user-mode alias beside a supervisor-mode name (28.2)', () => {
    m.names.define('WORK', 'SUPER', { pid: P1 })
    m.names.define('WORK', 'USER', { pid: P1, mode: USER })
    expect(m.names.translate('WORK', { pid: P1 }).value).toBe('USER')
    expect(m.names.translate('WORK', { pid: P1, mode: SUPER }).value).toBe('SUPER')
    expect(m.names.deassign('WORK', { pid: P1, mode: USER })).toBe(SS.NORMAL)
    expect(m.names.translate('WORK', { pid: P1 }).value).toBe('SUPER')
  })

  it('DEFINE/EXECUTIVE without SYSNAM makes a supervisor name (maximized, 28.8.1)', () => {
    m.names.define('WORK', 'X', { pid: P1, mode: EXEC })
    expect(m.names.translate('WORK', { pid: P1 }).name?.mode).toBe(SUPER)
  })

  it('F$TRNLNM with an index reads one equivalence of a search list', () => {
    expect(m.names.translate('SYS$SYSROOT', { pid: P1, index: 1 }).value).toBe('SYS$COMMON:')
    expect(m.names.translate('SYS$SYSROOT', { pid: P1, index: 2 }).value).toBeUndefined()
  })

  it('DEASSIGN of an absent name is SS$_NOLOGNAM', () => {
    expect(m.names.deassign('NONE', { pid: P1 })).toBe(SS.NOLOGNAM)
  })

  it('iterative translation follows names until one is not a name or is terminal (28.4.1)', () => {
    m.names.define('A', 'B', { pid: P1 })
    m.names.define('B', 'C', { pid: P1 })
    expect(m.names.translateIteratively('A', { pid: P1 }).value).toBe('C')
    expect(m.names.translateIteratively('NOT_A_NAME', { pid: P1 })).toMatchObject({
      status: SS.NORMAL,
      value: 'NOT_A_NAME',
    })
    m.names.define('T', [{ value: 'A', terminal: true }], { pid: P1 })
    expect(m.names.translateIteratively('T', { pid: P1 }).value).toBe('A')
  })

  it('iterative translation stops after LNM$C_MAXDEPTH translations: SS$_TOOMANYLNAM', () => {
    for (let i = 0; i < LNM.C_MAXDEPTH; i++) m.names.define(`N${i}`, `N${i + 1}`, { pid: P1 })
    expect(m.names.translateIteratively('N0', { pid: P1 }).value).toBe(`N${LNM.C_MAXDEPTH}`)
    m.names.define(`N${LNM.C_MAXDEPTH}`, 'ONE_MORE', { pid: P1 })
    expect(m.names.translateIteratively('N0', { pid: P1 }).status).toBe(SS.TOOMANYLNAM)
    m.names.define('LOOP', 'LOOP', { pid: P1 })
    expect(m.names.translateIteratively('LOOP', { pid: P1 }).status).toBe(SS.TOOMANYLNAM)
  })

  it('SHOW LOGICAL name: the definition, then each equivalence name translated a level deeper (28.3.1)', () => {
    expect(m.names.show('SYS$SYSTEM', { pid: P1 })).toEqual({
      status: SS.NORMAL,
      lines: [
        '  "SYS$SYSTEM" = "SYS$SYSROOT:[SYSEXE]" (LNM$SYSTEM_TABLE)',
        '1 "SYS$SYSROOT" = "DUA0:[SYS0.]" (LNM$SYSTEM_TABLE)',
        '        = "SYS$COMMON:"',
        '2 "SYS$COMMON" = "DUA0:[SYS0.SYSCOMMON.]" (LNM$SYSTEM_TABLE)',
      ],
    })
  })

  it('SHOW LOGICAL shows the name in each table that has one, process first', () => {
    m.names.define('SYS$SYSTEM', '[MINE]', { pid: P1 })
    expect(m.names.show('SYS$SYSTEM', { pid: P1 }).lines.slice(0, 2)).toEqual([
      '  "SYS$SYSTEM" = "[MINE]" (LNM$PROCESS_TABLE)',
      '  "SYS$SYSTEM" = "SYS$SYSROOT:[SYSEXE]" (LNM$SYSTEM_TABLE)',
    ])
  })

  it('SHOW LOGICAL of an undefined name says NOTRAN and returns SS$_NOLOGNAM', () => {
    expect(m.names.show('NOWHERE', { pid: P1 })).toEqual({
      status: SS.NOLOGNAM,
      lines: ['%SHOW-S-NOTRAN, no translation for logical name NOWHERE'],
    })
  })

  it('SHOW LOGICAL with no name lists each table of LNM$DCL_LOGICAL with its names', () => {
    m.names.define('WORK', 'DUA1:[WORK]', { pid: P1 })
    expect(m.names.show(undefined, { pid: P1 }).lines).toEqual([
      '',
      '(LNM$PROCESS_TABLE)',
      '',
      '  "WORK" = "DUA1:[WORK]"',
      '',
      '(LNM$JOB_00000101)',
      '',
      '',
      '(LNM$GROUP_000200)',
      '',
      '',
      '(LNM$SYSTEM_TABLE)',
      '',
      '  "SYS$COMMON" = "DUA0:[SYS0.SYSCOMMON.]"',
      '  "SYS$SYSROOT" = "DUA0:[SYS0.]"',
      '        = "SYS$COMMON:"',
      '  "SYS$SYSTEM" = "SYS$SYSROOT:[SYSEXE]"',
    ])
  })

  it('the console SHOW LOGICAL command prints in the system context', () => {
    const show = m.subsystem.commands?.find((c) => c.name === 'SHOW LOGICAL')
    const lines: string[] = []
    expect(show?.run(['sys$system:'], (l) => lines.push(l))).toBe(SS.NORMAL)
    expect(lines[0]).toBe('  "SYS$SYSTEM" = "SYS$SYSROOT:[SYSEXE]" (LNM$SYSTEM_TABLE)')
    expect(show?.run(['NONE'], () => {})).toBe(SS.NOLOGNAM | 0x10000000)
    const qualified: string[] = []
    show?.run(['/FULL', 'SYS$SYSTEM'], (l) => qualified.push(l))
    expect(qualified[0]).toBe(lines[0])
  })
})
