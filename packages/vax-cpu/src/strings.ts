import { compare, Z } from './alu'
import type { Cpu } from './cpu'
import { PSL_FPD } from './psl'

/**
 * Character string instructions (SRM "Character string instructions").
 *
 * They run to completion with their state in R0-R5 and PSL<FPD> set, so that a fault in
 * the middle (a page not valid) leaves a state from which the instruction resumes: R0
 * then packs the instruction length in bits 31:24, the fill/match character in 23:16 and
 * the first string's remaining length in 15:0. The final register values are those the
 * architecture specifies.
 */

const LENGTH = 0xffff

function pack(cpu: Cpu, char: number, length: number): number {
  return (((cpu.pc - cpu.faultPc) & 0xff) << 24) | ((char & 0xff) << 16) | (length & LENGTH)
}

/** On resume (PSL<FPD>), the PC after the instruction and the packed character. */
function resume(cpu: Cpu): number {
  const r0 = cpu.r[0] as number
  cpu.pc = (cpu.faultPc + (r0 >>> 24)) >>> 0
  return (r0 >>> 16) & 0xff
}

const FORWARD = 0
const BACKWARD = 1
const FILL = 3

/** True when [a, a + n) lies in RAM and translation is off: the byte array can be used directly. */
function direct(cpu: Cpu, a: number, n: number): boolean {
  return !cpu.mapen && a >>> 0 === a && a + n <= cpu.memory.bytes.length
}

/** MOVC3 len, src, dst and MOVC5 srclen, src, fill, dstlen, dst. */
export function movc(cpu: Cpu, five: boolean): number {
  const r = cpu.r
  let fill: number
  if (cpu.psl & PSL_FPD) {
    fill = resume(cpu)
    r[2] = (r[2] as number) & LENGTH
    if ((r[4] as number) > 0) r[4] = (r[4] as number) & LENGTH
  } else {
    const src = (cpu.addr[1] as number) >>> 0
    let length: number
    let dst: number
    let cc: number
    let remaining: number
    if (five) {
      const srcLength = cpu.val[0] as number
      const dstLength = cpu.val[3] as number
      fill = cpu.val[2] as number
      dst = (cpu.addr[4] as number) >>> 0
      length = Math.min(srcLength, dstLength)
      remaining = dstLength - srcLength
      cc = compare(srcLength, dstLength, 1)
    } else {
      length = cpu.val[0] as number
      dst = (cpu.addr[2] as number) >>> 0
      fill = 0
      remaining = 0
      cc = Z
    }
    const fillLength = Math.max(remaining, 0)
    if (direct(cpu, src, length) && direct(cpu, dst, length + fillLength)) {
      const bytes = cpu.memory.bytes
      bytes.copyWithin(dst, src, src + length)
      if (fillLength > 0) bytes.fill(fill, dst + length, dst + length + fillLength)
      r[0] = -Math.min(remaining, 0)
      r[1] = (src + length) | 0
      r[2] = 0
      r[3] = (dst + length + fillLength) | 0
      r[4] = 0
      r[5] = 0
      return cc
    }
    r[0] = pack(cpu, fill, length)
    r[1] = src | 0
    r[2] = length
    r[3] = dst | 0
    r[4] = remaining
    let state = FILL
    if (length !== 0) {
      if (src < dst) {
        r[1] = (src + length) | 0
        r[3] = (dst + length) | 0
        state = BACKWARD
      } else state = FORWARD
    }
    r[5] = state | (cc << 2)
    cpu.psl |= PSL_FPD
  }
  const state = (r[5] as number) & 3
  if (state === FORWARD) {
    while ((r[2] as number) > 0) {
      cpu.write8(r[3] as number, cpu.read8(r[1] as number))
      r[1] = (r[1] as number) + 1
      r[3] = (r[3] as number) + 1
      r[2] = (r[2] as number) - 1
    }
  } else if (state === BACKWARD) {
    while ((r[2] as number) > 0) {
      cpu.write8((r[3] as number) - 1, cpu.read8((r[1] as number) - 1))
      r[1] = (r[1] as number) - 1
      r[3] = (r[3] as number) - 1
      r[2] = (r[2] as number) - 1
    }
    const moved = (r[0] as number) & LENGTH
    r[1] = (r[1] as number) + moved
    r[3] = (r[3] as number) + moved
  } else if (state !== FILL) {
    cpu.reservedOperand()
  }
  if ((r[4] as number) > 0) {
    r[5] = (r[5] as number) | FILL
    while ((r[4] as number) > 0) {
      cpu.write8(r[3] as number, fill)
      r[3] = (r[3] as number) + 1
      r[4] = (r[4] as number) - 1
    }
  }
  cpu.psl &= ~PSL_FPD
  const cc = ((r[5] as number) >> 2) & 0xf
  r[0] = -(r[4] as number) | 0
  r[2] = 0
  r[4] = 0
  r[5] = 0
  return cc
}

