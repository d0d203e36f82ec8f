import { readFileSync, writeFileSync } from 'node:fs'
import { AssemblyError, assemble, disassemble, formatDisassembly } from '@vax/asm'
import { parseArgs, parseHex, UsageError } from './args'

export const ASM_USAGE = 'usage: vax asm SOURCE.mar -o IMAGE.bin [--base HEX] [--listing FILE]'
export const DISASM_USAGE = 'usage: vax disasm IMAGE.bin [--base HEX] [--source]'

function readInput(path: string): Buffer {
  try {
    return readFileSync(path)
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
}

/** `vax asm`: assembles MACRO-32 source into a raw image. Errors print as FILE:LINE:COL. */
export function asmCommand(
  argv: readonly string[],
  out: (t: string) => void,
  err: (t: string) => void,
): number {
  const args = parseArgs(argv, ['-o', '--base', '--listing'], [])
  const [source, ...extra] = args.positional
  if (source === undefined) throw new UsageError('SOURCE.mar is required')
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`)
  const output = args.options.get('-o')?.[0]
  if (output === undefined) throw new UsageError('-o IMAGE.bin is required')
  const base = parseHex(args.options.get('--base')?.[0] ?? '0', '--base')
  const text = readInput(source).toString('utf8')
  try {
    const result = assemble(text, { base })
    writeFileSync(output, result.image)
    const listing = args.options.get('--listing')?.[0]
    if (listing !== undefined) writeFileSync(listing, result.listing)
    out(`${output}: ${result.image.length} bytes at 0x${base.toString(16)}\n`)
    return 0
  } catch (e) {
    if (e instanceof AssemblyError) {
      for (const d of e.diagnostics) err(`${source}:${d.line}:${d.column}: error: ${d.message}\n`)
      return 1
    }
    throw e
  }
}

/** `vax disasm`: prints address, bytes and MACRO-32 text (or only the text with --source). */
export function disasmCommand(argv: readonly string[], out: (t: string) => void): number {
  const args = parseArgs(argv, ['--base'], ['--source'])
  const [image, ...extra] = args.positional
  if (image === undefined) throw new UsageError('IMAGE.bin is required')
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`)
  const base = parseHex(args.options.get('--base')?.[0] ?? '0', '--base')
  const lines = disassemble(new Uint8Array(readInput(image)), base)
  if (args.flags.has('--source')) out(`${lines.map((l) => `\t${l.text}`).join('\n')}\n`)
  else out(`${formatDisassembly(lines)}\n`)
  return 0
}
