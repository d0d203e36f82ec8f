import { AssemblyError, type Diagnostic } from '@vax/asm'
import { type Cpu, currentMode, IPR, PSL_IS, USER } from '@vax/cpu'
import type { MemoryManagement } from '@vax/mmu'
import { type AccessMode, AstManager } from '@vms/ast'
import {
  DYN,
  type DynamicMemory,
  type Kernel,
  SS,
  type Status,
  type Subsystem,
  type SubsystemFactory,
  type SystemService,
  statusName,
} from '@vms/contracts'
import {
  diskDriver,
  type IoStage,
  IoSystem,
  type Irp,
  nullDriver,
  type TerminalDriver,
  terminalDriver,
  virtualDiskDriver,
} from '@vms/io'
import { NonpagedPool } from '@vms/pool'
import { EventFlags, type Pcb, Scheduler, TICK, Timers } from '@vms/sched'
import {
  type AddressSpace,
  buildAddressSpace,
  nullProcessContext,
  physicalIn,
} from './address-space'
import { ConditionDispatcher } from './condition-dispatch'
import { ConditionSearch, type Dispatch, STS_M_INHIB_MSG } from './conditions'
import { GuestMemory, ServiceFault } from './guest-memory'
import { hex } from './hex'
import { LinkError, link, readImage } from './image'
import { imageServices, leaveService, type Redirect, takeExitHandler } from './image-services'
import { ioCommands, ioServices } from './io-services'
import { buildMachine, type FrameAllocator, type KernelAddresses, PAGE } from './machine'
import { NODE_NAME, processServices } from './process-services'
import { ASTEXIT, CMODTRAP, CONDRET, SERVICES, SIGNAL, STOP } from './services'
import { acpCommands, ShelvingAcp } from './shelving-acp'
import { type ServiceContext, SystemServices } from './system-services'

/**
 * The software PCB's size in nonpaged pool. The book lists its fields (Appendix E) but
 * not PCB$K_LENGTH; this is a nominal 256 bytes.
 */
const PCB_LENGTH = 256
/** The privileges every process has, as every VMS user has TMPMBX and NETMBX. */
const DEFAULT_PRIVILEGES = ['TMPMBX', 'NETMBX']
/** DIOLM, BIOLM and BYTLM of a process (VMS's PQL_DDIOLM, PQL_DBIOLM, PQL_DBYTLM). */
const IO_QUOTAS = { diolm: 18, biolm: 18, bytlm: 8192 }
/** TQELM, the timer queue entries a process may have at once (the book's PQL_DTQELM). */
const TQELM = 10

export { STS_M_INHIB_MSG }
/**
 * RSN$_ASTWAIT: the resource of a process in RWAST, which SHOW SYSTEM shows as RWAST
 * (MWAIT with this resource; book 10.2, Table 10-2).
 */
export const RSN_ASTWAIT = 'RSN$_ASTWAIT'
/** Virtual time: one instruction is 1 microsecond (10 units of 100 ns). */
const UNITS_PER_INSTRUCTION = 10
/** What the executive keeps for each process beside its software PCB. */
export interface Process extends AddressSpace {
  readonly pcb: Pcb
  /** Where the software PCB's storage is in nonpaged pool. */
  readonly pcbBlock: number
  ioCount: number
  /** It waits in $HIBER or $WAITFR: an AST that wakes it must make it wait again. */
  waitingInService: boolean
  /** Where the user PC of its last CHMK is saved on its kernel stack. */
  waitFrame: number
  /** Conditions being dispatched, innermost last (a handler may incur another). */
  readonly conditions: Dispatch[]
  /** Exit control blocks declared by $DCLEXH, per access mode, most recent first. */
  readonly exitHandlers: number[][]
}

/** Something a driver asked to happen at virtual time `at` (a terminal finishing a line). */
interface TimedEvent {
  readonly at: number
  readonly then: () => void
}

export interface SystemOptions {
  /** The default directory for relative file names (the user's working directory). */
  readonly directory?: string
  /** Terminal output and system messages (default: standard output). */
  readonly output?: (text: string) => void
  /** One line per scheduling action, from the scheduler (book ch. 10). */
  readonly trace?: (line: string) => void
  /**
   * The subsystems the build adds to the executive's own services and the I/O system
   * (ARCHITECTURE.md, "Composing a system"); default none. `apps/system`'s main passes
   * its default list; a custom build passes another.
   */
  readonly subsystems?: readonly SubsystemFactory[]
}

/**
 * The assembled system: a KA655-like VAX with memory management on, running VAX user
 * processes under the TypeScript executive. System services arrive by CHMK through the
 * vectors at 0x80000000 (book ch. 9); context switches are real SVPCTX/LDPCTX through
 * the IPL 3 rescheduling interrupt (ch. 10.5); time is virtual, driven by the
 * instruction count, so runs are deterministic.
 */
