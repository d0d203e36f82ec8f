import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Dcl, evaluate, parseCommand } from '@vms/dcl'

/**
 * `pnpm bench dcl`: how fast the interpreter runs procedure lines (a counting loop with
 * IF and GOTO), evaluates expressions, and parses commands against the table.
 */
export default function bench(): void {
  const root = mkdtempSync(join(tmpdir(), 'dcl-bench-'))
  try {
    const dcl = new Dcl({ root, output: () => {} }, { stepLimit: 10_000_000 })
    const n = 100_000
    writeFileSync(
      join(root, 'loop.com'),
      '$ I = 0\n$ LOOP:\n$ I = I + 1\n$ IF I .LT. P1 THEN GOTO LOOP\n$ EXIT\n',
    )
    let start = performance.now()
    dcl.execute(`@LOOP ${n}`)
    const loopMs = performance.now() - start
    // Each iteration is three lines: the label, the assignment and the IF (with its GOTO).
    const linesPerSecond = (3 * n) / (loopMs / 1000)

    const scope = { lookup: (name: string) => (name === 'X' ? 7 : undefined), lexical: () => 0 }
    const m = 200_000
    start = performance.now()
    for (let i = 0; i < m; i++) evaluate('(X + 3) * 2 .GT. 10 .AND. "ab" + "c" .EQS. "abc"', scope)
    const evalPerSecond = m / ((performance.now() - start) / 1000)

    start = performance.now()
    for (let i = 0; i < m; i++) parseCommand(dcl.table, 'DIRECTORY/SIZE [WORK]*.COM;*,X.TXT')
    const parsePerSecond = m / ((performance.now() - start) / 1000)

    console.log('@vms/dcl')
    console.log('  what                                      per second')
    console.log(
      `  procedure lines (GOTO loop, ${n} turns)   ${Math.round(linesPerSecond).toLocaleString('en-US').padStart(12)}`,
    )
    console.log(
      `  expressions evaluated                     ${Math.round(evalPerSecond).toLocaleString('en-US').padStart(12)}`,
    )
    console.log(
      `  commands parsed (DIRECTORY/SIZE ...)      ${Math.round(parsePerSecond).toLocaleString('en-US').padStart(12)}`,
    )
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}
