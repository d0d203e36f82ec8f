import type { Cpu } from './cpu'
import { PSL_DV, PSL_FU, PSL_IV, PSL_T } from './psl'

/**
 * Procedure calls (SRM "Procedure call instructions"; book ch. 4 for the frame).
 *
 * CALLG/CALLS build this frame, FP pointing at the condition handler longword:
 *
 *   FP+0   condition handler (0)
 *   FP+4   SPA<31:30> S<29> 0<28> mask<27:16> PSW<15:5> 0<4:0>
 *   FP+8   saved AP
 *   FP+12  saved FP
 *   FP+16  saved PC
 *   FP+20  saved registers, R0 first, as the entry mask selects
 *          0-3 bytes of alignment, then for CALLS the argument count
 */

const ENTRY_DV = 0x8000
const ENTRY_IV = 0x4000
const ENTRY_MBZ = 0x3000

/** CALLG (calls = false, argument list address) or CALLS (calls = true, argument count). */
export function call(cpu: Cpu, argument: number, procedure: number, calls: boolean): void {
  callWithMask(cpu, argument, procedure, calls, cpu.read16(procedure))
}

/**
 * CALLG/CALLS once the entry mask, the word at `procedure`, has been read: by `call`, or
 * by the translator when the procedure lies in the page of the block that calls it (it
 * then checks the word is unchanged, as it checks its own code).
 */
export function callWithMask(
  cpu: Cpu,
  argument: number,
  procedure: number,
  calls: boolean,
  mask: number,
): void {
  if (mask & ENTRY_MBZ) cpu.reservedOperand()
  const r = cpu.r
  // Nothing changes until every write is done, so a fault leaves SP as it was; the
  // lowest byte of the new frame is checked for write access first.
  let sp = r[14] as number
  const frameBytes = countBits(mask & 0xfff) * 4 + (calls ? 24 : 20)
  if ((sp & 3) === 0) {
    // An aligned frame in one page: checked for writing at its lowest byte (as below)
    // and written in place, as the writes below would write it.
    const pa = cpu.span(sp - frameBytes, frameBytes, true)
    if (pa >= 0) {
      callInPlace(cpu, argument, procedure, calls, mask, pa + frameBytes)
      return
    }
  }
  cpu.readModify8(sp - frameBytes)
  if (calls) {
    sp = (sp - 4) | 0
    cpu.write32(sp, argument)
  }
  const spa = sp & 3
  let tsp = sp & ~3
  for (let n = 11; n >= 0; n--) {
    if ((mask >> n) & 1) {
      tsp -= 4
      cpu.write32(tsp, r[n] as number)
    }
  }
  cpu.write32(tsp - 4, cpu.pc)
  cpu.write32(tsp - 8, r[13] as number)
  cpu.write32(tsp - 12, r[12] as number)
  const savedPsw =
    (spa << 30) | ((calls ? 1 : 0) << 29) | ((mask & 0xfff) << 16) | ((cpu.psl | cpu.cc) & 0xffe0)
  cpu.write32(tsp - 16, savedPsw)
  cpu.write32(tsp - 20, 0)
  enterProcedure(cpu, calls ? sp : argument, tsp - 20, mask, procedure)
}

/** CALLG/CALLS with SP longword aligned and the frame at physical [.., end) in RAM. */
function callInPlace(
  cpu: Cpu,
  argument: number,
  procedure: number,
  calls: boolean,
  mask: number,
  end: number,
): void {
  const r = cpu.r
  const view = cpu.memory.view
  const sp0 = r[14] as number
  let sp = sp0
  let at = end
  if (calls) {
    sp = (sp - 4) | 0
    at -= 4
    view.setInt32(at, argument, true)
  }
  // The saved registers, highest first (one pass per bit set).
  for (let m = mask & 0xfff; m !== 0; ) {
    const n = 31 - Math.clz32(m)
    m ^= 1 << n
    at -= 4
    view.setInt32(at, r[n] as number, true)
  }
  const savedPsw = ((calls ? 1 : 0) << 29) | ((mask & 0xfff) << 16) | ((cpu.psl | cpu.cc) & 0xffe0)
  view.setInt32(at - 4, cpu.pc, true)
  view.setInt32(at - 8, r[13] as number, true)
  view.setInt32(at - 12, r[12] as number, true)
  view.setInt32(at - 16, savedPsw, true)
  view.setInt32(at - 20, 0, true)
  enterProcedure(cpu, calls ? sp : argument, (sp0 - (end - at) - 20) | 0, mask, procedure)
}

/**
 * The end of CALLG/CALLS, the frame written: AP, and FP = SP at the new frame; DV and IV
 * from the entry mask, FU clear, the codes clear; PC past the mask.
 */
function enterProcedure(cpu: Cpu, ap: number, fp: number, mask: number, procedure: number): void {
  const r = cpu.r
  r[12] = ap
  r[13] = fp
  r[14] = fp
  cpu.psl =
    (cpu.psl & ~(PSL_DV | PSL_FU | PSL_IV)) |
    (mask & ENTRY_DV ? PSL_DV : 0) |
    (mask & ENTRY_IV ? PSL_IV : 0)
  cpu.cc = 0
  cpu.pc = (procedure + 2) >>> 0
}

