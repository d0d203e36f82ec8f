import type { SystemView } from './view'

/** How far one step moves a paused system. */
export type StepUnit =
  /** One VAX instruction. */
  | 'instruction'
  /** Up to the next scheduler event: a state change, a boost, a rescheduling (book 10.4). */
  | 'event'

/** The console interrupt characters the terminal driver handles out of band (book 7.8.5). */
export type InterruptKey = 'C' | 'Y'

/**
 * What the web view needs from a running system, and all it can do to it: look, type into
 * the console, and pause, resume and step. Nothing here reads or writes host files.
 */
export interface WebViewSource {
  /** The picture now. Called at most once per update interval, and after each control. */
  snapshot(): SystemView
  /** Characters typed at the console terminal, as the terminal sends them (`\r` ends a line). */
  input(text: string): void
  /** Control-C or control-Y typed at the console. */
  interrupt(key: InterruptKey): void
  /** Calls `listener` with each piece of console output; returns the unsubscribe function. */
  onOutput(listener: (text: string) => void): () => void
  pause(): void
  resume(): void
  /** Moves a paused system on by one `unit`; does nothing while it runs. */
  step(unit: StepUnit): void
  paused(): boolean
}
