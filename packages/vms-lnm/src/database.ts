/**
 * The logical name database (book ch. 28): the shareable hash table with the system
 * directory, the system, group and job tables; each process's private hash table with
 * its process directory and process table; table name resolution through the
 * directories (28.7); and the three operations of $CRELNM, $TRNLNM and $DELLNM (28.8).
 */
import { type DynamicMemory, type ProcessIdentity, SS, type Status } from '@vms/contracts'
import {
  groupTableName,
  isDirectoryName,
  jobTableName,
  processTableNames,
  SYSTEM_TABLE_NAMES,
} from './default-tables'
import {
  type AccessMode,
  CRELNM_ATTRIBUTES,
  DYN_LNM,
  EQUIVALENCE_ATTRIBUTES,
  LNM,
  MAX_EQUIVALENCES,
  MAX_TRANSLATION_INDEX,
  maximizeMode,
  TRNLNM_ATTRIBUTES,
} from './lnm'
import { mayAccess } from './protection'
import { resolveTableName } from './resolution'
import {
  LNMB,
  LNMTH,
  type Lnmb,
  type Lnmth,
  type Lnmx,
  LogicalNameHashTable,
  lnmbSize,
  type TableOwner,
} from './structures'

export interface LogicalNameDatabaseOptions {
  /** Pool for LNMBs (DYN$C_LNM); without one, blocks are numbered instead. */
  readonly memory?: DynamicMemory
  /** The identity of a process: its UIC group, job and privileges. */
  readonly process: (pid: number) => ProcessIdentity | undefined
  /** LNMSHASHTBL: entries of the shareable hash table (default 512). */
  readonly shareableHashEntries?: number
  /** LNMPHASHTBL: entries of each process's hash table (default 128). */
  readonly processHashEntries?: number
}

/** Who asks: a process (its PID), or the system itself (the console, with every privilege). */
export interface Caller {
  /** The process; 0 or absent for the system, which has no process-private names. */
  readonly pid?: number
  /** The access mode the request comes from. */
  readonly callerMode: number
}

/** $CRELNM's arguments, decoded (28.8.3). */
export interface CreateRequest extends Caller {
  readonly table: string
  readonly name: string
  /** ATTR: LNM$M_NO_ALIAS, LNM$M_CONFINE. */
  readonly attributes?: number
  /** ACMODE, maximized with the caller's mode unless the caller has SYSNAM. */
  readonly acmode?: number
  readonly translations: readonly Lnmx[]
}

/** $TRNLNM's arguments, decoded (28.8.2). */
export interface TranslateRequest extends Caller {
  readonly table: string
  readonly name: string
  /** ATTR: LNM$M_CASE_BLIND. */
  readonly attributes?: number
  /** ACMODE: names of outer modes are ignored (absent: every mode). */
  readonly acmode?: number
}

/** $DELLNM's arguments, decoded (28.8.5). */
export interface DeleteRequest extends Caller {
  readonly table: string
  /** The name; absent, every name of the first table at the mode or outer ones. */
  readonly name?: string
  readonly acmode?: number
}

/** A logical name as $TRNLNM reports it. */
export interface FoundName {
  readonly name: string
  readonly mode: AccessMode
  /** LNM$M_ attributes of the name (NO_ALIAS, CONFINE, CRELOG, TABLE). */
  readonly flags: number
  /** The name of the table that holds it. */
  readonly table: string
  readonly translations: readonly Lnmx[]
}

export type TranslateResult =
  | { readonly status: Status; readonly found: FoundName }
  | { readonly status: Status; readonly found?: undefined }

/** One LNMB as a snapshot shows it: the whole database is a list of these. */
export interface NameSnapshot {
  /** `shareable`, or `process PID` for a process-private name. */
  readonly space: string
  readonly table: string
  readonly name: string
  readonly mode: number
  readonly flags: number
  readonly translations: readonly Lnmx[]
}

/** A process's private part: its hash table, process directory and process table. */
interface ProcessNames {
  readonly pid: number
  readonly identity: ProcessIdentity
  readonly hash: LogicalNameHashTable
  readonly directory: Lnmth
  readonly table: Lnmth
}

/** Raised while LNMBs are made when pool runs out (SS$_INSFMEM). */
class OutOfPool {}

