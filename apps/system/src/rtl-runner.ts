import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Status } from '@vms/contracts'
import { defaultSubsystems } from './build'
import { VmsSystem } from './executive'

/** What a program run by `runVmsProgram` did. */
export interface ProgramRun {
  /** Everything written to the console terminal (echoed input included). */
  readonly output: string
  /** The image's exit status (undefined if it has not ended). */
  readonly status: Status | undefined
  readonly system: VmsSystem
  readonly pid: number
}

/**
 * Runs one MACRO-32 program in a fresh system of the default build (locks, $FAO and
 * time, logical names), as the examples in examples/vms expect: `input` is typed at the
 * console terminal before it starts (lines end with a carriage return), and with
 * `endOfInput` the terminal's input ends after it (reads then get SS$_ENDOFFILE).
 * `directory` is where $CREPRC finds images by relative name.
 */
export function runVmsProgram(
  source: string,
  options: {
    name?: string
    input?: string
    endOfInput?: boolean
    directory?: string
    privileges?: readonly string[]
    instructions?: number
  } = {},
): ProgramRun {
  let output = ''
  const system = new VmsSystem({
    output: (text) => (output += text),
    directory: options.directory ?? mkdtempSync(join(tmpdir(), 'vms-idiom-')),
    subsystems: defaultSubsystems,
  })
  const created = system.createProcess(options.name ?? 'PROGRAM', source, 4)
  if (created.pid === undefined)
    throw new Error(
      `cannot make the image: ${JSON.stringify(created.diagnostics ?? created.error ?? created.status)}`,
    )
  const pid = created.pid
  for (const p of options.privileges ?? []) system.scheduler.process(pid)?.privileges.add(p)
  if (options.input !== undefined) system.typeInput(options.input)
  if (options.endOfInput === true) system.endOfInput()
  system.run(options.instructions ?? 20_000_000)
  return { output, status: system.exitStatus(pid), system, pid }
}
