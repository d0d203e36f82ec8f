import type { ItemValue } from '@vms/dcl'
import { formatNonpagedPoolStatistics } from '@vms/pool'
import { STATE_NAMES, State } from '@vms/sched'
import { RSN_ASTWAIT, type VmsSystem } from './executive'
import { hex } from './hex'

/** The node name SHOW SYSTEM, CTRL/T and F$GETSYI("NODENAME") give. */
export const NODE_NAME = 'VAXVMS'
/** The user the console works for (F$GETJPI("","USERNAME"), CTRL/T). */
export const USER_NAME = 'SYSTEM'

type Entry = ReturnType<VmsSystem['list']>[number]

/** 0 00:00:01.23 (days, hours, minutes, seconds), as VMS shows CPU time. */
export function formatTime(seconds: number): string {
  const hundredths = Math.round(seconds * 100)
  const s = Math.floor(hundredths / 100)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${Math.floor(s / 86400)} ${pad(Math.floor(s / 3600) % 24)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad(hundredths % 100)}`
}

/** A process's state as SHOW SYSTEM names it: CUR, COM, LEF, HIB, SUSP, RWAST... */
export function stateName(system: VmsSystem, entry: Entry): string {
  const { pcb } = entry
  if (pcb.pid === system.scheduler.current.pid) return 'CUR'
  if (pcb.state === State.MWAIT && pcb.waitResource === RSN_ASTWAIT) return 'RWAST'
  return STATE_NAMES[pcb.state]
}

/** One process by PID (the null process included), or undefined. */
export function processEntry(system: VmsSystem, pid: number): Entry | undefined {
  return system.list().find((p) => p.pcb.pid === pid)
}

/**
 * SHOW SYSTEM (DCL Dictionary): a line per process with its PID, name, state, current
 * priority, I/O count and CPU time; /FULL adds a line with the base priority, the owner
 * (the creator of a subprocess), the job and the physical pages the process holds.
 */
export function showSystem(system: VmsSystem, full: boolean): string[] {
  const lines = [
    `VAX/VMS in TypeScript on node ${NODE_NAME}  uptime ${formatTime(system.now / 1e7)}  (virtual time)`,
    '  Pid    Process Name    State  Pri      I/O       CPU',
  ]
  for (const entry of system.list()) {
    const { pcb, process } = entry
    lines.push(
      `${hex(pcb.pid)} ${pcb.name.padEnd(15)} ${stateName(system, entry).padEnd(6)}${String(pcb.priority).padStart(3)}${String(process?.ioCount ?? 0).padStart(9)}   ${formatTime(pcb.cpuTicks / 100)}`,
    )
    if (full)
      lines.push(
        `         Base priority ${pcb.basePriority}  Owner ${hex(pcb.owner)}  Job ${hex(pcb.job)}  Pages ${process?.frames.length ?? 0}`,
      )
  }
  return lines
}

/**
 * SHOW PROCESS (DCL Dictionary): the process's identification and its scheduling and
 * memory figures. The console itself is no VAX process; without /IDENTIFICATION it
 * shows the image it runs or CTRL/Y interrupted, else says there is none.
 */
export function showProcess(system: VmsSystem, entry: Entry, now: string): string[] {
  const { pcb, process } = entry
  return [
    '',
    `${now}   User: ${USER_NAME.padEnd(12)}   Process ID:   ${hex(pcb.pid)}`,
    `${' '.repeat(now.length)}   Node: ${NODE_NAME.padEnd(12)}   Process name: "${pcb.name}"`,
    '',
    `Terminal:           OPA0:`,
    `User Identifier:    [${USER_NAME}]`,
    `Base priority:      ${pcb.basePriority}`,
    `Current priority:   ${pcb.priority}`,
    `State:              ${stateName(system, entry)}`,
    `Owner:              ${hex(pcb.owner)}`,
    `CPU time:           ${formatTime(pcb.cpuTicks / 100)}`,
    `Direct I/O:         ${process?.ioCount ?? 0}`,
    `Physical pages:     ${process?.frames.length ?? 0}`,
    '',
  ]
}

/**
 * SHOW PROCESS at the prompt with no image: the console's own identification (it is no
 * VAX process: PID 00000000, user SYSTEM, on OPA0:).
 */
export function showConsoleProcess(now: string): string[] {
  return [
    '',
    `${now}   User: ${USER_NAME.padEnd(12)}   Process ID:   00000000`,
    `${' '.repeat(now.length)}   Node: ${NODE_NAME.padEnd(12)}   Process name: "${USER_NAME}"`,
    '',
    `Terminal:           OPA0:`,
    `User Identifier:    [${USER_NAME}]`,
    'Image:              none (the console itself; RUN starts one)',
    '',
  ]
}

/** SHOW MEMORY [/POOL]: physical pages and the nonpaged pool's statistics. */
export function showMemory(system: VmsSystem, poolOnly: boolean): string[] {
  const frames = system.framesInUse()
  const lines: string[] = []
  if (!poolOnly) {
    lines.push('Physical Memory Usage (pages):     Total        Free      In Use')
    lines.push(
      `  Main Memory              ${String(frames.total).padStart(14)}${String(frames.free).padStart(12)}${String(frames.total - frames.free).padStart(12)}`,
    )
    lines.push('')
  }
  lines.push(...formatNonpagedPoolStatistics(system.pool.statistics()).split('\n'))
  return lines
}

/**
 * CTRL/T (DCL: SET CONTROL=T): one line on the current image, in VMS's form
 * `NODE::USER hh:mm:ss NAME CPU=hh:mm:ss.cc PF=n IO=n MEM=n`. Page faults are 0: the
 * system does not page.
 */
export function controlT(system: VmsSystem, pid: number | undefined, now: Date): string {
  const clock = now.toISOString().slice(11, 19)
  const entry = pid === undefined ? undefined : processEntry(system, pid)
  if (entry === undefined) return `${NODE_NAME}::${USER_NAME} ${clock} (DCL) CPU=00:00:00.00`
  const cpu = formatTime(entry.pcb.cpuTicks / 100).slice(2)
  return `${NODE_NAME}::${USER_NAME} ${clock} ${entry.pcb.name} CPU=${cpu} PF=0 IO=${entry.process?.ioCount ?? 0} MEM=${entry.process?.frames.length ?? 0}`
}

/**
 * F$GETJPI items (VMS System Services: $GETJPI item codes) for a process of the system;
 * pid '' is the console (user SYSTEM, no process of its own: PID 00000000).
 */
export function jobProcessItem(
  system: VmsSystem,
  pidText: string,
  item: string,
): ItemValue | undefined {
  if (pidText.trim() === '') {
    const own: Record<string, ItemValue> = {
      PID: '00000000',
      PRCNAM: USER_NAME,
      USERNAME: USER_NAME,
      MODE: 'INTERACTIVE',
      TERMINAL: 'OPA0:',
      NODENAME: NODE_NAME,
      PRI: 4,
      PRIB: 4,
      STATE: 'CUR',
      CPUTIM: 0,
      DIRIO: 0,
      PAGEFLTS: 0,
      PPGCNT: 0,
    }
    return own[item]
  }
  const pid = Number.parseInt(pidText, 16)
  const entry = Number.isNaN(pid) ? undefined : processEntry(system, pid)
  if (entry === undefined) return undefined
  const { pcb, process } = entry
  const items: Record<string, ItemValue> = {
    PID: hex(pcb.pid),
    PRCNAM: pcb.name,
    USERNAME: USER_NAME,
    MODE: 'OTHER',
    NODENAME: NODE_NAME,
    PRI: pcb.priority,
    PRIB: pcb.basePriority,
    STATE: stateName(system, entry),
    OWNER: hex(pcb.owner),
    MASTER_PID: hex(pcb.job),
    CPUTIM: pcb.cpuTicks,
    DIRIO: process?.ioCount ?? 0,
    PAGEFLTS: 0,
    PPGCNT: process?.frames.length ?? 0,
  }
  return items[item]
}

/** F$GETSYI items (VMS System Services: $GETSYI item codes). */
export function systemItem(system: VmsSystem, item: string): ItemValue | undefined {
  const frames = system.framesInUse()
  const items: Record<string, ItemValue> = {
    NODENAME: NODE_NAME,
    HW_NAME: 'KA655-like VAX',
    VERSION: 'V5.0-TS',
    CPU: 1,
    ACTIVECPU_CNT: 1,
    PAGESIZE: 512,
    MEMSIZE: frames.total,
    FREE_PAGES: frames.free,
    PROCESS_COUNT: system.list().length,
  }
  return items[item]
}
