import type { FenceView, MirrorView } from '../view'

/** DG/UX VDM mirrors and the state of each image (vdmmirr(7)). */
export function Mirrors(props: { mirrors: readonly MirrorView[] }) {
  return (
    <ul class="mirrors">
      {props.mirrors.map((m) => (
        <li key={m.name} data-testid={`mirror-${m.name}`}>
          <strong>{m.name}</strong>
          {m.members.map((member) => (
            <span key={member.name} class={`image image-${member.state}`}>
              {' '}
              {member.name} {member.state}
            </span>
          ))}
          {m.syncProgress !== undefined && ` sync ${Math.round(m.syncProgress * 100)}%`}
        </li>
      ))}
    </ul>
  )
}

/** Serial DASD fence registers: one box per host connector, filled when fenced out. */
export function Fences(props: { fences: readonly FenceView[] }) {
  return (
    <ul class="fences">
      {props.fences.map((f) => (
        <li key={f.device} data-testid={`fence-${f.device}`}>
          <strong>{f.device}</strong> register {f.register.toString(2).padStart(16, '0')}{' '}
          {Array.from({ length: 8 }, (_, host) => {
            const fenced = (f.register >> (15 - host)) & 1
            return (
              <span
                key={host}
                class={`host${fenced ? ' fenced' : ''}${host === f.host ? ' self' : ''}`}
                title={`host ${host}${fenced ? ' fenced out' : ''}${host === f.host ? ' (this host)' : ''}`}
              >
                {host}
              </span>
            )
          })}
        </li>
      ))}
    </ul>
  )
}
