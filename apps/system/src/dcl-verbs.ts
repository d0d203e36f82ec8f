import type { Status } from '@vms/contracts'
import {
  CLI,
  type CommandContext,
  type CommandHandler,
  type Dcl,
  DclError,
  lookup,
  parameter,
  present,
  qualifierValue,
  type VerbDefinition,
} from '@vms/dcl'

/** What the system's verbs ask of the console (console.ts implements it). */
export interface SystemActions {
  /** RUN (and SPAWN): an image in a new process. */
  run(request: RunRequest, context: CommandContext): Status
  /** CONTINUE: the image CTRL/Y interrupted goes on. */
  continueImage(): Status
  /** LINK: assemble and link a MACRO-32 source into an image file. */
  link(source: string, output: string | undefined): Status
  /** STOP: delete a process (by name or PID; neither: the interrupted image). */
  stop(target: { name?: string; pid?: number }): Status
  /** SET PROCESS/PRIORITY. */
  setPriority(target: { name?: string; pid?: number }, priority: number): Status
  showSystem(full: boolean): Status
  /** SHOW PROCESS of a process by name or PID (neither: the console's current image). */
  showProcess(target: { name?: string; pid?: number }): Status
  showMemory(poolOnly: boolean): Status
  /** SHOW CPU. */
  showCpu(): Status
  /** The example programs' names, for HELP. */
  examples(): string[]
  /** The commands the build's subsystems add, for HELP: name and help line. */
  contributed(): readonly { name: string; help: string }[]
}

/** What RUN was asked: the file, and its qualifiers. */
export interface RunRequest {
  readonly file: string
  readonly wait: boolean
  readonly priority: number
  readonly processName?: string
  /** RUN/DETACH: a detached process (every console process is one). */
  readonly detach: boolean
  /** SPAWN: says SPAWNED rather than PROC_ID. */
  readonly spawned: boolean
}

/** A PID typed as hexadecimal (`/IDENTIFICATION=21`, with or without `%X`). */
function pidValue(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  const digits = text.replace(/^%X/i, '')
  if (!/^[0-9A-F]{1,8}$/i.test(digits)) throw new DclError(CLI.IVVALU, text)
  return Number.parseInt(digits, 16)
}

/** A base priority 0-15 (/PRIORITY=n): CLI$_IVVALU otherwise, as DCL refuses a bad value. */
function priorityValue(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isInteger(n) || n < 0 || n > 15) throw new DclError(CLI.IVVALU, text)
  return n
}

/** Process name or /IDENTIFICATION=pid: which process a command means. */
function target(command: Parameters<CommandHandler>[0]): { name?: string; pid?: number } {
  const pid = pidValue(qualifierValue(command, 'IDENTIFICATION'))
  const name = parameter(command, 0)
  return { ...(pid === undefined ? {} : { pid }), ...(name === undefined ? {} : { name }) }
}

const IDENTIFICATION = {
  name: 'IDENTIFICATION',
  value: 'required',
  negatable: false,
  help: 'the process by its PID (hexadecimal)',
} as const

/**
 * The verbs the assembled system adds to DCL (DCL Dictionary: RUN, CONTINUE, LINK, STOP,
 * SPAWN, SET PROCESS, SHOW SYSTEM, SHOW PROCESS, SHOW MEMORY, SHOW CPU) and HELP with the build's
 * own commands: one table that drives the parser, HELP and completion.
 */
