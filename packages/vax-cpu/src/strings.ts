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

/** Bytes from `va` to the end of its page. */
function pageRemainder(va: number): number {
  return 0x200 - (va & 0x1ff)
}

/**
 * How many bytes from src and dst (at most `length`) to copy in one piece: as far as
 * both ends stay in runs of consecutive physical addresses (see PhysicalRuns).
 */
function forwardRun(cpu: Cpu, src: number, dst: number, length: number): number {
  const runs = cpu.runs
  const n = runs.after(src, length, false)
  run.from = runs.pa
  const m = runs.after(dst, n, true)
  run.to = runs.pa
  return m
}

/** The same for a backward copy that ends (exclusive) at srcEnd and dstEnd. */
function backwardRun(cpu: Cpu, srcEnd: number, dstEnd: number, length: number): number {
  const runs = cpu.runs
  const n = runs.before(srcEnd, length, false)
  const from = runs.pa
  const m = runs.before(dstEnd, n, true)
  run.from = from - m
  run.to = runs.pa - m
  return m
}

/** The physical starts of the last run found by forwardRun or backwardRun. */
const run = { from: 0, to: 0 }

/** Moves a run found by forwardRun/backwardRun: in RAM, one copyWithin; else byte by byte. */
function copyRun(cpu: Cpu, src: number, dst: number, n: number): void {
  const bytes = cpu.memory.bytes
  if (run.from + n <= bytes.length && run.to + n <= bytes.length)
    bytes.copyWithin(run.to, run.from, run.from + n)
  else copyChunk(cpu, src, dst, n)
}

/** forwardRun or backwardRun, 0 when the first page faults (the stepwise path then finds the fault). */
function findRun(cpu: Cpu, forward: boolean, src: number, dst: number, length: number): number {
  try {
    return forward ? forwardRun(cpu, src, dst, length) : backwardRun(cpu, src, dst, length)
  } catch {
    return 0
  }
}

/**
 * Copies n bytes that are contiguous at each end (see forwardRun): both pages are translated (and
 * checked) first, then the bytes move in one piece when both are RAM.
 */
function copyChunk(cpu: Cpu, src: number, dst: number, n: number): void {
  const from = cpu.toPhysical(src, false)
  const to = cpu.toPhysical(dst, true)
  const bytes = cpu.memory.bytes
  if (from + n <= bytes.length && to + n <= bytes.length) {
    bytes.copyWithin(to, from, from + n)
    return
  }
  const temp = Array.from({ length: n }, (_, i) => cpu.read8(src + i))
  for (const [i, b] of temp.entries()) cpu.write8(dst + i, b)
}

function fillChunk(cpu: Cpu, dst: number, n: number, fill: number): void {
  const to = cpu.toPhysical(dst, true)
  const bytes = cpu.memory.bytes
  if (to + n <= bytes.length) bytes.fill(fill, to, to + n)
  else for (let i = 0; i < n; i++) cpu.write8(dst + i, fill)
}

/** Runs a translation probe; 0 when it faults (the stepwise path then finds the fault). */
function tryRun(probe: () => number): number {
  try {
    return probe()
  } catch {
    return 0
  }
}

/**
 * The reference access pattern, used when a page in the way is not accessible so that
 * the fault is taken at the same access, with the same registers, as SIMH: bytes up
 * to a longword-aligned destination, then longwords, then the last bytes; forward, or
 * backward from the ends.
 */
function moveStepwise(cpu: Cpu, forward: boolean): void {
  const r = cpu.r
  const remaining = r[2] as number
  const head = Math.min(forward ? (4 - (r[3] as number)) & 3 : (r[3] as number) & 3, remaining)
  const longs = (remaining - head) & ~3
  const pieces = [
    [head, 1],
    [longs, 4],
    [remaining - head - longs, 1],
  ] as const
  for (const [count, size] of pieces) {
    for (let done = 0; done < count; done += size) {
      if (forward) {
        const v = size === 4 ? cpu.read32(r[1] as number) : cpu.read8(r[1] as number)
        if (size === 4) cpu.write32(r[3] as number, v)
        else cpu.write8(r[3] as number, v)
        r[1] = (r[1] as number) + size
        r[3] = (r[3] as number) + size
      } else {
        const from = (r[1] as number) - size
        const to = (r[3] as number) - size
        const v = size === 4 ? cpu.read32(from) : cpu.read8(from)
        if (size === 4) cpu.write32(to, v)
        else cpu.write8(to, v)
        r[1] = from
        r[3] = to
      }
      r[2] = (r[2] as number) - size
    }
  }
}

