import { BlockCache, type JitStatistics } from './block-cache'
import { ConsoleTerminal, IntervalClock } from './devices'
import { EventScheduler } from './events'
import { VaxException, VaxHalt } from './exceptions'
import { executeInstruction } from './execute'
import { IPR } from './ipr'
import { floatLiteral } from './literal'
import type { PhysicalMemory } from './memory'
import {
  ACC_A,
  ACC_B,
  ACC_M,
  ACC_R,
  ACC_W,
  type CpuModel,
  dispatchTable,
  EMULATE,
  EXECUTE,
  KA655,
  type RunResult,
  SPECS,
} from './model'
import {
  currentMode,
  KERNEL,
  PSL_CUR_SHIFT,
  PSL_FPD,
  PSL_IPL,
  PSL_IPL_SHIFT,
  PSL_IS,
  PSL_PRV_SHIFT,
  PSL_T,
  PSL_TP,
  RESET_PSL,
  SCB,
} from './psl'
import { readProcessorRegister, writeProcessorRegister } from './registers'
import { PhysicalRuns } from './runs'
import { VirtualMemory } from './virtual-memory'

/** Options of a new Cpu. */
export interface CpuOptions {
  /** Translate hot blocks to JavaScript (default: DEFAULT_JIT). */
  readonly jit?: boolean
  /** The most translated blocks held at once (default BlockCache.MAX_BLOCKS, 4096). */
  readonly jitBlocks?: number
  /** Looks at a PC before its block is translated (default BlockCache.HOT, 16). */
  readonly jitThreshold?: number
}

/** Whether a new Cpu translates unless told otherwise. */
export const DEFAULT_JIT = true

export {
  type AddressTranslator,
  type CpuModel,
  KA655,
  type RunResult,
  type StopReason,
  VAX780,
} from './model'

/**
 * A VAX processor: registers, the operand decoder, exceptions and interrupts, and the
 * run loop, on top of its view of memory (VirtualMemory: PSL, MAPEN, translation).
 *
 * Registers are kept as signed 32-bit integers; `pc` is kept apart from R15 while
 * instructions run and copied into `r[15]` whenever the CPU stops.
 */
export class Cpu extends VirtualMemory {
  private modelValue: CpuModel
  private dispatch: Uint8Array
  /** R0-R15. R14 is the stack pointer of the current mode, R15 mirrors `pc` when stopped. */
  readonly r = new Int32Array(16)
  pc = 0
  /** Condition codes N Z V C in bits 3:0. */
  cc = 0
  /** Stack pointers not in use: [KSP, ESP, SSP, USP, ISP]. */
  readonly stack = new Int32Array(5)
  /** Processor registers without special behaviour, by number. */
  readonly ipr = new Int32Array(64)
  /** Physically contiguous runs of pages, for the string instructions. */
  readonly runs = new PhysicalRuns(this)
  /** Time-driven work (device completions, the clock), in instructions. */
  readonly events = new EventScheduler()
  readonly console: ConsoleTerminal
  readonly clock: IntervalClock
  /** Instructions started since reset: the machine's virtual time. */
  instructions = 0
  /** Device interrupt requests: vector -> IPL. */
  private readonly requests = new Map<number, number>()
  /** The highest IPL with an interrupt pending (0 when none). */
  private pendingLevel = 0

  // Decoded operands of the current instruction, by operand position.
  readonly val = new Int32Array(8)
  readonly hi = new Int32Array(8)
  /** The third and fourth longwords of an octaword or H-floating operand. */
  readonly hi2 = new Int32Array(8)
  readonly hi3 = new Int32Array(8)
  readonly reg = new Int8Array(8)
  readonly addr = new Float64Array(8)
  /** Address of the current instruction (for faults). */
  faultPc = 0
  /** The opcode index of the current instruction (0x100 + second byte for FD xx). */
  opcode = 0
  /**
   * Register side effects of operand specifiers, undone when the instruction faults.
   * @internal (written by translated blocks)
   */
  readonly recoveryReg = new Int8Array(16)
  /** @internal */
  readonly recoveryDelta = new Int32Array(16)
  /** @internal */
  recoveryCount = 0
  /** True once the work between instructions is done for the next instruction. */
  private dispatched = false
  /** Translated blocks, when translation is on. */
  private blocks: BlockCache | undefined
  /** A trap to take before the next instruction (arithmetic type code), 0 if none. */
  pendingTrap = 0
  private halted: VaxHalt | undefined

