import {
  type ConsoleCommand,
  type ServiceRequest,
  SS,
  type Status,
  type SubsystemFactory,
  type SystemService,
  writeItem,
} from '@vms/contracts'
import {
  bytesOf,
  longword,
  nameOf,
  readAttributes,
  readCreateItems,
  readMode,
  readString,
  readTranslateItems,
  type TranslateItem,
} from './arguments'
import type { FoundName, LogicalNameDatabase } from './database'
import { LNM } from './lnm'
import { LogicalNames } from './logical-names'

export interface LogicalNamesSubsystemOptions {
  /** Called with the host-side API once the subsystem is made (for DCL's DEFINE and F$TRNLNM). */
  readonly onReady?: (names: LogicalNames) => void
  /** LNMSHASHTBL (default 512). */
  readonly shareableHashEntries?: number
  /** LNMPHASHTBL (default 128). */
  readonly processHashEntries?: number
  /**
   * Contribute the console command SHOW LOGICAL (default true). A console with a command
   * language of its own (DCL keeps the console's process table) leaves it out.
   */
  readonly showLogical?: boolean
}

/** STS$M_INHIB_MSG: the console printed the message already. */
const INHIBIT_MESSAGE = 0x10000000

/**
 * Logical names as a subsystem of the assembled system (ARCHITECTURE.md, "Composing a
 * system"; book ch. 28): $CRELNM, $TRNLNM and $DELLNM for VAX programs, with every
 * argument probed before anything changes (28.8.1); LNMBs in pool; a process's names
 * and tables deleted with it, its job's table with the job's last process; and the
 * console's SHOW LOGICAL.
 */
export function logicalNamesSubsystem(
  options: LogicalNamesSubsystemOptions = {},
): SubsystemFactory {
  return (kernel) => {
    const names = new LogicalNames({
      memory: kernel.memory,
      process: (pid) => kernel.process(pid),
      ...(options.shareableHashEntries !== undefined && {
        shareableHashEntries: options.shareableHashEntries,
      }),
      ...(options.processHashEntries !== undefined && {
        processHashEntries: options.processHashEntries,
      }),
    })
    const database = names.database
    kernel.onProcessDeleted((pid) => database.detach(pid))
    options.onReady?.(names)

    const services: SystemService[] = [
      { name: 'CRELNM', args: 5, call: (r) => createService(database, r) },
      { name: 'TRNLNM', args: 5, call: (r) => translateService(database, r) },
      { name: 'DELLNM', args: 3, call: (r) => deleteService(database, r) },
    ]
    const showLogical: ConsoleCommand = {
      name: 'SHOW LOGICAL',
      help: 'SHOW LOGICAL [name]: logical names and their translations',
      run: (args, say) => {
        const name = args
          .find((a) => !a.startsWith('/'))
          ?.toUpperCase()
          .replace(/:$/, '')
        const shown = names.show(name, {})
        for (const line of shown.lines) say(line)
        return shown.status === SS.NORMAL ? SS.NORMAL : shown.status | INHIBIT_MESSAGE
      },
    }
    return {
      name: 'logical names',
      services,
      commands: options.showLogical === false ? [] : [showLogical],
    }
  }
}

/** The i-th argument, 0 when the caller's list is shorter (an omitted optional one). */
const argument = (r: ServiceRequest, i: number) => (i < r.count ? r.arg(i) : 0)

/**
 * The arguments $CRELNM and $TRNLNM share, [attr],tabnam,lognam,[acmode],[itmlst], each
 * read and probed before anything changes (28.8.1); then the caller's tables are made
 * if this is its first use of logical names. A status when one is bad.
 */
function nameArguments<I>(
  database: LogicalNameDatabase,
  r: ServiceRequest,
  readItems: (guest: ServiceRequest['guest'], address: number) => I | Status,
) {
  const attributes = readAttributes(r.guest, argument(r, 0))
  const tabnam = readString(r.guest, argument(r, 1))
  const lognam = readString(r.guest, argument(r, 2))
  const acmode = readMode(r.guest, argument(r, 3))
  const items = readItems(r.guest, argument(r, 4))
  if (typeof items === 'number') return items
  const table = nameOf(tabnam)
  const name = nameOf(lognam)
  if (table === undefined || name === undefined) return SS.IVLOGNAM
  const attached = database.attach(r.pid)
  if (attached !== SS.NORMAL) return attached
  return { attributes, table, name, acmode, items }
}

