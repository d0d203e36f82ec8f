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
  /**
   * $EXIT on the image's behalf (the last-chance handler's, book 4.7): when the process
   * has exit handlers for `mode`, the REI frame whose PC slot is at `pcSlot` is made to
   * call the next one (and true is returned); otherwise nothing is done.
   */
  exitThroughHandlers(pid: number, mode: number, status: Status, pcSlot: number): boolean
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
      if (next.kind === 'unhandled')
        return this.lastChanceFromException(status, args, sp, parameters, mode)
      conditions.push(dispatch)
      // Leave the exception frame's PC and PSL slots for the REI into the handler caller.
      cpu.r[14] = (sp + 4 * parameters) | 0
      this.callHandler(dispatch, next.handler)
      cpu.pc = this.x.kernel.dismiss
      return true
    } catch (error) {
      if (!(error instanceof ServiceFault)) throw error
      // The stack cannot take the signal: no handler can run.
      return this.lastChanceFromException(status, args, sp, parameters, mode)
    }
  }

  /**
   * LIB$SIGNAL or LIB$STOP (book 4.4): a software condition, signalled from the caller's
   * CHMK in LIB$SIGNAL's own frame (FP), with the condition value and its FAO arguments
   * as the argument list at AP. The signal array's PC is LIB$SIGNAL's return address;
   * the search starts at its caller's frame. Continuing returns from LIB$SIGNAL. With no
   * handler, the message is shown and the image goes on for a warning, success or
   * informational condition, and ends for an error or severe one (or for LIB$STOP).
   */
  softwareSignal(pid: number, stop: boolean): void {
    const cpu = this.x.cpu
    const sp = cpu.r[14] as number // the CHMK frame: code, PC, PSL
    const pc = cpu.read32(sp + 4)
    const psl = cpu.read32(sp + 8)
    const mode = currentMode(psl)
    const fp = cpu.r[13] as number
    const ap = cpu.r[12] as number
    let status: Status = SS.NOSIGNAL
    let args: number[] = []
    try {
      const count = this.x.guest.read(ap, 1, mode)[0] as number
      if (count < 1) {
        cpu.r[0] = SS.INSFARG
        return
      }
      const words = Array.from({ length: count }, (_, i) =>
        this.x.guest.read32(ap + 4 + 4 * i, mode),
      )
      const returnPc = this.x.guest.read32(fp + 16, mode) >>> 0
      const callerFrame = this.x.guest.read32(fp + 12, mode) >>> 0
      status = ((words[0] as number) | (stop ? 4 : 0)) >>> 0
      if (stop) status = ((status & ~7) | 4) >>> 0 // LIB$STOP: severity forced to severe
      args = [...words.slice(1).map((w) => w >>> 0), returnPc, psl >>> 0]
      const conditions = this.x.conditionsOf(pid)
      const { dispatch, next } = this.x.search.start(
        mode,
        cpu.stack[mode] as number,
        callerFrame,
        status,
        args,
        cpu.r[0] as number,
        cpu.r[1] as number,
      )
      dispatch.software = { pc, psl, stop }
      if (next.kind === 'unhandled') {
        this.unhandledSoftware(pid, status, args, stop, mode)
        return
      }
      conditions.push(dispatch)
      cpu.r[14] = (sp + 4) | 0
      this.callHandler(dispatch, next.handler)
      cpu.r[14] = sp | 0
    } catch (error) {
      if (!(error instanceof ServiceFault)) throw error
      this.lastChance(pid, status, args, mode)
    }
  }

  /** No handler for a software condition: the catch-all's message, then on or out (book 4.7). */
  private unhandledSoftware(
    pid: number,
    status: Status,
    args: readonly number[],
    stop: boolean,
    mode: number,
  ) {
    if (isFatal(status, stop)) {
      this.lastChance(pid, status, args, mode)
      return
    }
    this.x.flushLine()
    this.x.message(formatStatus(status, args))
    this.x.cpu.r[0] = SS.NORMAL
  }

  /**
   * $UNWIND (book 4.7), called by a condition handler: when the handler returns, the
   * call frames from the one the condition happened in out to `depth` (default: the
   * handler's establisher and everything inside it) are removed, and execution goes on
   * in the caller of the last one removed, at its return address or at `newPc`, with
   * R0 and R1 from the mechanism array. SS$_NOSIGNAL with no condition being handled in
   * the caller's mode, SS$_UNWINDING when asked twice, SS$_INSFRAME when there are not
   * that many frames. Handlers of the removed frames are not called with SS$_UNWIND.
   */
  requestUnwind(pid: number, mode: number, depth: number | undefined, newPc: number): Status {
    const dispatch = this.x.conditionsOf(pid).at(-1)
    if (dispatch === undefined || dispatch.mode !== mode) return SS.NOSIGNAL
    if (dispatch.unwind !== undefined) return SS.UNWINDING
    const frames = depth ?? dispatch.depth + 1
    if (frames < 0) return SS.INSFRAME
    if (frames === 0) return SS.NORMAL
    const last = this.x.search.frameAt(dispatch, frames - 1)
    if (last === undefined) return SS.INSFRAME
    // The caller of the last frame removed must exist too: execution goes on there.
    if (this.x.search.frameAt(dispatch, frames) === undefined) return SS.INSFRAME
    dispatch.unwind = { depth: frames, newPc }
    return SS.NORMAL
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
      if (dispatch.unwind !== undefined) {
        this.unwind(dispatch, frame)
        conditions.pop()
        return
      }
      if (handlerSaysContinue(answer) && dispatch.software?.stop !== true) {
        const c = this.x.search.continuation(dispatch)
        conditions.pop()
        cpu.stack[dispatch.mode] = dispatch.originalSp
        cpu.r[0] = c.r0
        cpu.r[1] = c.r1
        // A software condition goes on by returning from LIB$SIGNAL.
        const pc = dispatch.software?.pc ?? c.pc
        const psl = dispatch.software?.psl ?? c.psl
        // Only the condition codes and trap enables come from the (guest-writable) PSL.
        cpu.write32(frame, pc)
        cpu.write32(frame + 4, (psl & 0xff) | (dispatch.mode << 24) | (dispatch.mode << 22))
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
    const software = dispatch.software
    if (software !== undefined && !isFatal(condition, software.stop)) {
      // The catch-all shows a warning and LIB$SIGNAL returns (book 4.7).
      this.x.flushLine()
      this.x.message(formatStatus(condition, args))
      cpu.stack[dispatch.mode] = dispatch.originalSp
      cpu.r[0] = SS.NORMAL
      cpu.write32(frame, software.pc)
      cpu.write32(frame + 4, (software.psl & 0xff) | (dispatch.mode << 24) | (dispatch.mode << 22))
      return
    }
    this.lastChance(pid, condition, args, dispatch.mode)
  }

  /**
   * Carries out the $UNWIND a handler asked for: RET from the last frame removed
   * (through the vector page's `RET`, with FP at that frame), its return PC replaced by
   * the new PC when one was given, R0 and R1 from the mechanism array.
   */
  private unwind(dispatch: Dispatch, frame: number): void {
    const cpu = this.x.cpu
    const request = dispatch.unwind as { depth: number; newPc: number }
    const last = this.x.search.frameAt(dispatch, request.depth - 1) as number
    if (request.newPc !== 0) this.x.guest.write32(last + 16, request.newPc, dispatch.mode)
    const c = this.x.search.continuation(dispatch)
    cpu.stack[dispatch.mode] = dispatch.originalSp
    cpu.r[0] = c.r0
    cpu.r[1] = c.r1
    cpu.r[13] = last
    cpu.write32(frame, this.x.kernel.unwind)
    cpu.write32(frame + 4, (dispatch.mode << 24) | (dispatch.mode << 22))
    this.x.trace?.(
      `unwind in ${hex(this.x.loaded)}: ${request.depth} frames, RET from ${hex(last)}`,
    )
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
    this.lastChance(pid, status, [code, pc, psl], mode)
  }

  /**
   * No handler took the condition: the image exits with its message (book 4.7), through
   * its exit handlers when it declared any (true: the process goes on into one). In a
   * service (CHMK frame: code, PC, PSL at the kernel SP) the frame's PC slot is the one
   * after the code.
   */
  private lastChance(
    pid: number,
    status: Status,
    args: readonly number[],
    mode: number,
    pcSlot = ((this.x.cpu.r[14] as number) + 4) >>> 0,
  ): boolean {
    this.x.flushLine()
    this.x.message(formatStatus(status, args))
    const final = (status | STS_M_INHIB_MSG) >>> 0
    if (this.x.exitThroughHandlers(pid, mode, final, pcSlot)) return true
    this.x.deleteProcess(pid, final)
    return false
  }

  /** The last chance for an exception: the REI goes through its frame's PC slot. */
  private lastChanceFromException(
    status: Status,
    args: readonly number[],
    sp: number,
    parameters: number,
    mode: number,
  ): boolean {
    const pcSlot = (sp + 4 * parameters) >>> 0
    if (this.lastChance(this.x.loaded, status, args, mode, pcSlot)) {
      // The process goes on into an exit handler: REI through the frame's PC and PSL.
      this.x.cpu.r[14] = pcSlot | 0
      this.x.cpu.pc = this.x.kernel.dismiss
    }
    return true
  }
}

/** An error or severe condition, or any from LIB$STOP, ends the image when no handler takes it. */
function isFatal(status: Status, stop: boolean): boolean {
  const severity = status & 7
  return stop || severity === 2 || severity === 4
}
