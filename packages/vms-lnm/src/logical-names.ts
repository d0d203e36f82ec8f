/**
 * The logical name database as the host's programs use it: the DCL console's DEFINE,
 * ASSIGN, DEASSIGN, SHOW LOGICAL and F$TRNLNM, with the same rules as the services.
 */
import { SS, type Status } from '@vms/contracts'
import {
  type FoundName,
  LogicalNameDatabase,
  type LogicalNameDatabaseOptions,
  type NameSnapshot,
} from './database'
import { type AccessMode, LNM } from './lnm'
import type { Lnmx } from './structures'

/** Who asks, and at which mode. */
export interface NameContext {
  /** The process (its private tables); absent or 0 for the system, with every privilege. */
  readonly pid?: number
  /** The mode of the names (ACMODE): DEFINE/USER 3, /SUPERVISOR 2 (DCL's default), /EXECUTIVE 1. */
  readonly mode?: number
  /** The mode the request comes from: DCL runs in supervisor mode (the default). */
  readonly callerMode?: number
  /** The table name (each operation has its default). */
  readonly table?: string
}

/** An equivalence string with its attributes (LNM$M_CONCEALED, LNM$M_TERMINAL). */
export interface Equivalence {
  readonly value: string
  readonly concealed?: boolean
  readonly terminal?: boolean
}

export interface DefineOptions extends NameContext {
  /** LNM$M_CONFINE: not copied to subprocesses. */
  readonly confine?: boolean
  /** LNM$M_NO_ALIAS: no outer-mode definition may coexist. */
  readonly noAlias?: boolean
}

export interface TranslateOptions extends NameContext {
  /** LNM$M_CASE_BLIND. */
  readonly caseBlind?: boolean
  /** The translation index (F$TRNLNM's index argument); 0 by default. */
  readonly index?: number
}

/** What `translate` finds: the equivalence at the index, with the whole name. */
export interface Translation {
  readonly status: Status
  /** The equivalence string at the index asked for (undefined when there is none). */
  readonly value?: string
  readonly name?: FoundName
}

const SUPERVISOR: AccessMode = 2

/** DCL's default table for DEFINE and DEASSIGN. */
const PROCESS = 'LNM$PROCESS'
/** The default table for translation: what RMS and device names use (28.3.1). */
const FILE_DEV = 'LNM$FILE_DEV'
/** The table SHOW LOGICAL and the lexical functions search (28.3.1). */
const DCL_LOGICAL = 'LNM$DCL_LOGICAL'

/**
 * The host side of the logical name database: DEFINE, DEASSIGN, translation (one step
 * as $TRNLNM, or iterative as $ASSIGN does) and SHOW LOGICAL.
 */
export class LogicalNames {
  readonly database: LogicalNameDatabase

  constructor(options: LogicalNameDatabaseOptions | LogicalNameDatabase) {
    this.database =
      options instanceof LogicalNameDatabase ? options : new LogicalNameDatabase(options)
  }

  /**
   * DEFINE (and ASSIGN): $CRELNM of `name` with the equivalences in order, in
   * LNM$PROCESS unless a table is given, at supervisor mode unless a mode is given.
   */
  define(
    name: string,
    equivalences: string | readonly (string | Equivalence)[],
    options: DefineOptions = {},
  ): Status {
    const list = typeof equivalences === 'string' ? [equivalences] : equivalences
    const translations: Lnmx[] = list.map((e, index) => {
      const x = typeof e === 'string' ? { value: e } : e
      const flags = (x.concealed ? LNM.M_CONCEALED : 0) | (x.terminal ? LNM.M_TERMINAL : 0)
      return { index, flags, value: x.value }
    })
    const callerMode = options.callerMode ?? SUPERVISOR
    return this.database.create({
      pid: options.pid ?? 0,
      callerMode,
      acmode: options.mode ?? callerMode,
      table: options.table ?? PROCESS,
      name,
      attributes: (options.confine ? LNM.M_CONFINE : 0) | (options.noAlias ? LNM.M_NO_ALIAS : 0),
      translations,
    }).status
  }

  /** DEASSIGN: $DELLNM of `name` (every name of the table when undefined). */
  deassign(name: string | undefined, options: NameContext = {}): Status {
    const callerMode = options.callerMode ?? SUPERVISOR
    return this.database.delete({
      pid: options.pid ?? 0,
      callerMode,
      acmode: options.mode ?? callerMode,
      table: options.table ?? PROCESS,
      ...(name !== undefined && { name }),
    })
  }

  /**
   * One translation, as $TRNLNM and F$TRNLNM give it: the equivalence at `index` of the
   * first definition found in LNM$FILE_DEV (or the table given).
   */
  translate(name: string, options: TranslateOptions = {}): Translation {
    const result = this.database.translate({
      pid: options.pid ?? 0,
      callerMode: options.callerMode ?? SUPERVISOR,
      ...(options.mode !== undefined && { acmode: options.mode }),
      table: options.table ?? FILE_DEV,
      name,
      attributes: options.caseBlind ? LNM.M_CASE_BLIND : 0,
    })
    if (result.found === undefined) return { status: result.status }
    const index = options.index ?? 0
    const x = result.found.translations.find((t) => t.index === index)
    return {
      status: result.status,
      name: result.found,
      ...(x !== undefined && { value: x.value }),
    }
  }

