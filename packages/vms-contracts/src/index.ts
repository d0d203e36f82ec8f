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
