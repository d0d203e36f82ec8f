import type { AccessMode } from '@vms/ast'
import {
  type GuestAccess,
  type ItemListEntry,
  readItemList,
  SERVICE_VECTOR,
  SS,
  type Status,
  type SystemService,
  writeItem,
} from '@vms/contracts'
import { State } from '@vms/sched'
import { JPIDEF, SYIDEF } from '@vms/starlet'
import type { ServiceContext } from './system-services'

/** $GETJPI's wildcard: a PID of -1 asks for each process in turn (SS$_NOMOREPROC at the end). */
const WILDCARD = -1

/** JPI$_ and SYI$_ item codes, from STARLET's $JPIDEF and $SYIDEF (one table of values). */
const jpi = (name: string) => JPIDEF.symbols.get(`JPI$_${name}`) as number
const syi = (name: string) => SYIDEF.symbols.get(`SYI$_${name}`) as number

/** What the process-control services need beyond the services' common context. */
export interface ProcessControl {
  /** $SUSPND of a process (the current one leaves the CPU at once). */
  suspend(pid: number, caller: number): Status
  /** $RESUME. */
  resume(pid: number, caller: number): Status
  /** The I/O quotas left of a process and its limits. */
  ioQuotas(pid: number): { diocnt: number; biocnt: number; bytcnt: number; bytlm: number }
  /** AST quota left of a process. */
  astRemaining(pid: number): number
  /** TQEs a process has queued. */
  timersQueued(pid: number): number
  /** The node name $GETSYI and F$GETSYI report. */
  readonly nodeName: string
}

/** The system's node name (SCSNODE), as $GETSYI reports it. */
export const NODE_NAME = 'VAXVMS'

/** The limits a process runs with here (PQL_D... defaults; book 20.3). */
export const PROCESS_LIMITS = { diolm: 18, biolm: 18, bytlm: 8192, astlm: 10, tqelm: 10 } as const

/**
 * Process control and information (book 10-12, 20-22): $DELPRC, $SUSPND, $RESUME,
 * $SCHDWK, $CANWAK, the event-flag waits $WFLOR and $WFLAND, the common event flag
 * cluster services $ASCEFC, $DACEFC and $DLCEFC, and $GETJPI and $GETSYI with item
 * lists. Another process is named by a PID at `pidadr` or a name at `prcnam`, and
 * EXE$NAMPID's checks apply (book 12.2.2: SS$_NONEXPR, SS$_NOPRIV).
 */
