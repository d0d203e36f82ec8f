/**
 * An operand specifier, decoded or to be encoded (VAX SRM "Addressing modes").
 * Register 15 is the PC: `displacement` on PC is PC-relative (`target` is the address
 * it refers to), `autoincrement` on PC is immediate, `autoincrementDeferred` on PC is
 * absolute.
 */
export type Specifier =
  /** S^#n: short literal, 0..63 (mode 0-3). */
  | { readonly kind: 'literal'; readonly value: number }
  /** I^#n: immediate data of the operand's size (autoincrement on PC). */
  | { readonly kind: 'immediate'; readonly value: bigint }
  /** Rn (mode 5). */
  | { readonly kind: 'register'; readonly reg: number }
  /** (Rn) (mode 6). */
  | { readonly kind: 'deferred'; readonly reg: number }
  /** -(Rn) (mode 7). */
  | { readonly kind: 'autodecrement'; readonly reg: number }
  /** (Rn)+ (mode 8). */
  | { readonly kind: 'autoincrement'; readonly reg: number }
  /** @(Rn)+ (mode 9). */
  | { readonly kind: 'autoincrementDeferred'; readonly reg: number }
  /** @#address: absolute (mode 9 on PC). */
  | { readonly kind: 'absolute'; readonly address: number }
  /** B^d(Rn), W^d(Rn), L^d(Rn) and @ forms (modes A-F); not PC. */
  | {
      readonly kind: 'displacement'
      readonly reg: number
      readonly displacement: number
      readonly size: 1 | 2 | 4
      readonly deferred: boolean
    }
  /** B^addr, W^addr, L^addr (and @ forms): PC-relative, by target address. */
  | {
      readonly kind: 'relative'
      readonly target: number
      readonly size: 1 | 2 | 4
      readonly deferred: boolean
    }
  /** base[Rx] (mode 4). */
  | { readonly kind: 'index'; readonly base: Specifier; readonly index: number }
  /** A branch displacement operand (bb, bw), by target address. */
  | { readonly kind: 'branch'; readonly target: number }

export const REGISTER_NAMES = [
  'R0',
  'R1',
  'R2',
  'R3',
  'R4',
  'R5',
  'R6',
  'R7',
  'R8',
  'R9',
  'R10',
  'R11',
  'AP',
  'FP',
  'SP',
  'PC',
] as const

/** Register number for a name (R0-R15, AP, FP, SP, PC), or -1. */
export function registerNumber(name: string): number {
  const upper = name.toUpperCase()
  const index = (REGISTER_NAMES as readonly string[]).indexOf(upper)
  if (index >= 0) return index
  const m = /^R(\d{1,2})$/.exec(upper)
  if (m) {
    const n = Number(m[1])
    if (n <= 15) return n
  }
  return -1
}
