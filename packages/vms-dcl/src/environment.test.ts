import { describe, expect, it } from 'vitest'
import { CommandHistory } from './history'
import { Harness } from './testing/harness'

describe('SHOW TIME, SHOW SYMBOL, SHOW LOGICAL, DEFINE, ASSIGN, DEASSIGN (DCL Dictionary)', () => {
  it('logical names', () => {
    const h = new Harness(
      {},
      { trnlnm: (name) => (name === 'SYS$SYSTEM' ? 'SYS$SYSROOT:[SYSEXE]' : undefined) },
    )
    expect(h.run('DEFINE WORK [WORK]', 'ASSIGN [OTHER] WORK', 'SHOW LOGICAL WORK')).toEqual([
      '%DCL-I-SUPERSEDE, previous value of WORK has been superseded',
      '  "WORK" = "[OTHER]" (LNM$PROCESS_TABLE)',
    ])
    expect(h.run('SHOW LOGICAL SYS$SYSTEM')).toEqual([
      '  "SYS$SYSTEM" = "SYS$SYSROOT:[SYSEXE]" (LNM$SYSTEM_TABLE)',
    ])
    h.run('DEASSIGN WORK')
    expect(h.run('SHOW LOGICAL WORK')).toEqual([
      '%SHOW-S-NOTRAN, no translation for logical name WORK',
    ])
    expect(h.run('DEASSIGN WORK')).toEqual(['%SYSTEM-F-NOLOGNAM, no logical name match'])
  })

  it('SHOW SYMBOL of an undefined symbol, DELETE/SYMBOL', () => {
    const h = new Harness()
    h.run('X = 1', 'DELETE/SYMBOL X')
    expect(h.run('SHOW SYMBOL X')).toEqual([
      '%DCL-W-UNDSYM, undefined symbol - check validity and spelling',
      ' \\X\\',
    ])
  })
})

describe('HELP from the command table; completion; command recall', () => {
  it('HELP topic and subtopic', () => {
    const h = new Harness()
    const out = h.run('HELP RUN')
    expect(out).toContain('  RUN program: runs a (test) program')
    expect(out).toContain('  /PRIORITY            base priority')
    expect(h.run('HELP RUN /PRI')).toContain('    base priority')
    expect(h.run('HELP FROB')).toEqual(['  Sorry, no documentation on FROB'])
  })

  it('completion offers verbs, keywords and qualifiers', () => {
    const h = new Harness()
    expect(h.dcl.table.complete('DE')).toEqual(['DEASSIGN', 'DEFINE', 'DELETE'])
    expect(h.dcl.table.complete('SHOW SY')).toEqual(['SYMBOL'])
    expect(h.dcl.table.complete('RUN/PR')).toEqual(['/PRIORITY'])
    expect(h.dcl.table.complete('SHOW SYMBOL /G')).toEqual(['/GLOBAL'])
  })

  it('the history keeps the last 20 lines; up and down move through it', () => {
    const history = new CommandHistory()
    for (let i = 1; i <= 25; i++) history.add(`CMD ${i}`)
    expect(history.list()).toHaveLength(20)
    expect(history.previous()).toBe('CMD 25')
    expect(history.previous()).toBe('CMD 24')
    expect(history.next()).toBe('CMD 25')
    expect(history.recall(3)).toBe('CMD 23')
    expect(history.find('cmd 1')).toBe('CMD 19')
    const h = new Harness()
    h.run('A = 1', 'B = 2')
    expect(h.run('RECALL/ALL')).toEqual(['   1 B = 2', '   2 A = 1'])
    expect(h.run('RECALL 2', 'RECALL B')).toEqual(['B = 2', 'B = 2'])
  })
})