export class VmsSystem {
  readonly cpu: Cpu
  readonly mmu: MemoryManagement
  readonly scheduler: Scheduler
  readonly asts: AstManager
  readonly flags: EventFlags
  readonly timers: Timers
  readonly pool = new NonpagedPool()
  private readonly memory: DynamicMemory
  private readonly guest: GuestMemory
  /** Exceptions and condition handlers (book ch. 4). */
  private readonly dispatcher: ConditionDispatcher
  private readonly services: SystemServices
  private readonly kernel: KernelAddresses
  private readonly frames: FrameAllocator
  private readonly processes = new Map<number, Process>()
  /** The final status of each process that has gone (book 22.2: PCB$L_STS at deletion). */
  private readonly finalStatus = new Map<number, Status>()
  private readonly nullHwPcb: number
  private loaded = 0
  /** Virtual time skipped while the null process had nothing to wait for but timers. */
  private skipped = 0
  private nextTick = TICK
  private atLineStart = true
  private readonly timed: TimedEvent[] = []
  /** The console terminal OPA0: (its driver, for typed input). */
  private readonly terminal: TerminalDriver
  readonly io: IoSystem
  private readonly trace: ((line: string) => void) | undefined
  /** Where terminal output and system messages go. */
  output: (text: string) => void
  /** The default directory for relative file names (SYS$DISK:[] of a VMS user). */
  readonly directory: string
  /** What the build is made of: the executive, the I/O system, then the added subsystems. */
  readonly subsystems: readonly Subsystem[]
  /** Each service of the build, by name; a vector with none answers SS$_ILLSER. */
  private readonly handlers = new Map<string, SystemService>()
  private readonly deletionHooks: ((pid: number) => void)[] = []
  /**
   * Special kernel ASTs of the executive (ACB$V_KAST): the ACB's routine is a key into
   * this table, and the routine runs in the process's context when it is delivered.
   */
  private readonly kernelAsts = new Map<number, { pid: number; routine: () => void }>()
  private nextKernelAst = 1
  /** Processes an ACP put into RWAST (book 10.2): they stay there until its AST comes. */
  private readonly rwast = new Set<number>()
  /** The shelving ACP ahead of the disk driver (seed note on ACP intercepts). */
  readonly acp: ShelvingAcp
  private readonly tickHooks: ((now: number) => void)[] = []
  /** The process whose system service is running (0: none). */
  private servicing = 0
  /** Where the service being run leaves to, instead of returning to its caller. */
  private redirect: Redirect | undefined

