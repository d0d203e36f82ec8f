import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, extname, resolve } from 'node:path'
import { AssemblyError, type Diagnostic } from '@vax/asm'
import { type ConsoleCommand, formatStatus, isSuccess, SS, type Status } from '@vms/contracts'
import { formatNonpagedPoolStatistics } from '@vms/pool'
import { STATE_NAMES, State } from '@vms/sched'
import { RSN_ASTWAIT, STS_M_INHIB_MSG, type VmsSystem } from './executive'
import { hex } from './hex'
import { LinkError, link } from './image'
import { EXAMPLES_DIRECTORY, findProgram } from './programs'

export { EXAMPLES_DIRECTORY }

const HELP = `Commands:
  RUN [/NOWAIT] [/PRIORITY=n] program   create a process running an image (.exe) or a
                                        MACRO-32 program (an example name such as HELLO,
                                        or a .mar file, linked on the fly) and wait for
                                        its image to end (CTRL/Y or CTRL/C interrupts it)
  CONTINUE                              resume the image CTRL/Y interrupted
  LINK source.mar [/OUTPUT=file.exe]    assemble and link an image file (written to the
                                        current directory unless /OUTPUT says otherwise)
  SHOW SYSTEM                           processes: PID, name, state, priority, CPU time
  SHOW MEMORY [/POOL]                   physical pages and nonpaged pool
  STOP name | STOP /IDENTIFICATION=pid  delete a process (STOP alone: the interrupted image)
  HELP                                  this text
  EXIT                                  shut the system down
Relative file names are taken from the directory the command was started in.
Examples: ${'EXAMPLES'}`

/** STS$M_INHIB_MSG: the status's message has been shown (the console shows it once). */
const SHOWN = STS_M_INHIB_MSG
/** RMS$_FNF, "file not found" (facility RMS, 1), as DCL reports a missing image. */
const RMS_FNF = 0x00018292
/** CLI statuses (facility CLI, 3) of the DCL messages the console gives. */
const CLI = { IVVERB: 0x00038090, INSFPRM: 0x00038048 } as const

/** Instructions run for a waited-for image before the console says it is still going. */
const RUN_LIMIT = 100_000_000

export interface ConsoleOptions {
  /**
   * True (the default): a RUN waits inside `execute` until its image ends, the system is
   * idle, or RUN_LIMIT instructions have run (scripts, tests). False: `execute` only
   * starts the image, and the caller runs the system with `step` (the interactive
   * console, which must stay responsive to CTRL/Y).
   */
  readonly synchronous?: boolean
}

/**
 * The console command interpreter (DCL-like). Each command returns a VMS status;
 * output goes to the system's output. A status whose message has been shown has
 * STS$M_INHIB_MSG set, as DCL marks it.
 */
export class Console {
  shutdown = false
  /** The process whose image the console waits for (a RUN without /NOWAIT). */
  foreground: number | undefined
  /** An image CTRL/Y interrupted: suspended; CONTINUE resumes it, STOP or another RUN ends it. */
  interrupted: number | undefined
  /** The system had nothing to run the last time it was run. */
  idle = true
  private readonly synchronous: boolean

  constructor(
    private readonly system: VmsSystem,
    options: ConsoleOptions = {},
  ) {
    this.synchronous = options.synchronous ?? true
  }

  /**
   * A line typed while a program waits for terminal input: it is the program's input
   * (echoed by the terminal). A synchronous console then runs the system on until the
   * image ends or the system is idle again.
   */
  input(line: string): Status {
    this.system.typeInput(`${line}\r`)
    this.idle = false
    if (!this.synchronous) return SS.NORMAL
    if (this.foreground !== undefined) return this.waitForImage(this.foreground)
    return this.system.run() === 'bugcheck' ? SS.BUGCHECK : SS.NORMAL
  }

  /**
   * Runs the system for up to `instructions`. When the image the console waits for
   * has ended, shows its status as DCL does and returns it; otherwise undefined.
   */
  step(instructions: number): Status | undefined {
    const pid = this.foreground
    const stopped = this.system.run(
      instructions,
      pid === undefined ? undefined : () => !this.system.exists(pid),
    )
    this.idle = stopped === 'idle'
    if (stopped === 'bugcheck') {
      this.foreground = undefined
      this.idle = true
      return SS.BUGCHECK
    }
    if (pid !== undefined && !this.system.exists(pid)) return this.imageEnded(pid)
    return undefined
  }