  /**
   * @param options.jit translate hot blocks of VAX code to JavaScript (see `jit`); on
   *   unless false
   */
  constructor(memory: PhysicalMemory, model: CpuModel = KA655, options: CpuOptions = {}) {
    super(memory)
    this.modelValue = model
    this.dispatch = dispatchTable(model)
    this.console = new ConsoleTerminal(this)
    this.clock = new IntervalClock(this)
    this.reset()
    this.jitBlocks = options.jitBlocks
    this.jitThreshold = options.jitThreshold
    this.jit = options.jit ?? DEFAULT_JIT
  }

  private readonly jitBlocks: number | undefined
  private readonly jitThreshold: number | undefined

  /**
   * Whether hot blocks of VAX code run translated to JavaScript functions (translate.ts)
   * instead of instruction by instruction. Both agree in every observable: registers,
   * memory, exceptions, interrupts and instruction counts. May be changed at any time
   * between runs; turning it off drops every translation.
   */
  get jit(): boolean {
    return this.blocks !== undefined
  }

  set jit(on: boolean) {
    if (on === this.jit) return
    if (on) this.blocks = new BlockCache(this, this.jitBlocks, this.jitThreshold)
    else {
      this.blocks?.flush()
      this.blocks = undefined
      this.codeLines = new Uint8Array(0)
    }
  }

  /** Counts of the translator's work since it was turned on (all zero when off). */
  jitStatistics(): JitStatistics {
    return this.blocks?.statistics() ?? BlockCache.none()
  }

  /** @internal The dispatch table of the model, for the translator. */
  get dispatchTableForTranslation(): Uint8Array {
    return this.dispatch
  }

  /** Called with each character the guest writes to the console (TXDB). */
  set consoleOutput(output: ((char: number) => void) | undefined) {
    this.console.output = output
  }

  /** The CPU model: which instruction sets execute, which are emulated. */
  get model(): CpuModel {
    return this.modelValue
  }

  set model(model: CpuModel) {
    this.modelValue = model
    this.dispatch = dispatchTable(model)
    this.blocks?.flush()
  }

  /** Puts the CPU in the power-up state: registers 0, PSL 041F0000, PC `pc`. */
  reset(pc = 0): void {
    this.r.fill(0)
    this.stack.fill(0)
    this.ipr.fill(0)
    this.psl = RESET_PSL
    this.cc = 0
    this.pc = pc >>> 0
    this.mapen = false
    this.pendingTrap = 0
    this.dispatched = false
    this.halted = undefined
    this.instructions = 0
    this.ipr[IPR.ASTLVL] = 4
    this.requests.clear()
    this.pendingLevel = 0
    this.events.clear()
    this.console.reset()
    this.clock.reset()
    this.translator?.invalidateAll()
  }

  // ---------------------------------------------------------------- interrupts

  /** A device asks for an interrupt at `ipl` through SCB `vector`; held until taken or cleared. */
  requestInterrupt(ipl: number, vector: number): void {
    this.requests.set(vector, ipl)
    this.updateInterrupts()
  }

  clearInterrupt(vector: number): void {
    if (this.requests.delete(vector)) this.updateInterrupts()
  }

  /** Recomputes the highest pending interrupt level (software levels from SISR, devices). */
  updateInterrupts(): void {
    const sisr = (this.ipr[IPR.SISR] as number) & 0xfffe
    let level = sisr === 0 ? 0 : 31 - Math.clz32(sisr)
    for (const ipl of this.requests.values()) if (ipl > level) level = ipl
    this.pendingLevel = level
  }

