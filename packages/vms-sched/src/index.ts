export { mayAffect } from './access'
export { type ClusterInfo, EventFlags } from './event-flags'
export { Harness, type Step } from './harness'
export { Pcb, STATE_NAMES, State, StateQueue, WAIT_STATES } from './pcb'
export {
  checkInvariants,
  OPERATOR,
  Scheduler,
  type SchedulerOptions,
  snapshot,
} from './scheduler'
export { MINIMUM_REPEAT, TICK, Timers, TQE_LENGTH, type Tqe } from './timers'