export function processServices(x: ServiceContext, control: ProcessControl): SystemService[] {
  const wildcards = new Map<number, number[]>()
  const service = (
    name: (typeof SERVICE_VECTOR)[number]['name'],
    call: (r: {
      pid: number
      mode: number
      arg: (i: number) => number
      guest: GuestAccess
    }) => Status,
  ): SystemService => ({
    name,
    args: SERVICE_VECTOR.find((s) => s.name === name)?.args ?? 0,
    call,
  })

  /** The process a service names (book 12.2.2, EXE$NAMPID); SS$_NONEXPR when none. */
  const target = (caller: number, pidadr: number, prcnam: number, guest: GuestAccess) => {
    if (pidadr !== 0) {
      const pid = guest.read32(pidadr)
      if (pid !== 0) return pid
    }
    if (prcnam !== 0) {
      const name = guest.descriptor(prcnam).toUpperCase()
      return x.processNamed(name)?.pcb.pid ?? 0
    }
    return caller
  }
  /** Writes the target's PID back to `pidadr` (when it was 0: the caller or the named process). */
  const tellPid = (pidadr: number, pid: number, guest: GuestAccess) => {
    if (pidadr !== 0) guest.write32(pidadr, pid)
  }
  /** A quadword time: absolute (positive) or delta (negative), as 100 ns units from now. */
  const readTime = (address: number, guest: GuestAccess): number | undefined => {
    const low = guest.read32(address) >>> 0
    const high = guest.read32(address + 4)
    const time = high * 2 ** 32 + low
    const at = time < 0 ? x.now - time : time
    return Number.isSafeInteger(at) ? at : undefined
  }

  return [
    service('DELPRC', (r) => {
      const pid = target(r.pid, r.arg(0), r.arg(1), r.guest)
      const access = x.scheduler.checkAccess(r.pid, pid)
      if (access !== SS.NORMAL) return access
      tellPid(r.arg(0), pid, r.guest)
      x.deleteProcess(pid, SS.ABORT)
      return SS.NORMAL
    }),
    service('SUSPND', (r) => {
      const pid = target(r.pid, r.arg(0), r.arg(1), r.guest)
      if (r.arg(0) !== 0) r.guest.probeWrite(r.arg(0), 4)
      const status = control.suspend(pid, r.pid)
      if (status === SS.NORMAL) tellPid(r.arg(0), pid, r.guest)
      return status
    }),
    service('RESUME', (r) => {
      const pid = target(r.pid, r.arg(0), r.arg(1), r.guest)
      if (r.arg(0) !== 0) r.guest.probeWrite(r.arg(0), 4)
      const status = control.resume(pid, r.pid)
      if (status === SS.NORMAL) tellPid(r.arg(0), pid, r.guest)
      return status
    }),
    service('SCHDWK', (r) => {
      const pid = target(r.pid, r.arg(0), r.arg(1), r.guest)
      const at = readTime(r.arg(2), r.guest)
      const repeat = r.arg(3) === 0 ? 0 : readTime(r.arg(3), r.guest)
      if (at === undefined || repeat === undefined) return SS.IVTIME
      const interval = r.arg(3) === 0 ? 0 : repeat - x.now
      if (r.arg(0) !== 0) r.guest.probeWrite(r.arg(0), 4)
      const status = x.timers.scheduleWakeup(pid, at, Math.max(0, interval), {
        caller: r.pid,
        mode: r.mode as AccessMode,
      })
      if (status === SS.NORMAL) tellPid(r.arg(0), pid, r.guest)
      return status
    }),
    service('CANWAK', (r) => {
      const pid = target(r.pid, r.arg(0), r.arg(1), r.guest)
      return x.timers.cancelWakeup(pid, { caller: r.pid, mode: r.mode as AccessMode })
    }),
    service('WFLOR', (r) => x.waitInService(r.pid, x.flags.waitForAny(r.pid, r.arg(0), r.arg(1)))),
    service('WFLAND', (r) => x.waitInService(r.pid, x.flags.waitForAll(r.pid, r.arg(0), r.arg(1)))),
    service('ASCEFC', (r) =>
      x.flags.associate(r.pid, r.arg(0), r.guest.descriptor(r.arg(1)), r.arg(3) !== 0),
    ),
    service('DACEFC', (r) => x.flags.disassociate(r.pid, r.arg(0))),
    service('DLCEFC', (r) => x.flags.deleteCluster(r.pid, r.guest.descriptor(r.arg(0)))),
    service('GETJPI', (r) => {
      const cleared = x.flags.clearFlag(r.pid, r.arg(0))
      if (cleared !== SS.WASSET && cleared !== SS.WASCLR) return cleared
      const pidadr = r.arg(1)
      let pid: number
      if (pidadr !== 0 && r.guest.read32(pidadr) === WILDCARD) {
        // A new wildcard search: every process but the null process, in PID order.
        const pids = x.scheduler
          .processes()
          .map((p) => p.pid)
          .filter((p) => p !== 0)
          .sort((a, b) => a - b)
        wildcards.set(r.pid, pids)
      }
      const pending = pidadr !== 0 ? wildcards.get(r.pid) : undefined
      const wildcard = pending !== undefined && pidadr !== 0
      if (wildcard) {
        const current = r.guest.read32(pidadr)
        const next = pending.find((p) => current === WILDCARD || p > current)
        if (next === undefined) {
          wildcards.delete(r.pid)
          return SS.NOMOREPROC
        }
        pid = next
      } else pid = target(r.pid, pidadr, r.arg(2), r.guest)
      if (x.process(pid) === undefined) return SS.NONEXPR
      const access = wildcard ? SS.NORMAL : x.scheduler.checkAccess(r.pid, pid)
      if (access !== SS.NORMAL) return access
      const items = readItemList(r.guest, r.arg(3))
      if (typeof items === 'number') return items
      if (r.arg(4) !== 0) r.guest.probeWrite(r.arg(4), 8)
      if (pidadr !== 0) r.guest.probeWrite(pidadr, 4)
      const values = items.map((item) => jobProcessItem(x, control, pid, item.code))
      if (values.includes(undefined)) return SS.BADPARAM
      const status = writeItems(r.guest, items, values as Uint8Array[])
      tellPid(pidadr, pid, r.guest)
      return complete(x, r, status)
    }),
    service('GETSYI', (r) => {
      const cleared = x.flags.clearFlag(r.pid, r.arg(0))
      if (cleared !== SS.WASSET && cleared !== SS.WASCLR) return cleared
      if (r.arg(2) !== 0) {
        const node = r.guest.descriptor(r.arg(2)).replace(/::$/, '').toUpperCase()
        if (node !== control.nodeName) return SS.NOSUCHNODE
      }
      const items = readItemList(r.guest, r.arg(3))
      if (typeof items === 'number') return items
      if (r.arg(4) !== 0) r.guest.probeWrite(r.arg(4), 8)
      const values = items.map((item) => systemItem(control, item.code))
      if (values.includes(undefined)) return SS.BADPARAM
      return complete(x, r, writeItems(r.guest, items, values as Uint8Array[]))
    }),
  ]
}