const validLength = (text: string) => text.length >= 1 && text.length <= LNM.C_NAMLENGTH

/**
 * The logical name database. Every operation validates its request completely before it
 * changes anything: a failed call leaves the names and the pool as they were.
 */
export class LogicalNameDatabase {
  private readonly memory: DynamicMemory | undefined
  private readonly identify: (pid: number) => ProcessIdentity | undefined
  private readonly processHashEntries: number
  private readonly shareable: LogicalNameHashTable
  private readonly systemDirectory: Lnmth
  private readonly processes = new Map<number, ProcessNames>()
  private readonly jobTables = new Map<number, Lnmth>()
  private readonly groupTables = new Map<number, Lnmth>()
  /** The attached processes of each job: its table goes with the last of them. */
  private readonly jobMembers = new Map<number, Set<number>>()
  private serial = 0x1000

  constructor(options: LogicalNameDatabaseOptions) {
    this.memory = options.memory
    this.identify = options.process
    this.processHashEntries = options.processHashEntries ?? 128
    this.shareable = new LogicalNameHashTable(options.shareableHashEntries ?? 512)
    const made: Lnmb[] = []
    const directory = this.header(
      LNMTH.M_SHAREABLE | LNMTH.M_DIRECTORY | LNMTH.M_SYSTEM,
      this.shareable,
      { kind: 'system' },
    )
    this.systemDirectory = directory
    const status = this.build(made, () => {
      this.defineTable(made, directory, 'LNM$SYSTEM_DIRECTORY', directory)
      const system = this.header(LNMTH.M_SHAREABLE | LNMTH.M_SYSTEM, this.shareable, {
        kind: 'system',
      })
      this.defineTable(made, directory, 'LNM$SYSTEM_TABLE', system)
      for (const [name, mode, values] of SYSTEM_TABLE_NAMES)
        this.defineAlias(made, directory, name, mode, values)
    })
    if (status !== SS.NORMAL) throw new Error('no pool for the system logical name tables')
  }

  // ---------------------------------------------------------------------------------
  // Processes (EXE$PROCSTRT and process deletion)

  /**
   * Makes a process's private names, as process creation does (28.3.1): its hash
   * table, LNM$PROCESS_DIRECTORY, LNM$PROCESS_TABLE and the names LNM$PROCESS, LNM$JOB
   * and LNM$GROUP; and its job's and group's tables if they do not exist yet.
   * SS$_NONEXPR for an unknown process, SS$_INSFMEM with nothing made when pool runs out.
   */
  attach(pid: number): Status {
    if (this.processes.has(pid)) return SS.NORMAL
    const identity = this.identify(pid)
    if (identity === undefined) return SS.NONEXPR
    const hash = new LogicalNameHashTable(this.processHashEntries)
    const owner: TableOwner = { kind: 'process', pid }
    const directory = this.header(LNMTH.M_DIRECTORY, hash, owner)
    const table = this.header(0, hash, owner)
    const made: Lnmb[] = []
    let newJob: Lnmth | undefined
    let newGroup: Lnmth | undefined
    const status = this.build(made, () => {
      this.defineTable(made, directory, 'LNM$PROCESS_DIRECTORY', directory)
      this.defineTable(made, directory, 'LNM$PROCESS_TABLE', table)
      for (const [name, mode, values] of processTableNames(identity.job, identity.group))
        this.defineAlias(made, directory, name, mode, values)
      if (!this.jobTables.has(identity.job)) {
        newJob = this.header(LNMTH.M_SHAREABLE, this.shareable, {
          kind: 'job',
          job: identity.job,
        })
        this.defineTable(made, this.systemDirectory, jobTableName(identity.job), newJob)
      }
      if (!this.groupTables.has(identity.group)) {
        newGroup = this.header(LNMTH.M_SHAREABLE | LNMTH.M_GROUP, this.shareable, {
          kind: 'group',
          group: identity.group,
        })
        this.defineTable(made, this.systemDirectory, groupTableName(identity.group), newGroup)
      }
    })
    if (status !== SS.NORMAL) return status
    if (newJob !== undefined) this.jobTables.set(identity.job, newJob)
    if (newGroup !== undefined) this.groupTables.set(identity.group, newGroup)
    this.processes.set(pid, { pid, identity, hash, directory, table })
    const members = this.jobMembers.get(identity.job) ?? new Set<number>()
    members.add(pid)
    this.jobMembers.set(identity.job, members)
    return SS.NORMAL
  }

