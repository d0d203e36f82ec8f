import { SCB } from '@vax/cpu'
import { SS, type Status } from '@vms/contracts'
import { type GuestMemory, ServiceFault } from './guest-memory'

/**
 * STS$M_INHIB_MSG, bit 28 of a condition value: its message has been shown already, and
 * the command interpreter does not show it again.
 */
export const STS_M_INHIB_MSG = 0x10000000

/** How deep the frame search goes before it gives up (a looping FP chain). */
const MAX_DEPTH = 1000

/**
 * A condition being dispatched in one process (book 4.5-4.7): where its signal and
 * mechanism arrays are on the stack of the mode that incurred it, which frame's
 * handler was called last, and the stack pointer to restore when it is dismissed.
 */
export interface Dispatch {
  readonly mode: number
  /** Address of the signal array: count, condition, parameters..., PC, PSL. */
  readonly signal: number
  /** Address of the mechanism array: count 4, establisher frame, depth, R0, R1. */
  readonly mechanism: number
  /** Address of the handler's argument list (2, signal, mechanism). */
  readonly argumentList: number
  /** The stack pointer when the exception happened (what continuing restores). */
  readonly originalSp: number
  /** The frame of depth 0: where the exception happened, or LIB$SIGNAL's caller. */
  readonly firstFrame: number
  frame: number
  depth: number
  /**
   * A software condition (LIB$SIGNAL, LIB$STOP): continuing returns from LIB$SIGNAL at
   * this PC and PSL (after its CHMK), not at the signal array's PC; `stop` forbids it.
   */
  software?: { readonly pc: number; readonly psl: number; readonly stop: boolean }
  /** $UNWIND asked for while the handler ran (book 4.7): frames to remove, new PC (0: none). */
  unwind?: { readonly depth: number; readonly newPc: number }
}

/** What to do next with a condition. */
export type Next =
  /** Call `handler` (REI into the dispatcher in the condition's mode). */
  | { readonly kind: 'call'; readonly handler: number }
  /** No handler (left): the last-chance handler ends the image. */
  | { readonly kind: 'unhandled' }

/**
 * The search for condition handlers along the VAX call frames (book 4.6): each frame's
 * first longword is the address of its handler, 0 for none; 12(FP) is the caller's
 * frame. Frames are read with the access rights of the condition's mode, and a frame
 * that cannot be read ends the search.
 */
export class ConditionSearch {
  constructor(private readonly memory: GuestMemory) {}

  /**
   * Builds the signal array, mechanism array and argument list below `sp` on the
   * stack of `mode` and finds the first handler from frame `fp` on. Throws
   * ServiceFault(SS$_ACCVIO) when the stack cannot take them.
   */
  start(
    mode: number,
    sp: number,
    fp: number,
    condition: Status,
    parameters: readonly number[],
    r0: number,
    r1: number,
  ): { dispatch: Dispatch; next: Next } {
    const signalWords = [parameters.length + 1, condition, ...parameters]
    const signal = (sp - 4 * signalWords.length) >>> 0
    const mechanism = (signal - 20) >>> 0
    const argumentList = (mechanism - 12) >>> 0
    this.memory.writeLongwords(
      argumentList,
      [2, signal, mechanism, 4, fp, 0, r0, r1, ...signalWords],
      mode,
    )
    const dispatch: Dispatch = {
      mode,
      signal,
      mechanism,
      argumentList,
      originalSp: sp,
      firstFrame: fp,
      frame: fp,
      depth: -1,
    }
    return { dispatch, next: this.search(dispatch, fp) }
  }

  /** The handler returned SS$_RESIGNAL (or any failure status): try the next frame. */
  resignal(dispatch: Dispatch): Next {
    const caller = this.readFrame(dispatch.frame + 12, dispatch.mode)
    return caller === undefined ? { kind: 'unhandled' } : this.search(dispatch, caller)
  }