  constructor(options: SystemOptions = {}) {
    this.output = options.output ?? ((text) => process.stdout.write(text))
    this.directory = options.directory ?? process.cwd()
    const trace = options.trace
    this.trace = trace && ((line: string) => trace(`t=${(this.now / 1e7).toFixed(3)}  ${line}`))
    const machine = buildMachine()
    this.cpu = machine.cpu
    this.mmu = machine.mmu
    this.kernel = machine.kernel
    this.guest = new GuestMemory(machine.cpu, machine.mmu)
    const self = this
    this.dispatcher = new ConditionDispatcher({
      cpu: this.cpu,
      guest: this.guest,
      search: new ConditionSearch(this.guest),
      kernel: this.kernel,
      get loaded() {
        return self.loaded
      },
      conditionsOf: (pid) => this.processes.get(pid)?.conditions ?? [],
      ...(this.trace && { trace: this.trace }),
      message: (text) => this.message(text),
      flushLine: () => this.flushLine(),
      deleteProcess: (pid, status) => this.deleteProcess(pid, status),
      exitThroughHandlers: (pid, mode, status, pcSlot) => {
        const handlers = this.processes.get(pid)?.exitHandlers[mode]
        const registers = takeExitHandler(handlers, this.guest.forMode(mode), status)
        if (registers === undefined) return false
        const psl = ((mode << 24) | (mode << 22)) >>> 0
        const call = { kind: 'call', pc: this.kernel.callExitHandler, registers, psl } as const
        leaveService(this.cpu, this.guest, this.kernel, call, pcSlot)
        return true
      },
    })
    this.frames = machine.frames
    this.scheduler = new Scheduler({
      hasDeliverableAst: (pid) => this.asts.hasDeliverable(pid, USER),
      ...(this.trace && { trace: this.trace }),
    })
    // ACBs, TQEs, IRPs and PCBs take their space from nonpaged pool (book 3.1).
    const memory: DynamicMemory = {
      allocate: (bytes, type) => {
        const r = this.pool.allocate(bytes, { type })
        return { status: r.status, address: r.status === SS.NORMAL ? r.address : 0 }
      },
      deallocate: (address) => this.pool.deallocate(address),
    }
    this.memory = memory
    this.asts = new AstManager(this.scheduler, memory)
    this.flags = new EventFlags(this.scheduler)
    this.timers = new Timers(this.scheduler, this.flags, this.asts, { memory, quota: TQELM })
    this.io = new IoSystem(
      {
        readUser: (va, length, mode) => this.guest.tryRead(va, length, mode),
        probeWrite: (va, length, mode) => this.guest.probe(va, length, true, mode),
        clearEventFlag: (pid, efn) => this.flags.clearFlag(pid, efn),
        setEventFlag: (pid, efn, boost) => this.flags.setFlag(pid, efn, boost),
        queueAst: (pid, mode, routine, parameter, boost) =>
          this.asts.queue({ pid, mode, routine, parameter }, boost),
        writeProcess: (pid, address, data) => this.writeProcess(pid, address, data),
        after: (delay, then) => this.after(delay, then),
        hasPrivilege: (pid, privilege) =>
          this.scheduler.process(pid)?.privileges.has(privilege) ?? false,
        queueSpecialKernelAst: (pid, routine) => this.queueSpecialKernelAst(pid, routine),
      },
      {
        ...(this.trace && {
          observe: (stage: IoStage, irp: Readonly<Irp>) =>
            this.trace?.(
              `io ${stage} ${this.io.deviceName(irp.ucb)} func=${hex(irp.func)} pid=${hex(irp.pid)}`,
            ),
        }),
        // IRPs, system buffers and the I/O database, each with its DYN$C_ type.
        pool: {
          allocate: (bytes, type) => memory.allocate(bytes, type ?? DYN.IRP),
          deallocate: (address) => memory.deallocate(address),
        },
        mailboxes: true,
        images: [virtualDiskDriver(), diskDriver()],
      },
    )
    this.acp = new ShelvingAcp({
      io: this.io,
      memory,
      enterRwast: (pid) => {
        if (this.scheduler.current.pid !== pid) return
        this.rwast.add(pid)
        this.scheduler.resourceWait(RSN_ASTWAIT)
      },
      leaveRwast: (pid) => {
        this.rwast.delete(pid)
      },
      queueSpecialKernelAst: (pid, routine) => this.queueSpecialKernelAst(pid, routine),
      setUserAsts: (pid, enable) => this.asts.setAst(pid, USER, enable) === SS.WASSET,
    })
    this.terminal = terminalDriver((bytes) => this.terminalWrite(bytes))
    this.io.addUnit('OPA0', this.terminal, ['TT', 'SYS$OUTPUT', 'SYS$INPUT', 'SYS$COMMAND'])
    this.io.addUnit('NLA0', nullDriver(), ['NL'])
    const serviceContext: ServiceContext = {
      guest: this.guest,
      scheduler: this.scheduler,
      flags: this.flags,
      timers: this.timers,
      asts: this.asts,
      io: this.io,
      get now() {
        return self.now
      },
      process: (pid) => this.processes.get(pid),
      processNamed: (name) => [...this.processes.values()].find((p) => p.pcb.name === name),
      deleteProcess: (pid, status) => this.deleteProcess(pid, status),
      directory: this.directory,
      createProcess: (name, source, priority) => this.createProcess(name, source, priority),
      activate: (name, file, priority) => this.activate(name, file, priority),
      waitInService: (pid, status) => this.waitInService(pid, status),
      trace: (line) => this.trace?.(line),
    }
    this.services = new SystemServices(serviceContext)
    const processControl = processServices(serviceContext, {
      suspend: (pid, caller) => this.suspendProcess(pid, caller),
      resume: (pid, caller) => this.resumeProcess(pid, caller),
      ioQuotas: (pid) => this.io.quotas(pid) ?? { diocnt: 0, biocnt: 0, bytcnt: 0, bytlm: 0 },
      astRemaining: (pid) => this.asts.state(pid)?.remaining ?? 0,
      timersQueued: (pid) => this.timers.queuedBy(pid),
      nodeName: NODE_NAME,
    })
    const kernelApi: Kernel = {
      memory,
      now: () => this.now,
      queueAst: (pid, mode, routine, parameter, boost) =>
        this.asts.queue({ pid, mode: mode as AccessMode, routine, parameter }, boost),
      setEventFlag: (pid, efn, boost) => this.flags.setFlag(pid, efn, boost),
      clearEventFlag: (pid, efn) => this.flags.clearFlag(pid, efn),
      writeProcess: (pid, va, data) => this.writeProcess(pid, va, data),
      onProcessDeleted: (then) => this.deletionHooks.push(then),
      onTick: (then) => this.tickHooks.push(then),
      process: (pid) => {
        const pcb = this.scheduler.process(pid)
        return pcb === undefined
          ? undefined
          : {
              pid,
              name: pcb.name,
              group: pcb.group,
              job: pcb.job,
              privileges: pcb.privileges,
            }
      },
    }
    const ioContext = {
      io: this.io,
      directory: this.directory,
      setEventFlag: (pid: number, efn: number) => {
        this.flags.setFlag(pid, efn)
      },
    }
    const imageControl = imageServices({
      exitHandlers: (pid, mode) => this.processes.get(pid)?.exitHandlers[mode],
      deleteProcess: (pid, status) => this.deleteProcess(pid, status),
      hasPrivilege: (pid, privilege) =>
        this.scheduler.process(pid)?.privileges.has(privilege) ?? false,
      redirect: (redirect) => {
        this.redirect = redirect
      },
      requestUnwind: (pid, mode, depth, newPc) =>
        this.dispatcher.requestUnwind(pid, mode, depth, newPc),
      message: (text) => this.message(text),
      callExitHandler: this.kernel.callExitHandler,
    })
    this.subsystems = [
      ...this.services.subsystems(
        {
          services: ioServices(ioContext),
          // The shelving ACP's commands come with the I/O system's.
          commands: [...ioCommands(ioContext), ...acpCommands(this.acp)],
        },
        [...processControl, ...imageControl],
      ),
      ...(options.subsystems ?? []).map((make) => make(kernelApi)),
    ]
    for (const subsystem of this.subsystems) {
      for (const service of subsystem.services ?? []) {
        if (this.handlers.has(service.name))
          throw new Error(`two subsystems give $${service.name} (${subsystem.name})`)
        this.handlers.set(service.name, service)
      }
    }
    this.nullHwPcb = nullProcessContext(this.cpu.memory, this.frames, this.kernel.null)
    this.cpu.ipr[IPR.PCBB] = this.nullHwPcb
    this.cpu.pc = this.kernel.loadctx
  }

