import { C, N, V, Z } from './alu'
import type { Cpu } from './cpu'
import { PSL_FPD } from './psl'

/**
 * Packed decimal instructions as the VAX-11/780 executes them (SRM "Decimal string
 * instructions"): ADDP4/6, SUBP4/6, MULP, DIVP, CMPP3/4, MOVP, ASHP, CVTLP, CVTPL,
 * the numeric string conversions CVTPS, CVTSP, CVTPT and CVTTP, and EDITPC.
 * (A KA655 takes the emulated-instruction exception for all of them instead.)
 *
 * A packed string of `length` digits (0-31) occupies length/2 + 1 bytes: digits two to a
 * byte, most significant first, the last byte holding the least significant digit and
 * the sign (C, A, E, F positive; B, D negative). Results are written with the preferred
 * signs C and D. The strings are read from their last byte to their first, and a result
 * is written after probing its first and last bytes for write access, so that a fault
 * comes at the same access as on SIMH. Digits above 9 are not checked: the SRM leaves
 * the result of such a string unpredictable.
 *
 * Condition codes: N and Z from the result, V when its significant digits do not fit
 * the destination (then, with PSW<DV> set, the decimal overflow trap), C clear.
 */

/** Arithmetic trap codes (SRM): decimal overflow, and floating or decimal divide by zero. */
const DECIMAL_OVERFLOW_TRAP = 6
const DIVIDE_BY_ZERO_TRAP = 4
const PSW_DV = 0x80
const MAX_DIGITS = 31

interface Packed {
  readonly negative: boolean
  readonly magnitude: bigint
}

const TEN = 10n

/** Reserved operand for a string longer than 31 digits, or when PSL<FPD> is set. */
function checkLengths(cpu: Cpu, ...lengths: number[]): void {
  if (cpu.psl & PSL_FPD || lengths.some((length) => length > MAX_DIGITS)) cpu.reservedOperand()
}

/** Reads a packed decimal string, last byte first; -0 reads as +0. */
function readPacked(cpu: Cpu, length: number, address: number): Packed {
  const end = length >> 1
  let magnitude = 0n
  let scale = 1n
  let sign = 0
  for (let i = 0; i <= end; i++) {
    let byte = cpu.read8((address + end - i) >>> 0)
    if (i === 0) {
      sign = byte & 0xf
      byte &= 0xf0
    }
    if (i === end && (length & 1) === 0) byte &= 0x0f
    // Byte i holds digit 2i (the sign's place when i is 0) low and digit 2i + 1 high.
    if (i > 0) {
      magnitude += BigInt(byte & 0xf) * scale
      scale *= TEN
    }
    magnitude += BigInt(byte >> 4) * scale
    scale *= TEN
  }
  return { negative: magnitude !== 0n && (sign === 0xb || sign === 0xd), magnitude }
}

/**
 * Writes `value` as a string of `length` digits and returns N, Z and V. The stored sign
 * is negative for a negative nonzero result, or a negative result that overflowed to
 * zero; N only for a nonzero one.
 */
function writePacked(
  cpu: Cpu,
  length: number,
  address: number,
  value: Packed,
  overflow = false,
): number {
  const end = length >> 1
  cpu.toPhysical(address >>> 0, true)
  cpu.toPhysical((address + end) >>> 0, true)
  const limit = TEN ** BigInt(length)
  const v = overflow || value.magnitude >= limit
  let digits = value.magnitude % limit
  const zero = digits === 0n
  const negative = value.negative && (!zero || v)
  const nibbles: number[] = [negative ? 0xd : 0xc]
  for (let k = 0; k < 2 * end + 1; k++) {
    nibbles.push(Number(digits % TEN))
    digits /= TEN
  }
  for (let i = 0; i <= end; i++) {
    const byte = (nibbles[2 * i] as number) | ((nibbles[2 * i + 1] as number) << 4)
    cpu.write8((address + end - i) >>> 0, byte)
  }
  if (v && cpu.psl & PSW_DV) cpu.pendingTrap = DECIMAL_OVERFLOW_TRAP
  return (negative && !zero ? N : 0) | (zero ? Z : 0) | (v ? V : 0)
}

