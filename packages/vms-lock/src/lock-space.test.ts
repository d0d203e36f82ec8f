import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { LockError, LockSpace } from './lock-space'

function manual() {
  let time = 0
  const space = new LockSpace({ now: () => time, deadlockWait: 10 })
  return {
    space,
    advance(t: number) {
      time += t
      space.tick()
    },
  }
}

describe('the standalone face (LockSpace)', () => {
  it('grants at once with a resolved promise and queues otherwise, FIFO', async () => {
    const { space } = manual()
    const a = space.owner()
    const b = space.owner()
    const held = await a.enq('accounts', 'PR')
    expect(held.mode).toBe('PR')
    expect(held.granted).toBe(true)
    const order: string[] = []
    const ex = b.enq('accounts', 'EX').then((l) => order.push(`b ${l.mode}`))
    const pr = a.enq('accounts', 'PR').then((l) => order.push(`a ${l.mode}`))
    await Promise.resolve()
    expect(order).toEqual([])
    held.release()
    await ex
    expect(order).toEqual(['b EX'])
    b.releaseAll()
    await pr
    expect(order).toEqual(['b EX', 'a PR'])
  })

  it('enqNow and noQueue fail with SS$_NOTQUEUED instead of waiting', async () => {
    const { space } = manual()
    const a = space.owner()
    const b = space.owner()
    a.enqNow('r', 'EX')
    expect(() => b.enqNow('r', 'CR')).toThrow(LockError)
    await expect(b.enq('r', 'CR', { noQueue: true })).rejects.toMatchObject({
      status: SS.NOTQUEUED,
      code: 'SS$_NOTQUEUED',
    })
  })

  it('conversions and value blocks as Uint8Array', async () => {
    const { space } = manual()
    const writer = space.owner()
    const reader = space.owner()
    const w = await writer.enq('config', 'EX', { valueBlock: true })
    await w.convert('NL', { valueBlock: new TextEncoder().encode('version 42......') })
    const r = await reader.enq('config', 'PR', { valueBlock: true })
    expect(new TextDecoder().decode(r.valueBlock)).toBe('version 42......')
    expect(r.valueBlockValid).toBe(true)
  })

  it('a closed owner leaves the value block it held in EX not valid', async () => {
    const { space } = manual()
    const keeper = space.owner()
    await keeper.enq('config', 'NL')
    const dying = space.owner()
    await dying.enq('config', 'EX')
    dying.close()
    const r = await space.owner().enq('config', 'PR', { valueBlock: true })
    expect(r.valueBlockValid).toBe(false)
    expect(r.status).toBe(SS.VALNOTVALID)
  })

  it('blocking callbacks tell a holder that someone waits', async () => {
    const { space } = manual()
    const a = space.owner()
    const seen: string[] = []
    const lock = await a.enq('cache', 'PW', {
      onBlocking: (mode, l) => {
        seen.push(mode)
        l.convert('NL')
      },
    })
    const other = await space.owner().enq('cache', 'PR')
    expect(seen).toEqual(['PR'])
    expect(lock.mode).toBe('NL')
    expect(other.mode).toBe('PR')
  })

  it('a deadlock rejects the victim with SS$_DEADLOCK after the deadlock wait (caller-driven clock)', async () => {
    const { space, advance } = manual()
    const a = space.owner()
    const b = space.owner()
    await a.enq('one', 'EX')
    await b.enq('two', 'EX')
    const aWaits = a.enq('two', 'EX')
    const bWaits = b.enq('one', 'EX')
    advance(5)
    advance(5)
    await expect(aWaits).rejects.toMatchObject({ code: 'SS$_DEADLOCK' })
    a.releaseAll()
    await expect(bWaits).resolves.toMatchObject({ mode: 'EX' })
  })

  it('deadlock priority chooses the victim', async () => {
    const { space, advance } = manual()
    const a = space.owner({ deadlockPriority: 10 })
    const b = space.owner({ deadlockPriority: 1 })
    await a.enq('one', 'EX')
    await b.enq('two', 'EX')
    const aWaits = a.enq('two', 'EX')
    const bWaits = b.enq('one', 'EX')
    advance(10)
    await expect(bWaits).rejects.toMatchObject({ code: 'SS$_DEADLOCK' })
    b.releaseAll()
    await expect(aWaits).resolves.toBeDefined()
  })

  it('an AbortSignal cancels a waiting request with SS$_ABORT', async () => {
    const { space } = manual()
    await space.owner().enq('r', 'EX')
    const controller = new AbortController()
    const waiting = space.owner().enq('r', 'EX', { signal: controller.signal })
    controller.abort()
    await expect(waiting).rejects.toMatchObject({ code: 'SS$_ABORT' })
    expect(space.snapshot().resources[0]?.waiting).toEqual([])
  })

  it('sublocks, quotas and bad modes report their VMS statuses', async () => {
    const { space } = manual()
    const a = space.owner({ maxLocks: 2 })
    const file = await a.enq('file', 'PR')
    const rec = await a.enq('record 7', 'EX', { parent: file })
    expect(() => file.release()).toThrow(/SUBLOCKS/)
    await expect(a.enq('more', 'NL')).rejects.toMatchObject({ code: 'SS$_EXENQLM' })
    rec.release()
    await expect(a.enq('x', 'ZZ' as 'EX')).rejects.toMatchObject({ code: 'SS$_BADPARAM' })
    await expect(a.enq('', 'EX')).rejects.toMatchObject({ code: 'SS$_IVBUFLEN' })
  })

  it('a wall-clock timer can run the deadlock searches', async () => {
    const space = new LockSpace({ deadlockWait: 20, timer: 5 })
    try {
      const a = space.owner()
      const b = space.owner()
      await a.enq('one', 'EX')
      await b.enq('two', 'EX')
      const aWaits = a.enq('two', 'EX')
      const bWaits = b.enq('one', 'EX')
      const first = await Promise.race([
        aWaits.catch((e: LockError) => e.code),
        bWaits.catch((e: LockError) => e.code),
      ])
      expect(first).toBe('SS$_DEADLOCK')
      a.releaseAll()
      b.releaseAll()
    } finally {
      space.close()
    }
  })
})
