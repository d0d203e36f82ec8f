import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { serveWebView } from '@vax-vms/web'
import { isSuccess, SS, type Status, type SubsystemFactory } from '@vms/contracts'
import { type LockDatabaseSnapshot, lockManagerSubsystem } from '@vms/lock'
import { defaultSubsystems, lockManager } from './build'
import { Console } from './console'
import { VmsSystem } from './executive'
import { SystemWebSource } from './web-source'

/**
 * `pnpm start`: boots the system and gives a `$` prompt (DCL: command recall and line
 * editing, completion with TAB, CTRL/Y and CTRL/C interrupt an image, CTRL/T shows a line
 * on it).
 * `pnpm -s vms --script FILE`: runs the commands in FILE without a terminal and exits
 * with the status of the last one (0 for success, 1 when it failed).
 * `pnpm -s vms @FILE [P1 ... P8]`: runs the command procedure FILE (a VMS file
 * specification on the default disk, type .COM by default) and exits with its status.
 *
 * Relative file names are the user's: pnpm runs scripts in the workspace root and says
 * where the user was in INIT_CWD.
 */
const USAGE =
  'usage: vms [--no-jit] [--script FILE | @FILE [P1 ... P8]]\n       vms [--no-jit] --web [--port N] [--host ADDRESS]\n'