export function systemVerbs(actions: SystemActions, dcl: Dcl): VerbDefinition[] {
  const found = dcl.table.find('HELP')
  const help = found.kind === 'found' ? found.item : undefined
  const runQualifiers = [
    { name: 'WAIT', default: true, help: 'wait for the image to end (/NOWAIT: go on)' },
    {
      name: 'PRIORITY',
      value: 'required',
      type: 'number',
      negatable: false,
      help: 'the base priority, 0-15 (default 4)',
    },
    { name: 'DETACH', negatable: false, help: 'a detached process (implies /NOWAIT)' },
    {
      name: 'PROCESS_NAME',
      value: 'required',
      negatable: false,
      keepCase: false,
      help: 'the name of the process (default: the image name)',
    },
  ] as const
  return [
    {
      name: 'RUN',
      help: 'RUN file: runs an image (.EXE) or a MACRO-32 program (.MAR, linked on the fly)',
      description:
        'A file is a VMS file specification on the default disk (HELLO is HELLO.EXE, else\nHELLO.MAR), a host path, or the name of an example program. CTRL/Y interrupts it.',
      parameters: [{ label: 'File', required: true, type: 'file', keepCase: true }],
      qualifiers: runQualifiers,
      handler: (command, context) => {
        const detach = present(command, 'DETACH') === true
        const processName = qualifierValue(command, 'PROCESS_NAME')
        return actions.run(
          {
            file: parameter(command, 0) ?? '',
            wait: !detach && present(command, 'WAIT') !== false,
            priority: priorityValue(qualifierValue(command, 'PRIORITY'), 4),
            detach,
            spawned: false,
            ...(processName === undefined ? {} : { processName }),
          },
          context,
        )
      },
    },
    {
      name: 'SPAWN',
      help: 'SPAWN [RUN] file: runs an image in a new process, as RUN does, and names it SPAWNED',
      description:
        'The console is no VAX process, so the new process has no parent: SPAWN is RUN in\na process of its own. /NOWAIT returns at once.',
      parameters: [
        { label: 'Command', required: true, keepCase: true },
        { label: 'File', keepCase: true },
      ],
      qualifiers: [
        { name: 'WAIT', default: true, help: 'wait for the image to end (/NOWAIT: go on)' },
        {
          name: 'PROCESS',
          value: 'required',
          negatable: false,
          help: 'the name of the new process',
        },
      ],
      handler: (command, context) => {
        const first = parameter(command, 0) ?? ''
        const isRun = lookup([{ name: 'RUN' }], first).kind === 'found'
        const file = isRun ? parameter(command, 1) : first
        if (file === undefined) throw new DclError(CLI.INSFPRM)
        if (!isRun && parameter(command, 1) !== undefined)
          throw new DclError(CLI.MAXPARM, parameter(command, 1)?.toUpperCase())
        const processName = qualifierValue(command, 'PROCESS')
        return actions.run(
          {
            file,
            wait: present(command, 'WAIT') !== false,
            priority: 4,
            detach: false,
            spawned: true,
            ...(processName === undefined ? {} : { processName }),
          },
          context,
        )
      },
    },
    {
      name: 'CONTINUE',
      help: 'CONTINUE: resumes the image CTRL/Y interrupted (in a procedure: does nothing)',
      raw: true,
      // In a procedure (ON ... THEN CONTINUE) it leaves $STATUS as it was.
      handler: () => (dcl.depth > 0 ? undefined : actions.continueImage()),
    },
    {
      name: 'LINK',
      help: 'LINK file [/OUTPUT=file]: assembles and links an image (NAME.EXE in the default directory)',
      parameters: [{ label: 'File', required: true, type: 'file', keepCase: true }],
      qualifiers: [
        {
          name: 'OUTPUT',
          value: 'required',
          type: 'file',
          negatable: false,
          help: 'the image file to write',
        },
      ],
      handler: (command) =>
        actions.link(parameter(command, 0) ?? '', qualifierValue(command, 'OUTPUT')),
    },
    {
      name: 'STOP',
      help: 'STOP [name] [/IDENTIFICATION=pid]: deletes a process (alone: the interrupted image)',
      parameters: [{ label: 'Process name' }],
      qualifiers: [IDENTIFICATION],
      handler: (command) => actions.stop(target(command)),
    },
    {
      name: 'SET',
      help: 'SET keyword: changes a setting (DEFAULT, VERIFY, ON, PROCESS, ...)',
      keywords: [
        {
          name: 'PROCESS',
          help: 'SET PROCESS [name] /PRIORITY=n [/IDENTIFICATION=pid]: a process base priority',
          parameters: [{ label: 'Process name' }],
          qualifiers: [
            IDENTIFICATION,
            {
              name: 'PRIORITY',
              value: 'required',
              type: 'number',
              negatable: false,
              help: 'the new base priority, 0-15',
            },
          ],
          handler: (command) => {
            const value = qualifierValue(command, 'PRIORITY')
            if (value === undefined) throw new DclError(CLI.INSFPRM)
            return actions.setPriority(target(command), priorityValue(value, 4))
          },
        },
      ],
    },
    {
      name: 'SHOW',
      help: 'SHOW keyword: shows a setting or the state of the system',
      keywords: [
        {
          name: 'SYSTEM',
          help: 'processes: PID, name, state, priority, I/O, CPU time (/FULL: more)',
          qualifiers: [{ name: 'FULL', help: 'base priority, owner, job and pages too' }],
          handler: (command) => actions.showSystem(present(command, 'FULL') === true),
        },
        {
          name: 'PROCESS',
          help: 'a process: identification, priorities, state, CPU time, pages',
          parameters: [{ label: 'Process name' }],
          qualifiers: [IDENTIFICATION],
          handler: (command) => actions.showProcess(target(command)),
        },
        {
          name: 'MEMORY',
          help: 'physical pages and nonpaged pool (/POOL: the pool only)',
          qualifiers: [{ name: 'POOL', help: 'the nonpaged pool only' }],
          handler: (command) => actions.showMemory(present(command, 'POOL') === true),
        },
        {
          name: 'CPU',
          help: 'the processor: its model, instructions run, and the translator (JIT) statistics',
          handler: () => actions.showCpu(),
        },
      ],
    },
    {
      name: 'HELP',
      help: help?.help ?? 'HELP [topic [subtopic]]',
      raw: true,
      handler: (command, context) => {
        const status = help?.handler?.(command, context)
        if ((parameter(command, 0) ?? '').trim() === '') {
          context.say('  Commands of the build:')
          context.say('')
          for (const c of actions.contributed()) context.say(`  ${c.name.padEnd(20)} ${c.help}`)
          context.say('')
          context.say(`  Example programs (RUN name): ${actions.examples().join(', ')}`)
          context.say('')
        }
        return status
      },
    },
  ]
}
