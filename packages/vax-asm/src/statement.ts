import type { Opcode } from '@vax/cpu'
import type { Expr } from './expression'
import type { OperandSyntax } from './operand-parser'

/** One statement of the source (or of an expansion), before and after layout. */
export type Statement = {
  readonly line: number
  readonly column: number
  address: number
  /** Index of the psect it is in. */
  readonly psect: number
  /** What expansion it comes from ("macro FOO"), for messages. */
  readonly expansion: string | undefined
} & (
  | { readonly kind: 'label'; readonly name: string }
  | { readonly kind: 'assign'; readonly name: string; readonly expr: Expr }
  | { readonly kind: 'location'; readonly expr: Expr }
  | {
      readonly kind: 'instruction'
      readonly opcode: Opcode
      readonly operands: readonly OperandSyntax[]
      /** Chosen size of each operand's displacement/immediate, grown across passes. */
      readonly sizes: number[]
    }
  | {
      readonly kind: 'data'
      readonly unit: 1 | 2 | 4 | 8
      readonly exprs: readonly Expr[]
      /** An .ENTRY mask: bits 12 and 13 must be zero. */
      readonly entryMask?: boolean
    }
  | { readonly kind: 'bytes'; readonly parts: readonly (number | Expr)[] }
  | { readonly kind: 'block'; readonly unit: number; readonly count: Expr }
  | { readonly kind: 'align'; readonly boundary: number }
  | { readonly kind: 'end'; readonly expr: Expr | undefined }
)

/** A statement before layout has given it an address. */
export type NewStatement = Statement extends infer S
  ? S extends unknown
    ? Omit<S, 'address' | 'psect' | 'expansion'>
    : never
  : never