/** The items written (SS$_BUFFEROVF when one was cut: the others are written in full). */
function writeItems(
  guest: GuestAccess,
  items: readonly ItemListEntry[],
  values: readonly Uint8Array[],
): Status {
  let status: Status = SS.NORMAL
  items.forEach((item, i) => {
    if (!writeItem(guest, item, values[i] as Uint8Array)) status = SS.BUFFEROVF
  })
  return status
}

/** An information service completes at once: IOSB, event flag, AST (as $GETDVI does). */
function complete(
  x: ServiceContext,
  r: { pid: number; mode: number; arg: (i: number) => number; guest: GuestAccess },
  status: Status,
): Status {
  if (r.arg(4) !== 0) {
    const iosb = new Uint8Array(8)
    new DataView(iosb.buffer).setUint32(0, status, true)
    r.guest.write(r.arg(4), iosb)
  }
  x.flags.setFlag(r.pid, r.arg(0))
  if (r.arg(5) !== 0)
    x.asts.queue({ pid: r.pid, mode: r.mode as AccessMode, routine: r.arg(5), parameter: r.arg(6) })
  return status
}

const longword = (value: number) => {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setUint32(0, value >>> 0, true)
  return b
}
const text = (value: string) => new Uint8Array(Buffer.from(value, 'latin1'))

/** One $GETJPI item of process `pid` (System Services Reference Manual, $GETJPI). */
function jobProcessItem(
  x: ServiceContext,
  control: ProcessControl,
  pid: number,
  code: number,
): Uint8Array | undefined {
  const process = x.process(pid)
  if (process === undefined) return undefined
  const pcb = process.pcb
  const state = pid === x.scheduler.current.pid ? State.CUR : pcb.state
  const io = control.ioQuotas(pid)
  switch (code) {
    case jpi('PID'):
      return longword(pid)
    case jpi('PRCNAM'):
      return text(pcb.name)
    case jpi('USERNAME'):
      return text('SYSTEM'.padEnd(12))
    case jpi('TERMINAL'):
      return text('OPA0:')
    case jpi('STATE'):
      return longword(state)
    case jpi('PRI'):
      return longword(pcb.priority)
    case jpi('PRIB'):
      return longword(pcb.basePriority)
    case jpi('OWNER'):
      return longword(pcb.owner)
    case jpi('UIC'):
      return longword((pcb.group << 16) | pcb.member)
    case jpi('GRP'):
      return longword(pcb.group)
    case jpi('ASTCNT'):
      return longword(control.astRemaining(pid))
    case jpi('ASTLM'):
      return longword(PROCESS_LIMITS.astlm)
    case jpi('BIOCNT'):
      return longword(io.biocnt)
    case jpi('BIOLM'):
      return longword(PROCESS_LIMITS.biolm)
    case jpi('DIOCNT'):
      return longword(io.diocnt)
    case jpi('DIOLM'):
      return longword(PROCESS_LIMITS.diolm)
    case jpi('BYTCNT'):
      return longword(io.bytcnt)
    case jpi('BYTLM'):
      return longword(io.bytlm)
    case jpi('TQCNT'):
      return longword(PROCESS_LIMITS.tqelm - control.timersQueued(pid))
    case jpi('TQLM'):
      return longword(PROCESS_LIMITS.tqelm)
    case jpi('EFCS'):
      return longword(pcb.localFlags[0] ?? 0)
    case jpi('EFCU'):
      return longword(pcb.localFlags[1] ?? 0)
    case jpi('PRCCNT'):
      return longword(x.scheduler.processes().filter((p) => p.owner === pid).length)
    case jpi('JOBPRCCNT'):
      return longword(x.scheduler.processes().filter((p) => p.job === pcb.job).length - 1)
    case JPI_CPUTIM:
      return longword(pcb.cpuTicks)
    default:
      return undefined
  }
}

/** JPI$_CPUTIM (10 ms ticks of CPU time; the manual's code ^X407). */
const JPI_CPUTIM = 0x407

/** One $GETSYI item (System Services Reference Manual, $GETSYI). */
function systemItem(control: ProcessControl, code: number): Uint8Array | undefined {
  switch (code) {
    case syi('VERSION'):
      return text('V4.4-TS ')
    case syi('SID'):
      return longword(0x0a000006) // the KA655's system identification register
    case syi('NODENAME'):
      return text(control.nodeName)
    case syi('HW_MODEL'):
      return longword(1002) // a MicroVAX 3900 (KA655)
    case syi('HW_NAME'):
      return text('MicroVAX 3900 Series')
    default:
      return undefined
  }
}
