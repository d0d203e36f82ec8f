import { C, N, Z } from './alu'
import type { Cpu } from './cpu'

/**
 * The octaword instructions (VAX SRM "Integer arithmetic and logical instructions":
 * CLRO, MOVO, MOVAO, PUSHAO), executed by models with the H-floating set (the 780);
 * a KA655 takes a reserved-instruction fault on them before they get here.
 * Opcodes are table indexes: 0x100 + the second byte of FD xx.
 * Returns false for any other opcode.
 */
export function executeOctaword(cpu: Cpu, opcode: number): boolean {
  switch (opcode) {
    case 0x17c: // CLRO dst.wo: N 0, Z 1, V 0, C unchanged
      cpu.writeOcta(0, 0, 0, 0, 0)
      cpu.cc = Z | (cpu.cc & C)
      return true
    case 0x17d: {
      // MOVO src.ro, dst.wo: N from bit 127, Z when all 128 bits are 0
      const a = cpu.val[0] as number
      const b = cpu.hi[0] as number
      const c = cpu.hi2[0] as number
      const d = cpu.hi3[0] as number
      cpu.writeOcta(1, a, b, c, d)
      cpu.cc = (d < 0 ? N : 0) | ((a | b | c | d) === 0 ? Z : 0) | (cpu.cc & C)
      return true
    }
    case 0x17e: {
      // MOVAO src.ao, dst.wl
      const address = (cpu.addr[0] as number) | 0
      cpu.writeLong(1, address)
      cpu.cc = (address < 0 ? N : 0) | (address === 0 ? Z : 0) | (cpu.cc & C)
      return true
    }
    case 0x17f: {
      // PUSHAO src.ao
      const address = (cpu.addr[0] as number) | 0
      cpu.push32(address)
      cpu.cc = (address < 0 ? N : 0) | (address === 0 ? Z : 0) | (cpu.cc & C)
      return true
    }
    default:
      return false
  }
}
