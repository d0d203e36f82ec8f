/**
 * The logical name database's structures (book 28.5): logical name blocks (LNMB) with
 * their translation blocks (LNMX), logical name table headers (LNMTH), and the hash
 * tables that find LNMBs (LNMHSH).
 */
import type { AccessMode } from './lnm'

/**
 * A logical name translation block (LNMX, 28.5.1, Figure 28-1): one equivalence string,
 * its translation index (0 to 127 for users) and its attributes (LNM$M_CONCEALED,
 * LNM$M_TERMINAL).
 */
export interface Lnmx {
  readonly index: number
  readonly flags: number
  readonly value: string
}

/** LNMTH$B_FLAGS (Figure 28-2). */
export const LNMTH = {
  /** The table is shareable: its names are in the shareable hash table. */
  M_SHAREABLE: 0x1,
  /** The table is a directory: it holds the names of tables. */
  M_DIRECTORY: 0x2,
  /** The table is a UIC group's table (GRPNAM gives access to it, 28.3). */
  M_GROUP: 0x4,
  /** The table is the system table (SYSNAM gives access to it, 28.3). */
  M_SYSTEM: 0x8,
} as const

/** Who a table belongs to: what its protection is checked against (28.3). */
export type TableOwner =
  | { readonly kind: 'system' }
  | { readonly kind: 'group'; readonly group: number }
  | { readonly kind: 'job'; readonly job: number }
  | { readonly kind: 'process'; readonly pid: number }

/**
 * A logical name table header (LNMTH, 28.5.2, Figure 28-2). The header does not list
 * its names: an LNMB points at its table (LNMB$L_TABLE), and a table's names are found
 * by scanning its hash table.
 */
export interface Lnmth {
  /** LNMTH$B_FLAGS. */
  readonly flags: number
  /** LNMTH$L_HASH: the hash table of the table's names. */
  readonly hash: LogicalNameHashTable
  /** LNMTH$L_NAME: the LNMB whose equivalence this header is (set when it is inserted). */
  lnmb: Lnmb | undefined
  /** The owner whose protection applies (the table's UIC and its ORB, simplified). */
  readonly owner: TableOwner
}

/** LNMB$B_FLAGS bits beyond the LNM$M_ attributes (Figure 28-1). */
export const LNMB = {
  /** A table made by the system (the directories, process, job, group and system tables). */
  M_NO_DELETE: 0x10,
} as const

/**
 * A logical name block (LNMB, 28.5.1, Figure 28-1): the name, its access mode, its
 * attributes (LNM$M_NO_ALIAS, CONFINE, CRELOG, TABLE), the table that holds it, and its
 * LNMXs in index order. A table name's only translation is its LNMTH (index -126).
 */
export interface Lnmb {
  /** Where the block lies in pool (or a serial number where there is none). */
  readonly address: number
  /** LNMB$W_SIZE: the block with its LNMXs, a whole number of quadwords. */
  readonly size: number
  readonly name: string
  readonly mode: AccessMode
  readonly flags: number
  /** LNMB$L_TABLE: the containing table's header. */
  readonly table: Lnmth
  readonly translations: readonly Lnmx[]
  /** The table this name is, for LNM$M_TABLE names (the LNMX of index -126). */
  readonly header?: Lnmth
}

/** LNMB fixed part: links, size, type, mode, table address, flags, name count (Figure 28-1). */
const LNMB_FIXED = 18
/** LNMX fixed part: flags, index, hash word, string count. */
const LNMX_FIXED = 5
/** The LNMX that ends the list (LNMX$V_XEND): flags, index, hash word. */
const LNMX_END = 4
/** The LNMTH: flags and nine longwords (Figure 28-2). */
const LNMTH_LENGTH = 40

/**
 * LNMB$W_SIZE (28.5.1): the fixed part, the name, each LNMX with its string, and the
 * ending LNMX, rounded up to the next quadword. A table name holds its LNMTH in its
 * one translation.
 */
export function lnmbSize(name: string, translations: readonly Lnmx[], table: boolean): number {
  let bytes = LNMB_FIXED + name.length + LNMX_END
  if (table) bytes += LNMX_FIXED - 1 + LNMTH_LENGTH
  for (const x of translations) bytes += LNMX_FIXED + x.value.length
  return (bytes + 7) & ~7
}

