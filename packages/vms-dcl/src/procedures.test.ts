import { describe, expect, it } from 'vitest'
import { CLI, STS_M_INHIB_MSG } from './messages'
import { Harness } from './testing/harness'

/** A procedure's text from lines. */
const proc = (...lines: string[]) => `${lines.join('\n')}\n`

describe('symbols and substitution (DCL Dictionary, "Symbols", "Symbol substitution")', () => {
  it('=, ==, := and :== define local and global, integer and string symbols', () => {
    const h = new Harness()
    h.run('A = 5', 'B == "Mixed Case"', 'C := lower   case  "Kept  Quote"', 'D :== x')
    expect(h.run('SHOW SYMBOL A', 'SHOW SYMBOL B', 'SHOW SYMBOL C', 'SHOW SYMBOL D')).toEqual([
      '  A = 5   Hex = 00000005  Octal = 00000000005',
      '  B == "Mixed Case"',
      '  C = "LOWER CASE Kept  Quote"',
      '  D == "X"',
    ])
  })

  it("apostrophes substitute outside quotes ('X') and inside (''X'); undefined is the null string", () => {
    const h = new Harness()
    expect(
      h.procedure(
        'SUBST',
        proc(
          '$ NAME = "WORLD"',
          '$ N = 3',
          `$ WRITE SYS$OUTPUT "Hello, ''NAME'! ''N' times, [''UNDEFINED']"`,
          '$ VERB = "WRITE"',
          '$ \'VERB\' SYS$OUTPUT "verb substituted"',
          '$ T = "SYS$OUTPUT"',
          '$ WRITE &T "ampersand substituted"',
          `$ WRITE SYS$OUTPUT "now ''F$LENGTH("abcd")'"`,
        ),
      ),
    ).toEqual(['Hello, WORLD! 3 times, []', 'verb substituted', 'ampersand substituted', 'now 4'])
  })

  it('a symbol as the first word is a command synonym; abbreviated definitions (NAME*REST)', () => {
    const h = new Harness()
    h.run('SAY*IT :== WRITE SYS$OUTPUT')
    expect(h.run('SAY "one"', 'SAYI "two"', 'SAYIT "three"')).toEqual(['one', 'two', 'three'])
    // SA is shorter than SAY, the least the definition allows: no symbol, and no verb.
    expect(h.run('SA "x"')[0]).toContain('IVVERB')
  })

  it("outer levels' local symbols are visible inside, inner ones are gone after EXIT", () => {
    const h = new Harness()
    h.file('inner.com', proc('$ WRITE SYS$OUTPUT "inner sees ", OUTER', '$ INNER = 1'))
    expect(
      h.procedure(
        'OUTER',
        proc('$ OUTER = "yes"', '$ @INNER', '$ WRITE SYS$OUTPUT F$TYPE(INNER), "|", F$TYPE(OUTER)'),
      ),
    ).toEqual(['inner sees yes', '|STRING'])
  })
})

describe('continuation lines (DCL Dictionary, "Continuing command lines")', () => {
  it('a line ending in a hyphen goes on with the next line', () => {
    const h = new Harness()
    const text = proc(
      '$ WRITE SYS$OUTPUT "one ", -',
      '  "two ", - ! a comment',
      '  "three"',
      '$ X = 1 + -',
      '2',
      '$ WRITE SYS$OUTPUT X',
    )
    expect(h.procedure('CONT', text)).toEqual(['one two three', '3'])
  })
})

describe('expressions (DCL Dictionary, "Expressions")', () => {
  const cases: [string, string][] = [
    ['1 + 2 * 3', '7'],
    ['(1 + 2) * 3', '9'],
    ['-7 / 2', '-3'],
    ['%X10 + %O10', '24'],
    ['"abc" + "def"', 'abcdef'],
    ['"abcdef" - "cd"', 'abef'],
    ['"5" + 1', '6'],
    ['3 .GT. 2', '1'],
    ['"ABC" .EQS. "ABC"', '1'],
    ['"B" .GTS. "A" .AND. 1 .EQ. 2', '0'],
    ['.NOT. 0', '-1'],
    ['1 .OR. 2', '3'],
    ['"10" .LT. 9', '0'],
    ['"YES" .AND. 1', '1'],
    ['2147483647 + 1', '-2147483648'],
  ]
  for (const [expression, value] of cases)
    it(`${expression} = ${value}`, () => {
      const h = new Harness()
      expect(h.run(`X = ${expression}`, 'WRITE SYS$OUTPUT X')).toEqual([value])
    })
})