/**
 * $CRELNM [attr],tabnam,lognam,[acmode],[itmlst] (28.8.3). Reads and probes every
 * argument, then makes the process's tables if this is its first use of logical names,
 * then creates the name; the LNM$_TABLE items get the table's name.
 */
function createService(database: LogicalNameDatabase, r: ServiceRequest): Status {
  const call = nameArguments(database, r, readCreateItems)
  if (typeof call === 'number') return call
  const { attributes, table, name, acmode, items } = call
  const result = database.create({
    pid: r.pid,
    callerMode: r.mode,
    ...(acmode !== undefined && { acmode }),
    table,
    name,
    attributes,
    translations: items.translations,
  })
  if ((result.status & 1) === 0) return result.status
  for (const item of items.tableItems) writeItem(r.guest, item, bytesOf(result.table ?? ''))
  return result.status
}

/**
 * $TRNLNM [attr],tabnam,lognam,[acmode],[itmlst] (28.8.2). Reads and probes every
 * argument, translates, and fills the item list: SS$_BUFFEROVF when a value was cut to
 * its buffer.
 */
function translateService(database: LogicalNameDatabase, r: ServiceRequest): Status {
  const call = nameArguments(database, r, readTranslateItems)
  if (typeof call === 'number') return call
  const { attributes, table, name, acmode, items } = call
  const result = database.translate({
    pid: r.pid,
    callerMode: r.mode,
    ...(acmode !== undefined && { acmode }),
    table,
    name,
    attributes,
  })
  if (result.found === undefined) return result.status
  let status: Status = SS.NORMAL
  for (const item of items) {
    if (!writeItem(r.guest, item.item, itemValue(result.found, item))) status = SS.BUFFEROVF
  }
  return status
}

/** $DELLNM tabnam,[lognam],[acmode] (28.8.5). */
function deleteService(database: LogicalNameDatabase, r: ServiceRequest): Status {
  const tabnam = readString(r.guest, argument(r, 0))
  const lognamAddress = argument(r, 1)
  const lognam = lognamAddress === 0 ? undefined : readString(r.guest, lognamAddress)
  const acmode = readMode(r.guest, argument(r, 2))
  const table = nameOf(tabnam)
  const name = lognam === undefined ? undefined : nameOf(lognam)
  if (table === undefined || (lognam !== undefined && name === undefined)) return SS.IVLOGNAM
  const attached = database.attach(r.pid)
  if (attached !== SS.NORMAL) return attached
  return database.delete({
    pid: r.pid,
    callerMode: r.mode,
    ...(acmode !== undefined && { acmode }),
    table,
    ...(name !== undefined && { name }),
  })
}

/**
 * One $TRNLNM item's value for the name found: the equivalence at the item's index
 * (empty when there is none), its length, the attributes (the name's, the
 * equivalence's, and LNM$M_EXISTS when it exists), the highest index (-1 for none), the
 * name's access mode (a byte) and its table's name.
 */
function itemValue(found: FoundName, { item, index }: TranslateItem): Uint8Array {
  const x = found.translations.find((t) => t.index === index)
  switch (item.code) {
    case LNM._STRING:
      return bytesOf(x?.value ?? '')
    case LNM._LENGTH:
      return longword(x?.value.length ?? 0)
    case LNM._ATTRIBUTES:
      return longword(found.flags | (x === undefined ? 0 : x.flags | LNM.M_EXISTS))
    case LNM._MAX_INDEX:
      return longword(found.translations.reduce((max, t) => Math.max(max, t.index), -1))
    case LNM._ACMODE:
      return Uint8Array.of(found.mode)
    default:
      return bytesOf(found.table)
  }
}