  /**
   * Process deletion (book 22.2): its private names and tables go, and the job table
   * with the last process of the job. Group tables stay.
   */
  detach(pid: number): void {
    const process = this.processes.get(pid)
    if (process === undefined) return
    for (const lnmb of [...process.hash.all()]) this.remove(lnmb)
    this.processes.delete(pid)
    const job = process.identity.job
    const members = this.jobMembers.get(job)
    members?.delete(pid)
    if (members !== undefined && members.size > 0) return
    this.jobMembers.delete(job)
    const table = this.jobTables.get(job)
    if (table === undefined) return
    for (const lnmb of this.namesOf(table)) this.remove(lnmb)
    if (table.lnmb !== undefined) this.remove(table.lnmb)
    this.jobTables.delete(job)
  }

  /** Whether a process's private names exist. */
  attached(pid: number): boolean {
    return this.processes.has(pid)
  }

  // ---------------------------------------------------------------------------------
  // The services

  /**
   * $CRELNM (28.8.3): validates the name (SS$_IVLOGNAM), attributes and translations
   * (SS$_BADPARAM, SS$_IVLOGNAM for an equivalence not 1 to 255 bytes), finds the first
   * table of the table name (SS$_NOLOGTAB), checks write access to a shareable table
   * (SS$_NOPRIV) and the rules for names in a directory (SS$_IVLOGNAM), then inserts
   * the name as LNM$INSLOGTAB does: SS$_SUPERSEDE when it replaced a name of its mode
   * (or, with NO_ALIAS, outer-mode aliases), SS$_DUPLNAM when an inner-mode NO_ALIAS
   * name is there, SS$_INSFMEM without pool. `table` is the name of the table used.
   */
  create(request: CreateRequest): { status: Status; table?: string } {
    const caller = this.caller(request)
    if (typeof caller === 'number') return { status: caller }
    const attributes = request.attributes ?? 0
    if (!validLength(request.name) || !validLength(request.table)) return { status: SS.IVLOGNAM }
    if ((attributes & ~CRELNM_ATTRIBUTES) !== 0) return { status: SS.BADPARAM }
    const checked = checkTranslations(request.translations)
    if (checked !== SS.NORMAL) return { status: checked }
    const mode = maximizeMode(
      request.acmode ?? request.callerMode,
      request.callerMode,
      caller.sysnam,
    )
    const first = this.firstTable(caller.process, request.table, mode)
    if (typeof first === 'number') return { status: first === SS.NOLOGNAM ? SS.NOLOGTAB : first }
    if (!mayAccess(caller.identity, first, 'write')) return { status: SS.NOPRIV }
    if ((first.flags & LNMTH.M_DIRECTORY) !== 0 && !isDirectoryName(request.name))
      return { status: SS.IVLOGNAM }
    const existing = first.hash.lookup(request.name, false).filter((l) => l.table === first)
    if (existing.some((l) => l.mode < mode && (l.flags & LNM.M_NO_ALIAS) !== 0))
      return { status: SS.DUPLNAM }
    const replaced = existing.filter(
      (l) => l.mode === mode || ((attributes & LNM.M_NO_ALIAS) !== 0 && l.mode > mode),
    )
    if (replaced.some((l) => (l.flags & LNMB.M_NO_DELETE) !== 0)) return { status: SS.NOPRIV }
    const translations = [...request.translations].sort((a, b) => a.index - b.index)
    const made: Lnmb[] = []
    const status = this.build(made, () => {
      made.push(this.allocate(first, request.name, mode, attributes, translations))
    })
    if (status !== SS.NORMAL) return { status }
    for (const old of replaced) this.remove(old)
    const tableName = first.lnmb?.name ?? ''
    return { status: replaced.length > 0 ? SS.SUPERSEDE : SS.NORMAL, table: tableName }
  }

