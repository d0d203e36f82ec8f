/** Reading a source line: its comment, its labels and its first word. */

/** A label at the start of the rest of a line: `name:`, `name::` (global) or `10$:`. */
export const LABEL = /^\s*([A-Za-z_$.%][\w$.%]*|\d+\$)\s*(::?)/

/** The line without its comment (a ';' outside a delimited string of .ASCIx). */
export function stripComment(line: string): string {
  const directive = /^\s*(?:[\w$.]+::?\s*)*\.ASCI[IZCD]\s+/i.exec(line)
  if (directive) {
    // Delimited strings may contain ';': skip over them.
    let i = directive[0].length
    while (i < line.length) {
      const c = line[i] as string
      if (c === ';') return line.slice(0, i)
      if (c === '<') {
        const close = line.indexOf('>', i)
        i = close < 0 ? line.length : close + 1
      } else if (c === ' ' || c === '\t') i++
      else {
        const close = line.indexOf(c, i + 1)
        i = close < 0 ? line.length : close + 1
      }
    }
    return line
  }
  const semicolon = line.indexOf(';')
  return semicolon < 0 ? line : line.slice(0, semicolon)
}

/** The first word after any labels, upper case (`.MACRO`, `MOVL`, a macro name), or ''. */
export function lineWord(line: string): string {
  let text = stripComment(line)
  for (let m = LABEL.exec(text); m; m = LABEL.exec(text)) text = text.slice(m[0].length)
  return (/^\s*([.A-Za-z_$%][\w$.%]*)/.exec(text)?.[1] ?? '').toUpperCase()
}

/**
 * Joins continued lines (VAX MACRO: a hyphen as the last character of a statement,
 * before any comment, continues it on the next line). The joined statement stands on
 * its first line; the lines it took in become empty, so that line numbers stay true.
 */
export function joinContinuations(lines: readonly string[]): string[] {
  const out = [...lines]
  for (let i = 0; i < out.length; i++) {
    let text = stripComment(out[i] as string).trimEnd()
    let next = i + 1
    while (text.endsWith('-') && next < out.length) {
      text = `${text.slice(0, -1)}${stripComment(out[next] as string).trim()}`.trimEnd()
      out[next] = ''
      next++
    }
    if (next > i + 1) out[i] = text
  }
  return out
}
