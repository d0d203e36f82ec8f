import { AstManager } from '@vms/ast'
import { EventFlags } from './event-flags'
import type { Pcb } from './pcb'
import { Scheduler, type SchedulerOptions } from './scheduler'
import { TICK, Timers } from './timers'

/** One step of a scripted process. Services take no time; `compute` takes clock ticks. */
export type Step =
  | { readonly compute: number }
  | { readonly hibernate: true }
  | { readonly wake: string }
  | { readonly setef: number; readonly of?: string }
  | { readonly waitfr: number }
  | { readonly wflor: number; readonly mask: number }
  | { readonly wfland: number; readonly mask: number }
  | { readonly ascefc: number; readonly name: string }
  | { readonly setimr: number; readonly efn: number }
  | { readonly schdwk: number }
  | { readonly suspend: string }
  | { readonly resume: string }
  | { readonly dclast: number }
  | { readonly exit: true }

interface Scripted {
  readonly pcb: Pcb
  readonly steps: readonly Step[]
  next: number
  /** Ticks left in the current compute step. */
  left: number
}

/**
 * A discrete-event harness for the executive without a CPU: scripted processes compute
 * for some clock ticks, call services, wait and are woken, and every scheduling action
 * lands in a readable trace (`t=0.030  schedule A pri 5`). Time advances one 10 ms
 * clock tick at a time.
 */
export class Harness {
  readonly scheduler: Scheduler
  readonly flags: EventFlags
  readonly timers: Timers
  readonly asts: AstManager
  readonly trace: string[] = []
  private readonly scripts = new Map<number, Scripted>()
  private readonly byName = new Map<string, Pcb>()
  /** Virtual time in 100 ns units. */
  now = 0

  constructor(options: SchedulerOptions = {}) {
    this.scheduler = new Scheduler({
      ...options,
      trace: (line) => this.trace.push(`t=${(this.now / 1e7).toFixed(3)}  ${line}`),
      hasDeliverableAst: (pid) => this.asts.hasDeliverable(pid, 3),
    })
    this.asts = new AstManager(this.scheduler)
    this.flags = new EventFlags(this.scheduler)
    this.timers = new Timers(this.scheduler, this.flags, this.asts)
  }

  /** Creates a process that runs `steps`, then exits. */
  spawn(
    name: string,
    basePriority: number,
    steps: readonly Step[],
    privileges: string[] = [],
  ): Pcb {
    const pcb = this.scheduler.createProcess({ name, basePriority, privileges })
    this.asts.createProcess(pcb.pid, 10)
    this.scripts.set(pcb.pid, { pcb, steps, next: 0, left: -1 })
    this.byName.set(name, pcb)
    return pcb
  }

  pid(name: string): number {
    const pcb = this.byName.get(name)
    if (pcb === undefined) throw new Error(`no process ${name}`)
    return pcb.pid
  }

  /** Runs `ticks` clock ticks (10 ms each). */
  run(ticks: number): void {
    for (let t = 0; t < ticks; t++) {
      this.timers.expire(this.now)
      this.scheduler.dispatch()
      this.runServices()
      this.scheduler.clockTick()
      this.consumeTick()
      this.now += TICK
      this.scheduler.dispatch()
    }
  }

  /** The current process performs its zero-time steps until it computes or waits. */
  private runServices(): void {
    for (let guard = 0; guard < 1000; guard++) {
      const s = this.scripts.get(this.scheduler.current.pid)
      if (s === undefined) return
      const step = s.steps[s.next]
      if (step === undefined || 'exit' in step) {
        this.trace.push(`t=${(this.now / 1e7).toFixed(3)}  exit ${s.pcb.name}`)
        this.scripts.delete(s.pcb.pid)
        this.timers.cancelTimer(s.pcb.pid)
        this.timers.cancelWakeup(s.pcb.pid)
        this.flags.deleteProcess(s.pcb.pid)
        this.scheduler.deleteProcess(s.pcb.pid)
        this.asts.deleteProcess(s.pcb.pid)
        continue
      }
      if ('compute' in step) {
        if (s.left < 0) s.left = step.compute
        if (s.left > 0) return
        s.left = -1
        s.next++
        continue
      }
      s.next++
      const pid = s.pcb.pid
      if ('hibernate' in step) this.scheduler.hibernate()
      else if ('wake' in step) this.scheduler.wake(this.pid(step.wake), pid)
      else if ('setef' in step)
        this.flags.setFlag(step.of === undefined ? pid : this.pid(step.of), step.setef)
      else if ('waitfr' in step) this.flags.waitForFlag(pid, step.waitfr)
      else if ('wflor' in step) this.flags.waitForAny(pid, step.wflor, step.mask)
      else if ('wfland' in step) this.flags.waitForAll(pid, step.wfland, step.mask)
      else if ('ascefc' in step) this.flags.associate(pid, step.ascefc, step.name)
      else if ('setimr' in step)
        this.timers.setTimer(pid, this.now + step.setimr * TICK, { efn: step.efn })
      else if ('schdwk' in step) this.timers.scheduleWakeup(pid, this.now + step.schdwk * TICK)
      else if ('suspend' in step) this.scheduler.suspend(this.pid(step.suspend), pid)
      else if ('resume' in step) this.scheduler.resume(this.pid(step.resume), pid)
      else if ('dclast' in step) this.asts.declare(pid, 3, step.dclast)
      this.scheduler.dispatch()
    }
  }

  private consumeTick(): void {
    const s = this.scripts.get(this.scheduler.current.pid)
    if (s !== undefined && s.left > 0) s.left--
  }
}