  /**
   * Takes the highest pending interrupt (SRM "Interrupts"): PSL and PC go on the
   * interrupt stack (or the kernel stack, if the vector says so and the CPU is not on the
   * interrupt stack), IPL becomes the interrupt's level, and execution continues at the
   * vector. A software interrupt clears its SISR bit; a device request is consumed.
   */
  private takeInterrupt(): void {
    const level = this.pendingLevel
    let vector = -1
    if (level >= 0x10) {
      for (const [v, ipl] of this.requests) {
        if (ipl === level) {
          vector = v
          break
        }
      }
      this.requests.delete(vector)
    } else {
      vector = SCB.SOFTWARE + 4 * level
      this.ipr[IPR.SISR] = (this.ipr[IPR.SISR] as number) & ~(1 << level)
    }
    this.updateInterrupts()
    const oldPsl = this.psl | this.cc
    const target = this.readPhysical32(((this.ipr[IPR.SCBB] as number) + vector) >>> 0)
    if ((target & 3) >= 2)
      this.halt(`invalid SCB vector ${(target >>> 0).toString(16)} for an interrupt`)
    const newPsl =
      ((oldPsl & PSL_IS) !== 0 || (target & 1) === 1 ? PSL_IS : 0) | (level << PSL_IPL_SHIFT)
    this.switchStack(newPsl)
    this.psl = newPsl
    this.cc = 0
    if (this.pushFrame([oldPsl, this.pc])) this.pc = target & ~3
  }

  /**
   * Pushes an exception or interrupt frame on the stack just selected. If the kernel
   * stack cannot take it (access violation, translation not valid), the machine takes
   * the kernel-stack-not-valid abort instead, on the interrupt stack at IPL 31, and
   * this returns false; a frame the interrupt stack cannot take halts the machine.
   */
  private pushFrame(words: readonly number[]): boolean {
    const sp = this.r[14] as number
    try {
      for (const word of words) this.push32(word)
      return true
    } catch (nested) {
      if (!(nested instanceof VaxException)) throw nested
      this.r[14] = sp
      const memoryFault =
        nested.vector === SCB.ACCESS_VIOLATION || nested.vector === SCB.TRANSLATION_NOT_VALID
      if (this.psl & PSL_IS || !memoryFault) this.halt('exception while pushing an exception frame')
      const kernelPsl = this.psl | this.cc
      const target = this.readPhysical32(
        ((this.ipr[IPR.SCBB] as number) + SCB.KERNEL_STACK_NOT_VALID) >>> 0,
      )
      const newPsl = PSL_IS | PSL_IPL | (currentMode(kernelPsl) << PSL_PRV_SHIFT)
      this.switchStack(newPsl)
      this.psl = newPsl
      this.cc = 0
      try {
        this.push32(kernelPsl)
        this.push32(this.pc)
      } catch (again) {
        if (again instanceof VaxException) this.halt('interrupt stack not valid')
        throw again
      }
      this.pc = target & ~3
      return false
    }
  }

  /** The whole PSL, condition codes included, as an unsigned number. */
  get fullPsl(): number {
    return (this.psl | this.cc) >>> 0
  }

  set fullPsl(value: number) {
    this.psl = value & ~0xf
    this.cc = value & 0xf
  }

