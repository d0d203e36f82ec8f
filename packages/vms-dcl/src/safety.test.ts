import { SS } from '@vms/contracts'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromConsoleCommand } from './console-command'
import { CLI, STS_M_INHIB_MSG } from './messages'
import { Harness } from './testing/harness'

describe('untrusted procedures cannot run without bound', () => {
  it('a GOTO loop stops at the step limit with SS$_EXQUOTA and the terminal takes commands again', () => {
    const h = new Harness({ stepLimit: 500 })
    h.file('forever.com', '$ LOOP:\n$ GOTO LOOP\n')
    const r = h.status('@FOREVER')
    expect(r.output).toEqual(['%SYSTEM-F-EXQUOTA, exceeded quota'])
    expect(r.status).toBe((SS.EXQUOTA | STS_M_INHIB_MSG) >>> 0)
    expect(h.dcl.depth).toBe(0)
    expect(h.run('WRITE SYS$OUTPUT "still here"')).toEqual(['still here'])
  })

  it('interrupt() (CTRL/Y) ends the procedures at the next command', () => {
    let count = 0
    const h = new Harness({}, {})
    h.dcl.table.define({
      name: 'TICK',
      help: 'counts, and interrupts at 3',
      handler: () => {
        if (++count === 3) h.dcl.interrupt()
        return 1
      },
    })
    h.file('ticks.com', '$ LOOP:\n$ TICK\n$ GOTO LOOP\n')
    const status = h.dcl.execute('@TICKS')
    expect(count).toBe(3)
    expect(status).toBe((SS.ABORT | STS_M_INHIB_MSG) >>> 0)
    expect(h.dcl.depth).toBe(0)
  })

  it("recursion stops at DCL's nesting limit (16 levels) with CLI$_STKOVF", () => {
    const h = new Harness()
    h.file('self.com', '$ WRITE SYS$OUTPUT F$ENVIRONMENT("DEPTH")\n$ @SELF\n')
    const out = h.run('@SELF')
    expect(out.slice(0, 16)).toEqual(Array.from({ length: 16 }, (_, i) => String(i + 1)))
    expect(out[16]).toBe('%DCL-W-STKOVF, command procedures too deeply nested - limit to 16 levels')
    expect(h.dcl.depth).toBe(0)
  })

  it('CALL recursion is bounded the same way', () => {
    const h = new Harness()
    h.file('rec.com', '$ CALL R\n$ EXIT\n$ R: SUBROUTINE\n$ CALL R\n$ ENDSUBROUTINE\n')
    expect(h.run('@REC')).toEqual([
      '%DCL-W-STKOVF, command procedures too deeply nested - limit to 16 levels',
    ])
    expect(h.dcl.status).toBe((CLI.STKOVF | STS_M_INHIB_MSG) >>> 0)
  })

  it('a symbol that substitutes itself ends', () => {
    const h = new Harness()
    h.run('A = "\'A\'"')
    expect(h.status("WRITE SYS$OUTPUT \"''A'\"").status & 1).toBe(1)
  })
})

describe('host verbs plug in with their qualifiers', () => {
  it('a subsystem ConsoleCommand (SHOW LOCKS) becomes a SHOW keyword, abbreviable', () => {
    const h = new Harness()
    fromConsoleCommand(h.dcl.table, {
      name: 'SHOW LOCKS',
      help: 'the lock database',
      run: (args, say) => {
        say(`locks ${args.join(' ')}`)
        return 1
      },
    })
    expect(h.run('SHOW LOCK', 'sh loc x y')).toEqual(['locks ', 'locks X Y'])
    expect(h.run('HELP SHOW LOCKS')).toContain('    the lock database')
  })

  it('SET PROCESS/PRIORITY=n, STOP/IDENTIFICATION=pid and RUN/DETACH plug in with their qualifiers', () => {
    const h = new Harness()
    const seen: string[] = []
    h.dcl.table.defineKeyword('SET', {
      name: 'PROCESS',
      help: 'SET PROCESS [name]: process settings',
      parameters: [{ label: 'Process name' }],
      qualifiers: [
        {
          name: 'PRIORITY',
          value: 'required',
          type: 'number',
          negatable: false,
          help: 'base priority',
        },
      ],
      handler: (c) => {
        seen.push(
          `priority ${c.qualifiers.get('PRIORITY')?.values[0]} of ${c.parameters[0]?.[0] ?? 'me'}`,
        )
        return 1
      },
    })
    h.dcl.table.define({
      name: 'STOP',
      help: 'STOP [name]: deletes a process',
      parameters: [{ label: 'Process name' }],
      qualifiers: [{ name: 'IDENTIFICATION', value: 'required', help: 'the PID' }],
      handler: (c) => {
        seen.push(`stop ${c.qualifiers.get('IDENTIFICATION')?.values[0] ?? c.parameters[0]?.[0]}`)
        return 1
      },
    })
    h.run('SET PROC/PRI=6', 'set process worker /priority=2', 'STOP/ID=2A', 'STOP WORKER')
    expect(seen).toEqual(['priority 6 of me', 'priority 2 of WORKER', 'stop 2A', 'stop WORKER'])
    expect(h.run('SET PROCESS/PRIORITY=high')[0]).toBe(
      '%DCL-W-NUMBER, invalid numeric value - check for invalid digits',
    )
    expect(h.run('SET PROCESS/NOPRIORITY')[0]).toContain('NOTNEG')
  })

  it('a host verb replaces a built-in of the same name (EXIT at the terminal goes to the host)', () => {
    let exited: number | undefined
    const h = new Harness({}, { exit: (status) => (exited = status) })
    h.run('EXIT 3')
    expect(exited).toBe(3)
  })
})

