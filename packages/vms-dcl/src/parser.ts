import { type CommandTable, lookup } from './command-table'
import { CLI, DclError } from './messages'
import type {
  CommandSyntax,
  KeywordDefinition,
  ParameterDefinition,
  ParsedCommand,
  QualifierDefinition,
  QualifierValue,
  VerbDefinition,
} from './types'

/** One element of a command line: a parameter (with its comma list) or a qualifier. */
type Element =
  | { readonly kind: 'parameter'; readonly values: string[]; readonly text: string }
  | {
      readonly kind: 'qualifier'
      readonly name: string
      readonly values: string[] | undefined
      readonly text: string
    }

const NAME = /[A-Za-z0-9_$]/

/**
 * Reads a value: a quoted string (`""` is a quote inside it; quotes removed, case kept)
 * or a run of characters up to one of `stops` or a blank; unquoted parts are upper-cased
 * unless `keepCase`.
 */
function readValue(
  text: string,
  start: number,
  stops: string,
  keepCase: boolean,
): { value: string; end: number } {
  let i = start
  let value = ''
  while (i < text.length) {
    const c = text[i] as string
    if (c === '"') {
      i++
      while (i < text.length) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"'
            i += 2
            continue
          }
          i++
          break
        }
        value += text[i]
        i++
      }
      continue
    }
    if (c === ' ' || c === '\t' || stops.includes(c)) break
    value += keepCase ? c : c.toUpperCase()
    i++
  }
  return { value, end: i }
}

/** How a qualifier's value is read: case kept, and a host path or bare comma list allowed. */
interface ValueReading {
  /** Keep the case of unquoted text (a file value on a case-sensitive host). */
  readonly keepCase: boolean
  /** A file value: a host path (`/OUTPUT=/tmp/x.exe`) is taken whole. */
  readonly file: boolean
  /** A list: `a,b` without parentheses is a list too (a file list such as /MIRROR=a,b). */
  readonly list: boolean
}

const PLAIN: ValueReading = { keepCase: false, file: false, list: false }

/**
 * A qualifier's value: `=v`, `:v`, or a list `=(a,b)`. A file value that looks like a
 * host path runs to the next blank or to a `/` that begins a qualifier of the command.
 */
function readQualifierValues(
  text: string,
  start: number,
  how: ValueReading = PLAIN,
  isQualifier: (name: string) => boolean = () => false,
): { values: string[]; end: number } {
  let i = start
  if (how.file && text[i] !== '(' && text[i] !== '"') {
    let end = i
    while (end < text.length && text[end] !== ' ' && text[end] !== '\t') end++
    const word = text.slice(i, end)
    if (word.includes('/')) {
      // Up to the first `/NAME` that is one of the command's qualifiers.
      const parts = word.split('/')
      let taken = parts[0] as string
      for (const part of parts.slice(1)) {
        const name = /^[A-Za-z0-9_$]+/.exec(part)?.[0] ?? ''
        if (name !== '' && isQualifier(name.toUpperCase()) && !part.includes('.')) break
        taken += `/${part}`
      }
      if (taken.includes('/')) {
        const values = how.list ? taken.split(',') : [taken]
        return { values, end: i + taken.length }
      }
    }
  }
  if (text[i] === '(') {
    const values: string[] = []
    i++
    for (;;) {
      while (text[i] === ' ') i++
      const { value, end } = readValue(text, i, ',)', how.keepCase)
      values.push(value)
      i = end
      while (text[i] === ' ') i++
      if (text[i] === ',') {
        i++
        continue
      }
      if (text[i] === ')') i++
      else throw new DclError(CLI.IVVALU, text.slice(start, i))
      return { values, end: i }
    }
  }
  const values: string[] = []
  for (;;) {
    const { value, end } = readValue(text, i, '/,', how.keepCase)
    values.push(value)
    i = end
    if (how.list && how.file && text[i] === ',') {
      i++
      continue
    }
    return { values, end: i }
  }
}

/**
 * A host path such as `/tmp/x.mar` or `examples/hello.mar` is one parameter where that is
 * unambiguous: a word whose `/`-parts are not qualifiers of the command and that looks
 * like a path (starts with `/` or `.` and has a second `/`, or its last part has a dot).
 */
