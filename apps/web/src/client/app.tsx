import { useMemo, useState } from 'preact/hooks'
import type { ClientMessage } from '../protocol'
import { AstQueue, AstQueues } from './asts'
import type { PageState } from './connection'
import { Controls } from './controls'
import { Devices } from './devices'
import { Fences, Mirrors } from './extras'
import { hex } from './format'
import { Locks } from './locks'
import { Pool } from './pool'
import { ComputableQueues, ProcessTable, StateCounts } from './processes'
import { BookLink, Section } from './section'
import { ConsoleTerminal } from './terminal'

/** The whole page: controls, console, and one panel per structure. */
export function App(props: {
  state: PageState
  send: (message: ClientMessage) => void
  typed: (data: string) => void
  attachTerminal: (write: (text: string) => void) => void
}) {
  const { state, send } = props
  const { view } = state
  const [selected, setSelected] = useState<number | undefined>(undefined)
  const chosen = useMemo(
    () => view.processes.find((p) => p.pid === selected),
    [view.processes, selected],
  )
  return (
    <div class="page">
      <Controls state={state} send={send} />
      <main>
        <section class="panel panel-console" data-testid="section-console">
          <h2>Console OPA0:</h2>
          <ConsoleTerminal onData={props.typed} attach={props.attachTerminal} />
        </section>
        <Section
          topic="processes"
          title="Processes by scheduling state"
          extra={<BookLink topic="priority" label="priority" />}
        >
          <StateCounts processes={view.processes} />
          <ComputableQueues processes={view.processes} />
          <ProcessTable processes={view.processes} selected={selected} onSelect={setSelected} />
          <div class="detail" data-testid="process-detail">
            {chosen === undefined ? (
              'Click a process to see its PCB and AST queue.'
            ) : (
              <>
                <strong>
                  {hex(chosen.pid)} {chosen.name}
                </strong>{' '}
                {chosen.state} priority {chosen.priority} (base {chosen.basePriority})
                {chosen.waitingFor !== undefined && `, waiting for ${chosen.waitingFor}`}
                <AstQueue process={chosen} />
              </>
            )}
          </div>
        </Section>
        <Section topic="asts" title="AST queues">
          <AstQueues processes={view.processes} />
        </Section>
        <Section
          topic="devices"
          title="Devices and IRPs"
          extra={<BookLink topic="irps" label="IRP" />}
        >
          <Devices devices={view.devices} />
        </Section>
        <Section topic="locks" title="Lock database">
          <Locks resources={view.locks} />
        </Section>
        <Section topic="pool" title="Nonpaged pool">
          <Pool pool={view.pool} />
        </Section>
        {view.mirrors !== undefined && (
          <Section topic="mirrors" title="Mirrors">
            <Mirrors mirrors={view.mirrors} />
          </Section>
        )}
        {view.fences !== undefined && (
          <Section topic="fences" title="Fences">
            <Fences fences={view.fences} />
          </Section>
        )}
      </main>
    </div>
  )
}
