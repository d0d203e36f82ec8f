import {
  elementScroll,
  observeElementOffset,
  observeElementRect,
  Virtualizer,
  type VirtualizerOptions,
} from '@tanstack/virtual-core'
import { useLayoutEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks'
import { type ProcessView, SCHEDULING_STATES, type SchedulingState } from '../view'
import { hex } from './format'

const ROW_HEIGHT = 22
const ORDER = new Map<SchedulingState, number>(SCHEDULING_STATES.map((s, i) => [s, i]))

/** Processes as the scheduler sees them: by state (book 10.3), then priority, highest first. */
export function byStateAndPriority(processes: readonly ProcessView[]): ProcessView[] {
  return [...processes].sort(
    (a, b) =>
      (ORDER.get(a.state) ?? 99) - (ORDER.get(b.state) ?? 99) ||
      b.priority - a.priority ||
      a.pid - b.pid,
  )
}

/** How many processes are in each state, in the book's order, omitting empty states. */
export function StateCounts(props: { processes: readonly ProcessView[] }) {
  const counts = new Map<SchedulingState, number>()
  for (const p of props.processes) counts.set(p.state, (counts.get(p.state) ?? 0) + 1)
  return (
    <div class="states" data-testid="state-counts">
      <span class="total" data-testid="process-count">
        {props.processes.length} processes
      </span>
      {SCHEDULING_STATES.filter((s) => counts.has(s)).map((s) => (
        <span class={`state state-${s}`} key={s} data-testid={`state-count-${s}`}>
          {s} {counts.get(s)}
        </span>
      ))}
    </div>
  )
}

/** How many PIDs a queue shows before counting the rest. */
const QUEUE_SHOWN = 6

/**
 * The computable resident queues, one per priority, highest first, as SCH$AQ_COMH holds
 * them (book 10.3, Figure 10-2); only the non-empty ones, the bits set in SCH$GL_COMQS.
 */
export function ComputableQueues(props: { processes: readonly ProcessView[] }) {
  const queues = new Map<number, number[]>()
  for (const p of props.processes)
    if (p.state === 'COM') queues.set(p.priority, [...(queues.get(p.priority) ?? []), p.pid])
  const levels = [...queues.keys()].sort((a, b) => b - a)
  return (
    <div class="com-queues">
      {levels.map((priority) => {
        const pids = queues.get(priority) ?? []
        return (
          <span key={priority} class="com-queue" data-testid={`com-queue-${priority}`}>
            <b>{priority}</b>{' '}
            {pids
              .slice(0, QUEUE_SHOWN)
              .map((pid) => hex(pid))
              .join(' ')}
            {pids.length > QUEUE_SHOWN && ` +${pids.length - QUEUE_SHOWN}`}
          </span>
        )
      })}
    </div>
  )
}

function useVirtualRows(count: number) {
  const scroller = useRef<HTMLDivElement>(null)
  const [, rerender] = useReducer((n: number) => n + 1, 0)
  const options = (): VirtualizerOptions<HTMLDivElement, HTMLDivElement> => ({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    scrollToFn: elementScroll,
    observeElementRect,
    observeElementOffset,
    overscan: 8,
    onChange: () => rerender(0),
  })
  const [virtualizer] = useState(() => new Virtualizer(options()))
  virtualizer.setOptions(options())
  useLayoutEffect(() => virtualizer._didMount(), [])
  useLayoutEffect(() => virtualizer._willUpdate())
  return { scroller, virtualizer }
}

/**
 * The process table, one row per PCB, virtualised: only the rows in view are in the
 * document, so thousands of processes cost no more to draw than a screenful. The bar
 * after the priority is the boost, current priority above base, which decays by one per
 * quantum end (book 10.2, 10.4).
 */
export function ProcessTable(props: {
  processes: readonly ProcessView[]
  selected: number | undefined
  onSelect: (pid: number) => void
}) {
  const rows = useMemo(() => byStateAndPriority(props.processes), [props.processes])
  const { scroller, virtualizer } = useVirtualRows(rows.length)
  return (
    <div class="process-table">
      <div class="row head">
        <span>PID</span>
        <span>Name</span>
        <span>State</span>
        <span title="current priority">Pri</span>
        <span title="base priority">Base</span>
        <span>Boost</span>
        <span>ASTs</span>
      </div>
      <div class="scroller" ref={scroller} data-testid="process-list">
        <div style={{ height: `${virtualizer.getTotalSize()}px`, position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const p = rows[item.index]
            if (p === undefined) return null
            const id = hex(p.pid)
            const boost = p.priority - p.basePriority
            return (
              <button
                type="button"
                key={p.pid}
                class={`row state-${p.state}${p.pid === props.selected ? ' selected' : ''}`}
                style={{ transform: `translateY(${item.start}px)` }}
                data-testid={`process-${id}`}
                onClick={() => props.onSelect(p.pid)}
              >
                <span>{id}</span>
                <span>{p.name}</span>
                <span data-testid={`process-state-${id}`}>{p.state}</span>
                <span data-testid={`process-priority-${id}`}>{p.priority}</span>
                <span>{p.basePriority}</span>
                <span>
                  {boost > 0 && (
                    <span class="boost" style={{ width: `${boost * 6}px` }} title={`+${boost}`} />
                  )}
                </span>
                <span>{p.asts.length || ''}</span>
              </button>
            )
          })}
        </div>
      </div>
    </div>
  )
}
