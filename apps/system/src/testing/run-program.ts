import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Status, SubsystemFactory } from '@vms/contracts'
import { VmsSystem } from '../executive'

/**
 * Runs one MACRO-32 program in a fresh system: what it wrote to the terminal, its exit
 * status and the system (for the tests of the services, which look at its state after).
 * `privileges` are granted to the process before it first runs.
 */
export function runProgram(
  source: string,
  options: {
    privileges?: readonly string[]
    name?: string
    instructions?: number
    subsystems?: readonly SubsystemFactory[]
  } = {},
): { output: string; status: Status | undefined; system: VmsSystem; pid: number } {
  let output = ''
  const system = new VmsSystem({
    output: (text) => (output += text),
    directory: mkdtempSync(join(tmpdir(), 'vms-program-')),
    subsystems: options.subsystems ?? [],
  })
  const created = system.createProcess(options.name ?? 'TEST', source, 4)
  if (created.pid === undefined)
    throw new Error(
      `cannot make the image: ${JSON.stringify(created.diagnostics ?? created.error ?? created.status)}`,
    )
  const pid = created.pid
  for (const p of options.privileges ?? []) system.scheduler.process(pid)?.privileges.add(p)
  system.run(options.instructions ?? 20_000_000)
  return { output, status: system.exitStatus(pid), system, pid }
}

/** MACRO-32 for `PRINT <text>`: the line to SYS$OUTPUT through a channel in `tt`. */
export const PRINT_MACRO = `
        $SSDEF
        $IODEF
        .MACRO  PRINT   string,?text,?skip
        BRB     skip
text:   .ASCII  \\string\\<10>
skip:   PUSHR   #^M<R0,R1>
        $QIOW_S CHAN=tt,FUNC=#IO$_WRITEVBLK,P1=text,P2=#skip-text
        POPR    #^M<R0,R1>
        .ENDM
ttname: .ASCID  /SYS$OUTPUT/
tt:     .WORD   0
        .MACRO  OPENTT
        $ASSIGN_S DEVNAM=ttname,CHAN=tt
        .ENDM
`
