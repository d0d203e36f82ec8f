import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { IoFunction } from './constants'
import { diskDriver } from './disk'
import type { FdtRoutine } from './driver'
import type { Irp } from './structures'
import { memoryDisk, qioArgs, testSystem } from './test-host'

/** IO$_ACPCONTROL: a function the disk driver lacks, which an intercept may add. */
const ACPCONTROL = 0x38

function withDisk() {
  const s = testSystem({ io: { images: [diskDriver({ latency: 1000, perBlock: 100 })] } })
  s.io.load('DKDRIVER')
  const storage = memoryDisk(8)
  s.io.connect('DKA0', 'DKDRIVER', { storage })
  s.io.mountForeign(1, 'DKA0')
  const channel = s.io.assign(1, 'DKA0', 3).channel as number
  return { ...s, channel, storage }
}

/** An intercept that holds every read of block 5 and lets everything else through. */
function holdBlock5(s: ReturnType<typeof withDisk>, onCancel?: (irp: Irp) => void) {
  const seen: number[] = []
  let original: FdtRoutine | undefined
  const routine: FdtRoutine = (irp, ucb, context, services) => {
    seen.push(irp.p[2] ?? 0)
    if ((irp.func & 0x3f) === IoFunction.READLBLK && irp.p[2] === 5) return { kind: 'hold' }
    return (original as FdtRoutine)(irp, ucb, context, services)
  }
  const r = s.io.stealFdt('DKDRIVER', [IoFunction.READLBLK, IoFunction.WRITELBLK], routine, {
    ...(onCancel !== undefined && { onCancel }),
  })
  const intercept = r.intercept
  if (intercept === undefined) throw new Error(`stealFdt: ${r.status}`)
  original = intercept.originals.get(IoFunction.READLBLK)
  return { intercept, seen }
}

describe('FDT intercepts (seed note "How to Add your Own ACPs ahead of the DEC ones")', () => {
  it('the stolen entries run first; the originals are kept and carry on the request', () => {
    const s = withDisk()
    const { seen } = holdBlock5(s)
    s.poke(0x1000, new Uint8Array(512).fill(7))
    expect(s.io.qio(1, 3, qioArgs(s.channel, IoFunction.WRITELBLK, [0x1000, 512, 2]))).toBe(
      SS.NORMAL,
    )
    s.advance(1_000_000)
    expect(s.iosb(0x1800)).toMatchObject({ status: SS.NORMAL, count: 512 })
    expect(s.storage.bytes[1024]).toBe(7)
    expect(seen).toEqual([2])
  })

  it('a held request: $QIO returns SS$_NORMAL (the intermediate status), IOSB cleared; continueWith ends it through the driver', () => {
    const s = withDisk()
    const { intercept } = holdBlock5(s)
    s.storage.bytes.fill(9, 5 * 512, 6 * 512)
    s.poke(0x1800, new Uint8Array(8).fill(0xff))
    expect(s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x1000, 512, 5]))).toBe(
      SS.NORMAL,
    )
    expect(s.iosb(0x1800)).toEqual({ status: 0, count: 0, device: 0 })
    s.advance(1_000_000)
    expect(s.iosb(0x1800).status).toBe(0) // still held: nothing reached the driver
    expect(s.io.unit('DKA0')?.operations).toBe(0)
    const [irp] = intercept.held()
    expect(intercept.continueWith(irp as Irp)).toBe(SS.NORMAL)
    expect(intercept.held()).toEqual([])
    s.advance(2_000_000)
    expect(s.iosb(0x1800)).toMatchObject({ status: SS.NORMAL, count: 512 })
    expect(s.peek(0x1000, 512).every((b) => b === 9)).toBe(true)
  })

  it('complete ends a held request with an error; quotas and pool come back', () => {
    const s = withDisk()
    s.io.setQuotas(1, { diolm: 4, biolm: 4, bytlm: 4000 })
    const pool = s.pool.stats()
    const { intercept } = holdBlock5(s)
    s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x1000, 512, 5]))
    expect(s.io.quotas(1)?.diocnt).toBe(3)
    expect(intercept.complete(intercept.held()[0] as Irp, SS.DEVOFFLINE)).toBe(SS.NORMAL)
    s.advance(1_000_000)
    expect(s.iosb(0x1800).status).toBe(SS.DEVOFFLINE)
    expect(s.io.quotas(1)?.diocnt).toBe(4)
    expect(s.pool.stats()).toEqual(pool)
  })

  it('$CANCEL (book 18.8) ends a held request with SS$_CANCEL and tells the intercept', () => {
    const s = withDisk()
    const canceled: Irp[] = []
    const { intercept } = holdBlock5(s, (irp) => canceled.push(irp))
    const pool = s.pool.stats()
    s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x1000, 512, 5]))
    const irp = intercept.held()[0] as Irp
    expect(s.io.cancel(1, s.channel, 3)).toBe(SS.NORMAL)
    expect(canceled).toEqual([irp])
    expect(intercept.held()).toEqual([])
    s.advance(1_000_000)
    expect(s.iosb(0x1800).status).toBe(SS.CANCEL)
    expect(s.pool.stats()).toEqual(pool)
    // The IRP is not held any more: going on with it is refused and changes nothing.
    expect(intercept.continueWith(irp)).toBe(SS.BADPARAM)
    expect(intercept.complete(irp, SS.ABORT)).toBe(SS.BADPARAM)
    expect(s.io.postPending).toBe(0)
  })

  it('process rundown cancels held requests', () => {
    const s = withDisk()
    const { intercept } = holdBlock5(s)
    s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x1000, 512, 5]))
    s.io.deleteProcess(1)
    expect(intercept.held()).toEqual([])
    expect(s.io.postPending).toBe(0)
  })

  it('a code the driver lacks becomes legal while stolen; restore puts the FDT back', () => {
    const s = withDisk()
    const before = s.io.driver('DKDRIVER')?.fdt.legal
    expect(s.io.qio(1, 3, qioArgs(s.channel, ACPCONTROL, []))).toBe(SS.ILLIOFUNC)
    const r = s.io.stealFdt('DKDRIVER', [ACPCONTROL], () => ({
      kind: 'finish',
      status: SS.NORMAL,
      count: 3,
    }))
    expect(r.intercept?.originals.get(ACPCONTROL)).toBeUndefined()
    expect(s.io.qio(1, 3, qioArgs(s.channel, ACPCONTROL, []))).toBe(SS.NORMAL)
    s.advance(0)
    expect(s.iosb(0x1800)).toMatchObject({ status: SS.NORMAL, count: 3 })
    expect(r.intercept?.restore()).toBe(SS.NORMAL)
    expect(r.intercept?.restore()).toBe(SS.NORMAL)
    expect(s.io.driver('DKDRIVER')?.fdt.legal).toBe(before)
    expect(s.io.qio(1, 3, qioArgs(s.channel, ACPCONTROL, []))).toBe(SS.ILLIOFUNC)
  })

  it('restore is SS$_DEVACTIVE while requests are held; bad arguments change nothing', () => {
    const s = withDisk()
    const dpt = s.io.driver('DKDRIVER')
    const state = () => [dpt?.fdt.legal, [...(dpt?.fdt.routines ?? [])]]
    const before = state()
    const noop: FdtRoutine = () => ({ kind: 'hold' })
    expect(s.io.stealFdt('XXDRIVER', [1], noop).status).toBe(SS.NONEXDRV)
    for (const codes of [[], [64], [-1], [1.5], [3, 3]])
      expect(s.io.stealFdt('DKDRIVER', codes, noop).status).toBe(SS.BADPARAM)
    expect(state()).toEqual(before)
    const { intercept } = holdBlock5(s)
    const during = state()
    expect(s.io.stealFdt('DKDRIVER', [IoFunction.READLBLK], noop).status).toBe(SS.BADPARAM)
    expect(state()).toEqual(during)
    s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x1000, 512, 5]))
    expect(intercept.restore()).toBe(SS.DEVACTIVE)
    expect(state()).toEqual(during)
    intercept.continueWith(intercept.held()[0] as Irp)
    expect(intercept.restore()).toBe(SS.NORMAL)
    expect(state()).toEqual(before)
  })

  it('an original that refuses the continued request completes it with that status', () => {
    const s = withDisk()
    const { intercept } = holdBlock5(s)
    s.io.qio(1, 3, qioArgs(s.channel, IoFunction.READLBLK, [0x1000, 512, 5]))
    s.io.dismount(1, 'DKA0')
    intercept.continueWith(intercept.held()[0] as Irp)
    s.advance(0)
    expect(s.iosb(0x1800).status).toBe(SS.DEVNOTMOUNT)
  })
})

