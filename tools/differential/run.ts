/**
 * The long differential run:
 *   `pnpm diff [--count N] [--seed S] [--machine ka655|vax780]
 *   [--kind random|structured|mapped|decimal|poly|hfloat|octaword]`.
 * Generates N random programs from consecutive seeds, runs them on SIMH and on @vax/cpu
 * in batches, and prints every mismatch with the program's disassembly.
 */

import { generateHfloat, generateOctaword, generatePoly } from '../fuzz/floating'
import { generateProgram } from '../fuzz/programs'
import { generateDecimal, generateMapped, generateStructured } from '../fuzz/structured'
import { simhBinary } from '../simh/simh'
import { compareWithSimh, describeMismatch } from './compare'

const args = process.argv.slice(2)
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? (args[i + 1] ?? fallback) : fallback
}
const count = Number(option('--count', '10000'))
const first = Number(option('--seed', '1'))
const machine = option('--machine', 'ka655') as 'ka655' | 'vax780'
const kind = option('--kind', 'random')
if (simhBinary(machine) === undefined) {
  console.error('SIMH is not installed (apt-get install simh)')
  process.exit(2)
}
const batch = 500
let failed = 0
const started = Date.now()
for (let start = 0; start < count; start += batch) {
  const programs = []
  for (let s = start; s < Math.min(count, start + batch); s++) {
    const seed = first + s
    if (kind === 'mapped') programs.push(generateMapped(seed))
    else if (kind === 'decimal') programs.push(generateDecimal(seed))
    else if (kind === 'structured') programs.push(generateStructured(seed))
    else if (kind === 'poly') programs.push(generatePoly(seed, machine))
    else if (kind === 'hfloat') programs.push(generateHfloat(seed))
    else if (kind === 'octaword') programs.push(generateOctaword(seed, machine))
    else programs.push(generateProgram(seed, machine))
  }
  const mismatches = await compareWithSimh(programs, machine)
  for (const m of mismatches.slice(0, 5)) console.log(describeMismatch(m))
  failed += mismatches.length
  const done = Math.min(count, start + batch)
  process.stderr.write(
    `\r${done}/${count} programs, ${failed} mismatches, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  )
}
process.stderr.write('\n')
console.log(`differential: ${count - failed} passed, ${failed} failed`)
process.exitCode = failed === 0 ? 0 : 1
