import type { Cpu } from './cpu'
import { PSL_DV, PSL_FU, PSL_IV, PSL_T } from './psl'
import type { Decoder } from './translate-operands'

/**
 * CALLS, CALLG and RET generated in line for the translator, when the entry mask is
 * known: the frame of calls.ts (FP+0 handler, +4 saved PSW, +8 AP, +12 FP, +16 PC, +20
 * the saved registers, lowest first, then for CALLS the argument count) written or read
 * with constant offsets. Only the common case is in line, as calls.ts's own fast paths
 * take it: SP longword aligned and the frame in one page of RAM (`span`); any other case
 * calls calls.ts, which does exactly what the interpreter does. `r` is cpu.r and `v` the
 * memory's DataView in the generated code; `c` the Cpu, `H` the helpers.
 */

const ENTRY_DV = 0x8000
const ENTRY_IV = 0x4000
/** The PSW bits RET restores besides the codes. */
const RESTORED = PSL_DV | PSL_FU | PSL_IV | PSL_T

/** The registers an entry mask saves, lowest first. */
function saved(mask: number): number[] {
  const out: number[] = []
  for (let n = 0; n < 12; n++) if ((mask >> n) & 1) out.push(n)
  return out
}

/**
 * CALLS (`calls`, argument = the count) or CALLG (argument = the list's address) of the
 * procedure at `procedure` whose entry mask is `mask` (its MBZ bits clear), returning to
 * `next`. `argument` is a JS expression evaluated once.
 */
export function callInLine(
  argument: string,
  procedure: number,
  calls: boolean,
  mask: number,
  next: number,
): string {
  const registers = saved(mask)
  const bytes = 20 + 4 * registers.length + (calls ? 4 : 0)
  const flags = (mask & ENTRY_DV ? PSL_DV : 0) | (mask & ENTRY_IV ? PSL_IV : 0)
  const savedPsw = ((calls ? 1 : 0) << 29) | ((mask & 0xfff) << 16)
  const out = [
    `const g = ${argument}; const s0 = r[14];`,
    `const p = (s0 & 3) === 0 ? c.span(s0 - ${bytes}, ${bytes}, true) : -1;`,
    `if (p < 0) { c.pc = ${next}; H.callWithMask(c, g, ${procedure}, ${calls}, ${mask}); } else {`,
  ]
  if (calls) out.push(`v.setInt32(p + ${bytes - 4}, g, true);`)
  for (const [k, n] of registers.entries())
    out.push(`v.setInt32(p + ${20 + 4 * k}, r[${n}], true);`)
  out.push(
    `v.setInt32(p + 16, ${next}, true); v.setInt32(p + 12, r[13], true); v.setInt32(p + 8, r[12], true);`,
    `v.setInt32(p + 4, ${savedPsw} | (c.psl & 0xffe0), true); v.setInt32(p, 0, true);`,
    `r[12] = ${calls ? '(s0 - 4) | 0' : 'g'}; const f = (s0 - ${bytes}) | 0; r[13] = f; r[14] = f;`,
    `c.psl = (c.psl & ${~(PSL_DV | PSL_FU | PSL_IV)}) | ${flags}; c.cc = 0; c.pc = ${(procedure + 2) >>> 0}; }`,
  )
  return out.join(' ')
}

/**
 * RET of a frame expected to be the one a CALLS (`calls`) or CALLG with entry mask
 * `mask` built, SP aligned: in line when its saved PSW says so (mask, S, no alignment,
 * the MBZ bits clear) and the longwords RET reads lie in one page of RAM; otherwise
 * calls.ts's RET.
 */
export function retInLine(mask: number, calls: boolean): string {
  const registers = saved(mask)
  const top = 20 + 4 * registers.length
  const bytes = top + (calls ? 4 : 0)
  const expected = ((calls ? 1 : 0) << 29) | ((mask & 0xfff) << 16)
  const out = [
    `const f0 = r[13]; const p = c.span(f0, ${bytes}, false);`,
    `const w = p < 0 ? -1 : v.getInt32(p + 4, true);`,
    `if ((w & 0xffffff00) !== ${expected}) H.ret(c); else {`,
  ]
  for (const [k, n] of registers.entries())
    out.push(`r[${n}] = v.getInt32(p + ${20 + 4 * k}, true);`)
  out.push(
    calls
      ? `r[14] = (f0 + ${top + 4} + ((v.getInt32(p + ${top}, true) & 0xff) << 2)) | 0;`
      : `r[14] = (f0 + ${top}) | 0;`,
    'r[12] = v.getInt32(p + 8, true); const q = v.getInt32(p + 16, true); r[13] = v.getInt32(p + 12, true);',
    `c.psl = (c.psl & ${~RESTORED}) | (w & ${RESTORED}); c.cc = w & 15; c.pc = q >>> 0; }`,
  )
  return out.join(' ')
}

/** A call frame the translator knows the shape of: its entry mask and whether CALLS built it. */
export interface Frame {
  readonly mask: number
  readonly calls: boolean
}

/**
 * The entry mask of a procedure at a known address in the block's page, read now (the
 * block checks the word is unchanged before it runs, as it checks its code), or -1.
 */
export function entryMask(d: Decoder, procedure: number): number {
  // The call just decoded lies in the block's page, which ends at d.end.
  if (procedure < 0 || procedure >>> 9 !== (d.va - 1) >>> 9) return -1
  const at = ((d.at - 1) & ~0x1ff) + (procedure & 0x1ff)
  if (at + 2 > d.end) return -1
  d.masks.push(at)
  return (d.bytes[at] as number) | ((d.bytes[at + 1] as number) << 8)
}

/**
 * The shape of the frame at `fp` (its saved PSW), when memory can be looked at without
 * translating (peekPhysical) and it is one RET's in-line form takes; else undefined. A
 * guess for the block's RET: the generated code checks the saved PSW before using it.
 */
export function frameAt(cpu: Cpu, fp: number): Frame | undefined {
  const pa = cpu.peekPhysical(fp)
  if (pa < 0 || (fp & 0x1ff) > 0x1f8 || pa + 8 > cpu.memory.bytes.length) return undefined
  const w = cpu.memory.view.getInt32(pa + 4, true)
  // Alignment bytes or MBZ bits: RET's full form.
  if ((w & 0xc000ff00) !== 0) return undefined
  return { mask: (w >>> 16) & 0xfff, calls: (w & (1 << 29)) !== 0 }
}
