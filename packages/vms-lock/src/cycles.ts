import { ahead } from './deadlock'
import { compatible, LCK } from './lck'
import type { Lkb, Owner } from './structures'

type Node = Lkb | Owner

/**
 * The waiting locks, among those reachable from `starts`, that are on a wait-for cycle:
 * Tarjan's strongly connected components over the graph the deadlock search walks
 * (a waiting lock waits for the owners of the granted locks that block it and for the
 * lock ahead of it; an owner waits on each of its waiting locks), in time linear in the
 * graph. `tick` uses it so that of many requests timing out together only those on a
 * cycle get the book's search, which keeps a burst of timeouts from costing the square
 * of the graph.
 */
export function locksOnCycles(starts: Iterable<Lkb>): Set<Lkb> {
  const epoch = ++sccEpoch
  const found = new Set<Lkb>()
  const stack: Node[] = []
  const calls: Call[] = []
  let index = 0
  const open = (node: Node): void => {
    node.scc = epoch
    node.sccIndex = node.sccLow = ++index
    node.sccOnStack = true
    stack.push(node)
    calls.push(call(node))
  }
  for (const s of starts) {
    if (s.scc === epoch) continue
    open(s)
    while (calls.length > 0) {
      const c = calls[calls.length - 1] as Call
      const next = successor(c)
      if (next !== undefined) {
        if (next.scc !== epoch) open(next)
        else if (next.sccOnStack) c.node.sccLow = Math.min(c.node.sccLow, next.sccIndex)
        continue
      }
      calls.pop()
      const node = c.node
      const parent = calls[calls.length - 1]
      if (parent !== undefined) parent.node.sccLow = Math.min(parent.node.sccLow, node.sccLow)
      if (node.sccLow !== node.sccIndex) continue
      const component: Node[] = []
      for (;;) {
        const n = stack.pop() as Node
        n.sccOnStack = false
        component.push(n)
        if (n === node) break
      }
      if (component.length > 1) for (const n of component) if (isLkb(n)) found.add(n)
    }
  }
  return found
}

let sccEpoch = 0

interface Call {
  readonly node: Node
  phase: number
  cursor: Lkb | undefined
  waiting: Lkb[] | undefined
}

function isLkb(node: Node): node is Lkb {
  return 'rsb' in node
}

function call(node: Node): Call {
  if (isLkb(node)) return { node, phase: 0, cursor: node.rsb.grq.head, waiting: undefined }
  const waiting: Lkb[] = []
  for (const w of node.waiting) if ((w.flags & LCK.M_NODLCKWT) === 0) waiting.push(w)
  return { node, phase: 0, cursor: undefined, waiting }
}

/** The next node the call's node waits for (the same edges as `searchDeadlock`). */
function successor(c: Call): Node | undefined {
  if (c.waiting !== undefined) return c.waiting.pop()
  const lkb = c.node as Lkb
  for (;;) {
    if (c.phase < 2) {
      const l = c.cursor
      if (l === undefined) {
        c.phase++
        c.cursor = c.phase === 1 ? lkb.rsb.cvtq.head : undefined
        continue
      }
      c.cursor = l.sqfl
      if (l !== lkb && (l.flags & LCK.M_NODLCKBLK) === 0 && !compatible(l.grmode, lkb.rqmode))
        return l.owner
      continue
    }
    if (c.phase === 2) {
      c.phase = 3
      const a = ahead(lkb)
      if (a !== undefined && (a.flags & LCK.M_NODLCKWT) === 0) return a
    }
    return undefined
  }
}
