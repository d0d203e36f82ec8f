import type { Status } from '@vms/contracts'
import type { CancelReason, FdtRoutine } from './driver'
import type { Irp } from './structures'

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
