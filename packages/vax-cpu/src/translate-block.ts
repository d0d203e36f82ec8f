/**
 * The parts of a translated block around its instructions: the checks between them, the
 * jumps within the block, the check of its bytes, and the functions made from its source.
 */
import type { BlockFunction } from './translate'

/**
 * Block functions by their source, shared by every Cpu: a function depends only on its
 * text and the helpers (translate.ts's HELPERS, always the same object), so the same code
 * translated again (another machine running the same image, a block dropped and made
 * again) reuses the function V8 has already optimized.
 * Emptied when the sources it holds pass MAX_COMPILED_TEXT characters.
 */
const COMPILED = new Map<string, BlockFunction>()
const MAX_COMPILED_TEXT = 8_000_000
let compiledText = 0

export function compiled(text: string, helpers: object): BlockFunction {
  let run = COMPILED.get(text)
  if (run === undefined) {
    const make = new Function('H', `return function block(c, stop) {\n${text}\n}`) as (
      h: object,
    ) => BlockFunction
    run = make(helpers)
    if (compiledText + text.length > MAX_COMPILED_TEXT) {
      COMPILED.clear()
      compiledText = 0
    }
    COMPILED.set(text, run)
    compiledText += text.length
  }
  return run
}

/** The check between two instructions (see the module comment). */
export function guard(memory: boolean, traps: boolean, pc: string, store = ''): string {
  const tests = ['c.instructions >= lim']
  if (memory) tests.push('c.attention', '(c.codeWritten && ((c.codeWritten = false), STALE))')
  if (traps || memory) tests.push('c.pendingTrap !== 0')
  return `if (${tests.join(' || ')}) { ${store} c.pc = ${pc}; return true; }`
}

/** A side exit: the index in body of the branch's code, its target, and the codes to store. */
export interface Exit {
  readonly at: number
  readonly target: number
  readonly store: string
}

/**
 * Turns the side exits whose target is a later instruction of the same block into jumps
 * within it: the instructions from the branch up to the one before the target are
 * wrapped in a labelled statement the branch breaks out of, landing on the guard before
 * the target, which then checks everything a guard may check (the branch's own checks
 * and its predecessor's). Labelled statements must nest: an exit whose range would
 * cross another's stays an exit. The others return with PC at the target.
 */
export function forwardBranches(
  body: string[],
  starts: ReadonlyMap<number, number>,
  exits: readonly Exit[],
): void {
  const ranges: [number, number][] = []
  for (const [k, exit] of exits.entries()) {
    const code = starts.get(exit.target)
    let text = `${exit.store} c.pc = ${exit.target}; return true;`
    // body[code - 1] is the guard before the target, body[code - 2] the code before it.
    if (code !== undefined && code - 2 >= exit.at) {
      const end = code - 2
      const crosses = ranges.some(
        ([a, b]) =>
          (exit.at < a && end >= a && end < b) || (exit.at > a && exit.at <= b && end > b),
      )
      if (!crosses) {
        ranges.push([exit.at, end])
        text = `${exit.store} break F${k};`
        body[end] = `${body[end]} }`
        body[exit.at] = `F${k}: { ${body[exit.at]}`
        body[code - 1] = guard(true, true, String(exit.target))
      }
    }
    body[exit.at] = (body[exit.at] as string).replace(`@EXIT${exit.target}@`, text)
  }
}

/** An expression, true when memory no longer holds the block's bytes. */
export function validation(bytes: Uint8Array, pieces: readonly number[]): string {
  const tests: string[] = []
  const view = new DataView(bytes.buffer, bytes.byteOffset)
  for (let p = 0; p < pieces.length; p += 2) {
    const start = pieces[p] as number
    const end = pieces[p + 1] as number
    let k = start
    for (; k + 4 <= end; k += 4) tests.push(`v.getInt32(${k}, true) !== ${view.getInt32(k, true)}`)
    for (; k < end; k++) tests.push(`v.getUint8(${k}) !== ${bytes[k]}`)
  }
  return tests.join(' || ')
}