/** CMPC3 len, src1, src2 and CMPC5 src1len, src1, fill, src2len, src2. */
export function cmpc(cpu: Cpu, five: boolean): number {
  const r = cpu.r
  let fill: number
  if (cpu.psl & PSL_FPD) {
    fill = resume(cpu)
  } else {
    r[1] = cpu.addr[1] as number
    if (five) {
      r[2] = cpu.val[3] as number
      r[3] = cpu.addr[4] as number
      fill = cpu.val[2] as number
    } else {
      r[2] = cpu.val[0] as number
      r[3] = cpu.addr[2] as number
      fill = 0
    }
    r[0] = pack(cpu, fill, cpu.val[0] as number)
    cpu.psl |= PSL_FPD
  }
  r[2] = (r[2] as number) & LENGTH
  let s1 = 0
  let s2 = 0
  while ((((r[0] as number) | (r[2] as number)) & LENGTH) !== 0) {
    const left1 = (r[0] as number) & LENGTH
    s1 = left1 ? cpu.read8(r[1] as number) : fill
    s2 = r[2] ? cpu.read8(r[3] as number) : fill
    if (s1 !== s2) break
    if (left1) {
      r[0] = ((r[0] as number) & ~LENGTH) | ((left1 - 1) & LENGTH)
      r[1] = (r[1] as number) + 1
    }
    if (r[2]) {
      r[2] = (r[2] as number) - 1
      r[3] = (r[3] as number) + 1
    }
  }
  cpu.psl &= ~PSL_FPD
  r[0] = (r[0] as number) & LENGTH
  return compare(s1, s2, 0)
}

/** LOCC char, len, addr (skip = false) and SKPC (skip = true). */
export function locateCharacter(cpu: Cpu, skip: boolean): number {
  const r = cpu.r
  let match: number
  if (cpu.psl & PSL_FPD) {
    match = resume(cpu)
  } else {
    match = cpu.val[0] as number
    r[0] = pack(cpu, match, cpu.val[1] as number)
    r[1] = cpu.addr[2] as number
    cpu.psl |= PSL_FPD
  }
  while (((r[0] as number) & LENGTH) !== 0) {
    const c = cpu.read8(r[1] as number)
    if ((c === match) !== skip) break
    r[0] = ((r[0] as number) & ~LENGTH) | ((((r[0] as number) & LENGTH) - 1) & LENGTH)
    r[1] = (r[1] as number) + 1
  }
  cpu.psl &= ~PSL_FPD
  r[0] = (r[0] as number) & LENGTH
  return r[0] ? 0 : Z
}

/** SCANC len, addr, tbladdr, mask (span = false) and SPANC (span = true). */
export function scanCharacters(cpu: Cpu, span: boolean): number {
  const r = cpu.r
  let mask: number
  if (cpu.psl & PSL_FPD) {
    mask = resume(cpu)
  } else {
    r[1] = cpu.addr[1] as number
    r[3] = cpu.addr[2] as number
    mask = cpu.val[3] as number
    r[0] = pack(cpu, mask, cpu.val[0] as number)
    cpu.psl |= PSL_FPD
  }
  while (((r[0] as number) & LENGTH) !== 0) {
    const c = cpu.read8(r[1] as number)
    const t = cpu.read8(((r[3] as number) + c) | 0)
    if (((t & mask) !== 0) !== span) break
    r[0] = ((r[0] as number) & ~LENGTH) | ((((r[0] as number) & LENGTH) - 1) & LENGTH)
    r[1] = (r[1] as number) + 1
  }
  cpu.psl &= ~PSL_FPD
  r[0] = (r[0] as number) & LENGTH
  r[2] = 0
  return r[0] ? 0 : Z
}
