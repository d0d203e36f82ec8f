import type {
  AcbView,
  DeviceView,
  IrpView,
  LockMode,
  LockView,
  PoolView,
  ProcessView,
  ResourceView,
  SchedulingState,
  StepUnit,
  SystemView,
  WebViewSource,
} from '@vax-vms/web'
import { DYN } from '@vms/contracts'
import { IoFunction, type Irp, type Ucb } from '@vms/io'
import { type LockDatabaseSnapshot, MODE_NAMES } from '@vms/lock'
import { STATE_NAMES } from '@vms/sched'
import type { VmsSystem } from './executive'

/** What the web view drives on the console side: a typed line, an interrupt. */
export interface WebConsole {
  /** A command line typed at the DCL prompt (not while an image reads the terminal). */
  command(line: string): void
  /** CTRL/C or CTRL/Y. */
  interrupt(key: 'C' | 'Y'): void
  /** The view resumed a paused system: the console's run loop goes on. */
  resume?(): void
}

const MODES = ['kernel', 'executive', 'supervisor', 'user'] as const
const FUNCTION_NAMES = new Map<number, string>(
  Object.entries(IoFunction).map(([name, code]) => [code, `IO$_${name}`]),
)
const TYPE_NAMES = new Map<number, string>([
  ...Object.entries(DYN).map(([name, code]) => [code, name] as [number, string]),
  [64, 'LNM'],
  [0, 'UNKNOWN'],
])
/** The most instructions one "step to the next scheduler event" runs. */
const EVENT_STEP_LIMIT = 200_000

/**
 * The running system as the web view sees it (@vax-vms/web's WebViewSource): a
 * snapshot of its processes with their AST queues (book 10, 7), its devices with the
 * IRPs in flight (18), and the variable region of nonpaged pool with the lookaside
 * lists (3); typing goes to the terminal while an image reads it and to DCL otherwise;
 * pause, resume and step control whether the console's run loop moves the machine.
 */
export class SystemWebSource implements WebViewSource {
  private isPaused = false
  private readonly listeners = new Set<(text: string) => void>()
  private line = ''

  constructor(
    private readonly system: VmsSystem,
    private readonly console_: WebConsole,
    /** The lock database, when the build has the lock manager (its `onReady`). */
    private readonly locks?: () => LockDatabaseSnapshot,
  ) {}

  /** Called with every piece of the system's output (the caller tees it here). */
  output(text: string): void {
    for (const listener of this.listeners) listener(text)
  }