  /**
   * Runs until a HALT in kernel mode, an unrecoverable error, or `maxSteps`
   * instructions. Whatever the guest code does, this returns.
   */
  run(maxSteps = Number.POSITIVE_INFINITY): RunResult {
    let steps = 0
    this.halted = undefined
    while (steps < maxSteps && this.halted === undefined) {
      // Instruction count when the running translated block started (-1: none).
      let mark = -1
      try {
        const blocks = this.blocks
        if (blocks === undefined) {
          while (steps < maxSteps) {
            steps++
            this.step()
          }
        } else {
          while (steps < maxSteps) {
            steps++
            // A block runs only when the work between instructions has nothing to do (no
            // event due, trap, interrupt or trace) and no instruction is half done (FPD);
            // otherwise the interpreter does that work and the next instruction.
            const psl = this.psl
            if (
              this.instructions < this.events.nextAt &&
              this.pendingTrap === 0 &&
              (psl & (PSL_T | PSL_TP | PSL_FPD)) === 0 &&
              this.pendingLevel <= ((psl >>> PSL_IPL_SHIFT) & 0x1f)
            ) {
              const block = blocks.lookup(this.pc)
              if (block !== undefined) {
                mark = this.instructions
                this.dispatched = false
                this.recoveryCount = 0
                this.attention = false
                this.codeWritten = false
                if (block.run(this, mark + (maxSteps - steps) + 1)) {
                  const done = this.instructions - mark
                  blocks.executed += done
                  steps += done - 1
                  mark = -1
                  continue
                }
                // Its code changed since it was translated: it did nothing.
                mark = -1
                blocks.discard(block)
              }
            }
            this.step()
          }
        }
      } catch (e) {
        if (mark >= 0 && this.blocks !== undefined) {
          // The block stopped at a fault (or a halt) in its instruction `done`.
          const done = this.instructions - mark
          this.blocks.executed += done
          steps += done - 1
        }
        const failure = this.handle(e)
        if (failure !== undefined) {
          this.r[15] = this.pc
          return { reason: 'error', detail: failure, steps }
        }
      }
    }
    this.r[15] = this.pc
    const halted = this.halted as VaxHalt | undefined
    if (halted !== undefined) {
      return { reason: halted.reason === 'HALT' ? 'HALT' : 'error', detail: halted.reason, steps }
    }
    return { reason: 'max-steps', detail: '', steps }
  }

  /**
   * Deals with what an instruction threw: takes a VAX exception, records a halt, or
   * returns a description of an internal error (a bug in this emulator, never a guest's).
   */
  private handle(thrown: unknown): string | undefined {
    let e = thrown
    if (e instanceof VaxException) {
      try {
        this.takeException(e)
        return undefined
      } catch (nested) {
        e = nested
      }
    }
    if (e instanceof VaxHalt) {
      this.halted = e
      return undefined
    }
    return `internal error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`
  }

  /** Executes one instruction (taking a pending trap or trace first). Exceptions propagate. */
  /**
   * The work done between instructions, in the SRM's order: device events due, a
   * pending arithmetic trap, the highest interrupt above IPL, a pending trace trap.
   * The next instruction starts after this; calling it again changes nothing.
   */
  dispatchPending(): void {
    if (this.dispatched) return
    if (this.instructions >= this.events.nextAt) this.events.runDue(this.instructions)
    if (this.pendingTrap !== 0) {
      const code = this.pendingTrap
      this.pendingTrap = 0
      this.takeException(new VaxException(SCB.ARITHMETIC, 'trap', [code]))
    }
    if (this.pendingLevel > ((this.psl >>> PSL_IPL_SHIFT) & 0x1f)) this.takeInterrupt()
    if (this.psl & PSL_TP) {
      this.psl &= ~PSL_TP
      this.takeException(new VaxException(SCB.TRACE, 'trap'))
    }
    // The instruction about to start will be traced: PSL<TP> takes PSL<T>.
    if (this.psl & PSL_T) this.psl |= PSL_TP
    this.dispatched = true
  }

  /** Executes one instruction (after the work between instructions). Exceptions propagate. */
  private step(): void {
    this.dispatchPending()
    this.dispatched = false
    this.faultPc = this.pc
    this.recoveryCount = 0
    this.instructions++
    let opcode = this.fetch8()
    if (opcode === 0xfd) opcode = 0x100 | this.fetch8()
    this.opcode = opcode
    const action = this.dispatch[opcode]
    const specs = SPECS[opcode] as Uint8Array
    if (action !== EXECUTE) {
      if (action === EMULATE) {
        this.emulate(specs)
        return
      }
      this.reservedInstruction()
    }
    if (this.psl & PSL_FPD) {
      // Only the interruptible string instructions (and EDITPC) may be resumed; they skip the
      // specifiers and continue from the state in R0-R5.
      if (!isResumable(opcode)) this.reservedInstruction()
    } else {
      for (let i = 0; i < specs.length; i++) this.decodeOperand(specs[i] as number, i)
    }
    executeInstruction(this, opcode)
  }

