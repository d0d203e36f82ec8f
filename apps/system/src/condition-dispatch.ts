import type { Cpu } from '@vax/cpu'
import { currentMode } from '@vax/cpu'
import { formatStatus, SS, type Status } from '@vms/contracts'
import {
  type ConditionSearch,
  conditionFor,
  type Dispatch,
  exceptionParameters,
  handlerSaysContinue,
  STS_M_INHIB_MSG,
} from './conditions'
import { type GuestMemory, ServiceFault } from './guest-memory'
import { hex } from './hex'
import type { KernelAddresses } from './machine'

/** What condition dispatch needs from the executive around it. */
export interface ConditionHost {
  readonly cpu: Cpu
  readonly guest: GuestMemory
  readonly search: ConditionSearch
  readonly kernel: KernelAddresses
  /** The process on the CPU (0: the null process). */
  readonly loaded: number
  /** The conditions being dispatched in a process, innermost last. */
  conditionsOf(pid: number): Dispatch[]
  trace?(line: string): void
  /** A system message on a line of its own. */
  message(text: string): void
  /** Ends a partial terminal line. */
  flushLine(): void
  deleteProcess(pid: number, status: Status): void
}

/**
 * Exceptions in processes and their condition handlers (book ch. 4): the exception is
 * signalled to the handlers in the process's call frames, a handler's answer continues
 * or resignals, and with no handler left the image ends with the condition's message
 * (the last chance). The kernel's HALTs for exceptions, CONDRET and CMODTRAP come here.
 */
export class ConditionDispatcher {
  constructor(private readonly x: ConditionHost) {}

  /**
   * An exception in a process (book 4.5): the condition is signalled to the handlers in
   * its call frames; with none, the image ends with the condition's message. In kernel
   * mode it is a bugcheck.
   */
  exception(vector: number): boolean {
    const cpu = this.x.cpu
    const sp = cpu.r[14] as number
    const parameters = exceptionParameters(vector)
    const words = Array.from({ length: parameters + 2 }, (_, i) => cpu.read32(sp + 4 * i) >>> 0)
    const pc = words[parameters] as number
    const psl = words[parameters + 1] as number
    if (this.x.loaded === 0 || currentMode(psl) === 0) {
      this.x.message(
        `%SYSTEM-F-BUGCHECK, exception vector ${hex(vector, 2)} in kernel mode at PC=${hex(pc)}, PSL=${hex(psl)}`,
      )
      return false
    }
    const { status, args } = conditionFor(vector, words)
    const mode = currentMode(psl)
    const conditions = this.x.conditionsOf(this.x.loaded)
    try {
      const { dispatch, next } = this.x.search.start(
        mode,
        cpu.stack[mode] as number,
        cpu.r[13] as number,
        status,
        args,
        cpu.r[0] as number,
        cpu.r[1] as number,
      )
      if (next.kind === 'unhandled') return this.lastChance(this.x.loaded, status, args)
      conditions.push(dispatch)
      // Leave the exception frame's PC and PSL slots for the REI into the handler caller.
      cpu.r[14] = (sp + 4 * parameters) | 0
      this.callHandler(dispatch, next.handler)
      cpu.pc = this.x.kernel.dismiss
      return true
    } catch (error) {
      if (!(error instanceof ServiceFault)) throw error
      return this.lastChance(this.x.loaded, status, args) // the stack cannot take the signal: no handler can run
    }
  }

  /** REI (through the frame at the kernel SP) into the handler caller in the condition's mode. */
  private callHandler(dispatch: Dispatch, handler: number): void {
    const cpu = this.x.cpu
    const sp = cpu.r[14] as number
    cpu.stack[dispatch.mode] = dispatch.argumentList
    cpu.r[1] = handler
    cpu.write32(sp, this.x.kernel.handlerCaller)
    cpu.write32(sp + 4, (dispatch.mode << 24) | (dispatch.mode << 22))
    this.x.trace?.(
      `condition to ${hex(this.x.loaded)}: handler ${hex(handler)} of frame ${hex(dispatch.frame)}`,
    )
  }

  /**
   * A handler returned to the caller in the vector page (CHMK CONDRET): SS$_CONTINUE
   * dismisses the condition at the PC and PSL of the signal array; SS$_RESIGNAL (or
   * any other value with the low bit clear) searches on from the next frame.
   */
  handlerReturned(pid: number): void {
    const cpu = this.x.cpu
    const conditions = this.x.conditionsOf(pid)
    const dispatch = conditions.at(-1)
    if (dispatch === undefined) {
      cpu.r[0] = SS.IVSSRQ
      return
    }
    const answer = cpu.r[0] as number
    const frame = (cpu.r[14] as number) + 4 // the CHMK frame: code, PC, PSL
    try {
      if (handlerSaysContinue(answer)) {
        const c = this.x.search.continuation(dispatch)
        conditions.pop()
        cpu.stack[dispatch.mode] = dispatch.originalSp
        cpu.r[0] = c.r0
        cpu.r[1] = c.r1
        // Only the condition codes and trap enables come from the (guest-writable) PSL.
        cpu.write32(frame, c.pc)
        cpu.write32(frame + 4, (c.psl & 0xff) | (dispatch.mode << 24) | (dispatch.mode << 22))
        return
      }
      const next = this.x.search.resignal(dispatch)
      if (next.kind === 'call') {
        cpu.r[14] = frame | 0
        this.callHandler(dispatch, next.handler)
        cpu.r[14] = (frame - 4) | 0
        return
      }
    } catch (error) {
      if (!(error instanceof ServiceFault)) throw error
    }
    conditions.pop()
    const condition = this.x.guest.read32(dispatch.signal + 4, dispatch.mode)
    const count = this.x.guest.read32(dispatch.signal, dispatch.mode)
    const args = Array.from(
      { length: Math.max(0, Math.min(count - 1, 8)) },
      (_, i) => this.x.guest.read32(dispatch.signal + 8 + 4 * i, dispatch.mode) >>> 0,
    )
    this.lastChance(pid, condition, args)
  }

  /**
   * A CHME, CHMS or CHMU reached its mode with no change-mode handler declared: the
   * frame (code, PC, PSL) is on that mode's stack. The image ends with SS$_CMODSUPR,
   * SS$_CMODUSER or (no executive-mode services here) SS$_ILLSER.
   */
  changeModeTrap(pid: number, mode: number): void {
    const sp = this.x.cpu.stack[mode] as number
    let words: number[] = []
    try {
      words = [0, 4, 8].map((o) => this.x.guest.read32(sp + o, mode) >>> 0)
    } catch (error) {
      if (!(error instanceof ServiceFault)) throw error
    }
    const [code = 0, pc = 0, psl = 0] = words
    const status = mode === 3 ? SS.CMODUSER : mode === 2 ? SS.CMODSUPR : SS.ILLSER
    this.lastChance(pid, status, [code, pc, psl])
  }

  /** No handler took the condition: the image exits with its message (book 4.7). */
  private lastChance(pid: number, status: Status, args: readonly number[]): boolean {
    this.x.flushLine()
    this.x.message(formatStatus(status, args))
    this.x.deleteProcess(pid, (status | STS_M_INHIB_MSG) >>> 0)
    return true
  }
}
