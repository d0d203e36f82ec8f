import { describe, expect, it } from 'vitest'
import { SnapshotHistory, viewMessage } from './history'
import { ScriptedSource } from './testing/scripted-source'
import type { SystemView } from './view'

describe('SnapshotHistory, the trace behind the time-travel slider', () => {
  it('records a snapshot only when something in it changed', () => {
    const source = new ScriptedSource()
    const history = new SnapshotHistory(10)
    expect(history.record(source.snapshot())?.seq).toBe(0)
    expect(history.record(source.snapshot())).toBeUndefined()
    source.pause()
    source.step('instruction') // the clock and instruction count move
    expect(history.record(source.snapshot())?.seq).toBe(1)
    expect(history.size).toBe(2)
  })

  it('shares the JSON of unchanged sections with the entry before', () => {
    const source = new ScriptedSource()
    source.pause()
    const history = new SnapshotHistory(10)
    const a = history.record(source.snapshot())!
    source.step('event') // COM -> CUR: processes change, pool does not
    const b = history.record(source.snapshot())!
    expect(b.sections.pool).toBe(a.sections.pool)
    expect(b.sections.processes).not.toBe(a.sections.processes)
  })

  it('keeps at most `limit` entries, dropping the oldest', () => {
    const source = new ScriptedSource()
    source.pause()
    const history = new SnapshotHistory(3)
    for (let i = 0; i < 7; i++) {
      history.record(source.snapshot())
      source.step('instruction')
    }
    expect([history.first, history.last, history.size]).toEqual([4, 6, 3])
    expect(history.get(3)).toBeUndefined()
    expect(history.get(4)?.seq).toBe(4)
    expect(history.get(7)).toBeUndefined()
    expect(() => new SnapshotHistory(0)).toThrow(RangeError)
  })

  it('notices a section that went away', () => {
    const history = new SnapshotHistory(3)
    const source = new ScriptedSource()
    const view: SystemView = { ...source.snapshot(), mirrors: [] }
    const a = history.record(view)!
    const { mirrors: _, ...without } = view
    const b = history.record(without)!
    const diff = JSON.parse(viewMessage(b, true, a))
    expect(diff.parts.mirrors).toBeNull()
    expect(Object.keys(diff.parts).sort()).toEqual(['instructions', 'mirrors', 'time'])
  })

  it('makes a full message or a diff of just the changed sections', () => {
    const source = new ScriptedSource()
    source.pause()
    const history = new SnapshotHistory(10)
    const a = history.record(source.snapshot())!
    source.step('event')
    const b = history.record(source.snapshot())!
    const full = JSON.parse(viewMessage(b, true))
    expect(full.full).toBe(true)
    expect(full.parts).toEqual(JSON.parse(JSON.stringify(source.snapshot())))
    const diff = JSON.parse(viewMessage(b, true, a))
    expect(diff.full).toBe(false)
    // COM -> CUR changes the processes; the locks, pool and devices stay as they were
    expect(Object.keys(diff.parts).sort()).toEqual(['instructions', 'processes', 'time'])
  })
})
