import type { DeviceView } from '../view'
import { hex } from './format'

/** Each unit's UCB and the IRPs in flight on it (book 18.2, 18.5). */
export function Devices(props: { devices: readonly DeviceView[] }) {
  if (props.devices.length === 0) return <p class="empty">No devices.</p>
  return (
    <div class="devices">
      {props.devices.map((d) => (
        <div key={d.name} class="device" data-testid={`device-${d.name}`}>
          <div class="ucb">
            <strong>{d.name}</strong>
            <span class="bits" data-testid={`ucb-status-${d.name}`}>
              {d.ucb.status.join(' ') || '—'}
            </span>
            <span data-testid={`ucb-opcnt-${d.name}`} title="UCB$L_OPCNT">
              ops {d.ucb.operations}
            </span>
            <span title="UCB$W_ERRCNT">errors {d.ucb.errors}</span>
            <span title="UCB$W_REFC">refs {d.ucb.references}</span>
            {d.ucb.owner !== 0 && <span title="UCB$L_PID">owner {hex(d.ucb.owner)}</span>}
          </div>
          <ul class="irps">
            {d.irps.map((irp) => (
              <li
                key={irp.address}
                class={`irp irp-${irp.state}`}
                data-testid={`irp-${hex(irp.address)}`}
              >
                IRP {hex(irp.address)} {irp.function} pid {hex(irp.pid)}
                {irp.bytes !== undefined && ` ${irp.bytes} bytes`} <em>{irp.state}</em>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  )
}
