import { Z } from './alu'
import type { Cpu } from './cpu'
import { IPR } from './ipr'
import {
  currentMode,
  iplOf,
  KERNEL,
  PSL_CC,
  PSL_CM,
  PSL_IPL,
  PSL_IS,
  PSL_MBZ,
  PSL_TP,
  previousMode,
  SCB,
} from './psl'

/**
 * The operating-system interface instructions (SRM "Privileged instructions";
 * book 9.2 for CHMx dispatching, 7.1 and 6 for REI and the AST level).
 */

/**
 * CHMK/CHME/CHMS/CHMU code: changes to the target mode (or stays in the current one
 * if it is more privileged), pushing PSL, PC and the sign-extended code on the new
 * mode's stack, and continues at the SCB vector for the instruction.
 */
export function changeMode(cpu: Cpu, target: number, code: number): void {
  const psl = cpu.psl
  if (psl & PSL_IS) cpu.halt('CHM executed on the interrupt stack')
  const vector = cpu.readPhysical32(((cpu.ipr[IPR.SCBB] as number) + SCB.CHMK + 4 * target) >>> 0)
  const current = currentMode(psl)
  const mode = Math.min(target, current)
  const newSp = (mode === current ? (cpu.r[14] as number) : (cpu.stack[mode] as number)) | 0
  const oldPsl = psl | cpu.cc
  // The new stack is written in the new mode; a fault leaves everything unchanged.
  const savedPsl = cpu.psl
  cpu.psl = cpu.modePsl(mode)
  try {
    cpu.write32(newSp - 12, (code << 16) >> 16)
    cpu.write32(newSp - 8, cpu.pc)
    cpu.write32(newSp - 4, oldPsl)
  } catch (e) {
    cpu.psl = savedPsl
    throw e
  }
  cpu.psl = savedPsl
  cpu.stack[current] = cpu.r[14] as number
  cpu.r[14] = newSp - 12
  cpu.psl = cpu.modePsl(mode)
  cpu.cc = 0
  cpu.pc = vector & ~3
}

/**
 * REI: pops PC and PSL and checks the new PSL against the SRM's rules (no change to a
 * more privileged mode, IS only from IS with IPL > 0 in kernel mode, IPL not raised,
 * PRV not more privileged than CUR, MBZ bits zero); a violation is a reserved operand
 * fault. Returning to a mode at or outside ASTLVL requests the AST delivery interrupt.
 */
export function rei(cpu: Cpu): void {
  const r = cpu.r
  const sp = r[14] as number
  const newPc = cpu.read32(sp)
  const newPsl = cpu.read32(sp + 4)
  const psl = cpu.psl
  const newCur = currentMode(newPsl)
  const oldCur = currentMode(psl)
  if (newPsl & PSL_MBZ || newCur < oldCur) cpu.reservedOperand()
  if (newCur !== KERNEL) {
    if (newPsl & (PSL_IS | PSL_IPL) || newCur > previousMode(newPsl)) cpu.reservedOperand()
  } else {
    if (newPsl & PSL_IS && ((psl & PSL_IS) === 0 || iplOf(newPsl) === 0)) cpu.reservedOperand()
    if (iplOf(newPsl) > iplOf(psl)) cpu.reservedOperand()
  }
  if (newPsl & PSL_CM) cpu.reservedOperand() // compatibility mode is not implemented
  r[14] = sp + 8
  const next = (psl & PSL_TP) | (newPsl & ~PSL_CC)
  cpu.switchStack(next)
  cpu.psl = next
  cpu.cc = newPsl & PSL_CC
  cpu.pc = newPc >>> 0
  if (!(next & PSL_IS) && newCur >= (cpu.ipr[IPR.ASTLVL] as number)) {
    cpu.ipr[IPR.SISR] = (cpu.ipr[IPR.SISR] as number) | (1 << 2)
    cpu.updateInterrupts()
  }
}

/**
 * PROBER/PROBEW mode, len, base: Z is set when either the first or the last byte is
 * not accessible in the less privileged of `mode` and PSL<PRV>.
 */
export function probe(cpu: Cpu, write: boolean): number {
  const mode = Math.max((cpu.val[0] as number) & 3, previousMode(cpu.psl))
  const length = cpu.val[1] as number
  const base = (cpu.addr[2] as number) >>> 0
  const translator = cpu.translator
  const keep = cpu.cc & 1
  if (!cpu.mapen || translator === undefined) return keep
  // A process page table that is not valid is a translation-not-valid fault (thrown).
  if (!translator.probe(base, write, mode)) return Z | keep
  if (!translator.probe((base + length - 1) >>> 0, write, mode)) return Z | keep
  return keep
}

/**
 * SVPCTX: saves the process context in the hardware PCB at PCBB (book 10.1.2; VAX SRM
 * "Process structure"): the PC and PSL popped from the stack, R0-R13 and the four
 * per-process stack pointers. Off the interrupt stack, it moves onto it (raising IPL
 * to 1 if it was 0).
 */
export function svpctx(cpu: Cpu): void {
  cpu.requireKernel()
  const r = cpu.r
  const sp = r[14] as number
  const pc = cpu.read32(sp)
  const psl = cpu.read32(sp + 4)
  if (cpu.psl & PSL_IS) r[14] = sp + 8
  else {
    cpu.stack[0] = sp + 8
    r[14] = cpu.stack[4] as number
    if ((cpu.psl & PSL_IPL) === 0) cpu.psl |= 1 << 16
    cpu.psl |= PSL_IS
  }
  const pcb = cpu.ipr[IPR.PCBB] as number
  for (let n = 0; n < 4; n++) cpu.writePhysical32(pcb + 4 * n, cpu.stack[n] as number)
  for (let n = 0; n <= 13; n++) cpu.writePhysical32(pcb + 16 + 4 * n, r[n] as number)
  cpu.writePhysical32(pcb + 72, pc)
  cpu.writePhysical32(pcb + 76, psl)
}

/**
 * LDPCTX: loads the process context from the PCB at PCBB: stack pointers, R0-R13,
 * P0BR, P0LR (with ASTLVL in bits 26:24), P1BR, P1LR; forgets the process-space
 * translations; moves to the kernel stack and pushes the saved PC and PSL there, for
 * the REI that follows.
 */
export function ldpctx(cpu: Cpu): void {
  cpu.requireKernel()
  const r = cpu.r
  const pcb = cpu.ipr[IPR.PCBB] as number
  const read = (offset: number) => cpu.readPhysical32(pcb + offset)
  for (let n = 0; n < 4; n++) cpu.stack[n] = read(4 * n)
  for (let n = 0; n <= 13; n++) r[n] = read(16 + 4 * n)
  const pc = read(72)
  const psl = read(76)
  cpu.ipr[IPR.P0BR] = read(80) & ~3
  const p0lr = read(84)
  cpu.ipr[IPR.P0LR] = p0lr & 0x3fffff
  cpu.ipr[IPR.ASTLVL] = (p0lr >>> 24) & 7
  cpu.ipr[IPR.P1BR] = read(88) & ~3
  cpu.ipr[IPR.P1LR] = read(92) & 0x3fffff
  cpu.translator?.invalidateProcess()
  if (cpu.psl & PSL_IS) cpu.stack[4] = r[14] as number
  cpu.psl &= ~PSL_IS
  const ksp = ((cpu.stack[0] as number) - 8) | 0
  r[14] = ksp
  cpu.write32(ksp, pc)
  cpu.write32(ksp + 4, psl)
}
