import type { Statement } from './statement'

/**
 * The listing: line number, address, bytes and source, one source line per line (a
 * macro call's line holds its expansion's bytes), then the symbol table.
 */
export function listing(
  lines: readonly string[],
  statements: readonly Statement[],
  emitted: ReadonlyMap<Statement, number[]>,
  symbols: ReadonlyMap<string, number>,
  globals: ReadonlySet<string>,
): string {
  const byLine = new Map<number, { address: number; bytes: number[] }>()
  for (const st of statements) {
    const bytes = emitted.get(st) ?? []
    const entry = byLine.get(st.line)
    if (entry === undefined) byLine.set(st.line, { address: st.address, bytes: [...bytes] })
    else entry.bytes.push(...bytes)
  }
  const out: string[] = []
  lines.forEach((text, i) => {
    const entry = byLine.get(i + 1)
    const lineNo = String(i + 1).padStart(5)
    if (entry === undefined) {
      out.push(`${lineNo}  ${''.padEnd(8)}  ${''.padEnd(24)}  ${text}`)
      return
    }
    const hex = entry.bytes.map((b) => b.toString(16).toUpperCase().padStart(2, '0'))
    const address = entry.address.toString(16).toUpperCase().padStart(8, '0')
    out.push(`${lineNo}  ${address}  ${hex.slice(0, 8).join(' ').padEnd(24)}  ${text}`)
    for (let k = 8; k < hex.length; k += 8) {
      out.push(
        `${''.padStart(5)}  ${(entry.address + k).toString(16).toUpperCase().padStart(8, '0')}  ${hex.slice(k, k + 8).join(' ')}`,
      )
    }
  })
  // The symbol table (VAX MACRO listing "Symbol table"): name, value, G when global.
  out.push('', 'Symbol table', '')
  for (const [name, value] of [...symbols].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    out.push(
      `${name.padEnd(31)}  ${(value >>> 0).toString(16).toUpperCase().padStart(8, '0')}${globals.has(name) ? '  G' : ''}`,
    )
  return `${out.join('\n')}\n`
}
