import {
  add,
  C,
  compare,
  divide,
  divideStatus,
  flags,
  multiply,
  N,
  nz,
  sext,
  sub,
  V,
  Z,
} from './alu'
import { call, popRegisters, pushRegisters, ret } from './calls'
import type { Cpu } from './cpu'
import { executeDecimal } from './decimal'
import { VaxException } from './exceptions'
import {
  extractField,
  findFirstSet,
  insertField,
  signExtendField,
  testAndChangeBit,
  testBit,
} from './fields'
import { executeFloat } from './float'
import { executeOctaword } from './octaword'
import { PSL_TP, PSW_MBZ, SCB } from './psl'
import { insqhi, insqti, insque, remqhi, remqti, remque } from './queues'
import { cmpc, crc, locateCharacter, matchc, movc, movtc, movtuc, scanCharacters } from './strings'
import { changeMode, ldpctx, probe, rei, svpctx } from './system'

/** Size of the 16 integer instructions at 0x80 (byte), 0xA0 (word), 0xC0 (long). */
function lgOfGroup(opcode: number): number {
  return opcode < 0xa0 ? 0 : opcode < 0xc0 ? 1 : 2
}

function keepC(cpu: Cpu, cc: number): void {
  cpu.cc = cc | (cpu.cc & C)
}

function branch(cpu: Cpu, displacement: number): void {
  cpu.pc = (cpu.pc + displacement) >>> 0
}

/** The result of a DIVx: sets the traps the architecture asks for. */
function afterDivide(cpu: Cpu): void {
  if (divideStatus.zero) cpu.pendingTrap = 2
  else if (divideStatus.overflow && cpu.psl & 0x20) cpu.pendingTrap = 1
}

