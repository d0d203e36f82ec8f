import { SS, type Status } from '@vms/contracts'
import { lookup } from './command-table'
import { toText } from './expression'
import type { Dcl } from './interpreter'
import { formatAbsoluteTime } from './lexicals'
import { CLI, CLI_NORMAL, DclError, RMS } from './messages'
import { MAX_LINE } from './symbols'
import type { ParsedCommand, QualifierDefinition, VerbDefinition } from './types'

/** The first value of parameter `i`, or undefined. */
export function parameter(command: ParsedCommand, i: number): string | undefined {
  return command.parameters[i]?.[0]
}

/** True when a qualifier was given (and not negated); undefined when absent. */
export function present(command: ParsedCommand, name: string): boolean | undefined {
  const q = command.qualifiers.get(name)
  return q === undefined ? undefined : !q.negated
}

/** A qualifier's first value. */
export function qualifierValue(command: ParsedCommand, name: string): string | undefined {
  return command.qualifiers.get(name)?.values[0]
}

/** Splits text at top-level commas (outside quotes and parentheses): WRITE's list. */
function splitList(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let quoted = false
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') quoted = !quoted
    else if (!quoted && c === '(') depth++
    else if (!quoted && c === ')') depth--
    else if (!quoted && depth === 0 && c === ',') {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  return parts
}

const OUTPUT_NAMES = ['SYS$OUTPUT', 'SYS$ERROR', 'TT', 'SYS$COMMAND']
const INPUT_NAMES = ['SYS$INPUT', 'SYS$COMMAND', 'TT']

/** The flow verbs of command procedures (DCL Dictionary: IF, GOTO, GOSUB, CALL, EXIT, ON...). */
function flowVerbs(dcl: Dcl): VerbDefinition[] {
  const raw = (
    name: string,
    help: string,
    run: (text: string) => Status | undefined,
  ): VerbDefinition => ({
    name,
    help,
    raw: true,
    handler: (command) => run(command.parameters[0]?.[0] ?? ''),
  })
  const f = dcl.flow
  return [
    raw('IF', 'IF expression THEN command, or a block: IF / THEN / ELSE / ENDIF', f.if),
    raw('THEN', 'begins the commands an IF runs when its expression is true', f.thenBlock),
    raw('ELSE', 'begins the commands an IF block runs when its expression is false', f.elseBlock),
    raw('ENDIF', 'ends an IF block', f.endif),
    raw('GOTO', 'GOTO label: continues the procedure at the label', f.goto),
    raw('GOSUB', 'GOSUB label: runs the lines at the label until RETURN', f.gosub),
    raw('RETURN', 'RETURN [status]: ends a GOSUB', f.return),
    raw('CALL', 'CALL label [p1 ... p8]: runs a SUBROUTINE at a new command level', f.call),
    raw('SUBROUTINE', 'label: SUBROUTINE begins a subroutine that CALL runs', () => undefined),
    raw(
      'CONTINUE',
      'does nothing in a procedure (ON ... THEN CONTINUE); a host may resume an image',
      () => undefined,
    ),
    raw('ENDSUBROUTINE', 'ends a subroutine', f.endsubroutine),
    raw('EXIT', 'EXIT [status]: ends the command procedure (or subroutine) with a status', f.exit),
    raw('ON', 'ON WARNING|ERROR|SEVERE_ERROR THEN command: what a failing command does', f.on),
    raw('WRITE', 'WRITE SYS$OUTPUT (or an OPEN file) expression[,...]: writes a line', (text) => {
      const m = /^\s*(\S+)\s*(.*)$/.exec(text)
      if (m === null) throw new DclError(CLI.INSFPRM)
      const name = (m[1] as string).toUpperCase().replace(/:$/, '')
      if ((m[2] as string).trim() === '') throw new DclError(CLI.INSFPRM)
      const values = splitList(m[2] as string).map((e) => toText(dcl.evaluate(e)))
      const record = values.join('')
      if (record.length > MAX_LINE) throw new DclError(CLI.BUFOVF)
      if (OUTPUT_NAMES.includes(name)) dcl.host.output(record)
      else dcl.openFiles.write(name, record)
      return CLI_NORMAL
    }),
  ]
}

/** READ and INQUIRE (DCL Dictionary: READ reads SYS$INPUT, INQUIRE the terminal). */
function inputVerbs(dcl: Dcl): VerbDefinition[] {
  return [
    {
      name: 'READ',
      help: 'READ [/PROMPT=text] [/END_OF_FILE=label] name symbol: reads a line (SYS$INPUT or an OPEN file)',
      parameters: [
        { label: 'Logical name', required: true },
        { label: 'Symbol', required: true },
      ],
      qualifiers: [
        { name: 'PROMPT', value: 'required', negatable: false, help: 'the prompt at the terminal' },
        {
          name: 'END_OF_FILE',
          value: 'required',
          negatable: false,
          help: 'label to go to at end of file',
        },
        { name: 'ERROR', value: 'required', negatable: false, help: 'label to go to on an error' },
      ],
      handler: (command) => {
        const name = (parameter(command, 0) ?? '').replace(/:$/, '')
        const symbol = parameter(command, 1) ?? ''
        const line = INPUT_NAMES.includes(name)
          ? dcl.readInput(qualifierValue(command, 'PROMPT') ?? 'Data: ')
          : dcl.openFiles.read(name)
        if (line === undefined) {
          const label = qualifierValue(command, 'END_OF_FILE')
          if (label !== undefined) return dcl.gotoLabel(label)
          return RMS.EOF
        }
        dcl.setSymbol(symbol, line)
        return CLI_NORMAL
      },
    },
    {
      name: 'OPEN',
      help: 'OPEN [/READ | /WRITE | /APPEND] name filespec: a file for READ and WRITE',
      parameters: [
        { label: 'Logical name', required: true },
        { label: 'Filespec', required: true, type: 'file' },
      ],
      qualifiers: [
        { name: 'READ', help: 'open an existing file to read (the default)' },
        { name: 'WRITE', help: 'make a new version to write' },
        { name: 'APPEND', help: 'add lines to an existing file' },
      ],
      handler: (command) => {
        const mode =
          present(command, 'WRITE') === true
            ? 'write'
            : present(command, 'APPEND') === true
              ? 'append'
              : 'read'
        dcl.openFiles.open(parameter(command, 0) ?? '', parameter(command, 1) ?? '', mode)
        return CLI_NORMAL
      },
    },
    {
      name: 'CLOSE',
      help: 'CLOSE name: closes a file OPEN opened',
      parameters: [{ label: 'Logical name', required: true }],
      handler: (command) => {
        dcl.openFiles.close(parameter(command, 0) ?? '')
        return CLI_NORMAL
      },
    },
    {
      name: 'INQUIRE',
      help: 'INQUIRE symbol [prompt]: asks at the terminal and sets the symbol',
      parameters: [
        { label: 'Symbol', required: true },
        { label: 'Prompt', keepCase: true },
      ],
      qualifiers: [
        { name: 'GLOBAL', help: 'set a global symbol' },
        { name: 'LOCAL', help: 'set a local symbol (the default)' },
        { name: 'PUNCTUATION', default: true, help: 'end the prompt with ": "' },
      ],
      handler: (command) => {
        const symbol = parameter(command, 0) ?? ''
        const prompt = parameter(command, 1) ?? symbol
        const suffix = present(command, 'PUNCTUATION') === false ? '' : ': '
        const answer = dcl.readTerminal(`${prompt}${suffix}`) ?? ''
        const value = answer.startsWith('"')
          ? answer.replace(/^"|"$/g, '')
          : answer
              .trim()
              .replace(/[ \t]+/g, ' ')
              .toUpperCase()
        dcl.setSymbol(symbol, value, present(command, 'GLOBAL') === true)
        return CLI_NORMAL
      },
    },
  ]
}

/** How SHOW SYMBOL shows a symbol: `  X = "text"`, `  N == 5   Hex = 00000005  Octal = 00000000005`. */
function showSymbol(name: string, value: string | number, global: boolean): string {
  const op = global ? '==' : '='
  if (typeof value === 'number') {
    const u = value >>> 0
    return `  ${name} ${op} ${value}   Hex = ${u.toString(16).toUpperCase().padStart(8, '0')}  Octal = ${u.toString(8).padStart(11, '0')}`
  }
  return `  ${name} ${op} "${value}"`
}

/** SET and SHOW keywords of the language itself, DEFINE/ASSIGN/DEASSIGN, DELETE/SYMBOL. */
function environmentVerbs(dcl: Dcl): VerbDefinition[] {
  const say = (line: string) => dcl.host.output(line)
  return [
    {
      name: 'SET',
      help: 'SET keyword: changes a setting (DEFAULT, VERIFY, ON, ...)',
      keywords: [
        {
          name: 'DEFAULT',
          help: 'SET DEFAULT [dir]: the default directory',
          parameters: [{ label: 'Directory', required: true }],
          handler: (command) => {
            dcl.disk.setDefault(parameter(command, 0) ?? '')
            return CLI_NORMAL
          },
        },
        {
          name: 'VERIFY',
          help: 'show procedure lines as they run',
          handler: () => {
            dcl.verify = true
            return CLI_NORMAL
          },
        },
        {
          name: 'NOVERIFY',
          help: 'stop showing procedure lines',
          handler: () => {
            dcl.verify = false
            return CLI_NORMAL
          },
        },
        {
          name: 'ON',
          help: 'ON actions are taken (the default)',
          handler: () => {
            dcl.setOn(true)
            return CLI_NORMAL
          },
        },
        {
          name: 'NOON',
          help: 'ON actions are not taken; errors are ignored',
          handler: () => {
            dcl.setOn(false)
            return CLI_NORMAL
          },
        },
      ],
    },
    {
      name: 'SHOW',
      help: 'SHOW keyword: shows a setting or the state of the system',
      keywords: [
        {
          name: 'DEFAULT',
          help: 'the default device and directory',
          handler: () => {
            say(`  ${dcl.disk.showDefault()}`)
            return CLI_NORMAL
          },
        },
        {
          name: 'TIME',
          help: 'the date and time',
          handler: () => {
            say(`  ${formatAbsoluteTime(dcl.now()).slice(0, -3)}`)
            return CLI_NORMAL
          },
        },
        {
          name: 'SYMBOL',
          help: 'SHOW SYMBOL name: a symbol and its value',
          parameters: [{ label: 'Symbol' }],
          qualifiers: [
            { name: 'ALL', help: 'every symbol' },
            { name: 'GLOBAL', help: 'the global table only' },
            { name: 'LOCAL', help: 'the local table only' },
          ],
          handler: (command) => {
            const name = parameter(command, 0)
            const globalOnly = present(command, 'GLOBAL') === true
            if (name === undefined || present(command, 'ALL') === true) {
              if (!globalOnly) for (const [n, v] of dcl.localSymbols()) say(showSymbol(n, v, false))
              if (present(command, 'LOCAL') !== true)
                for (const [n, v] of dcl.globals.entries()) say(showSymbol(n, v, true))
              return CLI_NORMAL
            }
            const local = globalOnly ? undefined : dcl.localSymbol(name)
            if (local !== undefined) {
              say(showSymbol(name, local, false))
              return CLI_NORMAL
            }
            const reserved =
              name === '$STATUS' || name === '$SEVERITY' ? dcl.symbol(name) : undefined
            const global =
              present(command, 'LOCAL') === true ? undefined : (reserved ?? dcl.globals.get(name))
            if (global === undefined) throw new DclError(CLI.UNDSYM, name)
            say(showSymbol(name, global, true))
            return CLI_NORMAL
          },
        },
        {
          name: 'LOGICAL',
          help: 'SHOW LOGICAL [name]: logical names and their translations',
          parameters: [{ label: 'Logical name' }],
          qualifiers: [{ name: 'ALL', help: 'every logical name' }],
          handler: (command) => {
            const name = parameter(command, 0)?.replace(/:$/, '')
            if (name === undefined) {
              say('')
              say('(LNM$PROCESS_TABLE)')
              say('')
              for (const [n, v] of [...dcl.logicals.entries()].sort(([a], [b]) =>
                a.localeCompare(b),
              ))
                say(`  "${n}" = "${v}"`)
              return CLI_NORMAL
            }
            const own = dcl.logicals.get(name)
            const value = own ?? dcl.translate(name)
            if (value === undefined) {
              say(`%SHOW-S-NOTRAN, no translation for logical name ${name}`)
              return SS.NOLOGNAM | 0x10000000
            }
            say(
              `  "${name}" = "${value}" (${own === undefined ? 'LNM$SYSTEM_TABLE' : 'LNM$PROCESS_TABLE'})`,
            )
            return CLI_NORMAL
          },
        },
      ],
    },
    {
      name: 'DEFINE',
      help: 'DEFINE name equivalence: a logical name in the process table',
      parameters: [
        { label: 'Log_Name', required: true },
        { label: 'Equ_Name', required: true, list: true },
      ],
      qualifiers: DEFINE_QUALIFIERS,
      handler: (command) =>
        defineLogical(
          dcl,
          parameter(command, 0) ?? '',
          (command.parameters[1] ?? []).join(','),
          present(command, 'LOG') !== false,
        ),
    },
    {
      name: 'ASSIGN',
      help: 'ASSIGN equivalence name: DEFINE with the parameters the other way round',
      parameters: [
        { label: 'Equ_Name', required: true, list: true },
        { label: 'Log_Name', required: true },
      ],
      qualifiers: DEFINE_QUALIFIERS,
      handler: (command) =>
        defineLogical(
          dcl,
          parameter(command, 1) ?? '',
          (command.parameters[0] ?? []).join(','),
          present(command, 'LOG') !== false,
        ),
    },
    {
      name: 'DEASSIGN',
      help: 'DEASSIGN name: removes a logical name',
      parameters: [{ label: 'Logical name' }],
      qualifiers: [
        { name: 'ALL', help: 'every name of the process table' },
        { name: 'PROCESS', help: 'the process table (the default)' },
      ],
      handler: (command) => {
        if (present(command, 'ALL') === true) {
          dcl.logicals.clear()
          return CLI_NORMAL
        }
        const name = parameter(command, 0)?.replace(/:$/, '')
        if (name === undefined) throw new DclError(CLI.INSFPRM)
        if (!dcl.logicals.delete(name)) {
          say(`%SYSTEM-F-NOLOGNAM, no logical name match`)
          return SS.NOLOGNAM | 0x10000000
        }
        return CLI_NORMAL
      },
    },
  ]
}

/** The qualifiers DEFINE and ASSIGN share. */
const DEFINE_QUALIFIERS: readonly QualifierDefinition[] = [
  { name: 'PROCESS', help: 'the process table (the default)' },
  { name: 'LOG', default: true, help: 'say when a name is superseded' },
]

function defineLogical(dcl: Dcl, rawName: string, value: string, log: boolean): Status {
  const name = rawName.replace(/:$/, '')
  if (!/^[A-Z0-9_$-]{1,255}$/.test(name)) throw new DclError(SS.IVLOGNAM, name)
  const old = dcl.logicals.has(name)
  dcl.logicals.set(name, value)
  if (old && log) {
    dcl.host.output(`%DCL-I-SUPERSEDE, previous value of ${name} has been superseded`)
    return CLI.SUPERSEDE
  }
  return CLI_NORMAL
}

/** HELP, from the command table (topics are verbs; subtopics keywords and qualifiers). */
function helpVerb(dcl: Dcl): VerbDefinition {
  return {
    name: 'HELP',
    help: 'HELP [topic [subtopic]]: describes the commands (a subtopic may be /QUALIFIER)',
    raw: true,
    handler: (command) => {
      const say = (line: string) => dcl.host.output(line)
      const words = (parameter(command, 0) ?? '').toUpperCase().replace(/\//g, ' /').split(/\s+/)
      const [topic, sub] = words.filter((w) => w !== '')
      const verbs = dcl.table.list()
      if (topic === undefined) {
        say('')
        say('  Information available:')
        say('')
        const names = verbs.map((v) => v.name)
        for (let i = 0; i < names.length; i += 5)
          say(
            `  ${names
              .slice(i, i + 5)
              .map((n) => n.padEnd(15))
              .join('')
              .trimEnd()}`,
          )
        say('')
        return CLI_NORMAL
      }
      const found = lookup(verbs, topic)
      if (found.kind !== 'found') {
        say(`  Sorry, no documentation on ${topic}`)
        return CLI_NORMAL
      }
      const verb = found.item
      if (sub !== undefined) {
        const items = sub.startsWith('/')
          ? (verb.qualifiers ?? []).concat((verb.keywords ?? []).flatMap((k) => k.qualifiers ?? []))
          : (verb.keywords ?? [])
        const s = lookup(
          items as readonly { name: string; help?: string }[],
          sub.replace(/^\//, ''),
        )
        if (s.kind !== 'found') {
          say(`  Sorry, no documentation on ${verb.name} ${sub}`)
          return CLI_NORMAL
        }
        say('')
        say(`${verb.name}`)
        say('')
        say(`  ${sub.startsWith('/') ? '/' : ''}${s.item.name}`)
        say('')
        say(`    ${s.item.help ?? ''}`)
        const quals =
          'qualifiers' in s.item
            ? ((s.item as { qualifiers?: readonly { name: string; help?: string }[] }).qualifiers ??
              [])
            : []
        for (const q of quals) say(`    /${q.name.padEnd(20)} ${q.help ?? ''}`)
        say('')
        return CLI_NORMAL
      }
      say('')
      say(verb.name)
      say('')
      say(`  ${verb.help}`)
      for (const line of verb.description?.split('\n') ?? []) say(`  ${line}`)
      const params = verb.parameters ?? []
      if (params.length > 0)
        say(`  Parameters: ${params.map((p) => (p.required ? p.label : `[${p.label}]`)).join(' ')}`)
      const quals = verb.qualifiers ?? []
      if (quals.length > 0 || (verb.keywords ?? []).length > 0) {
        say('')
        say('  Additional information available:')
        say('')
        for (const k of verb.keywords ?? []) say(`  ${k.name.padEnd(20)} ${k.help}`)
        for (const q of quals) say(`  /${q.name.padEnd(19)} ${q.help ?? ''}`)
      }
      say('')
      return CLI_NORMAL
    },
  }
}

/** RECALL: the command history (for a terminal front end, RECALL/ALL lists it). */
function recallVerb(dcl: Dcl): VerbDefinition {
  return {
    name: 'RECALL',
    help: 'RECALL [n | text] or RECALL/ALL: the commands typed',
    parameters: [{ label: 'Command' }],
    qualifiers: [{ name: 'ALL', help: 'list every command recalled' }],
    handler: (command) => {
      // The RECALL command itself is the newest line of the history.
      const lines = dcl.history.list().slice(0, -1).reverse()
      const which = parameter(command, 0)
      if (present(command, 'ALL') === true || which === undefined) {
        for (const [i, line] of lines.entries())
          dcl.host.output(`  ${String(i + 1).padStart(2)} ${line}`)
        return CLI_NORMAL
      }
      const found = /^[0-9]+$/.test(which)
        ? lines[Number(which) - 1]
        : lines.find((line) => line.toUpperCase().startsWith(which))
      if (found === undefined) throw new DclError(CLI.IVKEYW, which)
      dcl.host.output(found)
      return CLI_NORMAL
    },
  }
}

/** Every built-in verb except the file commands. */
export function languageVerbs(dcl: Dcl): VerbDefinition[] {
  return [
    ...flowVerbs(dcl),
    ...inputVerbs(dcl),
    ...environmentVerbs(dcl),
    helpVerb(dcl),
    recallVerb(dcl),
  ]
}
