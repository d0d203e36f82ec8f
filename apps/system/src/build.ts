import type { SubsystemFactory } from '@vms/contracts'
import { formattingSubsystem } from '@vms/fao'
import { logicalNamesSubsystem } from '@vms/lnm'
import { lockManagerSubsystem } from '@vms/lock'

/**
 * The default build: the subsystems `pnpm start` adds to the executive's own services
 * and the I/O system. A custom build passes its own list to `new VmsSystem({ subsystems })`,
 * this one minus a subsystem or plus one written elsewhere (see the README).
 */
export const lockManager: SubsystemFactory = lockManagerSubsystem()
/** $GETTIM, $ASCTIM, $BINTIM, $NUMTIM, $FAO, $FAOL, $GETMSG (@vms/fao). */
export const formatting: SubsystemFactory = formattingSubsystem()
/** $CRELNM, $TRNLNM, $DELLNM and the logical name tables (@vms/lnm, book ch. 28). */
export const logicalNames: SubsystemFactory = logicalNamesSubsystem()
export const defaultSubsystems: readonly SubsystemFactory[] = [
  lockManager,
  formatting,
  logicalNames,
]
