import type { ClientMessage } from '../protocol'
import type { PageState } from './connection'
import { clock } from './format'

/** Pause, resume, the two kinds of step, and the time-travel slider over the history. */
export function Controls(props: { state: PageState; send: (message: ClientMessage) => void }) {
  const { state, send } = props
  const { paused, live, first, last, seq } = state
  const onSlide = (event: Event) => {
    const value = Number((event.currentTarget as HTMLInputElement).value)
    send({ type: 'history', seq: value >= last ? null : value })
  }
  return (
    <header class="controls">
      <h1>VAX/VMS</h1>
      <span class={`link ${state.connected ? 'up' : 'down'}`} data-testid="connection">
        {state.connected ? 'connected' : 'disconnected'}
      </span>
      <button
        type="button"
        data-testid="pause"
        onClick={() => send({ type: paused ? 'resume' : 'pause' })}
      >
        {paused ? 'Resume' : 'Pause'}
      </button>
      <button
        type="button"
        data-testid="step-instruction"
        disabled={!paused}
        onClick={() => send({ type: 'step', unit: 'instruction' })}
      >
        Step instruction
      </button>
      <button
        type="button"
        data-testid="step-event"
        disabled={!paused}
        onClick={() => send({ type: 'step', unit: 'event' })}
      >
        Step event
      </button>
      <span class="clock" data-testid="clock">
        {clock(state.view.time)} · {state.view.instructions.toLocaleString('en')} instructions
      </span>
      <label class="slider">
        <input
          type="range"
          data-testid="history-slider"
          aria-label="time travel over the recorded trace"
          min={Math.max(first, 0)}
          max={Math.max(last, 0)}
          value={live ? last : seq}
          disabled={last < 0}
          onInput={onSlide}
        />
        <span data-testid="history-label" class={live ? 'live' : 'past'}>
          {live ? 'live' : `history ${seq - first + 1} of ${last - first + 1}`}
        </span>
      </label>
      {!live && (
        <button
          type="button"
          data-testid="live"
          onClick={() => send({ type: 'history', seq: null })}
        >
          Back to live
        </button>
      )}
      {state.error !== undefined && (
        <span class="error" data-testid="error">
          {state.error}
        </span>
      )}
    </header>
  )
}
