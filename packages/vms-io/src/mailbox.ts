import { PriorityClass, SS, type Status } from '@vms/contracts'
import { DC, DEV, DT, DYN_IO, functionCode, IoFunction, IoModifier, LENGTH } from './constants'
import type { Driver, DriverServices, FdtContext, FdtResult, FdtServices } from './driver'
import type { AttentionAst, Irp, MailboxMessage, MailboxUnit, Mode, Ucb } from './structures'

/** DEFMBXMXMSG and DEFMBXBUFQUO: a mailbox's maximum message and buffer quota when $CREMBX gives none. */
export const DEFAULT_MAILBOX = { maxmsg: 256, bufquo: 1056 } as const

/** The largest MAXMSG and BUFQUO (word fields of the UCB). */
const WORD = 0xffff

/** $CREMBX's MAXMSG and BUFQUO with their defaults; undefined when either is not a word. */
export function defaultMailboxQuotas(
  maxmsg: number,
  bufquo: number,
): { maxmsg: number; bufquo: number } | undefined {
  const ok = (n: number) => Number.isInteger(n) && n >= 0 && n <= WORD
  if (!ok(maxmsg) || !ok(bufquo)) return undefined
  return {
    maxmsg: maxmsg === 0 ? DEFAULT_MAILBOX.maxmsg : maxmsg,
    bufquo: bufquo === 0 ? DEFAULT_MAILBOX.bufquo : bufquo,
  }
}

/** A new mailbox's state (book 18.9.1 steps 1, 6, 8). */
export function mailboxUnit(
  bufquo: number,
  permanent: boolean,
  logicalName: string | undefined,
): MailboxUnit {
  return {
    messages: [],
    bufquo,
    iniquo: bufquo,
    readAttention: [],
    writeAttention: [],
    permanent,
    logicalName,
  }
}

/** COM$DELATTNAST: every attention AST of the list is queued once, and the list emptied. */
function deliverAttention(list: AttentionAst[], services: DriverServices): void {
  for (const entry of list.splice(0)) {
    services.queueAst(entry.pid, entry.mode, entry.routine, entry.parameter)
    services.deallocate(entry.poolAddress)
  }
}

/** COM$FLUSHATTNS: the channel's attention AST requests are dropped. */
function flushAttention(
  list: AttentionAst[],
  pid: number,
  channel: number,
  services: DriverServices,
) {
  for (let i = list.length - 1; i >= 0; i--) {
    const entry = list[i] as AttentionAst
    if (entry.pid !== pid || entry.channel !== channel) continue
    list.splice(i, 1)
    services.deallocate(entry.poolAddress)
  }
}

/**
 * FINISHREAD (book 19.5.4): the unit's current read gets `message`: its data (at most
 * the read's P2 bytes; a longer message is cut short and the read's status is
 * SS$_BUFFEROVF), the writer's PID in the IOSB's second longword, SS$_ENDOFFILE for an
 * end-of-file message. The message's space goes back to the buffer quota and pool; a
 * waiting writer completes with the reader's PID.
 */
function finishRead(
  ucb: Ucb,
  mailbox: MailboxUnit,
  message: MailboxMessage,
  services: DriverServices,
) {
  const irp = ucb.current as Irp
  mailbox.bufquo += message.data.length
  services.deallocate(message.poolAddress)
  const want = irp.p[1] ?? 0
  irp.readData = message.data.subarray(0, want)
  const status = message.endOfFile
    ? SS.ENDOFFILE
    : message.data.length > want
      ? SS.BUFFEROVF
      : SS.NORMAL
  if (message.writer !== undefined)
    services.post(message.writer, SS.NORMAL, message.data.length, irp.pid)
  services.requestComplete(ucb, status, irp.readData.length, message.writerPid)
}

/** The mailbox a request is for; a template unit has none. */
function mailboxOf(ucb: Ucb): MailboxUnit | undefined {
  return ucb.mailbox
}

