/**
 * Replays one differential case, or a MACRO-32 snippet, on SIMH and @vax/cpu and
 * prints both final states side by side:
 *   pnpm replay --seed 21333
 *   pnpm replay --source file.mar        (assembled at 0x1000, in the fuzz layout)
 */
import { readFileSync } from 'node:fs'
import { assemble } from '@vax/asm'
import { generateHfloat, generateOctaword, generatePoly } from '../fuzz/floating'
import { generateProgram, LAYOUT, listProgram, type TestProgram } from '../fuzz/programs'
import { generateDecimal, generateMapped, generateStructured } from '../fuzz/structured'
import { runOnSimh } from '../simh/simh'
import { differences, fromSimh, runOnCpu } from './compare'

const args = process.argv.slice(2)
const option = (name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const machine = (option('--machine') ?? 'ka655') as 'ka655' | 'vax780'
const seed = Number(option('--seed') ?? '1')
const kind = option('--kind') ?? 'random'
let program: TestProgram =
  kind === 'mapped'
    ? generateMapped(seed)
    : kind === 'decimal'
      ? generateDecimal(seed)
      : kind === 'structured'
        ? generateStructured(seed)
        : kind === 'poly'
          ? generatePoly(seed, machine)
          : kind === 'hfloat'
            ? generateHfloat(seed)
            : kind === 'octaword'
              ? generateOctaword(seed, machine)
              : generateProgram(seed, machine)
const source = option('--source')
if (source !== undefined) {
  const code = assemble(readFileSync(source, 'utf8'), { base: LAYOUT.code }).image
  program = {
    ...program,
    code,
    loads: program.loads.map((l) =>
      l.address === LAYOUT.code ? { address: LAYOUT.code, bytes: code } : l,
    ),
  }
}
console.log(listProgram(program))
const simh = fromSimh((await runOnSimh([program], machine))[0] as never)
const cpu = runOnCpu(program, machine)
const hex = (v: number) => (v >>> 0).toString(16).toUpperCase().padStart(8, '0')
console.log(`          SIMH      cpu`)
console.log(`PC        ${hex(simh.pc)}  ${hex(cpu.pc)}`)
console.log(`PSL       ${hex(simh.psl)}  ${hex(cpu.psl)}`)
for (const [i, v] of simh.registers.entries()) {
  console.log(`${`R${i}`.padEnd(10)}${hex(v)}  ${hex(cpu.registers[i] ?? 0)}`)
}
const diff = differences(program, simh, cpu)
console.log(diff.length === 0 ? 'states agree' : diff.join('\n'))