  /** Virtual time in 100 ns units since boot. */
  get now(): number {
    return this.cpu.instructions * UNITS_PER_INSTRUCTION + this.skipped
  }

  /** Every process, the null process included (software PCB and executive data). */
  list(): { pcb: Pcb; process: Process | undefined }[] {
    return this.scheduler.processes().map((pcb) => ({ pcb, process: this.processes.get(pcb.pid) }))
  }

  /**
   * Assembles `source` (MACRO-32; `SYS$name` symbols are predefined) at 0x200 in P0
   * space and creates a process to run it from its `.END` address (or the first byte).
   */
  createProcess(
    name: string,
    source: string,
    basePriority = 4,
  ): { status: Status; pid?: number; error?: string; diagnostics?: readonly Diagnostic[] } {
    let file: Uint8Array
    try {
      file = link(source, name)
    } catch (error) {
      if (error instanceof AssemblyError)
        return { status: SS.BADIMGHDR, diagnostics: error.diagnostics }
      if (error instanceof LinkError) return { status: SS.BADIMGHDR, error: error.message }
      // A fault of the linker itself: say so, without the host's error text.
      return { status: SS.BUGCHECK, error: 'internal error in the linker' }
    }
    return this.activate(name, file, basePriority)
  }

  /**
   * The image activator (book 21.1) and process creation: reads the image header,
   * maps each section into P0 space (private sections from the file, demand-zero
   * sections zeroed), builds P1 with the stacks, and makes the process computable at
   * the transfer address. SS$_BADIMGHDR for a bad image, SS$_INSFMEM without memory.
   */
  activate(
    name: string,
    file: Uint8Array,
    basePriority = 4,
  ): { status: Status; pid?: number; error?: string } {
    const read = readImage(file)
    if (read.image === undefined)
      return { status: read.status, ...(read.error !== undefined && { error: read.error }) }
    const space = buildAddressSpace(this.cpu.memory, this.frames, read.image)
    if (typeof space === 'number') return { status: space }
    const pcbBlock = this.memory.allocate(PCB_LENGTH, DYN.PCB)
    if (pcbBlock.status !== SS.NORMAL) {
      for (const pfn of space.frames) this.frames.release(pfn)
      return { status: pcbBlock.status }
    }
    const pcb = this.scheduler.createProcess({
      name: name.toUpperCase().slice(0, 15),
      basePriority,
      privileges: DEFAULT_PRIVILEGES,
    })
    this.asts.createProcess(pcb.pid, 10)
    this.io.setQuotas(pcb.pid, IO_QUOTAS)
    this.processes.set(pcb.pid, {
      ...space,
      pcb,
      pcbBlock: pcbBlock.address,
      ioCount: 0,
      waitingInService: false,
      waitFrame: 0,
      conditions: [],
      exitHandlers: [[], [], [], []],
    })
    this.requestReschedule()
    return { status: SS.NORMAL, pid: pcb.pid }
  }

  /**
   * Characters typed at the console terminal (a line ends with a carriage return);
   * `echo` false for lines that are not typed (a procedure's data lines).
   */
  typeInput(text: string, echo = true): void {
    this.terminal.input(text, echo)
    this.io.postprocess()
    if (this.scheduler.reschedulePending) this.requestReschedule()
  }

  /**
   * CTRL/C or CTRL/Y typed at the console terminal: true when a process had enabled an
   * AST for it (IO$_SETMODE!IO$M_CTRLCAST or IO$M_CTRLYAST, book 7.8.3), which is now
   * queued; false when the command interpreter should act on it.
   */
  terminalInterrupt(key: 'C' | 'Y'): boolean {
    if (!this.terminal.interrupt(key)) return false
    if (this.scheduler.reschedulePending) this.requestReschedule()
    this.syncAstLevel()
    return true
  }

  /** True when a process is waiting for a line from the console terminal. */
  get waitingForTerminal(): boolean {
    return this.terminal.reading
  }