/** FDTWRITE (book 19.5.4): a message (or, for IO$_WRITEOF, an end-of-file message) into the mailbox. */
function write(irp: Irp, ucb: Ucb, context: FdtContext, services: FdtServices): FdtResult {
  const mailbox = mailboxOf(ucb)
  if (mailbox === undefined) return { kind: 'abort', status: SS.ILLIOFUNC }
  const endOfFile = functionCode(irp.func) === IoFunction.WRITEOF
  const length = endOfFile ? 0 : (irp.p[1] ?? 0)
  if (!Number.isInteger(length) || length < 0 || length > WORD)
    return { kind: 'abort', status: SS.BADPARAM }
  // WRITECHECKIO: no larger than the mailbox's maximum message.
  if (length > ucb.devbufsiz) return { kind: 'abort', status: SS.MBTOOSML }
  const data = length === 0 ? new Uint8Array(0) : context.readUser(irp.p[0] ?? 0, length, irp.mode)
  if (typeof data === 'number') return { kind: 'abort', status: data }
  const now = (irp.func & IoModifier.NOW) !== 0
  const status = insertMessage(
    ucb,
    mailbox,
    data,
    endOfFile,
    irp.pid,
    now ? undefined : irp,
    services,
  )
  if (status !== SS.NORMAL) return { kind: 'abort', status }
  return now ? { kind: 'finish', status: SS.NORMAL, count: length } : { kind: 'return' }
}

/**
 * Steps 7-9 of FDTWRITE, shared with EXE$WRTMAILBOX: room in the buffer quota (a
 * message larger than the whole quota is SS$_MBTOOSML, one that does not fit now
 * SS$_MBFULL: there are no resource waits), the message from pool (SS$_INSFMEM), then
 * to the waiting reader or the queue with the write attention ASTs (INSMBQUEUE).
 * Nothing changes on failure.
 */
function insertMessage(
  ucb: Ucb,
  mailbox: MailboxUnit,
  data: Uint8Array,
  endOfFile: boolean,
  writerPid: number,
  writer: Irp | undefined,
  services: DriverServices,
): Status {
  const length = data.length
  if (length > mailbox.bufquo) return length > mailbox.iniquo ? SS.MBTOOSML : SS.MBFULL
  const block = services.allocate(LENGTH.BUFIO + length, DYN_IO.BUFIO)
  if (block.status !== SS.NORMAL) return block.status
  mailbox.bufquo -= length
  const message: MailboxMessage = { data, endOfFile, writerPid, writer, poolAddress: block.address }
  if (ucb.busy && ucb.current !== undefined) finishRead(ucb, mailbox, message, services)
  else {
    mailbox.messages.push(message)
    deliverAttention(mailbox.writeAttention, services)
  }
  return SS.NORMAL
}

/**
 * EXE$WRTMAILBOX (book 18.9, 19.5.4): the executive sends a message to a mailbox from
 * system context (a termination message, an ACP's request to its daemon) without an
 * IRP: SS$_DEVNOTMBX for a unit that is not a mailbox, SS$_MBTOOSML for a message
 * larger than its MAXMSG or quota, SS$_MBFULL when it does not fit now, SS$_INSFMEM.
 * The reader's IOSB gets `senderPid` as the writer's PID.
 */
export function writeMailbox(
  ucb: Ucb,
  data: Uint8Array,
  senderPid: number,
  services: DriverServices,
): Status {
  const mailbox = mailboxOf(ucb)
  if (mailbox === undefined) return SS.DEVNOTMBX
  if (data.length > ucb.devbufsiz) return SS.MBTOOSML
  return insertMessage(ucb, mailbox, data.slice(), false, senderPid, undefined, services)
}

/** FDTREAD (book 19.5.4): the buffer is checked; with IO$M_NOW an empty mailbox is end of file at once. */
function read(irp: Irp, ucb: Ucb, context: FdtContext): FdtResult {
  const mailbox = mailboxOf(ucb)
  if (mailbox === undefined) return { kind: 'abort', status: SS.ILLIOFUNC }
  const length = irp.p[1] ?? 0
  if (!Number.isInteger(length) || length < 0 || length > WORD)
    return { kind: 'abort', status: SS.BADPARAM }
  if (length > ucb.devbufsiz) return { kind: 'abort', status: SS.MBTOOSML }
  if (length > 0 && !context.probeWrite(irp.p[0] ?? 0, length, irp.mode))
    return { kind: 'abort', status: SS.ACCVIO }
  if ((irp.func & IoModifier.NOW) !== 0 && mailbox.messages.length === 0)
    return { kind: 'finish', status: SS.ENDOFFILE, count: 0 }
  return { kind: 'queue' }
}

/**
 * FDTSET (book 19.5.4, 7.8.4): IO$M_READATTN or IO$M_WRTATTN (the default) with P1
 * the AST routine (0 cancels the channel's request), P2 its parameter and P3 its mode
 * (maximized with the caller's). An ACB comes from pool (SS$_INSFMEM); the AST is
 * delivered at once when its condition holds already. IO$M_SETPROT is accepted.
 */