/** The signed sum of two packed values. */
function add(a: Packed, b: Packed): Packed {
  const sum = (a.negative ? -a.magnitude : a.magnitude) + (b.negative ? -b.magnitude : b.magnitude)
  return { negative: sum < 0n, magnitude: sum < 0n ? -sum : sum }
}

/** R0-R5 after a decimal instruction: 0 and the addresses of its strings (SRM). */
function setRegisters(cpu: Cpu, ...addresses: number[]): void {
  for (const [k, address] of addresses.entries()) {
    cpu.r[2 * k] = 0
    cpu.r[2 * k + 1] = address | 0
  }
}

const PLUS = 0x2b
const MINUS = 0x2d
const SPACE = 0x20
const ZERO = 0x30

/** Digit `i` of a magnitude, 1 being the least significant. */
function digit(magnitude: bigint, i: number): number {
  return Number((magnitude / TEN ** BigInt(i - 1)) % TEN)
}

/** N and Z of a packed value, and V (with the decimal overflow trap) if it has more than `room` digits. */
function conversionCc(cpu: Cpu, value: Packed, room: number): number {
  const significant = value.magnitude === 0n ? 0 : value.magnitude.toString().length
  const overflow = significant > room
  if (overflow && cpu.psl & PSW_DV) cpu.pendingTrap = DECIMAL_OVERFLOW_TRAP
  return (value.negative ? N : 0) | (value.magnitude === 0n ? Z : 0) | (overflow ? V : 0)
}

/**
 * The conversions between packed strings and numeric strings (SRM "Decimal string
 * instructions"): leading separate (a '+', '-' or blank sign character, then the digits)
 * and trailing (the digits, the last one carrying the sign, translated through a table).
 */
function convert(
  cpu: Cpu,
  opcode: number,
  length: (i: number) => number,
  address: (i: number) => number,
): void {
  switch (opcode) {
    case 0x09: {
      // CVTSP srclen, srcaddr, dstlen, dstaddr
      checkLengths(cpu, length(0), length(2))
      const sign = cpu.read8(address(1))
      if (sign !== PLUS && sign !== MINUS && sign !== SPACE) cpu.reservedOperand()
      let magnitude = 0n
      for (let i = 1; i <= length(0); i++) {
        const c = cpu.read8((address(1) + length(0) + 1 - i) >>> 0)
        if (c < ZERO || c > ZERO + 9) cpu.reservedOperand()
        magnitude += BigInt(c - ZERO) * TEN ** BigInt(i - 1)
      }
      const value = { negative: sign === MINUS && magnitude !== 0n, magnitude }
      cpu.cc = writePacked(cpu, length(2), address(3), value)
      setRegisters(cpu, address(1), address(3))
      return
    }
    case 0x08: {
      // CVTPS srclen, srcaddr, dstlen, dstaddr: the sign character, then the digits
      checkLengths(cpu, length(0), length(2))
      const value = readPacked(cpu, length(0), address(1))
      const dst = address(3)
      cpu.toPhysical(dst, true)
      cpu.toPhysical((dst + length(2)) >>> 0, true)
      cpu.write8(dst, value.negative ? MINUS : PLUS)
      for (let i = 1; i <= length(2); i++)
        cpu.write8((dst + length(2) + 1 - i) >>> 0, ZERO + digit(value.magnitude, i))
      cpu.cc = conversionCc(cpu, value, length(2))
      setRegisters(cpu, address(1), dst)
      return
    }
    case 0x26: {
      // CVTTP srclen, srcaddr, tbladdr, dstlen, dstaddr
      checkLengths(cpu, length(0), length(3))
      let magnitude = 0n
      let negative = false
      for (let i = 1; i <= length(0); i++) {
        const c = cpu.read8((address(1) + length(0) - i) >>> 0)
        let d: number
        if (i === 1) {
          // The last character carries the sign: the table gives digit << 4 | sign.
          const t = cpu.read8((address(2) + c) >>> 0)
          d = t >> 4
          if (d > 9 || (t & 0xf) < 0xa) cpu.reservedOperand()
          negative = (t & 0xf) === 0xb || (t & 0xf) === 0xd
        } else {
          if (c < ZERO || c > ZERO + 9) cpu.reservedOperand()
          d = c - ZERO
        }
        magnitude += BigInt(d) * TEN ** BigInt(i - 1)
      }
      const value = { negative: negative && magnitude !== 0n, magnitude }
      cpu.cc = writePacked(cpu, length(3), address(4), value)
      setRegisters(cpu, address(1), address(4))
      return
    }
    default: {
      // CVTPT srclen, srcaddr, tbladdr, dstlen, dstaddr: the last character is the
      // source's last byte (digit and sign) translated through the table.
      checkLengths(cpu, length(0), length(3))
      const value = readPacked(cpu, length(0), address(1))
      const dst = address(4)
      cpu.toPhysical(dst, true)
      cpu.toPhysical((dst + length(3)) >>> 0, true)
      for (let i = 1; i <= length(3); i++) {
        let c = ZERO + digit(value.magnitude, i)
        if (i === 1) {
          const last = cpu.read8((address(1) + (length(0) >> 1)) >>> 0)
          c = cpu.read8((address(2) + last) >>> 0)
        }
        cpu.write8((dst + length(3) - i) >>> 0, c)
      }
      cpu.cc = conversionCc(cpu, value, length(3))
      setRegisters(cpu, address(1), dst)
    }
  }
}