  /** Physical page frames: how many there are, how many are free. */
  framesInUse(): { total: number; free: number } {
    return { total: this.frames.total, free: this.frames.available }
  }

  /** $DELPRC from the console (STOP): the process goes away wherever it is. */
  stopProcess(pid: number): Status {
    if (!this.processes.has(pid)) return SS.NONEXPR
    this.deleteProcess(pid, SS.ABORT)
    return SS.NORMAL
  }

  /**
   * $SUSPND from the console (CTRL/Y): the process stops where it is until
   * `resumeProcess` (book 12.4). SS$_NONEXPR if there is no such process.
   */
  suspendProcess(pid: number, caller?: number): Status {
    if (!this.processes.has(pid)) return SS.NONEXPR
    const status = this.scheduler.suspend(pid, caller)
    if (this.loaded === pid || this.scheduler.reschedulePending) this.requestReschedule()
    return status
  }

  /** $RESUME from the console (CONTINUE). */
  resumeProcess(pid: number, caller?: number): Status {
    if (!this.processes.has(pid)) return SS.NONEXPR
    const status = this.scheduler.resume(pid, caller)
    if (this.scheduler.reschedulePending) this.requestReschedule()
    return status
  }

  /**
   * What a system service could change for a process, beside its memory: pool in use,
   * its channels, its AST quota and its scheduling state. Tests compare it before and
   * after a call that fails, which must change none of it.
   */
  snapshot(pid: number): string {
    const pool = this.pool.statistics()
    const pcb = this.scheduler.process(pid)
    const asts = this.asts.state(pid)
    return JSON.stringify({
      pool: [
        pool.variable.inUseBytes,
        pool.srp.inUsePackets,
        pool.irp.inUsePackets,
        pool.lrp.inUsePackets,
      ],
      channels: this.io.channelsOf(pid),
      asts: asts === undefined ? undefined : [asts.remaining, asts.queue.length],
      process: pcb === undefined ? undefined : [pcb.basePriority, pcb.priority, pcb.state],
      processes: this.processes.size,
    })
  }

  /** True while the process waits in RWAST for an ACP's special kernel AST. */
  inRwast(pid: number): boolean {
    return this.rwast.has(pid)
  }

  /**
   * Queues a special kernel AST (book 7.2.2): `routine` runs inside the executive in the
   * process's context, at IPL ASTDEL, when the process is next current and the AST
   * delivery interrupt comes, before any normal AST. The AST event makes a waiting
   * process (RWAST included) computable.
   */
  queueSpecialKernelAst(pid: number, routine: () => void): void {
    if (pid === this.servicing && pid === this.loaded && !this.kernelAstQueued(pid)) {
      // The process is on the CPU inside a system service: its AST delivery interrupt
      // would come as the service REIs, before anything else runs in it, so the routine
      // runs now (the same order, without an ACB and an interrupt).
      this.trace?.(`special kernel AST to ${hex(pid)} (as its service returns)`)
      routine()
      return
    }
    const key = this.nextKernelAst++
    this.kernelAsts.set(key, { pid, routine })
    if (this.asts.queue({ pid, mode: 0, routine: key, parameter: 0, special: true }) !== SS.NORMAL)
      this.kernelAsts.delete(key)
    if (this.scheduler.reschedulePending) this.requestReschedule()
    this.syncAstLevel()
  }

  /** Has the process kernel-mode ASTs waiting (which a special kernel AST must follow)? */
  private kernelAstQueued(pid: number): boolean {
    return this.asts.state(pid)?.queue.some((acb) => acb.mode === 0) ?? false
  }

  /** True while the process exists. */
  exists(pid: number): boolean {
    return this.processes.has(pid)
  }

  /**
   * The status a process ended with: its $EXIT status, the condition that ended its
   * image (with STS$M_INHIB_MSG set, its message having been shown), or SS$_ABORT when
   * it was stopped. Undefined while it exists, or if there never was such a process.
   */
  exitStatus(pid: number): Status | undefined {
    return this.finalStatus.get(pid)
  }

  /** The console terminal's input has ended: reads waiting for it end with SS$_ENDOFFILE. */
  endOfInput(): void {
    this.terminal.endOfInput()
    this.io.postprocess()
    if (this.scheduler.reschedulePending) this.requestReschedule()
  }