  // ---------------------------------------------------------------- instruction stream

  fetch8(): number {
    const pc = this.pc
    this.pc = (pc + 1) >>> 0
    const pa = this.toPhysical(pc, false)
    const bytes = this.memory.bytes
    if (pa < bytes.length) return bytes[pa] as number
    return this.readIo(pa, 1)
  }

  fetch16(): number {
    const pc = this.pc
    this.pc = (pc + 2) >>> 0
    if ((pc & 0x1ff) <= 0x1fe) {
      const pa = this.toPhysical(pc, false)
      if (pa + 2 <= this.memory.bytes.length) return this.memory.view.getUint16(pa, true)
    }
    return this.read16(pc)
  }

  fetch32(): number {
    const pc = this.pc
    this.pc = (pc + 4) >>> 0
    if ((pc & 0x1ff) <= 0x1fc) {
      const pa = this.toPhysical(pc, false)
      if (pa + 4 <= this.memory.bytes.length) return this.memory.view.getInt32(pa, true)
    }
    return this.read32(pc)
  }

  // ---------------------------------------------------------------- operand decoding

  private recordAutoIncrement(rn: number, delta: number): void {
    this.recoveryReg[this.recoveryCount] = rn
    this.recoveryDelta[this.recoveryCount] = delta
    this.recoveryCount++
  }

  /** Undoes the register side effects of the current instruction's specifiers. */
  private unwindSpecifiers(): void {
    for (let i = this.recoveryCount - 1; i >= 0; i--) {
      const rn = this.recoveryReg[i] as number
      this.r[rn] = ((this.r[rn] as number) - (this.recoveryDelta[i] as number)) | 0
    }
    this.recoveryCount = 0
  }

  reservedAddressingMode(): never {
    throw new VaxException(SCB.RESERVED_ADDRESSING_MODE, 'fault')
  }

  reservedOperand(): never {
    throw new VaxException(SCB.RESERVED_OPERAND, 'fault')
  }

  reservedInstruction(): never {
    throw new VaxException(SCB.RESERVED_INSTRUCTION, 'fault')
  }