  /**
   * $TRNLNM (28.8.2, LNM$SEARCHLOG 28.6): SS$_NOLOGNAM at once when the name is in
   * neither hash table; otherwise the tables of the table name in order, depth first
   * (28.7), each searched for the name at the mode asked for or an inner one,
   * outermost first; the first found is the answer. SS$_NOLOGNAM when none has it,
   * SS$_NOPRIV when the caller may not read its shareable table, SS$_TOOMANYLNAM when
   * the table name goes deeper than LNM$C_MAXDEPTH before the name is found.
   */
  translate(request: TranslateRequest): TranslateResult {
    const caller = this.caller(request)
    if (typeof caller === 'number') return { status: caller }
    const attributes = request.attributes ?? 0
    if (!validLength(request.name) || !validLength(request.table)) return { status: SS.IVLOGNAM }
    if ((attributes & ~TRNLNM_ATTRIBUTES) !== 0) return { status: SS.BADPARAM }
    const caseBlind = (attributes & LNM.M_CASE_BLIND) !== 0
    const mode = maximizeMode(request.acmode ?? 3, request.callerMode, caller.sysnam)
    if (!this.defined(caller.process, request.name, caseBlind)) return { status: SS.NOLOGNAM }
    const found = this.search(caller.process, request.table, mode, (table) => {
      const match = table.hash
        .lookup(request.name, caseBlind)
        .find((l) => l.table === table && l.mode <= mode)
      return match === undefined ? undefined : [match]
    })
    if (typeof found === 'number') return { status: found }
    const [lnmb] = found
    if (lnmb === undefined) return { status: SS.NOLOGNAM }
    if (!mayAccess(caller.identity, lnmb.table, 'read')) return { status: SS.NOPRIV }
    return { status: SS.NORMAL, found: describe(lnmb) }
  }

  /**
   * $DELLNM (28.8.5): with a name, the first table of the table name holding it at the
   * request's mode or an outer one loses those definitions (the name and its outer
   * aliases); SS$_NOLOGNAM when there are none. Without a name, every name of the first
   * table at the mode or an outer one. A shareable table needs write access
   * (SS$_NOPRIV); the tables the system made cannot be deleted (SS$_NOPRIV).
   */
  delete(request: DeleteRequest): Status {
    const caller = this.caller(request)
    if (typeof caller === 'number') return caller
    if (!validLength(request.table)) return SS.IVLOGNAM
    if (request.name !== undefined && !validLength(request.name)) return SS.IVLOGNAM
    const mode = maximizeMode(
      request.acmode ?? request.callerMode,
      request.callerMode,
      caller.sysnam,
    )
    const name = request.name
    let doomed: Lnmb[]
    let table: Lnmth
    if (name === undefined) {
      const first = this.firstTable(caller.process, request.table, mode)
      if (typeof first === 'number') return first
      table = first
      doomed = this.namesOf(first).filter(
        (l) => l.mode >= mode && (l.flags & LNMB.M_NO_DELETE) === 0,
      )
    } else {
      if (!this.defined(caller.process, name, false)) return SS.NOLOGNAM
      const found = this.search(caller.process, request.table, mode, (t) => {
        const names = t.hash.lookup(name, false).filter((l) => l.table === t && l.mode >= mode)
        return names.length > 0 ? names : undefined
      })
      if (typeof found === 'number') return found
      const [head] = found
      if (head === undefined) return SS.NOLOGNAM
      table = head.table
      doomed = found
      if (doomed.some((l) => (l.flags & LNMB.M_NO_DELETE) !== 0)) return SS.NOPRIV
    }
    if (!mayAccess(caller.identity, table, 'write')) return SS.NOPRIV
    for (const lnmb of doomed) this.remove(lnmb)
    return SS.NORMAL
  }

  // ---------------------------------------------------------------------------------
  // Inspection

  /**
   * The tables a table name resolves to for a process at a mode, in search order, each
   * with its name (LNM$SETUP and LNM$TABLE, 28.7); SS$_NOLOGNAM or SS$_TOOMANYLNAM.
   */
  tables(pid: number | undefined, table: string, mode: number): { name: string }[] | Status {
    const caller = this.caller({ pid: pid ?? 0, callerMode: mode })
    if (typeof caller === 'number') return caller
    const headers: Lnmth[] = []
    const status = this.resolve(caller.process, table, (mode & 3) as AccessMode, (h) => {
      headers.push(h)
      return false
    })
    if (status !== SS.NORMAL) return status
    return headers.map((h) => ({ name: h.lnmb?.name ?? '' }))
  }

