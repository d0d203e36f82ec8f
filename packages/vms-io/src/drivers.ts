import { PriorityClass, SS, type Status } from '@vms/contracts'
import { DC, DEV, IoFunction, IoModifier } from './constants'
import type {
  Driver,
  DriverServices,
  FdtContext,
  FdtResult,
  FdtRoutine,
  FdtServices,
} from './driver'
import type { Irp, Mode, Ucb } from './structures'

/** The largest buffer a request may name (P2 is a word count). */
const MAX_TRANSFER = 0xffff

/**
 * Buffered write FDT (book 18.5.2, EXE$WRITE): copies P1 (P2 bytes) into a system
 * buffer, charged to BYTCNT and taken from pool.
 */
function bufferedWrite(irp: Irp, context: FdtContext, services: FdtServices): FdtResult {
  const length = irp.p[1] ?? 0
  if (!Number.isInteger(length) || length < 0 || length > MAX_TRANSFER)
    return { kind: 'abort', status: SS.BADPARAM }
  const data = context.readUser(irp.p[0] ?? 0, length, irp.mode)
  if (typeof data === 'number') return { kind: 'abort', status: data }
  const buffer = services.systemBuffer(irp, length)
  if (buffer !== SS.NORMAL) return { kind: 'abort', status: buffer }
  irp.systemBuffer = data
  return { kind: 'queue' }
}

/**
 * Buffered read FDT (EXE$READ): the buffer P1 (P2 bytes) must be writable by the
 * requester; a system buffer of P2 bytes holds the data until postprocessing.
 */
function bufferedRead(irp: Irp, context: FdtContext, services: FdtServices): Status | undefined {
  const length = irp.p[1] ?? 0
  if (!Number.isInteger(length) || length < 0 || length > MAX_TRANSFER) return SS.BADPARAM
  if (length > 0 && !context.probeWrite(irp.p[0] ?? 0, length, irp.mode)) return SS.ACCVIO
  const buffer = services.systemBuffer(irp, length)
  return buffer === SS.NORMAL ? undefined : buffer
}

/** An FDT with the virtual, logical and physical forms of write (and read, if given). */
function fdtTable(write: FdtRoutine, read?: FdtRoutine): Map<number, FdtRoutine> {
  const table = new Map<number, FdtRoutine>([
    [IoFunction.WRITEVBLK, write],
    [IoFunction.WRITELBLK, write],
    [IoFunction.WRITEPBLK, write],
  ])
  if (read !== undefined) {
    for (const f of [IoFunction.READVBLK, IoFunction.READLBLK, IoFunction.READPBLK])
      table.set(f, read)
  }
  return table
}

/**
 * The null device NL: (book 19.4): writes succeed with every byte accepted, reads
 * return end of file; nothing is queued.
 */
export function nullDriver(): Driver {
  // The data is read (so a bad buffer is SS$_ACCVIO) and then dropped.
  const write: FdtRoutine = (irp, _ucb, context, services) => {
    const r = bufferedWrite(irp, context, services)
    return r.kind === 'queue'
      ? { kind: 'finish', status: SS.NORMAL, count: irp.systemBuffer?.length ?? 0 }
      : r
  }
  const read: FdtRoutine = (irp, _ucb, context, services) => {
    const bad = bufferedRead(irp, context, services)
    return bad === undefined
      ? { kind: 'finish', status: SS.ENDOFFILE, count: 0 }
      : { kind: 'abort', status: bad }
  }
  return {
    name: 'NL',
    fdt: fdtTable(write, read),
    prolog: {
      driverName: 'NLDRIVER',
      devchar: DEV.REC | DEV.AVL | DEV.IDV | DEV.ODV | DEV.SHR,
      devclass: DC.MISC,
    },
    completionBoost: () => PriorityClass.IOCOM,
    startIo: () => {
      throw new Error('the null device queues nothing')
    },
  }
}

