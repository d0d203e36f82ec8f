import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, extname, resolve } from 'node:path'
import { AssemblyError, type Diagnostic } from '@vax/asm'
import { describeTranslation } from '@vax/cpu'
import { formatStatus, isSuccess, SS, type Status } from '@vms/contracts'
import {
  type CommandContext,
  Dcl,
  DclError,
  findImage,
  formatAbsoluteTime,
  fromConsoleCommand,
} from '@vms/dcl'
import { OPERATOR } from '@vms/sched'
import {
  controlT,
  jobProcessItem,
  NODE_NAME,
  processEntry,
  showConsoleProcess,
  showMemory,
  showProcess,
  showSystem,
  systemItem,
} from './dcl-show'
import { type RunRequest, type SystemActions, systemVerbs } from './dcl-verbs'
import { STS_M_INHIB_MSG, type VmsSystem } from './executive'
import { hex } from './hex'
import { LinkError, link } from './image'
import { EXAMPLES_DIRECTORY, findProgram } from './programs'

export { EXAMPLES_DIRECTORY }

/** STS$M_INHIB_MSG: the status's message has been shown (the console shows it once). */
const SHOWN = STS_M_INHIB_MSG
/** RMS$_FNF, "file not found" (facility RMS, 1), as DCL reports a missing image. */
const RMS_FNF = 0x00018292
/** CLI$_INSFPRM (facility CLI, 3). */
const CLI_INSFPRM = 0x00038048

/** Instructions run for a waited-for image before the console says it is still going. */
const RUN_LIMIT = 100_000_000

export interface ConsoleOptions {
  /**
   * True (the default): a RUN waits inside `execute` until its image ends, the system is
   * idle, or RUN_LIMIT instructions have run (scripts, tests). False: `execute` only
   * starts the image, and the caller runs the system with `step` (the interactive
   * console, which must stay responsive to CTRL/Y). A RUN in a command procedure always
   * waits, with the procedure's data lines as the image's input.
   */
  readonly synchronous?: boolean
  /**
   * A line from the terminal for READ and INQUIRE typed at the terminal level; undefined
   * at end of file. Absent: end of file.
   */
  readonly input?: (prompt: string) => string | undefined
  /** The wall-clock time the system booted at (F$TIME, SHOW TIME): default now. */
  readonly boot?: Date
  /** F$MODE: INTERACTIVE (the default) or BATCH (a script). */
  readonly mode?: 'INTERACTIVE' | 'BATCH'
}

/**
 * The console's command interpreter: DCL (`@vms/dcl`, book ch. 23) whose host is the
 * system. Its verb table is DCL's own (symbols, procedures, files, SHOW TIME...), the
 * system's verbs of dcl-verbs.ts (RUN, LINK, STOP, SHOW SYSTEM...), and the commands the
 * build's subsystems declare. Each command returns a VMS status; output goes to the
 * system's output. A status whose message has been shown has STS$M_INHIB_MSG set, as
 * DCL marks it. Time is the boot time plus the system's virtual time.
 */
export class Console implements SystemActions {
  shutdown = false
  /** The process whose image the console waits for (a RUN without /NOWAIT). */
  foreground: number | undefined
  /** An image CTRL/Y interrupted: suspended; CONTINUE resumes it, STOP or another RUN ends it. */
  interrupted: number | undefined
  /** The system had nothing to run the last time it was run. */
  idle = true
  /** The command language itself (symbols, procedures, the command table, history). */
  readonly dcl: Dcl
  private readonly synchronous: boolean
  private readonly boot: Date

  constructor(
    private readonly system: VmsSystem,
    options: ConsoleOptions = {},
  ) {
    this.synchronous = options.synchronous ?? true
    this.boot = options.boot ?? new Date()
    const readLine = options.input
    this.dcl = new Dcl(
      {
        root: system.directory,
        output: (line) => this.say(line),
        ...(readLine === undefined ? {} : { input: (prompt: string) => readLine(prompt) }),
        now: () => this.now(),
        getjpi: (pid, item) => jobProcessItem(system, pid, item),
        getsyi: (item) =>
          item === 'BOOTTIME' ? formatAbsoluteTime(this.boot) : systemItem(system, item),
        trnlnm: (name) => (name === 'SYS$NODE' ? `${NODE_NAME}::` : undefined),
        exit: () => {
          this.say('SYSTEM SHUTDOWN COMPLETE')
          this.shutdown = true
        },
      },
      { mode: options.mode ?? 'INTERACTIVE' },
    )
    for (const verb of systemVerbs(this, this.dcl)) this.dcl.table.define(verb)
    for (const command of this.contributedCommands()) fromConsoleCommand(this.dcl.table, command)
  }

