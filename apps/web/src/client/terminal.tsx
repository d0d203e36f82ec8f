import { Terminal } from '@xterm/xterm'
import { useEffect, useRef } from 'preact/hooks'

/**
 * The console terminal: xterm.js, fed with the console's output; what is typed goes to
 * `onData` unechoed (the system's terminal driver echoes, as OPA0: does).
 */
export function ConsoleTerminal(props: {
  onData: (data: string) => void
  attach: (write: (text: string) => void) => void
}) {
  const host = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const terminal = new Terminal({
      cols: 80,
      rows: 20,
      convertEol: true,
      cursorBlink: true,
      fontSize: 13,
      scrollback: 2000,
      theme: { background: '#101418', foreground: '#d8e0e8' },
    })
    terminal.open(host.current!)
    const typed = terminal.onData(props.onData)
    props.attach((text) => terminal.write(text))
    return () => {
      typed.dispose()
      terminal.dispose()
    }
  }, [])
  return <div class="terminal" data-testid="terminal" ref={host} />
}