function looksLikeHostPath(word: string): boolean {
  if (!word.includes('/')) return false
  const parts = word.split('/')
  const last = parts[parts.length - 1] ?? ''
  if (/^[./]/.test(word) && parts.length > 2) return true
  if (/^\.\.?\//.test(word)) return true
  return last.includes('.') && !last.includes('=')
}

/** Splits a command's text after the verb into its elements (book 23.3: the CLI's parse). */
function readElements(
  text: string,
  isQualifier: (name: string) => boolean,
  keepCase: (index: number) => boolean,
  valueReading: (name: string) => ValueReading = () => PLAIN,
): Element[] {
  const elements: Element[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i] as string
    if (c === ' ' || c === '\t') {
      i++
      continue
    }
    const atWord = i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t'
    if (c === '/' && atWord) {
      // `/tmp/x.mar` as a word of its own: a host path when its first part is no qualifier.
      let j = i
      while (j < text.length && text[j] !== ' ' && text[j] !== '\t') j++
      const word = text.slice(i, j)
      const first = /^\/([A-Za-z0-9_$]+)/.exec(word)?.[1] ?? ''
      if (looksLikeHostPath(word) && !isQualifier(first)) {
        elements.push({ kind: 'parameter', values: [word], text: word })
        i = j
        continue
      }
    }
    if (c === '/') {
      const start = i
      i++
      while (i < text.length && NAME.test(text[i] as string)) i++
      const name = text.slice(start + 1, i)
      if (name === '') throw new DclError(CLI.IVQUAL, text.slice(start, start + 2).trim() || '/')
      let values: string[] | undefined
      if (text[i] === '=' || text[i] === ':') {
        const read = readQualifierValues(text, i + 1, valueReading(name.toUpperCase()), isQualifier)
        values = read.values
        i = read.end
      }
      elements.push({
        kind: 'qualifier',
        name: name.toUpperCase(),
        values,
        text: text.slice(start + 1, i),
      })
      continue
    }
    // A parameter: a word, or a comma list of words.
    const start = i
    const wordEnd = (() => {
      let j = i
      let quoted = false
      while (j < text.length) {
        const d = text[j]
        if (d === '"') quoted = !quoted
        else if (!quoted && (d === ' ' || d === '\t')) break
        j++
      }
      return j
    })()
    const word = text.slice(start, wordEnd)
    const index = elements.filter((e) => e.kind === 'parameter').length
    if (!word.startsWith('"') && looksLikeHostPath(word)) {
      const firstQualifier = /\/([A-Za-z0-9_$]+)/.exec(word)?.[1] ?? ''
      if (!isQualifier(firstQualifier)) {
        elements.push({ kind: 'parameter', values: [word], text: word })
        i = wordEnd
        continue
      }
    }
    const values: string[] = []
    for (;;) {
      const { value, end } = readValue(text, i, '/,', keepCase(index))
      values.push(value)
      i = end
      if (text[i] === ',') {
        i++
        continue
      }
      break
    }
    elements.push({ kind: 'parameter', values, text: text.slice(start, i) })
  }
  return elements
}

/** The qualifier a typed name names, with `/NO` negation (DCL Dictionary, qualifiers). */
function findQualifier(
  qualifiers: readonly QualifierDefinition[],
  typed: string,
): { definition: QualifierDefinition; negated: boolean } | 'ambiguous' | undefined {
  const direct = lookup(qualifiers, typed)
  if (direct.kind === 'found') return { definition: direct.item, negated: false }
  if (typed.startsWith('NO')) {
    const negated = lookup(qualifiers, typed.slice(2))
    if (negated.kind === 'found') return { definition: negated.item, negated: true }
    if (negated.kind === 'ambiguous') return 'ambiguous'
  }
  return direct.kind === 'ambiguous' ? 'ambiguous' : undefined
}

function checkValue(
  value: string,
  type: QualifierDefinition['type'],
  keywords: readonly string[] | undefined,
): string {
  if (type === 'number' && !/^[-+]?(\d+|%[XxOoDd][0-9A-Fa-f]+)$/.test(value))
    throw new DclError(CLI.NUMBER, value)
  if (keywords !== undefined && keywords.length > 0) {
    const found = lookup(
      keywords.map((name) => ({ name })),
      value,
    )
    if (found.kind === 'ambiguous') throw new DclError(CLI.ABKEYW, value)
    if (found.kind === 'none') throw new DclError(CLI.IVKEYW, value)
    return found.item.name.toUpperCase()
  }
  return value
}

/**
 * The verb of a command line: the letters (and digits, `_`, `$`) before the first blank
 * or `/`. Returns the word and the text after it.
 */
export function splitVerb(text: string): { verb: string; rest: string } {
  let i = 0
  while (i < text.length && NAME.test(text[i] as string)) i++
  return { verb: text.slice(0, i), rest: text.slice(i) }
}

/**
 * Parses a command (symbols already substituted) against the command table: the verb
 * by abbreviation, then keyword, parameters and qualifiers, spaced or attached. Throws a
 * DclError with DCL's status and `\token\` for IVVERB, ABVERB, IVKEYW, ABKEYW, IVQUAL,
 * NOTNEG, NOVALU, VALREQ, ONEVAL, INSFPRM, MAXPARM, NUMBER.
 */