  /** The names of a table (as SHOW LOGICAL lists them), sorted, visible at `mode`. */
  namesIn(
    pid: number | undefined,
    tableName: string,
    mode: number,
  ): { status: Status; names: FoundName[] } {
    const caller = this.caller({ pid: pid ?? 0, callerMode: mode })
    if (typeof caller === 'number') return { status: caller, names: [] }
    let header: Lnmth | undefined
    const status = this.resolve(caller.process, tableName, (mode & 3) as AccessMode, (h) => {
      header = h
      return true
    })
    if (status !== SS.NORMAL || header === undefined)
      return { status: status === SS.NORMAL ? SS.NOLOGNAM : status, names: [] }
    const table = header
    if (!mayAccess(caller.identity, table, 'read')) return { status: SS.NOPRIV, names: [] }
    const names = this.namesOf(table)
      .filter((l) => l.mode <= (mode & 3))
      .map(describe)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : b.mode - a.mode))
    return { status: SS.NORMAL, names }
  }

  /** The whole database, name by name in a fixed order, for tests and dumps. */
  snapshot(): NameSnapshot[] {
    const rows: NameSnapshot[] = []
    const add = (space: string, hash: LogicalNameHashTable) => {
      for (const l of hash.all())
        rows.push({
          space,
          table: l.table.lnmb?.name ?? '',
          name: l.name,
          mode: l.mode,
          flags: l.flags,
          translations: l.translations.map((x) => ({ ...x })),
        })
    }
    add('shareable', this.shareable)
    for (const [pid, p] of this.processes) add(`process ${pid}`, p.hash)
    const key = (r: NameSnapshot) => `${r.space}\u0000${r.table}\u0000${r.name}\u0000${r.mode}`
    return rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
  }

  // ---------------------------------------------------------------------------------
  // Table name resolution and searching (28.6, 28.7)

  /** The caller's process and privileges; SS$_NONEXPR for an unknown process. */
  private caller(
    request: Caller,
  ):
    | { process: ProcessNames | undefined; identity: ProcessIdentity | undefined; sysnam: boolean }
    | Status {
    const pid = request.pid ?? 0
    if (pid === 0) return { process: undefined, identity: undefined, sysnam: true }
    const attached = this.attach(pid)
    if (attached !== SS.NORMAL) return attached
    const process = this.processes.get(pid) as ProcessNames
    const identity = this.identify(pid) ?? process.identity
    return { process, identity, sysnam: identity.privileges.has('SYSNAM') }
  }

  /** Table name resolution (28.7) in a process's directories, then the system's. */
  private resolve(
    process: ProcessNames | undefined,
    name: string,
    mode: AccessMode,
    visit: (table: Lnmth) => boolean,
  ): Status {
    const directories =
      process === undefined ? [this.systemDirectory] : [process.directory, this.systemDirectory]
    return resolveTableName(directories, name, mode, visit)
  }

  /** LNM$FIRSTTAB (28.7): the first table of a table name; SS$_NOLOGNAM for none. */
  private firstTable(
    process: ProcessNames | undefined,
    name: string,
    mode: AccessMode,
  ): Lnmth | Status {
    let first: Lnmth | undefined
    const status = this.resolve(process, name, mode, (table) => {
      first = table
      return true
    })
    if (status !== SS.NORMAL) return status
    return first ?? SS.NOLOGNAM
  }

  /**
   * The tables of a table name searched in order until `match` finds names in one
   * (LNM$SEARCHLOG, 28.6): those names, or [] when no table has any.
   */
  private search(
    process: ProcessNames | undefined,
    table: string,
    mode: AccessMode,
    match: (table: Lnmth) => Lnmb[] | undefined,
  ): Lnmb[] | Status {
    let found: Lnmb[] = []
    const status = this.resolve(process, table, mode, (header) => {
      const names = match(header)
      if (names !== undefined) found = names
      return names !== undefined
    })
    if (status !== SS.NORMAL && found.length === 0) return status
    return found
  }

  /**
   * LNM$PRESEARCH (28.6): whether the name is in either hash table at all, in any
   * table. Most translations fail, and this finds out before any table name is
   * resolved.
   */
  private defined(process: ProcessNames | undefined, name: string, caseBlind: boolean): boolean {
    if (process !== undefined && process.hash.lookup(name, caseBlind).length > 0) return true
    return this.shareable.lookup(name, caseBlind).length > 0
  }

  /** Every name a table holds: the scan of its hash table (28.5.2). */
  private namesOf(table: Lnmth): Lnmb[] {
    return [...table.hash.all()].filter((l) => l.table === table)
  }

  // ---------------------------------------------------------------------------------
  // Making and freeing LNMBs

  private header(flags: number, hash: LogicalNameHashTable, owner: TableOwner): Lnmth {
    return { flags, hash, owner, lnmb: undefined }
  }

  /**
   * Runs `steps`, which allocate LNMBs into `made`, then puts them in their hash tables;
   * when pool runs out on the way, every one made is given back (SS$_INSFMEM).
   */
  private build(made: Lnmb[], steps: () => void): Status {
    try {
      steps()
    } catch (error) {
      if (!(error instanceof OutOfPool)) throw error
      for (const lnmb of made) this.remove(lnmb)
      return SS.INSFMEM
    }
    for (const lnmb of made) lnmb.table.hash.insert(lnmb)
    return SS.NORMAL
  }

  /** A system-made table name: kernel mode, NO_ALIAS, never deleted by a service. */
  private defineTable(made: Lnmb[], directory: Lnmth, name: string, header: Lnmth): void {
    const lnmb = this.allocate(
      directory,
      name,
      0,
      LNM.M_NO_ALIAS | LNM.M_TABLE | LNMB.M_NO_DELETE,
      [],
      header,
    )
    header.lnmb = lnmb
    made.push(lnmb)
  }

  /** A system-made name that translates to table names. */
  private defineAlias(
    made: Lnmb[],
    directory: Lnmth,
    name: string,
    mode: AccessMode,
    values: readonly string[],
  ): void {
    const translations = values.map((value, index) => ({ index, flags: 0, value }))
    made.push(this.allocate(directory, name, mode, 0, translations))
  }

  /**
   * An LNMB from pool (DYN$C_LNM, LNMB$W_SIZE bytes), or OutOfPool. It is not in its
   * hash table yet: `build` inserts the LNMBs once all were made.
   */
  private allocate(
    table: Lnmth,
    name: string,
    mode: AccessMode,
    flags: number,
    translations: readonly Lnmx[],
    header?: Lnmth,
  ): Lnmb {
    const size = lnmbSize(name, translations, header !== undefined)
    let address: number
    if (this.memory === undefined) {
      address = this.serial
      this.serial += size
    } else {
      const block = this.memory.allocate(size, DYN_LNM)
      if ((block.status & 1) === 0) throw new OutOfPool()
      address = block.address
    }
    return {
      address,
      size,
      name,
      mode,
      flags,
      table,
      translations,
      ...(header !== undefined && { header }),
    }
  }

  /** Takes an LNMB out of its hash table and gives its pool back. */
  private remove(lnmb: Lnmb): void {
    lnmb.table.hash.remove(lnmb)
    this.memory?.deallocate(lnmb.address)
  }
}

