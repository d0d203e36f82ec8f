import type { DefaultDisk, DiskFile } from './disk'
import { CLI, DclError, RMS } from './messages'

/** A file DCL's OPEN opened: for READ, its lines and the next one; for WRITE, the file written. */
interface OpenFile {
  readonly mode: 'read' | 'write'
  readonly file: DiskFile
  readonly lines: readonly string[]
  next: number
  written: string[]
}

/**
 * The files OPEN opens for READ and WRITE, by logical name (DCL Dictionary: OPEN, READ,
 * WRITE, CLOSE). `/READ` reads an existing file line by line; `/WRITE` makes a new
 * version and each WRITE adds a line; `/APPEND` adds lines to the highest version.
 */
export class OpenFiles {
  private readonly files = new Map<string, OpenFile>()

  constructor(private readonly disk: DefaultDisk) {}

  open(name: string, spec: string, mode: 'read' | 'write' | 'append'): void {
    const key = name.toUpperCase()
    if (this.files.has(key)) return // DCL leaves an open file as it is
    if (mode === 'read') {
      const file = this.disk.find(spec)
      const text = this.disk.read(file).replace(/\r\n/g, '\n').replace(/\n$/, '')
      this.files.set(key, {
        mode,
        file,
        lines: text === '' ? [] : text.split('\n'),
        next: 0,
        written: [],
      })
      return
    }
    if (mode === 'append') {
      const file = this.disk.find(spec)
      const text = this.disk.read(file)
      const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n')
      this.files.set(key, { mode: 'write', file, lines: [], next: 0, written: lines })
      return
    }
    const file = this.disk.write(spec, '')
    this.files.set(key, { mode: 'write', file, lines: [], next: 0, written: [] })
  }

  /** True if a logical name names a file OPEN opened. */
  has(name: string): boolean {
    return this.files.has(name.toUpperCase())
  }

  /** The next line, or undefined at the end (RMS$_EOF for the caller). */
  read(name: string): string | undefined {
    const f = this.get(name)
    if (f.mode !== 'read') throw new DclError(RMS.PRV)
    const line = f.lines[f.next]
    if (line !== undefined) f.next++
    return line
  }

  /** Writes a line (the file on the host holds every line written so far). */
  write(name: string, line: string): void {
    const f = this.get(name)
    if (f.mode !== 'write') throw new DclError(RMS.PRV)
    f.written.push(line)
    const spec = `[${f.file.directory.join('.') || '000000'}]${f.file.name}.${f.file.type};${f.file.version}`
    this.disk.write(spec, f.written.map((l) => `${l}\n`).join(''))
  }

  close(name: string): void {
    if (!this.files.delete(name.toUpperCase())) throw new DclError(CLI.UNDFIL, name.toUpperCase())
  }

  private get(name: string): OpenFile {
    const f = this.files.get(name.toUpperCase())
    if (f === undefined) throw new DclError(CLI.UNDFIL, name.toUpperCase())
    return f
  }
}
