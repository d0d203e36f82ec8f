import { type DynamicMemory, statusName } from '@vms/contracts'
import { LCK, type LockMode, MODE_NAMES } from '../lck'
import { type EnqRequest, LockManager, type LockManagerOptions } from '../lock-manager'

/** A lock manager whose requests are labelled strings and whose notices are recorded. */
export class Harness {
  readonly events: string[] = []
  readonly lm: LockManager<string>
  readonly ids = new Map<string, number>()

  constructor(
    options: Partial<Omit<LockManagerOptions<string>, 'notify'>> & { memory?: DynamicMemory } = {},
  ) {
    this.lm = new LockManager<string>({
      notify: {
        completion: (e) =>
          this.events.push(
            `${e.request}: ${statusName(e.status) ?? e.status}${e.granted ? ` ${MODE_NAMES[e.mode]}` : ''}`,
          ),
        blocking: (e) => this.events.push(`${e.request}: blocking ${MODE_NAMES[e.blockedMode]}`),
      },
      deadlockWait: 10,
      ...options,
    })
    for (const pid of [1, 2, 3, 4, 5, 6, 7, 8]) this.lm.addOwner(pid, { group: 1 })
  }

  /** $ENQ of a new lock labelled `label`; returns R0's name. */
  enq(
    label: string,
    pid: number,
    resource: string,
    mode: LockMode,
    flags = 0,
    extra: Partial<EnqRequest<string>> = {},
  ): string {
    const r = this.lm.enq({
      pid,
      mode,
      flags,
      resource,
      request: label,
      blockingAst: true,
      ...extra,
    })
    if (r.lockId !== 0) this.ids.set(label, r.lockId)
    return statusName(r.status) ?? String(r.status)
  }

  /** $ENQ converting the lock labelled `label`. */
  convert(
    label: string,
    mode: LockMode,
    flags = 0,
    extra: Partial<EnqRequest<string>> = {},
  ): string {
    const pid = this.pidOf(label)
    const r = this.lm.enq({
      pid,
      mode,
      flags: flags | LCK.M_CONVERT,
      lockId: this.id(label),
      request: label,
      blockingAst: true,
      ...extra,
    })
    return statusName(r.status) ?? String(r.status)
  }

  deq(label: string, extra: { valueBlock?: Uint8Array; flags?: number } = {}): string {
    return (
      statusName(this.lm.deq({ pid: this.pidOf(label), lockId: this.id(label), ...extra })) ?? ''
    )
  }

  id(label: string): number {
    return this.ids.get(label) ?? 0
  }

  pidOf(label: string): number {
    const lkb = this.lm.lookup(this.id(label))
    return lkb?.owner.pid ?? 0
  }

  /** Granted mode and queue of a lock: `EX granted`, `PR converting to EX`, `waiting for EX`, `gone`. */
  stateOf(label: string): string {
    const lkb = this.lm.lookup(this.id(label))
    if (lkb === undefined) return 'gone'
    if (lkb.state === 1) return `${MODE_NAMES[lkb.grmode]} granted`
    if (lkb.state === 0) return `${MODE_NAMES[lkb.grmode]} converting to ${MODE_NAMES[lkb.rqmode]}`
    return `waiting for ${MODE_NAMES[lkb.rqmode]}`
  }

  /** Events since the last call. */
  take(): string[] {
    return this.events.splice(0)
  }
}