/** Executes the decoded instruction `opcode` (operands are in cpu.val/hi/reg/addr). */
export function executeInstruction(cpu: Cpu, opcode: number): void {
  const val = cpu.val
  switch (opcode) {
    // ------------------------------------------------ integer arithmetic and logic
    case 0x80: // ADDB2
    case 0xa0:
    case 0xc0:
    case 0x81: // ADDB3
    case 0xa1:
    case 0xc1:
    case 0x82: // SUBB2
    case 0xa2:
    case 0xc2:
    case 0x83: // SUBB3
    case 0xa3:
    case 0xc3: {
      const lg = lgOfGroup(opcode)
      const res =
        opcode & 2
          ? sub(val[0] as number, val[1] as number, 0, lg)
          : add(val[0] as number, val[1] as number, 0, lg)
      cpu.writeSized(opcode & 1 ? 2 : 1, lg, res)
      cpu.cc = flags.cc
      if (flags.cc & V) cpu.integerOverflow()
      return
    }
    case 0x84: // MULB2
    case 0xa4:
    case 0xc4:
    case 0x85: // MULB3
    case 0xa5:
    case 0xc5: {
      const lg = lgOfGroup(opcode)
      const res = multiply(val[0] as number, val[1] as number, lg)
      cpu.writeSized(opcode & 1 ? 2 : 1, lg, res)
      cpu.cc = flags.cc
      if (flags.cc & V) cpu.integerOverflow()
      return
    }
    case 0x86: // DIVB2
    case 0xa6:
    case 0xc6:
    case 0x87: // DIVB3
    case 0xa7:
    case 0xc7: {
      const lg = lgOfGroup(opcode)
      const res = divide(val[0] as number, val[1] as number, lg)
      cpu.writeSized(opcode & 1 ? 2 : 1, lg, res)
      cpu.cc = flags.cc
      afterDivide(cpu)
      return
    }
    case 0x88: // BISB2
    case 0xa8:
    case 0xc8:
    case 0x89:
    case 0xa9:
    case 0xc9: {
      const lg = lgOfGroup(opcode)
      const res = (val[1] as number) | (val[0] as number)
      cpu.writeSized(opcode & 1 ? 2 : 1, lg, res)
      keepC(cpu, nz(res, lg))
      return
    }
    case 0x8a: // BICB2
    case 0xaa:
    case 0xca:
    case 0x8b:
    case 0xab:
    case 0xcb: {
      const lg = lgOfGroup(opcode)
      const res = (val[1] as number) & ~(val[0] as number)
      cpu.writeSized(opcode & 1 ? 2 : 1, lg, res)
      keepC(cpu, nz(res, lg))
      return
    }
    case 0x8c: // XORB2
    case 0xac:
    case 0xcc:
    case 0x8d:
    case 0xad:
    case 0xcd: {
      const lg = lgOfGroup(opcode)
      const res = (val[1] as number) ^ (val[0] as number)
      cpu.writeSized(opcode & 1 ? 2 : 1, lg, res)
      keepC(cpu, nz(res, lg))
      return
    }
    case 0x8e: // MNEGB
    case 0xae:
    case 0xce: {
      const lg = lgOfGroup(opcode)
      const res = sub(val[0] as number, 0, 0, lg)
      cpu.writeSized(1, lg, res)
      cpu.cc = flags.cc
      if (flags.cc & V) cpu.integerOverflow()
      return
    }
    case 0x8f: // CASEB
    case 0xaf:
    case 0xcf: {
      const lg = lgOfGroup(opcode)
      const mask = lg === 0 ? 0xff : lg === 1 ? 0xffff : -1
      const offset = ((val[0] as number) - (val[1] as number)) & mask
      const limit = val[2] as number
      cpu.cc = compare(offset, limit, lg)
      if (offset >>> 0 > limit >>> 0) cpu.pc = (cpu.pc + ((limit >>> 0) + 1) * 2) >>> 0
      else {
        const displacement = (cpu.read16((cpu.pc + offset * 2) >>> 0) << 16) >> 16
        branch(cpu, displacement)
      }
      return
    }
    case 0x90: // MOVB
    case 0xb0: // MOVW
    case 0xd0: {
      // MOVL
      const lg = opcode === 0x90 ? 0 : opcode === 0xb0 ? 1 : 2
      const v = val[0] as number
      cpu.writeSized(1, lg, v)
      keepC(cpu, nz(v, lg))
      return
    }
    case 0x91: // CMPB
    case 0xb1:
    case 0xd1:
      cpu.cc = compare(
        val[0] as number,
        val[1] as number,
        opcode === 0x91 ? 0 : opcode === 0xb1 ? 1 : 2,
      )
      return
    case 0x92: // MCOMB
    case 0xb2:
    case 0xd2: {
      const lg = opcode === 0x92 ? 0 : opcode === 0xb2 ? 1 : 2
      const v = ~(val[0] as number)
      cpu.writeSized(1, lg, v)
      keepC(cpu, nz(v, lg))
      return
    }
    case 0x93: // BITB
    case 0xb3:
    case 0xd3: {
      const lg = opcode === 0x93 ? 0 : opcode === 0xb3 ? 1 : 2
      keepC(cpu, nz((val[0] as number) & (val[1] as number), lg))
      return
    }
    case 0x94: // CLRB
      cpu.writeByte(0, 0)
      keepC(cpu, Z)
      return
    case 0xb4: // CLRW
      cpu.writeWord(0, 0)
      keepC(cpu, Z)
      return
    case 0xd4: // CLRL
      cpu.writeLong(0, 0)
      keepC(cpu, Z)
      return
    case 0x7c: // CLRQ
      cpu.writeQuad(0, 0, 0)
      keepC(cpu, Z)
      return
    case 0x95: // TSTB
      cpu.cc = nz(val[0] as number, 0)
      return
    case 0xb5: // TSTW
      cpu.cc = nz(val[0] as number, 1)
      return
    case 0xd5: // TSTL
      cpu.cc = nz(val[0] as number, 2)
      return
    case 0x96: // INCB
    case 0xb6:
    case 0xd6: {
      const lg = opcode === 0x96 ? 0 : opcode === 0xb6 ? 1 : 2
      const res = add(1, val[0] as number, 0, lg)
      cpu.writeSized(0, lg, res)
      cpu.cc = flags.cc
      if (flags.cc & V) cpu.integerOverflow()
      return
    }
    case 0x97: // DECB
    case 0xb7:
    case 0xd7: {
      const lg = opcode === 0x97 ? 0 : opcode === 0xb7 ? 1 : 2
      const res = sub(1, val[0] as number, 0, lg)
      cpu.writeSized(0, lg, res)
      cpu.cc = flags.cc
      if (flags.cc & V) cpu.integerOverflow()
      return
    }
    case 0xd8: {
      // ADWC
      const res = add(val[0] as number, val[1] as number, cpu.cc & C, 2)
      cpu.writeLong(1, res)
      cpu.cc = flags.cc
      if (flags.cc & V) cpu.integerOverflow()
      return
    }
    case 0xd9: {
      // SBWC
      const res = sub(val[0] as number, val[1] as number, cpu.cc & C, 2)
      cpu.writeLong(1, res)
      cpu.cc = flags.cc
      if (flags.cc & V) cpu.integerOverflow()
      return
    }
    case 0x58: {
      // ADAWI
      const rn = cpu.reg[1] as number
      if (rn < 0 && (cpu.addr[1] as number) % 2 !== 0) cpu.reservedOperand()
      const sum = rn >= 0 ? (cpu.r[rn] as number) & 0xffff : cpu.readModify16(cpu.addr[1] as number)
      const res = add(val[0] as number, sum, 0, 1)
      cpu.writeWord(1, res)
      cpu.cc = flags.cc
      if (flags.cc & V) cpu.integerOverflow()
      return
    }

    // ------------------------------------------------ conversions and moves
    case 0x98: // CVTBL
      convert(cpu, sext(val[0] as number, 0), 2)
      return
    case 0x99: // CVTBW
      convert(cpu, sext(val[0] as number, 0), 1)
      return
    case 0x32: // CVTWL
      convert(cpu, sext(val[0] as number, 1), 2)
      return
    case 0x33: // CVTWB
      convert(cpu, sext(val[0] as number, 1), 0)
      return
    case 0xf6: // CVTLB
      convert(cpu, val[0] as number, 0)
      return
    case 0xf7: // CVTLW
      convert(cpu, val[0] as number, 1)
      return
    case 0x9a: // MOVZBL
    case 0x3c: {
      // MOVZWL
      const v = val[0] as number
      cpu.writeLong(1, v)
      keepC(cpu, nz(v, 2))
      return
    }
    case 0x9b: {
      // MOVZBW
      const v = val[0] as number
      cpu.writeWord(1, v)
      keepC(cpu, nz(v, 1))
      return
    }
    case 0x7d: {
      // MOVQ
      const lo = val[0] as number
      const hi = cpu.hi[0] as number
      cpu.writeQuad(1, lo, hi)
      keepC(cpu, (hi < 0 ? N : 0) | (lo === 0 && hi === 0 ? Z : 0))
      return
    }
    case 0x9e: // MOVAB
    case 0x3e: // MOVAW
    case 0xde: // MOVAL
    case 0x7e: {
      // MOVAQ
      const a = (cpu.addr[0] as number) | 0
      cpu.writeLong(1, a)
      keepC(cpu, nz(a, 2))
      return
    }
    case 0x9f: // PUSHAB
    case 0x3f:
    case 0xdf:
    case 0x7f: {
      const a = (cpu.addr[0] as number) | 0
      cpu.push32(a)
      keepC(cpu, nz(a, 2))
      return
    }
    case 0xdd: {
      // PUSHL
      const v = val[0] as number
      cpu.push32(v)
      keepC(cpu, nz(v, 2))
      return
    }

    // ------------------------------------------------ shifts, extended arithmetic
    case 0x9c: {
      // ROTL
      const count = (val[0] as number) % 32
      const s = val[1] as number
      const res = count === 0 ? s : (s << count) | (s >>> (32 - count))
      cpu.writeLong(2, res)
      keepC(cpu, nz(res, 2))
      return
    }
    case 0x78: {
      // ASHL
      const count = sext(val[0] as number, 0)
      const s = val[1] as number
      let res: number
      let overflow = false
      if (count < 0) res = count < -31 ? s >> 31 : s >> -count
      else if (count > 31) {
        res = 0
        overflow = s !== 0
      } else {
        res = s << count
        overflow = res >> count !== s
      }
      cpu.writeLong(2, res)
      cpu.cc = nz(res, 2)
      if (overflow) cpu.integerOverflow()
      return
    }
    case 0x79: {
      // ASHQ
      const count = sext(val[0] as number, 0)
      const s = (BigInt(cpu.hi[1] as number) << 32n) | BigInt((val[1] as number) >>> 0)
      let res: bigint
      let overflow = false
      if (count < 0) res = count < -63 ? (s < 0n ? -1n : 0n) : s >> BigInt(-count)
      else if (count > 63) {
        res = 0n
        overflow = s !== 0n
      } else {
        res = BigInt.asIntN(64, s << BigInt(count))
        overflow = res >> BigInt(count) !== s
      }
      const lo = Number(BigInt.asIntN(32, res))
      const hi = Number(BigInt.asIntN(32, res >> 32n))
      cpu.writeQuad(2, lo, hi)
      cpu.cc = (hi < 0 ? N : 0) | (lo === 0 && hi === 0 ? Z : 0)
      if (overflow) cpu.integerOverflow()
      return
    }
    case 0x7a: {
      // EMUL mulr, muld, add, prod
      const product = BigInt(val[0] as number) * BigInt(val[1] as number) + BigInt(val[2] as number)
      const lo = Number(BigInt.asIntN(32, product))
      const hi = Number(BigInt.asIntN(32, product >> 32n))
      cpu.writeQuad(3, lo, hi)
      cpu.cc = (hi < 0 ? N : 0) | (lo === 0 && hi === 0 ? Z : 0)
      return
    }
    case 0x7b: {
      // EDIV divr, divd, quo, rem
      if ((cpu.reg[3] as number) < 0) cpu.readModify32(cpu.addr[3] as number)
      const divisor = val[0] as number
      const dividendLow = val[1] as number
      const dividend = (BigInt(cpu.hi[1] as number) << 32n) | BigInt(dividendLow >>> 0)
      let quotient = dividendLow
      let remainder = 0
      let failed = true
      if (divisor === 0) {
        cpu.pendingTrap = 2
      } else {
        const q = dividend / BigInt(divisor)
        if (q >= -0x80000000n && q <= 0x7fffffffn) {
          quotient = Number(q)
          remainder = Number(dividend % BigInt(divisor))
          failed = false
        }
      }
      cpu.writeLong(2, quotient)
      cpu.writeLong(3, remainder)
      cpu.cc = nz(quotient, 2)
      if (failed) {
        if (divisor === 0) cpu.cc |= V
        else cpu.integerOverflow()
      }
      return
    }
    case 0x0a: {
      // INDEX subscript, low, high, size, indexin, indexout
      const subscript = val[0] as number
      if (subscript < (val[1] as number) || subscript > (val[2] as number)) cpu.pendingTrap = 7
      const res = Math.imul(((val[4] as number) + subscript) | 0, val[3] as number)
      cpu.writeLong(5, res)
      cpu.cc = nz(res, 2)
      return
    }

    // ------------------------------------------------ branches and loops
    case 0x11: // BRB
    case 0x31: // BRW
      branch(cpu, val[0] as number)
      return
    case 0x12: // BNEQ
      if (!(cpu.cc & Z)) branch(cpu, val[0] as number)
      return
    case 0x13: // BEQL
      if (cpu.cc & Z) branch(cpu, val[0] as number)
      return
    case 0x14: // BGTR
      if (!(cpu.cc & (N | Z))) branch(cpu, val[0] as number)
      return
    case 0x15: // BLEQ
      if (cpu.cc & (N | Z)) branch(cpu, val[0] as number)
      return
    case 0x18: // BGEQ
      if (!(cpu.cc & N)) branch(cpu, val[0] as number)
      return
    case 0x19: // BLSS
      if (cpu.cc & N) branch(cpu, val[0] as number)
      return
    case 0x1a: // BGTRU
      if (!(cpu.cc & (C | Z))) branch(cpu, val[0] as number)
      return
    case 0x1b: // BLEQU
      if (cpu.cc & (C | Z)) branch(cpu, val[0] as number)
      return
    case 0x1c: // BVC
      if (!(cpu.cc & V)) branch(cpu, val[0] as number)
      return
    case 0x1d: // BVS
      if (cpu.cc & V) branch(cpu, val[0] as number)
      return
    case 0x1e: // BGEQU
      if (!(cpu.cc & C)) branch(cpu, val[0] as number)
      return
    case 0x1f: // BLSSU
      if (cpu.cc & C) branch(cpu, val[0] as number)
      return
    case 0x10: // BSBB
    case 0x30: // BSBW
      cpu.push32(cpu.pc)
      branch(cpu, val[0] as number)
      return
    case 0x16: {
      // JSB
      const target = (cpu.addr[0] as number) >>> 0
      cpu.push32(cpu.pc)
      cpu.pc = target
      return
    }
    case 0x17: // JMP
      cpu.pc = (cpu.addr[0] as number) >>> 0
      return
    case 0x05: // RSB
      cpu.pc = cpu.pop32() >>> 0
      return
    case 0xe8: // BLBS
      if ((val[0] as number) & 1) branch(cpu, val[1] as number)
      return
    case 0xe9: // BLBC
      if (!((val[0] as number) & 1)) branch(cpu, val[1] as number)
      return
    case 0xf4: // SOBGEQ
    case 0xf5: {
      // SOBGTR
      const res = sub(1, val[0] as number, 0, 2)
      cpu.writeLong(0, res)
      keepC(cpu, flags.cc & ~C)
      if (flags.cc & V) cpu.integerOverflow()
      if (opcode === 0xf4 ? res >= 0 : res > 0) branch(cpu, val[1] as number)
      return
    }
    case 0xf2: // AOBLSS
    case 0xf3: {
      // AOBLEQ
      const res = add(1, val[1] as number, 0, 2)
      cpu.writeLong(1, res)
      keepC(cpu, flags.cc & ~C)
      if (flags.cc & V) cpu.integerOverflow()
      const limit = val[0] as number
      if (opcode === 0xf2 ? res < limit : res <= limit) branch(cpu, val[2] as number)
      return
    }
    case 0x9d: // ACBB
    case 0x3d: // ACBW
    case 0xf1: {
      // ACBL limit, add, index, displ
      const lg = opcode === 0x9d ? 0 : opcode === 0x3d ? 1 : 2
      const addend = val[1] as number
      const res = add(addend, val[2] as number, 0, lg)
      cpu.writeSized(2, lg, res)
      keepC(cpu, flags.cc & ~C)
      if (flags.cc & V) cpu.integerOverflow()
      const s = sext(res, lg)
      const limit = sext(val[0] as number, lg)
      if (sext(addend, lg) < 0 ? s >= limit : s <= limit) branch(cpu, val[3] as number)
      return
    }

    // ------------------------------------------------ bit fields
    case 0xe0: // BBS
      if (testBit(cpu, val[0] as number, 1)) branch(cpu, val[2] as number)
      return
    case 0xe1: // BBC
      if (!testBit(cpu, val[0] as number, 1)) branch(cpu, val[2] as number)
      return
    case 0xe2: // BBSS
    case 0xe6: // BBSSI
      if (testAndChangeBit(cpu, val[0] as number, 1, 1)) branch(cpu, val[2] as number)
      return
    case 0xe3: // BBCS
      if (!testAndChangeBit(cpu, val[0] as number, 1, 1)) branch(cpu, val[2] as number)
      return
    case 0xe4: // BBSC
      if (testAndChangeBit(cpu, val[0] as number, 1, 0)) branch(cpu, val[2] as number)
      return
    case 0xe5: // BBCC
    case 0xe7: // BBCCI
      if (!testAndChangeBit(cpu, val[0] as number, 1, 0)) branch(cpu, val[2] as number)
      return
    case 0xee: // EXTV
    case 0xef: {
      // EXTZV
      const size = val[1] as number
      let field = extractField(cpu, val[0] as number, size, 2)
      field = opcode === 0xee ? signExtendField(field, size) : field | 0
      cpu.writeLong(3, field)
      keepC(cpu, nz(field, 2))
      return
    }
    case 0xec: // CMPV
    case 0xed: {
      // CMPZV
      const size = val[1] as number
      let field = extractField(cpu, val[0] as number, size, 2)
      field = opcode === 0xec ? signExtendField(field, size) : field | 0
      cpu.cc = compare(field, val[3] as number, 2)
      return
    }
    case 0xea: // FFS
    case 0xeb: {
      // FFC
      const pos = val[0] as number
      const size = val[1] as number
      let field = extractField(cpu, pos, size, 2)
      if (opcode === 0xeb) field = (~field >>> 0) & (size === 32 ? 0xffffffff : (1 << size) - 1)
      cpu.writeLong(3, (pos + findFirstSet(field, size)) | 0)
      cpu.cc = field === 0 ? Z : 0
      return
    }
    case 0xf0: // INSV src, pos, size, base
      insertField(cpu, val[0] as number, val[1] as number, val[2] as number, 3)
      return

    // ------------------------------------------------ procedures and the stack
    case 0xfa: // CALLG arglist, dst
      call(cpu, (cpu.addr[0] as number) | 0, (cpu.addr[1] as number) >>> 0, false)
      return
    case 0xfb: // CALLS numarg, dst
      call(cpu, val[0] as number, (cpu.addr[1] as number) >>> 0, true)
      return
    case 0x04: // RET
      ret(cpu)
      return
    case 0xbb: // PUSHR
      pushRegisters(cpu, (val[0] as number) & 0x7fff)
      return
    case 0xba: // POPR
      popRegisters(cpu, (val[0] as number) & 0x7fff)
      return

    // ------------------------------------------------ queues
    case 0x0e: // INSQUE
      cpu.cc = insque(cpu, (cpu.addr[0] as number) | 0, (cpu.addr[1] as number) | 0)
      return
    case 0x0f: // REMQUE
      cpu.cc = remque(cpu, (cpu.addr[0] as number) | 0, 1)
      return
    case 0x5c: // INSQHI
      cpu.cc = insqhi(cpu, (cpu.addr[0] as number) | 0, (cpu.addr[1] as number) | 0)
      return
    case 0x5d: // INSQTI
      cpu.cc = insqti(cpu, (cpu.addr[0] as number) | 0, (cpu.addr[1] as number) | 0)
      return
    case 0x5e: // REMQHI
      cpu.cc = remqhi(cpu, (cpu.addr[0] as number) | 0, 1)
      return
    case 0x5f: // REMQTI
      cpu.cc = remqti(cpu, (cpu.addr[0] as number) | 0, 1)
      return

    // ------------------------------------------------ character strings
    case 0x28: // MOVC3
      cpu.cc = movc(cpu, false)
      return
    case 0x2c: // MOVC5
      cpu.cc = movc(cpu, true)
      return
    case 0x29: // CMPC3
      cpu.cc = cmpc(cpu, false)
      return
    case 0x2d: // CMPC5
      cpu.cc = cmpc(cpu, true)
      return
    case 0x3a: // LOCC
      cpu.cc = locateCharacter(cpu, false)
      return
    case 0x3b: // SKPC
      cpu.cc = locateCharacter(cpu, true)
      return
    case 0x2a: // SCANC
      cpu.cc = scanCharacters(cpu, false)
      return
    case 0x2b: // SPANC
      cpu.cc = scanCharacters(cpu, true)
      return
    case 0x2e: // MOVTC
      cpu.cc = movtc(cpu)
      return
    case 0x2f: // MOVTUC
      cpu.cc = movtuc(cpu)
      return
    case 0x39: // MATCHC
      cpu.cc = matchc(cpu)
      return
    case 0x0b: // CRC
      cpu.cc = crc(cpu)
      return

    // ------------------------------------------------ PSL, traps, system
    case 0x00: // HALT
      cpu.requireKernel()
      cpu.halt('HALT')
      return
    case 0x01: // NOP
      return
    case 0x03: // BPT
      cpu.psl &= ~PSL_TP
      throw new VaxException(SCB.BREAKPOINT, 'fault')
    case 0xfc: // XFC
      cpu.psl &= ~PSL_TP
      throw new VaxException(SCB.XFC, 'fault')
    case 0xb8: // BISPSW
      if ((val[0] as number) & PSW_MBZ) cpu.reservedOperand()
      cpu.psl |= (val[0] as number) & 0xf0
      cpu.cc |= (val[0] as number) & 0xf
      return
    case 0xb9: // BICPSW
      if ((val[0] as number) & PSW_MBZ) cpu.reservedOperand()
      cpu.psl &= ~((val[0] as number) & 0xf0)
      cpu.cc &= ~(val[0] as number)
      return
    case 0xdc: // MOVPSL
      cpu.writeLong(0, cpu.psl | cpu.cc)
      return
    case 0xbc: // CHMK
    case 0xbd: // CHME
    case 0xbe: // CHMS
    case 0xbf: // CHMU
      changeMode(cpu, opcode - 0xbc, val[0] as number)
      return
    case 0x02: // REI
      rei(cpu)
      return
    case 0x06: // LDPCTX
      ldpctx(cpu)
      return
    case 0x07: // SVPCTX
      svpctx(cpu)
      return
    case 0x0c: // PROBER
    case 0x0d: // PROBEW
      cpu.cc = probe(cpu, opcode === 0x0d)
      return
    case 0xda: {
      // MTPR src, procreg
      cpu.requireKernel()
      const v = val[0] as number
      keepC(cpu, nz(v, 2)) // first: TBCHK then sets V
      cpu.writeProcessorRegister(val[1] as number, v)
      return
    }
    case 0xdb: {
      // MFPR procreg, dst
      cpu.requireKernel()
      const v = cpu.readProcessorRegister(val[0] as number)
      cpu.writeLong(1, v)
      keepC(cpu, nz(v, 2))
      return
    }
    default:
      if (
        !executeFloat(cpu, opcode) &&
        !executeDecimal(cpu, opcode) &&
        !executeOctaword(cpu, opcode)
      )
        cpu.reservedInstruction()
  }
}

/** CVTxy: writes `value` truncated to size lg, V (and the overflow trap) when it does not fit. */
function convert(cpu: Cpu, value: number, lg: number): void {
  cpu.writeSized(1, lg, value)
  cpu.cc = nz(value, lg)
  if (lg < 2) {
    const limit = lg === 0 ? 0x80 : 0x8000
    if (value >= limit || value < -limit) cpu.integerOverflow()
  }
}
