/**
 * A short literal as a floating operand (SRM "Literal mode"): the six bits become the
 * exponent's low bits and the fraction's high bits (F and D: 0.1fff x 2^eee; G and H
 * likewise in their layout). `type` is 1 for F/D, 2 for G, 3 for H.
 */
export function floatLiteral(type: number, literal: number): number {
  if (type === 1) return (literal << 4) | 0x4000
  if (type === 2) return (literal << 1) | 0x4000
  return ((literal & 7) << 29) | 0x4000 | ((literal >> 3) & 7)
}