/** EDITPC pattern operators (SRM "Edit instruction"), the repeated ones with count 0. */
const EO = {
  END: 0x00,
  END_FLOAT: 0x01,
  CLEAR_SIGNIF: 0x02,
  SET_SIGNIF: 0x03,
  STORE_SIGN: 0x04,
  LOAD_FILL: 0x40,
  LOAD_SIGN: 0x41,
  LOAD_PLUS: 0x42,
  LOAD_MINUS: 0x43,
  INSERT: 0x44,
  BLANK_ZERO: 0x45,
  REPLACE_SIGN: 0x46,
  ADJUST_INPUT: 0x47,
  FILL: 0x80,
  MOVE: 0x90,
  FLOAT: 0xa0,
} as const

/**
 * EDITPC srclen, srcaddr, pattern, dstaddr: edits a packed string into characters under
 * the pattern's operators. N is the source's sign, Z says no nonzero digit has been
 * seen, V that ADJUST_INPUT dropped one, C is significance.
 *
 * It is interruptible (SRM "EDITPC", notes): before each pattern operator its state goes
 * to R0-R5 and the condition codes with PSL<FPD> set, so a fault in the middle (a
 * destination page not valid) leaves a state from which the restarted instruction
 * resumes, without decoding its operands again, at that operator (which only rewrites
 * the same characters). The state, as the SRM lays it out where it specifies:
 *   R0<15:0>  source digits remaining     R0<23:16> leading zeros still to supply
 *   R0<31:24> instruction length (to find the next PC on resumption)
 *   R1        the byte holding the next source digit
 *   R2<7:0>   fill character   R2<15:8> sign character   R2<20:16> the source's length
 *   R3        the next pattern operator   R4 the source's address   R5 the next character
 * A reserved operand (a bad operator, the source running out or left over) clears
 * PSL<FPD> and leaves R0-R5 as they were when this execution began; SIMH leaves its
 * intermediate state there, which the SRM does not specify.
 */
