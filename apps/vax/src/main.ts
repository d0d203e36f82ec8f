import { UsageError } from './args'
import { ASM_USAGE, asmCommand, DISASM_USAGE, disasmCommand } from './asm'
import { type InterruptSource, processInterrupts, RUN_USAGE, runCommand } from './run'

const USAGE = `${RUN_USAGE}\n${ASM_USAGE}\n${DISASM_USAGE}\n`

/** Where the command writes its output and its messages. */
type Writer = (text: string) => void

/** What a caller other than the shell (a test) may replace. */
export interface MainOptions {
  /** Where Ctrl-C comes from; SIGINT of this process by default. */
  readonly interrupts?: InterruptSource
  /** Instructions `vax run` executes between two looks at the event loop. */
  readonly slice?: number
}

/**
 * The `vax` command line; resolves to the exit status: 0 ok, 1 failure (assembly
 * errors), 2 a bad command line, 130 a `run` stopped by Ctrl-C. Nothing it is given
 * makes it throw: an unexpected error is one line on `err` and status 1.
 */
export async function main(
  argv: readonly string[],
  out: Writer = (t) => process.stdout.write(t),
  err: Writer = (t) => process.stderr.write(t),
  options: MainOptions = {},
): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (rest.includes('--help') || rest.includes('-h')) {
      out(USAGE)
      return 0
    }
    switch (command) {
      case 'run':
        return await runCommand(rest, {
          out,
          err,
          interrupts: options.interrupts ?? processInterrupts,
          ...(options.slice === undefined ? {} : { slice: options.slice }),
        })
      case 'asm':
        return asmCommand(rest, out, err)
      case 'disasm':
        return disasmCommand(rest, out)
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out(USAGE)
        return command === undefined ? 2 : 0
      default:
        throw new UsageError(`unknown command '${command}'`)
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`vax: ${e.message}\n${USAGE}`)
      return 2
    }
    // A defect of this program, not of its input: one line, the stack on request.
    const error = e instanceof Error ? e : new Error(String(e))
    err(`vax: internal error: ${error.message}\n`)
    if (process.env.VAX_DEBUG) err(`${error.stack ?? ''}\n`)
    return 1
  }
}
