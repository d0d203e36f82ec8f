import { Z } from './alu'
import { type Cpu, IPR } from './cpu'
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
  const next = (psl & PSL_TP) | (newPsl & ~PSL_CC & ~PSL_TP)
  cpu.switchStack(next)
  cpu.psl = next
  cpu.cc = newPsl & PSL_CC
  cpu.pc = newPc >>> 0
  if (!(next & PSL_IS) && newCur >= (cpu.ipr[IPR.ASTLVL] as number)) {
    cpu.ipr[IPR.SISR] = (cpu.ipr[IPR.SISR] as number) | (1 << 2)
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
  const accessible = (va: number): boolean => {
    try {
      translator.translate(va >>> 0, write, mode)
      return true
    } catch {
      return false
    }
  }
  if (!accessible(base) || !accessible(base + length - 1)) return Z | keep
  return keep
}
