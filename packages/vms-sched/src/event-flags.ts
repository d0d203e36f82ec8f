import { PriorityClass, SS, type Status } from '@vms/contracts'
import { type Pcb, State } from './pcb'
import type { Scheduler } from './scheduler'

/** A common event flag cluster (CEB, book 12.1.2, Figure 12-2). */
interface CommonCluster {
  readonly name: string
  readonly group: number
  flags: number
  /** Processes associated with it. */
  readonly members: Set<number>
  readonly permanent: boolean
}

/**
 * Event flags (book 12.1): local clusters 0 (flags 0-31) and 1 (32-63) in the PCB,
 * common clusters 2 (64-95) and 3 (96-127) shared by name within a UIC group after
 * $ASCEFC. Waits ($WAITFR, $WFLOR, $WFLAND) put the process in LEF or CEF; setting a
 * flag makes every waiter whose condition is now true computable.
 */
export class EventFlags {
  private readonly clusters = new Map<string, CommonCluster>()
  /** pid -> [cluster 2, cluster 3]. */
  private readonly associations = new Map<
    number,
    [CommonCluster | undefined, CommonCluster | undefined]
  >()

  constructor(private readonly scheduler: Scheduler) {}

  /** Cluster number 0-3 for an event flag number, or -1 when out of range. */
  static clusterOf(efn: number): number {
    return Number.isInteger(efn) && efn >= 0 && efn <= 127 ? efn >> 5 : -1
  }

  private common(pid: number, cluster: number): CommonCluster | undefined {
    return this.associations.get(pid)?.[cluster - 2]
  }

  /** Reads a whole cluster: its flags, or a status (SS$_ILLEFC, SS$_UNASEFC, SS$_NONEXPR). */
  private cluster(pid: number, efn: number): { pcb: Pcb; cluster: number; flags: number } | Status {
    const pcb = this.scheduler.process(pid)
    if (pcb === undefined) return SS.NONEXPR
    const cluster = EventFlags.clusterOf(efn)
    if (cluster < 0) return SS.ILLEFC
    if (cluster < 2) return { pcb, cluster, flags: pcb.localFlags[cluster] as number }
    const ceb = this.common(pid, cluster)
    if (ceb === undefined) return SS.UNASEFC
    return { pcb, cluster, flags: ceb.flags }
  }

  private store(pcb: Pcb, cluster: number, flags: number): void {
    if (cluster < 2) pcb.localFlags[cluster] = flags
    else (this.common(pcb.pid, cluster) as CommonCluster).flags = flags
  }

  /** $SETEF: sets a flag; SS$_WASSET or SS$_WASCLR. Waiters now satisfied become computable. */
  setFlag(pid: number, efn: number, priorityClass: PriorityClass = PriorityClass.NULL): Status {
    const c = this.cluster(pid, efn)
    if (typeof c === 'number') return c
    const bit = 1 << (efn & 31)
    const was = (c.flags & bit) !== 0
    this.store(c.pcb, c.cluster, c.flags | bit)
    this.wakeWaiters(c.pcb, c.cluster, priorityClass)
    return was ? SS.WASSET : SS.WASCLR
  }

  /** $CLREF: clears a flag; SS$_WASSET or SS$_WASCLR. */
  clearFlag(pid: number, efn: number): Status {
    const c = this.cluster(pid, efn)
    if (typeof c === 'number') return c
    const bit = 1 << (efn & 31)
    this.store(c.pcb, c.cluster, c.flags & ~bit)
    return c.flags & bit ? SS.WASSET : SS.WASCLR
  }

  /** $READEF: the flag's status and the whole cluster's flags. */
  readFlags(pid: number, efn: number): { status: Status; flags?: number } {
    const c = this.cluster(pid, efn)
    if (typeof c === 'number') return { status: c }
    return { status: c.flags & (1 << (efn & 31)) ? SS.WASSET : SS.WASCLR, flags: c.flags >>> 0 }
  }

  /** $WAITFR: waits until the flag is set (at once if it is). */
  waitForFlag(pid: number, efn: number): Status {
    return this.waitFor(pid, efn, (1 << (efn & 31)) >>> 0, false)
  }