function setMode(irp: Irp, ucb: Ucb, _context: FdtContext, services: FdtServices): FdtResult {
  const mailbox = mailboxOf(ucb)
  if (mailbox === undefined) return { kind: 'abort', status: SS.ILLIOFUNC }
  if ((irp.func & IoModifier.SETPROT) !== 0) return { kind: 'finish', status: SS.NORMAL, count: 0 }
  const readAttention = (irp.func & IoModifier.READATTN) !== 0
  const list = readAttention ? mailbox.readAttention : mailbox.writeAttention
  const routine = irp.p[0] ?? 0
  let entry: AttentionAst | undefined
  if (routine !== 0) {
    const block = services.allocate(LENGTH.ACB, DYN_IO.ACB)
    if (block.status !== SS.NORMAL) return { kind: 'abort', status: block.status }
    entry = {
      pid: irp.pid,
      channel: irp.channel,
      mode: Math.max((irp.p[2] ?? 0) & 3, irp.mode) as Mode,
      routine,
      parameter: irp.p[1] ?? 0,
      poolAddress: block.address,
    }
  }
  flushAttention(list, irp.pid, irp.channel, services)
  if (entry !== undefined) {
    list.push(entry)
    const met = readAttention ? ucb.busy : mailbox.messages.length > 0
    if (met) deliverAttention(list, services)
  }
  return { kind: 'finish', status: SS.NORMAL, count: 0 }
}

/**
 * The mailbox driver MBDRIVER (book 19.5.4, 18.9): buffered reads and writes of
 * messages held in pool against the mailbox's buffer quota, IO$M_NOW, end-of-file
 * messages (IO$_WRITEOF), and read and write attention ASTs (IO$_SETMODE).
 */
export function mailboxDriver(): Driver {
  const fdt = new Map([
    [IoFunction.READVBLK, read],
    [IoFunction.READLBLK, read],
    [IoFunction.READPBLK, read],
    [IoFunction.WRITEVBLK, write],
    [IoFunction.WRITELBLK, write],
    [IoFunction.WRITEPBLK, write],
    [IoFunction.WRITEOF, write],
    [IoFunction.SETMODE, setMode],
  ])
  return {
    name: 'MB',
    fdt,
    prolog: {
      driverName: 'MBDRIVER',
      devchar: DEV.REC | DEV.AVL | DEV.MBX | DEV.IDV | DEV.ODV | DEV.SHR,
      devclass: DC.MAILBOX,
      devtype: DT.MBX,
      devbufsiz: DEFAULT_MAILBOX.maxmsg,
    },
    completionBoost: () => PriorityClass.IOCOM,
    // STARTIO: a read takes the first message, or waits with the read attention ASTs delivered.
    startIo(irp, ucb, services) {
      const mailbox = mailboxOf(ucb)
      if (mailbox === undefined) return services.requestComplete(ucb, SS.ILLIOFUNC, 0)
      const message = mailbox.messages.shift()
      if (message !== undefined) return finishRead(ucb, mailbox, message, services)
      if ((irp.func & IoModifier.NOW) !== 0) return services.requestComplete(ucb, SS.ENDOFFILE, 0)
      deliverAttention(mailbox.readAttention, services)
    },
    // The channel's attention ASTs are flushed; its read in progress ends with SS$_ABORT.
    cancel(ucb, pid, channel, _reason, services) {
      const mailbox = mailboxOf(ucb)
      if (mailbox === undefined) return
      flushAttention(mailbox.readAttention, pid, channel, services)
      flushAttention(mailbox.writeAttention, pid, channel, services)
      const current = ucb.current
      if (current !== undefined && current.pid === pid && current.channel === channel)
        services.requestComplete(ucb, SS.ABORT, 0)
    },
  }
}

/**
 * A mailbox being deleted (IOC$DELETE_UCB): its messages go back to pool, writers
 * still waiting complete with SS$_ABORT, its attention ASTs are dropped.
 */
export function releaseMailbox(ucb: Ucb, services: DriverServices): void {
  const mailbox = ucb.mailbox
  if (mailbox === undefined) return
  for (const message of mailbox.messages.splice(0)) {
    mailbox.bufquo += message.data.length
    services.deallocate(message.poolAddress)
    if (message.writer !== undefined) services.post(message.writer, SS.ABORT, 0, 0)
  }
  for (const list of [mailbox.readAttention, mailbox.writeAttention])
    for (const entry of list.splice(0)) services.deallocate(entry.poolAddress)
}
