import type { ConsoleCommand } from '@vms/contracts'
import type { CommandTable } from './command-table'
import type { ParameterDefinition } from './types'

const REST: readonly ParameterDefinition[] = Array.from({ length: 8 }, (_, i) => ({
  label: `P${i + 1}`,
}))

/**
 * Puts a subsystem's console command (the composition contract's `ConsoleCommand`) into
 * a command table: `SHOW LOCKS` becomes keyword LOCKS of SHOW, a one-word name a verb;
 * it takes up to eight parameters, given to `run` as words.
 */
export function fromConsoleCommand(table: CommandTable, command: ConsoleCommand): void {
  const [verb = '', keyword] = command.name.toUpperCase().trim().split(/\s+/)
  const syntax = {
    help: command.help,
    parameters: REST,
    handler: (
      parsed: { parameters: readonly (readonly string[])[] },
      context: { say(line: string): void },
    ) => command.run(parsed.parameters.flat(), (line) => context.say(line)),
  }
  if (keyword === undefined) table.define({ name: verb, ...syntax })
  else table.defineKeyword(verb, { name: keyword, ...syntax })
}
