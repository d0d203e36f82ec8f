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
  let last = 1
  for (const line of source.split('\n')) {
    if (line.trim() === '') continue
    process.stdout.write(`$ ${line.trim()}\n`)
    last = console_.execute(line)
    if (console_.shutdown) break
  }
  process.exit(isSuccess(last) ? 0 : 1)
} else {
  process.stdout.write(`${banner}\n\n`)
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '$ ' })
  rl.prompt()
  rl.on('line', (line) => {
    console_.execute(line)
    if (console_.shutdown) rl.close()
    else rl.prompt()
  })
  rl.on('close', () => process.exit(0))
}