  /**
   * Runs until no process can run and no timer is pending, until `done()` says so
   * (asked at least every clock tick), or until `maxInstructions` more have executed.
   * Returns why it stopped.
   */
  run(maxInstructions = 100_000_000, done?: () => boolean): 'idle' | 'limit' | 'bugcheck' | 'done' {
    const limit = this.cpu.instructions + maxInstructions
    while (this.cpu.instructions < limit) {
      if (done?.()) return 'done'
      // Events reported from outside (a console command, a test) may want the CPU.
      if (this.scheduler.reschedulePending && !this.pendingReschedule()) this.requestReschedule()
      if (
        this.loaded === 0 &&
        this.scheduler.current === this.scheduler.nullProcess &&
        !this.pendingReschedule()
      ) {
        const next = Math.min(
          this.timers.nextExpiration() ?? Infinity,
          this.timed[0]?.at ?? Infinity,
        )
        if (next === Infinity) return 'idle'
        if (next > this.now) this.skipped += next - this.now
        this.tick()
        continue
      }
      const steps = Math.max(
        1,
        Math.min(
          limit - this.cpu.instructions,
          Math.ceil((this.nextTick - this.now) / UNITS_PER_INSTRUCTION),
        ),
      )
      const result = this.cpu.run(steps)
      if (result.reason === 'HALT') {
        if (!this.kernelHalt()) return 'bugcheck'
      } else if (result.reason === 'error') {
        this.message(`%SYSTEM-F-BUGCHECK, ${result.detail} at PC=${hex(this.cpu.pc)}`)
        return 'bugcheck'
      }
      if (this.now >= this.nextTick) this.tick()
    }
    return 'limit'
  }

  /** The clock: the quantum of the current process, then timers due (book 11.2, 11.4). */
  private tick(): void {
    while (this.nextTick <= this.now) {
      this.nextTick += TICK
      if (this.loaded !== 0) this.scheduler.clockTick()
    }
    this.timers.expire(this.now)
    for (const tick of this.tickHooks) tick(this.now)
    while (this.timed.length > 0 && (this.timed[0] as TimedEvent).at <= this.now) {
      ;(this.timed.shift() as TimedEvent).then()
    }
    this.io.postprocess()
    if (this.scheduler.reschedulePending) this.requestReschedule()
    this.syncAstLevel()
  }

  /** Runs `then` at virtual time now + `delay` (100 ns units), in time order. */
  private after(delay: number, then: () => void): void {
    const at = this.now + Math.max(1, Math.round(delay))
    let i = this.timed.length
    while (i > 0 && (this.timed[i - 1] as TimedEvent).at > at) i--
    this.timed.splice(i, 0, { at, then })
  }

  /** Writes into a process's memory through its own page tables (it need not be on the CPU). */
  private writeProcess(pid: number, va: number, data: Uint8Array): void {
    const process = this.processes.get(pid)
    if (process === undefined) return
    // Page by page: the bytes of one page are physically contiguous.
    for (let i = 0; i < data.length; ) {
      const address = (va + i) >>> 0
      const n = Math.min(data.length - i, PAGE - (address & (PAGE - 1)))
      const pa = physicalIn(this.cpu.memory, process, address)
      if (pa !== undefined) this.cpu.memory.bytes.set(data.subarray(i, i + n), pa)
      i += n
    }
  }

  private pendingReschedule(): boolean {
    return ((this.cpu.ipr[IPR.SISR] as number) & (1 << 3)) !== 0
  }

  /** Requests the IPL 3 rescheduling interrupt (book 10.5). */
  private requestReschedule(): void {
    this.cpu.ipr[IPR.SISR] = (this.cpu.ipr[IPR.SISR] as number) | (1 << 3)
    this.cpu.updateInterrupts()
  }

  /** A HALT in the kernel's code: which one says what the executive must do. */
  private kernelHalt(): boolean {
    const at = (this.cpu.pc - 1) >>> 0
    if (at === this.kernel.resched + 1) {
      this.reschedule()
      return true
    }
    if (at === this.kernel.chmk) {
      this.systemService()
      return true
    }
    if (at === this.kernel.astdel) return this.deliverAst()
    const vector = at - this.kernel.exception
    if (vector >= 0 && vector < PAGE && vector % 4 === 0) return this.dispatcher.exception(vector)
    this.message(`%SYSTEM-F-BUGCHECK, unexpected HALT at PC=${hex(at)}`)
    return false
  }

  /** SCH$RESCHED after SVPCTX: choose the next process and let LDPCTX load it. */
  private reschedule(): void {
    if (this.scheduler.reschedulePending) this.scheduler.dispatch()
    let next = this.scheduler.current
    // A process in RWAST leaves it only by the ACP's special kernel AST; another AST's
    // event puts it back (its user ASTs are inhibited meanwhile).
    while (
      next !== this.scheduler.nullProcess &&
      this.rwast.has(next.pid) &&
      this.asts.state(next.pid)?.queue[0]?.special !== true
    ) {
      this.scheduler.resourceWait(RSN_ASTWAIT)
      next = this.scheduler.current
    }
    this.loaded = next.pid
    const process = this.processes.get(next.pid)
    this.cpu.ipr[IPR.PCBB] = process?.hwPcb ?? this.nullHwPcb
    if (process === undefined) return
    const view = this.cpu.memory.view
    if (process.waitingInService) {
      process.waitingInService = false
      // Woken by an AST: back up the saved PC onto the CHMK (2 bytes, a short literal
      // code), so that after the AST the service waits again.
      if (next.madeComputableBy === 'AST') {
        // The saved PC is in the PCB if the process left the CHMK handler before it was
        // switched out, or else still in the CHMK frame on its kernel stack.
        const savedPc = view.getUint32(process.hwPcb + 72, true)
        const inHandler = savedPc > this.kernel.chmk && savedPc <= this.kernel.astdel
        const slot = inHandler
          ? physicalIn(this.cpu.memory, process, process.waitFrame)
          : process.hwPcb + 72
        if (slot !== undefined) view.setUint32(slot, view.getUint32(slot, true) - 2, true)
      }
    }
    const p0lr = view.getUint32(process.hwPcb + 84, true) & 0x3fffff
    view.setUint32(process.hwPcb + 84, (p0lr | (this.astLevel(next.pid) << 24)) >>> 0, true)
  }

