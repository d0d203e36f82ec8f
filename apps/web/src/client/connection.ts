import { type ClientMessage, MAX_INPUT, type ServerMessage } from '../protocol'
import type { InterruptKey } from '../source'
import { emptyView, type SystemView } from '../view'

/** What the page draws: the picture, where it is in the trace, and the link's state. */
export interface PageState {
  readonly view: SystemView
  /** The history entry shown. */
  readonly seq: number
  /** Following the live system (true) or showing a past entry (false). */
  readonly live: boolean
  readonly paused: boolean
  /** The history the slider can select. */
  readonly first: number
  readonly last: number
  readonly connected: boolean
  readonly error?: string
}

/** Control-C and control-Y, which the console driver takes out of band. */
const INTERRUPTS = new Map<string, InterruptKey>([
  [String.fromCharCode(3), 'C'],
  [String.fromCharCode(25), 'Y'],
])

export const initialState: PageState = {
  view: emptyView(),
  seq: -1,
  live: true,
  paused: false,
  first: -1,
  last: -1,
  connected: false,
}

/**
 * The page's end of the WebSocket. Snapshots and status are merged as they arrive and
 * handed to the page at most once per animation frame, however fast they come.
 */
export class Connection {
  readonly #socket: WebSocket
  #state: PageState = initialState
  #frame = 0

  constructor(
    private readonly onState: (state: PageState) => void,
    private readonly onOutput: (text: string) => void,
  ) {
    this.#socket = new WebSocket(
      `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
    )
    this.#socket.addEventListener('open', () => this.#update({ connected: true }))
    this.#socket.addEventListener('close', () => this.#update({ connected: false }))
    this.#socket.addEventListener('message', (event) => {
      if (typeof event.data === 'string') this.#receive(JSON.parse(event.data) as ServerMessage)
    })
  }

  send(message: ClientMessage): void {
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message))
  }

  /** Sends what the terminal produced: control-C and control-Y as interrupts, the rest as input. */
  typed(data: string): void {
    let text = ''
    const flush = () => {
      for (let at = 0; at < text.length; at += MAX_INPUT)
        this.send({ type: 'input', text: text.slice(at, at + MAX_INPUT) })
      text = ''
    }
    for (const c of data) {
      const key = INTERRUPTS.get(c)
      if (key === undefined) text += c
      else {
        flush()
        this.send({ type: 'interrupt', key })
      }
    }
    flush()
  }

  #receive(message: ServerMessage): void {
    switch (message.type) {
      case 'output':
        this.onOutput(message.text)
        return
      case 'status':
        this.#update({ paused: message.paused, first: message.first, last: message.last })
        return
      case 'error':
        this.#update({ error: message.message })
        return
      case 'view': {
        const view: Record<string, unknown> = message.full
          ? {}
          : { ...(this.#state.view as unknown as Record<string, unknown>) }
        for (const [key, value] of Object.entries(message.parts)) {
          if (value === null) delete view[key]
          else view[key] = value
        }
        this.#update({
          view: view as unknown as SystemView,
          seq: message.seq,
          live: message.live,
          last: Math.max(this.#state.last, message.seq),
        })
        return
      }
    }
  }

  #update(change: Partial<PageState>): void {
    this.#state = { ...this.#state, ...change }
    if (this.#frame === 0)
      this.#frame = requestAnimationFrame(() => {
        this.#frame = 0
        this.onState(this.#state)
      })
  }
}
