import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CLI, cliName, messageText, STS_M_INHIB_MSG } from './messages'
import { Harness } from './testing/harness'

/**
 * DCL's parse errors in its own words, each with its CLI$_ status (facility 3) in $STATUS
 * (with STS$M_INHIB_MSG, the message having been shown) and the `\token\` line.
 */
describe('DCL error messages (DCL Dictionary; $CLIMSGDEF values)', () => {
  const cases: [string, number, string[]][] = [
    [
      'FROB',
      CLI.IVVERB,
      ['%DCL-W-IVVERB, unrecognized command verb - check validity and spelling', ' \\FROB\\'],
    ],
    ['S', CLI.ABVERB, ['%DCL-W-ABVERB, ambiguous command verb - supply more characters', ' \\S\\']],
    [
      'SHOW MEMXYZ',
      CLI.IVKEYW,
      ['%DCL-W-IVKEYW, unrecognized keyword - check validity and spelling', ' \\MEMXYZ\\'],
    ],
    [
      'SET NO',
      CLI.ABKEYW,
      ['%DCL-W-ABKEYW, ambiguous keyword - supply more characters', ' \\NO\\'],
    ],
    [
      'RUN/FOO',
      CLI.IVQUAL,
      [
        '%DCL-W-IVQUAL, unrecognized qualifier - check validity, spelling, and placement',
        ' \\FOO\\',
      ],
    ],
    [
      'RUN HELLO/FOO',
      CLI.IVQUAL,
      [
        '%DCL-W-IVQUAL, unrecognized qualifier - check validity, spelling, and placement',
        ' \\FOO\\',
      ],
    ],
    [
      'RUN',
      CLI.INSFPRM,
      ['%DCL-W-INSFPRM, missing command parameters - supply all required parameters'],
    ],
    [
      'RUN A B',
      CLI.MAXPARM,
      ['%DCL-W-MAXPARM, too many parameters - reenter command with fewer parameters', ' \\B\\'],
    ],
    [
      'RUN/NOWAIT=3 X',
      CLI.NOVALU,
      ['%DCL-W-NOVALU, value not allowed - remove value specification', ' \\NOWAIT=3\\'],
    ],
    [
      'RUN/PRIORITY X',
      CLI.VALREQ,
      [
        '%DCL-W-VALREQ, missing qualifier or keyword value - supply all required values',
        ' \\PRIORITY\\',
      ],
    ],
    [
      'RUN/PRIORITY=(4,5) X',
      CLI.ONEVAL,
      ['%DCL-W-ONEVAL, list of values not allowed - check use of comma (,)', ' \\PRIORITY=(4,5)\\'],
    ],
    [
      'RUN/PRIORITY=X4 X',
      CLI.NUMBER,
      ['%DCL-W-NUMBER, invalid numeric value - check for invalid digits', ' \\X4\\'],
    ],
    [
      'READ/NOPROMPT SYS$INPUT X',
      CLI.NOTNEG,
      ['%DCL-W-NOTNEG, qualifier or keyword not negatable - remove "NO" or omit', ' \\NOPROMPT\\'],
    ],
    [
      'X = 1 +',
      CLI.EXPSYN,
      ['%DCL-W-EXPSYN, invalid expression syntax - check operators and operands', ' \\1 +\\'],
    ],
    [
      'WRITE SYS$OUTPUT NOSUCH',
      CLI.UNDSYM,
      ['%DCL-W-UNDSYM, undefined symbol - check validity and spelling', ' \\NOSUCH\\'],
    ],
    [
      'X = 12A',
      CLI.NUMBER,
      ['%DCL-W-NUMBER, invalid numeric value - check for invalid digits', ' \\12A\\'],
    ],
  ]
  for (const [line, status, lines] of cases) {
    it(`${line}: ${cliName(status)}`, () => {
      const h = new Harness()
      const result = h.status(line)
      expect(result.output).toEqual(lines)
      expect(result.status).toBe((status | STS_M_INHIB_MSG) >>> 0)
      expect(h.dcl.symbol('$STATUS')).toBe(
        `%X${((status | STS_M_INHIB_MSG) >>> 0).toString(16).toUpperCase()}`,
      )
      expect(h.dcl.symbol('$SEVERITY')).toBe(String(status & 7))
    })
  }

  it('uses the $CLIMSGDEF values: facility 3, warnings', () => {
    expect(CLI.IVVERB).toBe(0x00038090)
    expect(CLI.INSFPRM).toBe(0x00038048)
    expect(CLI.IVQUAL).toBe(0x00038240)
    expect(CLI.ABVERB).toBe(0x00038008)
    expect(CLI.IVKEYW).toBe(0x00038060)
    expect(CLI.MAXPARM).toBe(0x00038098)
    expect(CLI.NOVALU).toBe(0x000380d0)
    expect(CLI.UNDSYM).toBe(0x00038140)
    for (const value of Object.values(CLI)) expect((value >>> 16) & 0xfff).toBe(3)
    // The parse errors are warnings; INVIFNEST an error; SUPERSEDE informational.
    expect(CLI.IVVERB & 7).toBe(0)
    expect(CLI.INVIFNEST & 7).toBe(2)
    expect(CLI.SUPERSEDE & 7).toBe(3)
    // FreeVMS climsgdef.h, in decimal.
    expect([CLI.UNDFIL, CLI.USGOTO, CLI.STKOVF, CLI.SKPDAT]).toEqual([
      229768, 229704, 229672, 229664,
    ])
    expect(messageText(CLI.IVVERB)).toBe(
      '%DCL-W-IVVERB, unrecognized command verb - check validity and spelling',
    )
  })
})

