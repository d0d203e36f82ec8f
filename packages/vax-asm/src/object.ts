import type { PsectAttributes } from './psect'

/**
 * An object module: what `assembleObject` makes of one source module and `link` takes.
 * A plain structure (JSON-ready but for the `Uint8Array` bytes). Offsets are from the
 * start of this module's contribution to a psect.
 */
export interface ObjectModule {
  /** The module name: `.TITLE name`, else the `name` option, else `.MAIN.`. */
  readonly name: string
  /** The module's psects in the order first met; ABS psects have size 0 and no bytes. */
  readonly psects: readonly ObjectPsect[]
  /** Global symbols this module defines (`::`, `==`, `.GLOBAL`, `.ENTRY`). */
  readonly globals: readonly ObjectSymbol[]
  /** Symbols referenced but not defined here (`.EXTERNAL`, or any undefined symbol). */
  readonly externals: readonly string[]
  readonly relocations: readonly Relocation[]
  /** The transfer address from `.END expr`. */
  readonly entry: { readonly psect: string; readonly offset: number } | undefined
}

export interface ObjectPsect {
  readonly name: string
  readonly attributes: PsectAttributes
  readonly size: number
  /** `size` bytes; each field a relocation names holds zeros. */
  readonly bytes: Uint8Array
}

/** A global symbol: relative to a psect of this module, or absolute (`psect` undefined). */
export interface ObjectSymbol {
  readonly name: string
  readonly psect: string | undefined
  readonly value: number
}

/**
 * A field the linker fills in: `size` bytes at `offset` in `psect` get the target's
 * address plus `addend`, less the address just after the field when `pcRelative`
 * (a PC-relative displacement). The target is a psect of this module (its
 * contribution's base), a global symbol of any module, or nothing (an absolute
 * address, `addend` alone, for a PC-relative reference to it).
 */
export interface Relocation {
  readonly psect: string
  readonly offset: number
  readonly size: 1 | 2 | 4
  readonly pcRelative: boolean
  readonly target:
    | { readonly psect: string }
    | { readonly symbol: string }
    | { readonly absolute: true }
  readonly addend: number
  /** The source line of the reference, for the linker's messages. */
  readonly line: number
}
