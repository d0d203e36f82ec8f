import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { DVI, IoFunction } from './constants'
import { diskDriver, virtualDiskDriver } from './disk'
import { memoryDisk, qioArgs, testSystem } from './test-host'

function withDisk(storage = memoryDisk(8)) {
  const s = testSystem({ io: { images: [diskDriver({ latency: 1000, perBlock: 100 })] } })
  s.io.load('DKDRIVER')
  s.io.connect('DKA0', 'DKDRIVER', { storage })
  const channel = s.io.assign(1, 'DKA0', 3).channel as number
  return { ...s, channel, storage }
}

describe('the disk class driver (book 19.1, 18.7.4)', () => {
  it('refuses transfers unless the volume is mounted foreign (SS$_DEVNOTMOUNT)', () => {
    const s = withDisk()
    expect(s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x1000, 512, 0]))).toBe(
      SS.DEVNOTMOUNT,
    )
    expect(s.io.dismount(1, 'DKA0')).toBe(SS.DEVNOTMOUNT)
    expect(s.io.mountForeign(1, 'DKA0')).toBe(SS.NORMAL)
    expect(s.io.mountForeign(1, 'DKA0')).toBe(SS.DEVMOUNT)
    expect(s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x1000, 512, 0]))).toBe(
      SS.NORMAL,
    )
    expect(s.io.dismount(1, 'DKA0')).toBe(SS.NORMAL)
    expect(s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x1000, 512, 0]))).toBe(
      SS.DEVNOTMOUNT,
    )
    expect(s.io.mountForeign(1, 'NL')).toBe(SS.NOSUCHDEV)
  })

  it('writes and reads whole blocks: logical block n is virtual block n+1 on a foreign volume', () => {
    const s = withDisk()
    s.io.mountForeign(1, 'DKA0')
    s.poke(0x1000, new Uint8Array(700).fill(0xab))
    s.io.qio(1, 3, qioArgs(s.channel, IoFunction.WRITELBLK, [0x1000, 700, 2]))
    s.advance(1_000_000)
    expect(s.iosb(0x1800)).toMatchObject({ status: SS.NORMAL, count: 700 })
    // The last block is padded with zeros.
    expect(s.storage.bytes?.subarray(1024, 1024 + 700).every((b) => b === 0xab)).toBe(true)
    expect(s.storage.bytes?.subarray(1024 + 700, 1536).every((b) => b === 0)).toBe(true)
    s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READVBLK, [0x2000, 600, 3]))
    s.advance(2_000_000)
    expect(s.iosb(0x1800)).toMatchObject({ status: SS.NORMAL, count: 600 })
    expect([...s.peek(0x2000, 600)].every((b) => b === 0xab)).toBe(true)
    expect(s.io.getdvi(1, 3, { devnam: 'DKA0' }, DVI.OPCNT).value).toBe(2)
  })

  it('completes after its virtual time: latency plus each block', () => {
    const s = withDisk()
    s.io.mountForeign(1, 'DKA0')
    s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x1000, 1024, 0]))
    s.advance(1000 + 2 * 100 - 1)
    expect(s.events).toEqual([])
    s.advance(1000 + 2 * 100)
    expect(s.events.length).toBe(1)
  })

  it('a transfer past the last block is SS$_IVADDR; virtual block 0 is SS$_ILLBLKNUM', () => {
    const s = withDisk()
    s.io.mountForeign(1, 'DKA0')
    s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x1000, 1024, 7]))
    s.advance(1_000_000)
    expect(s.iosb(0x1800)).toMatchObject({ status: SS.IVADDR, count: 0 })
    expect(s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READVBLK, [0x1000, 512, 0]))).toBe(
      SS.ILLBLKNUM,
    )
    expect(s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x9000, 512, 0]))).toBe(
      SS.ACCVIO,
    )
    expect(s.io.qio(1, 3, qioArgs(s.channel, IoFunction.WRITELBLK, [0x9000, 512, 0]))).toBe(
      SS.ACCVIO,
    )
    expect(s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x1000, 70000, 0]))).toBe(
      SS.BADPARAM,
    )
    expect(s.io.qio(1, 3, qioArgs(s.channel, IoFunction.SETMODE, []))).toBe(SS.ILLIOFUNC)
  })

  it('a device error counts in ERRCNT and completes with SS$_DRVERR', () => {
    const failing = memoryDisk(8)
    failing.read = () => {
      throw Object.assign(new Error('EIO'), { code: 'EIO' })
    }
    const s = withDisk(failing)
    s.io.mountForeign(1, 'DKA0')
    s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x1000, 512, 0]))
    s.advance(1_000_000)
    expect(s.iosb(0x1800).status).toBe(SS.DRVERR)
    expect(s.io.getdvi(1, 3, { devnam: 'DKA0' }, DVI.ERRCNT).value).toBe(1)
  })

  it('requests wait in the unit queue and run one at a time, in order (book 18.5.3, 18.6)', () => {
    const s = withDisk()
    s.io.mountForeign(1, 'DKA0')
    s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x1000, 512, 0], { iosb: 0x1800 }))
    s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x1000, 512, 1], { iosb: 0x1808 }))
    expect(s.io.unit('DKA0')?.queue.length).toBe(1)
    s.advance(1100)
    expect(s.iosb(0x1800).status).toBe(SS.NORMAL)
    expect(s.iosb(0x1808).status).toBe(0)
    s.advance(2200)
    expect(s.iosb(0x1808).status).toBe(SS.NORMAL)
  })
})

describe('the virtual disk driver VD (seed: How to make Virtual Disks Cluster Known)', () => {
  it('a container-backed unit loaded with allocation class 193 and cluster set is $193$VDA0: for I/O', () => {
    const container = memoryDisk(4)
    const s = testSystem({ io: { images: [virtualDiskDriver()] } })
    expect(s.io.load('VDDRIVER', { allocationClass: 193, cluster: true })).toBe(SS.NORMAL)
    expect(s.io.connect('VDA0', 'VDDRIVER', { storage: container })).toBe(SS.NORMAL)
    expect(s.io.mountForeign(1, '$193$VDA0:')).toBe(SS.NORMAL)
    const { channel } = s.io.assign(1, '_$193$VDA0:', 3)
    s.poke(0x1000, 'container block')
    s.io.qio(1, 3, qioArgs(channel as number, IoFunction.WRITEVBLK, [0x1000, 512, 4]))
    s.advance(1_000_000)
    expect(s.iosb(0x1800).status).toBe(SS.NORMAL)
    expect(new TextDecoder().decode(container.bytes.subarray(3 * 512, 3 * 512 + 15))).toBe(
      'container block',
    )
    // Cluster available: $ASSIGN does not allocate it (book 18.4.2).
    expect(s.io.getdvi(1, 3, { channel: channel as number }, DVI.PID).value).toBe(0)
  })
})
