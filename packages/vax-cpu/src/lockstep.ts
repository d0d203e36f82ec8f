import type { Cpu } from './cpu'

/** Where a translated and an interpreted run first disagreed. */
export interface LockstepMismatch {
  /** Instructions both had been asked to run when they disagreed. */
  readonly steps: number
  /** What differs, one item a line. */
  readonly differences: readonly string[]
}

export interface LockstepOptions {
  /** Instructions to run in all (the runs also stop at a halt or an error). */
  readonly maxSteps: number
  /** Longest stretch run between two comparisons (1 compares after every instruction). */
  readonly maxChunk?: number
  /** Seed of the chunk lengths, which vary from 1 to maxChunk. */
  readonly seed?: number
  /** Physical ranges compared after every chunk; the whole of RAM is compared at the end. */
  readonly ranges?: readonly { readonly address: number; readonly length: number }[]
}

const hex = (v: number) => (v >>> 0).toString(16).toUpperCase().padStart(8, '0')

/** The differences in the architectural state of two CPUs (empty when none). */
export function compareCpus(a: Cpu, b: Cpu, ranges: LockstepOptions['ranges'] = []): string[] {
  const out: string[] = []
  const same = (what: string, x: number, y: number) => {
    if (x >>> 0 !== y >>> 0) out.push(`${what}: translated ${hex(x)}, interpreted ${hex(y)}`)
  }
  same('PC', a.pc, b.pc)
  same('PSL', a.fullPsl, b.fullPsl)
  for (let i = 0; i < 15; i++) same(`R${i}`, a.r[i] as number, b.r[i] as number)
  for (let i = 0; i < 5; i++) same(`stack pointer ${i}`, a.stack[i] as number, b.stack[i] as number)
  same('instructions', a.instructions, b.instructions)
  same('pending trap', a.pendingTrap, b.pendingTrap)
  for (const { address, length } of ranges) {
    const x = a.memory.bytes.subarray(address, address + length)
    const y = b.memory.bytes.subarray(address, address + length)
    const k = firstDifference(x, y)
    if (k >= 0) same(`memory ${hex(address + k)}`, x[k] as number, y[k] as number)
  }
  return out
}

/** The index of the first byte where x and y differ, or -1. */
function firstDifference(x: Uint8Array, y: Uint8Array): number {
  let k = 0
  if (x.byteOffset % 4 === 0 && y.byteOffset % 4 === 0) {
    const words = x.length >>> 2
    const wx = new Int32Array(x.buffer, x.byteOffset, words)
    const wy = new Int32Array(y.buffer, y.byteOffset, words)
    while (k < words && wx[k] === wy[k]) k++
    k <<= 2
  }
  for (; k < x.length; k++) if (x[k] !== y[k]) return k
  return -1
}

/**
 * A machine run twice from the same state, translated (`make(true)`) and interpreted
 * (`make(false)`), in stretches of varying length, comparing registers, PC, PSL, stack
 * pointers, instruction counts and memory after each. A stretch of n instructions is
 * `run(n)` on both, so a translated block is cut wherever a stretch ends and resumed in
 * the next. `advance` may be called again and again to spread a long run over time.
 */
export class Lockstep {
  readonly translated: Cpu
  readonly interpreted: Cpu
  /** Instructions both have been asked to run. */
  steps = 0
  /** True once both stopped (halt or error) or disagreed. */
  finished = false
  private readonly maxChunk: number
  private readonly ranges: LockstepOptions['ranges']
  private seed: number

  constructor(make: (jit: boolean) => Cpu, options: Omit<LockstepOptions, 'maxSteps'> = {}) {
    this.translated = make(true)
    this.interpreted = make(false)
    this.maxChunk = options.maxChunk ?? 64
    this.seed = (options.seed ?? 1) >>> 0
    this.ranges = options.ranges
  }

  /** Runs up to `steps` more instructions; the first disagreement, if any. */
  advance(steps: number): LockstepMismatch | undefined {
    const end = this.steps + steps
    while (!this.finished && this.steps < end) {
      this.seed = (Math.imul(this.seed, 1103515245) + 12345) >>> 0
      const n = Math.min(1 + ((this.seed >>> 16) % this.maxChunk), end - this.steps)
      const x = this.translated.run(n)
      const y = this.interpreted.run(n)
      this.steps += n
      const differences = compareCpus(this.translated, this.interpreted, this.ranges)
      if (x.reason !== y.reason || x.steps !== y.steps || x.detail !== y.detail)
        differences.push(
          `run: translated ${x.reason} ${x.steps} ${x.detail}, interpreted ${y.reason} ${y.steps} ${y.detail}`,
        )
      if (x.reason !== 'max-steps') this.finished = true
      if (differences.length > 0) {
        this.finished = true
        return { steps: this.steps, differences }
      }
    }
    return undefined
  }

  /** Compares all of RAM (done at the end of `lockstep`). */
  compareMemory(): LockstepMismatch | undefined {
    const all = [{ address: 0, length: this.translated.memory.size }]
    const differences = compareCpus(this.translated, this.interpreted, all)
    return differences.length > 0 ? { steps: this.steps, differences } : undefined
  }
}

/**
 * Runs a machine translated and interpreted in lockstep (see Lockstep) for
 * `options.maxSteps` instructions or until both stop, then compares all of RAM: returns
 * the first disagreement, or undefined when both ran alike to the end.
 */
export function lockstep(
  make: (jit: boolean) => Cpu,
  options: LockstepOptions,
): LockstepMismatch | undefined {
  const run = new Lockstep(make, options)
  return run.advance(options.maxSteps) ?? run.compareMemory()
}