/** A byte in upper case, as the hash and case-blind searches compare (ASCII letters). */
export function upcase(code: number): number {
  return code >= 0x61 && code <= 0x7a ? code - 0x20 : code
}

/** A string in upper case, ASCII letters only (the other bytes stay). */
export function upcaseString(text: string): string {
  return text.replace(/[a-z]/g, (c) => c.toUpperCase())
}

const rotateLeft = (value: number, bits: number) =>
  ((value << bits) | (value >>> (32 - bits))) >>> 0

/**
 * LNM$HASH (28.5.3): the length is the base; each whole longword of the name, upcased,
 * is XORed in and the hash rotated left 9 bits; each remaining byte is XORed in and the
 * hash rotated 13 bits; the result is multiplied by 71279461 (hex) and masked to the
 * table's size. Upcasing makes the names that a case-blind search matches hash alike.
 */
export function lnmHash(name: string, mask: number): number {
  let hash = name.length >>> 0
  let at = 0
  for (; at + 4 <= name.length; at += 4) {
    let longword = 0
    for (let i = 3; i >= 0; i--) longword = (longword << 8) | upcase(name.charCodeAt(at + i) & 0xff)
    hash = rotateLeft((hash ^ longword) >>> 0, 9)
  }
  for (; at < name.length; at++)
    hash = rotateLeft((hash ^ upcase(name.charCodeAt(at) & 0xff)) >>> 0, 13)
  return ((Math.imul(hash, 0x71279461) >>> 0) & mask) >>> 0
}

/**
 * The order of LNMBs in a hash chain (28.5.3): shorter names first, then by name, then
 * by the containing table's address, then outermost access mode first.
 */
function chainOrder(a: Lnmb, b: Lnmb): number {
  if (a.name.length !== b.name.length) return a.name.length - b.name.length
  if (a.name !== b.name) return a.name < b.name ? -1 : 1
  const ta = a.table.lnmb?.address ?? 0
  const tb = b.table.lnmb?.address ?? 0
  if (ta !== tb) return ta - tb
  return b.mode - a.mode
}

/**
 * A logical name hash table (LNMHSH, 28.5.3): one for all shareable names, one per
 * process for its private names. Each entry heads a chain of LNMBs whose names hash
 * alike, in the order of `chainOrder`.
 */
export class LogicalNameHashTable {
  private readonly chains: (Lnmb[] | undefined)[]
  private readonly mask: number

  /** `entries` is LNMSHASHTBL or LNMPHASHTBL, rounded up to a power of two. */
  constructor(entries: number) {
    let size = 1
    while (size < entries) size *= 2
    this.chains = new Array<Lnmb[] | undefined>(size)
    this.mask = size - 1
  }

  /** Inserts an LNMB at its place in its chain. */
  insert(lnmb: Lnmb): void {
    const slot = lnmHash(lnmb.name, this.mask)
    const chain = this.chains[slot] ?? []
    let at = chain.findIndex((other) => chainOrder(lnmb, other) < 0)
    if (at < 0) at = chain.length
    chain.splice(at, 0, lnmb)
    this.chains[slot] = chain
  }

  /** Takes an LNMB out of its chain. */
  remove(lnmb: Lnmb): void {
    const slot = lnmHash(lnmb.name, this.mask)
    const chain = this.chains[slot]
    if (chain === undefined) return
    const at = chain.indexOf(lnmb)
    if (at >= 0) chain.splice(at, 1)
    if (chain.length === 0) this.chains[slot] = undefined
  }

  /** The LNMBs of a name, in chain order (LNM$PRESEARCH and LNM$CONTSEARCH, 28.6). */
  lookup(name: string, caseBlind: boolean): Lnmb[] {
    const chain = this.chains[lnmHash(name, this.mask)]
    if (chain === undefined) return []
    if (!caseBlind) return chain.filter((lnmb) => lnmb.name === name)
    const wanted = upcaseString(name)
    return chain.filter(
      (lnmb) => lnmb.name.length === name.length && upcaseString(lnmb.name) === wanted,
    )
  }

  /** Every LNMB, chain by chain. */
  *all(): Generator<Lnmb> {
    for (const chain of this.chains) if (chain !== undefined) yield* chain
  }
}
