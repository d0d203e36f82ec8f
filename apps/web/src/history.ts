import { type SystemView, VIEW_SECTIONS, type ViewSection } from './view'

/** Each section of a snapshot as JSON; absent sections (no mirrors, say) are missing. */
export type SectionJson = { readonly [K in ViewSection]?: string }

/** One recorded snapshot. Sections that did not change share their string with the last entry. */
export interface HistoryEntry {
  /** Position in the trace, counting from 0 when the server started. */
  readonly seq: number
  readonly time: number
  readonly instructions: number
  readonly sections: SectionJson
}

/**
 * A bounded ring of snapshots, the trace the time-travel slider moves over. A snapshot is
 * recorded only when it differs from the last one, and holds its sections as JSON so that
 * comparing, diffing and sending them costs no second serialisation.
 */
export class SnapshotHistory {
  readonly #entries: HistoryEntry[] = []
  #next = 0

  constructor(readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new RangeError('history limit must be a positive integer')
  }

  /** Records `view` unless it equals the latest entry; returns the new entry, if any. */
  record(view: SystemView): HistoryEntry | undefined {
    const last = this.latest
    const sections: { [K in ViewSection]?: string } = {}
    let changed =
      last === undefined || last.time !== view.time || last.instructions !== view.instructions
    for (const key of VIEW_SECTIONS) {
      const value = view[key]
      if (value === undefined) {
        if (last?.sections[key] !== undefined) changed = true
        continue
      }
      const json = JSON.stringify(value)
      const previous = last?.sections[key]
      if (previous === json) sections[key] = previous
      else {
        sections[key] = json
        changed = true
      }
    }
    if (!changed) return undefined
    const entry: HistoryEntry = {
      seq: this.#next++,
      time: view.time,
      instructions: view.instructions,
      sections,
    }
    this.#entries.push(entry)
    if (this.#entries.length > this.limit) this.#entries.shift()
    return entry
  }

  /** The newest entry, if any. */
  get latest(): HistoryEntry | undefined {
    return this.#entries[this.#entries.length - 1]
  }

  /** The oldest seq still held (-1 when empty). */
  get first(): number {
    return this.#entries[0]?.seq ?? -1
  }

  /** The newest seq (-1 when empty). */
  get last(): number {
    return this.latest?.seq ?? -1
  }

  get size(): number {
    return this.#entries.length
  }

  /** The entry `seq`, if it is still held. */
  get(seq: number): HistoryEntry | undefined {
    const first = this.first
    if (first < 0 || seq < first || seq > this.last) return undefined
    return this.#entries[seq - first]
  }
}

/**
 * The `view` message for `entry` as JSON text: every section when `base` is undefined,
 * otherwise only the sections that differ from `base` (`null` for one that went away).
 */
export function viewMessage(entry: HistoryEntry, live: boolean, base?: HistoryEntry): string {
  const parts = [`"time":${entry.time}`, `"instructions":${entry.instructions}`]
  for (const key of VIEW_SECTIONS) {
    const json = entry.sections[key]
    if (base === undefined) {
      if (json !== undefined) parts.push(`"${key}":${json}`)
    } else if (json !== base.sections[key]) parts.push(`"${key}":${json ?? 'null'}`)
  }
  return `{"type":"view","seq":${entry.seq},"live":${live},"full":${base === undefined},"parts":{${parts.join(',')}}}`
}
