import type { Cpu } from './cpu'

/**
 * Variable-length bit fields (SRM "Variable-length bit field instructions").
 *
 * A field is `size` bits (0..32) at bit `pos` of its base. With a register base the
 * field lies in Rn (and Rn+1 when it crosses bit 31), and pos must be 0..31; with a
 * memory base, pos is a signed bit offset from the base byte.
 */

/** The value of field operand `i` (base) with `pos` and `size`, zero-extended. */
export function extractField(cpu: Cpu, pos: number, size: number, i: number): number {
  if (size === 0) return 0
  if (size > 32) cpu.reservedOperand()
  const rn = cpu.reg[i] as number
  let low: number
  let high: number
  let shift: number
  if (rn >= 0) {
    if (pos >>> 0 > 31) cpu.reservedOperand()
    if (pos + size > 32 && rn >= 14) cpu.reservedAddressingMode()
    low = cpu.r[rn] as number
    high = cpu.r[(rn + 1) & 15] as number
    shift = pos
  } else {
    const byteAddress = ((cpu.addr[i] as number) + (pos >> 3)) >>> 0
    shift = (pos & 7) | ((byteAddress & 3) << 3)
    const aligned = byteAddress & ~3
    low = cpu.read32(aligned)
    high = size + shift > 32 ? cpu.read32(aligned + 4) : 0
  }
  let field = shift === 0 ? low >>> 0 : ((low >>> shift) | (high << (32 - shift))) >>> 0
  if (size < 32) field &= (1 << size) - 1
  return field >>> 0
}

/** Sign-extends a `size`-bit field. */
export function signExtendField(field: number, size: number): number {
  if (size === 0) return 0
  if (size >= 32) return field | 0
  return (field << (32 - size)) >> (32 - size)
}

/** INSV: stores the low `size` bits of `value` into field operand `i`. */
export function insertField(cpu: Cpu, value: number, pos: number, size: number, i: number): void {
  if (size === 0) return
  if (size > 32) cpu.reservedOperand()
  const rn = cpu.reg[i] as number
  const mask = size === 32 ? 0xffffffff : (1 << size) - 1
  if (rn >= 0) {
    if (pos >>> 0 > 31) cpu.reservedOperand()
    if (pos + size > 32) {
      if (rn >= 14) cpu.reservedAddressingMode()
      const spill = (1 << (pos + size - 32)) - 1
      const next = (rn + 1) & 15
      cpu.r[next] = ((cpu.r[next] as number) & ~spill) | ((value >>> (32 - pos)) & spill)
    }
    cpu.r[rn] = ((cpu.r[rn] as number) & ~(mask << pos)) | ((value << pos) & (mask << pos))
    return
  }
  const byteAddress = ((cpu.addr[i] as number) + (pos >> 3)) >>> 0
  const shift = (pos & 7) | ((byteAddress & 3) << 3)
  const aligned = byteAddress & ~3
  const low = cpu.readModify32(aligned)
  if (size + shift > 32) {
    const high = cpu.readModify32(aligned + 4)
    const spill = (1 << (shift + size - 32)) - 1
    cpu.write32(aligned + 4, (high & ~spill) | ((value >>> (32 - shift)) & spill))
  }
  cpu.write32(aligned, (low & ~(mask << shift)) | ((value << shift) & (mask << shift)))
}

/** Bit `pos` of base operand `i` for BBx (register: pos 0..31). */
export function testBit(cpu: Cpu, pos: number, i: number): number {
  const rn = cpu.reg[i] as number
  if (rn >= 0) {
    if (pos >>> 0 > 31) cpu.reservedOperand()
    return ((cpu.r[rn] as number) >>> pos) & 1
  }
  const address = ((cpu.addr[i] as number) + (pos >> 3)) >>> 0
  return (cpu.read8(address) >> (pos & 7)) & 1
}

/** BBSS/BBCS/BBSC/BBCC/BBSSI/BBCCI: returns the old bit and sets it to `newBit`. */
export function testAndChangeBit(cpu: Cpu, pos: number, i: number, newBit: number): number {
  const rn = cpu.reg[i] as number
  if (rn >= 0) {
    if (pos >>> 0 > 31) cpu.reservedOperand()
    const old = ((cpu.r[rn] as number) >>> pos) & 1
    cpu.r[rn] = newBit ? (cpu.r[rn] as number) | (1 << pos) : (cpu.r[rn] as number) & ~(1 << pos)
    return old
  }
  const address = ((cpu.addr[i] as number) + (pos >> 3)) >>> 0
  const bit = pos & 7
  const byte = cpu.readModify8(address)
  cpu.write8(address, newBit ? byte | (1 << bit) : byte & ~(1 << bit))
  return (byte >> bit) & 1
}

/** Index of the lowest set bit of a `size`-bit field, or `size` if none. */
export function findFirstSet(field: number, size: number): number {
  if (field === 0) return size
  return 31 - Math.clz32(field & -field)
}