  /**
   * CTRL/C or CTRL/Y: when the running image enabled an AST for it (book 7.8.3), the AST
   * is queued and the image goes on; otherwise the image the console waits for is
   * suspended where it is and the console takes commands again (CONTINUE resumes it).
   * False when no image was running.
   */
  interrupt(key: 'C' | 'Y' = 'Y'): boolean {
    const pid = this.foreground
    if (pid === undefined) return false
    if (this.system.terminalInterrupt(key)) {
      this.idle = false
      return true
    }
    this.foreground = undefined
    if (this.system.suspendProcess(pid) !== SS.NORMAL) return false
    this.interrupted = pid
    this.say('Interrupt')
    return true
  }

  private say(text: string): void {
    this.system.output(`${text}\n`)
  }

  /** Shows a DCL-style message and returns its status, marked as shown. */
  private fail(status: Status, ...lines: string[]): Status {
    for (const line of lines) this.say(line)
    return (status | SHOWN) >>> 0
  }

  execute(line: string): Status {
    const text = line.replace(/!.*$/, '').trim()
    if (text === '') return SS.NORMAL
    // The verb ends at a space or at its first qualifier (RUN/NOWAIT).
    const parsed = /^([A-Za-z]+)(.*)$/.exec(text)
    const verb = (parsed?.[1] ?? text).toUpperCase()
    const rest = (parsed?.[2] ?? '').replace(/^(\/[A-Za-z]+(?:=\S*)?)/, '$1 ').trim()
    const args = rest === '' ? [] : rest.split(/\s+/)
    const matches = (full: string) =>
      verb.length >= Math.min(3, full.length) && full.startsWith(verb)
    const contributed = this.contributedCommand(text)
    let status: Status
    if (contributed !== undefined)
      status = contributed.command.run(contributed.args, (line) => this.say(line))
    else if (matches('RUN')) status = this.run(args)
    else if (matches('CONTINUE')) status = this.continueImage()
    else if (matches('LINK')) status = this.link(args)
    else if (matches('SHOW')) status = this.show(args.join(' ').toUpperCase())
    else if (matches('STOP')) status = this.stop(args.join(' '))
    else if (matches('HELP')) {
      // The commands the build's subsystems contribute go before HELP itself.
      const more = this.system.subsystems.flatMap((sub) => sub.commands ?? [])
      const lines = more.map((c) => `  ${c.name.padEnd(36)}  ${c.help}\n`).join('')
      this.say(
        HELP.replace('EXAMPLES', examples().join(', ')).replace('  HELP ', `${lines}  HELP `),
      )
      status = SS.NORMAL
    } else if (matches('EXIT')) {
      this.say('SYSTEM SHUTDOWN COMPLETE')
      this.shutdown = true
      status = SS.NORMAL
    } else {
      return this.fail(
        CLI.IVVERB,
        `%DCL-W-IVVERB, unrecognized command verb - check validity and spelling\n \\${verb}\\`,
      )
    }
    if (!isSuccess(status) && (status & SHOWN) === 0) return this.fail(status, formatStatus(status))
    return status
  }

  /**
   * The command a subsystem of the build contributed (`SHOW LOCKS`) that the line names,
   * each word abbreviated to no fewer than 3 characters as DCL allows, and the words
   * after it.
   */
  private contributedCommand(
    text: string,
  ): { command: ConsoleCommand; args: string[] } | undefined {
    // Qualifiers may be attached to the verb and keyword (MOUNT/FOREIGN, SHOW DEVICES/FULL);
    // later words keep their slashes (host paths) and their case.
    const spaced = text.split(/\s+/)
    const words = [
      ...spaced.slice(0, 2).flatMap((w) => w.split(/(?=\/)/)),
      ...spaced.slice(2),
    ].filter((w) => w !== '')
    for (const subsystem of this.system.subsystems) {
      for (const command of subsystem.commands ?? []) {
        const names = command.name.toUpperCase().split(/\s+/)
        const fits = names.every((name, i) => {
          const word = (words[i] ?? '').toUpperCase()
          return word.length >= Math.min(3, name.length) && name.startsWith(word)
        })
        if (fits) return { command, args: words.slice(names.length) }
      }
    }
    return undefined
  }

