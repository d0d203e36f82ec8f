/** A command-line problem: the message is for the user, with the usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

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

export interface ParsedArgs {
  readonly positional: string[]
  readonly options: Map<string, string[]>
  readonly flags: Set<string>
}

/**
 * Splits arguments into positionals, `--name value` options (repeatable) and boolean
 * flags. `valued` lists the options that take a value; any other `--x` must be in
 * `booleans`, or it is an error.
 */
export function parseArgs(
  argv: readonly string[],
  valued: readonly string[],
  booleans: readonly string[],
): ParsedArgs {
  const positional: string[] = []
  const options = new Map<string, string[]>()
  const flags = new Set<string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg.startsWith('-') && arg !== '-') {
      const eq = arg.indexOf('=')
      const name = eq > 0 ? arg.slice(0, eq) : arg
      if (valued.includes(name)) {
        const value = eq > 0 ? arg.slice(eq + 1) : argv[++i]
        if (value === undefined) throw new UsageError(`${name} needs a value`)
        options.set(name, [...(options.get(name) ?? []), value])
      } else if (booleans.includes(name)) flags.add(name)
      else throw new UsageError(`unknown option ${name}`)
    } else positional.push(arg)
  }
  return { positional, options, flags }
}
