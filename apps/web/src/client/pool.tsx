import { useEffect, useRef } from 'preact/hooks'
import type { PoolView } from '../view'
import { hex } from './format'

const BLOCKS_LISTED = 200

/** A stable colour for each DYN$C type name. */
function colour(type: string): string {
  let h = 0
  for (const c of type) h = (h * 31 + c.charCodeAt(0)) % 360
  return `hsl(${h} 65% 55%)`
}

/** The pool map: the variable-length region drawn left to right, blocks in use coloured. */
function PoolMap(props: { pool: PoolView }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    const c = canvas.current
    const g = c?.getContext('2d')
    if (c === null || g === null || g === undefined) return
    const { base, size, blocks, free } = props.pool
    const width = c.clientWidth || 600
    c.width = width
    const height = c.height
    g.fillStyle = '#2a3036'
    g.fillRect(0, 0, width, height)
    if (size <= 0) return
    const x = (address: number) => ((address - base) / size) * width
    g.fillStyle = '#3f6f4a'
    for (const f of free)
      g.fillRect(x(f.address), 0, Math.max(1, x(f.address + f.size) - x(f.address)), height)
    for (const b of blocks) {
      g.fillStyle = colour(b.type)
      g.fillRect(x(b.address), 0, Math.max(1, x(b.address + b.size) - x(b.address)), height)
    }
  }, [props.pool])
  return <canvas class="pool-map" ref={canvas} height={28} data-testid="pool-map" />
}

/** Nonpaged pool: the map, the blocks in use and the lookaside lists (book 3.2). */
export function Pool(props: { pool: PoolView }) {
  const { pool } = props
  const used = pool.blocks.reduce((n, b) => n + b.size, 0)
  const unused = pool.free.reduce((n, b) => n + b.size, 0)
  const blocks = [...pool.blocks].sort((a, b) => a.address - b.address)
  return (
    <div class="pool">
      <PoolMap pool={pool} />
      <p data-testid="pool-summary">
        {pool.blocks.length} blocks in use ({used} bytes), {pool.free.length} unused blocks (
        {unused} bytes) in {pool.size} bytes at {hex(pool.base)}
      </p>
      <table class="lookaside">
        <thead>
          <tr>
            <th>list</th>
            <th>packet</th>
            <th>on list</th>
            <th>total</th>
          </tr>
        </thead>
        <tbody>
          {pool.lookaside.map((l) => (
            <tr key={l.name} data-testid={`lookaside-${l.name}`}>
              <td>{l.name}</td>
              <td>{l.packetSize}</td>
              <td>{l.free}</td>
              <td>{l.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul class="blocks">
        {blocks.slice(0, BLOCKS_LISTED).map((b) => (
          <li key={b.address} data-testid={`pool-block-${hex(b.address)}`}>
            <i style={{ background: colour(b.type) }} /> {hex(b.address)} {b.type} {b.size}
          </li>
        ))}
        {blocks.length > BLOCKS_LISTED && (
          <li class="more">and {blocks.length - BLOCKS_LISTED} more</li>
        )}
      </ul>
    </div>
  )
}
