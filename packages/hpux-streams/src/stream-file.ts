/**
 * An open file on a stream: what open() returns, with the system calls a user makes on
 * it. Several opens of one device share one stream; each has its own flags. Every call
 * either returns its result or throws a StreamsError (errno name and number); a refused
 * call leaves the stream as it was.
 */
import { Errno, fail } from './errno'
import { type GetmsgOptions, type GetmsgResult, strgetmsg, strread } from './head-read'
import { strputmsg, strwrite } from './head-write'
import type { StreamHead, StrioctlResult } from './stream-head'
import {
  canRead,
  canWrite,
  I_FIND,
  I_FLUSH,
  I_GRDOPT,
  I_LOOK,
  I_NREAD,
  I_POP,
  I_PUSH,
  I_SRDOPT,
  I_STR,
  O_NDELAY,
  O_NONBLOCK,
} from './stropts'

/** What the file needs from the framework. */
export interface FileHost {
  settle(): void
  release(head: StreamHead, oflag: number): void
}

/** I_STR's argument (struct strioctl): the command, and the data sent with it. */
export interface Strioctl {
  readonly cmd: number
  readonly data?: Uint8Array
}

/** Any ioctl's answer: a number (ioc_rval, I_NREAD's count), a name (I_LOOK) or I_STR's result. */
export type IoctlResult = number | string | StrioctlResult

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v)

export class StreamFile {
  /** The open flags (O_RDONLY/O_WRONLY/O_RDWR, O_NDELAY, O_NONBLOCK). */
  readonly oflag: number
  private readonly host: FileHost
  private readonly head: StreamHead
  private closed = false

  constructor(host: FileHost, head: StreamHead, oflag: number) {
    this.host = host
    this.head = head
    this.oflag = oflag
  }

  /** The stream's device number (the one the driver chose when it cloned). */
  get dev(): number {
    return this.head.dev
  }

  /** The stream head (for inspection: queues, error state, modules). */
  get stream(): StreamHead {
    return this.head
  }

  /** Whether this open was made with O_NDELAY or O_NONBLOCK. */
  get nonblocking(): boolean {
    return (this.oflag & (O_NDELAY | O_NONBLOCK)) !== 0
  }

  private use(access: 'r' | 'w' | null): StreamHead {
    if (this.closed || this.head.closed) fail(Errno.EBADF, 'file is closed')
    if (access === 'r' && !canRead(this.oflag)) fail(Errno.EBADF, 'not open for reading')
    if (access === 'w' && !canWrite(this.oflag)) fail(Errno.EBADF, 'not open for writing')
    return this.head
  }

  /** Runs `op` on the stream head, then lets the scheduler settle (automatic mode), error or not. */
  private call<T>(access: 'r' | 'w' | null, op: (h: StreamHead) => T): T {
    const head = this.use(access)
    try {
      return op(head)
    } finally {
      this.host.settle()
    }
  }

  /** read(2), never waiting: EAGAIN when there is nothing to read (see StreamHead.read). */
  read(n: number): Uint8Array {
    const h = this.use('r')
    try {
      return strread(h, n)
    } finally {
      this.host.settle()
    }
  }

  /** read(2) in blocking mode: waits for data; with O_NDELAY/O_NONBLOCK it is read(). */
  readWait(n: number): Promise<Uint8Array> {
    if (this.nonblocking) return this.tryNow(() => this.read(n))
    return this.call('r', (h) => h.waitFor('read', () => strread(h, n)))
  }

  /** write(2), never waiting: EAGAIN when flow control stops the first message. */
  write(data: Uint8Array): number {
    const h = this.use('w')
    try {
      return strwrite(h, data)
    } finally {
      this.host.settle()
    }
  }

  /** write(2) in blocking mode: waits while the stream is flow controlled. */
  writeWait(data: Uint8Array): Promise<number> {
    if (this.nonblocking) return this.tryNow(() => this.write(data))
    return this.call('w', (h) => h.waitFor('write', () => this.write(data)))
  }

  /** getmsg(2), never waiting. */
  getmsg(opts: GetmsgOptions = {}): GetmsgResult {
    return this.call('r', (h) => strgetmsg(h, opts))
  }