function editpc(cpu: Cpu): void {
  const r = cpu.r
  let srcLength: number
  let source: number
  let remaining: number
  let zeros: number
  let next: number
  let fill: number
  let sign: number
  let pattern: number
  let dst: number
  let cc: number
  let length: number
  if (cpu.psl & PSL_FPD) {
    const r0 = r[0] as number
    length = r0 >>> 24
    cpu.pc = (cpu.faultPc + length) >>> 0
    zeros = (r0 >>> 16) & 0xff
    remaining = r0 & 0xffff
    next = (r[1] as number) >>> 0
    const r2 = r[2] as number
    fill = r2 & 0xff
    sign = (r2 >>> 8) & 0xff
    srcLength = (r2 >>> 16) & 0x1f
    pattern = (r[3] as number) >>> 0
    source = (r[4] as number) >>> 0
    dst = (r[5] as number) >>> 0
    cc = cpu.cc
  } else {
    srcLength = (cpu.val[0] as number) & 0xffff
    source = (cpu.addr[1] as number) >>> 0
    checkLengths(cpu, srcLength)
    const last = (source + (srcLength >> 1)) >>> 0
    const negative = [0xb, 0xd].includes(cpu.read8(last) & 0xf)
    cc = negative ? N | Z : Z
    sign = negative ? MINUS : SPACE
    fill = SPACE
    pattern = (cpu.addr[2] as number) >>> 0
    dst = (cpu.addr[3] as number) >>> 0
    remaining = srcLength
    zeros = 0
    next = (last - (srcLength >> 1)) >>> 0
    length = (cpu.pc - cpu.faultPc) & 0xff
  }
  const entry = Array.from(r.subarray(0, 6))
  const entryCc = cpu.cc
  /** Saves the state before an operator (see above). */
  const checkpoint = () => {
    r[0] = (length << 24) | (zeros << 16) | remaining
    r[1] = next | 0
    r[2] = (srcLength << 16) | (sign << 8) | fill
    r[3] = pattern | 0
    r[4] = source | 0
    r[5] = dst | 0
    cpu.cc = cc
    cpu.psl |= PSL_FPD
  }
  const reserved = (): never => {
    r.set(entry)
    cpu.cc = entryCc
    cpu.psl &= ~PSL_FPD
    return cpu.reservedOperand()
  }
  /** The next source digit, most significant first; leading zeros from ADJUST_INPUT come first. */
  const nextDigit = (): number => {
    if (zeros > 0) {
      zeros--
      return 0
    }
    if (remaining === 0) reserved()
    // The last digit is the high nibble of the last byte, the one before it the low
    // nibble of the byte before, and so on.
    const byte = cpu.read8(next)
    const high = (remaining & 1) === 1
    remaining--
    if (!high) next = (next + 1) >>> 0
    return high ? byte >> 4 : byte & 0xf
  }
  const put = (c: number) => {
    cpu.write8(dst, c)
    dst = (dst + 1) >>> 0
  }
  /** The operator's one-byte operand. */
  const argument = () => {
    pattern = (pattern + 1) >>> 0
    return cpu.read8(pattern)
  }
  for (;;) {
    checkpoint()
    let op = cpu.read8(pattern)
    if (op === EO.END) break
    const repeat = op & 0x80 ? op & 0xf : 1
    if (op & 0x80) {
      if (repeat === 0) reserved()
      op &= 0xf0
    }
    switch (op) {
      case EO.END_FLOAT:
        if (!(cc & C)) {
          put(sign)
          cc |= C
        }
        break
      case EO.CLEAR_SIGNIF:
        cc &= ~C
        break
      case EO.SET_SIGNIF:
        cc |= C
        break
      case EO.STORE_SIGN:
        put(sign)
        break
      case EO.LOAD_FILL:
        fill = argument()
        break
      case EO.LOAD_SIGN:
        sign = argument()
        break
      case EO.LOAD_PLUS: {
        const c = argument()
        if (!(cc & N)) sign = c
        break
      }
      case EO.LOAD_MINUS: {
        const c = argument()
        if (cc & N) sign = c
        break
      }
      case EO.INSERT: {
        const c = argument()
        put(cc & C ? c : fill)
        break
      }
      case EO.BLANK_ZERO:
      case EO.REPLACE_SIGN: {
        // Overwrite the last `count` characters (or the one `count` back) with fill.
        const count = argument()
        if (count === 0) reserved()
        if (cc & Z) {
          if (op === EO.REPLACE_SIGN) cpu.write8((dst - count) >>> 0, fill)
          else for (let t = count; t > 0; t--) cpu.write8((dst - t) >>> 0, fill)
        }
        break
      }
      case EO.ADJUST_INPUT: {
        // Make the source `count` digits long: drop leading digits (V if one is nonzero)
        // or supply leading zeros.
        const count = argument()
        if (count === 0 || count > MAX_DIGITS) reserved()
        zeros = 0
        if (remaining > count) {
          for (let k = remaining - count; k > 0; k--) if (nextDigit() !== 0) cc = (cc | V | C) & ~Z
        } else zeros = count - remaining
        break
      }
      case EO.FILL:
        for (let k = 0; k < repeat; k++) put(fill)
        break
      case EO.MOVE:
        for (let k = 0; k < repeat; k++) {
          const d = nextDigit()
          if (d !== 0) cc = (cc | C) & ~Z
          put(cc & C ? ZERO | d : fill)
        }
        break
      case EO.FLOAT:
        for (let k = 0; k < repeat; k++) {
          const d = nextDigit()
          if (d !== 0) {
            if (!(cc & C)) put(sign)
            cc = (cc | C) & ~Z
          }
          put(cc & C ? ZERO | d : fill)
        }
        break
      default:
        reserved()
    }
    pattern = (pattern + 1) >>> 0
  }
  if (remaining !== 0 || zeros !== 0) reserved()
  cpu.psl &= ~PSL_FPD
  if (cc & Z) cc &= ~N
  if (cc & V && cpu.psl & PSW_DV) cpu.pendingTrap = DECIMAL_OVERFLOW_TRAP
  cpu.cc = cc
  r[0] = srcLength
  r[1] = source | 0
  r[2] = 0
  r[3] = pattern | 0
  r[4] = 0
  r[5] = dst | 0
}