  /** Decodes operand specifier `i` of kind `spec` (access * 8 + log2 size). */
  private decodeOperand(spec: number, i: number): void {
    const access = (spec >> 3) & 7
    const lg = spec & 7
    const size = 1 << lg
    if (access === ACC_B) {
      this.val[i] = lg === 0 ? (this.fetch8() << 24) >> 24 : (this.fetch16() << 16) >> 16
      return
    }
    const specifier = this.fetch8()
    const mode = specifier >> 4
    const rn = specifier & 15
    const r = this.r
    let address: number
    switch (mode) {
      case 0:
      case 1:
      case 2:
      case 3:
        if (access !== ACC_R) this.reservedAddressingMode()
        this.val[i] = spec < 0x40 ? specifier : floatLiteral(spec >> 6, specifier)
        this.hi[i] = 0
        if (lg === 4) {
          this.hi2[i] = 0
          this.hi3[i] = 0
        }
        return
      case 4:
        address = this.indexedAddress(rn, lg)
        break
      case 5: {
        if (access === ACC_A || rn === 15) this.reservedAddressingMode()
        if ((lg === 3 && rn >= 14) || (lg === 4 && rn >= 12)) this.reservedAddressingMode()
        this.reg[i] = rn
        if (access === ACC_R || access === ACC_M) {
          const v = r[rn] as number
          this.val[i] = lg === 0 ? v & 0xff : lg === 1 ? v & 0xffff : v
          if (lg >= 3) {
            this.hi[i] = r[rn + 1] as number
            if (lg === 4) {
              this.hi2[i] = r[rn + 2] as number
              this.hi3[i] = r[rn + 3] as number
            }
          }
        }
        return
      }
      case 6:
        if (rn === 15) this.reservedAddressingMode()
        address = r[rn] as number
        break
      case 7:
        if (rn === 15) this.reservedAddressingMode()
        r[rn] = ((r[rn] as number) - size) | 0
        this.recordAutoIncrement(rn, -size)
        address = r[rn] as number
        break
      case 8:
        if (rn === 15) {
          address = this.pc
          this.pc = (this.pc + size) >>> 0
        } else {
          address = r[rn] as number
          r[rn] = (address + size) | 0
          this.recordAutoIncrement(rn, size)
        }
        break
      case 9:
        if (rn === 15) {
          address = this.fetch32()
        } else {
          address = this.read32(r[rn] as number)
          r[rn] = ((r[rn] as number) + 4) | 0
          this.recordAutoIncrement(rn, 4)
        }
        break
      default:
        address = this.displacementAddress(mode, rn)
    }
    address >>>= 0
    this.reg[i] = -1
    this.addr[i] = address
    if (access === ACC_R) {
      if (lg === 0) this.val[i] = this.read8(address)
      else if (lg === 1) this.val[i] = this.read16(address)
      else {
        this.val[i] = this.read32(address)
        if (lg >= 3) {
          this.hi[i] = this.read32(address + 4)
          if (lg === 4) {
            this.hi2[i] = this.read32(address + 8)
            this.hi3[i] = this.read32(address + 12)
          }
        }
      }
    } else if (access === ACC_M) {
      if (lg === 0) this.val[i] = this.readModify8(address)
      else if (lg === 1) this.val[i] = this.readModify16(address)
      else {
        this.val[i] = this.readModify32(address)
        if (lg >= 3) {
          this.hi[i] = this.readModify32(address + 4)
          if (lg === 4) {
            this.hi2[i] = this.readModify32(address + 8)
            this.hi3[i] = this.readModify32(address + 12)
          }
        }
      }
    }
  }

  /** Modes A-F: byte, word or long displacement from Rn (or the PC), deferred when odd. */
  private displacementAddress(mode: number, rn: number): number {
    const kind = (mode - 0xa) >> 1
    const d =
      kind === 0
        ? (this.fetch8() << 24) >> 24
        : kind === 1
          ? (this.fetch16() << 16) >> 16
          : this.fetch32()
    const address = ((rn === 15 ? this.pc : (this.r[rn] as number)) + d) | 0
    return mode & 1 ? this.read32(address) : address
  }

  /** Index mode `base[Rx]`: the base specifier's address plus Rx times the operand size. */
  private indexedAddress(rx: number, lg: number): number {
    if (rx === 15) this.reservedAddressingMode()
    const r = this.r
    const index = (r[rx] as number) << lg
    const specifier = this.fetch8()
    const mode = specifier >> 4
    const rn = specifier & 15
    const size = 1 << lg
    let base: number
    switch (mode) {
      case 6:
        if (rn === 15) this.reservedAddressingMode()
        base = r[rn] as number
        break
      case 7:
        if (rn === 15) this.reservedAddressingMode()
        r[rn] = ((r[rn] as number) - size) | 0
        this.recordAutoIncrement(rn, -size)
        base = r[rn] as number
        break
      case 8:
        if (rn === 15) this.reservedAddressingMode()
        base = r[rn] as number
        r[rn] = (base + size) | 0
        this.recordAutoIncrement(rn, size)
        break
      case 9:
        if (rn === 15) base = this.fetch32()
        else {
          base = this.read32(r[rn] as number)
          r[rn] = ((r[rn] as number) + 4) | 0
          this.recordAutoIncrement(rn, 4)
        }
        break
      case 0xa:
      case 0xb:
      case 0xc:
      case 0xd:
      case 0xe:
      case 0xf:
        base = this.displacementAddress(mode, rn)
        break
      default:
        this.reservedAddressingMode()
    }
    return (base + index) | 0
  }

