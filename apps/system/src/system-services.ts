import { readFileSync } from 'node:fs'
import type { AccessMode, AstManager } from '@vms/ast'
import {
  type ConsoleCommand,
  SERVICE_VECTOR,
  SS,
  type Status,
  type Subsystem,
  type SystemService,
} from '@vms/contracts'
import type { IoSystem, Mode } from '@vms/io'
import type { EventFlags, Pcb, Scheduler, Timers } from '@vms/sched'
import type { GuestMemory } from './guest-memory'
import { findProgram } from './programs'

/** The services of the executive itself (book ch. 9-12, 20): always in a build. */
const EXECUTIVE_SERVICES = [
  'HIBER',
  'WAKE',
  'SETEF',
  'CLREF',
  'READEF',
  'WAITFR',
  'SETIMR',
  'CANTIM',
  'SETPRI',
  'DCLAST',
  'SETAST',
  'CREPRC',
] as const
/** The I/O services (book ch. 18), through @vms/io. */
const IO_SERVICES = ['ASSIGN', 'DASSGN', 'QIO', 'QIOW'] as const
type OwnService = (typeof EXECUTIVE_SERVICES)[number] | (typeof IO_SERVICES)[number]

/** What the system services need from the executive around them. */
export interface ServiceContext {
  readonly guest: GuestMemory
  readonly scheduler: Scheduler
  readonly flags: EventFlags
  readonly timers: Timers
  readonly asts: AstManager
  readonly io: IoSystem
  /** Virtual time in 100 ns units. */
  readonly now: number
  /** The default directory for relative image file names. */
  readonly directory: string
  process(pid: number): { readonly pcb: Pcb; ioCount: number } | undefined
  processNamed(name: string): { readonly pcb: Pcb } | undefined
  /** Deletes the process; `status` is its final exit status (book 22.2). */
  deleteProcess(pid: number, status?: Status): void
  createProcess(
    name: string,
    source: string,
    basePriority: number,
  ): { status: Status; pid?: number; error?: string }
  activate(
    name: string,
    file: Uint8Array,
    basePriority: number,
  ): { status: Status; pid?: number; error?: string }
  /** Records that the caller now waits inside the service (an AST must make it wait again). */
  waitInService(pid: number, status: Status): Status
  trace?(line: string): void
}

/**
 * The system services themselves (book ch. 9-12, 18, 20), once the change-mode
 * dispatcher has checked the argument count: each reads its arguments with `arg(i)`
 * and the caller's memory through GuestMemory (a bad address throws SS$_ACCVIO to the
 * dispatcher) and returns the status for R0.
 */
export class SystemServices {
  constructor(private readonly x: ServiceContext) {}

  /**
   * The executive's services (these and `executive`, the process and image services of
   * other modules) and the I/O services, as the subsystems a build is made
   * of contribute theirs (ARCHITECTURE.md, "Composing a system").
   */
  subsystems(
    io: { services: readonly SystemService[]; commands: readonly ConsoleCommand[] },
    executive: readonly SystemService[],
  ): Subsystem[] {
    const service = (name: OwnService): SystemService => ({
      name,
      args: SERVICE_VECTOR.find((s) => s.name === name)?.args ?? 0,
      call: (r) => this.call(name, r.pid, (i) => r.arg(i), r.mode),
    })
    return [
      { name: 'executive', services: [...EXECUTIVE_SERVICES.map(service), ...executive] },
      {
        name: 'io',
        services: [...IO_SERVICES.map(service), ...io.services],
        commands: io.commands,
      },
    ]
  }

  /** Runs service `name` for process `pid`, called from access mode `mode`. */
  private call(name: OwnService, pid: number, arg: (i: number) => number, mode: number): Status {
    switch (name) {
      case 'HIBER':
        return this.x.waitInService(pid, this.x.scheduler.hibernate())
      case 'WAKE':
        // Another process needs GROUP or WORLD (book 12.2.2, Table 12-1).
        return this.x.scheduler.wake(this.targetPid(pid, arg(0), arg(1), mode), pid)
      case 'SETEF':
        return this.x.flags.setFlag(pid, arg(0))
      case 'CLREF':
        return this.x.flags.clearFlag(pid, arg(0))
      case 'READEF': {
        const r = this.x.flags.readFlags(pid, arg(0))
        if (r.flags !== undefined) this.x.guest.write32(arg(1), r.flags, mode)
        return r.status
      }
      case 'WAITFR':
        return this.x.waitInService(pid, this.x.flags.waitForFlag(pid, arg(0)))
      case 'SETIMR': {
        const daytim = arg(1)
        const low = this.x.guest.read32(daytim, mode) >>> 0
        const high = this.x.guest.read32(daytim + 4, mode)
        const time = high * 2 ** 32 + low
        const expiration = time < 0 ? this.x.now - time : time
        if (!Number.isSafeInteger(expiration)) return SS.IVTIME
        const ast =
          arg(2) === 0
            ? {}
            : { ast: { routine: arg(2), parameter: arg(3), mode: mode as AccessMode } }
        return this.x.timers.setTimer(pid, expiration, {
          efn: arg(0),
          requestId: arg(3),
          mode: mode as AccessMode,
          ...ast,
        })
      }
      case 'CANTIM':
        // Requests of a more privileged mode than the caller's (or acmode's) stay (11.5.1).
        return this.x.timers.cancelTimer(pid, arg(0), Math.max(mode, arg(1) & 3) as AccessMode)
      case 'ASSIGN':
        return this.assign(pid, arg(0), arg(1), mode)
      case 'DASSGN':
        return this.x.io.deassign(pid, arg(0) & 0xffff, mode as Mode)
      case 'QIO':
      case 'QIOW': // $QIOW's vector procedure calls this code, then waits
        return this.qio(pid, arg, mode)
      case 'DCLAST':
        if (arg(0) === 0) return SS.BADPARAM
        return this.x.asts.declare(
          pid,
          mode as AccessMode,
          arg(0),
          arg(1),
          (arg(2) & 3) as AccessMode,
        )
      case 'SETAST':
        return this.x.asts.setAst(pid, mode as AccessMode, (arg(0) & 1) === 1)
      case 'CREPRC':
        return this.createProcessService(pid, arg, mode)
      case 'SETPRI': {
        const target = this.targetPid(pid, arg(0), arg(1), mode)
        const r = this.x.scheduler.setPriority(pid, target, arg(2))
        if (r.previous !== undefined && arg(3) !== 0) this.x.guest.write32(arg(3), r.previous, mode)
        return r.status
      }
    }
  }