/** A console terminal: the driver plus the entry point for typed input. */
export interface TerminalDriver extends Driver {
  /**
   * Characters typed at the terminal. A line ends with a carriage return or line feed;
   * CTRL/Z (0x1A) ends a read with SS$_ENDOFFILE (book 19.3). With `echo` false the
   * lines are not echoed when read (input that does not come from the keyboard: the
   * data lines of a command procedure).
   */
  input(text: string, echo?: boolean): void
  /**
   * The terminal's input has ended for good (its line hung up, a script ran out of
   * data lines): the read waiting now, and every later one once the typed-ahead lines
   * are used up, completes with SS$_ENDOFFILE instead of waiting for ever, until
   * something is typed again.
   */
  endOfInput(): void
  /** True when a read is waiting for input. */
  readonly reading: boolean
  /**
   * CTRL/C or CTRL/Y typed (book 7.8.3): queues the AST a process enabled for it with
   * IO$_SETMODE!IO$M_CTRLCAST or IO$M_CTRLYAST (a CTRL/C with no CTRL/C AST goes to the
   * CTRL/Y AST, as the terminal driver turns it into CTRL/Y). An AST is delivered once and
   * must be enabled again. False when none was enabled: the command interpreter acts.
   */
  interrupt(key: 'C' | 'Y'): boolean
}

/** An out-of-band AST a process enabled on the terminal. */
interface OutOfBandAst {
  readonly pid: number
  readonly channel: number
  readonly mode: Mode
  readonly routine: number
  readonly parameter: number
}

/**
 * A console terminal (book 19.3): writes are buffered, sent to `output` and complete
 * after the time the characters take at `baud`; reads wait for a line of input (typed
 * ahead or typed later), echo it, and complete with the line in the caller's buffer
 * (at most P2 characters) and the IOSB's second longword holding the terminator
 * (carriage return) and its size, as VMS's terminal driver reports it. CTRL/Z, or input
 * that has ended, completes a read with SS$_ENDOFFILE.
 */