  // ---------------------------------------------------------------- operand write-back

  writeByte(i: number, value: number): void {
    const rn = this.reg[i] as number
    if (rn >= 0) this.r[rn] = ((this.r[rn] as number) & ~0xff) | (value & 0xff)
    else this.write8(this.addr[i] as number, value)
  }

  writeWord(i: number, value: number): void {
    const rn = this.reg[i] as number
    if (rn >= 0) this.r[rn] = ((this.r[rn] as number) & ~0xffff) | (value & 0xffff)
    else this.write16(this.addr[i] as number, value)
  }

  writeLong(i: number, value: number): void {
    const rn = this.reg[i] as number
    if (rn >= 0) this.r[rn] = value
    else this.write32(this.addr[i] as number, value)
  }

  writeQuad(i: number, low: number, high: number): void {
    const rn = this.reg[i] as number
    if (rn >= 0) {
      this.r[rn] = low
      this.r[(rn + 1) & 15] = high
    } else {
      const a = this.addr[i] as number
      this.write32(a, low)
      this.write32(a + 4, high)
    }
  }

  /** Writes an octaword (or H-floating) result: longwords `a` (lowest address) to `d`. */
  writeOcta(i: number, a: number, b: number, c: number, d: number): void {
    const rn = this.reg[i] as number
    if (rn >= 0) {
      this.r[rn] = a
      this.r[rn + 1] = b
      this.r[rn + 2] = c
      this.r[rn + 3] = d
    } else {
      const at = this.addr[i] as number
      this.write32(at, a)
      this.write32(at + 4, b)
      this.write32(at + 8, c)
      this.write32(at + 12, d)
    }
  }

  /** Writes a result of `lg` (0 byte, 1 word, 2 long) to operand `i`. */
  writeSized(i: number, lg: number, value: number): void {
    if (lg === 0) this.writeByte(i, value)
    else if (lg === 1) this.writeWord(i, value)
    else this.writeLong(i, value)
  }

  push32(value: number): void {
    const sp = ((this.r[14] as number) - 4) | 0
    this.write32(sp, value)
    this.r[14] = sp
  }

  pop32(): number {
    const sp = this.r[14] as number
    const value = this.read32(sp)
    this.r[14] = (sp + 4) | 0
    return value
  }

  /** Integer overflow: set V, and request the trap when PSW<IV> is set. */
  integerOverflow(): void {
    this.cc |= 2
    if (this.psl & 0x20) this.pendingTrap = 1
  }

  halt(reason: string): never {
    throw new VaxHalt(reason)
  }

  // ---------------------------------------------------------------- exceptions

  /** Loads the stack pointer for a new mode/stack, saving the current one. */
  switchStack(newPsl: number): void {
    const oldPsl = this.psl
    this.stack[oldPsl & PSL_IS ? 4 : currentMode(oldPsl)] = this.r[14] as number
    this.r[14] = this.stack[newPsl & PSL_IS ? 4 : currentMode(newPsl)] as number
  }

  /**
   * Takes an exception through the SCB (SRM "Exceptions and interrupts"): pushes PSL
   * and PC (and the exception's parameters) on the kernel or interrupt stack, as the
   * vector's low bits say, and continues at the vector's address in kernel mode.
   */
  takeException(e: VaxException): void {
    // An exception cancels any trap the instruction had requested (it will run again).
    this.pendingTrap = 0
    if (e.kind === 'fault') {
      // A string instruction that faults midway keeps its state in R0-R5 with FPD set
      // and resumes without decoding its specifiers again: their side effects stay.
      if (!(this.psl & PSL_FPD)) this.unwindSpecifiers()
      this.pc = this.faultPc
    }
    const oldPsl = this.psl | this.cc
    const vector = this.readPhysical32(((this.ipr[IPR.SCBB] as number) + e.vector) >>> 0)
    if ((vector & 3) >= 2) {
      this.halt(
        `invalid SCB vector ${(vector >>> 0).toString(16)} at offset ${e.vector.toString(16)}`,
      )
    }
    const onInterruptStack = (oldPsl & PSL_IS) !== 0 || (vector & 1) === 1
    const newPsl =
      (onInterruptStack ? PSL_IS : 0) |
      (vector & 1 ? PSL_IPL : oldPsl & PSL_IPL) |
      (currentMode(oldPsl) << PSL_PRV_SHIFT)
    this.switchStack(newPsl)
    this.psl = newPsl
    this.cc = 0
    const frame = [e.kind === 'fault' ? oldPsl & ~PSL_TP : oldPsl, this.pc, ...e.params]
    if (this.pushFrame(frame)) this.pc = vector & ~3
  }