  private search(dispatch: Dispatch, from: number): Next {
    let fp = from
    for (let depth = dispatch.depth + 1; depth < MAX_DEPTH && fp !== 0; depth++) {
      const handler = this.readFrame(fp, dispatch.mode)
      if (handler === undefined) return { kind: 'unhandled' }
      if (handler !== 0) {
        dispatch.frame = fp
        dispatch.depth = depth
        this.memory.writeLongwords(dispatch.mechanism + 4, [fp, depth], dispatch.mode)
        return { kind: 'call', handler }
      }
      const caller = this.readFrame(fp + 12, dispatch.mode)
      if (caller === undefined) return { kind: 'unhandled' }
      fp = caller
    }
    return { kind: 'unhandled' }
  }

  /** Reads the PC and PSL to continue at (a handler may have changed them) and R0, R1. */
  continuation(dispatch: Dispatch): { pc: number; psl: number; r0: number; r1: number } {
    const count = this.memory.read32(dispatch.signal, dispatch.mode)
    const pc = this.memory.read32(dispatch.signal + 4 * (count - 1), dispatch.mode)
    const psl = this.memory.read32(dispatch.signal + 4 * count, dispatch.mode)
    const r0 = this.memory.read32(dispatch.mechanism + 12, dispatch.mode)
    const r1 = this.memory.read32(dispatch.mechanism + 16, dispatch.mode)
    return { pc, psl, r0, r1 }
  }

  /**
   * The call frame `depth` frames out from the dispatch's first frame (12(FP) links),
   * or undefined when the chain ends or cannot be read before it (SS$_INSFRAME).
   */
  frameAt(dispatch: Dispatch, depth: number): number | undefined {
    let fp: number | undefined = dispatch.firstFrame
    for (let i = 0; i < depth && fp !== undefined && fp !== 0; i++)
      fp = this.readFrame(fp + 12, dispatch.mode)
    return fp === 0 ? undefined : fp
  }

  private readFrame(address: number, mode: number): number | undefined {
    try {
      return this.memory.read32(address >>> 0, mode) >>> 0
    } catch (error) {
      if (error instanceof ServiceFault) return undefined
      throw error
    }
  }
}

/** SS$_CONTINUE (the value of SS$_NORMAL): dismiss the condition and go on. */
export function handlerSaysContinue(r0: number): boolean {
  return (r0 & 1) === 1 && r0 !== SS.RESIGNAL
}

/** Longwords an exception pushes before its PC and PSL (VAX SRM exception frames). */
export function exceptionParameters(vector: number): number {
  if (vector === SCB.ACCESS_VIOLATION || vector === SCB.TRANSLATION_NOT_VALID) return 2
  return vector === SCB.ARITHMETIC ? 1 : 0
}

/**
 * The condition an exception signals (book 4.5, Table 4-1) and its signal arguments
 * after the condition: the frame's parameters that VMS passes on, then PC and PSL.
 * `frame` is the exception frame as pushed: parameters, PC, PSL.
 */
export function conditionFor(
  vector: number,
  frame: readonly number[],
): { status: Status; args: number[] } {
  const n = exceptionParameters(vector)
  const pcPsl = [frame[n] as number, frame[n + 1] as number]
  switch (vector) {
    case SCB.ACCESS_VIOLATION:
    case SCB.TRANSLATION_NOT_VALID:
      return { status: SS.ACCVIO, args: [frame[0] as number, frame[1] as number, ...pcPsl] }
    case SCB.ARITHMETIC:
      return {
        status: frame[0] === 2 ? SS.INTDIV : frame[0] === 1 ? SS.INTOVF : SS.ROPRAND,
        args: pcPsl,
      }
    case SCB.RESERVED_OPERAND:
      return { status: SS.ROPRAND, args: pcPsl }
    case SCB.RESERVED_ADDRESSING_MODE:
      return { status: SS.RADRMOD, args: pcPsl }
    case SCB.BREAKPOINT:
      return { status: SS.BREAK, args: pcPsl }
    default:
      return { status: SS.OPCDEC, args: pcPsl }
  }
}