export function parseCommand(
  table: CommandTable,
  text: string,
): { definition: VerbDefinition; syntax: CommandSyntax; command: ParsedCommand } {
  const { verb: word, rest } = splitVerb(text.trim())
  if (word === '') throw new DclError(CLI.IVVERB, text.trim().split(/[\s/]/)[0] || text.trim())
  const found = table.find(word)
  if (found.kind === 'ambiguous') throw new DclError(CLI.ABVERB, word.toUpperCase())
  if (found.kind === 'none') throw new DclError(CLI.IVVERB, word.toUpperCase())
  const definition = found.item
  if (definition.raw) {
    return {
      definition,
      syntax: definition,
      command: {
        verb: definition.name,
        parameters: [[rest.trim()]],
        qualifiers: new Map(),
        text,
      },
    }
  }
  const allQualifiers = (keyword?: KeywordDefinition) => [
    ...(definition.qualifiers ?? []),
    ...(keyword?.qualifiers ?? []),
  ]
  const everyQualifier = [
    ...(definition.qualifiers ?? []),
    ...(definition.keywords ?? []).flatMap((k) => k.qualifiers ?? []),
  ]
  const keywordVerb = definition.keywords !== undefined
  const preliminary = (index: number): ParameterDefinition | undefined =>
    keywordVerb ? undefined : definition.parameters?.[index]
  const elements = readElements(
    rest,
    (name) => name !== '' && findQualifier(everyQualifier, name.toUpperCase()) !== undefined,
    (index) => preliminary(index)?.keepCase === true,
    (name) => {
      const q = findQualifier(everyQualifier, name)
      if (q === undefined || q === 'ambiguous') return PLAIN
      const file = q.definition.type === 'file'
      return {
        keepCase: q.definition.keepCase ?? file,
        file,
        list: q.definition.list === true,
      }
    },
  )
  let parameters = elements.filter((e) => e.kind === 'parameter')
  let syntax: CommandSyntax = definition
  let keyword: KeywordDefinition | undefined
  if (keywordVerb) {
    const first = parameters[0]
    if (first === undefined) {
      if (definition.handler === undefined) throw new DclError(CLI.INSFPRM)
    } else {
      const typed = first.values[0] ?? ''
      const k = lookup(definition.keywords ?? [], typed)
      if (k.kind === 'ambiguous') throw new DclError(CLI.ABKEYW, typed)
      if (k.kind === 'none') throw new DclError(CLI.IVKEYW, typed)
      keyword = k.item
      syntax = k.item
      parameters = parameters.slice(1)
    }
  }
  const qualifierDefinitions = allQualifiers(keyword)
  const qualifiers = new Map<string, QualifierValue>()
  for (const element of elements) {
    if (element.kind !== 'qualifier') continue
    const q = findQualifier(qualifierDefinitions, element.name)
    if (q === 'ambiguous') throw new DclError(CLI.ABKEYW, element.name)
    if (q === undefined) throw new DclError(CLI.IVQUAL, element.name)
    const { definition: qd, negated } = q
    if (negated && qd.negatable === false) throw new DclError(CLI.NOTNEG, element.name)
    const rule = qd.value ?? 'none'
    if (element.values !== undefined && (negated || rule === 'none'))
      throw new DclError(CLI.NOVALU, element.text.toUpperCase())
    if (element.values === undefined && rule === 'required' && !negated)
      throw new DclError(CLI.VALREQ, element.name)
    const values = element.values ?? []
    if (values.length > 1 && qd.list !== true)
      throw new DclError(CLI.ONEVAL, element.text.toUpperCase())
    qualifiers.set(qd.name.toUpperCase(), {
      negated,
      values: values.map((v) => checkValue(v, qd.type, qd.keywords)),
    })
  }
  for (const qd of qualifierDefinitions)
    if (qd.default === true && !qualifiers.has(qd.name.toUpperCase()))
      qualifiers.set(qd.name.toUpperCase(), { negated: false, values: [] })
  const defs = syntax.parameters ?? []
  if (parameters.length > defs.length) {
    const extra = parameters[defs.length]
    throw new DclError(CLI.MAXPARM, extra?.text.toUpperCase())
  }
  const values: string[][] = []
  for (let p = 0; p < parameters.length; p++) {
    const def = defs[p] as ParameterDefinition
    const element = parameters[p] as { values: string[]; text: string }
    if (element.values.length > 1 && def.list !== true)
      throw new DclError(CLI.ONEVAL, element.text.toUpperCase())
    // Unquoted words were upper-cased unless known to keep case: redo for a keyword verb.
    values.push(element.values.map((v) => checkValue(v, def.type, def.keywords)))
  }
  for (let p = parameters.length; p < defs.length; p++)
    if (defs[p]?.required === true) throw new DclError(CLI.INSFPRM)
  if (syntax.handler === undefined && definition.handler === undefined)
    throw new DclError(CLI.INSFPRM)
  return {
    definition,
    syntax,
    command: {
      verb: definition.name,
      ...(keyword === undefined ? {} : { keyword: keyword.name }),
      parameters: values,
      qualifiers,
      text,
    },
  }
}