  private run(args: string[]): Status {
    let wait = true
    let priority = 4
    let program: string | undefined
    const tokens = args.flatMap((arg) =>
      /^\/[A-Za-z]/.test(arg) && !arg.slice(1).includes('.') ? arg.split(/(?=\/)/) : [arg],
    )
    for (const arg of tokens) {
      const a = arg.toUpperCase()
      const [qualifier = '', value] = a.split('=')
      const is = (full: string) => qualifier.length >= 4 && full.startsWith(qualifier)
      if (is('/NOWAIT') && value === undefined) wait = false
      else if (is('/PRIORITY') && value !== undefined) {
        priority = Number(value)
        if (!Number.isInteger(priority) || priority < 0 || priority > 15) return SS.BADPARAM
      } else if (isQualifier(a)) return SS.BADPARAM
      else program = arg
    }
    if (program === undefined)
      return this.fail(
        CLI.INSFPRM,
        '%DCL-W-INSFPRM, missing command parameters - supply all required parameters',
      )
    // A new image runs down the one CTRL/Y interrupted, as DCL does.
    if (this.interrupted !== undefined) {
      this.system.stopProcess(this.interrupted)
      this.interrupted = undefined
    }
    const file = findProgram(program, this.system.directory)
    if (file === undefined)
      return this.fail(
        RMS_FNF,
        `%DCL-W-ACTIMAGE, error activating image ${program.toUpperCase()}`,
        '-RMS-E-FNF, file not found',
      )
    const name = basename(file, extname(file)).toUpperCase()
    const created = file.toLowerCase().endsWith('.exe')
      ? this.system.activate(name, new Uint8Array(readFileSync(file)), priority)
      : this.system.createProcess(name, readFileSync(file, 'utf8'), priority)
    if (created.pid === undefined) return this.imageNotMade(program, name, created)
    this.idle = false
    if (!wait) {
      this.say(`%RUN-S-PROC_ID, identification of created process is ${hex(created.pid)}`)
      return SS.NORMAL
    }
    this.foreground = created.pid
    return this.synchronous ? this.waitForImage(created.pid) : SS.NORMAL
  }

  /** Why a RUN or LINK made no image: the assembler's errors, or the image activator's. */
  private imageNotMade(
    file: string,
    name: string,
    made: { status: Status; error?: string; diagnostics?: readonly Diagnostic[] },
  ): Status {
    if (made.diagnostics !== undefined)
      return this.fail(
        made.status,
        ...made.diagnostics.map(
          (d) => `%MACRO-E-ERROR, ${file}:${d.line}:${d.column}: ${d.message}`,
        ),
      )
    const reason = made.error === undefined ? '' : ` (${made.error})`
    return this.fail(
      made.status,
      `%DCL-W-ACTIMAGE, error activating image ${name}`,
      `-${formatStatus(made.status).slice(1)}${reason}`,
    )
  }

  /**
   * A synchronous RUN or CONTINUE: the system runs until the image ends, and then on
   * while other processes (its subprocesses, RUN/NOWAIT ones) can run, as they would
   * while a person typed the next command; at most RUN_LIMIT instructions in all.
   */
  private waitForImage(pid: number): Status {
    const start = this.system.cpu.instructions
    const stopped = this.system.run(RUN_LIMIT, () => !this.system.exists(pid))
    this.idle = stopped === 'idle'
    if (stopped === 'bugcheck') {
      this.foreground = undefined
      return SS.BUGCHECK
    }
    if (!this.system.exists(pid)) {
      const status = this.imageEnded(pid)
      const settled = this.system.run(RUN_LIMIT - (this.system.cpu.instructions - start))
      this.idle = settled === 'idle'
      return settled === 'bugcheck' ? SS.BUGCHECK : status
    }
    if (stopped === 'limit')
      this.say('%RUN-I-LIMIT, instruction limit reached; processes are still active')
    return SS.NORMAL
  }

  /** The image the console waited for has ended: its status, shown as DCL shows it. */
  private imageEnded(pid: number): Status {
    this.foreground = undefined
    const status = this.system.exitStatus(pid) ?? SS.NORMAL
    if (isSuccess(status)) return status
    if ((status & SHOWN) !== 0) return status
    return this.fail(status, formatStatus(status))
  }

  private continueImage(): Status {
    const pid = this.interrupted
    if (pid === undefined || !this.system.exists(pid)) {
      this.interrupted = undefined
      return this.fail(SS.NONEXPR, '%DCL-W-NOIMAGE, no interrupted image to continue')
    }
    this.interrupted = undefined
    this.system.resumeProcess(pid)
    this.foreground = pid
    this.idle = false
    return this.synchronous ? this.waitForImage(pid) : SS.NORMAL
  }