  /** The time now: the boot time plus the system's virtual time (100 ns units). */
  now(): Date {
    return new Date(this.boot.getTime() + Math.floor(this.system.now / 10_000))
  }

  /** CTRL/T: one line on the image the console runs (or DCL itself at the prompt). */
  statusLine(): string {
    return controlT(this.system, this.foreground ?? this.interrupted, this.now())
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

  /**
   * Runs a command line as DCL does (a command, a symbol assignment, `@file`...) and
   * returns $STATUS. Bad input is a DCL message, never an exception.
   */
  execute(line: string): Status {
    return this.dcl.execute(line)
  }

  private say(text: string): void {
    this.system.output(`${text}\n`)
  }

  /** Shows a DCL-style message and returns its status, marked as shown. */
  private fail(status: Status, ...lines: string[]): Status {
    for (const line of lines) this.say(line)
    return (status | SHOWN) >>> 0
  }

  private contributedCommands() {
    return this.system.subsystems.flatMap((sub) => sub.commands ?? [])
  }

  contributed(): readonly { name: string; help: string }[] {
    return this.contributedCommands()
  }

  examples(): string[] {
    try {
      return readdirSync(EXAMPLES_DIRECTORY)
        .filter((f) => f.endsWith('.mar'))
        .map((f) => f.slice(0, -4).toUpperCase())
        .sort()
    } catch {
      return []
    }
  }

  /**
   * The host file a RUN or LINK names: a VMS file specification on the default disk
   * (default type .EXE, then .MAR), a host path, or an example's name.
   */
  private programFile(spec: string, types: readonly string[]): string | undefined {
    return (
      findImage(this.dcl.disk, spec, types, this.system.directory) ??
      findProgram(spec, this.system.directory)
    )
  }

  run(request: RunRequest, context: CommandContext): Status {
    // A new image runs down the one CTRL/Y interrupted, as DCL does.
    if (this.interrupted !== undefined) {
      this.system.stopProcess(this.interrupted)
      this.interrupted = undefined
    }
    const program = request.file
    const file = this.programFile(program, ['EXE', 'MAR'])
    if (file === undefined)
      return this.fail(
        RMS_FNF,
        `%DCL-W-ACTIMAGE, error activating image ${program.toUpperCase()}`,
        '-RMS-E-FNF, file not found',
      )
    const name = (request.processName ?? basename(file, extname(file))).toUpperCase()
    const created = /\.exe(;\d+)?$/i.test(file)
      ? this.system.activate(name, new Uint8Array(readFileSync(file)), request.priority)
      : this.system.createProcess(name, readFileSync(file, 'utf8'), request.priority)
    if (created.pid === undefined) return this.imageNotMade(program, name, created)
    this.idle = false
    // In a command procedure the image's SYS$INPUT is the data lines after the command
    // (book 23.4), then end of file; they come from the file, so nothing echoes them.
    const inProcedure = this.dcl.depth > 0
    if (inProcedure && request.wait) {
      for (let line = context.readData(); line !== undefined; line = context.readData())
        this.system.typeInput(`${line}\r`, false)
      this.system.endOfInput()
    }
    if (!request.wait) {
      this.say(
        request.spawned
          ? `%DCL-S-SPAWNED, process ${name} spawned`
          : `%RUN-S-PROC_ID, identification of created process is ${hex(created.pid)}`,
      )
      return SS.NORMAL
    }
    this.foreground = created.pid
    return this.synchronous || inProcedure ? this.waitForImage(created.pid) : SS.NORMAL
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

  continueImage(): Status {
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

  link(source: string, output: string | undefined): Status {
    const file = this.programFile(source, ['MAR'])
    if (file === undefined || /\.exe(;\d+)?$/i.test(file))
      return this.fail(
        RMS_FNF,
        `%LINK-F-OPENIN, error opening ${source.toUpperCase()} as input`,
        '-RMS-E-FNF, file not found',
      )
    const name = basename(file, extname(file)).replace(/;\d+$/, '')
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
    // The image goes to the default directory as NAME.EXE (a new version if there is
    // one), unless /OUTPUT names a file; a host path there is taken as one.
    let target: string
    try {
      if (output?.includes('/')) {
        target = resolve(this.system.directory, output)
        writeFileSync(target, image)
      } else
        target = this.dcl.disk.write(output ?? '', image, {
          name: name.toUpperCase(),
          type: 'EXE',
        }).hostPath
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      const where = output ?? `${name.toUpperCase()}.EXE`
      if (error instanceof DclError)
        return this.fail(
          error.status,
          `%LINK-F-OPENOUT, error opening ${where.toUpperCase()} as output`,
          ...error.lines().map((l) => (l.startsWith('%') ? `-${l.slice(1)}` : l)),
        )
      return this.fail(
        SS.NOSUCHFILE,
        `%LINK-F-OPENOUT, error opening ${where} as output`,
        code === 'ENOENT'
          ? '-RMS-E-DNF, directory not found'
          : `-RMS-E-PRV, cannot write (${code ?? 'error'})`,
      )
    }
    this.say(`%LINK-I-CREATED, ${target} created`)
    return SS.NORMAL
  }

  /** The process a STOP, SET PROCESS or SHOW PROCESS names, or the interrupted image. */
  private processOf(target: { name?: string; pid?: number }): number | undefined {
    if (target.pid !== undefined) return target.pid
    if (target.name !== undefined) {
      const upper = target.name.toUpperCase()
      return this.system.list().find((p) => p.process !== undefined && p.pcb.name === upper)?.pcb
        .pid
    }
    return this.interrupted ?? this.foreground
  }

  stop(target: { name?: string; pid?: number }): Status {
    if (target.name === undefined && target.pid === undefined) {
      // STOP alone ends the image CTRL/Y interrupted.
      const pid = this.interrupted
      this.interrupted = undefined
      if (pid !== undefined) return this.system.stopProcess(pid)
      return this.fail(
        CLI_INSFPRM,
        '%DCL-W-INSFPRM, missing command parameters - supply all required parameters',
      )
    }
    const pid = this.processOf(target)
    if (pid === undefined) return SS.NONEXPR
    if (pid === this.interrupted) this.interrupted = undefined
    return this.system.stopProcess(pid)
  }

  setPriority(target: { name?: string; pid?: number }, priority: number): Status {
    const pid = this.processOf(target)
    if (pid === undefined || !this.system.exists(pid)) return SS.NONEXPR
    // $SETPRI on the operator's authority (book 10.4, 12.3): any priority, any process.
    return this.system.scheduler.setPriority(OPERATOR, pid, priority).status
  }

  showSystem(full: boolean): Status {
    for (const line of showSystem(this.system, full)) this.say(line)
    return SS.NORMAL
  }

  showProcess(target: { name?: string; pid?: number }): Status {
    const pid = this.processOf(target)
    const entry = pid === undefined ? undefined : processEntry(this.system, pid)
    const now = formatAbsoluteTime(this.now())
    if (entry === undefined) {
      if (target.name !== undefined || target.pid !== undefined) return SS.NONEXPR
      for (const line of showConsoleProcess(now)) this.say(line)
      return SS.NORMAL
    }
    for (const line of showProcess(this.system, entry, now)) this.say(line)
    return SS.NORMAL
  }

  showMemory(poolOnly: boolean): Status {
    for (const line of showMemory(this.system, poolOnly)) this.say(line)
    return SS.NORMAL
  }

  showCpu(): Status {
    const cpu = this.system.cpu
    this.say(`CPU: ${cpu.model.name}, ${cpu.instructions} instructions run`)
    this.say(describeTranslation(cpu.jitStatistics()))
    return SS.NORMAL
  }
}
