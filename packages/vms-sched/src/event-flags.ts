import { PriorityClass, SS, type Status } from '@vms/contracts'
import { type Pcb, State } from './pcb'
import type { Scheduler } from './scheduler'

/** A common event flag cluster (CEB, book 12.1.2, Figure 12-2). */
interface CommonCluster {
  /** CEB$T_EFCNAM. */
  readonly name: string
  /** CEB$W_GRP. */
  readonly group: number
  flags: number
  /** Processes associated with it (through cluster 2, 3 or both). */
  readonly members: Set<number>
  /** CEB$W_REFC: associations, one per process and cluster number. */
  references: number
  /** CEB$V_PERM: kept with no associations until $DLCEFC. */
  permanent: boolean
}

/** What `clusterInfo` reports about a common event flag cluster. */
export interface ClusterInfo {
  readonly name: string
  readonly group: number
  readonly flags: number
  readonly references: number
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
   * $ASCEFC (EXE$ASCEFC, book 12.1.2): associates cluster 2 or 3 (by efn 64-127) with
   * the named common cluster of the process's UIC group, creating it if there is none;
   * a new cluster is permanent (CEB$V_PERM) if `permanent` is asked for, which needs
   * the PRMCEB privilege (SS$_NOPRIV, Table 12-1). Each association counts in the
   * reference count (CEB$W_REFC). A cluster number already associated with another
   * cluster is first dissociated from it. SS$_ILLEFC for a local efn, SS$_IVLOGNAM for
   * a bad name; nothing changes then.
   */
  associate(pid: number, efn: number, name: string, permanent = false): Status {
    const pcb = this.scheduler.process(pid)
    if (pcb === undefined) return SS.NONEXPR
    const cluster = EventFlags.clusterOf(efn)
    if (cluster < 2) return SS.ILLEFC
    if (!validName(name)) return SS.IVLOGNAM
    const key = clusterKey(pcb.group, name)
    let ceb = this.clusters.get(key)
    if (ceb === undefined && permanent && !pcb.privileges.has('PRMCEB')) return SS.NOPRIV
    if (ceb !== undefined && this.common(pid, cluster) === ceb) return SS.NORMAL
    this.disassociate(pid, efn)
    if (ceb === undefined) {
      ceb = {
        name: name.toUpperCase(),
        group: pcb.group,
        flags: 0,
        members: new Set(),
        references: 0,
        permanent,
      }
      this.clusters.set(key, ceb)
    }
    ceb.members.add(pid)
    ceb.references++
    const pair = this.associations.get(pid) ?? [undefined, undefined]
    pair[cluster - 2] = ceb
    this.associations.set(pid, pair)
    return SS.NORMAL
  }

  /**
   * $DACEFC (EXE$DACEFC, book 12.1.2): ends the association of cluster 2 or 3 and
   * decrements the reference count; a temporary cluster whose count reaches zero is
   * deleted, and so is a permanent one that $DLCEFC has marked for deletion.
   */
  disassociate(pid: number, efn: number): Status {
    const cluster = EventFlags.clusterOf(efn)
    if (cluster < 2) return SS.ILLEFC
    const pair = this.associations.get(pid)
    const ceb = pair?.[cluster - 2]
    if (pair === undefined || ceb === undefined) return SS.NORMAL
    pair[cluster - 2] = undefined
    if (pair[0] !== ceb && pair[1] !== ceb) ceb.members.delete(pid)
    if (pair[0] === undefined && pair[1] === undefined) this.associations.delete(pid)
    ceb.references--
    this.deleteIfUnused(ceb)
    return SS.NORMAL
  }

  /**
   * $DLCEFC (EXE$DLCEFC, book 12.1.2): marks the named permanent cluster of the
   * caller's group for deletion by clearing CEB$V_PERM; it goes at once if no process
   * is associated with it, else when the last one dissociates. Needs PRMCEB
   * (SS$_NOPRIV, Table 12-1); SS$_IVLOGNAM for a bad name. A name with no cluster is
   * SS$_NORMAL, and nothing changes.
   */
  deleteCluster(pid: number, name: string): Status {
    const pcb = this.scheduler.process(pid)
    if (pcb === undefined) return SS.NONEXPR
    if (!validName(name)) return SS.IVLOGNAM
    if (!pcb.privileges.has('PRMCEB')) return SS.NOPRIV
    const ceb = this.clusters.get(clusterKey(pcb.group, name))
    if (ceb === undefined) return SS.NORMAL
    ceb.permanent = false
    this.deleteIfUnused(ceb)
    return SS.NORMAL
  }

  /**
   * Process rundown: dissociates clusters 2 and 3 (EXE$RUNDWN requests $DACEFC, book
   * 21.3 step 15), so that a deleted process does not keep a temporary cluster alive.
   */
  deleteProcess(pid: number): void {
    this.disassociate(pid, 64)
    this.disassociate(pid, 96)
  }

  /** The named cluster of a UIC group, for inspection (undefined when there is none). */
  clusterInfo(group: number, name: string): ClusterInfo | undefined {
    const ceb = this.clusters.get(clusterKey(group, name))
    if (ceb === undefined) return undefined
    const { flags, references, permanent } = ceb
    return { name: ceb.name, group: ceb.group, flags: flags >>> 0, references, permanent }
  }

  private deleteIfUnused(ceb: CommonCluster): void {
    if (ceb.references === 0 && !ceb.permanent)
      this.clusters.delete(clusterKey(ceb.group, ceb.name))
  }
}

/** A cluster name: 1 to 15 characters of letters, digits, $ and _. */
function validName(name: string): boolean {
  return /^[A-Za-z0-9$_]{1,15}$/.test(name)
}

function clusterKey(group: number, name: string): string {
  return `${group}:${name.toUpperCase()}`
}

function satisfied(flags: number, mask: number, all: boolean): boolean {
  return all ? (flags & mask) >>> 0 === mask : (flags & mask) !== 0
}