  /** getmsg(2) in blocking mode. */
  getmsgWait(opts: GetmsgOptions = {}): Promise<GetmsgResult> {
    if (this.nonblocking) return this.tryNow(() => this.getmsg(opts))
    return this.call('r', (h) => h.waitFor('read', () => strgetmsg(h, opts)))
  }

  /** putmsg(2): EAGAIN when flow controlled (a high-priority message never is). */
  putmsg(ctl: Uint8Array | null, data: Uint8Array | null, flags = 0): void {
    this.call('w', (h) => strputmsg(h, ctl, data, flags))
  }

  private tryNow<T>(op: () => T): Promise<T> {
    try {
      return Promise.resolve(op())
    } catch (e) {
      return Promise.reject(e)
    }
  }

  /** I_PUSH */
  push(name: string): void {
    this.call(null, (h) => h.push(name, this.oflag))
  }
  /** I_POP */
  pop(): void {
    this.call(null, (h) => h.pop(this.oflag))
  }
  /** I_LOOK */
  look(): string {
    return this.call(null, (h) => h.look())
  }
  /** I_FIND */
  find(name: string): boolean {
    return this.call(null, (h) => h.find(name))
  }
  /** I_FLUSH */
  flush(how: number): void {
    this.call(null, (h) => h.flush(how))
  }
  /** I_NREAD */
  nread(): { messages: number; bytes: number } {
    return this.call(null, (h) => h.nread())
  }
  /** I_SRDOPT */
  srdopt(mode: number): void {
    this.call(null, (h) => h.srdopt(mode))
  }
  /** I_GRDOPT */
  grdopt(): number {
    return this.call(null, (h) => h.grdopt())
  }
  /** I_STR: an ioctl for a module or the driver, answered by M_IOCACK or M_IOCNAK. */
  str(cmd: number, data: Uint8Array = new Uint8Array(0)): StrioctlResult {
    if (!isInt(cmd) || !(data instanceof Uint8Array)) fail(Errno.EINVAL, 'I_STR: bad strioctl')
    return this.call(null, (h) => h.strioctl(cmd, data, data.length))
  }

  /**
   * ioctl(2) with the command's argument as untrusted input: the I_ commands above (a bad
   * argument gets EINVAL), and any other command sent downstream as a transparent M_IOCTL
   * with its integer argument.
   */
  ioctl(cmd: number, arg?: unknown): IoctlResult {
    if (!isInt(cmd)) fail(Errno.EINVAL, 'ioctl: bad command')
    const str = (): string =>
      typeof arg === 'string' ? arg : fail(Errno.EINVAL, 'ioctl: argument must be a name')
    const num = (): number =>
      isInt(arg) ? arg : fail(Errno.EINVAL, 'ioctl: argument must be an integer')
    switch (cmd) {
      case I_PUSH:
        this.push(str())
        return 0
      case I_POP:
        this.pop()
        return 0
      case I_LOOK:
        return this.look()
      case I_FIND:
        return this.find(str()) ? 1 : 0
      case I_FLUSH:
        this.flush(num())
        return 0
      case I_NREAD:
        return this.nread().messages
      case I_SRDOPT:
        this.srdopt(num())
        return 0
      case I_GRDOPT:
        return this.grdopt()
      case I_STR: {
        const s = arg as Partial<Strioctl> | null
        if (typeof s !== 'object' || s === null) fail(Errno.EINVAL, 'I_STR: no strioctl')
        return this.str(s.cmd as number, s.data ?? new Uint8Array(0))
      }
      default: {
        const a = arg === undefined ? 0 : num()
        if (a < -0x80000000 || a > 0x7fffffff) fail(Errno.EINVAL, 'ioctl: argument out of range')
        return this.call(null, (h) => h.transparent(cmd, a))
      }
    }
  }

  /** close(2): the last close of the stream dismantles it. EBADF if already closed. */
  close(): void {
    if (this.closed) fail(Errno.EBADF, 'file is closed')
    this.closed = true
    this.host.release(this.head, this.oflag)
    this.host.settle()
  }
}