  /**
   * The ASTLVL the process should have (book 7.3): the mode of its first AST, or that
   * mode plus 1 if delivery there is disabled or an AST is active there, or 4.
   */
  private astLevel(pid: number): number {
    const state = this.asts.state(pid)
    const first = state?.queue[0]
    if (state === undefined || first === undefined) return 4
    if (first.special) return 0
    const bit = 1 << first.mode
    return (state.enabled & bit) === 0 || (state.active & bit) !== 0 ? first.mode + 1 : first.mode
  }

  /** Keeps PR$_ASTLVL of the process on the CPU current after the executive changed its ASTs. */
  private syncAstLevel(): void {
    if (this.loaded !== 0) this.cpu.ipr[IPR.ASTLVL] = this.astLevel(this.loaded)
  }

  /**
   * SCH$ASTDEL, the IPL 2 interrupt (book 7.5.1): the first deliverable AST goes to its
   * mode's stack as the argument list of Figure 7-4 (count 5, AST parameter, R0, R1,
   * PC, PSL), and the interrupt frame is replaced by one that REIs into EXE$ASTDEL in
   * that mode with the routine's address in R1.
   */
  private deliverAst(): boolean {
    const cpu = this.cpu
    const pid = this.loaded
    const sp = cpu.r[14] as number
    const pc = cpu.read32(sp)
    const psl = cpu.read32(sp + 4)
    const delivery = this.asts.deliver(pid, currentMode(psl) as AccessMode)
    if (delivery.kind !== 'deliver') {
      cpu.ipr[IPR.ASTLVL] = delivery.kind === 'none' ? 4 : delivery.astlvl
      return true
    }
    const { acb } = delivery
    cpu.ipr[IPR.ASTLVL] = acb.mode + 1
    if (acb.special) {
      // A special kernel AST: the executive's routine, in this process's context; the
      // REI after the HALT returns to where the interrupt came.
      const kast = this.kernelAsts.get(acb.routine)
      this.kernelAsts.delete(acb.routine)
      this.trace?.(`special kernel AST to ${hex(pid)}`)
      kast?.routine()
      if (this.io.postPending > 0) this.io.postprocess()
      if (this.scheduler.reschedulePending) this.requestReschedule()
      cpu.ipr[IPR.ASTLVL] = this.astLevel(pid)
      return true
    }
    if (acb.mode === 0) {
      this.message(
        `%SYSTEM-F-BUGCHECK, kernel-mode AST at ${hex(acb.routine)} (kernel ASTs run in the executive)`,
      )
      return false
    }
    const frame = new Uint8Array(24)
    const view = new DataView(frame.buffer)
    for (const [i, v] of [
      5,
      acb.parameter,
      cpu.r[0] as number,
      cpu.r[1] as number,
      pc,
      psl,
    ].entries())
      view.setUint32(4 * i, v >>> 0, true)
    const stackPointer = ((cpu.stack[acb.mode] as number) - 24) >>> 0
    try {
      this.guest.write(stackPointer, frame, acb.mode)
    } catch (error) {
      if (!(error instanceof ServiceFault)) throw error
      this.message(
        `%SYSTEM-F-ASTFLT, AST fault, SP=${hex(stackPointer)}, AST routine=${hex(acb.routine)}`,
      )
      this.deleteProcess(pid)
      return true
    }
    cpu.stack[acb.mode] = stackPointer
    cpu.r[1] = acb.routine
    cpu.write32(sp, this.kernel.astDispatcher)
    cpu.write32(sp + 4, (acb.mode << 24) | (acb.mode << 22))
    this.trace?.(
      `AST to ${hex(pid)} mode ${acb.mode}: routine ${hex(acb.routine)}, parameter ${hex(acb.parameter)}`,
    )
    return true
  }

  /** The change-mode dispatcher (book 9.3): the code is on the kernel stack, the arguments at AP. */
  private systemService(): void {
    this.servicing = this.loaded
    try {
      this.dispatchService()
    } finally {
      this.servicing = 0
    }
  }