describe('lexical functions (DCL Dictionary, "Lexical functions")', () => {
  it('string functions', () => {
    const h = new Harness()
    expect(
      h.procedure(
        'LEX',
        proc(
          '$ S = "The quick brown fox"',
          '$ WRITE SYS$OUTPUT F$LENGTH(S)',
          '$ WRITE SYS$OUTPUT F$EXTRACT(4, 5, S)',
          '$ WRITE SYS$OUTPUT F$LOCATE("brown", S), " ", F$LOCATE("cat", S)',
          '$ WRITE SYS$OUTPUT F$ELEMENT(2, ",", "A,B,C"), F$ELEMENT(5, ",", "A,B,C")',
          '$ WRITE SYS$OUTPUT F$STRING(12 * 2), F$INTEGER("42") + 1',
          '$ WRITE SYS$OUTPUT F$EDIT("  a   b  ", "COMPRESS,TRIM,UPCASE"), "|", F$EDIT("x ! c", "UNCOMMENT")',
          '$ WRITE SYS$OUTPUT F$EDIT(" a b ", "COLLAPSE"), F$EDIT("ABC", "LOWERCASE")',
        ),
      ),
    ).toEqual(['19', 'quick', '10 19', 'C,', '2443', 'A B|x', 'ababc'])
  })

  it('time functions use the host clock', () => {
    const h = new Harness()
    expect(
      h.run(
        'WRITE SYS$OUTPUT F$TIME()',
        'WRITE SYS$OUTPUT F$CVTIME()',
        'WRITE SYS$OUTPUT F$CVTIME(,,"WEEKDAY"), " ", F$CVTIME(,"ABSOLUTE","MONTH")',
        'WRITE SYS$OUTPUT F$CVTIME("1-JAN-2000:10:20", , "DATETIME")',
        'WRITE SYS$OUTPUT F$CVTIME("TOMORROW",,"DATE")',
      ),
    ).toEqual([
      ' 9-NOV-2026 14:05:33.07',
      '2026-11-09 14:05:33.07',
      'Monday NOV',
      '2000-01-01 10:20:00.00',
      '2026-11-10',
    ])
  })

  it('F$GETJPI, F$GETSYI and F$TRNLNM go to the host; F$MODE, F$MESSAGE, F$SEARCH', () => {
    const h = new Harness(
      { mode: 'BATCH' },
      {
        getjpi: (pid, item) => (item === 'PRCNAM' && pid === '' ? 'SYSTEM' : undefined),
        getsyi: (item) => (item === 'NODENAME' ? 'VAXVMS' : undefined),
        trnlnm: (name) => (name === 'SYS$SYSROOT' ? 'DUA0:[SYS0.]' : undefined),
      },
    )
    h.file('a.txt', 'x')
    h.file('b.txt', 'y')
    h.run('DEFINE MINE "Mine"')
    expect(
      h.run(
        'WRITE SYS$OUTPUT F$GETJPI("","PRCNAM"), " ", F$GETSYI("NODENAME"), " ", F$TRNLNM("SYS$SYSROOT"), " ", F$TRNLNM("MINE")',
        'WRITE SYS$OUTPUT F$MODE(), " ", F$MESSAGE(%X38090)',
        'WRITE SYS$OUTPUT F$SEARCH("*.TXT")',
        'WRITE SYS$OUTPUT F$SEARCH("*.TXT")',
        'WRITE SYS$OUTPUT "[", F$SEARCH("*.TXT"), "]"',
        'X = F$GETJPI("","NOSUCH")',
      ),
    ).toEqual([
      'SYSTEM VAXVMS DUA0:[SYS0.] Mine',
      'BATCH %DCL-W-IVVERB, unrecognized command verb - check validity and spelling',
      'SYS$DISK:[000000]A.TXT;1',
      'SYS$DISK:[000000]B.TXT;1',
      '[]',
      '%DCL-W-IVKEYW, unrecognized keyword - check validity and spelling',
      ' \\NOSUCH\\',
    ])
  })
})

