import type { AcbView, ProcessView } from '../view'
import { hex } from './format'

/** At most this many AST queues are drawn; the rest are counted. */
const SHOWN = 100

/** One process's AST queue, head first (book 7.2.2). */
export function AstQueue(props: { process: ProcessView }) {
  const id = hex(props.process.pid)
  return (
    <ol class="ast-queue" data-testid={`ast-queue-${id}`}>
      {props.process.asts.map((acb: AcbView, i) => (
        <li key={i} class={`acb mode-${acb.mode}`} data-testid={`acb-${id}-${i}`}>
          <span class="mode">{acb.mode}</span> routine {hex(acb.routine)} param {hex(acb.parameter)}
          {acb.kind === 'special kernel' && <span class="kast"> special kernel</span>}
          {acb.origin !== undefined && <span class="origin"> ({acb.origin})</span>}
        </li>
      ))}
    </ol>
  )
}

/** Every process with ASTs waiting for delivery. */
export function AstQueues(props: { processes: readonly ProcessView[] }) {
  const waiting = props.processes.filter((p) => p.asts.length > 0)
  if (waiting.length === 0)
    return (
      <p class="empty" data-testid="ast-none">
        No ASTs queued.
      </p>
    )
  return (
    <div class="ast-queues">
      {waiting.slice(0, SHOWN).map((p) => (
        <div key={p.pid} class="ast-process">
          <span class="who">
            {hex(p.pid)} {p.name}
          </span>
          <AstQueue process={p} />
        </div>
      ))}
      {waiting.length > SHOWN && <p class="more">and {waiting.length - SHOWN} more processes</p>}
    </div>
  )
}
