import {
  AssemblyError,
  assemble,
  formatDisassembly,
  iterateDisassembly,
  MAX_IMAGE_SIZE,
} from '@vax/asm'
import { checkAddress, MAX_ADDRESS, parseCommandLine, parseHex, UsageError } from './args'
import { readInput, writeOutput } from './files'

export const ASM_USAGE = 'usage: vax asm SOURCE.mar -o IMAGE.bin [--base HEX] [--listing FILE]'
export const DISASM_USAGE = 'usage: vax disasm IMAGE.bin [--base HEX] [--source]'

/** The largest source `vax asm` reads: 64 MiB. */
export const MAX_SOURCE_SIZE = 64 * 1024 * 1024

/** The most source errors `vax asm` prints; a last line counts the rest. */
export const MAX_ERRORS_SHOWN = 100

/** asm and disasm read --base as hexadecimal, with or without 0x, as SIMH does. */
function hexBase(text: string | undefined): number {
  const t = text ?? '0'
  return checkAddress(parseHex(t, '--base'), t, '--base')
}

/** Control characters of a bad source line, shown as \xNN so a terminal stays sane. */
function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
  })
}

/** `vax asm`: assembles MACRO-32 source into a raw image. Errors print as FILE:LINE:COL. */
export function asmCommand(
  argv: readonly string[],
  out: (t: string) => void,
  err: (t: string) => void,
): number {
  const args = parseCommandLine(argv, {
    output: { type: 'string', short: 'o' },
    base: { type: 'string' },
    listing: { type: 'string' },
  })
  const [source, ...extra] = args.positional
  if (source === undefined) throw new UsageError('SOURCE.mar is required')
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`)
  const output = args.one('output')
  if (output === undefined) throw new UsageError('-o IMAGE.bin is required')
  const base = hexBase(args.one('base'))
  const listing = args.one('listing')
  const text = readInput(source, MAX_SOURCE_SIZE).toString('utf8')
  let result: ReturnType<typeof assemble>
  try {
    result = assemble(text, { base })
  } catch (e) {
    if (!(e instanceof AssemblyError)) throw e
    for (const d of e.diagnostics.slice(0, MAX_ERRORS_SHOWN))
      err(`${source}:${d.line}:${d.column}: error: ${printable(d.message)}\n`)
    const more = e.diagnostics.length - MAX_ERRORS_SHOWN
    if (more > 0) err(`${source}: ${more} more error(s) not shown\n`)
    return 1
  }
  writeOutput(output, result.image)
  if (listing !== undefined) writeOutput(listing, result.listing)
  out(`${output}: ${result.image.length} bytes at 0x${base.toString(16)}\n`)
  return 0
}

/**
 * `vax disasm`: prints address, bytes and MACRO-32 text (or only the text with
 * --source, which `vax asm` at the same base turns back into the same bytes).
 */
export function disasmCommand(argv: readonly string[], out: (t: string) => void): number {
  const args = parseCommandLine(argv, { base: { type: 'string' }, source: { type: 'boolean' } })
  const [image, ...extra] = args.positional
  if (image === undefined) throw new UsageError('IMAGE.bin is required')
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`)
  const base = hexBase(args.one('base'))
  const bytes = new Uint8Array(readInput(image, MAX_IMAGE_SIZE))
  if (base + bytes.length > MAX_ADDRESS + 1) {
    throw new UsageError(
      `${image}: ${bytes.length} bytes at 0x${base.toString(16)} go past the 32-bit address space`,
    )
  }
  const source = args.flag('source')
  // Printed in batches: a large image never becomes one string.
  let batch: string[] = []
  const flush = () => {
    if (batch.length > 0) out(`${batch.join('\n')}\n`)
    batch = []
  }
  for (const line of iterateDisassembly(bytes, base)) {
    batch.push(source ? `\t${line.text}` : formatDisassembly([line]))
    if (batch.length >= 4096) flush()
  }
  flush()
  return 0
}