describe('control constructs (DCL Dictionary: IF, GOTO, GOSUB, CALL, EXIT)', () => {
  it('IF ... THEN on one line, and IF/THEN/ELSE/ENDIF blocks, nested', () => {
    const h = new Harness()
    const text = proc(
      '$ IF P1 .EQ. 1 THEN WRITE SYS$OUTPUT "one-line"',
      '$ IF P1 .GT. 0',
      '$ THEN',
      '$   WRITE SYS$OUTPUT "positive"',
      '$   IF P1 .EQ. 2 THEN',
      '$     WRITE SYS$OUTPUT "two"',
      '$   ELSE',
      '$     WRITE SYS$OUTPUT "not two"',
      '$   ENDIF',
      '$ ELSE',
      '$   WRITE SYS$OUTPUT "not positive"',
      '$   IF P1 .EQ. 0',
      '$   THEN',
      '$     WRITE SYS$OUTPUT "zero"',
      '$   ENDIF',
      '$ ENDIF',
      '$ WRITE SYS$OUTPUT "end"',
    )
    expect(h.procedure('IFS', text, '1')).toEqual(['one-line', 'positive', 'not two', 'end'])
    expect(h.run('@IFS 2')).toEqual(['positive', 'two', 'end'])
    expect(h.run('@IFS 0')).toEqual(['not positive', 'zero', 'end'])
    expect(h.run('@IFS -1')).toEqual(['not positive', 'end'])
  })

  it('IF blocks typed at the terminal', () => {
    const h = new Harness()
    expect(
      h.run(
        'X = 2',
        'IF X .EQ. 1',
        'THEN',
        'WRITE SYS$OUTPUT "one"',
        'ELSE',
        'WRITE SYS$OUTPUT "not one"',
        'ENDIF',
      ),
    ).toEqual(['not one'])
    expect(
      h.run(
        'IF X .EQ. 2 THEN',
        'WRITE SYS$OUTPUT "two"',
        'ELSE',
        'WRITE SYS$OUTPUT "skipped"',
        'ENDIF',
        'WRITE SYS$OUTPUT "after"',
      ),
    ).toEqual(['two', 'after'])
  })

  it('labels and GOTO loop; GOSUB and RETURN; a missing label is USGOTO', () => {
    const h = new Harness()
    const text = proc(
      '$ I = 0',
      '$ LOOP:',
      '$   I = I + 1',
      '$   GOSUB SHOW_IT',
      '$   IF I .LT. 3 THEN GOTO LOOP',
      '$ GOTO DONE',
      '$ SHOW_IT:',
      '$   WRITE SYS$OUTPUT "I = ", I',
      '$   RETURN',
      '$ DONE: WRITE SYS$OUTPUT "done"',
      '$ GOTO NOWHERE',
      '$ WRITE SYS$OUTPUT "not reached"',
    )
    expect(h.procedure('LOOP', text)).toEqual([
      'I = 1',
      'I = 2',
      'I = 3',
      'done',
      '%DCL-W-USGOTO, target of GOTO not found - check spelling and presence of label',
      ' \\NOWHERE\\',
    ])
    expect(h.dcl.status).toBe((CLI.USGOTO | STS_M_INHIB_MSG) >>> 0)
  })

  it('CALL runs a SUBROUTINE at a new level with its own P1-P8 and local symbols', () => {
    const h = new Harness()
    const text = proc(
      '$ X = "outer"',
      '$ CALL ADD 2 3',
      '$ WRITE SYS$OUTPUT "status ", $STATUS, " X=", X, " sum=", SUM',
      '$ EXIT',
      '$ ADD: SUBROUTINE',
      '$   X = "inner"',
      '$   SUM == F$INTEGER(P1) + P2',
      '$   WRITE SYS$OUTPUT "adding ", P1, " and ", P2',
      '$   EXIT 3',
      '$ ENDSUBROUTINE',
    )
    expect(h.procedure('CALLS', text)).toEqual([
      'adding 2 and 3',
      'status %X00000003 X=outer sum=5',
    ])
  })

  it('EXIT with a status sets $STATUS for the caller, and an error status is shown there', () => {
    const h = new Harness()
    h.file('fail.com', proc('$ EXIT 44'))
    h.file('good.com', proc('$ EXIT 17'))
    const text = proc(
      '$ SET NOON',
      '$ @GOOD',
      '$ WRITE SYS$OUTPUT "good: ", $STATUS, " severity ", $SEVERITY',
      '$ @FAIL',
      '$ WRITE SYS$OUTPUT "fail: ", $STATUS, " severity ", $SEVERITY',
    )
    expect(h.procedure('EXITS', text)).toEqual([
      'good: %X00000011 severity 1',
      '%SYSTEM-F-ABORT, abort',
      'fail: %X1000002C severity 4',
    ])
  })
})

