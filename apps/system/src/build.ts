import type { SubsystemFactory } from '@vms/contracts'
import { formattingSubsystem } from '@vms/fao'
import { logicalNamesSubsystem } from '@vms/lnm'
import { lockManagerSubsystem } from '@vms/lock'
import { NODE_NAME } from './process-services'

/**
 * The default build: the subsystems `pnpm start` adds to the executive's own services
 * and the I/O system. A custom build passes its own list to `new VmsSystem({ subsystems })`,
 * this one minus a subsystem or plus one written elsewhere (see the README).
 */
/** The names a system defines at boot (book 28.3.1; SYSTARTUP's). */
const SYSTEM_LOGICAL_NAMES: readonly [string, string][] = [
  ['SYS$NODE', `${NODE_NAME}::`],
  ['SYS$DISK', 'SYS$SYSDEVICE:'],
  ['SYS$SYSDEVICE', 'DUA0:'],
  ['SYS$SYSROOT', 'SYS$SYSDEVICE:[SYS0.]'],
  ['SYS$SYSTEM', 'SYS$SYSROOT:[SYSEXE]'],
  ['SYS$LIBRARY', 'SYS$SYSROOT:[SYSLIB]'],
]

export const lockManager: SubsystemFactory = lockManagerSubsystem()
/** $GETTIM, $ASCTIM, $BINTIM, $NUMTIM, $FAO, $FAOL, $GETMSG (@vms/fao). */
export const formatting: SubsystemFactory = formattingSubsystem()
/**
 * $CRELNM, $TRNLNM, $DELLNM and the logical name tables (@vms/lnm, book ch. 28), with the
 * system's own names in LNM$SYSTEM_TABLE from boot. DCL's DEFINE, SHOW LOGICAL and
 * F$TRNLNM keep the console's names (the console is not a process).
 */
export const logicalNames: SubsystemFactory = logicalNamesSubsystem({
  showLogical: false,
  onReady: (names) => {
    for (const [name, value] of SYSTEM_LOGICAL_NAMES)
      names.define(name, value, { table: 'LNM$SYSTEM_TABLE', mode: 0 })
  },
})
export const defaultSubsystems: readonly SubsystemFactory[] = [
  lockManager,
  formatting,
  logicalNames,
]
