import { FLOAT_CORE_WASM } from './float-core-wasm'

/**
 * F, D and G arithmetic at native speed: the WebAssembly module of float-core.wat (see
 * there), which does on 64-bit integers what float.ts defines on bigints, bit for bit.
 */
interface FloatCoreExports {
  readonly memory: { readonly buffer: ArrayBuffer }
  /** b + a (op 0), b - a (1) or b × a (2) of two data of format f (0 F, 1 D, 2 G); a status. */
  arith(f: number, op: number, a0: number, a1: number, b0: number, b1: number): number
  /** POLYx over the first `entries` entries of the table at memory 0; a status. */
  poly(f: number, a0: number, a1: number, entries: number): number
}

/** The part of the WebAssembly API used here (the DOM library declares it; this package does not load that). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { readonly exports: object }
}
const wasm = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly
const bytes = Uint8Array.from(atob(FLOAT_CORE_WASM), (c) => c.charCodeAt(0))
const instance = new wasm.Instance(new wasm.Module(bytes), {})

export const floatCore = instance.exports as unknown as FloatCoreExports

/** The module's memory as longwords: POLY's table from 0, the result at RESULT. */
export const coreLongwords = new Int32Array(floatCore.memory.buffer)

/** Where the result's longwords are (longword index), and POLY's underflow flag. */
export const RESULT = 256
export const POLY_UNDERFLOW = 258

/** Formats (the module's numbering). */
export const CORE_F = 0
export const CORE_D = 1
export const CORE_G = 2

/** Statuses. */
export const FITS = 0
export const OVERFLOW = 1
export const UNDERFLOW = 2
export const RESERVED = 3

/** Operations of arith. */
export const ADD = 0
export const SUBTRACT = 1
export const MULTIPLY = 2
