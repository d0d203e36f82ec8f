import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { isSuccess, SS, type Status } from '@vms/contracts'
import { defaultSubsystems } from './build'
import { Console } from './console'
import { VmsSystem } from './executive'

/**
 * `pnpm start`: boots the system and gives a `$` prompt.
 * `pnpm -s vms --script FILE`: runs the commands in FILE without a terminal and exits
 * with the status of the last one (0 for success, 1 when it failed).
 *
 * Relative file names are the user's: pnpm runs scripts in the workspace root and says
 * where the user was in INIT_CWD.
 */
const USAGE = 'usage: vms [--script FILE]\n'
const directory = process.env.INIT_CWD ?? process.cwd()
let options: { script?: string | undefined; help?: boolean | undefined }
try {
  options = parseArgs({
    options: { script: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  }).values
} catch (error) {
  process.stderr.write(`vms: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`)
  process.exit(2)
}
if (options.help) {
  process.stdout.write(USAGE)
  process.exit(0)
}
const system = new VmsSystem({ directory, subsystems: defaultSubsystems })
const banner =
  'VAX/VMS in TypeScript: KA655-like VAX, 8 MB, TypeScript executive. Type HELP for commands.'

if (options.script !== undefined) runScript(resolve(directory, options.script))
else interactive()

/** Runs a command file: each `$` command, with the data lines after it as its input. */
function runScript(file: string): void {
  let source: string
  try {
    source = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    process.stderr.write(`vms: cannot read ${file} (${code})\n`)
    process.exit(2)
  }
  const console_ = new Console(system)
  // As in a DCL command procedure: when the file marks commands with '$', the other
  // lines are data for the image the command before them runs (typed ahead). A program
  // that reads past its data gets end of file.
  const lines = source.split(/\r?\n/).filter((line) => line.trim() !== '')
  const marked = lines.some((line) => line.trimStart().startsWith('$'))
  let last: Status = SS.NORMAL
  for (let i = 0; i < lines.length; i++) {
    const command = (lines[i] as string).trim().replace(/^\$\s*/, '')
    while (
      marked &&
      i + 1 < lines.length &&
      !(lines[i + 1] as string).trimStart().startsWith('$')
    ) {
      system.typeInput(`${lines[++i] as string}\r`)
    }
    system.endOfInput()
    process.stdout.write(`$ ${command}\n`)
    last = console_.execute(command)
    if (console_.shutdown) break
  }
  process.exit(isSuccess(last) ? 0 : 1)
}

/**
 * The interactive console. The system runs in slices between terminal events, so
 * RUN/NOWAIT processes go on while the console waits for a command, and CTRL/Y or
 * CTRL/C interrupts a running image (CONTINUE resumes it). Lines typed while an image
 * runs are typed ahead, as on a VMS terminal: the image reads them if it reads the
 * terminal, and the console takes the rest as commands when the image has ended. When
 * the input ends, a program reading the terminal gets end of file, and the console
 * exits after the last command with its status.
 */
function interactive(): void {
  const console_ = new Console(system, { synchronous: false })
  /** Instructions run between looks at the terminal (a few hundredths of a second). */
  const SLICE = 500_000
  const typedAhead: string[] = []
  let last: Status = SS.NORMAL
  let inputEnded = false
  let pumping = false
  process.stdout.write(`${banner}\n\n`)
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '$ ' })

  const finish = () => process.exit(isSuccess(last) ? 0 : 1)
  /** Takes typed-ahead lines as commands until one starts an image; prompts after the last. */
  const commands = () => {
    while (console_.foreground === undefined && typedAhead.length > 0) {
      last = console_.execute(typedAhead.shift() as string)
      if (console_.shutdown) finish()
    }
    if (console_.foreground !== undefined) return
    if (inputEnded) {
      if (console_.idle) finish()
    } else rl.prompt()
  }
  /** Gives the image reading the terminal its next line, or end of file. */
  const feed = (): boolean => {
    if (console_.foreground === undefined || !system.waitingForTerminal) return false
    const line = typedAhead.shift()
    if (line !== undefined) system.typeInput(`${line}\r`)
    else if (inputEnded) system.endOfInput()
    else return false
    console_.idle = false
    return true
  }
  const pump = () => {
    if (pumping) return
    pumping = true
    setImmediate(function slice() {
      feed()
      const ended = console_.step(SLICE)
      if (ended !== undefined) {
        last = ended
        commands()
      }
      // Stop when nothing can run, or the image waits for what only the user can give.
      if (console_.idle && !feed()) {
        pumping = false
        if (inputEnded && console_.foreground === undefined && typedAhead.length === 0) finish()
        return
      }
      setImmediate(slice)
    })
  }
  const interrupt = () => {
    const running = console_.foreground !== undefined
    if (!console_.interrupt('C')) process.stdout.write('\n')
    else if (console_.foreground !== undefined && running) {
      pump() // the image's own CTRL/C AST: it goes on
      return
    }
    typedAhead.length = 0 // CTRL/Y discards type-ahead
    rl.prompt()
  }

  rl.on('line', (line) => {
    typedAhead.push(line)
    if (console_.foreground === undefined) commands()
    pump()
  })
  // CTRL/C and CTRL/Y on a terminal, or SIGINT sent to the process.
  rl.on('SIGINT', interrupt)
  process.on('SIGINT', interrupt)
  // CTRL/Z: end of file for a program reading the terminal (book 19.3).
  rl.on('SIGTSTP', () => {
    if (console_.foreground === undefined) return
    system.typeInput('\x1a')
    console_.idle = false
    pump()
  })
  rl.on('close', () => {
    inputEnded = true
    console_.idle = false
    pump()
  })
  rl.prompt()
}