function fillStepwise(cpu: Cpu, fill: number): void {
  const r = cpu.r
  const remaining = r[4] as number
  const head = Math.min((4 - (r[3] as number)) & 3, remaining)
  const longs = (remaining - head) & ~3
  const word = (fill & 0xff) * 0x01010101
  for (const [count, size] of [
    [head, 1],
    [longs, 4],
    [remaining - head - longs, 1],
  ] as const) {
    for (let done = 0; done < count; done += size) {
      if (size === 4) cpu.write32(r[3] as number, word | 0)
      else cpu.write8(r[3] as number, fill)
      r[3] = (r[3] as number) + size
      r[4] = (r[4] as number) - size
    }
  }
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
      const n = findRun(cpu, true, r[1] as number, r[3] as number, r[2] as number)
      if (n === 0) {
        moveStepwise(cpu, true)
        break
      }
      copyRun(cpu, r[1] as number, r[3] as number, n)
      r[1] = (r[1] as number) + n
      r[3] = (r[3] as number) + n
      r[2] = (r[2] as number) - n
    }
  } else if (state === BACKWARD) {
    while ((r[2] as number) > 0) {
      const n = findRun(cpu, false, r[1] as number, r[3] as number, r[2] as number)
      if (n === 0) {
        moveStepwise(cpu, false)
        break
      }
      copyRun(cpu, (r[1] as number) - n, (r[3] as number) - n, n)
      r[1] = (r[1] as number) - n
      r[3] = (r[3] as number) - n
      r[2] = (r[2] as number) - n
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
      const n = Math.min(r[4] as number, pageRemainder(r[3] as number))
      const reachable = tryRun(() => {
        cpu.toPhysical(r[3] as number, true)
        return n
      })
      if (reachable === 0) {
        fillStepwise(cpu, fill)
        break
      }
      fillChunk(cpu, r[3] as number, n, fill)
      r[3] = (r[3] as number) + n
      r[4] = (r[4] as number) - n
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
  const bytes = cpu.memory.bytes
  while ((((r[0] as number) | (r[2] as number)) & LENGTH) !== 0) {
    const left1 = (r[0] as number) & LENGTH
    const left2 = r[2] as number
    if (left1 !== 0 && left2 !== 0) {
      // Both strings have bytes left: compare a piece of both in place (see LOCC).
      const a = r[1] as number
      const b = r[3] as number
      const n = Math.min(left1, left2, pageRemainder(a >>> 0), pageRemainder(b >>> 0))
      const pa = cpu.span(a, n, false)
      const pb = pa >= 0 ? cpu.span(b, n, false) : -1
      if (pb >= 0) {
        let k = 0
        while (k < n && bytes[pa + k] === bytes[pb + k]) k++
        const last = k < n ? k : k - 1
        s1 = bytes[pa + last] as number
        s2 = bytes[pb + last] as number
        r[0] = ((r[0] as number) & ~LENGTH) | ((left1 - k) & LENGTH)
        r[1] = (a + k) | 0
        r[2] = left2 - k
        r[3] = (b + k) | 0
        if (k < n) break
        continue
      }
    }
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
  // A page at a time, in the byte array when the page is RAM; the registers are
  // committed after each piece, so a fault on the next page finds them as a byte-by-byte
  // loop would have left them.
  const bytes = cpu.memory.bytes
  while (((r[0] as number) & LENGTH) !== 0) {
    const left = (r[0] as number) & LENGTH
    const va = r[1] as number
    const n = Math.min(left, pageRemainder(va >>> 0))
    const pa = cpu.span(va, n, false)
    let k = 0
    if (pa >= 0) {
      if (skip) while (k < n && bytes[pa + k] === match) k++
      else while (k < n && bytes[pa + k] !== match) k++
    } else {
      while (k < n && (cpu.read8(va + k) === match) === skip) k++
    }
    r[0] = ((r[0] as number) & ~LENGTH) | ((left - k) & LENGTH)
    r[1] = (va + k) | 0
    if (k < n) break
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

/**
 * MOVTC srclen, srcaddr, fill, tbladdr, dstlen, dstaddr: moves source bytes translated
 * through the 256-byte table, then fills. N Z C compare srclen with dstlen.
 * Final registers: R0 source bytes not moved, R1 past the last byte moved, R2 0,
 * R3 table, R4 0, R5 past the destination.
 */
export function movtc(cpu: Cpu): number {
  const r = cpu.r
  let fill: number
  let cc: number
  if (cpu.psl & PSL_FPD) {
    fill = resume(cpu)
    cc = ((r[4] as number) >>> 16) & 0xf
  } else {
    const srcLength = cpu.val[0] as number
    const dstLength = cpu.val[4] as number
    cc = compare(srcLength, dstLength, 1)
    fill = cpu.val[2] as number
    r[0] = pack(cpu, fill, srcLength)
    r[1] = cpu.addr[1] as number
    r[3] = cpu.addr[3] as number
    r[4] = dstLength | (cc << 16)
    r[5] = cpu.addr[5] as number
    r[2] = Math.min(srcLength, dstLength)
    cpu.psl |= PSL_FPD
  }
  if (r[2]) {
    const moved = Math.min((r[0] as number) & LENGTH, (r[4] as number) & LENGTH)
    const table = r[3] as number
    if ((r[1] as number) >>> 0 < (r[5] as number) >>> 0) {
      // Overlapping with the destination above the source: translate from the end.
      while (r[2]) {
        const n: number = (r[2] as number) - 1
        const c = cpu.read8(((r[1] as number) + n) | 0)
        cpu.write8(((r[5] as number) + n) | 0, cpu.read8((table + c) | 0))
        r[2] = n
      }
      r[1] = ((r[1] as number) + moved) | 0
      r[5] = ((r[5] as number) + moved) | 0
    } else {
      while (r[2]) {
        const c = cpu.read8(r[1] as number)
        cpu.write8(r[5] as number, cpu.read8((table + c) | 0))
        r[1] = ((r[1] as number) + 1) | 0
        r[5] = ((r[5] as number) + 1) | 0
        r[2] = (r[2] as number) - 1
      }
    }
    r[0] = ((r[0] as number) & ~LENGTH) | (((r[0] as number) - moved) & LENGTH)
    r[4] = ((r[4] as number) & ~LENGTH) | (((r[4] as number) - moved) & LENGTH)
  }
  while ((r[4] as number) & LENGTH) {
    cpu.write8(r[5] as number, fill)
    r[4] = ((r[4] as number) & ~LENGTH) | (((r[4] as number) - 1) & LENGTH)
    r[5] = ((r[5] as number) + 1) | 0
  }
  r[0] = (r[0] as number) & LENGTH
  r[4] = 0
  cpu.psl &= ~PSL_FPD
  return cc
}

/**
 * MOVTUC srclen, srcaddr, esc, tbladdr, dstlen, dstaddr: translates until either
 * string ends or a translated byte equals the escapeChar character (V set).
 */
export function movtuc(cpu: Cpu): number {
  const r = cpu.r
  let escapeChar: number
  let cc: number
  if (cpu.psl & PSL_FPD) {
    escapeChar = resume(cpu)
    r[4] = (r[4] as number) & LENGTH
    cc = (r[2] as number) & 0xf
  } else {
    cc = compare(cpu.val[0] as number, cpu.val[4] as number, 1)
    escapeChar = cpu.val[2] as number
    r[0] = pack(cpu, escapeChar, cpu.val[0] as number)
    r[1] = cpu.addr[1] as number
    r[3] = cpu.addr[3] as number
    r[4] = cpu.val[4] as number
    r[5] = cpu.addr[5] as number
    r[2] = cc
    cpu.psl |= PSL_FPD
  }
  while ((r[0] as number) & LENGTH && r[4]) {
    const c = cpu.read8(((r[3] as number) + cpu.read8(r[1] as number)) | 0)
    if (c === escapeChar) {
      cc |= 2
      break
    }
    cpu.write8(r[5] as number, c)
    r[0] = ((r[0] as number) & ~LENGTH) | (((r[0] as number) - 1) & LENGTH)
    r[1] = ((r[1] as number) + 1) | 0
    r[4] = ((r[4] as number) - 1) & LENGTH
    r[5] = ((r[5] as number) + 1) | 0
  }
  r[0] = (r[0] as number) & LENGTH
  r[2] = 0
  cpu.psl &= ~PSL_FPD
  return cc
}

/**
 * MATCHC objlen, objaddr, srclen, srcaddr: finds the first occurrence of the object
 * string in the source. On a match R0 = 0, R1 past the object, R2 source bytes left
 * after the match, R3 past the match; otherwise R0 = objlen, R2 = 0, R3 past the source.
 */
export function matchc(cpu: Cpu): number {
  const r = cpu.r
  if (cpu.psl & PSL_FPD) {
    resume(cpu)
    r[2] = (r[2] as number) & LENGTH
  } else {
    r[0] = pack(cpu, 0, cpu.val[0] as number)
    r[1] = cpu.addr[1] as number
    r[2] = cpu.val[2] as number
    r[3] = cpu.addr[3] as number
    cpu.psl |= PSL_FPD
  }
  let match = false
  while ((r[2] as number) >= ((r[0] as number) & LENGTH)) {
    const length = (r[0] as number) & LENGTH
    match = true
    for (let i = 0; match && i < length; i++) {
      match = cpu.read8(((r[1] as number) + i) | 0) === cpu.read8(((r[3] as number) + i) | 0)
    }
    if (match) break
    r[2] = ((r[2] as number) - 1) & LENGTH
    r[3] = ((r[3] as number) + 1) | 0
  }
  r[0] = (r[0] as number) & LENGTH
  if (match) {
    r[1] = ((r[1] as number) + (r[0] as number)) | 0
    r[2] = ((r[2] as number) - (r[0] as number)) & LENGTH
    r[3] = ((r[3] as number) + (r[0] as number)) | 0
    r[0] = 0
  } else {
    r[3] = ((r[3] as number) + (r[2] as number)) | 0
    r[2] = 0
  }
  cpu.psl &= ~PSL_FPD
  return r[0] === 0 ? Z : 0
}

/**
 * CRC tbl, inicrc, strlen, stream: the CRC of the string, four bits at a time through
 * the 16-longword table (crc = (crc >>> 4) XOR tbl[crc & 15], twice per byte).
 */
export function crc(cpu: Cpu): number {
  const r = cpu.r
  if (cpu.psl & PSL_FPD) {
    const r2 = r[2] as number
    cpu.pc = (cpu.faultPc + (r2 >>> 24)) >>> 0
  } else {
    r[2] = pack(cpu, 0, cpu.val[2] as number)
    r[0] = cpu.val[1] as number
    r[1] = cpu.addr[0] as number
    r[3] = cpu.addr[3] as number
    cpu.psl |= PSL_FPD
  }
  const table = r[1] as number
  while (((r[2] as number) & LENGTH) !== 0) {
    let value = (r[0] as number) ^ cpu.read8(r[3] as number)
    value = (value >>> 4) ^ cpu.read32((table + (value & 15) * 4) | 0)
    value = (value >>> 4) ^ cpu.read32((table + (value & 15) * 4) | 0)
    r[0] = value
    r[3] = ((r[3] as number) + 1) | 0
    r[2] = (r[2] as number) - 1
  }
  r[1] = 0
  r[2] = 0
  cpu.psl &= ~PSL_FPD
  const v = r[0] as number
  return (v < 0 ? 8 : 0) | (v === 0 ? Z : 0)
}
