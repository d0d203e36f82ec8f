import { assemble, assembleObject, link } from '@vax/asm'

/** A routine of `n` instruction lines, written out. */
function plain(n: number): string {
  const lines = ['\t.ENTRY start,^M<R2>']
  for (let i = 0; i < n / 4; i++)
    lines.push(`l${i}:\tMOVL\t#${i},R0`, '\tADDL2\tR0,R2', `\tBNEQ\tl${i}`, '\tCLRL\tR1')
  lines.push('\tRET', '\t.END start')
  return lines.join('\n')
}

/** The same lines made by a macro called n/4 times (created labels for the branches). */
function macro(n: number): string {
  const lines = [
    '\t.MACRO STEP V,?L',
    'L:\tMOVL\t#V,R0',
    '\tADDL2\tR0,R2',
    '\tBNEQ\tL',
    '\tCLRL\tR1',
    '\t.ENDM',
    '\t.ENTRY start,^M<R2>',
  ]
  for (let i = 0; i < n / 4; i++) lines.push(`\tSTEP\t${i}`)
  lines.push('\tRET', '\t.END start')
  return lines.join('\n')
}

/** `modules` object modules, each calling the next module's routine. */
function modules(count: number, n: number): string[] {
  return Array.from({ length: count }, (_, m) =>
    [
      `\t.TITLE M${m}`,
      '\t.PSECT CODE,NOWRT',
      `\t.ENTRY r${m},^M<>`,
      ...Array.from({ length: n }, (_, i) => `\tMOVL\tdata${m}+${i * 4},R0`),
      m + 1 < count ? `\tCALLS\t#0,G^r${m + 1}` : '\tNOP',
      '\tRET',
      '\t.PSECT DATA,NOEXE,LONG',
      `data${m}:\t.BLKL\t${n}`,
    ].join('\n'),
  )
}

/** Runs `work` until `seconds` pass; returns runs per second. */
function rate(work: () => void, seconds: number): number {
  let runs = 0
  const start = performance.now()
  while (performance.now() - start < seconds * 1000) {
    work()
    runs++
  }
  return runs / ((performance.now() - start) / 1000)
}

const num = (n: number, width = 14) => Math.round(n).toLocaleString('en-US').padStart(width)

/** `pnpm bench vax-asm`: source lines assembled per second, plain, by macros, and linked. */
export default function runAsmBenchmarks(seconds = 1): void {
  const n = 4000
  const sources = modules(20, 200)
  const cases: [string, number, () => void][] = [
    ['assemble: 4,000 instruction lines', n, () => assemble(plain(n), { base: 0x200 })],
    ['assemble: the same from 1,000 macro calls', n, () => assemble(macro(n), { base: 0x200 })],
    [
      'assembleObject x20 + link: 4,000 relocated lines',
      20 * 200,
      () => link(sources.map((s) => assembleObject(s))),
    ],
  ]
  console.log('@vax/asm: source lines per second')
  console.log(`  ${'workload'.padEnd(52)}${'lines/s'.padStart(14)}${'runs/s'.padStart(10)}`)
  for (const [name, lines, work] of cases) {
    const r = rate(work, seconds)
    console.log(`  ${name.padEnd(52)}${num(r * lines)}${r.toFixed(1).padStart(10)}`)
  }
}
