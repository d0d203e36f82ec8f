import type { KeywordDefinition, VerbDefinition } from './types'

/** The result of looking a name up among abbreviable names. */
export type Lookup<T> =
  | { readonly kind: 'found'; readonly item: T }
  | { readonly kind: 'ambiguous' }
  | { readonly kind: 'none' }

/**
 * DCL's abbreviation rule (DCL Dictionary, "Abbreviating Commands"): a verb, keyword or
 * qualifier may be shortened to any prefix that names only one of the names in its
 * context; a full name always names itself. Every character typed must match. A name
 * may ask for a least abbreviation (`abbreviation`: a verb a subsystem adds answers to
 * four characters, the length DCL keeps its verbs unique in, so that it never makes a
 * built-in verb's short form ambiguous).
 */
export function lookup<T extends { readonly name: string; readonly abbreviation?: number }>(
  items: readonly T[],
  typed: string,
): Lookup<T> {
  const word = typed.toUpperCase()
  if (word === '') return { kind: 'none' }
  let found: T | undefined
  let count = 0
  for (const item of items) {
    const name = item.name.toUpperCase()
    if (name === word) return { kind: 'found', item }
    // A name with a least abbreviation does not answer to a shorter one.
    if (word.length < (item.abbreviation ?? 1)) continue
    if (name.startsWith(word)) {
      found = item
      count++
    }
  }
  if (count === 1 && found !== undefined) return { kind: 'found', item: found }
  return count > 1 ? { kind: 'ambiguous' } : { kind: 'none' }
}

/**
 * The command table: every verb DCL knows, with its keywords, parameters and qualifiers.
 * The one definition drives the parser, HELP and completion. Hosts add verbs (RUN,
 * STOP) and keywords of existing verbs (SHOW SYSTEM) with their qualifiers.
 */
export class CommandTable {
  private readonly verbs: VerbDefinition[] = []

  constructor(verbs: readonly VerbDefinition[] = []) {
    for (const verb of verbs) this.define(verb)
  }

  /** Adds a verb, or replaces the verb of the same name (keeping its keywords). */
  define(verb: VerbDefinition): void {
    const name = verb.name.toUpperCase()
    const i = this.verbs.findIndex((v) => v.name === name)
    const old = i >= 0 ? this.verbs[i] : undefined
    const keywords = mergeKeywords(old?.keywords ?? [], verb.keywords ?? [])
    const made: VerbDefinition = {
      ...verb,
      name,
      ...(keywords.length > 0 || verb.keywords !== undefined ? { keywords } : {}),
    }
    if (i >= 0) this.verbs[i] = made
    else this.verbs.push(made)
  }

  /**
   * Adds a keyword to a keyword verb (`SHOW` + `SYSTEM`), making the verb if it does not
   * exist; a keyword of the same name is replaced.
   */
  defineKeyword(verb: string, keyword: KeywordDefinition): void {
    const name = verb.toUpperCase()
    const old = this.verbs.find((v) => v.name === name)
    this.define({ ...(old ?? { name, help: `${name} keywords` }), keywords: [keyword] })
  }

  /** Removes a verb (a host that does not offer it). */
  remove(verb: string): void {
    const i = this.verbs.findIndex((v) => v.name === verb.toUpperCase())
    if (i >= 0) this.verbs.splice(i, 1)
  }

  /** The verb a typed word names, by DCL's abbreviation rule. */
  find(typed: string): Lookup<VerbDefinition> {
    return lookup(this.verbs, typed)
  }

  /** Every verb, sorted by name (HELP's topic list). */
  list(): readonly VerbDefinition[] {
    return [...this.verbs].sort((a, b) => a.name.localeCompare(b.name))
  }

  /**
   * Completion for a terminal front end: the verbs, keywords or qualifiers that the last
   * word of `partial` could become.
   */
  complete(partial: string): string[] {
    const words = partial.trimStart().split(/\s+/)
    const last = words[words.length - 1] ?? ''
    const prefix = (names: readonly string[], typed: string) =>
      names.filter((n) => n.startsWith(typed.toUpperCase())).sort()
    if (words.length <= 1) {
      const slash = last.indexOf('/')
      if (slash < 0)
        return prefix(
          this.verbs.map((v) => v.name),
          last,
        )
      const found = this.find(last.slice(0, slash))
      if (found.kind !== 'found') return []
      return prefix(
        (found.item.qualifiers ?? []).map((q) => `/${q.name}`),
        last.slice(slash),
      )
    }
    const verb = this.find(words[0] ?? '')
    if (verb.kind !== 'found') return []
    const keywords = verb.item.keywords
    if (last.startsWith('/')) {
      const keyword =
        keywords !== undefined && words.length > 2 ? lookup(keywords, words[1] ?? '') : undefined
      const quals = [
        ...(verb.item.qualifiers ?? []),
        ...(keyword?.kind === 'found' ? (keyword.item.qualifiers ?? []) : []),
      ]
      return prefix(
        quals.map((q) => `/${q.name}`),
        last,
      )
    }
    if (keywords !== undefined && words.length === 2)
      return prefix(
        keywords.map((k) => k.name),
        last,
      )
    return []
  }
}

function mergeKeywords(
  old: readonly KeywordDefinition[],
  added: readonly KeywordDefinition[],
): KeywordDefinition[] {
  const out = old.filter((k) => !added.some((a) => a.name.toUpperCase() === k.name))
  for (const k of added) out.push({ ...k, name: k.name.toUpperCase() })
  return out
}