describe('the console bugs the issue lists are DCL now', () => {
  it('SH SYS and sh mem are abbreviations (any unique prefix)', () => {
    const h = new Harness()
    h.dcl.table.defineKeyword('SHOW', {
      name: 'SYSTEM',
      help: 'processes',
      handler: (_c, x) => {
        x.say('SYSTEM')
        return 1
      },
    })
    h.dcl.table.defineKeyword('SHOW', {
      name: 'MEMORY',
      help: 'memory',
      handler: (_c, x) => {
        x.say('MEMORY')
        return 1
      },
    })
    expect(h.run('SH SYS', 'sh mem')).toEqual(['SYSTEM', 'MEMORY'])
  })

  it("SHOW SYSTEM/FULL takes the keyword's qualifier; SHOW TIME is the time", () => {
    const h = new Harness()
    h.dcl.table.defineKeyword('SHOW', {
      name: 'SYSTEM',
      help: 'processes',
      qualifiers: [{ name: 'FULL' }],
      handler: (c, x) => {
        x.say(c.qualifiers.has('FULL') ? 'FULL' : 'BRIEF')
        return 1
      },
    })
    expect(h.run('SHOW SYSTEM/FULL', 'SHOW SYSTEM /FULL', 'SHOW TIME')).toEqual([
      'FULL',
      'FULL',
      '   9-NOV-2026 14:05:33',
    ])
  })

  it('qualifiers attached to a file name are qualifiers; a host path stays one parameter', () => {
    const h = new Harness()
    expect(h.run('RUN HELLO/NOWAIT')).toEqual(['HELLO read 0 lines'])
    expect(h.run('RUN /tmp/x.mar')).toEqual(['/tmp/x.mar read 0 lines'])
    expect(h.run('RUN examples/hello.mar')).toEqual(['examples/hello.mar read 0 lines'])
  })

  it('@x.com runs a procedure', () => {
    const h = new Harness()
    h.file('x.com', '$ WRITE SYS$OUTPUT "X RAN"\n')
    expect(h.run('@x.com', '@X')).toEqual(['X RAN', 'X RAN'])
  })
})

describe('bad input changes nothing and never throws', () => {
  const bad = [
    'FROB',
    'S',
    'RUN/FOO',
    'SET DEFAULT [NOSUCH]',
    'X = (1',
    'DEFINE',
    'DELETE X.Y',
    'TYPE ../etc/passwd',
    '@[-]x',
    'X = 1/0',
  ]
  for (const line of bad) {
    it(line, () => {
      const h = new Harness()
      h.run('A = 1', 'B == "two"', 'DEFINE L X')
      const before = h.snapshot()
      const status = h.dcl.execute(line)
      expect(status & 1).toBe(0)
      expect(h.snapshot()).toEqual(before)
    })
  }

  for (let seed = 0; seed < 4; seed++) {
    it(`random lines (seed ${seed})`, () => {
      const h = new Harness({ stepLimit: 1000 })
      const chars = fc.constantFrom(...'$@/=:"\'&!()[].,;*%- AZaz09_SHOWRUNIFTHENGOTO'.split(''))
      fc.assert(
        fc.property(
          fc.array(chars, { maxLength: 40 }).map((a) => a.join('')),
          (line) => {
            const status = h.dcl.execute(line)
            expect(typeof status).toBe('number')
          },
        ),
        { seed, numRuns: 200 },
      )
    })
  }
})