  /**
   * Iterative translation as $ASSIGN and RMS do it (28.4.1): the equivalence of index 0
   * translated again while it is a name and not terminal. The name itself when it is
   * not a logical name; SS$_TOOMANYLNAM after LNM$C_MAXDEPTH translations.
   */
  translateIteratively(name: string, options: TranslateOptions = {}): Translation {
    let current = name
    let last: FoundName | undefined
    for (let depth = 0; ; depth++) {
      const step = this.translate(current, { ...options, index: 0 })
      if (step.status !== SS.NORMAL && step.status !== SS.NOLOGNAM) return { status: step.status }
      if (step.value === undefined)
        return { status: SS.NORMAL, value: current, ...(last !== undefined && { name: last }) }
      if (depth === LNM.C_MAXDEPTH) return { status: SS.TOOMANYLNAM }
      current = step.value
      last = step.name
      const x = step.name?.translations.find((t) => t.index === 0)
      if (x !== undefined && (x.flags & LNM.M_TERMINAL) !== 0)
        return { status: SS.NORMAL, value: current, ...(last !== undefined && { name: last }) }
    }
  }

  /**
   * SHOW LOGICAL (28.3.1): with a name, its definition in each table of LNM$DCL_LOGICAL
   * (or the table given) that has one, followed by the iterative translation of each
   * equivalence's name part, numbered by level; without a name, every table's names.
   */
  show(name: string | undefined, options: NameContext = {}): { status: Status; lines: string[] } {
    const table = options.table ?? DCL_LOGICAL
    const mode = options.mode ?? 3
    const pid = options.pid ?? 0
    const tables = this.database.tables(pid, table, mode)
    if (typeof tables === 'number') return { status: tables, lines: [] }
    const seen = new Set<string>()
    const lines: string[] = []
    if (name === undefined) {
      for (const t of tables) {
        if (seen.has(t.name)) continue
        seen.add(t.name)
        const { status, names } = this.database.namesIn(pid, t.name, mode)
        if (status !== SS.NORMAL) continue
        lines.push('', `(${t.name})`, '')
        for (const n of names) lines.push(...equivalenceLines(`  "${n.name}"`, n, ''))
      }
      return { status: SS.NORMAL, lines }
    }
    let found = false
    for (const t of tables) {
      if (seen.has(t.name)) continue
      seen.add(t.name)
      const r = this.translate(name, { pid, mode, table: t.name })
      if (r.name === undefined || r.name.table !== t.name) continue
      found = true
      lines.push(...this.showName(`  "${r.name.name}"`, r.name, pid, mode, table, 1))
    }
    if (!found)
      return {
        status: SS.NOLOGNAM,
        lines: [`%SHOW-S-NOTRAN, no translation for logical name ${name}`],
      }
    return { status: SS.NORMAL, lines }
  }

  /**
   * The tables a table name resolves to, in search order (28.7): LNM$FILE_DEV is
   * LNM$PROCESS_TABLE, LNM$JOB_..., LNM$GROUP_..., LNM$SYSTEM_TABLE at user mode.
   */
  searchList(table: string, options: NameContext = {}): { status: Status; tables: string[] } {
    const tables = this.database.tables(options.pid ?? 0, table, options.mode ?? 3)
    if (typeof tables === 'number') return { status: tables, tables: [] }
    return { status: SS.NORMAL, tables: tables.map((t) => t.name) }
  }

  /** The whole database (for tests and dumps). */
  snapshot(): NameSnapshot[] {
    return this.database.snapshot()
  }

  /** A name's lines, then each equivalence's name part translated, a level deeper. */
  private showName(
    label: string,
    found: FoundName,
    pid: number,
    mode: number,
    table: string,
    level: number,
  ): string[] {
    const lines = equivalenceLines(label, found, ` (${found.table})`)
    if (level > LNM.C_MAXDEPTH) return lines
    for (const x of found.translations) {
      if ((x.flags & LNM.M_TERMINAL) !== 0) continue
      const part = namePart(x.value)
      if (part === undefined) continue
      const next = this.translate(part, { pid, mode, table })
      if (next.name === undefined) continue
      lines.push(
        ...this.showName(`${level} "${next.name.name}"`, next.name, pid, mode, table, level + 1),
      )
    }
    return lines
  }
}

/** `label = "first" suffix`, then `        = "next"` for each further equivalence. */
function equivalenceLines(label: string, found: FoundName, suffix: string): string[] {
  const [first, ...rest] = found.translations
  if (first === undefined) return [`${label} = ""${suffix}`]
  return [`${label} = "${first.value}"${suffix}`, ...rest.map((x) => `        = "${x.value}"`)]
}

/** The part of an equivalence that may be a logical name: up to its first colon. */
function namePart(value: string): string | undefined {
  const colon = value.indexOf(':')
  const part = colon < 0 ? value : value.slice(0, colon)
  return part.length === 0 || part.startsWith('_') ? undefined : part
}