describe('EXE$WRTMAILBOX (book 18.9, 19.5.4)', () => {
  it('a message from system context reaches the reader, with the sender PID in its IOSB', () => {
    const s = testSystem({ io: { mailboxes: true } })
    const made = s.io.createMailbox(1, 3, { maxmsg: 16, bufquo: 32, lognam: 'ACP$MBX' })
    const channel = made.channel as number
    expect(s.io.writeMailbox('ACP$MBX', Uint8Array.of(1, 2, 3), 0x55)).toBe(SS.NORMAL)
    s.io.qio(1, 3, qioArgs(channel, IoFunction.READVBLK, [0x1000, 16]))
    s.advance(0)
    expect(s.iosb(0x1800)).toEqual({ status: SS.NORMAL, count: 3, device: 0x55 })
    expect([...s.peek(0x1000, 3)]).toEqual([1, 2, 3])
  })

  it('refusals change nothing: not a mailbox, too large, full, no such device', () => {
    const s = testSystem({ io: { mailboxes: true, images: [diskDriver()] } })
    s.io.createMailbox(1, 3, { maxmsg: 16, bufquo: 20, lognam: 'ACP$MBX' })
    s.io.load('DKDRIVER')
    s.io.connect('DKA0', 'DKDRIVER', { storage: memoryDisk(2) })
    expect(s.io.writeMailbox('ACP$MBX', new Uint8Array(16))).toBe(SS.NORMAL)
    const pool = s.pool.stats()
    const messages = s.io.unit('ACP$MBX')?.mailbox?.messages.length
    expect(s.io.writeMailbox('ACP$MBX', new Uint8Array(17))).toBe(SS.MBTOOSML)
    expect(s.io.writeMailbox('ACP$MBX', new Uint8Array(8))).toBe(SS.MBFULL)
    expect(s.io.writeMailbox('DKA0', new Uint8Array(8))).toBe(SS.DEVNOTMBX)
    expect(s.io.writeMailbox('NOSUCH', new Uint8Array(8))).toBe(SS.NOSUCHDEV)
    expect(s.pool.stats()).toEqual(pool)
    expect(s.io.unit('ACP$MBX')?.mailbox?.messages.length).toBe(messages)
  })
})
