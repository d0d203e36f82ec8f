export { BOOK_SECTIONS, type BookSection, type BookTopic, bookHref } from './book'
export {
  type ClientMessage,
  MAX_INPUT,
  parseClientMessage,
  type ServerMessage,
  type ViewParts,
} from './protocol'
export { serveWebView, type WebViewOptions, type WebViewServer } from './server'
export type { InterruptKey, StepUnit, WebViewSource } from './source'
export {
  type AcbView,
  type AccessMode,
  type DeviceView,
  emptyView,
  type FenceView,
  type FreeBlockView,
  type IrpState,
  type IrpView,
  type LockMode,
  type LockView,
  type LookasideView,
  type MirrorView,
  type PoolBlockView,
  type PoolView,
  type ProcessView,
  type ResourceView,
  SCHEDULING_STATES,
  type SchedulingState,
  type SystemView,
  type UcbView,
  VIEW_SECTIONS,
  type ViewSection,
} from './view'
