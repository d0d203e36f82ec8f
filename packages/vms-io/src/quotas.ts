import { SS, type Status } from '@vms/contracts'

/** A process's I/O quota limits (the PQL$_ quotas): DIOLM, BIOLM and BYTLM. */
export interface IoQuotaLimits {
  /** Direct I/O requests outstanding at once. */
  readonly diolm: number
  /** Buffered I/O requests outstanding at once. */
  readonly biolm: number
  /** Bytes of system buffers (and cloned UCBs) at once. */
  readonly bytlm: number
}

/** What is left of them: PCB$W_DIOCNT, PCB$W_BIOCNT, JIB$L_BYTCNT, and JIB$L_BYTLM as reduced by UCB charges. */
export interface IoQuotaState {
  diocnt: number
  biocnt: number
  bytcnt: number
  bytlm: number
}

/**
 * Per-process I/O quotas (book 18.5 step 12, 18.7.3): a request charges DIOCNT or
 * BIOCNT, a system buffer BYTCNT; postprocessing gives them back. A process with no
 * quotas set is unlimited.
 */
export class IoQuotas {
  private readonly states = new Map<number, IoQuotaState>()

  set(pid: number, limits: IoQuotaLimits): void {
    this.states.set(pid, {
      diocnt: limits.diolm,
      biocnt: limits.biolm,
      bytcnt: limits.bytlm,
      bytlm: limits.bytlm,
    })
  }

  get(pid: number): Readonly<IoQuotaState> | undefined {
    const s = this.states.get(pid)
    return s === undefined ? undefined : { ...s }
  }

  delete(pid: number): void {
    this.states.delete(pid)
  }

  /** Charges one request against DIOCNT or BIOCNT: SS$_EXQUOTA when none is left (EXE$SNGLQUOTA). */
  chargeRequest(pid: number, buffered: boolean): Status {
    const s = this.states.get(pid)
    if (s === undefined) return SS.NORMAL
    if (buffered) {
      if (s.biocnt <= 0) return SS.EXQUOTA
      s.biocnt--
    } else {
      if (s.diocnt <= 0) return SS.EXQUOTA
      s.diocnt--
    }
    return SS.NORMAL
  }

  returnRequest(pid: number, buffered: boolean): void {
    const s = this.states.get(pid)
    if (s === undefined) return
    if (buffered) s.biocnt++
    else s.diocnt++
  }

  /** Charges `bytes` of BYTCNT (EXE$BUFFRQUOTA); SS$_EXQUOTA when fewer are left. */
  chargeBytes(pid: number, bytes: number): Status {
    const s = this.states.get(pid)
    if (s === undefined) return SS.NORMAL
    if (s.bytcnt < bytes) return SS.EXQUOTA
    s.bytcnt -= bytes
    return SS.NORMAL
  }

  returnBytes(pid: number, bytes: number): void {
    const s = this.states.get(pid)
    if (s !== undefined) s.bytcnt += bytes
  }

  /** IOC$DEBIT_UCB: a UCB charge lowers both BYTCNT and BYTLM (book 18.4.2 step 7). */
  debitLimit(pid: number, bytes: number): Status {
    const status = this.chargeBytes(pid, bytes)
    const s = this.states.get(pid)
    if (status === SS.NORMAL && s !== undefined) s.bytlm -= bytes
    return status
  }

  /** IOC$CREDIT_UCB: the charge comes back when the UCB is deleted. */
  creditLimit(pid: number, bytes: number): void {
    const s = this.states.get(pid)
    if (s === undefined) return
    s.bytcnt += bytes
    s.bytlm += bytes
  }
}
