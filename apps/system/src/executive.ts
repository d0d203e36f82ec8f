import { readFileSync } from 'node:fs'
import { type Cpu, currentMode, IPR, PSL_IPL, PSL_IS, SCB, USER } from '@vax/cpu'
import { type MemoryManagement, PTE_V } from '@vax/mmu'
import { type AccessMode, AstManager } from '@vms/ast'
import {
  formatStatus,
  type PriorityClass,
  SS,
  type Status,
  type SystemEvent,
  statusName,
} from '@vms/contracts'
import { IoSystem, type Mode, nullDriver, type TerminalDriver, terminalDriver } from '@vms/io'
import { NonpagedPool } from '@vms/pool'
import { EventFlags, type Pcb, Scheduler, TICK, Timers } from '@vms/sched'
import { ConditionSearch, type Dispatch, handlerSaysContinue } from './conditions'
import { GuestMemory, ServiceFault } from './guest-memory'
import { link, readImage } from './image'
import {
  buildMachine,
  type FrameAllocator,
  type KernelAddresses,
  LAYOUT,
  PAGE,
  PROT,
  pte,
  S0,
} from './machine'
import { findProgram } from './programs'
import { ASTEXIT, CMODTRAP, CONDRET, SERVICES, type ServiceName } from './services'

/** Virtual time: one instruction is 1 microsecond (10 units of 100 ns). */
const UNITS_PER_INSTRUCTION = 10
/** The stacks at the top of P1, from the bottom up: one per access mode. */
const STACKS = [
  { mode: 'kernel', pages: 4, protection: PROT.KW },
  { mode: 'executive', pages: 2, protection: PROT.EW },
  { mode: 'supervisor', pages: 2, protection: PROT.SW },
  { mode: 'user', pages: 8, protection: PROT.UW },
] as const
const STACK_PAGES = STACKS.reduce((n, s) => n + s.pages, 0)
/**
 * The system service vector page is also mapped at 0x7FFEDE00 in every process's P1
 * space (book 9.2), so P1 starts at that page: its table has 145 entries.
 */
export const P1_VECTORS = 0x7ffede00
const P1_VECTOR_VPN = (P1_VECTORS - 0x40000000) >>> 9
const P1_TABLE_ENTRIES = 0x200000 - P1_VECTOR_VPN
const USER_PSL = 0x03c00000 // current and previous mode user, IPL 0
const P1_TOP = 0x80000000

/** What the executive keeps for each process beside its software PCB. */
export interface Process {
  readonly pcb: Pcb
  readonly image: string
  /** Physical address of the hardware PCB (book 10.1.2, Figure 10-2). */
  readonly hwPcb: number
  readonly frames: readonly number[]
  /** Physical addresses of its P0 and P1 page tables, and their bounds. */
  readonly p0Table: number
  readonly p0Pages: number
  readonly p1Table: number
  readonly p1lr: number
  ioCount: number
  /** It waits in $HIBER or $WAITFR: an AST that wakes it must make it wait again. */
  waitingInService: boolean
  /** Where the user PC of its last CHMK is saved on its kernel stack. */
  waitFrame: number
  /** Conditions being dispatched, innermost last (a handler may incur another). */
  readonly conditions: Dispatch[]
}

/** Something a driver asked to happen at virtual time `at` (a terminal finishing a line). */
interface TimedEvent {
  readonly at: number
  readonly then: () => void
}

export interface SystemOptions {
  /** Terminal output and system messages (default: standard output). */
  readonly output?: (text: string) => void
  /** One line per scheduling action, from the scheduler (book ch. 10). */
  readonly trace?: (line: string) => void
}

/**
 * The scheduler, remembering which event last made each process computable: after an
 * AST event the process's wait service runs again (book 10.4.1, "System Service Wait
 * States"); after the event it waited for, it goes on past the CHMK (10.4.3 step 4).
 */
class ExecutiveScheduler extends Scheduler {
  readonly madeComputableBy = new Map<number, SystemEvent>()

