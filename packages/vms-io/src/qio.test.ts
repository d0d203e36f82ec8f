import { PriorityClass, SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { IoFunction, LENGTH } from './constants'
import { diskDriver } from './disk'
import { nullDriver, terminalDriver } from './drivers'
import { memoryDisk, qioArgs, testSystem } from './test-host'

function withDevices() {
  const system = testSystem({ io: { images: [diskDriver()] } })
  const written: string[] = []
  const terminal = terminalDriver((bytes) => written.push(new TextDecoder().decode(bytes)))
  system.io.addUnit('NLA0', nullDriver(), ['NL'])
  system.io.addUnit('OPA0', terminal, ['TT'])
  system.io.load('DKDRIVER')
  system.io.connect('DKA0', 'DKDRIVER', { storage: memoryDisk(8) })
  system.io.mountForeign(1, 'DKA0')
  return { ...system, terminal, written }
}

/** Everything a refused request must leave as it was. */
function snapshot(s: ReturnType<typeof withDevices>) {
  const ucb = s.io.unit('OPA0')
  return {
    pool: s.pool.stats(),
    quotas: s.io.quotas(1),
    queue: ucb?.queue.length,
    busy: ucb?.busy,
    posted: s.io.postPending,
    channels: s.io.channelsOf(1),
  }
}

describe('$QIO quotas (book 18.5 step 12, 18.7.3)', () => {
  it('a buffered request charges BIOCNT and its system buffer BYTCNT; postprocessing gives them back', () => {
    const s = withDevices()
    s.io.setQuotas(1, { diolm: 2, biolm: 1, bytlm: 100 })
    const { channel } = s.io.assign(1, 'NL', 3)
    const before = s.pool.stats()
    expect(s.io.qio(1, 3, qioArgs(channel as number, IoFunction.WRITEVBLK, [0x1000, 10]))).toBe(
      SS.NORMAL,
    )
    expect(s.io.quotas(1)).toEqual({
      diocnt: 2,
      biocnt: 0,
      bytcnt: 100 - 10 - LENGTH.BUFIO,
      bytlm: 100,
    })
    expect(s.pool.stats().bytes).toBe(before.bytes + LENGTH.IRP + 10 + LENGTH.BUFIO)
    // A second buffered request while the first is still not postprocessed: no BIOCNT left.
    const state = snapshot(s)
    expect(s.io.qio(1, 3, qioArgs(channel as number, IoFunction.WRITEVBLK, [0x1000, 10]))).toBe(
      SS.EXQUOTA,
    )
    expect(snapshot(s)).toEqual(state)
    s.io.postprocess()
    expect(s.io.quotas(1)).toEqual({ diocnt: 2, biocnt: 1, bytcnt: 100, bytlm: 100 })
    expect(s.pool.stats()).toEqual(before)
  })

  it('a system buffer larger than BYTCNT is SS$_EXQUOTA, with nothing charged', () => {
    const s = withDevices()
    s.io.setQuotas(1, { diolm: 2, biolm: 2, bytlm: 100 })
    const { channel } = s.io.assign(1, 'TT', 3)
    const state = snapshot(s)
    expect(s.io.qio(1, 3, qioArgs(channel as number, IoFunction.WRITEVBLK, [0x1000, 100]))).toBe(
      SS.EXQUOTA,
    )
    expect(s.io.qio(1, 3, qioArgs(channel as number, IoFunction.READVBLK, [0x1000, 100]))).toBe(
      SS.EXQUOTA,
    )
    expect(snapshot(s)).toEqual(state)
  })

  it('a direct request (the disk) charges DIOCNT, not BIOCNT or BYTCNT', () => {
    const s = withDevices()
    s.io.setQuotas(1, { diolm: 1, biolm: 1, bytlm: 10 })
    const { channel } = s.io.assign(1, 'DKA0', 3)
    expect(s.io.qio(1, 3, qioArgs(channel as number, IoFunction.READLBLK, [0x1000, 512, 0]))).toBe(
      SS.NORMAL,
    )
    expect(s.io.quotas(1)).toEqual({ diocnt: 0, biocnt: 1, bytcnt: 10, bytlm: 10 })
    expect(s.io.qio(1, 3, qioArgs(channel as number, IoFunction.READLBLK, [0x1000, 512, 0]))).toBe(
      SS.EXQUOTA,
    )
    s.advance(1_000_000)
    expect(s.io.quotas(1)).toEqual({ diocnt: 1, biocnt: 1, bytcnt: 10, bytlm: 10 })
  })

  it('SS$_INSFMEM for the IRP or the system buffer gives every quota back', () => {
    const s = withDevices()
    s.io.setQuotas(1, { diolm: 2, biolm: 2, bytlm: 1000 })
    const { channel } = s.io.assign(1, 'TT', 3)
    for (const room of [0, LENGTH.IRP]) {
      s.setPoolLimit(s.pool.stats().bytes + room)
      const state = snapshot(s)
      expect(s.io.qio(1, 3, qioArgs(channel as number, IoFunction.WRITEVBLK, [0x1000, 10]))).toBe(
        SS.INSFMEM,
      )
      expect(snapshot(s)).toEqual(state)
    }
  })
})

describe('$QIO preprocessing and completion (book 18.5-18.7)', () => {
  it('clears the IOSB when the request is queued and writes it at completion', () => {
    const s = withDevices()
    s.poke(0x1800, new Uint8Array(8).fill(0xff))
    const { channel } = s.io.assign(1, 'TT', 3)
    s.io.qio(1, 3, qioArgs(channel as number, IoFunction.WRITEVBLK, [0x1000, 3]))
    expect(s.iosb(0x1800)).toEqual({ status: 0, count: 0, device: 0 })
    s.advance(1_000_000)
    expect(s.iosb(0x1800)).toEqual({ status: SS.NORMAL, count: 3, device: 0 })
    expect(s.events).toEqual([`efn 1 of 1 boost ${PriorityClass.TOCOM}`])
  })

  it('a completion AST is queued in the mode of the request with the driver boost', () => {
    const s = withDevices()
    const { channel } = s.io.assign(1, 'NL', 2)
    s.io.qio(
      1,
      2,
      qioArgs(channel as number, IoFunction.READVBLK, [0x1000, 3], { astadr: 0x2400, astprm: 7 }),
    )
    s.io.postprocess()
    expect(s.iosb(0x1800).status).toBe(SS.ENDOFFILE)
    expect(s.events).toEqual([`efn 1 of 1 boost ${PriorityClass.IOCOM}`, 'ast 2400(7) to 1 mode 2'])
  })

  it('a channel assigned from an inner mode cannot be used from an outer one (SS$_IVCHAN)', () => {
    const s = withDevices()
    const { channel } = s.io.assign(1, 'NL', 1)
    expect(s.io.qio(1, 3, qioArgs(channel as number, IoFunction.WRITEVBLK, [0x1000, 1]))).toBe(
      SS.IVCHAN,
    )
    expect(s.io.qio(1, 0, qioArgs(channel as number, IoFunction.WRITEVBLK, [0x1000, 1]))).toBe(
      SS.NORMAL,
    )
  })
})

describe('$CANCEL (book 18.8)', () => {
  it('queued requests of the channel complete with SS$_CANCEL, the read in progress with SS$_ABORT', () => {
    const s = withDevices()
    const { channel } = s.io.assign(1, 'TT', 3)
    const other = s.io.assign(1, 'TT', 3).channel as number
    const c = channel as number
    s.io.qio(1, 3, qioArgs(c, IoFunction.READVBLK, [0x1100, 10], { iosb: 0x1800 }))
    s.io.qio(1, 3, qioArgs(c, IoFunction.WRITEVBLK, [0x1000, 2], { iosb: 0x1808 }))
    s.io.qio(1, 3, qioArgs(other, IoFunction.WRITEVBLK, [0x1000, 2], { iosb: 0x1810 }))
    s.io.qio(1, 3, qioArgs(c, IoFunction.WRITEVBLK, [0x1000, 2], { iosb: 0x1818 }))
    expect(s.terminal.reading).toBe(true)
    expect(s.io.cancel(1, c, 3)).toBe(SS.NORMAL)
    s.io.postprocess()
    expect(s.iosb(0x1808).status).toBe(SS.CANCEL)
    expect(s.iosb(0x1818).status).toBe(SS.CANCEL)
    expect(s.iosb(0x1800).status).toBe(SS.ABORT)
    expect(s.terminal.reading).toBe(false)
    // The other channel's request goes on: it is the unit's current request now.
    expect(s.io.unit('OPA0')?.current?.channel).toBe(other)
    s.advance(10_000_000)
    expect(s.iosb(0x1810)).toMatchObject({ status: SS.NORMAL, count: 2 })
    expect(s.io.cancel(1, 999, 3)).toBe(SS.IVCHAN)
    expect(s.io.cancel(1, c, 3)).toBe(SS.NORMAL) // nothing left to cancel
  })

  it('virtual disk requests are not canceled (IRP$V_VIRTUAL)', () => {
    const s = withDevices()
    const { channel } = s.io.assign(1, 'DKA0', 3)
    const c = channel as number
    s.io.qio(1, 3, qioArgs(c, IoFunction.READLBLK, [0x1000, 512, 0], { iosb: 0x1800 }))
    s.io.qio(1, 3, qioArgs(c, IoFunction.READVBLK, [0x1000, 512, 1], { iosb: 0x1808 }))
    s.io.qio(1, 3, qioArgs(c, IoFunction.READLBLK, [0x1000, 512, 0], { iosb: 0x1810 }))
    s.io.cancel(1, c, 3)
    s.advance(10_000_000)
    expect(s.iosb(0x1800).status).toBe(SS.NORMAL)
    expect(s.iosb(0x1808).status).toBe(SS.NORMAL)
    expect(s.iosb(0x1810).status).toBe(SS.CANCEL)
  })
})
