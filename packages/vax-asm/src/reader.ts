import { SourceError } from './expression'

/**
 * Source lines as the assembler reads them: the user's lines, with macro expansions and
 * repeat blocks read in their place. Expansion is bounded: frames nest at most
 * `MAX_MACRO_DEPTH` deep, and one assembly expands at most `MAX_EXPANDED_LINES` lines
 * and `MAX_EXPANDED_CHARACTERS` characters, so no input hangs or exhausts the stack.
 */
export const MAX_MACRO_DEPTH = 64
export const MAX_EXPANDED_LINES = 100_000
export const MAX_EXPANDED_CHARACTERS = 16 * 1024 * 1024
const MAX_EXPANDED_LINE = 65_536

/** A line to assemble; inside an expansion, `line` and `column` are those of the call. */
export interface SourceLine {
  readonly text: string
  readonly line: number
  readonly column: number
  /** What is being expanded ("macro FOO", ".REPT"), for messages; undefined for source. */
  readonly expansion: string | undefined
}

interface Frame {
  readonly next: () => string | undefined
  readonly line: number
  readonly column: number
  readonly expansion: string | undefined
  /** Positional arguments of a macro call (.NARG). */
  readonly narg: number | undefined
  readonly onEnd: () => void
  /** Source frame only: the index of the next line. */
  index: number
}

export class SourceReader {
  private readonly frames: Frame[] = []
  private lines = 0
  private characters = 0
  private stopped = false

  constructor(
    private readonly source: readonly string[],
    private readonly report: (line: number, column: number, message: string) => void,
  ) {
    const frame: Frame = {
      next: () => this.source[frame.index++],
      line: 0,
      column: 0,
      expansion: undefined,
      narg: undefined,
      onEnd: () => {},
      index: 0,
    }
    this.frames.push(frame)
  }

  /** The next line, or undefined at the end of the source (or after `stop`). */
  next(): SourceLine | undefined {
    while (!this.stopped) {
      const frame = this.frames[this.frames.length - 1]
      if (frame === undefined) return undefined
      const text = frame.next()
      if (text === undefined) {
        // The frame may be gone already (the budget ran out inside it).
        if (this.frames[this.frames.length - 1] === frame) this.pop()
        continue
      }
      if (frame.expansion === undefined)
        return { text, line: frame.index, column: 0, expansion: undefined }
      return { text, line: frame.line, column: frame.column, expansion: frame.expansion }
    }
    return undefined
  }

  /**
   * The raw lines of the current frame up to the line that closes a block (.ENDM for
   * .MACRO, .ENDR for .IRP/.IRPC/.REPT), nested blocks included; undefined when the
   * frame ends first. `word` gives a line's directive.
   */
  collect(
    word: (text: string) => string,
    opens: ReadonlySet<string>,
    closes: string,
  ): string[] | undefined {
    const frame = this.frames[this.frames.length - 1]
    if (frame === undefined) return undefined
    const body: string[] = []
    let depth = 1
    for (;;) {
      const text = frame.next()
      if (text === undefined) return undefined
      const w = word(text)
      if (opens.has(w)) depth++
      else if (w === closes && --depth === 0) return body
      body.push(text)
    }
  }

  /**
   * Reads `lines` (produced one at a time) in place of the current line, which is at
   * `where` (a call inside an expansion gives the outermost call's place). Throws
   * SourceError when nesting would be deeper than MAX_MACRO_DEPTH; after that, or once
   * the budget is spent, nothing more is expanded (the error is reported once).
   */
  push(
    expansion: string,
    lines: Iterator<string>,
    where: { readonly line: number; readonly column: number },
    onEnd: () => void,
    narg?: number,
  ): void {
    // Once a limit is reached (and reported), nothing more is expanded.
    if (this.exhausted) return
    if (this.frames.length > MAX_MACRO_DEPTH) {
      this.abandon()
      throw new SourceError(`expansions nested more than ${MAX_MACRO_DEPTH} deep (${expansion})`, 0)
    }
    const frame: Frame = {
      next: () => {
        const r = lines.next()
        if (r.done) return undefined
        this.characters += r.value.length
        if (++this.lines > MAX_EXPANDED_LINES || this.characters > MAX_EXPANDED_CHARACTERS) {
          this.report(
            frame.line,
            frame.column,
            `${expansion}: expansion limit reached (${MAX_EXPANDED_LINES} lines or ${MAX_EXPANDED_CHARACTERS} characters in all)`,
          )
          this.abandon()
          return undefined
        }
        if (r.value.length > MAX_EXPANDED_LINE) {
          this.report(
            frame.line,
            frame.column,
            `${expansion}: expanded line longer than ${MAX_EXPANDED_LINE} characters`,
          )
          return ''
        }
        return r.value
      },
      line: where.line,
      column: where.column,
      expansion,
      narg,
      onEnd,
      index: 0,
    }
    this.frames.push(frame)
  }

  /** .MEXIT: ends the innermost macro expansion. */
  exitMacro(): boolean {
    for (let i = this.frames.length - 1; i > 0; i--) {
      if (this.frames[i]?.narg !== undefined) {
        while (this.frames.length > i) this.pop()
        return true
      }
    }
    return false
  }

  /** The positional argument count of the innermost macro call, if inside one. */
  get narg(): number | undefined {
    for (let i = this.frames.length - 1; i > 0; i--) {
      const n = this.frames[i]?.narg
      if (n !== undefined) return n
    }
    return undefined
  }

  /** .END: nothing more is read. */
  stop(): void {
    this.stopped = true
  }

  private pop(): void {
    const frame = this.frames.pop()
    frame?.onEnd()
  }

  /** Drops every expansion (the budget is spent): only the user's lines remain. */
  private abandon(): void {
    while (this.frames.length > 1) this.pop()
    this.exhausted = true
  }

  /** True once the expansion budget is spent: further calls are not expanded. */
  exhausted = false
}