/** RET: unwinds the frame at FP, restoring registers, PSW and (for CALLS) the arguments. */
export function ret(cpu: Cpu): void {
  const r = cpu.r
  let tsp = r[13] as number
  // A frame whose longwords RET reads (up to the saved registers, or to the argument
  // count after a CALLS) lie in one page is read in place; the page is the one the first
  // read, of FP+4, checks.
  const pa = cpu.span(tsp, 8, false)
  if (pa >= 0) {
    const saved = cpu.memory.view.getInt32(pa + 4, true)
    if (saved & 0xff00) cpu.reservedOperand()
    const length =
      20 +
      4 * countBits((saved >>> 16) & 0xfff) +
      (saved & (1 << 29) ? ((saved >>> 30) & 3) + 4 : 0)
    const onePage = !cpu.mapen || tsp >>> 9 === (tsp + length - 1) >>> 9
    if (onePage && pa + length <= cpu.memory.bytes.length) {
      retInPlace(cpu, saved, pa)
      return
    }
  }
  const saved = cpu.read32(tsp + 4)
  if (saved & 0xff00) cpu.reservedOperand()
  const ap = cpu.read32(tsp + 8)
  const fp = cpu.read32(tsp + 12)
  const pc = cpu.read32(tsp + 16)
  tsp += 20
  const restored = scratch
  for (let n = 0; n <= 11; n++) {
    if ((saved >>> (16 + n)) & 1) {
      restored[n] = cpu.read32(tsp)
      tsp += 4
    }
  }
  tsp += (saved >>> 30) & 3
  if (saved & (1 << 29)) {
    const count = cpu.read32(tsp)
    tsp += 4 + ((count & 0xff) << 2)
  }
  // Every read is done: now change state.
  for (let n = 0; n <= 11; n++) if ((saved >>> (16 + n)) & 1) r[n] = restored[n] as number
  r[12] = ap
  r[13] = fp
  r[14] = tsp
  const psw = PSL_DV | PSL_FU | PSL_IV | PSL_T
  cpu.psl = (cpu.psl & ~psw) | (saved & psw)
  cpu.cc = saved & 0xf
  cpu.pc = pc >>> 0
}

/** Registers read by RET and POPR, held until every read has succeeded. */
const scratch = new Int32Array(16)

/** RET of the frame at FP, found at physical `pa` (see ret). */
function retInPlace(cpu: Cpu, saved: number, pa: number): void {
  const r = cpu.r
  const view = cpu.memory.view
  const fp0 = r[13] as number
  let at = pa + 20
  // The saved registers, lowest first (one pass per bit set); all read before any is
  // changed, as in ret.
  const mask = (saved >>> 16) & 0xfff
  const restored = scratch
  for (let m = mask; m !== 0; m &= m - 1) {
    restored[31 - Math.clz32(m & -m)] = view.getInt32(at, true)
    at += 4
  }
  at += (saved >>> 30) & 3
  if (saved & (1 << 29)) at += 4 + ((view.getInt32(at, true) & 0xff) << 2)
  for (let m = mask; m !== 0; m &= m - 1) {
    const n = 31 - Math.clz32(m & -m)
    r[n] = restored[n] as number
  }
  r[12] = view.getInt32(pa + 8, true)
  const pc = view.getInt32(pa + 16, true)
  r[13] = view.getInt32(pa + 12, true)
  r[14] = (fp0 + (at - pa)) | 0
  const psw = PSL_DV | PSL_FU | PSL_IV | PSL_T
  cpu.psl = (cpu.psl & ~psw) | (saved & psw)
  cpu.cc = saved & 0xf
  cpu.pc = pc >>> 0
}

function countBits(v: number): number {
  let n = 0
  for (let x = v; x; x &= x - 1) n++
  return n
}

/** PUSHR: pushes R14 down to R0 as the mask selects (bit 15, PC, is ignored). */
export function pushRegisters(cpu: Cpu, mask: number): void {
  const r = cpu.r
  let sp = r[14] as number
  if (mask === 0) return
  const bytes = countBits(mask) * 4
  // In one page: checked at its lowest byte (as below) and written in place.
  const pa = cpu.span(sp - bytes, bytes, true)
  if (pa >= 0) {
    const view = cpu.memory.view
    let at = pa + bytes
    for (let n = 14; n >= 0; n--) {
      if ((mask >> n) & 1) {
        at -= 4
        view.setInt32(at, r[n] as number, true)
      }
    }
    r[14] = sp - bytes
    return
  }
  cpu.readModify8(sp - bytes)
  const old = sp
  for (let n = 14; n >= 0; n--) {
    if ((mask >> n) & 1) {
      sp -= 4
      cpu.write32(sp, n === 14 ? old : (r[n] as number))
    }
  }
  r[14] = sp
}

/** POPR: pops R0 up to R14 as the mask selects; a popped SP is loaded last. */
export function popRegisters(cpu: Cpu, mask: number): void {
  const r = cpu.r
  let sp = r[14] as number
  const values = scratch
  const count = countBits(mask)
  // In one page: the first read checks it; read in place.
  const pa = count === 0 ? -1 : cpu.span(sp, count * 4, false)
  if (pa >= 0) {
    const view = cpu.memory.view
    let at = pa
    for (let n = 0; n <= 14; n++) {
      if ((mask >> n) & 1) {
        values[n] = view.getInt32(at, true)
        at += 4
      }
    }
    for (let n = 0; n <= 13; n++) if ((mask >> n) & 1) r[n] = values[n] as number
    r[14] = mask & 0x4000 ? (values[14] as number) : sp + count * 4
    return
  }
  for (let n = 0; n <= 13; n++) {
    if ((mask >> n) & 1) {
      values[n] = cpu.read32(sp)
      sp += 4
    }
  }
  const newSp = mask & 0x4000 ? cpu.read32(sp) : sp
  for (let n = 0; n <= 13; n++) if ((mask >> n) & 1) r[n] = values[n] as number
  r[14] = newSp
}
