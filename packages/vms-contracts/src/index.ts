export { DYN, type DynamicMemory } from './dynamic-memory'
export {
  PRIORITY_BOOST,
  PriorityClass,
  type ProcessEvents,
  type SystemEvent,
} from './scheduling'
export {
  facilityOf,
  formatStatus,
  isSuccess,
  messageNumberOf,
  Severity,
  SS,
  type Status,
  type StatusName,
  severityOf,
  statusName,
} from './status'
