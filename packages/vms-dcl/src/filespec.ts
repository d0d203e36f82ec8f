import { DclError, RMS } from './messages'

/**
 * A parsed file specification, `DEV:[DIR.SUB]NAME.TYP;VER` (DCL User's Guide, "File
 * specifications"). Each field is undefined when the spec leaves it out; `*` and `%` are
 * wildcards in the name, type and directory names; `...` in a directory matches any depth.
 */
export interface FileSpec {
  readonly device?: string
  readonly directory?: DirectorySpec
  readonly name?: string
  readonly type?: string
  /** `;n`: a number; `;*`: '*'; `;0` or absent: the highest; `;-n`: n below the highest. */
  readonly version?: number | '*'
}

/** `[A.B]` absolute, `[.A.B]` relative, `[-.A]` up one then A, `[000000]` the top. */
export interface DirectorySpec {
  readonly relative: boolean
  /** How many levels `-` goes up before `parts` (relative only). */
  readonly up: number
  readonly parts: readonly string[]
}

const NAME_CHARS = /^[A-Za-z0-9_$\-*%]{0,39}$/
const DIR_PART = /^([A-Za-z0-9_$\-*%]{1,39}|\.\.\.)$/

/**
 * Parses a file specification. A syntax error (a bad character, an unclosed directory,
 * a part over 39 characters, a bad version) is RMS$_SYN; nothing in a spec can name a
 * host path (no `/`, no `..` part).
 */
export function parseFileSpec(text: string): FileSpec {
  const spec = text.trim()
  const fail = (): never => {
    throw new DclError(RMS.SYN, spec.toUpperCase())
  }
  let rest = spec
  let device: string | undefined
  const colon = rest.indexOf(':')
  const bracket = rest.search(/[[<]/)
  if (colon >= 0 && (bracket < 0 || colon < bracket)) {
    device = rest.slice(0, colon).toUpperCase()
    if (!/^[A-Za-z0-9_$]{1,63}$/.test(device)) fail()
    rest = rest.slice(colon + 1)
  }
  let directory: DirectorySpec | undefined
  if (rest.startsWith('[') || rest.startsWith('<')) {
    const close = rest.indexOf(rest.startsWith('[') ? ']' : '>')
    if (close < 0) fail()
    directory = parseDirectory(rest.slice(1, close), fail)
    rest = rest.slice(close + 1)
  }
  let version: number | '*' | undefined
  const semi = rest.indexOf(';')
  let nameType = rest
  if (semi >= 0) {
    version = parseVersion(rest.slice(semi + 1), fail)
    nameType = rest.slice(0, semi)
  }
  const dot = nameType.indexOf('.')
  let name = dot < 0 ? nameType : nameType.slice(0, dot)
  let type: string | undefined
  if (dot >= 0) {
    type = nameType.slice(dot + 1)
    // NAME.TYP.5 is NAME.TYP;5.
    const second = type.indexOf('.')
    if (second >= 0) {
      if (version !== undefined) fail()
      version = parseVersion(type.slice(second + 1), fail)
      type = type.slice(0, second)
    }
    if (!NAME_CHARS.test(type)) fail()
    type = type.toUpperCase()
  }
  if (!NAME_CHARS.test(name)) fail()
  name = name.toUpperCase()
  return {
    ...(device === undefined ? {} : { device }),
    ...(directory === undefined ? {} : { directory }),
    ...(name === '' ? {} : { name }),
    ...(type === undefined ? {} : { type }),
    ...(version === undefined ? {} : { version }),
  }
}

function parseVersion(text: string, fail: () => never): number | '*' {
  if (text === '*') return '*'
  if (text === '') return 0
  if (!/^-?[0-9]{1,5}$/.test(text)) fail()
  const n = Number(text)
  if (n > 32767 || n < -32767) fail()
  return n
}

function parseDirectory(body: string, fail: () => never): DirectorySpec {
  if (body === '') return { relative: true, up: 0, parts: [] }
  let text = body.toUpperCase()
  let up = 0
  let relative = false
  if (text.startsWith('-')) {
    relative = true
    while (text.startsWith('-')) {
      up++
      text = text.slice(1)
      if (text.startsWith('.') && !text.startsWith('...')) text = text.slice(1)
    }
    if (text === '') return { relative, up, parts: [] }
  } else if (text.startsWith('.') && !text.startsWith('...')) {
    relative = true
    text = text.slice(1)
  }
  const parts: string[] = []
  const pieces = text.replaceAll('...', '.\u0000.').split('.')
  for (const [i, piece] of pieces.entries()) {
    // An empty name between dots ([A..B], [..]) is no directory; [A.] ends a rooted one.
    if (piece === '') {
      const joinsEllipsis = pieces[i - 1] === '\u0000' || pieces[i + 1] === '\u0000'
      if (joinsEllipsis || (i === pieces.length - 1 && i > 0)) continue
      fail()
    }
    const part = piece === '\u0000' ? '...' : piece
    if (!DIR_PART.test(part)) fail()
    parts.push(part)
  }
  if (text.startsWith('...')) relative = true
  // [000000] is the top directory; [000000.A] is [A].
  const real = parts.filter((p, i) => !(p === '000000' && i === 0))
  return { relative, up, parts: real }
}

/** Formats a directory as VMS shows it: `[A.B]`, `[000000]` for the top. */
export function formatDirectory(parts: readonly string[]): string {
  return parts.length === 0 ? '[000000]' : `[${parts.join('.')}]`
}

/** True if a name (or type) has a wildcard. */
export function hasWildcard(text: string | undefined): boolean {
  return text !== undefined && /[*%]/.test(text)
}

/** A wildcard pattern (`*` any run, `%` one character) as a test, case-insensitive. */
export function wildcardTest(pattern: string): (text: string) => boolean {
  const source = pattern
    .toUpperCase()
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/%/g, '.')
  const re = new RegExp(`^${source}$`)
  return (text) => re.test(text.toUpperCase())
}
