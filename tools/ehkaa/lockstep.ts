/**
 * Runs EHKAA on @vax/cpu in lockstep with the reference trace from current SIMH
 * (../shared/diagnostics/ehkaa-trace.txt.gz) and stops at the first instruction whose
 * PC or PSL differs: `pnpm lockstep [--context N]`.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { disassemble } from '@vax/asm'
import { Cpu, PhysicalMemory } from '@vax/cpu'
import { MemoryManagement } from '@vax/mmu'

const shared = resolve(import.meta.dirname, '../../../shared/diagnostics')
const image = readFileSync(resolve(shared, 'ehkaa.exe'))
const trace = gunzipSync(readFileSync(resolve(shared, 'ehkaa-trace.txt.gz')))
  .toString('utf8')
  .split('\n')

interface Entry {
  pc: number
  psl: number
  text: string
  detail: string[]
}
const entries: Entry[] = []
for (const line of trace) {
  const m = /^([0-9A-F]{8}) ([0-9A-F]{8})\| (.*)$/.exec(line)
  if (m)
    entries.push({
      pc: Number.parseInt(m[1] as string, 16),
      psl: Number.parseInt(m[2] as string, 16),
      text: m[3] as string,
      detail: [],
    })
  else if (line.trim() !== '') entries.at(-1)?.detail.push(line.trim())
}

const memory = new PhysicalMemory(16 * 1024 * 1024)
memory.load(0, image)
const cpu = new Cpu(memory)
MemoryManagement.attach(cpu)
cpu.reset(0x200)
let console_ = ''
cpu.consoleOutput = (c) => {
  console_ += String.fromCharCode(c)
}
const context = Number(process.argv[process.argv.indexOf('--context') + 1] ?? 8) || 8
const hex = (v: number) => (v >>> 0).toString(16).toUpperCase().padStart(8, '0')
let faults = 0
for (let i = 0; i < entries.length; i++) {
  const e = entries[i] as Entry
  cpu.dispatchPending()
  // The trace leaves out an instruction that faults: its entry is followed directly by
  // the handler's first instruction. So on a difference, let one more instruction run.
  if (cpu.pc >>> 0 !== e.pc || cpu.fullPsl !== e.psl) {
    const before = { pc: cpu.pc, psl: cpu.fullPsl, r: Array.from(cpu.r) }
    cpu.run(1)
    if (cpu.pc >>> 0 === e.pc && cpu.fullPsl === e.psl) {
      faults++
      i--
      continue
    }
    console.log(
      `after one more instruction: PC ${hex(cpu.pc)} PSL ${hex(cpu.fullPsl)} SP ${hex(cpu.r[14] ?? 0)}`,
    )
    const sp = cpu.r[14] as number
    const peek = (a: number) => {
      try {
        return hex(cpu.read32(a))
      } catch {
        return '????????'
      }
    }
    console.log(`top of stack: ${[0, 4, 8, 12, 16].map((o) => peek(sp + o)).join(' ')}`)
    const peeks = process.argv.indexOf('--peek')
    if (peeks >= 0) {
      for (const a of (process.argv[peeks + 1] ?? '').split(','))
        console.log(`  (${a}) = ${peek(Number.parseInt(a, 16))}`)
    }
    console.log(
      `P0BR ${hex(cpu.ipr[8] ?? 0)} P0LR ${hex(cpu.ipr[9] ?? 0)} P1BR ${hex(cpu.ipr[10] ?? 0)} P1LR ${hex(cpu.ipr[11] ?? 0)} SBR ${hex(cpu.ipr[12] ?? 0)} SLR ${hex(cpu.ipr[13] ?? 0)}`,
    )
    cpu.pc = before.pc
    cpu.fullPsl = before.psl
    cpu.r.set(before.r)
    console.log(`diverged at trace entry ${i} of ${entries.length}`)
    for (const p of entries.slice(Math.max(0, i - context), i + 1)) {
      console.log(`  ${hex(p.pc)} ${hex(p.psl)}| ${p.text}`)
      for (const d of p.detail) console.log(`                     ${d}`)
    }
    console.log(
      `expected PC ${hex(e.pc)} PSL ${hex(e.psl)}; cpu PC ${hex(cpu.pc)} PSL ${hex(cpu.fullPsl)}`,
    )
    console.log(`registers: ${Array.from(cpu.r, hex).join(' ')}`)
    console.log(
      `SISR ${hex(cpu.ipr[21] ?? 0)} ASTLVL ${cpu.ipr[19]} SCBB ${hex(cpu.ipr[17] ?? 0)} MAPEN ${cpu.mapen}`,
    )
    const pa = cpu.pc & 0x3fffffff
    const line = disassemble(memory.bytes.subarray(pa, pa + 16), cpu.pc)[0]
    console.log(`cpu is at: ${line?.text}`)
    if (console_) console.log(`console output so far: ${JSON.stringify(console_)}`)
    process.exit(1)
  }
  const result = cpu.run(1)
  if (result.reason !== 'max-steps' && i < entries.length - 1) {
    console.log(`stopped at entry ${i}: ${result.reason} ${result.detail} PC ${hex(cpu.pc)}`)
    process.exit(1)
  }
}
console.log(
  `all ${entries.length} trace entries match (${faults} faulting instructions); final PC ${hex(cpu.pc)}`,
)
