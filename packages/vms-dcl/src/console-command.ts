import type { ConsoleCommand } from '@vms/contracts'
import type { CommandTable } from './command-table'
import type { ParameterDefinition, ParsedCommand, QualifierDefinition } from './types'

const REST: readonly ParameterDefinition[] = Array.from({ length: 8 }, (_, i) => ({
  label: `P${i + 1}`,
}))

/**
 * The words `run` gets, in the form a subsystem's command parsed before it had a command
 * table: the parameters' values, then each qualifier given as `/NAME`, `/NONAME` or
 * `/NAME=value` (a list joined with commas), by its full name.
 */
export function consoleWords(parsed: ParsedCommand): string[] {
  const words = parsed.parameters.flat()
  for (const [name, q] of parsed.qualifiers) {
    if (q.negated) words.push(`/NO${name}`)
    else words.push(q.values.length === 0 ? `/${name}` : `/${name}=${q.values.join(',')}`)
  }
  return words
}

/**
 * Puts a subsystem's console command (the composition contract's `ConsoleCommand`) into
 * a command table: `SHOW LOCKS` becomes keyword LOCKS of SHOW, a one-word name a verb
 * (abbreviated to no fewer than four characters, so that it never makes a short form of a
 * built-in verb ambiguous).
 * Its declared parameters and qualifiers are its syntax (an undeclared qualifier is
 * CLI$_IVQUAL, a missing required parameter CLI$_INSFPRM); without declared parameters it
 * takes up to eight words. `run` gets the words as `consoleWords` gives them.
 */
export function fromConsoleCommand(table: CommandTable, command: ConsoleCommand): void {
  const [verb = '', keyword] = command.name.toUpperCase().trim().split(/\s+/)
  const parameters: readonly ParameterDefinition[] =
    command.parameters?.map((p) => ({
      label: p.label,
      ...(p.required === true ? { required: true } : {}),
      ...(p.type === 'file' ? { type: 'file' as const, keepCase: true } : {}),
    })) ?? REST
  const qualifiers: readonly QualifierDefinition[] = (command.qualifiers ?? []).map((q) => ({
    name: q.name.toUpperCase(),
    value: q.value ?? 'none',
    ...(q.type === undefined ? {} : { type: q.type }),
    ...(q.list === true ? { list: true } : {}),
    ...(q.help === undefined ? {} : { help: q.help }),
  }))
  const syntax = {
    help: command.help,
    parameters,
    qualifiers,
    handler: (parsed: ParsedCommand, context: { say(line: string): void }) =>
      command.run(consoleWords(parsed), (line) => context.say(line)),
  }
  if (keyword === undefined)
    table.define({ name: verb, abbreviation: Math.min(4, verb.length), ...syntax })
  else table.defineKeyword(verb, { name: keyword, ...syntax })
}