  private dispatchService(): void {
    const cpu = this.cpu
    const sp = cpu.r[14] as number
    const code = cpu.read32(sp)
    const callerMode = currentMode(cpu.read32(sp + 8)) // the mode the CHMK came from
    const pid = this.loaded
    const service = SERVICES[code]
    let status: Status
    try {
      if (service === undefined) throw new ServiceFault(SS.ILLSER)
      if (code === CMODTRAP) {
        this.dispatcher.changeModeTrap(pid, callerMode)
        return
      }
      if (code === CONDRET) {
        this.dispatcher.handlerReturned(pid)
        return
      }
      if (code === SIGNAL || code === STOP) {
        this.dispatcher.softwareSignal(pid, code === STOP)
        return
      }
      if (code === ASTEXIT) {
        // The AST exit path: no argument list (book 7.5.3).
        this.asts.exitAst(pid, callerMode as AccessMode)
        status = SS.NORMAL
        throw new ServiceFault(status)
      }
      const ap = cpu.r[12] as number
      const count = this.guest.read(ap, 1, callerMode)[0] as number
      if (count < service.args) throw new ServiceFault(SS.INSFARG)
      const handler = this.handlers.get(service.name)
      if (handler === undefined) throw new ServiceFault(SS.ILLSER) // left out of this build
      status = handler.call({
        pid,
        mode: callerMode,
        arg: (i) => this.guest.read32(ap + 4 + 4 * i, callerMode),
        count,
        guest: this.guest.forMode(callerMode),
      })
    } catch (error) {
      if (!(error instanceof ServiceFault)) throw error
      status = error.status
    }
    cpu.r[0] = status
    if (this.redirect !== undefined)
      leaveService(this.cpu, this.guest, this.kernel, this.redirect, (sp + 4) >>> 0)
    this.redirect = undefined
    if (code !== ASTEXIT)
      this.trace?.(
        `$${service?.name ?? `CHMK #${code}`} from ${hex(pid)}: ${statusName(status) ?? `%X${hex(status)}`}`,
      )
    if (this.processes.has(pid) && this.scheduler.current.pid !== pid) this.requestReschedule()
    // The IPL 4 I/O postprocessing interrupt, taken as the service returns.
    if (this.io.postPending > 0) this.io.postprocess()
    if (this.scheduler.reschedulePending) this.requestReschedule()
    this.syncAstLevel()
  }

  private waitInService(pid: number, status: Status): Status {
    const process = this.processes.get(pid)
    if (process !== undefined && this.scheduler.current.pid !== pid) {
      process.waitingInService = true
      process.waitFrame = ((this.cpu.r[14] as number) + 4) >>> 0
    }
    return status
  }

  /**
   * Deletes a process with its final status; if it is the one on the CPU, the next
   * one is loaded at once.
   */
  private deleteProcess(pid: number, status: Status = SS.NORMAL): void {
    const process = this.processes.get(pid)
    if (process === undefined) return
    this.finalStatus.set(pid, status >>> 0)
    this.flushLine()
    for (const rundown of this.deletionHooks) rundown(pid) // the subsystems' rundown (22.2)
    this.acp.processDeleted(pid) // while a daemon's mailbox still names it
    this.timers.cancelTimer(pid)
    this.timers.cancelWakeup(pid)
    this.flags.deleteProcess(pid) // common event flag clusters dissociated (21.3 step 15)
    this.io.deleteProcess(pid)
    // Its held requests were canceled just now: their special kernel ASTs will not run.
    this.acp.processGone(pid)
    this.rwast.delete(pid)
    for (const [key, kast] of this.kernelAsts) if (kast.pid === pid) this.kernelAsts.delete(key)
    this.scheduler.deleteProcess(pid)
    this.asts.deleteProcess(pid)
    this.processes.delete(pid)
    for (const pfn of process.frames) this.frames.release(pfn)
    this.memory.deallocate(process.pcbBlock)
    if (this.loaded === pid) {
      // Nothing of the process needs saving: load the next one directly (LDPCTX, REI),
      // from where SVPCTX would have left the CPU: kernel mode on the interrupt stack at
      // IPL 3. The CPU may be anywhere in the process (user code, when STOP comes from
      // the console), and none of its state carries over.
      this.scheduler.dispatch()
      this.reschedule()
      const cpu = this.cpu
      if (!(cpu.psl & PSL_IS)) cpu.r[14] = cpu.stack[4] as number
      cpu.fullPsl = PSL_IS | (3 << 16)
      cpu.pc = this.kernel.loadctx
    } else if (this.scheduler.reschedulePending) this.requestReschedule()
  }

  /** Terminal output goes out as it comes; carriage returns are dropped, controls shown as '.'. */
  private terminalWrite(data: Uint8Array): void {
    let text = ''
    for (const byte of data) {
      if (byte === 0x0d) continue
      text += byte === 0x0a || (byte >= 0x20 && byte < 0x7f) ? String.fromCharCode(byte) : '.'
    }
    if (text.length === 0) return
    this.output(text)
    this.atLineStart = text.endsWith('\n')
  }

  /** Ends a partial terminal line, so that a message starts on a line of its own. */
  private flushLine(): void {
    if (!this.atLineStart) this.output('\n')
    this.atLineStart = true
  }

  private message(text: string): void {
    this.flushLine()
    this.output(`${text}\n`)
  }
}