  /** $WFLOR: waits until any flag of `mask` in efn's cluster is set. */
  waitForAny(pid: number, efn: number, mask: number): Status {
    return this.waitFor(pid, efn, mask >>> 0, false)
  }

  /** $WFLAND: waits until every flag of `mask` in efn's cluster is set. */
  waitForAll(pid: number, efn: number, mask: number): Status {
    return this.waitFor(pid, efn, mask >>> 0, true)
  }

  private waitFor(pid: number, efn: number, mask: number, all: boolean): Status {
    const c = this.cluster(pid, efn)
    if (typeof c === 'number') return c
    if (satisfied(c.flags, mask, all)) return SS.NORMAL
    if (c.pcb !== this.scheduler.current) return SS.NORMAL
    c.pcb.waitCluster = c.cluster
    c.pcb.waitMask = mask
    c.pcb.waitAll = all
    this.scheduler.wait(c.cluster < 2 ? State.LEF : State.CEF)
    return SS.NORMAL
  }

  private wakeWaiters(setter: Pcb, cluster: number, priorityClass: PriorityClass): void {
    if (cluster < 2) {
      this.wakeIfSatisfied(setter, cluster, setter.localFlags[cluster] as number, priorityClass)
      return
    }
    // A common cluster may be cluster 2 for one member and cluster 3 for another.
    const ceb = this.common(setter.pid, cluster) as CommonCluster
    for (const pid of ceb.members) {
      const p = this.scheduler.process(pid)
      if (p !== undefined && p.state === State.CEF && this.common(pid, p.waitCluster) === ceb) {
        this.wakeIfSatisfied(p, p.waitCluster, ceb.flags, priorityClass)
      }
    }
  }

  private wakeIfSatisfied(
    p: Pcb,
    cluster: number,
    flags: number,
    priorityClass: PriorityClass,
  ): void {
    const inWait =
      cluster < 2 ? p.state === State.LEF || p.state === State.LEFO : p.state === State.CEF
    if (!inWait || p.waitCluster !== cluster || !satisfied(flags, p.waitMask, p.waitAll)) return
    p.waitCluster = -1
    this.scheduler.reportSystemEvent(p.pid, 'EVENT_FLAG', priorityClass)
  }

  /**
   * $ASCEFC: associates cluster 2 or 3 (by efn 64-127) with the named common cluster of
   * the process's group, creating it if needed. SS$_ILLEFC for a local efn.
   */
  associate(pid: number, efn: number, name: string, permanent = false): Status {
    const pcb = this.scheduler.process(pid)
    if (pcb === undefined) return SS.NONEXPR
    const cluster = EventFlags.clusterOf(efn)
    if (cluster < 2) return SS.ILLEFC
    if (!/^[A-Za-z0-9$_]{1,15}$/.test(name)) return SS.IVLOGNAM
    this.disassociate(pid, efn)
    const key = `${pcb.group}:${name.toUpperCase()}`
    let ceb = this.clusters.get(key)
    if (ceb === undefined) {
      ceb = { name: name.toUpperCase(), group: pcb.group, flags: 0, members: new Set(), permanent }
      this.clusters.set(key, ceb)
    }
    ceb.members.add(pid)
    const pair = this.associations.get(pid) ?? [undefined, undefined]
    pair[cluster - 2] = ceb
    this.associations.set(pid, pair)
    return SS.NORMAL
  }

  /** $DACEFC: ends the association; a temporary cluster no one uses is deleted. */
  disassociate(pid: number, efn: number): Status {
    const cluster = EventFlags.clusterOf(efn)
    if (cluster < 2) return SS.ILLEFC
    const pair = this.associations.get(pid)
    const ceb = pair?.[cluster - 2]
    if (pair === undefined || ceb === undefined) return SS.NORMAL
    pair[cluster - 2] = undefined
    ceb.members.delete(pid)
    if (ceb.members.size === 0 && !ceb.permanent) this.clusters.delete(`${ceb.group}:${ceb.name}`)
    return SS.NORMAL
  }
}

function satisfied(flags: number, mask: number, all: boolean): boolean {
  return all ? (flags & mask) >>> 0 === mask : (flags & mask) !== 0
}
