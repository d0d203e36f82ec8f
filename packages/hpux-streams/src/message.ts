/**
 * Message blocks (SVR4 `mblk_t` and `dblk_t`). A message is a chain of blocks linked by
 * `cont` (b_cont); its type is the type of the first block. Data lies between `rptr`
 * and `wptr` in the data block's buffer. Messages on a queue are linked by `next`/`prev`.
 */

/** Ordinary messages (below QPCTL): subject to flow control, queued in arrival order. */
export const M_DATA = 0x00
export const M_PROTO = 0x01
export const M_BREAK = 0x08
export const M_SIG = 0x0b
export const M_DELAY = 0x0c
export const M_CTL = 0x0d
export const M_IOCTL = 0x0e
export const M_SETOPTS = 0x10
/** Types at or above QPCTL are high priority: queued ahead of ordinary messages, never flow controlled. */
export const QPCTL = 0x80
export const M_IOCACK = 0x81
export const M_IOCNAK = 0x82
export const M_PCPROTO = 0x83
export const M_PCSIG = 0x84
export const M_READ = 0x85
export const M_FLUSH = 0x86
export const M_STOP = 0x87
export const M_START = 0x88
export const M_HANGUP = 0x89
export const M_ERROR = 0x8a

/** A data block (dblk_t): the buffer, the message type, and how many message blocks share it. */
export class Dblk {
  /** db_base .. db_lim */
  readonly base: Uint8Array
  /** db_type */
  type: number
  /** db_ref: message blocks pointing at this data block (dupb shares it). */
  ref = 1

  constructor(base: Uint8Array, type: number) {
    this.base = base
    this.type = type
  }
}

/** A message block (mblk_t). */
export class Mblk {
  /** b_next / b_prev: links on a queue. */
  next: Mblk | null = null
  prev: Mblk | null = null
  /** b_cont: the next block of the same message. */
  cont: Mblk | null = null
  /** b_rptr: first unread byte. */
  rptr = 0
  /** b_wptr: first unwritten byte. */
  wptr = 0
  /** b_datap */
  datap: Dblk

  constructor(datap: Dblk) {
    this.datap = datap
  }

  /** The message type (db_type of the first block). */
  get type(): number {
    return this.datap.type
  }

  /** The bytes between rptr and wptr (a view, not a copy). */
  bytes(): Uint8Array {
    return this.datap.base.subarray(this.rptr, this.wptr)
  }

  /** Appends `data` at wptr; the caller allocated room for it. */
  write(data: Uint8Array): this {
    this.datap.base.set(data, this.wptr)
    this.wptr += data.length
    return this
  }
}

const SLAB = 64 * 1024
const SMALL = 1024
let slab = new ArrayBuffer(SLAB)
let slabUsed = 0

/**
 * A zeroed buffer for a data block. Small ones are cut from a shared 64 KiB slab (a bump
 * allocator: a region is never handed out twice, and a slab is garbage once no block
 * refers to it), which is much cheaper than a buffer of its own per message.
 */
export function allocBytes(size: number): Uint8Array {
  if (size > SMALL) return new Uint8Array(size)
  if (slabUsed + size > SLAB) {
    slab = new ArrayBuffer(SLAB)
    slabUsed = 0
  }
  const bytes = new Uint8Array(slab, slabUsed, size)
  slabUsed += (size + 7) & ~7
  return bytes
}

/** allocb: a message block with a fresh data block of `size` bytes, type M_DATA unless given. */
export function allocb(size: number, type: number = M_DATA): Mblk {
  return new Mblk(new Dblk(allocBytes(size), type))
}

/** A message block holding a copy of `data`. */
export function mkmsg(type: number, data: Uint8Array | ArrayLike<number> = []): Mblk {
  const mp = allocb(data.length, type)
  mp.datap.base.set(data)
  mp.wptr = data.length
  return mp
}

/** putctl/putctl1's message: a control message of `type`, with one byte of parameter if given. */
export function ctlmsg(type: number, param?: number): Mblk {
  return param === undefined ? allocb(0, type) : mkmsg(type, [param & 0xff])
}

/** freeb: releases one block (the data block when its last reference goes). */
export function freeb(bp: Mblk): void {
  bp.datap.ref--
  bp.cont = null
  bp.next = null
  bp.prev = null
}

/** freemsg: releases every block of a message. */
export function freemsg(mp: Mblk | null): void {
  while (mp) {
    const next = mp.cont
    freeb(mp)
    mp = next
  }
}

/** dupb: a new message block sharing `bp`'s data block (db_ref goes up). */
export function dupb(bp: Mblk): Mblk {
  const nb = new Mblk(bp.datap)
  bp.datap.ref++
  nb.rptr = bp.rptr
  nb.wptr = bp.wptr
  return nb
}

/** dupmsg: dupb of every block of a message. */
export function dupmsg(mp: Mblk): Mblk {
  const head = dupb(mp)
  let tail = head
  for (let bp = mp.cont; bp; bp = bp.cont) {
    tail.cont = dupb(bp)
    tail = tail.cont
  }
  return head
}

/** copyb: a new block with a private copy of `bp`'s data and the same type. */
export function copyb(bp: Mblk): Mblk {
  return mkmsg(bp.datap.type, bp.bytes())
}

/** copymsg: copyb of every block of a message. */
export function copymsg(mp: Mblk): Mblk {
  const head = copyb(mp)
  let tail = head
  for (let bp = mp.cont; bp; bp = bp.cont) {
    tail.cont = copyb(bp)
    tail = tail.cont
  }
  return head
}

/** linkb: appends message `bp` to the end of message `mp`. */
export function linkb(mp: Mblk, bp: Mblk): void {
  let tail = mp
  while (tail.cont) tail = tail.cont
  tail.cont = bp
}

/** msgdsize: bytes in the M_DATA blocks of a message. */
export function msgdsize(mp: Mblk): number {
  let n = 0
  for (let bp: Mblk | null = mp; bp; bp = bp.cont)
    if (bp.datap.type === M_DATA) n += bp.wptr - bp.rptr
  return n
}

/** Bytes in every block of a message: what a queue counts against its water marks. */
export function msgsize(mp: Mblk): number {
  let n = 0
  for (let bp: Mblk | null = mp; bp; bp = bp.cont) n += bp.wptr - bp.rptr
  return n
}

/** datamsg: true for the types a FLUSHDATA flush removes (M_DATA, M_PROTO, M_PCPROTO, M_DELAY). */
export function datamsg(type: number): boolean {
  return type === M_DATA || type === M_PROTO || type === M_PCPROTO || type === M_DELAY
}

/** The bytes of every block of a message, joined. */
export function msgbytes(mp: Mblk | null): Uint8Array {
  let n = 0
  for (let bp = mp; bp; bp = bp.cont) n += bp.wptr - bp.rptr
  const out = new Uint8Array(n)
  let at = 0
  for (let bp = mp; bp; bp = bp.cont) {
    out.set(bp.bytes(), at)
    at += bp.wptr - bp.rptr
  }
  return out
}
