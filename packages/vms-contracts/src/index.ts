export {
  type ConsoleCommand,
  type GuestAccess,
  type Kernel,
  type ProcessIdentity,
  SERVICE_VECTOR,
  ServiceFault,
  type ServiceName,
  type ServiceRequest,
  type Subsystem,
  type SubsystemFactory,
  type SystemService,
} from './composition'
export { DYN, type DynamicMemory } from './dynamic-memory'
export { type ItemListEntry, MAX_ITEMS, readItemList, writeItem } from './item-list'
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
