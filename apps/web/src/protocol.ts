import type { InterruptKey, StepUnit } from './source'
import type { SystemView, ViewSection } from './view'

/**
 * The messages a page may send. Anything else is answered with an `error` message and
 * otherwise ignored: the page can look, type into the console and drive pause, step and
 * the history slider, and nothing more.
 */
export type ClientMessage =
  | { readonly type: 'input'; readonly text: string }
  | { readonly type: 'interrupt'; readonly key: InterruptKey }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'step'; readonly unit: StepUnit }
  /** Show history entry `seq`, or follow the live system again when `seq` is null. */
  | { readonly type: 'history'; readonly seq: number | null }

/**
 * Part of a snapshot: the clock, and the sections that changed; `null` says a section
 * that was there has gone (the mirrors, say).
 */
export type ViewParts = {
  readonly time?: number
  readonly instructions?: number
} & { readonly [K in ViewSection]?: SystemView[K] | null }

/** The messages the server sends. */
export type ServerMessage =
  /**
   * A snapshot: `full` replaces the page's picture with `parts`; otherwise `parts` holds
   * only the sections that changed since the snapshot the page has, and `time` and
   * `instructions` always come along.
   */
  | {
      readonly type: 'view'
      readonly seq: number
      readonly live: boolean
      readonly full: boolean
      readonly parts: ViewParts
    }
  /** Whether the system is paused and the range of history the slider can select. */
  | {
      readonly type: 'status'
      readonly paused: boolean
      readonly first: number
      readonly last: number
    }
  /** Console output. */
  | { readonly type: 'output'; readonly text: string }
  | { readonly type: 'error'; readonly message: string }

/** The longest console input one message may carry. */
export const MAX_INPUT = 4096

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function hasOnly(record: Record<string, unknown>, keys: readonly string[]): boolean {
  return Object.keys(record).every((key) => keys.includes(key))
}

/**
 * Reads one message from a page: the parsed message when it is well formed, or a reason
 * for refusing it. Never throws.
 */
export function parseClientMessage(
  raw: string,
): { ok: true; message: ClientMessage } | { ok: false; reason: string } {
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch {
    return { ok: false, reason: 'not JSON' }
  }
  if (!isRecord(value)) return { ok: false, reason: 'not an object' }
  const bad = (reason: string) => ({ ok: false as const, reason })
  switch (value.type) {
    case 'input':
      if (!hasOnly(value, ['type', 'text'])) return bad('unexpected field')
      if (typeof value.text !== 'string' || value.text.length > MAX_INPUT)
        return bad('input text must be a string of at most 4096 characters')
      return { ok: true, message: { type: 'input', text: value.text } }
    case 'interrupt':
      if (!hasOnly(value, ['type', 'key'])) return bad('unexpected field')
      if (value.key !== 'C' && value.key !== 'Y') return bad('interrupt key must be C or Y')
      return { ok: true, message: { type: 'interrupt', key: value.key } }
    case 'pause':
    case 'resume':
      if (!hasOnly(value, ['type'])) return bad('unexpected field')
      return { ok: true, message: { type: value.type } }
    case 'step':
      if (!hasOnly(value, ['type', 'unit'])) return bad('unexpected field')
      if (value.unit !== 'instruction' && value.unit !== 'event')
        return bad('step unit must be instruction or event')
      return { ok: true, message: { type: 'step', unit: value.unit } }
    case 'history':
      if (!hasOnly(value, ['type', 'seq'])) return bad('unexpected field')
      if (value.seq !== null && !(Number.isSafeInteger(value.seq) && (value.seq as number) >= 0))
        return bad('history seq must be a non-negative integer or null')
      return { ok: true, message: { type: 'history', seq: value.seq as number | null } }
    default:
      return bad(`unknown message type ${JSON.stringify(String(value.type)).slice(0, 40)}`)
  }
}
