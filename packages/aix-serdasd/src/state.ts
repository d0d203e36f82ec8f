import { HOST_CONNECTORS } from './constants'

/** A media defect: a `recovered` block still reads (with a recovered error), an `unrecoverable` one does not. */
export type DefectKind = 'recovered' | 'unrecoverable'

/**
 * What the hosts share about one DASD: the controller's registers and the media's
 * defect map. Plain JSON, so that processes sharing a backing file can share it too.
 */
export interface DasdUnitState {
  /** Power is on. */
  powered: boolean
  /** Stopped by Start Stop Unit: media commands answer NOT READY. */
  stopped: boolean
  /** The host connector holding the reservation, or -1. */
  reservedBy: number
  /** The two-byte fence register: bit (0x8000 >> n) set fences host connector n out. */
  fence: number
  /** Bit n set: host connector n has not yet been told of the last power-on. */
  powerOnPending: number
  /** Per host connector: [sense key, ASC, ASCQ, information] of its last CHECK CONDITION. */
  sense: number[][]
  /** Grown defects by block number. */
  defects: Record<string, DefectKind>
  /** Number of entries in `defects`. */
  defectCount: number
  /** Relocated blocks: block number → spare block index. */
  relocated: Record<string, number>
  /** Spare blocks handed out so far. */
  sparesUsed: number
}

/** The shared state of every DASD on one controller. */
export interface SubsystemState {
  units: DasdUnitState[]
}

/**
 * The state of a DASD just powered on: no reservation, no fence, every host connector
 * still to be told (`pending`); the defect and relocation maps of `previous` stay.
 */
export function poweredOnUnit(
  previous?: DasdUnitState,
  pending = (1 << HOST_CONNECTORS) - 1,
): DasdUnitState {
  return {
    powered: true,
    stopped: false,
    reservedBy: -1,
    fence: 0,
    powerOnPending: pending,
    sense: Array.from({ length: HOST_CONNECTORS }, () => [0, 0, 0, 0]),
    defects: previous?.defects ?? {},
    defectCount: previous?.defectCount ?? 0,
    relocated: previous?.relocated ?? {},
    sparesUsed: previous?.sparesUsed ?? 0,
  }
}

/**
 * Where the shared state lives. `run` gives `fn` exclusive access to it for the length
 * of the call; what `fn` changes is what every host sees next. The media transfer of a
 * command happens inside `run`, so a fence or reservation change and a write are never
 * interleaved: a write either completed before the fence or is refused by it.
 */
export interface StateStore {
  run<A, R>(fn: (state: SubsystemState, arg: A) => R, arg: A): R
  close(): void
}

/** The state of hosts that live in one process: a plain object, no locking needed. */
export class MemoryStateStore implements StateStore {
  constructor(private readonly state: SubsystemState) {}

  run<A, R>(fn: (state: SubsystemState, arg: A) => R, arg: A): R {
    return fn(this.state, arg)
  }

  close(): void {}
}
