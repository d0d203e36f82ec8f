import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { DC, DVI, IoFunction, IoModifier, LENGTH } from './constants'
import { nullDriver } from './drivers'
import { qioArgs, testSystem } from './test-host'

function mailboxes(options: { privileges?: string[] } = {}) {
  const s = testSystem({ ...options, io: { mailboxes: true } })
  s.io.addUnit('NLA0', nullDriver(), ['NL'])
  return s
}

const WRITE = IoFunction.WRITEVBLK
const READ = IoFunction.READVBLK
const NOW = IoModifier.NOW

describe('$CREMBX and $DELMBX (book 18.9)', () => {
  it('a temporary mailbox is cloned from MBA0, charged to BYTLM, and deleted with its last channel', () => {
    const s = mailboxes()
    s.io.setQuotas(1, { diolm: 4, biolm: 4, bytlm: 4000 })
    const before = s.pool.stats()
    const r = s.io.createMailbox(1, 3, { maxmsg: 64, bufquo: 200, lognam: 'MY_MBX' })
    expect(r).toEqual({ status: SS.NORMAL, channel: 16 })
    const charge = LENGTH.UCB + 200
    expect(s.io.quotas(1)).toMatchObject({ bytcnt: 4000 - charge, bytlm: 4000 - charge })
    expect(s.pool.stats().bytes).toBe(before.bytes + LENGTH.UCB)
    const item = (code: number) => s.io.getdvi(1, 3, { channel: 16 }, code).value
    expect(item(DVI.DEVNAM)).toBe('_MBA1:')
    expect(item(DVI.DEVCLASS)).toBe(DC.MAILBOX)
    expect(item(DVI.DEVBUFSIZ)).toBe(64)
    expect(s.io.unit('MY_MBX')?.name).toBe('MBA1')
    // A second $CREMBX with the logical name reaches the same mailbox.
    expect(s.io.createMailbox(2, 3, { lognam: 'my_mbx' })).toEqual({
      status: SS.NORMAL,
      channel: 16,
    })
    expect(item(DVI.REFCNT)).toBe(2)
    s.io.deassign(2, 16, 3)
    expect(s.io.unit('MBA1')).toBeDefined()
    s.io.deassign(1, 16, 3)
    expect(s.io.unit('MBA1')).toBeUndefined()
    expect(s.io.logicalNames.lookup('MY_MBX')).toBeUndefined()
    expect(s.pool.stats()).toEqual(before)
    expect(s.io.quotas(1)).toMatchObject({ bytcnt: 4000, bytlm: 4000 })
  })

  it('privilege, quota, pool and argument errors return their status and change nothing', () => {
    const s = mailboxes({ privileges: [] })
    s.io.setQuotas(1, { diolm: 4, biolm: 4, bytlm: 600 })
    const state = () => ({
      pool: s.pool.stats(),
      quotas: s.io.quotas(1),
      devices: s.io.devices().length,
      channels: s.io.channelsOf(1),
      names: s.io.logicalNames.entries().length,
    })
    const before = state()
    expect(s.io.createMailbox(1, 3)).toEqual({ status: SS.NOPRIV })
    s.privileges.add('TMPMBX')
    expect(s.io.createMailbox(1, 3, { permanent: true, lognam: 'P' })).toEqual({
      status: SS.NOPRIV,
    })
    expect(s.io.createMailbox(1, 3, { bufquo: 300 })).toEqual({ status: SS.EXQUOTA }) // 144 + 300 + 256 > 600
    expect(s.io.createMailbox(1, 3, { maxmsg: 70000 })).toEqual({ status: SS.BADPARAM })
    expect(s.io.createMailbox(1, 3, { lognam: '' })).toEqual({ status: SS.IVLOGNAM })
    s.setPoolLimit(s.pool.stats().bytes + LENGTH.UCB - 1)
    expect(s.io.createMailbox(1, 3, { bufquo: 100 })).toEqual({ status: SS.INSFMEM })
    expect(state()).toEqual(before)
  })

  it('a permanent mailbox outlives its channels until $DELMBX marks it', () => {
    const s = mailboxes()
    const { channel } = s.io.createMailbox(1, 3, { permanent: true, lognam: 'SERVER' })
    s.io.deassign(1, channel as number, 3)
    expect(s.io.unit('SERVER')?.mailbox?.permanent).toBe(true)
    const again = s.io.createMailbox(1, 3, { permanent: true, lognam: 'SERVER' }).channel as number
    s.privileges.delete('PRMMBX')
    expect(s.io.deleteMailbox(1, again, 3)).toBe(SS.NOPRIV)
    s.privileges.add('PRMMBX')
    expect(s.io.deleteMailbox(1, again, 3)).toBe(SS.NORMAL)
    expect(s.io.unit('SERVER')).toBeDefined()
    s.io.deassign(1, again, 3)
    expect(s.io.unit('SERVER')).toBeUndefined()
    const nl = s.io.assign(1, 'NL', 3).channel as number
    expect(s.io.deleteMailbox(1, nl, 3)).toBe(SS.DEVNOTMBX)
    expect(s.io.deleteMailbox(1, 999, 3)).toBe(SS.IVCHAN)
  })

  it('a logical name that names another device is not taken over (SS$_DUPLNAM)', () => {
    const s = mailboxes()
    expect(s.io.createMailbox(1, 3, { lognam: 'NL' })).toEqual({ status: SS.DUPLNAM })
    expect(s.io.unit('NL')?.name).toBe('NLA0')
  })

  it('assigning a channel to the template MBA0 makes a new temporary mailbox (book 18.4.2)', () => {
    const s = mailboxes()
    const { channel } = s.io.assign(1, 'MBA0', 3)
    expect(s.io.getdvi(1, 3, { channel: channel as number }, DVI.DEVNAM).value).toBe('_MBA1:')
    s.io.deassign(1, channel as number, 3)
    expect(s.io.unit('MBA1')).toBeUndefined()
  })
})