  /**
   * $CREPRC (book 20.2): a process named by the `prcnam` descriptor (SS$_DUPLNAM if
   * one has that name) running the image named by the `image` descriptor (an example
   * or a .exe/.mar path: SS$_NOSUCHFILE otherwise) at base priority `baspri`, lowered
   * to the caller's base priority without ALTPRI (20.1 step 7). The new PID goes to
   * `pidadr`, which is probed first and written only when the process was created. Input, output, error, privileges, quotas, UIC, mailbox and status flags
   * are not used yet.
   */
  private createProcessService(caller: number, arg: (i: number) => number, mode: number): Status {
    const imageName = arg(1) === 0 ? '' : this.x.guest.descriptor(arg(1), mode)
    const name = (arg(7) === 0 ? imageName : this.x.guest.descriptor(arg(7), mode)).toUpperCase()
    if (!/^[A-Z0-9$_]{1,15}$/.test(name)) return SS.IVLOGNAM
    if (arg(0) !== 0) this.x.guest.probeWrite(arg(0), 4, mode) // probed, written only on success
    const requested = arg(8)
    const parent = this.x.scheduler.process(caller)
    if (!Number.isInteger(requested) || requested < 0 || requested > 31) return SS.BADPARAM
    // Without ALTPRI the new process gets the smaller of the caller's base priority and
    // the one requested (book 20.1 step 7): a higher request is lowered, not refused.
    const priority =
      parent !== undefined && !parent.privileges.has('ALTPRI')
        ? Math.min(requested, parent.basePriority)
        : requested
    if (this.x.processNamed(name) !== undefined) return SS.DUPLNAM
    const file = findProgram(imageName, this.x.directory)
    if (file === undefined) return SS.NOSUCHFILE
    const contents = readFileSync(file)
    const created = file.toLowerCase().endsWith('.exe')
      ? this.x.activate(name, new Uint8Array(contents), priority)
      : this.x.createProcess(name, contents.toString('utf8'), priority)
    if (created.error !== undefined) this.x.trace?.(`$CREPRC ${name}: ${created.error}`)
    if (created.pid === undefined) return created.status
    if (arg(0) !== 0) this.x.guest.write32(arg(0), created.pid, mode)
    return SS.NORMAL
  }

  /** A PID argument: the longword at `pidadr`, the process named by descriptor `prcnam`, or the caller. */
  private targetPid(caller: number, pidadr: number, prcnam: number, mode: number): number {
    if (pidadr !== 0) {
      const pid = this.x.guest.read32(pidadr, mode)
      if (pid !== 0) return pid
    }
    if (prcnam !== 0) {
      const name = this.x.guest.descriptor(prcnam, mode).toUpperCase()
      return this.x.processNamed(name)?.pcb.pid ?? -1
    }
    return caller
  }

  /** $ASSIGN (book 18.3): the device name from a descriptor, the channel number to a word. */
  private assign(pid: number, devnam: number, chanAddress: number, mode: number): Status {
    const name = this.x.guest.descriptor(devnam, mode)
    // Probed before anything is assigned, and written only when a channel was (18.4 step 1).
    this.x.guest.probeWrite(chanAddress, 2, mode)
    const r = this.x.io.assign(pid, name, mode as Mode)
    if (r.channel !== undefined)
      this.x.guest.write(chanAddress, new Uint8Array([r.channel & 0xff, r.channel >> 8]), mode)
    return r.status
  }

  /** $QIO (book 18.5): the arguments go to @vms/io; $QIOW's wait is in the vector page. */
  private qio(pid: number, arg: (i: number) => number, mode: number): Status {
    const status = this.x.io.qio(pid, mode as Mode, {
      efn: arg(0),
      channel: arg(1),
      func: arg(2),
      iosb: arg(3),
      astadr: arg(4),
      astprm: arg(5),
      p: [arg(6), arg(7), arg(8), arg(9), arg(10), arg(11)],
    })
    const process = this.x.process(pid)
    if (status === SS.NORMAL && process !== undefined) process.ioCount++
    return status
  }
}