describe('error handling through $STATUS and ON (DCL Dictionary: ON, SET ON)', () => {
  it('by default an error ends the procedure (ON ERROR THEN EXIT); a warning does not', () => {
    const h = new Harness()
    const text = proc(
      '$ FROB',
      '$ WRITE SYS$OUTPUT "after warning"',
      '$ X = 1/0',
      '$ WRITE SYS$OUTPUT "not reached"',
    )
    expect(h.procedure('DEFAULT', text)).toEqual([
      '%DCL-W-IVVERB, unrecognized command verb - check validity and spelling',
      ' \\FROB\\',
      'after warning',
      '%SYSTEM-F-INTDIV, arithmetic trap, integer divide by zero at PC=!XL, PSL=!XL',
    ])
    expect(h.dcl.status & 7).toBe(4)
  })

  it('ON WARNING THEN GOTO catches a warning; the action is taken once', () => {
    const h = new Harness()
    const text = proc(
      '$ ON WARNING THEN GOTO HANDLER',
      '$ FROB',
      '$ WRITE SYS$OUTPUT "not reached"',
      '$ HANDLER:',
      '$ WRITE SYS$OUTPUT "handled ", F$MESSAGE($STATUS)',
      '$ FROB',
      '$ WRITE SYS$OUTPUT "warnings go on after the action was used"',
    )
    expect(h.procedure('ONW', text)).toEqual([
      '%DCL-W-IVVERB, unrecognized command verb - check validity and spelling',
      ' \\FROB\\',
      'handled %DCL-W-IVVERB, unrecognized command verb - check validity and spelling',
      '%DCL-W-IVVERB, unrecognized command verb - check validity and spelling',
      ' \\FROB\\',
      'warnings go on after the action was used',
    ])
  })

  it('SET NOON ignores errors, and $STATUS tells what happened', () => {
    const h = new Harness()
    const text = proc(
      '$ SET NOON',
      '$ RUN/FAIL PROG',
      '$ IF .NOT. $STATUS THEN WRITE SYS$OUTPUT "failed with ", $STATUS',
      '$ SET ON',
      '$ ON SEVERE_ERROR THEN CONTINUE',
      '$ RUN/FAIL PROG',
      '$ WRITE SYS$OUTPUT "continued, severity ", $SEVERITY',
    )
    expect(h.procedure('NOON', text)).toEqual([
      'PROG read 0 lines',
      '%SYSTEM-F-ABORT, abort',
      'failed with %X1000002C',
      'PROG read 0 lines',
      '%SYSTEM-F-ABORT, abort',
      'continued, severity 4',
    ])
  })

  it('ON ERROR THEN EXIT passes the status up through nested procedures', () => {
    const h = new Harness()
    h.file('level2.com', proc('$ WRITE SYS$OUTPUT "level 2"', '$ X = NOSUCH + 1 + 1/0'))
    h.file(
      'level1.com',
      proc('$ ON WARNING THEN EXIT %X2C', '$ @LEVEL2', '$ WRITE SYS$OUTPUT "not reached"'),
    )
    expect(h.run('@LEVEL1')).toEqual([
      'level 2',
      '%DCL-W-UNDSYM, undefined symbol - check validity and spelling',
      ' \\NOSUCH\\',
      '%SYSTEM-F-ABORT, abort',
    ])
  })
})

