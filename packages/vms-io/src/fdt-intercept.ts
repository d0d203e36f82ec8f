import { SS, type Status } from '@vms/contracts'
import { functionBit, functionCode } from './constants'
import type { CancelReason, FdtRoutine } from './driver'
import type { Dpt, Irp } from './structures'

/**
 * What `IoSystem.stealFdt` is told besides the routine: what to do when a request the
 * intercept holds is canceled ($CANCEL, $DASSGN, process rundown). The I/O system has
 * already taken the IRP from the intercept and completes it with SS$_CANCEL; the
 * callback lets the intercept forget it (and let its process out of RWAST).
 */
export interface StealFdtOptions {
  onCancel?(irp: Irp, reason: CancelReason): void
}

/**
 * Replacement FDT entries installed ahead of a loaded driver's own (the seed note "How
 * to Add your Own ACPs ahead of the DEC ones": the ACP's routine address is written
 * into the driver's FDT in place of the DEC routine, which is kept so that the request
 * can go on through it). The intercept routine is an ordinary FDT routine; when it
 * returns `{ kind: 'hold' }` the IRP stays here until `continueWith` or `complete`.
 */
export interface FdtIntercept {
  /** The driver (DPT name) whose FDT entries were taken. */
  readonly driverName: string
  /** The function codes taken. */
  readonly codes: readonly number[]
  /** The driver's own routine of each code taken (undefined: the driver had none). */
  readonly originals: ReadonlyMap<number, FdtRoutine | undefined>
  /** The requests held now, oldest first. */
  held(): Irp[]
  /**
   * Goes on with a held request through the driver's own FDT routine, as the
   * intercept's special kernel AST does in the requester's context (the seed note:
   * "continue the FDT chain with the original request"). What that routine decides is
   * carried out as $QIO would: queued to the driver, finished, or (refused now that
   * $QIO has returned) completed with its status. SS$_BADPARAM, and nothing changes,
   * for an IRP this intercept does not hold.
   */
  continueWith(irp: Irp): Status
  /**
   * Ends a held request with `status` (an error when the daemon is gone) through I/O
   * postprocessing: IOSB, event flag, AST, quotas back. SS$_BADPARAM for an IRP this
   * intercept does not hold.
   */
  complete(irp: Irp, status: Status): Status
  /**
   * Puts the driver's own entries back (and takes out codes the driver did not have).
   * SS$_DEVACTIVE while requests are held (complete or continue them first); SS$_NORMAL
   * if it was restored already.
   */
  restore(): Status
}

/** An installed intercept's requests and options, as the I/O system keeps them. */
export interface InterceptState {
  readonly held: Set<Irp>
  readonly options: StealFdtOptions
}

/** What installing an intercept needs from the I/O system. */
export interface InterceptHost {
  /** Every installed intercept (the I/O system cancels their held requests too). */
  readonly intercepts: Set<InterceptState>
  /** `DRIVER:code` of each FDT entry an intercept has taken. */
  readonly stolen: Set<string>
  /** Carries a held request on through the driver's own FDT routine, as $QIO would. */
  continueWith(irp: Irp, original: FdtRoutine): void
  /** Ends a request with `status` through I/O postprocessing. */
  complete(irp: Irp, status: Status): void
}

/**
 * `IoSystem.stealFdt` once the driver is found: checks the codes (0-63, distinct, at
 * least one, none held by another intercept: SS$_BADPARAM and nothing changes), then
 * puts `routine` in the FDT in place of the driver's entries, keeping them.
 */
export function installIntercept(
  dpt: Dpt,
  codes: readonly number[],
  routine: FdtRoutine,
  options: StealFdtOptions,
  host: InterceptHost,
): { status: Status; intercept?: FdtIntercept } {
  const fdt = dpt.fdt
  const valid = codes.every((c) => Number.isInteger(c) && c >= 0 && c <= 63)
  if (!valid || codes.length === 0 || new Set(codes).size !== codes.length)
    return { status: SS.BADPARAM }
  if (codes.some((c) => host.stolen.has(`${dpt.name}:${c}`))) return { status: SS.BADPARAM }
  const originals = new Map<number, FdtRoutine | undefined>()
  const legalBefore = fdt.legal
  const state = { held: new Set<Irp>(), options }
  const installed: FdtRoutine = (irp, ucb, context, services) => {
    const result = routine(irp, ucb, context, services)
    if (result.kind === 'hold') state.held.add(irp)
    return result
  }
  for (const c of codes) {
    originals.set(c, fdt.routines.get(c))
    fdt.routines.set(c, installed)
    fdt.legal |= functionBit(c)
    host.stolen.add(`${dpt.name}:${c}`)
  }
  host.intercepts.add(state)
  let restored = false
  const intercept: FdtIntercept = {
    driverName: dpt.name,
    codes: [...codes],
    originals,
    held: () => [...state.held],
    continueWith: (irp) => {
      if (!state.held.has(irp)) return SS.BADPARAM
      state.held.delete(irp)
      const original = originals.get(functionCode(irp.func))
      if (original === undefined) host.complete(irp, SS.ILLIOFUNC)
      else host.continueWith(irp, original)
      return SS.NORMAL
    },
    complete: (irp, status) => {
      if (!state.held.has(irp)) return SS.BADPARAM
      state.held.delete(irp)
      host.complete(irp, status)
      return SS.NORMAL
    },
    restore: () => {
      if (restored) return SS.NORMAL
      if (state.held.size > 0) return SS.DEVACTIVE
      for (const [c, original] of originals) {
        if (original === undefined) fdt.routines.delete(c)
        else fdt.routines.set(c, original)
        host.stolen.delete(`${dpt.name}:${c}`)
      }
      fdt.legal = legalBefore
      host.intercepts.delete(state)
      restored = true
      return SS.NORMAL
    },
  }
  return { status: SS.NORMAL, intercept }
}
