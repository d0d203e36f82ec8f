import type { Cpu } from './cpu'
import { IPR } from './ipr'
import { currentMode, iplOf, PSL_IPL, PSL_IPL_SHIFT, PSL_IS } from './psl'

/**
 * Processor registers (MTPR/MFPR; VAX SRM "Processor registers", and the KA655
 * registers of the MicroVAX 3900). Registers without special behaviour are plain
 * storage in `cpu.ipr`.
 */

/** KA655 system identification: CVAX (type 10), microcode revision 6. */
export const KA655_SID = 0x0a000006
const SISR_MASK = 0xfffe
const WRITE_ONLY = new Set<number>([IPR.SIRR, IPR.TBIA, IPR.TBIS, IPR.TBCHK])

/** The stack pointer register for `n` (KSP..USP 0-3, ISP 4) as it is now. */
function stackPointer(cpu: Cpu, n: number): number {
  const psl = cpu.psl
  const current = psl & PSL_IS ? 4 : currentMode(psl)
  return n === current ? (cpu.r[14] as number) : (cpu.stack[n] as number)
}

/** MFPR: the value of processor register `n` (0..63). */
export function readProcessorRegister(cpu: Cpu, n: number): number {
  if (n >>> 0 > 63 || WRITE_ONLY.has(n)) cpu.reservedOperand()
  switch (n) {
    case IPR.KSP:
    case IPR.ESP:
    case IPR.SSP:
    case IPR.USP:
    case IPR.ISP:
      return stackPointer(cpu, n)
    case IPR.IPL:
      return iplOf(cpu.psl)
    case IPR.SISR:
      return (cpu.ipr[IPR.SISR] as number) & SISR_MASK
    case IPR.MAPEN:
      return cpu.mapen ? 1 : 0
    case IPR.SID:
      return KA655_SID
    case IPR.TXCS:
      return cpu.console.readTransmitStatus()
    case IPR.RXCS:
      return cpu.console.readReceiveStatus()
    case IPR.RXDB:
      return cpu.console.readReceiveData()
    case IPR.ICCS:
      return cpu.clock.readStatus()
    case IPR.TODR:
      return cpu.clock.timeOfYear()
    default:
      return cpu.ipr[n] as number
  }
}

/** MTPR: sets processor register `n` (0..63). */
export function writeProcessorRegister(cpu: Cpu, n: number, value: number): void {
  if (n >>> 0 > 63) cpu.reservedOperand()
  switch (n) {
    case IPR.KSP:
    case IPR.ESP:
    case IPR.SSP:
    case IPR.USP:
    case IPR.ISP: {
      const psl = cpu.psl
      const current = psl & PSL_IS ? 4 : currentMode(psl)
      if (n === current) cpu.r[14] = value
      else cpu.stack[n] = value
      return
    }
    case IPR.P0BR:
    case IPR.P1BR:
    case IPR.SBR:
    case IPR.SCBB:
    case IPR.PCBB:
      cpu.ipr[n] = value & ~3
      if (n !== IPR.SCBB && n !== IPR.PCBB) invalidate(cpu, n === IPR.SBR)
      return
    case IPR.P0LR:
    case IPR.P1LR:
    case IPR.SLR:
      cpu.ipr[n] = value & 0x3fffff
      invalidate(cpu, n === IPR.SLR)
      return
    case IPR.IPL:
      cpu.psl = (cpu.psl & ~PSL_IPL) | ((value & 0x1f) << PSL_IPL_SHIFT)
      cpu.updateInterrupts()
      return
    case IPR.ASTLVL:
      if (value >>> 0 > 4) cpu.reservedOperand()
      cpu.ipr[n] = value
      return
    case IPR.SIRR:
      if (value >>> 0 > 15 || value === 0) cpu.reservedOperand()
      cpu.ipr[IPR.SISR] = (cpu.ipr[IPR.SISR] as number) | (1 << value)
      cpu.updateInterrupts()
      return
    case IPR.SISR:
      cpu.ipr[IPR.SISR] = value & SISR_MASK
      cpu.updateInterrupts()
      return
    case IPR.MAPEN:
      cpu.mapen = (value & 1) === 1
      cpu.translator?.invalidateAll()
      return
    case IPR.TBIA:
      cpu.translator?.invalidateAll()
      return
    case IPR.TBIS:
      cpu.translator?.invalidateSingle(value >>> 0)
      return
    case IPR.TBCHK:
      if (cpu.translator?.check(value >>> 0)) cpu.cc |= 2
      return
    case IPR.TXDB:
      cpu.console.writeTransmitData(value & 0xff)
      return
    case IPR.TXCS:
      cpu.console.writeTransmitStatus(value)
      return
    case IPR.RXCS:
      cpu.console.writeReceiveStatus(value)
      return
    case IPR.ICCS:
      cpu.clock.writeStatus(value)
      return
    case IPR.TODR:
      cpu.clock.setTimeOfYear(value)
      return
    case IPR.SID:
      return
    default:
      cpu.ipr[n] = value
  }
}

function invalidate(cpu: Cpu, everything: boolean): void {
  if (everything) cpu.translator?.invalidateAll()
  else cpu.translator?.invalidateProcess()
}
