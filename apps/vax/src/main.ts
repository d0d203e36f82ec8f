import { UsageError } from './args'
import { ASM_USAGE, asmCommand, DISASM_USAGE, disasmCommand } from './asm'
import { RUN_USAGE, runCommand } from './run'

const USAGE = `${RUN_USAGE}\n${ASM_USAGE}\n${DISASM_USAGE}\n`

/** The `vax` command line; returns the exit status (0 ok, 1 failure, 2 usage). */
/** Where the command writes its output and its messages. */
type Writer = (text: string) => void

export function main(
  argv: readonly string[],
  out: Writer = (t) => process.stdout.write(t),
  err: Writer = (t) => process.stderr.write(t),
): number {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'run':
        return runCommand(rest, out, err)
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
    throw e
  }
}