  onOutput(listener: (text: string) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  input(text: string): void {
    if (this.system.waitingForTerminal) {
      this.system.typeInput(text)
      return
    }
    // At the DCL prompt: echo, rub out, and a whole line to the command interpreter.
    for (const c of text) {
      if (c === '\r' || c === '\n') {
        this.output('\r\n')
        const line = this.line
        this.line = ''
        this.console_.command(line)
      } else if (c === '\x7f' || c === '\b') {
        if (this.line.length > 0) {
          this.line = this.line.slice(0, -1)
          this.output('\b \b')
        }
      } else if (c >= ' ') {
        this.line += c
        this.output(c)
      }
    }
  }

  interrupt(key: 'C' | 'Y'): void {
    this.console_.interrupt(key)
  }

  pause(): void {
    this.isPaused = true
  }

  resume(): void {
    this.isPaused = false
    this.console_.resume?.()
  }

  paused(): boolean {
    return this.isPaused
  }

  step(unit: StepUnit): void {
    if (!this.isPaused) return
    if (unit === 'instruction') {
      this.system.run(1)
      return
    }
    const before = this.schedulingSignature()
    this.system.run(EVENT_STEP_LIMIT, () => this.schedulingSignature() !== before)
  }

  snapshot(): SystemView {
    const system = this.system
    return {
      time: system.now / 1e4,
      instructions: system.cpu.instructions,
      processes: system.list().map(({ pcb }) => this.process(pcb.pid)),
      devices: this.devices(),
      locks: this.locks === undefined ? [] : resourceTrees(this.locks()),
      pool: this.pool(),
    }
  }

  /** Which process is current and every process's state and priority. */
  private schedulingSignature(): string {
    const current = this.system.scheduler.current.pid
    return `${current}:${this.system
      .list()
      .map(({ pcb }) => `${pcb.pid}.${pcb.state}.${pcb.priority}`)
      .join(',')}`
  }

  private process(pid: number): ProcessView {
    const system = this.system
    const pcb = system.scheduler.process(pid)
    const current = system.scheduler.current.pid === pid
    const state = (current || pcb === undefined ? 'CUR' : STATE_NAMES[pcb.state]) as SchedulingState
    const asts: AcbView[] = (system.asts.state(pid)?.queue ?? []).map((acb) => ({
      mode: MODES[acb.mode] ?? 'user',
      routine: acb.routine,
      parameter: acb.parameter,
      kind: acb.special ? 'special kernel' : 'normal',
    }))
    return {
      pid,
      name: pcb?.name ?? '',
      state,
      priority: pcb?.priority ?? 0,
      basePriority: pcb?.basePriority ?? 0,
      asts,
      ...(pcb?.waitResource !== undefined && { waitingFor: pcb.waitResource }),
    }
  }

  private devices(): DeviceView[] {
    const io = this.system.io
    const posting = io.postQueued()
    return io.devices().map((ucb) => ({
      name: io.deviceName(ucb),
      ucb: {
        status: deviceStatus(ucb),
        operations: ucb.operations,
        errors: ucb.errors,
        references: ucb.refc,
        owner: ucb.pid,
      },
      irps: [
        ...(ucb.current === undefined ? [] : [irpView(ucb.current, 'active')]),
        ...ucb.queue.map((irp) => irpView(irp, 'queued')),
        ...posting.filter((irp) => irp.ucb === ucb).map((irp) => irpView(irp, 'postprocessing')),
      ],
    }))
  }

  private pool(): PoolView {
    const pool = this.system.pool
    const statistics = pool.statistics()
    const list = (name: string, s: typeof statistics.srp) => ({
      name,
      packetSize: s.packetSize,
      free: s.freePackets,
      total: s.packets,
    })
    return {
      base: pool.layout.variable,
      size: pool.variable.list.size,
      blocks: pool.variable.liveBlocks().map((b) => ({
        address: b.address,
        size: b.size,
        type: TYPE_NAMES.get(b.type) ?? `type ${b.type}`,
      })),
      free: [...pool.variable.list.walk()].map((f) => ({ address: f.address, size: f.size })),
      lookaside: [
        list('SRP', statistics.srp),
        list('IRP', statistics.irp),
        list('LRP', statistics.lrp),
      ],
    }
  }
}

function irpView(irp: Readonly<Irp>, state: IrpView['state']): IrpView {
  const code = irp.func & 0x3f
  return {
    address: irp.poolAddress,
    function: FUNCTION_NAMES.get(code) ?? `function ${code}`,
    pid: irp.pid,
    state,
    ...(irp.count > 0 && { bytes: irp.count }),
  }
}

/** UCB$L_STS as words (book 18.2): online, busy, template, allocated. */
function deviceStatus(ucb: Ucb): string[] {
  const status: string[] = []
  if (ucb.online) status.push('online')
  if (ucb.busy) status.push('busy')
  if (ucb.template) status.push('template')
  if (ucb.pid !== 0) status.push('allocated')
  if (ucb.storage !== undefined) status.push('mounted')
  return status
}

/** The lock database as resource trees, roots first (book 13.1: RSBs, LKBs, the three queues). */
function resourceTrees(database: LockDatabaseSnapshot): ResourceView[] {
  const locks = new Map(database.locks.map((l) => [l.lockId, l]))
  const mode = (m: number) => (MODE_NAMES[m] ?? 'NL') as LockMode
  const lock = (id: number): LockView => {
    const l = locks.get(id)
    return l === undefined
      ? { id, pid: 0, mode: 'NL' }
      : {
          id,
          pid: l.pid,
          mode: mode(l.grmode),
          ...(l.state !== 1 && { requested: mode(l.rqmode) }),
        }
  }
  const tree = (serial: number): ResourceView[] =>
    database.resources
      .filter((r) => r.parent === serial)
      .map((r) => ({
        name: r.name,
        granted: r.granted.map(lock),
        conversion: r.converting.map(lock),
        waiting: r.waiting.map(lock),
        children: tree(r.serial),
      }))
  return tree(0)
}