/**
 * The checks of $CRELNM's item list (28.8.3): at most 128 equivalences, indexes 0 to
 * 127 and each once, only CONCEALED and TERMINAL as attributes (SS$_BADPARAM), each
 * string 1 to 255 bytes (SS$_IVLOGNAM).
 */
function checkTranslations(translations: readonly Lnmx[]): Status {
  if (translations.length > MAX_EQUIVALENCES) return SS.BADPARAM
  const seen = new Set<number>()
  for (const x of translations) {
    if (!Number.isInteger(x.index) || x.index < 0 || x.index > MAX_TRANSLATION_INDEX)
      return SS.BADPARAM
    if (seen.has(x.index)) return SS.BADPARAM
    seen.add(x.index)
    if ((x.flags & ~EQUIVALENCE_ATTRIBUTES) !== 0) return SS.BADPARAM
    if (!validLength(x.value)) return SS.IVLOGNAM
  }
  return SS.NORMAL
}

/** An LNMB as the services report it. */
function describe(lnmb: Lnmb): FoundName {
  return {
    name: lnmb.name,
    mode: lnmb.mode,
    flags: lnmb.flags & (LNM.M_NO_ALIAS | LNM.M_CONFINE | LNM.M_CRELOG | LNM.M_TABLE),
    table: lnmb.table.lnmb?.name ?? '',
    translations: lnmb.translations,
  }
}