  /**
   * An instruction of a set this model emulates (KA655: MOVTC, MATCHC, CRC, packed
   * decimal): the emulated-instruction exception with its 12-longword frame, or the
   * 2-longword frame through 0xCC when PSL<FPD> is set.
   */
  private emulate(specs: Uint8Array): void {
    const oldPsl = this.psl | this.cc
    let vector: number
    if (this.psl & PSL_FPD) {
      vector = SCB.EMULATE_FPD
      this.push32(oldPsl)
      this.push32(this.faultPc)
    } else {
      for (let i = 0; i < specs.length; i++) this.decodeOperand(specs[i] as number, i)
      const sp = this.r[14] as number
      const operands: number[] = []
      for (let i = 0; i < specs.length; i++) {
        const access = ((specs[i] as number) >> 3) & 7
        if (access === ACC_R) operands.push(this.val[i] as number)
        else if (access === ACC_W && (this.reg[i] as number) >= 0)
          operands.push(~(this.reg[i] as number))
        else operands.push((this.addr[i] as number) | 0)
      }
      this.read8(sp - 1)
      this.write32(sp - 48, this.opcode)
      this.write32(sp - 44, this.faultPc)
      for (let i = 0; i < 6; i++) this.write32(sp - 40 + 4 * i, operands[i] ?? 0)
      this.write32(sp - 8, this.pc)
      this.write32(sp - 4, oldPsl)
      this.r[14] = sp - 48
      vector = SCB.EMULATE
    }
    this.psl &= ~(PSL_TP | PSL_FPD | 0xf0)
    this.cc = 0
    this.pc = this.readPhysical32(((this.ipr[IPR.SCBB] as number) + vector) >>> 0) & ~3
  }

  // ---------------------------------------------------------------- processor registers

  /** MFPR: the value of processor register `n`. */
  readProcessorRegister(n: number): number {
    return readProcessorRegister(this, n)
  }

  /** MTPR: sets processor register `n`. */
  writeProcessorRegister(n: number, value: number): void {
    writeProcessorRegister(this, n, value)
  }

  /** True in kernel mode; otherwise a privileged instruction is a reserved-instruction fault. */
  requireKernel(): void {
    if (currentMode(this.psl) !== KERNEL) this.reservedInstruction()
  }

  /** PSL value for a change to `mode` from the current mode, IPL unchanged. */
  modePsl(mode: number): number {
    return (mode << PSL_CUR_SHIFT) | (this.psl & PSL_IPL) | (currentMode(this.psl) << PSL_PRV_SHIFT)
  }
}

/** The instructions that keep their state in R0-R5 and can resume with PSL<FPD>: strings, EDITPC. */
function isResumable(opcode: number): boolean {
  switch (opcode) {
    case 0x28: // MOVC3
    case 0x2c: // MOVC5
    case 0x29: // CMPC3
    case 0x2d: // CMPC5
    case 0x3a: // LOCC
    case 0x3b: // SKPC
    case 0x2a: // SCANC
    case 0x2b: // SPANC
    case 0x2e: // MOVTC
    case 0x2f: // MOVTUC
    case 0x39: // MATCHC
    case 0x0b: // CRC
    case 0x38: // EDITPC
      return true
    default:
      return false
  }
}