const directory = process.env.INIT_CWD ?? process.cwd()
let options: {
  script?: string | undefined
  help?: boolean | undefined
  web?: boolean | undefined
  port?: string | undefined
  host?: string | undefined
  'no-jit'?: boolean | undefined
}
let positionals: string[]
try {
  const parsed = parseArgs({
    options: {
      script: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      web: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      'no-jit': { type: 'boolean' },
    },
    strict: true,
    allowPositionals: true,
  })
  options = parsed.values
  positionals = parsed.positionals
  if (positionals.length > 0 && (!positionals[0]?.startsWith('@') || options.script !== undefined))
    throw new Error(`unexpected argument '${positionals[0]}'`)
  const port = options.port === undefined ? 0 : Number(options.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port ${options.port}: not a port number`)
  if ((options.port !== undefined || options.host !== undefined) && options.web !== true)
    throw new Error('--port and --host go with --web')
} catch (error) {
  process.stderr.write(`vms: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`)
  process.exit(2)
}
if (options.help) {
  process.stdout.write(USAGE)
  process.exit(0)
}
/** The web view, once `--web` or the WEB command started it (issue 21, @vax-vms/web). */
let web: { source: SystemWebSource; url: string } | undefined
let startWeb: () => void = () => {}
let locks: { snapshot(): LockDatabaseSnapshot } | undefined
/** The WEB command: serves the web view (what `--web` does at boot). */
const webCommand: SubsystemFactory = () => ({
  name: 'web view',
  commands: [
    {
      name: 'WEB',
      help: 'serve the live web view of the system on localhost and show its address',
      parameters: [],
      run: (_args, say) => {
        if (web !== undefined) say(`%WEB-I-SERVING, the web view is at ${web.url}`)
        else startWeb()
        return SS.NORMAL
      },
    },
  ],
})
const system = new VmsSystem({
  directory,
  // The default build, its lock manager telling the web view its database.
  subsystems: [
    ...defaultSubsystems.filter((s) => s !== lockManager),
    lockManagerSubsystem({ onReady: (database) => (locks = database) }),
    webCommand,
  ],
  output: (text) => {
    process.stdout.write(text)
    web?.source.output(text)
  },
})
const banner =
  'VAX/VMS in TypeScript: KA655-like VAX, 8 MB, TypeScript executive. Type HELP for commands.'

// The CPU translates hot VAX code to JavaScript unless told not to (SHOW CPU shows it).
if (options['no-jit'] === true) system.cpu.jit = false

if (options.script !== undefined) runScript(resolve(directory, options.script))
else if (positionals.length > 0) runProcedure(positionals)
else interactive()

/**
 * `vms @FILE P1 ...`: the command procedure at a new command level (book 23.4), its data
 * lines the input of the images it runs; the exit status is 0 when its status is a
 * success, else 1.
 */
function runProcedure(words: readonly string[]): void {
  const console_ = new Console(system, { mode: 'BATCH' })
  const quoted = words.map((w, i) => (i > 0 && /[\s"]/.test(w) ? `"${w.replace(/"/g, '""')}"` : w))
  const status = console_.execute(quoted.join(' '))
  process.exit(isSuccess(status) ? 0 : 1)
}

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
  const console_ = new Console(system, { mode: 'BATCH' })
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
  const typedAhead: string[] = []
  // READ SYS$INPUT and INQUIRE typed at the prompt take a line typed ahead.
  const console_ = new Console(system, {
    synchronous: false,
    input: (prompt) => {
      const line = typedAhead.shift()
      if (line !== undefined) process.stdout.write(`${prompt}${line}\n`)
      return line
    },
  })
  /** Instructions run between looks at the terminal (a few hundredths of a second). */
  const SLICE = 500_000
  let last: Status = SS.NORMAL
  let inputEnded = false
  let pumping = false
  process.stdout.write(`${banner}\n\n`)
  // node:readline gives a terminal command recall (up and down arrows) and line editing;
  // TAB completes a verb, keyword or qualifier from the command table.
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: '$ ',
    historySize: 20,
    completer: (line: string): [string[], string] => {
      const hits = console_.dcl.table.complete(line)
      const word = line.split(/\s+/).pop() ?? ''
      const part = hits[0]?.startsWith('/') ? word.slice(word.lastIndexOf('/')) : word
      return [hits, part]
    },
  })

  /** The `$` prompt, at the terminal and on the web view's console. */
  const prompt = () => {
    rl.prompt()
    web?.source.output('$ ')
  }
  startWeb = () => {
    const source = new SystemWebSource(
      system,
      {
        command: (line) => {
          typedAhead.push(line)
          if (console_.foreground === undefined) commands()
          pump()
        },
        interrupt: (key) => interrupt(key),
        resume: () => pump(),
      },
      locks === undefined
        ? undefined
        : () => (locks as { snapshot(): LockDatabaseSnapshot }).snapshot(),
    )
    serveWebView(source, {
      port: options.port === undefined ? 0 : Number(options.port),
      ...(options.host !== undefined && { host: options.host }),
    }).then(
      (server) => {
        web = { source, url: server.url }
        process.stdout.write(`\n%WEB-I-SERVING, the web view is at ${server.url}\n`)
        prompt()
      },
      (error: unknown) => {
        process.stdout.write(`\n%WEB-E-NOSERVE, cannot serve the web view: ${String(error)}\n`)
        prompt()
      },
    )
  }
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
    } else prompt()
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
      // Paused from the web view: the machine stands still until it resumes or steps.
      if (web?.source.paused() === true) {
        pumping = false
        return
      }
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
  const interrupt = (key: 'C' | 'Y' = 'C') => {
    const running = console_.foreground !== undefined
    if (!console_.interrupt(key)) process.stdout.write('\n')
    else if (console_.foreground !== undefined && running) {
      pump() // the image's own CTRL/C AST: it goes on
      return
    }
    typedAhead.length = 0 // CTRL/Y discards type-ahead
    prompt()
  }

  rl.on('line', (line) => {
    typedAhead.push(line)
    if (console_.foreground === undefined) commands()
    pump()
  })
  // CTRL/C and CTRL/Y on a terminal, or SIGINT sent to the process.
  rl.on('SIGINT', () => interrupt('C'))
  process.on('SIGINT', () => interrupt('C'))
  // On a terminal: CTRL/Y interrupts as CTRL/C does; CTRL/T shows a line on the image.
  process.stdin.on(
    'keypress',
    (_text: string | undefined, key: { ctrl?: boolean; name?: string }) => {
      if (key?.ctrl !== true) return
      if (key.name === 'y') interrupt('Y')
      else if (key.name === 't') {
        process.stdout.write(`\n${console_.statusLine()}\n`)
        if (console_.foreground === undefined) rl.prompt(true)
      }
    },
  )
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
  prompt()
  if (options.web === true) startWeb()
}
