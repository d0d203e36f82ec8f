import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import { formatStatus, isSuccess, SS, type Status } from '@vms/contracts'
import { formatNonpagedPoolStatistics } from '@vms/pool'
import { STATE_NAMES } from '@vms/sched'
import type { VmsSystem } from './executive'
import { hex } from './hex'
import { link } from './image'
import { EXAMPLES_DIRECTORY, findProgram } from './programs'

export { EXAMPLES_DIRECTORY }

/** The example programs that ship with the system (apps/system/examples). */

const HELP = `Commands:
  RUN [/NOWAIT] [/PRIORITY=n] program   create a process running an image (.exe) or a
                                        MACRO-32 program (an example name such as HELLO,
                                        or a .mar file, linked on the fly) and run the
                                        system until it is idle
  LINK source.mar [/OUTPUT=file.exe]    assemble and link an image file
  SHOW SYSTEM                           processes: PID, name, state, priority, CPU time
  SHOW MEMORY [/POOL]                   physical pages and nonpaged pool
  STOP name | STOP /IDENTIFICATION=pid  delete a process
  HELP                                  this text
  EXIT                                  shut the system down
Examples: ${'EXAMPLES'}`

/**
 * The console command interpreter (DCL-like). Each command returns a VMS status;
 * output goes to the system's output.
 */
export class Console {
  shutdown = false

  constructor(private readonly system: VmsSystem) {}

  /**
   * A line typed while a program waits for terminal input: it is the program's input
   * (echoed by the terminal), and the system runs on until it is idle again.
   */
  input(line: string): Status {
    this.system.typeInput(`${line}\r`)
    return this.system.run() === 'bugcheck' ? SS.BUGCHECK : SS.NORMAL
  }

  private say(text: string): void {
    this.system.output(`${text}\n`)
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
    let status: Status
    if (matches('RUN')) status = this.run(args)
    else if (matches('LINK')) status = this.link(args)
    else if (matches('SHOW')) status = this.show(args.join(' ').toUpperCase())
    else if (matches('STOP')) status = this.stop(args.join(' '))
    else if (matches('HELP')) {
      this.say(HELP.replace('EXAMPLES', examples().join(', ')))
      status = SS.NORMAL
    } else if (matches('EXIT')) {
      this.say('SYSTEM SHUTDOWN COMPLETE')
      this.shutdown = true
      status = SS.NORMAL
    } else {
      this.say(
        `%DCL-W-IVVERB, unrecognized command verb - check validity and spelling\n \\${verb}\\`,
      )
      return 0x38090
    }
    if (!isSuccess(status) && status !== 0x38090) this.say(formatStatus(status))
    return status
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
    if (program === undefined) {
      this.say('%DCL-W-INSFPRM, missing command parameters - supply all required parameters')
      return 0x38240
    }
    const file = findProgram(program)
    if (file === undefined) {
      this.say(`%RUN-E-OPENIN, error opening ${program} as input`)
      return SS.NOSUCHDEV
    }
    const name = basename(file, extname(file)).toUpperCase()
    const created = file.toLowerCase().endsWith('.exe')
      ? this.system.activate(name, new Uint8Array(readFileSync(file)), priority)
      : this.system.createProcess(name, readFileSync(file, 'utf8'), priority)
    if (created.error !== undefined) this.say(`%RUN-F-IMGACT, ${name}: ${created.error}`)
    if (created.pid === undefined) return created.status
    if (wait) {
      const stopped = this.system.run()
      if (stopped === 'limit')
        this.say('%RUN-I-LIMIT, instruction limit reached; processes are still active')
      if (stopped === 'bugcheck') return SS.BUGCHECK
    } else this.say(`%RUN-S-PROC_ID, identification of created process is ${hex(created.pid)}`)
    return SS.NORMAL
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
    const file = source === undefined ? undefined : findProgram(source)
    if (file === undefined || file.toLowerCase().endsWith('.exe')) {
      this.say(`%LINK-F-OPENIN, error opening ${source ?? ''} as input`)
      return SS.NOSUCHDEV
    }
    const name = basename(file, extname(file))
    const target = output ?? join(dirname(file), `${name.toLowerCase()}.exe`)
    try {
      writeFileSync(target, link(readFileSync(file, 'utf8'), name))
    } catch (error) {
      this.say(`%LINK-F-ERROR, ${error instanceof Error ? error.message : String(error)}`)
      return SS.BADIMGHDR
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
      const state = pcb.pid === this.system.scheduler.current.pid ? 'CUR' : STATE_NAMES[pcb.state]
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