  private link(args: string[]): Status {
    let output: string | undefined
    let source: string | undefined
    for (const arg of args) {
      const m = /^\/OUT(?:P(?:U(?:T)?)?)?=(.+)$/i.exec(arg)
      if (m) output = m[1]
      else if (isQualifier(arg)) return SS.BADPARAM
      else source = arg
    }
    if (source === undefined)
      return this.fail(
        CLI.INSFPRM,
        '%DCL-W-INSFPRM, missing command parameters - supply all required parameters',
      )
    const file = findProgram(source, this.system.directory)
    if (file === undefined || file.toLowerCase().endsWith('.exe'))
      return this.fail(
        RMS_FNF,
        `%LINK-F-OPENIN, error opening ${source.toUpperCase()} as input`,
        '-RMS-E-FNF, file not found',
      )
    const name = basename(file, extname(file))
    // The image goes to the current directory, as LINK writes NAME.EXE there.
    const target = resolve(this.system.directory, output ?? `${name.toLowerCase()}.exe`)
    let image: Uint8Array
    try {
      image = link(readFileSync(file, 'utf8'), name)
    } catch (error) {
      if (error instanceof AssemblyError)
        return this.imageNotMade(source, name, {
          status: SS.BADIMGHDR,
          diagnostics: error.diagnostics,
        })
      if (error instanceof LinkError)
        return this.fail(SS.BADIMGHDR, `%LINK-F-IMAGE, ${error.message}`)
      throw error
    }
    try {
      writeFileSync(target, image)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      return this.fail(
        SS.NOSUCHFILE,
        `%LINK-F-OPENOUT, error opening ${target} as output`,
        code === 'ENOENT'
          ? '-RMS-E-DNF, directory not found'
          : `-RMS-E-PRV, cannot write (${code ?? 'error'})`,
      )
    }
    this.say(`%LINK-I-CREATED, ${target} created`)
    return SS.NORMAL
  }

  private show(what: string): Status {
    if ('SYSTEM'.startsWith(what.split(/\s+/)[0] ?? '') && what.length >= 3) {
      this.say(this.showSystem())
      return SS.NORMAL
    }
    if (what.startsWith('MEM')) {
      this.say(this.showMemory(what.includes('/POOL')))
      return SS.NORMAL
    }
    this.say('%DCL-W-IVKEYW, unrecognized keyword - check validity and spelling')
    return SS.BADPARAM
  }

  private showSystem(): string {
    const seconds = this.system.now / 1e7
    const lines = [
      `VAX/VMS in TypeScript  uptime ${formatTime(seconds)}  (virtual time)`,
      '  Pid    Process Name    State  Pri      I/O       CPU',
    ]
    for (const { pcb, process } of this.system.list()) {
      const state =
        pcb.pid === this.system.scheduler.current.pid
          ? 'CUR'
          : pcb.state === State.MWAIT && pcb.waitResource === RSN_ASTWAIT
            ? 'RWAST'
            : STATE_NAMES[pcb.state]
      lines.push(
        `${hex(pcb.pid)} ${pcb.name.padEnd(15)} ${state.padEnd(6)}${String(pcb.priority).padStart(3)}${String(process?.ioCount ?? 0).padStart(9)}   ${formatTime(pcb.cpuTicks / 100)}`,
      )
    }
    return lines.join('\n')
  }

  private showMemory(poolOnly: boolean): string {
    const frames = this.system.framesInUse()
    const lines: string[] = []
    if (!poolOnly) {
      lines.push('Physical Memory Usage (pages):     Total        Free      In Use')
      lines.push(
        `  Main Memory              ${String(frames.total).padStart(14)}${String(frames.free).padStart(12)}${String(frames.total - frames.free).padStart(12)}`,
      )
      lines.push('')
    }
    lines.push(formatNonpagedPoolStatistics(this.system.pool.statistics()))
    return lines.join('\n')
  }

  private stop(target: string): Status {
    if (target.trim() === '') {
      // STOP alone ends the image CTRL/Y interrupted.
      const pid = this.interrupted
      this.interrupted = undefined
      if (pid !== undefined) return this.system.stopProcess(pid)
      return this.fail(
        CLI.INSFPRM,
        '%DCL-W-INSFPRM, missing command parameters - supply all required parameters',
      )
    }
    const upper = target.toUpperCase()
    const id = /^\/ID(?:ENTIFICATION)?=([0-9A-F]+)$/.exec(upper)
    let pid: number | undefined
    if (id) pid = Number.parseInt(id[1] as string, 16)
    else
      pid = this.system.list().find((p) => p.process !== undefined && p.pcb.name === upper)?.pcb.pid
    if (pid === undefined) return SS.NONEXPR
    return this.system.stopProcess(pid)
  }
}

/** `/NAME` or `/NAME=value`; an absolute path such as /tmp/x.mar is not a qualifier. */
function isQualifier(arg: string): boolean {
  return /^\/[A-Za-z_]+(=.*)?$/.test(arg)
}

function examples(): string[] {
  try {
    return readdirSync(EXAMPLES_DIRECTORY)
      .filter((f) => f.endsWith('.mar'))
      .map((f) => f.slice(0, -4).toUpperCase())
      .sort()
  } catch {
    return []
  }
}

/** 0 00:00:01.23 (days, hours, minutes, seconds), as VMS shows CPU time. */
function formatTime(seconds: number): string {
  const hundredths = Math.round(seconds * 100)
  const s = Math.floor(hundredths / 100)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${Math.floor(s / 86400)} ${pad(Math.floor(s / 3600) % 24)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad(hundredths % 100)}`
}
