/**
 * Logical name table name resolution (book 28.7, LNM$SETUP, LNM$TABLE and
 * LNM$TABLE_SRCH): a table name is a logical name in a directory whose equivalences
 * lead, depth first, to table headers.
 */
import { SS, type Status } from '@vms/contracts'
import { type AccessMode, LNM } from './lnm'
import type { Lnmb, Lnmth } from './structures'

/** Raised inside the walk when a table name goes deeper than LNM$C_MAXDEPTH. */
class TooDeep {}

/**
 * A name in the first of `directories` that holds it (the process directory, then the
 * system directory) at `mode` or an inner one, outermost first (28.7, 28.6).
 */
export function directoryName(
  directories: readonly Lnmth[],
  name: string,
  mode: AccessMode,
): Lnmb | undefined {
  for (const directory of directories) {
    const lnmb = directory.hash
      .lookup(name, false)
      .find((l) => l.table === directory && l.mode <= mode)
    if (lnmb !== undefined) return lnmb
  }
  return undefined
}

/**
 * Resolves the table name `name` depth first, calling `visit` with each table header
 * in turn until it returns true (28.7, Figure 28-6). Every name on the way is looked up
 * in the directories at `mode` or an inner one; an equivalence that names nothing is
 * passed over. SS$_NOLOGNAM when `name` is in no directory; SS$_TOOMANYLNAM when a
 * name would be looked up deeper than LNM$C_MAXDEPTH levels (so a loop ends).
 */
export function resolveTableName(
  directories: readonly Lnmth[],
  name: string,
  mode: AccessMode,
  visit: (table: Lnmth) => boolean,
): Status {
  const start = directoryName(directories, name, mode)
  if (start === undefined) return SS.NOLOGNAM
  const walk = (lnmb: Lnmb, depth: number): boolean => {
    if (lnmb.header !== undefined) return visit(lnmb.header)
    for (const x of lnmb.translations) {
      if (depth + 1 > LNM.C_MAXDEPTH) throw new TooDeep()
      const next = directoryName(directories, x.value, mode)
      if (next !== undefined && walk(next, depth + 1)) return true
    }
    return false
  }
  try {
    walk(start, 0)
  } catch (error) {
    if (error instanceof TooDeep) return SS.TOOMANYLNAM
    throw error
  }
  return SS.NORMAL
}
