import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { isSuccess } from '@vms/contracts'
import { Console } from './console'
import { VmsSystem } from './executive'

/**
 * `pnpm start`: boots the system and gives a `$` prompt.
 * `pnpm -s vms --script FILE`: runs the commands in FILE without a terminal and exits
 * with the status of the last one (0 for success).
 */
const args = process.argv.slice(2)
const system = new VmsSystem()
const console_ = new Console(system)
const banner =
  'VAX/VMS in TypeScript: KA655-like VAX, 8 MB, TypeScript executive. Type HELP for commands.'

const scriptAt = args.indexOf('--script')
if (scriptAt >= 0) {
  const file = args[scriptAt + 1]
  if (file === undefined) {
    process.stderr.write('usage: vms --script FILE\n')
    process.exit(2)
  }
  let source: string
  try {
    source = readFileSync(file, 'utf8')
  } catch (error) {
    process.stderr.write(
      `vms: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`,
    )
    process.exit(2)
  }
  // As in a DCL command procedure: when the file marks commands with '$', the other
  // lines are data for the image the command before them runs (typed ahead).
  const lines = source.split('\n').filter((line) => line.trim() !== '')
  const marked = lines.some((line) => line.trimStart().startsWith('$'))
  let last = 1
  for (let i = 0; i < lines.length; i++) {
    const command = (lines[i] as string).trim().replace(/^\$\s*/, '')
    while (
      marked &&
      i + 1 < lines.length &&
      !(lines[i + 1] as string).trimStart().startsWith('$')
    ) {
      system.typeInput(`${lines[++i] as string}\r`)
    }
    process.stdout.write(`$ ${command}\n`)
    last = console_.execute(command)
    if (console_.shutdown) break
  }
  process.exit(isSuccess(last) ? 0 : 1)
} else {
  process.stdout.write(`${banner}\n\n`)
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '$ ' })
  rl.prompt()
  rl.on('line', (line) => {
    if (system.waitingForTerminal) console_.input(line)
    else console_.execute(line)
    if (console_.shutdown) rl.close()
    else if (!system.waitingForTerminal) rl.prompt()
  })
  rl.on('close', () => process.exit(0))
}