describe('random procedures end, and leave the terminal level (bounded by steps and depth)', () => {
  const vocabulary = [
    '$ X = X + 1',
    '$ GOTO A',
    '$ A:',
    '$ GOSUB B',
    '$ B:',
    '$ RETURN',
    '$ IF X .GT. 3 THEN GOTO A',
    '$ IF X .AND. 1',
    '$ THEN',
    '$ ELSE',
    '$ ENDIF',
    '$ CALL S 1 2',
    '$ S: SUBROUTINE',
    '$ ENDSUBROUTINE',
    '$ EXIT 3',
    '$ @SELF',
    '$ ON ERROR THEN GOTO A',
    '$ ON WARNING THEN EXIT',
    '$ SET NOON',
    'data line',
    '$ RUN PROG',
    '$ FROB',
    "$ Y = 'X'",
    '$ READ/END_OF_FILE=A SYS$INPUT Z',
    '$ WRITE SYS$OUTPUT X',
  ]
  for (let seed = 0; seed < 6; seed++) {
    it(`seed ${seed}`, () => {
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...vocabulary), { maxLength: 30 }), (lines) => {
          const h = new Harness({ stepLimit: 2000 })
          h.file('self.com', `${lines.join('\n')}\n`)
          h.run('X = 0')
          const status = h.dcl.execute('@SELF')
          expect(typeof status).toBe('number')
          expect(h.dcl.depth).toBe(0)
          expect(h.run('WRITE SYS$OUTPUT "alive"')).toEqual(['alive'])
        }),
        { seed, numRuns: 25 },
      )
    })
  }
})

describe('untrusted input cannot grow without bound', () => {
  it('a doubling string stops at the command buffer (CLI$_BUFOVF)', () => {
    const h = new Harness()
    h.file('grow.com', '$ ON WARNING THEN EXIT\n$ X = "ab"\n$ LOOP:\n$ X = X + X\n$ GOTO LOOP\n')
    const out = h.run('@GROW')
    expect(out).toEqual([
      '%DCL-W-BUFOVF, command buffer overflow - shorten expression or command line',
    ])
    expect((h.dcl.symbol('X') ?? '').length).toBeLessThanOrEqual(8192)
  })

  it('WRITE of many long values is refused, not written', () => {
    const h = new Harness()
    h.run(`Y = "${'x'.repeat(8000)}"`)
    expect(h.run(`WRITE SYS$OUTPUT ${Array(20).fill('Y').join(',')}`)).toEqual([
      '%DCL-W-BUFOVF, command buffer overflow - shorten expression or command line',
    ])
  })

  it('apostrophe substitution that doubles each pass stops too', () => {
    const h = new Harness()
    h.run(`A = "'A'" + "'A'"`)
    expect(h.run(`WRITE SYS$OUTPUT 'A'`)[0]).toBe(
      '%DCL-W-BUFOVF, command buffer overflow - shorten expression or command line',
    )
  })

  it('deeply nested parentheses are CLI$_COMPLX, not a host stack overflow', () => {
    const h = new Harness()
    const deep = `${'('.repeat(4000)}1${')'.repeat(4000)}`
    expect(h.run(`X = ${deep}`)).toEqual(['%DCL-W-COMPLX, expression too complex - simplify'])
    expect(h.run(`X = ${'-'.repeat(5000)}1`)).toEqual([
      '%DCL-W-COMPLX, expression too complex - simplify',
    ])
    expect(h.run(`X = ${'.NOT. '.repeat(500)}1`)).toEqual([
      '%DCL-W-COMPLX, expression too complex - simplify',
    ])
    expect(h.run('X = ((1 + 2) * (3 - 1))', 'WRITE SYS$OUTPUT X')).toEqual(['6'])
  })
})
