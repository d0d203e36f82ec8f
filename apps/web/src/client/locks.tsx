import type { LockView, ResourceView } from '../view'
import { hex } from './format'

function Queue(props: { name: string; locks: readonly LockView[] }) {
  if (props.locks.length === 0) return null
  return (
    <span class={`queue queue-${props.name}`}>
      {props.name}:
      {props.locks.map((l) => (
        <span key={l.id} class="lock" title={`lock ID ${hex(l.id)}`}>
          {' '}
          {hex(l.pid)} {l.mode}
          {l.requested !== undefined && `→${l.requested}`}
        </span>
      ))}
    </span>
  )
}

function Resource(props: { resource: ResourceView }) {
  const r = props.resource
  return (
    <li data-testid={`resource-${r.name}`}>
      <span class="rsb">{r.name}</span>
      <Queue name="granted" locks={r.granted} />
      <Queue name="converting" locks={r.conversion} />
      <Queue name="waiting" locks={r.waiting} />
      {r.children.length > 0 && (
        <ul>
          {r.children.map((c) => (
            <Resource key={c.name} resource={c} />
          ))}
        </ul>
      )}
    </li>
  )
}

/** The lock database as resource trees, each RSB with its three LKB queues (book 13.1). */
export function Locks(props: { resources: readonly ResourceView[] }) {
  if (props.resources.length === 0) return <p class="empty">No locks.</p>
  return (
    <ul class="resources">
      {props.resources.map((r) => (
        <Resource key={r.name} resource={r} />
      ))}
    </ul>
  )
}
