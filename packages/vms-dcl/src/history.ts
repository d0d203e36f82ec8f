/**
 * Command recall for a terminal front end (DCL's RECALL buffer, 20 commands in VAX/VMS
 * V4): the lines typed, newest last, and a cursor that the up and down keys move.
 */
export class CommandHistory {
  private readonly lines: string[] = []
  private cursor = 0

  constructor(readonly capacity = 20) {}

  /** Records a line typed (blank lines and a repeat of the last one are not kept). */
  add(line: string): void {
    const text = line.trim()
    if (text !== '' && this.lines[this.lines.length - 1] !== text) {
      this.lines.push(text)
      if (this.lines.length > this.capacity) this.lines.shift()
    }
    this.cursor = this.lines.length
  }

  /** The line before the cursor (the up key), or undefined at the oldest. */
  previous(): string | undefined {
    if (this.cursor === 0) return undefined
    this.cursor--
    return this.lines[this.cursor]
  }

  /** The line after the cursor (the down key); '' past the newest. */
  next(): string | undefined {
    if (this.cursor >= this.lines.length) return undefined
    this.cursor++
    return this.lines[this.cursor] ?? ''
  }

  /** RECALL n: the n-th most recent line (1 is the last). */
  recall(n: number): string | undefined {
    return this.lines[this.lines.length - n]
  }

  /** RECALL text: the most recent line beginning with `prefix`. */
  find(prefix: string): string | undefined {
    const p = prefix.toUpperCase()
    for (let i = this.lines.length - 1; i >= 0; i--)
      if ((this.lines[i] as string).toUpperCase().startsWith(p)) return this.lines[i]
    return undefined
  }

  /** Every line, oldest first. */
  list(): readonly string[] {
    return this.lines
  }
}
