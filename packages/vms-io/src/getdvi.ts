import { DVI } from './constants'
import type { Ucb } from './structures'

/**
 * A $GETDVI item of a unit: numbers for the longword items, strings for DEVNAM and
 * FULLDEVNAM (`name` makes them), undefined for an item code not supported.
 */
export function deviceItem(
  ucb: Ucb,
  item: number,
  name: (full: boolean) => string,
): number | string | undefined {
  switch (item) {
    case DVI.DEVCHAR:
      return ucb.devchar >>> 0
    case DVI.DEVCHAR2:
      return ucb.devchar2 >>> 0
    case DVI.DEVCLASS:
      return ucb.devclass
    case DVI.DEVTYPE:
      return ucb.devtype
    case DVI.DEVBUFSIZ:
      return ucb.devbufsiz
    case DVI.DEVDEPEND:
      // A mailbox's UCB$L_DEVDEPEND holds its message count (book 18.9.1 step 6).
      return ucb.mailbox?.messages.length ?? 0
    case DVI.UNIT:
      return ucb.unit
    case DVI.PID:
      return ucb.pid
    case DVI.ERRCNT:
      return ucb.errors
    case DVI.OPCNT:
      return ucb.operations
    case DVI.MAXBLOCK:
      return ucb.maxblock
    case DVI.REFCNT:
      return ucb.refc
    case DVI.DEVNAM:
      return name(false)
    case DVI.FULLDEVNAM:
      return name(true)
    default:
      return undefined
  }
}
