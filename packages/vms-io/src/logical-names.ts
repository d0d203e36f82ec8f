import { SS, type Status } from '@vms/contracts'
import { MAX_DEPTH } from './constants'

/** One logical name's equivalence (book 18.1). */
export interface LogicalName {
  readonly equivalence: string
  /** LNM$M_TERMINAL: the equivalence is not translated again. */
  readonly terminal: boolean
}

/** The longest logical name and equivalence string (LNM$C_NAMLENGTH). */
const NAME_LENGTH = 255

/** A name as logical name translation sees it: upper case, without a trailing colon. */
export function logicalKey(name: string): string {
  return name.trim().toUpperCase().replace(/:$/, '')
}

/**
 * A small logical name table for device names (book 18.1; chapter 28 has the full
 * logical name system): names to equivalence strings, translated iteratively until an
 * equivalence is terminal or does not translate, at most LNM$C_MAXDEPTH times.
 */
export class LogicalNameTable {
  private readonly names = new Map<string, LogicalName>()

  /** Defines `name`; SS$_SUPERSEDE when it replaced a definition, SS$_IVLOGNAM for a bad name. */
  define(name: string, equivalence: string, options: { terminal?: boolean } = {}): Status {
    const key = logicalKey(name)
    if (
      key === '' ||
      key.length > NAME_LENGTH ||
      equivalence === '' ||
      equivalence.length > NAME_LENGTH
    )
      return SS.IVLOGNAM
    const existed = this.names.has(key)
    this.names.set(key, {
      equivalence: equivalence.toUpperCase(),
      terminal: options.terminal ?? false,
    })
    return existed ? SS.SUPERSEDE : SS.NORMAL
  }

  /** Deletes `name`; SS$_NOLOGNAM when it is not defined. */
  deassign(name: string): Status {
    return this.names.delete(logicalKey(name)) ? SS.NORMAL : SS.NOLOGNAM
  }

  /** One level of translation, or undefined. */
  lookup(name: string): LogicalName | undefined {
    return this.names.get(logicalKey(name))
  }

  /** Every name and its equivalence, in name order. */
  entries(): [string, LogicalName][] {
    return [...this.names.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  }

  /**
   * The iterative translation of book 18.1: a name with a leading underscore is
   * physical and not translated; otherwise it is translated while translations succeed
   * and are not terminal. More than LNM$C_MAXDEPTH translations is SS$_TOOMANYLNAM.
   */
  translate(name: string): { status: Status; name: string } {
    let current = name.trim().toUpperCase()
    for (let depth = 0; ; depth++) {
      if (current.startsWith('_')) return { status: SS.NORMAL, name: current }
      const entry = this.lookup(current)
      if (entry === undefined) return { status: SS.NORMAL, name: current }
      if (depth === MAX_DEPTH) return { status: SS.TOOMANYLNAM, name: current }
      current = entry.equivalence
      if (entry.terminal) return { status: SS.NORMAL, name: current }
    }
  }
}
