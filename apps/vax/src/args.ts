import { parseArgs } from 'node:util'

/** A command-line problem: the message is for the user, with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/** The highest VAX address: addresses are 32-bit. */
export const MAX_ADDRESS = 0xffff_ffff

/**
 * Parses a number as the contracts write them: decimal, or hexadecimal with 0x.
 * Throws UsageError naming the option otherwise.
 */
export function parseNumber(text: string, option: string): number {
  const t = text.trim()
  const value = /^0x[0-9a-f]+$/i.test(t)
    ? Number.parseInt(t.slice(2), 16)
    : /^\d+$/.test(t)
      ? Number(t)
      : Number.NaN
  if (!Number.isSafeInteger(value))
    throw new UsageError(`${option}: '${text}' is not a decimal or 0x-hexadecimal number`)
  return value
}

/** Parses a hexadecimal number with or without 0x (for --base of asm/disasm). */
export function parseHex(text: string, option: string): number {
  const t = text.trim().replace(/^0x/i, '')
  if (!/^[0-9a-f]+$/i.test(t))
    throw new UsageError(`${option}: '${text}' is not a hexadecimal number`)
  return Number.parseInt(t, 16)
}

/** A number that must be a VAX address (0 to 0xFFFFFFFF). */
export function checkAddress(value: number, text: string, option: string): number {
  if (value > MAX_ADDRESS) throw new UsageError(`${option}: ${text} is not a 32-bit address`)
  return value
}

/** What a command accepts: its options by long name, each a string or a boolean. */
export type OptionTypes = Record<
  string,
  { readonly type: 'string' | 'boolean'; readonly short?: string }
>

/** A command line split by `parseCommandLine`. */
export interface CommandLine {
  readonly positional: readonly string[]
  /** The value of a string option, which may be given once. */
  one(name: string): string | undefined
  /** Every value of a repeatable string option, in order. */
  all(name: string): readonly string[]
  /** Whether a boolean option was given. */
  flag(name: string): boolean
}

/**
 * Splits a command line with node:util parseArgs (strict: an unknown option, a missing
 * value or a value given to a flag is an error). String options may be repeated; `one`
 * refuses a repeated one. Errors are UsageErrors with a one-line message.
 */
export function parseCommandLine(argv: readonly string[], options: OptionTypes): CommandLine {
  const config = Object.fromEntries(
    Object.entries(options).map(([name, o]) => [
      name,
      { ...o, ...(o.type === 'string' ? { multiple: true } : {}) },
    ]),
  )
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: true })
  } catch (e) {
    throw new UsageError(describeParseError(e))
  }
  const { values, positionals } = parsed
  const display = (name: string) => {
    const short = options[name]?.short
    return short === undefined ? `--${name}` : `-${short}`
  }
  const all = (name: string): readonly string[] => {
    const v = values[name]
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
  }
  return {
    positional: positionals,
    all,
    one(name) {
      const v = all(name)
      if (v.length > 1) throw new UsageError(`${display(name)} given more than once`)
      return v[0]
    },
    flag: (name) => values[name] === true,
  }
}

/** A one-line message for what parseArgs threw. */
function describeParseError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e)
  const code = (e as { code?: unknown }).code
  // parseArgs quotes the option: '--bogus', or '-o, --output <value>'.
  const quoted = /'(-[^' ,]+)/.exec(message)?.[1]
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted !== undefined)
    return `unknown option ${quoted}`
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted !== undefined) {
    if (/does not take an argument/.test(message)) return `${quoted} takes no value`
    if (/ambiguous/.test(message))
      return `${quoted} needs a value (write ${quoted}=VALUE for one that starts with '-')`
    return `${quoted} needs a value`
  }
  return message.split('\n')[0] ?? message
}