describe('nested procedures with parameters', () => {
  it("P1-P8, quoted parameters keep case, and DCL's nesting depth", () => {
    const h = new Harness()
    h.file(
      'echo.com',
      proc(
        '$ WRITE SYS$OUTPUT "depth ", F$ENVIRONMENT("DEPTH"), ": ", P1, "|", P2, "|", P3',
        '$ N = P1 - 1',
        '$ IF P1 .GT. 1 THEN @ECHO \'N\' "Quoted Two" three',
      ),
    )
    expect(h.run('@ECHO 3 "a b" c')).toEqual([
      'depth 1: 3|a b|C',
      'depth 2: 2|Quoted Two|THREE',
      'depth 3: 1|Quoted Two|THREE',
    ])
  })
})

describe('data lines for programs (book 23: SYS$INPUT of a procedure)', () => {
  it("the lines after RUN that do not begin with $ are the program's input", () => {
    const h = new Harness()
    const text = proc(
      '$ RUN PROG',
      'first line',
      '  second line',
      '$ RUN PROG',
      '$ WRITE SYS$OUTPUT "end"',
    )
    expect(h.procedure('DATA', text)).toEqual([
      'PROG got: first line',
      'PROG got:   second line',
      'PROG read 2 lines',
      'PROG read 0 lines',
      'end',
    ])
  })

  it('data lines no command reads are skipped with SKPDAT; READ SYS$INPUT reads them', () => {
    const h = new Harness()
    const text = proc(
      '$ WRITE SYS$OUTPUT "x"',
      'stray',
      'stray again',
      '$ READ SYS$INPUT LINE',
      'read me',
      '$ WRITE SYS$OUTPUT "got ", LINE',
      '$ READ/END_OF_FILE=EOF SYS$INPUT LINE',
      '$ EOF: WRITE SYS$OUTPUT "end of file"',
    )
    expect(h.procedure('SKIP', text)).toEqual([
      'x',
      '%DCL-W-SKPDAT, image data (records not beginning with "$") ignored',
      'got read me',
      'end of file',
    ])
  })

  it('INQUIRE reads the terminal even in a procedure; SET VERIFY shows the lines', () => {
    const h = new Harness()
    h.input.push('  my   answer ')
    const text = proc(
      '$ INQUIRE ANS "Your answer"',
      '$ SET VERIFY',
      '$ WRITE SYS$OUTPUT ANS',
      '$ SET NOVERIFY',
    )
    expect(h.procedure('ASK', text)).toEqual([
      '$ WRITE SYS$OUTPUT ANS',
      'MY ANSWER',
      '$ SET NOVERIFY',
    ])
  })
})

describe('OPEN, READ, WRITE and CLOSE of files (DCL Dictionary: OPEN)', () => {
  it('a procedure writes a file and reads it back, with /END_OF_FILE', () => {
    const h = new Harness()
    const text = proc(
      '$ OPEN/WRITE OUT LIST.TXT',
      '$ WRITE OUT "alpha"',
      '$ WRITE OUT "beta", 2',
      '$ CLOSE OUT',
      '$ OPEN IN LIST.TXT',
      '$ NEXT:',
      '$ READ/END_OF_FILE=DONE IN LINE',
      '$ WRITE SYS$OUTPUT "read ", LINE',
      '$ GOTO NEXT',
      '$ DONE:',
      '$ CLOSE IN',
      '$ READ IN LINE',
    )
    expect(h.procedure('FILES', text)).toEqual([
      'read alpha',
      'read beta2',
      '%DCL-W-UNDFIL, file has not been opened by DCL - check logical name',
      ' \\IN\\',
    ])
  })
})

describe("flow errors in DCL's words", () => {
  const cases: [string, string[]][] = [
    ['$ ENDIF', ['%DCL-E-INVIFNEST, invalid IF-THEN-ELSE nesting structure or data inconsistency']],
    [
      '$ GOSUB NOWHERE',
      [
        '%DCL-W-USGOSUB, target of GOSUB not found - check spelling and presence of label',
        ' \\NOWHERE\\',
      ],
    ],
    [
      '$ CALL NOWHERE',
      [
        '%DCL-W-USCALL, target of CALL not found - check spelling and presence of label',
        ' \\NOWHERE\\',
      ],
    ],
    ['$ RETURN', ['%DCL-W-INVGOSUB, RETURN without GOSUB - check procedure flow']],
  ]
  for (const [line, expected] of cases)
    it(line, () => {
      const h = new Harness()
      expect(h.procedure('FLOW', proc('$ SET NOON', line))).toEqual(expected)
    })
})
