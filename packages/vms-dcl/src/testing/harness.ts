import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Status } from '@vms/contracts'
import { onTestFinished } from 'vitest'
import { Dcl, type DclOptions } from '../interpreter'
import type { DclHost, VerbDefinition } from '../types'

/** A fixed clock for the tests: Monday 9 November 2026, 14:05:33.07 UTC. */
export const TEST_TIME = new Date(Date.UTC(2026, 10, 9, 14, 5, 33, 70))

/**
 * A test program for RUN: it reads its data lines (SYS$INPUT) until the end, echoing
 * each as `PROG got: line`, then reports how many it read; `RUN/FAIL` ends with
 * SS$_ABORT.
 */
export const TEST_RUN: VerbDefinition = {
  name: 'RUN',
  help: 'RUN program: runs a (test) program',
  parameters: [{ label: 'File', required: true, type: 'file' }],
  qualifiers: [
    { name: 'NOWAIT', help: 'do not wait' },
    { name: 'PRIORITY', value: 'required', type: 'number', help: 'base priority' },
    { name: 'FAIL', help: 'the program fails' },
  ],
  handler: (command, context) => {
    let n = 0
    for (let line = context.readData(); line !== undefined; line = context.readData()) {
      context.say(`${command.parameters[0]?.[0]} got: ${line}`)
      n++
    }
    context.say(`${command.parameters[0]?.[0]} read ${n} lines`)
    return command.qualifiers.has('FAIL') ? 0x2c : 1
  },
}

/** An interpreter over a fresh temporary default disk, its output collected. */
export class Harness {
  readonly root: string
  readonly output: string[] = []
  readonly input: string[] = []
  readonly dcl: Dcl

  constructor(options: DclOptions = {}, host: Partial<DclHost> = {}) {
    this.root = mkdtempSync(join(tmpdir(), 'vms-dcl-'))
    const root = this.root
    onTestFinished(() => rmSync(root, { recursive: true, force: true }))
    this.dcl = new Dcl(
      {
        root: this.root,
        output: (line) => this.output.push(line),
        input: () => this.input.shift(),
        now: () => TEST_TIME,
        ...host,
      },
      { verbs: [TEST_RUN], ...options },
    )
  }

  /** Writes a file under the root (a path of host names). */
  file(path: string, text: string): void {
    const parts = path.split('/')
    if (parts.length > 1) mkdirSync(join(this.root, ...parts.slice(0, -1)), { recursive: true })
    writeFileSync(join(this.root, ...parts), text)
  }

  /** Runs lines at the terminal; returns the output they made. */
  run(...lines: string[]): string[] {
    const start = this.output.length
    for (const line of lines) this.dcl.execute(line)
    return this.output.slice(start)
  }

  /** Runs one line and returns its status and output. */
  status(line: string): { status: Status; output: string[] } {
    const start = this.output.length
    const status = this.dcl.execute(line)
    return { status, output: this.output.slice(start) }
  }

  /** A procedure written to NAME.COM and run with `@NAME params`: its output. */
  procedure(name: string, text: string, params = ''): string[] {
    this.file(`${name.toLowerCase()}.com`, text)
    return this.run(`@${name} ${params}`.trim())
  }

  /** Everything that can change: symbols, logical names, default, verify and the disk. */
  snapshot(): unknown {
    const tree = (dir: string): Record<string, string> => {
      const out: Record<string, string> = {}
      for (const e of readdirSync(dir)) {
        const p = join(dir, e)
        if (statSync(p).isDirectory())
          for (const [k, v] of Object.entries(tree(p))) out[`${e}/${k}`] = v
        else out[e] = readFileSync(p, 'utf8')
      }
      return out
    }
    return {
      globals: this.dcl.globals.entries(),
      locals: this.dcl.localSymbols(),
      logicals: [...this.dcl.logicals.entries()],
      default: this.dcl.disk.showDefault(),
      verify: this.dcl.verify,
      disk: tree(this.root),
    }
  }
}
