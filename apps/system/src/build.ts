import type { SubsystemFactory } from '@vms/contracts'
import { lockManagerSubsystem } from '@vms/lock'

/**
 * The default build: the subsystems `pnpm start` adds to the executive's own services
 * and the I/O system. A custom build passes its own list to `new VmsSystem({ subsystems })`,
 * this one minus a subsystem or plus one written elsewhere (see the README).
 */
export const lockManager: SubsystemFactory = lockManagerSubsystem()
export const defaultSubsystems: readonly SubsystemFactory[] = [lockManager]