describe('the mailbox driver (book 19.5.4)', () => {
  it('a write with IO$M_NOW completes at once; the reader gets the message and the writer PID', () => {
    const s = mailboxes()
    const w = s.io.createMailbox(1, 3, { lognam: 'BOX' }).channel as number
    const r = s.io.createMailbox(2, 3, { lognam: 'BOX' }).channel as number
    s.poke(0x1000, 'hello')
    expect(s.io.qio(1, 3, qioArgs(w, WRITE | NOW, [0x1000, 5]))).toBe(SS.NORMAL)
    s.io.postprocess()
    expect(s.iosb(0x1800)).toEqual({ status: SS.NORMAL, count: 5, device: 0 })
    expect(s.io.getdvi(1, 3, { channel: w }, DVI.DEVDEPEND).value).toBe(1) // one message
    expect(s.io.qio(2, 3, qioArgs(r, READ, [0x1100, 64]))).toBe(SS.NORMAL)
    s.io.postprocess()
    expect(s.iosb(0x1800, 2)).toEqual({ status: SS.NORMAL, count: 5, device: 1 })
    expect(new TextDecoder().decode(s.peek(0x1100, 5, 2))).toBe('hello')
  })

  it('a write without IO$M_NOW waits for its reader and learns the reader PID; a read waits for a write', () => {
    const s = mailboxes()
    const w = s.io.createMailbox(1, 3, { lognam: 'BOX' }).channel as number
    const r = s.io.createMailbox(2, 3, { lognam: 'BOX' }).channel as number
    s.io.qio(1, 3, qioArgs(w, WRITE, [0x1000, 3]))
    s.io.postprocess()
    expect(s.events).toEqual([])
    s.io.qio(2, 3, qioArgs(r, READ, [0x1100, 64]))
    s.io.postprocess()
    expect(s.iosb(0x1800, 1)).toEqual({ status: SS.NORMAL, count: 3, device: 2 })
    expect(s.iosb(0x1800, 2)).toEqual({ status: SS.NORMAL, count: 3, device: 1 })
    // Now the reader waits first.
    s.io.qio(2, 3, qioArgs(r, READ, [0x1100, 64], { iosb: 0x1808 }))
    expect(s.io.unit('BOX')?.busy).toBe(true)
    s.io.qio(1, 3, qioArgs(w, WRITE | NOW, [0x1000, 2], { iosb: 0x1808 }))
    s.io.postprocess()
    expect(s.iosb(0x1808, 2)).toEqual({ status: SS.NORMAL, count: 2, device: 1 })
    expect(s.io.unit('BOX')?.busy).toBe(false)
  })

  it('IO$M_NOW reads of an empty mailbox are end of file; IO$_WRITEOF sends an end-of-file message', () => {
    const s = mailboxes()
    const c = s.io.createMailbox(1, 3).channel as number
    s.io.qio(1, 3, qioArgs(c, READ | NOW, [0x1100, 10]))
    s.io.postprocess()
    expect(s.iosb(0x1800).status).toBe(SS.ENDOFFILE)
    s.io.qio(1, 3, qioArgs(c, IoFunction.WRITEOF | NOW, []))
    s.io.qio(1, 3, qioArgs(c, READ, [0x1100, 10], { iosb: 0x1808 }))
    s.io.postprocess()
    expect(s.iosb(0x1808)).toMatchObject({ status: SS.ENDOFFILE, count: 0 })
  })

  it('a message longer than the read buffer is cut short with SS$_BUFFEROVF', () => {
    const s = mailboxes()
    const c = s.io.createMailbox(1, 3).channel as number
    s.poke(0x1000, 'abcdefgh')
    s.io.qio(1, 3, qioArgs(c, WRITE | NOW, [0x1000, 8]))
    s.io.qio(1, 3, qioArgs(c, READ, [0x1100, 3], { iosb: 0x1808 }))
    s.io.postprocess()
    expect(s.iosb(0x1808)).toMatchObject({ status: SS.BUFFEROVF, count: 3 })
    expect(new TextDecoder().decode(s.peek(0x1100, 4))).toBe('abc\0')
  })

  it('a full mailbox is SS$_MBFULL; a message larger than the buffer quota or MAXMSG is SS$_MBTOOSML', () => {
    const s = mailboxes()
    const c = s.io.createMailbox(1, 3, { maxmsg: 12, bufquo: 10 }).channel as number
    expect(s.io.qio(1, 3, qioArgs(c, WRITE | NOW, [0x1000, 8]))).toBe(SS.NORMAL)
    const before = { pool: s.pool.stats(), quota: s.io.unit('MBA1')?.mailbox?.bufquo }
    expect(s.io.qio(1, 3, qioArgs(c, WRITE | NOW, [0x1000, 4]))).toBe(SS.MBFULL)
    expect(s.io.qio(1, 3, qioArgs(c, WRITE | NOW, [0x1000, 11]))).toBe(SS.MBTOOSML)
    expect(s.io.qio(1, 3, qioArgs(c, WRITE | NOW, [0x1000, 13]))).toBe(SS.MBTOOSML)
    expect(s.io.qio(1, 3, qioArgs(c, READ, [0x1000, 13]))).toBe(SS.MBTOOSML)
    expect({ pool: s.pool.stats(), quota: s.io.unit('MBA1')?.mailbox?.bufquo }).toEqual(before)
    expect(before.quota).toBe(2)
    s.io.qio(1, 3, qioArgs(c, READ, [0x1100, 12]))
    s.io.postprocess()
    expect(s.io.unit('MBA1')?.mailbox?.bufquo).toBe(10) // the read gave the space back
  })

  it('write attention ASTs fire once when a message arrives; read attention ASTs when a read waits (book 7.8.4)', () => {
    const s = mailboxes()
    const reader = s.io.createMailbox(1, 3, { lognam: 'BOX' }).channel as number
    const writer = s.io.createMailbox(2, 3, { lognam: 'BOX' }).channel as number
    const setmode = IoFunction.SETMODE
    s.io.qio(1, 3, qioArgs(reader, setmode | IoModifier.WRTATTN, [0x2000, 5, 3]))
    s.io.qio(2, 3, qioArgs(writer, setmode | IoModifier.READATTN, [0x2100, 6, 0]))
    s.io.postprocess()
    s.events.length = 0
    s.io.qio(2, 3, qioArgs(writer, WRITE | NOW, [0x1000, 1]))
    s.io.qio(2, 3, qioArgs(writer, WRITE | NOW, [0x1000, 1]))
    expect(s.events).toEqual(['ast 2000(5) to 1 mode 3']) // once: it must be asked for again
    s.io.qio(1, 3, qioArgs(reader, READ, [0x1100, 8]))
    s.io.qio(1, 3, qioArgs(reader, READ, [0x1100, 8]))
    s.io.qio(1, 3, qioArgs(reader, READ, [0x1100, 8]))
    expect(s.events.filter((e) => e.startsWith('ast'))).toEqual([
      'ast 2000(5) to 1 mode 3',
      'ast 2100(6) to 2 mode 3', // the third read waits on an empty mailbox; mode maximized
    ])
    // Asking while a message is already there delivers at once.
    s.io.qio(2, 3, qioArgs(writer, WRITE | NOW, [0x1000, 1]))
    s.io.postprocess()
    s.io.qio(2, 3, qioArgs(writer, WRITE | NOW, [0x1000, 1]))
    s.events.length = 0
    s.io.qio(1, 3, qioArgs(reader, setmode | IoModifier.WRTATTN, [0x2000, 9, 3]))
    expect(s.events[0]).toBe('ast 2000(9) to 1 mode 3')
  })

  it('$CANCEL ends a waiting read with SS$_ABORT and drops the channel attention ASTs; pool comes back', () => {
    const s = mailboxes()
    const before = s.pool.stats()
    const c = s.io.createMailbox(1, 3).channel as number
    s.io.qio(1, 3, qioArgs(c, IoFunction.SETMODE | IoModifier.WRTATTN, [0x2000, 1, 3]))
    s.io.qio(1, 3, qioArgs(c, READ, [0x1100, 8], { iosb: 0x1808 }))
    s.io.postprocess()
    expect(s.io.cancel(1, c, 3)).toBe(SS.NORMAL)
    s.io.postprocess()
    expect(s.iosb(0x1808).status).toBe(SS.ABORT)
    expect(s.io.unit('MBA1')?.mailbox?.writeAttention).toEqual([])
    s.io.qio(1, 3, qioArgs(c, WRITE | NOW, [0x1000, 4]))
    s.io.qio(1, 3, qioArgs(c, WRITE, [0x1000, 4], { iosb: 0x1810 }))
    s.io.postprocess()
    s.io.deassign(1, c, 3) // the mailbox goes, with its messages
    s.io.postprocess()
    expect(s.iosb(0x1810).status).toBe(SS.ABORT)
    expect(s.pool.stats()).toEqual(before)
  })

  it('a writer deleted while its message waits leaves the message; the reader still gets it', () => {
    const s = mailboxes()
    const before = s.pool.stats()
    const w = s.io.createMailbox(1, 3, { lognam: 'BOX' }).channel as number
    const r = s.io.createMailbox(2, 3, { lognam: 'BOX' }).channel as number
    s.poke(0x1000, 'bye')
    s.io.qio(1, 3, qioArgs(w, WRITE, [0x1000, 3]))
    s.io.deleteProcess(1)
    expect(s.io.channelsOf(1)).toEqual([])
    s.io.qio(2, 3, qioArgs(r, READ, [0x1100, 8]))
    s.io.postprocess()
    expect(s.iosb(0x1800, 2)).toMatchObject({ status: SS.NORMAL, count: 3, device: 1 })
    s.io.deassign(2, r, 3)
    expect(s.pool.stats()).toEqual(before)
  })
})
