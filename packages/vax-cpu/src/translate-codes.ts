/**
 * The translator's condition codes, computed only when something reads them (issue 18).
 *
 * An instruction translated in line copies the values its codes depend on into the
 * block's locals k0-k5 and leaves the codes pending: an expression of those (and of the C
 * bit before it, for the instructions that keep C). translate.ts stores them
 * (`c.cc = ...`) only where they can be seen: on every way out of the block, before an
 * instruction that reads them, may fault or calls a helper, and where a jump within the
 * block lands. Codes no one sees, as those of each instruction of a register loop that
 * the next one sets again, are never computed.
 */

/** Pending codes. */
export interface Pending {
  /** The whole of N Z V C. */
  readonly expr: string
  /** C alone: '0', or an expression. */
  readonly carry: string
}

/** The part of the translator's state the codes live in. */
export interface CodeState {
  /** The code of the instruction being translated. */
  code: string[]
  pending: Pending | undefined
  /** Whether the instruction being translated set the codes. */
  ccSet: boolean
}

/** Slots the block's pending codes may use (declared at the top of every block). */
export const SLOTS = 6

export const NZ = (v: string) => `(${v} < 0 ? 8 : ${v} === 0 ? 4 : 0)`

/**
 * Leaves the codes of the instruction being translated pending: copies `values` into
 * free slots and records `make`'s expressions of them (`carry` is the C bit before).
 */
export function lazyCc(
  d: CodeState,
  values: readonly string[],
  make: (k: readonly string[], carry: string) => Pending,
): void {
  const carry = d.pending === undefined ? '(c.cc & 1)' : d.pending.carry
  const busy = new Set(Array.from(carry.matchAll(/k(\d)/g), (m) => Number(m[1])))
  const names: string[] = []
  for (let k = 0; names.length < values.length && k < SLOTS; k++)
    if (!busy.has(k)) names.push(`k${k}`)
  d.code.push(values.map((v, i) => `${names[i]} = ${v};`).join(' '))
  d.pending = make(names, carry)
  d.ccSet = true
}

/** Stores the pending codes: the statement, or '' when none are pending. */
export const store = (pending: Pending | undefined) =>
  pending === undefined ? '' : `c.cc = ${pending.expr};`

/** N and Z of v, C kept, V clear (MOVL and the logical instructions). */
export const keepC = (d: CodeState, v: string) =>
  lazyCc(d, [v], ([m], carry) => ({ expr: `${carry} | ${NZ(m as string)}`, carry }))

/** N and Z of m, C kept, V when `overflowed` holds of v (SOBGxx: v = n, AOBLxx: v = a). */
export const countCc = (d: CodeState, m: string, v: string, overflowed: (v: string) => string) =>
  lazyCc(d, [m, v], ([x, y], carry) => ({
    expr: `${carry} | ${NZ(x as string)} | (${overflowed(y as string)} ? 2 : 0)`,
    carry,
  }))

/** ADDL: a + b = m. */
export const addCc = (d: CodeState, a: string, b: string, m: string) =>
  lazyCc(d, [a, b, m], ([x, y, z]) => {
    const carry = `((${x} >>> 0) + (${y} >>> 0) > 4294967295 ? 1 : 0)`
    return {
      expr: `${NZ(z as string)} | ((${x} + ${y}) > 2147483647 || (${x} + ${y}) < -2147483648 ? 2 : 0) | ${carry}`,
      carry,
    }
  })

/** SUBL: n - s = m. */
export const subCc = (d: CodeState, s: string, n: string, m: string) =>
  lazyCc(d, [s, n, m], ([x, y, z]) => {
    const carry = `((${y} >>> 0) < (${x} >>> 0) ? 1 : 0)`
    return {
      expr: `${NZ(z as string)} | ((${y} - ${x}) > 2147483647 || (${y} - ${x}) < -2147483648 ? 2 : 0) | ${carry}`,
      carry,
    }
  })

/** N and Z of k0, V and C clear (TSTL, CVTxL, ASHL right). */
export const nzOnly = (d: CodeState, v: string) =>
  lazyCc(d, [v], ([m]) => ({ expr: NZ(m as string), carry: '0' }))

/** The integer overflow trap, requested when PSW<IV> is set and `overflow` (SRM). */
export const trapIf = (overflow: string) =>
  `if ((c.psl & 0x20) !== 0 && (${overflow})) c.pendingTrap = 1;`

/** Branch conditions on the codes (N 8, Z 4, V 2, C 1), by opcode. */
export const CONDITION: Record<number, string> = {
  18: '!(c.cc & 4)',
  19: '(c.cc & 4)',
  20: '!(c.cc & 12)',
  21: '(c.cc & 12)',
  24: '!(c.cc & 8)',
  25: '(c.cc & 8)',
  26: '!(c.cc & 5)',
  27: '(c.cc & 5)',
  28: '!(c.cc & 2)',
  29: '(c.cc & 2)',
  30: '!(c.cc & 1)',
  31: '(c.cc & 1)',
}