/** Executes a packed decimal instruction (the dispatch table sends only those here). */
export function executeDecimal(cpu: Cpu, opcode: number): boolean {
  const val = cpu.val
  const addr = cpu.addr
  const length = (i: number) => (val[i] as number) & 0xffff
  const address = (i: number) => (addr[i] as number) >>> 0
  switch (opcode) {
    case 0x20: // ADDP4 addlen, addaddr, sumlen, sumaddr
    case 0x21: // ADDP6 add1len, add1addr, add2len, add2addr, sumlen, sumaddr
    case 0x22: // SUBP4 sublen, subaddr, diflen, difaddr
    case 0x23: {
      // SUBP6 sublen, subaddr, minlen, minaddr, diflen, difaddr
      const six = (opcode & 1) === 1
      const dst = six ? 4 : 2
      checkLengths(cpu, length(0), length(2), length(dst))
      const first = readPacked(cpu, length(0), address(1))
      const second = readPacked(cpu, length(2), address(3))
      const operand = opcode & 2 ? { ...first, negative: !first.negative } : first
      const result = add(second, operand)
      cpu.cc = writePacked(cpu, length(dst), address(dst + 1), result)
      if (six) setRegisters(cpu, address(1), address(3), address(5))
      else setRegisters(cpu, address(1), address(3))
      return true
    }
    case 0x25: {
      // MULP mulrlen, mulraddr, muldlen, muldaddr, prodlen, prodaddr
      checkLengths(cpu, length(0), length(2), length(4))
      // A zero multiplier makes the product zero without reading the multiplicand.
      const a = readPacked(cpu, length(0), address(1))
      const b = a.magnitude === 0n ? a : readPacked(cpu, length(2), address(3))
      const magnitude = a.magnitude * b.magnitude
      const product = { negative: magnitude !== 0n && a.negative !== b.negative, magnitude }
      cpu.cc = writePacked(cpu, length(4), address(5), product)
      setRegisters(cpu, address(1), address(3), address(5))
      return true
    }
    case 0x27: {
      // DIVP divrlen, divraddr, divdlen, divdaddr, quolen, quoaddr
      checkLengths(cpu, length(0), length(2), length(4))
      const divisor = readPacked(cpu, length(0), address(1))
      if (divisor.magnitude === 0n) {
        // The divide-by-zero trap, with nothing written and the registers unchanged.
        cpu.pendingTrap = DIVIDE_BY_ZERO_TRAP
        return true
      }
      const dividend = readPacked(cpu, length(2), address(3))
      const magnitude = dividend.magnitude / divisor.magnitude
      const quotient = {
        negative: magnitude !== 0n && dividend.negative !== divisor.negative,
        magnitude,
      }
      cpu.cc = writePacked(cpu, length(4), address(5), quotient)
      setRegisters(cpu, address(1), address(3), address(5))
      return true
    }
    case 0x35: // CMPP3 len, src1addr, src2addr
    case 0x37: {
      // CMPP4 src1len, src1addr, src2len, src2addr
      const three = opcode === 0x35
      const secondLength = three ? length(0) : length(2)
      const secondAddress = three ? address(2) : address(3)
      checkLengths(cpu, length(0), secondLength)
      const a = readPacked(cpu, length(0), address(1))
      const b = readPacked(cpu, secondLength, secondAddress)
      const d = add(a, { ...b, negative: !b.negative })
      cpu.cc = d.magnitude === 0n ? Z : d.negative ? N : 0
      setRegisters(cpu, address(1), secondAddress)
      return true
    }
    case 0x34: {
      // MOVP len, srcaddr, dstaddr: C unchanged
      checkLengths(cpu, length(0))
      const value = readPacked(cpu, length(0), address(1))
      cpu.cc = writePacked(cpu, length(0), address(2), value) | (cpu.cc & C)
      setRegisters(cpu, address(1), address(2))
      return true
    }
    case 0xf8: {
      // ASHP cnt, srclen, srcaddr, round, dstlen, dstaddr
      checkLengths(cpu, length(1), length(4))
      const source = readPacked(cpu, length(1), address(2))
      const count = ((val[0] as number) << 24) >> 24
      let magnitude = source.magnitude
      let overflow = false
      if (count < 0) {
        // Right: the round operand is added to the most significant digit shifted out.
        const divisor = TEN ** BigInt(-count)
        const highestOut = ((magnitude * TEN) / divisor) % TEN
        magnitude /= divisor
        if (highestOut + BigInt((val[3] as number) & 0xf) > 9n) magnitude += 1n
      } else {
        magnitude *= TEN ** BigInt(count)
        overflow = magnitude >= TEN ** BigInt(MAX_DIGITS)
      }
      const result = { negative: source.negative, magnitude }
      cpu.cc = writePacked(cpu, length(4), address(5), result, overflow)
      setRegisters(cpu, address(2), address(5))
      return true
    }
    case 0xf9: {
      // CVTLP src, dstlen, dstaddr
      checkLengths(cpu, length(1))
      const source = val[0] as number
      const magnitude = BigInt(Math.abs(source))
      cpu.cc = writePacked(cpu, length(1), address(2), { negative: source < 0, magnitude })
      cpu.r[0] = 0
      cpu.r[1] = 0
      cpu.r[2] = 0
      cpu.r[3] = address(2) | 0
      return true
    }
    case 0x36: {
      // CVTPL srclen, srcaddr, dst.wl: R0-R3 are set before the destination is written,
      // so a destination among them gets the result. Overflow is an integer overflow.
      checkLengths(cpu, length(0))
      const source = readPacked(cpu, length(0), address(1))
      const signed = source.negative ? -source.magnitude : source.magnitude
      const result = Number(BigInt.asIntN(32, signed))
      const overflow = BigInt(result) !== signed
      const register = cpu.reg[2] as number
      if (register < 0) cpu.writeLong(2, result)
      setRegisters(cpu, address(1), 0)
      if (register >= 0) cpu.writeLong(2, result)
      cpu.cc = (result < 0 ? N : 0) | (result === 0 ? Z : 0)
      if (overflow) cpu.integerOverflow()
      return true
    }
    case 0x08: // CVTPS
    case 0x09: // CVTSP
    case 0x24: // CVTPT
    case 0x26: // CVTTP
      convert(cpu, opcode, length, address)
      return true
    case 0x38: // EDITPC srclen, srcaddr, pattern, dstaddr
      editpc(cpu)
      return true
    default:
      return false
  }
}