export function terminalDriver(output: (bytes: Uint8Array) => void, baud = 9600): TerminalDriver {
  /** 100 ns units a character takes: 10 bits a character. */
  const perCharacter = Math.round((10 / baud) * 1e7)
  let typeAhead = ''
  /** For each character typed ahead: echo it when a read takes it. */
  let echoes: boolean[] = []
  let pendingRead: { irp: Irp; ucb: Ucb; services: DriverServices } | undefined
  let ended = false
  /** The CTRL/C and CTRL/Y ASTs enabled now, and the services to queue them with. */
  const outOfBand: { C?: OutOfBandAst; Y?: OutOfBandAst } = {}
  let astServices: DriverServices | undefined
  const finishRead = () => {
    if (pendingRead === undefined) return
    // A line ends at CR, LF or CTRL/Z (0x1A).
    let end = -1
    for (let i = 0; i < typeAhead.length && end < 0; i++) {
      const c = typeAhead.charCodeAt(i)
      if (c === 0x0d || c === 0x0a || c === 0x1a) end = i
    }
    if (end < 0 && !ended) return
    if (end < 0 && typeAhead === '') {
      // Nothing more will be typed: end of file, with no terminator.
      const { irp, ucb, services } = pendingRead
      pendingRead = undefined
      irp.readData = new Uint8Array(0)
      irp.deviceStatus = 0
      services.requestComplete(ucb, SS.ENDOFFILE, 0)
      return
    }
    if (end < 0) end = typeAhead.length // the last, unterminated line
    const { irp, ucb, services } = pendingRead
    pendingRead = undefined
    const terminator = typeAhead.charCodeAt(end) // NaN for the last, unterminated line
    const line = typeAhead.slice(0, end)
    const echo = echoes[0] ?? true
    typeAhead = typeAhead.slice(end + 1)
    echoes = echoes.slice(end + 1)
    const data = new TextEncoder().encode(line).subarray(0, irp.p[1] ?? 0)
    const endOfFile = terminator === 0x1a
    // A line that was not typed (a procedure's data line) is not echoed.
    if (echo) output(new TextEncoder().encode(`${line}${endOfFile ? '^Z' : ''}\r\n`))
    irp.readData = data
    // The terminator and its size in the IOSB's second longword: CR, or CTRL/Z.
    irp.deviceStatus = endOfFile ? 0x1a | (1 << 16) : 13 | (1 << 16)
    services.requestComplete(ucb, endOfFile ? SS.ENDOFFILE : SS.NORMAL, data.length)
  }
  const write: FdtRoutine = (irp, _ucb, context, services) => bufferedWrite(irp, context, services)
  const read: FdtRoutine = (irp, _ucb, context, services) => {
    const bad = bufferedRead(irp, context, services)
    return bad === undefined ? { kind: 'queue' } : { kind: 'abort', status: bad }
  }
  // IO$_READPROMPT: the prompt (P5 address, P6 length) is copied now and written when the
  // read starts (book 19.3).
  const readPrompt: FdtRoutine = (irp, ucb, context, services) => {
    const length = irp.p[5] ?? 0
    if (length < 0 || length > 255) return { kind: 'abort', status: SS.BADPARAM }
    const prompt =
      length === 0 ? new Uint8Array(0) : context.readUser(irp.p[4] ?? 0, length, irp.mode)
    if (typeof prompt === 'number') return { kind: 'abort', status: prompt }
    const queued = read(irp, ucb, context, services)
    if (queued.kind === 'queue') irp.prompt = prompt
    return queued
  }
  // IO$_SETMODE with IO$M_CTRLCAST / IO$M_CTRLYAST: P1 the AST routine (0 disables), P2
  // its parameter, P3 its access mode, maximized with the requester's (book 7.8.3).
  const setMode: FdtRoutine = (irp, _ucb, _context, services) => {
    const keys = [
      ...((irp.func & IoModifier.CTRLCAST) !== 0 ? (['C'] as const) : []),
      ...((irp.func & IoModifier.CTRLYAST) !== 0 ? (['Y'] as const) : []),
    ]
    if (keys.length === 0) return { kind: 'abort', status: SS.ILLIOFUNC }
    const routine = irp.p[0] ?? 0
    astServices = services
    for (const key of keys) {
      if (routine === 0) delete outOfBand[key]
      else
        outOfBand[key] = {
          pid: irp.pid,
          channel: irp.channel,
          mode: Math.max(irp.mode, (irp.p[2] ?? 0) & 3) as Mode,
          routine,
          parameter: irp.p[1] ?? 0,
        }
    }
    return { kind: 'finish', status: SS.NORMAL, count: 0 }
  }
  const fdt = fdtTable(write, read)
  fdt.set(IoFunction.READPROMPT, readPrompt)
  fdt.set(IoFunction.SETMODE, setMode)
  return {
    name: 'OP',
    fdt,
    // Shareable here: every process of the assembled system writes to the console.
    prolog: {
      driverName: 'OPDRIVER',
      devchar: DEV.REC | DEV.CCL | DEV.TRM | DEV.AVL | DEV.IDV | DEV.ODV | DEV.SHR,
      devclass: DC.TERM,
      devbufsiz: 80,
    },
    completionBoost: (irp) =>
      (irp.func & 0x3f) === IoFunction.READVBLK ||
      (irp.func & 0x3f) === IoFunction.READLBLK ||
      (irp.func & 0x3f) === IoFunction.READPBLK
        ? PriorityClass.TICOM
        : PriorityClass.TOCOM,
    startIo(irp, ucb, services) {
      if (irp.systemBuffer === undefined) {
        if (irp.prompt !== undefined && irp.prompt.length > 0) output(irp.prompt)
        pendingRead = { irp, ucb, services }
        finishRead()
        return
      }
      const data = irp.systemBuffer
      output(data)
      services.after(Math.max(1, data.length) * perCharacter, () =>
        services.requestComplete(ucb, SS.NORMAL, data.length),
      )
    },
    input(text, echo = true) {
      typeAhead += text
      for (let i = 0; i < text.length; i++) echoes.push(echo)
      ended = false
      finishRead()
    },
    endOfInput() {
      ended = true
      finishRead()
    },
    // $CANCEL and $DASSGN end the channel's waiting read with SS$_ABORT (book 18.8 step 4).
    interrupt(key) {
      const ast = outOfBand[key] ?? (key === 'C' ? outOfBand.Y : undefined)
      if (ast === undefined || astServices === undefined) return false
      if (outOfBand.C === ast) delete outOfBand.C
      if (outOfBand.Y === ast) delete outOfBand.Y
      astServices.queueAst(ast.pid, ast.mode, ast.routine, ast.parameter)
      return true
    },
    cancel(ucb, pid, channel, _reason, services) {
      // The channel's out-of-band ASTs go with it ($CANCEL, $DASSGN, rundown).
      for (const key of ['C', 'Y'] as const)
        if (outOfBand[key]?.pid === pid && outOfBand[key]?.channel === channel)
          delete outOfBand[key]
      if (pendingRead === undefined) return
      const { irp } = pendingRead
      if (irp.pid !== pid || irp.channel !== channel || ucb.current !== irp) return
      pendingRead = undefined
      services.requestComplete(ucb, SS.ABORT, 0)
    },
    get reading() {
      return pendingRead !== undefined
    },
  }
}