  override reportSystemEvent(
    pid: number,
    event: SystemEvent,
    priorityClass: PriorityClass,
  ): Status {
    const before = this.process(pid)?.state
    const status = super.reportSystemEvent(pid, event, priorityClass)
    if (before !== this.process(pid)?.state) this.madeComputableBy.set(pid, event)
    return status
  }
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
  readonly scheduler: ExecutiveScheduler
  readonly asts: AstManager
  readonly flags: EventFlags
  readonly timers: Timers
  readonly pool = new NonpagedPool()
  private readonly guest: GuestMemory
  private readonly search: ConditionSearch
  private readonly kernel: KernelAddresses
  private readonly frames: FrameAllocator
  private readonly processes = new Map<number, Process>()
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

  constructor(options: SystemOptions = {}) {
    this.output = options.output ?? ((text) => process.stdout.write(text))
    const trace = options.trace
    this.trace = trace && ((line: string) => trace(`t=${(this.now / 1e7).toFixed(3)}  ${line}`))
    const machine = buildMachine()
    this.cpu = machine.cpu
    this.mmu = machine.mmu
    this.kernel = machine.kernel
    this.guest = new GuestMemory(machine.cpu, machine.mmu)
    this.search = new ConditionSearch(this.guest)
    this.frames = machine.frames
    this.scheduler = new ExecutiveScheduler({
      hasDeliverableAst: (pid) => this.asts.hasDeliverable(pid, USER),
      ...(this.trace && { trace: this.trace }),
    })
    this.asts = new AstManager(this.scheduler)
    this.flags = new EventFlags(this.scheduler)
    this.timers = new Timers(this.scheduler, this.flags, this.asts)
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
      },
      {
        pool: {
          allocate: (bytes) => {
            const r = this.pool.allocate(bytes, { type: 10 }) // DYN$C_IRP
            return r.status === SS.NORMAL
              ? { status: r.status, address: r.address }
              : { status: r.status, address: 0 }
          },
          deallocate: (address) => this.pool.deallocate(address),
        },
      },
    )
    this.terminal = terminalDriver((bytes) => this.terminalWrite(bytes))
    this.io.addUnit('OPA0', this.terminal, ['TT', 'SYS$OUTPUT', 'SYS$INPUT', 'SYS$COMMAND'])
    this.io.addUnit('NLA0', nullDriver(), ['NL'])
    // The null process: kernel mode, IPL 0, looping in system space on its own stack.
    const frame = this.allocateFrames(2)
    if (frame === undefined) throw new Error('no memory for the null process')
    this.nullHwPcb = (frame[0] as number) * PAGE
    const stackTop = S0 + ((frame[1] as number) + 1) * PAGE
    this.writeHwPcb(this.nullHwPcb, {
      ksp: stackTop,
      usp: 0,
      pc: this.kernel.null,
      psl: 0,
      p0br: S0,
      p0lr: 0,
      p1br: S0,
      p1lr: 0x200000,
    })
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
  ): { status: Status; pid?: number; error?: string } {
    let file: Uint8Array
    try {
      file = link(source, name)
    } catch (error) {
      return { status: SS.BADIMGHDR, error: error instanceof Error ? error.message : String(error) }
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
    const image = read.image
    const p0Pages = 1 + Math.max(...image.sections.map((s) => s.vpn + s.pages - 1))
    const p1Pages = STACK_PAGES
    const tableFrames = this.frames.allocateContiguous(Math.ceil((4 * P1_TABLE_ENTRIES) / PAGE))
    if (tableFrames === undefined) return { status: SS.INSFMEM }
    const frames = this.allocateFrames(1 + p0Pages + p1Pages)
    if (frames === undefined) {
      for (const pfn of tableFrames) this.frames.release(pfn)
      return { status: SS.INSFMEM }
    }
    const memory = this.cpu.memory
    for (const pfn of [...frames, ...tableFrames])
      memory.bytes.fill(0, pfn * PAGE, (pfn + 1) * PAGE)
    const hwPcb = (frames[0] as number) * PAGE
    const p0Table = hwPcb + 128
    const p1Table = (tableFrames[0] as number) * PAGE
    const dataFrames = frames.slice(1)
    // P0 page 0 is no access, so a reference through a null pointer is an access
    // violation; pages no section maps stay invalid.
    memory.view.setUint32(p0Table, pte(dataFrames[0] as number, PROT.NA), true)
    for (const section of image.sections) {
      for (let i = 0; i < section.pages; i++) {
        const vpn = section.vpn + i
        const pfn = dataFrames[vpn] as number
        memory.view.setUint32(
          p0Table + 4 * vpn,
          pte(pfn, section.writable ? PROT.UW : PROT.UR),
          true,
        )
        memory.bytes.set(section.data.subarray(i * PAGE, (i + 1) * PAGE), pfn * PAGE)
      }
    }
    // P1: the vector page at 0x7FFEDE00 (user read), then nothing, then the kernel stack
    // pages (kernel write) below the user stack pages (user write) at the top.
    memory.view.setUint32(p1Table, pte(LAYOUT.vectors >> 9, PROT.UR), true)
    const stackTops: number[] = []
    let page = 0
    for (const stack of STACKS) {
      for (let i = 0; i < stack.pages; i++, page++) {
        const index = P1_TABLE_ENTRIES - p1Pages + page
        memory.view.setUint32(
          p1Table + 4 * index,
          pte(dataFrames[p0Pages + page] as number, stack.protection),
          true,
        )
      }
      stackTops.push(P1_TOP - (p1Pages - page) * PAGE)
    }
    const p1lr = P1_VECTOR_VPN
    this.writeHwPcb(hwPcb, {
      ksp: stackTops[0] as number,
      esp: stackTops[1] as number,
      ssp: stackTops[2] as number,
      usp: stackTops[3] as number,
      pc: image.transfer,
      psl: USER_PSL,
      p0br: S0 + p0Table,
      p0lr: p0Pages,
      p1br: (S0 + p1Table - 4 * p1lr) >>> 0,
      p1lr,
    })
    const pcb = this.scheduler.createProcess({
      name: name.toUpperCase().slice(0, 15),
      basePriority,
    })
    this.asts.createProcess(pcb.pid, 10)
    this.processes.set(pcb.pid, {
      pcb,
      image: name,
      hwPcb,
      frames: [...frames, ...tableFrames],
      p0Table,
      p0Pages,
      p1Table,
      p1lr,
      ioCount: 0,
      waitingInService: false,
      waitFrame: 0,
      conditions: [],
    })
    this.requestReschedule()
    return { status: SS.NORMAL, pid: pcb.pid }
  }

  /** Characters typed at the console terminal (a line ends with a carriage return). */
  typeInput(text: string): void {
    this.terminal.input(text)
    this.io.postprocess()
    if (this.scheduler.reschedulePending) this.requestReschedule()
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
   * Runs until no process can run and no timer is pending (or `maxInstructions` more
   * have executed). Returns why it stopped.
   */
  run(maxInstructions = 100_000_000): 'idle' | 'limit' | 'bugcheck' {
    const limit = this.cpu.instructions + maxInstructions
    while (this.cpu.instructions < limit) {
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
    for (let i = 0; i < data.length; i++) {
      const pa = this.physicalIn(process, va + i)
      if (pa !== undefined) this.cpu.memory.bytes[pa] = data[i] as number
    }
  }

  /** The physical address of `va` in a process's P0 or P1 space, through its own page tables. */
  private physicalIn(process: Process, va: number): number | undefined {
    const vpn = (va >>> 9) & 0x1fffff
    let entryAddress: number
    if (va >>> 30 === 0 && vpn < process.p0Pages) entryAddress = process.p0Table + 4 * vpn
    else if (va >>> 30 === 1 && vpn >= process.p1lr)
      entryAddress = process.p1Table + 4 * (vpn - process.p1lr)
    else return undefined
    const entry = this.cpu.memory.view.getUint32(entryAddress, true)
    if ((entry & PTE_V) === 0) return undefined
    return ((entry & 0x1fffff) << 9) | (va & 0x1ff)
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
    if (vector >= 0 && vector < PAGE && vector % 4 === 0) return this.exception(vector)
    this.message(`%SYSTEM-F-BUGCHECK, unexpected HALT at PC=${hex(at)}`)
    return false
  }

  /** SCH$RESCHED after SVPCTX: choose the next process and let LDPCTX load it. */
  private reschedule(): void {
    if (this.scheduler.reschedulePending) this.scheduler.dispatch()
    const next = this.scheduler.current
    this.loaded = next.pid
    const process = this.processes.get(next.pid)
    this.cpu.ipr[IPR.PCBB] = process?.hwPcb ?? this.nullHwPcb
    if (process === undefined) return
    const view = this.cpu.memory.view
    if (process.waitingInService) {
      process.waitingInService = false
      // Woken by an AST: back up the saved PC onto the CHMK (2 bytes, a short literal
      // code), so that after the AST the service waits again.
      if (this.scheduler.madeComputableBy.get(next.pid) === 'AST') {
        // The saved PC is in the PCB if the process left the CHMK handler before it was
        // switched out, or else still in the CHMK frame on its kernel stack.
        const savedPc = view.getUint32(process.hwPcb + 72, true)
        const inHandler = savedPc > this.kernel.chmk && savedPc <= this.kernel.astdel
        const slot = inHandler ? this.physicalIn(process, process.waitFrame) : process.hwPcb + 72
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
      this.deleteProcess(pid, SS.ACCVIO)
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
        this.changeModeTrap(pid, callerMode)
        return
      }
      if (code === CONDRET) {
        this.handlerReturned(pid)
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
      const arg = (i: number) => this.guest.read32(ap + 4 + 4 * i, callerMode)
      status = this.service(service.name, pid, arg, callerMode)
    } catch (error) {
      if (!(error instanceof ServiceFault)) throw error
      status = error.status
    }
    cpu.r[0] = status
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

  private service(
    name: ServiceName,
    pid: number,
    arg: (i: number) => number,
    mode: number,
  ): Status {
    switch (name) {
      case 'EXIT':
        this.deleteProcess(pid, arg(0))
        return SS.NORMAL
      case 'HIBER':
        return this.waitInService(pid, this.scheduler.hibernate())
      case 'WAKE':
        return this.scheduler.wake(this.targetPid(pid, arg(0), arg(1), mode))
      case 'SETEF':
        return this.flags.setFlag(pid, arg(0))
      case 'CLREF':
        return this.flags.clearFlag(pid, arg(0))
      case 'READEF': {
        const r = this.flags.readFlags(pid, arg(0))
        if (r.flags !== undefined) this.guest.write32(arg(1), r.flags, mode)
        return r.status
      }
      case 'WAITFR':
        return this.waitInService(pid, this.flags.waitForFlag(pid, arg(0)))
      case 'SETIMR': {
        const daytim = arg(1)
        const low = this.guest.read32(daytim, mode) >>> 0
        const high = this.guest.read32(daytim + 4, mode)
        const time = high * 2 ** 32 + low
        const expiration = time < 0 ? this.now - time : time
        if (!Number.isSafeInteger(expiration)) return SS.IVTIME
        const ast =
          arg(2) === 0
            ? {}
            : { ast: { routine: arg(2), parameter: arg(3), mode: mode as AccessMode } }
        return this.timers.setTimer(pid, expiration, { efn: arg(0), requestId: arg(3), ...ast })
      }
      case 'CANTIM':
        return this.timers.cancelTimer(pid, arg(0))
      case 'ASSIGN':
        return this.assign(pid, arg(0), arg(1), mode)
      case 'DASSGN':
        return this.io.deassign(pid, arg(0) & 0xffff, mode as Mode)
      case 'QIOW':
        return this.qio(pid, arg, mode)
      case 'DCLAST':
        if (arg(0) === 0) return SS.BADPARAM
        return this.asts.declare(
          pid,
          mode as AccessMode,
          arg(0),
          arg(1),
          (arg(2) & 3) as AccessMode,
        )
      case 'SETAST':
        return this.asts.setAst(pid, mode as AccessMode, (arg(0) & 1) === 1)
      case 'CREPRC':
        return this.createProcessService(pid, arg, mode)
      case 'ASTEXIT':
      case 'CONDRET':
      case 'CMODTRAP':
        return SS.NORMAL
      case 'SETPRI': {
        const target = this.targetPid(pid, arg(0), arg(1), mode)
        const r = this.scheduler.setPriority(pid, target, arg(2))
        if (r.previous !== undefined && arg(3) !== 0) this.guest.write32(arg(3), r.previous, mode)
        return r.status
      }
    }
  }

  /**
   * $CREPRC (book 20.2): a process named by the `prcnam` descriptor (SS$_DUPLNAM if
   * one has that name) running the image named by the `image` descriptor (an example
   * or a .exe/.mar path: SS$_NOSUCHFILE otherwise) at base priority `baspri`, which
   * may not exceed the caller's without ALTPRI (SS$_NOPRIV). The new PID goes to
   * `pidadr`. Input, output, error, privileges, quotas, UIC, mailbox and status flags
   * are not used yet.
   */
  private createProcessService(caller: number, arg: (i: number) => number, mode: number): Status {
    const imageName = arg(1) === 0 ? '' : this.guest.descriptor(arg(1), mode)
    const name = (arg(7) === 0 ? imageName : this.guest.descriptor(arg(7), mode)).toUpperCase()
    if (!/^[A-Z0-9$_]{1,15}$/.test(name)) return SS.IVLOGNAM
    if (arg(0) !== 0) this.guest.write(arg(0), new Uint8Array(4), mode) // probe pidadr first
    const priority = arg(8)
    const parent = this.scheduler.process(caller)
    if (!Number.isInteger(priority) || priority < 0 || priority > 31) return SS.BADPARAM
    if (parent !== undefined && priority > parent.basePriority && !parent.privileges.has('ALTPRI'))
      return SS.NOPRIV
    if ([...this.processes.values()].some((p) => p.pcb.name === name)) return SS.DUPLNAM
    const file = findProgram(imageName)
    if (file === undefined) return SS.NOSUCHFILE
    const contents = readFileSync(file)
    const created = file.toLowerCase().endsWith('.exe')
      ? this.activate(name, new Uint8Array(contents), priority)
      : this.createProcess(name, contents.toString('utf8'), priority)
    if (created.error !== undefined) this.trace?.(`$CREPRC ${name}: ${created.error}`)
    if (created.pid === undefined) return created.status
    if (arg(0) !== 0) this.guest.write32(arg(0), created.pid, mode)
    return SS.NORMAL
  }

  private waitInService(pid: number, status: Status): Status {
    const process = this.processes.get(pid)
    if (process !== undefined && this.scheduler.current.pid !== pid) {
      process.waitingInService = true
      process.waitFrame = ((this.cpu.r[14] as number) + 4) >>> 0
    }
    return status
  }

  /** A PID argument: the longword at `pidadr`, the process named by descriptor `prcnam`, or the caller. */
  private targetPid(caller: number, pidadr: number, prcnam: number, mode: number): number {
    if (pidadr !== 0) {
      const pid = this.guest.read32(pidadr, mode)
      if (pid !== 0) return pid
    }
    if (prcnam !== 0) {
      const name = this.guest.descriptor(prcnam, mode).toUpperCase()
      for (const p of this.processes.values()) if (p.pcb.name === name) return p.pcb.pid
      return -1
    }
    return caller
  }

  /** $ASSIGN (book 18.3): the device name from a descriptor, the channel number to a word. */
  private assign(pid: number, devnam: number, chanAddress: number, mode: number): Status {
    const name = this.guest.descriptor(devnam, mode)
    this.guest.write(chanAddress, new Uint8Array(2), mode) // probed before anything is assigned
    const r = this.io.assign(pid, name, mode as Mode)
    if (r.channel !== undefined)
      this.guest.write(chanAddress, new Uint8Array([r.channel & 0xff, r.channel >> 8]), mode)
    return r.status
  }

  /** $QIO (book 18.5): the arguments go to @vms/io; $QIOW's wait is in the vector page. */
  private qio(pid: number, arg: (i: number) => number, mode: number): Status {
    const status = this.io.qio(pid, mode as Mode, {
      efn: arg(0),
      channel: arg(1),
      func: arg(2),
      iosb: arg(3),
      astadr: arg(4),
      astprm: arg(5),
      p: [arg(6), arg(7), arg(8), arg(9), arg(10), arg(11)],
    })
    const process = this.processes.get(pid)
    if (status === SS.NORMAL && process !== undefined) process.ioCount++
    return status
  }

  /** An exception in a process: with no condition handlers yet, the image exits with the message. */
  private exception(vector: number): boolean {
    const cpu = this.cpu
    const sp = cpu.r[14] as number
    const sp0 = sp
    const parameters =
      vector === SCB.ACCESS_VIOLATION || vector === SCB.TRANSLATION_NOT_VALID
        ? 2
        : vector === SCB.ARITHMETIC
          ? 1
          : 0
    const words = Array.from({ length: parameters + 2 }, (_, i) => cpu.read32(sp + 4 * i) >>> 0)
    const pc = words[parameters] as number
    const psl = words[parameters + 1] as number
    if (this.loaded === 0 || currentMode(psl) === 0) {
      this.message(
        `%SYSTEM-F-BUGCHECK, exception vector ${hex(vector, 2)} in kernel mode at PC=${hex(pc)}, PSL=${hex(psl)}`,
      )
      return false
    }
    let status: Status
    let args: number[] = [pc, psl]
    if (vector === SCB.ACCESS_VIOLATION || vector === SCB.TRANSLATION_NOT_VALID) {
      status = SS.ACCVIO
      args = [words[0] as number, words[1] as number, pc, psl]
    } else if (vector === SCB.ARITHMETIC)
      status = words[0] === 2 ? SS.INTDIV : words[0] === 1 ? SS.INTOVF : SS.ROPRAND
    else if (vector === SCB.RESERVED_OPERAND) status = SS.ROPRAND
    else if (vector === SCB.RESERVED_ADDRESSING_MODE) status = SS.RADRMOD
    else if (vector === SCB.BREAKPOINT) status = SS.BREAK
    else status = SS.OPCDEC
    const mode = currentMode(psl)
    const process = this.processes.get(this.loaded) as Process
    try {
      const sp = cpu.stack[mode] as number
      const { dispatch, next } = this.search.start(
        mode,
        sp,
        cpu.r[13] as number,
        status,
        args,
        cpu.r[0] as number,
        cpu.r[1] as number,
      )
      if (next.kind === 'unhandled') return this.lastChance(status, args)
      process.conditions.push(dispatch)
      // Leave the exception frame's PC and PSL slots for the REI into the handler caller.
      cpu.r[14] = (sp0 + 4 * parameters) | 0
      this.callHandler(dispatch, next.handler)
      cpu.pc = this.kernel.dismiss
      return true
    } catch (error) {
      if (!(error instanceof ServiceFault)) throw error
      return this.lastChance(status, args) // the stack cannot take the signal: no handler can run
    }
  }

  /** REI (through the frame at the kernel SP) into the handler caller in the condition's mode. */
  private callHandler(dispatch: Dispatch, handler: number): void {
    const cpu = this.cpu
    const sp = cpu.r[14] as number
    cpu.stack[dispatch.mode] = dispatch.argumentList
    cpu.r[1] = handler
    cpu.write32(sp, this.kernel.handlerCaller)
    cpu.write32(sp + 4, (dispatch.mode << 24) | (dispatch.mode << 22))
    this.trace?.(
      `condition to ${hex(this.loaded)}: handler ${hex(handler)} of frame ${hex(dispatch.frame)}`,
    )
  }

  /**
   * A handler returned to the caller in the vector page (CHMK CONDRET): SS$_CONTINUE
   * dismisses the condition at the PC and PSL of the signal array; SS$_RESIGNAL (or
   * any other value with the low bit clear) searches on from the next frame.
   */
  private handlerReturned(pid: number): void {
    const cpu = this.cpu
    const process = this.processes.get(pid) as Process
    const dispatch = process.conditions.at(-1)
    if (dispatch === undefined) {
      cpu.r[0] = SS.IVSSRQ
      return
    }
    const answer = cpu.r[0] as number
    const frame = (cpu.r[14] as number) + 4 // the CHMK frame: code, PC, PSL
    try {
      if (handlerSaysContinue(answer)) {
        const c = this.search.continuation(dispatch)
        process.conditions.pop()
        cpu.stack[dispatch.mode] = dispatch.originalSp
        cpu.r[0] = c.r0
        cpu.r[1] = c.r1
        // Only the condition codes and trap enables come from the (guest-writable) PSL.
        cpu.write32(frame, c.pc)
        cpu.write32(frame + 4, (c.psl & 0xff) | (dispatch.mode << 24) | (dispatch.mode << 22))
        return
      }
      const next = this.search.resignal(dispatch)
      if (next.kind === 'call') {
        cpu.r[14] = frame | 0
        this.callHandler(dispatch, next.handler)
        cpu.r[14] = (frame - 4) | 0
        return
      }
    } catch (error) {
      if (!(error instanceof ServiceFault)) throw error
    }
    process.conditions.pop()
    const condition = this.guest.read32(dispatch.signal + 4, dispatch.mode)
    const count = this.guest.read32(dispatch.signal, dispatch.mode)
    const args = Array.from(
      { length: Math.max(0, Math.min(count - 1, 8)) },
      (_, i) => this.guest.read32(dispatch.signal + 8 + 4 * i, dispatch.mode) >>> 0,
    )
    this.lastChance(condition, args)
  }

  /**
   * A CHME, CHMS or CHMU reached its mode with no change-mode handler declared: the
   * frame (code, PC, PSL) is on that mode's stack. The image ends with SS$_CMODSUPR,
   * SS$_CMODUSER or (no executive-mode services here) SS$_ILLSER.
   */
  private changeModeTrap(pid: number, mode: number): void {
    const sp = this.cpu.stack[mode] as number
    let words: number[] = []
    try {
      words = [0, 4, 8].map((o) => this.guest.read32(sp + o, mode) >>> 0)
    } catch (error) {
      if (!(error instanceof ServiceFault)) throw error
    }
    const [code = 0, pc = 0, psl = 0] = words
    const status = mode === 3 ? SS.CMODUSER : mode === 2 ? SS.CMODSUPR : SS.ILLSER
    this.loaded = pid
    this.lastChance(status, [code, pc, psl])
  }

  /** No handler took the condition: the image exits with its message (book 4.7). */
  private lastChance(status: Status, args: readonly number[]): boolean {
    this.flushLine()
    this.message(formatStatus(status, args))
    this.deleteProcess(this.loaded, status)
    return true
  }

  /** Deletes a process; if it is the one on the CPU, the next one is loaded at once. */
  private deleteProcess(pid: number, _status: Status): void {
    const process = this.processes.get(pid)
    if (process === undefined) return
    this.flushLine()
    this.timers.cancelTimer(pid)
    this.timers.cancelWakeup(pid)
    this.io.deleteProcess(pid)
    this.scheduler.deleteProcess(pid)
    this.asts.deleteProcess(pid)
    this.processes.delete(pid)
    for (const pfn of process.frames) this.frames.release(pfn)
    if (this.loaded === pid) {
      // Nothing of the process needs saving: load the next one directly (LDPCTX, REI).
      this.scheduler.dispatch()
      this.reschedule()
      this.cpu.psl = (this.cpu.psl & ~PSL_IPL & ~PSL_IS) | (3 << 16)
      this.cpu.pc = this.kernel.loadctx
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

  // ------------------------------------------------ setup helpers

  private allocateFrames(n: number): number[] | undefined {
    if (this.frames.available < n) return undefined
    return Array.from({ length: n }, () => this.frames.allocate() as number)
  }

  private writeHwPcb(
    pa: number,
    c: {
      ksp: number
      esp?: number
      ssp?: number
      usp: number
      pc: number
      psl: number
      p0br: number
      p0lr: number
      p1br: number
      p1lr: number
    },
  ): void {
    const v = this.cpu.memory.view
    for (let i = 0; i < 128; i += 4) v.setUint32(pa + i, 0, true)
    v.setUint32(pa, c.ksp >>> 0, true)
    v.setUint32(pa + 4, (c.esp ?? 0) >>> 0, true)
    v.setUint32(pa + 8, (c.ssp ?? 0) >>> 0, true)
    v.setUint32(pa + 12, c.usp >>> 0, true)
    v.setUint32(pa + 72, c.pc >>> 0, true)
    v.setUint32(pa + 76, c.psl >>> 0, true)
    v.setUint32(pa + 80, c.p0br >>> 0, true)
    v.setUint32(pa + 84, (c.p0lr | (4 << 24)) >>> 0, true)
    v.setUint32(pa + 88, c.p1br >>> 0, true)
    v.setUint32(pa + 92, c.p1lr >>> 0, true)
  }
}

function hex(value: number, width = 8): string {
  return (value >>> 0).toString(16).toUpperCase().padStart(width, '0')
}
