import { Cpu, type CpuOptions, KA655, OPCODE_BY_INDEX, PhysicalMemory, SCB, VAX780 } from '@vax/cpu'
import { MemoryManagement } from '@vax/mmu'
import { LAYOUT, listProgram, type TestProgram } from '../fuzz/programs'
import { runOnSimh, type SimhState } from '../simh/simh'

/** The state compared after a run: registers, PC, PSL and the dumped memory. */
export interface MachineState {
  readonly halted: boolean
  readonly registers: readonly number[]
  readonly pc: number
  readonly psl: number
  readonly dumps: readonly Uint8Array[]
}

/** A CPU (with @vax/mmu) in a test program's initial state; translation as `options` say. */
export function makeCpu(
  program: TestProgram,
  machine: 'ka655' | 'vax780' = 'ka655',
  options: CpuOptions = {},
): Cpu {
  const memory = new PhysicalMemory(16 * 1024 * 1024)
  for (const load of program.loads) memory.load(load.address, load.bytes)
  const cpu = new Cpu(memory, machine === 'ka655' ? KA655 : VAX780, options)
  MemoryManagement.attach(cpu)
  cpu.reset(program.pc)
  program.registers.forEach((v, i) => {
    cpu.r[i] = v
  })
  cpu.fullPsl = program.psl
  return cpu
}

/** Runs a test program on @vax/cpu (translation on, as by default). */
export function runOnCpu(
  program: TestProgram,
  machine: 'ka655' | 'vax780' = 'ka655',
): MachineState {
  const cpu = makeCpu(program, machine)
  const memory = cpu.memory
  const result = cpu.run(program.maxSteps)
  return {
    halted: result.reason === 'HALT',
    registers: Array.from(cpu.r.subarray(0, 15), (v) => v >>> 0),
    pc: cpu.pc >>> 0,
    psl: cpu.fullPsl,
    dumps: program.dumps.map((d) => memory.bytes.slice(d.address, d.address + d.length)),
  }
}

export function fromSimh(state: SimhState): MachineState {
  return {
    halted: state.stop.startsWith('HALT instruction'),
    registers: state.registers.map((v) => v >>> 0),
    pc: state.pc >>> 0,
    psl: state.psl >>> 0,
    dumps: state.dumps,
  }
}

const hex = (v: number) => (v >>> 0).toString(16).toUpperCase().padStart(8, '0')

/**
 * The emulated-instruction frame has room for six operands and two unused longwords;
 * SIMH fills the slots an instruction does not use with whatever its operand array
 * held before (the architecture leaves them unpredictable), so they are not compared.
 */
function maskEmulateFrameHole(
  program: TestProgram,
  state: MachineState,
  operands: number,
): MachineState {
  if (state.pc !== LAYOUT.handlers + SCB.EMULATE + 1) return state
  const sp = state.registers[14] ?? 0
  const dumps = state.dumps.map((bytes, k) => {
    const d = program.dumps[k] as { address: number; length: number }
    const copy = bytes.slice()
    for (let a = sp + 8 + 4 * operands; a < sp + 40; a++) {
      if (a >= d.address && a < d.address + d.length) copy[a - d.address] = 0
    }
    return copy
  })
  return { ...state, dumps }
}

/** Operand count of the opcode in an emulated-instruction frame at SP. */
function frameOperands(state: MachineState, program: TestProgram): number {
  const sp = state.registers[14] ?? 0
  for (const [k, d] of program.dumps.entries()) {
    if (sp >= d.address && sp + 4 <= d.address + d.length) {
      const bytes = state.dumps[k] as Uint8Array
      const opcode = new DataView(bytes.buffer, bytes.byteOffset).getUint32(sp - d.address, true)
      return OPCODE_BY_INDEX[opcode & 0x1ff]?.operands.length ?? 6
    }
  }
  return 6
}

/** The differences between two states, as lines; empty when they agree. */
export function differences(program: TestProgram, simh: MachineState, cpu: MachineState): string[] {
  const operands = frameOperands(cpu, program)
  const expected = maskEmulateFrameHole(program, simh, operands)
  const actual = maskEmulateFrameHole(program, cpu, operands)
  const out: string[] = []
  if (expected.halted !== actual.halted)
    out.push(`halted: SIMH ${expected.halted}, cpu ${actual.halted}`)
  if (expected.pc !== actual.pc) out.push(`PC: SIMH ${hex(expected.pc)}, cpu ${hex(actual.pc)}`)
  if (expected.psl !== actual.psl)
    out.push(`PSL: SIMH ${hex(expected.psl)}, cpu ${hex(actual.psl)}`)
  expected.registers.forEach((v, i) => {
    if (v !== actual.registers[i])
      out.push(`R${i}: SIMH ${hex(v)}, cpu ${hex(actual.registers[i] ?? 0)}`)
  })
  program.dumps.forEach((d, k) => {
    const e = expected.dumps[k] as Uint8Array
    const a = actual.dumps[k] as Uint8Array
    for (let i = 0; i < e.length; i += 4) {
      const ev = new DataView(e.buffer, e.byteOffset).getUint32(i, true)
      const av = new DataView(a.buffer, a.byteOffset).getUint32(i, true)
      if (ev !== av) {
        out.push(`memory ${hex(d.address + i)}: SIMH ${hex(ev)}, cpu ${hex(av)}`)
        if (out.length > 40) return
      }
    }
  })
  return out
}

export interface Mismatch {
  readonly program: TestProgram
  readonly lines: readonly string[]
}

/** Runs every program on SIMH and on @vax/cpu; returns those whose final states differ. */
export async function compareWithSimh(
  programs: readonly TestProgram[],
  machine: 'ka655' | 'vax780' = 'ka655',
): Promise<Mismatch[]> {
  const simh = await runOnSimh(programs, machine)
  const mismatches: Mismatch[] = []
  programs.forEach((program, i) => {
    const lines = differences(program, fromSimh(simh[i] as SimhState), runOnCpu(program, machine))
    if (lines.length > 0) mismatches.push({ program, lines })
  })
  return mismatches
}

export function describeMismatch(m: Mismatch): string {
  return [`seed ${m.program.seed}:`, listProgram(m.program), ...m.lines.map((l) => `  ${l}`)].join(
    '\n',
  )
}
