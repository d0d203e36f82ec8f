import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { SS, type Status } from '@vms/contracts'
import { LIB, OTS, STR } from '@vms/rtl'
import { describe, expect, it } from 'vitest'
import { defaultSubsystems } from './build'
import { Console } from './console'
import { VmsSystem } from './executive'
import { EXAMPLES_DIRECTORY } from './programs'
import { runVmsProgram } from './rtl-runner'

/**
 * The programs of examples/vms, written in the VMS idiom (STARLET macros, .ASCID,
 * $name_S, the run-time library), each run in the default build with the output the
 * manuals' semantics give. The repository root is the default directory, as for
 * `pnpm start`, so MAILBOX finds MBXWRITER by its path.
 */
const IDIOM_DIRECTORY = join(EXAMPLES_DIRECTORY, 'vms')
const ROOT = resolve(EXAMPLES_DIRECTORY, '../../..')
const source = (name: string) => readFileSync(join(IDIOM_DIRECTORY, `${name}.mar`), 'utf8')
const run = (name: string, options: Parameters<typeof runVmsProgram>[1] = {}) =>
  runVmsProgram(source(name), { name: name.toUpperCase(), directory: ROOT, ...options })
const hex = (n: number) => (n >>> 0).toString(16).toUpperCase().padStart(8, '0')
const lines = (...text: string[]) => `${text.join('\n')}\n`
/** STS$M_INHIB_MSG: set in the exit status of an image whose message has been shown. */
const INHIB_MSG = 0x10000000

function expectRun(
  name: string,
  output: string,
  status: Status = SS.NORMAL,
  options: Parameters<typeof runVmsProgram>[1] = {},
) {
  const r = run(name, options)
  expect(r.output).toBe(output)
  expect(r.status).toBe(status)
  return r
}

/** Every program here has a test below (MBXWRITER runs under MAILBOX). */
const TESTED = [
  'hello',
  'helloqio',
  'askname',
  'fao',
  'time',
  'timer',
  'schdwk',
  'evflags',
  'dclast',
  'handler',
  'unwind',
  'signal',
  'stop',
  'exithand',
  'getjpi',
  'getsyi',
  'lognam',
  'mailbox',
  'mbxwriter',
  'locks',
  'vm',
  'convert',
  'strcopy',
  'putmsg',
  'getmsg',
]

describe('examples/vms: programs in the VMS idiom', () => {
  it('twenty or more, each with a test here', () => {
    const programs = readdirSync(IDIOM_DIRECTORY)
      .filter((f) => f.endsWith('.mar'))
      .map((f) => f.slice(0, -4))
      .sort()
    expect(programs).toEqual([...TESTED].sort())
    expect(programs.length).toBeGreaterThanOrEqual(20)
  })

  it('HELLO: LIB$PUT_OUTPUT writes one line (LIB$ Manual)', () => {
    expectRun('hello', 'Hello, world!\n')
  })

  it('HELLOQIO: $ASSIGN and $QIOW, the IOSB checked (System Services, $QIOW)', () => {
    expectRun('helloqio', 'Hello from $QIOW!\n')
  })

  it('ASKNAME: LIB$GET_INPUT with a prompt, $FAO !AD; end of file is its status', () => {
    // The terminal echoes the line typed after the prompt.
    expectRun('askname', lines('What is your name? Ada', 'Hello, Ada!'), SS.NORMAL, {
      input: 'Ada\r',
    })
    // No line, no echo; the system ends the prompt's partial line when the image exits.
    expectRun('askname', 'What is your name? \n', SS.NORMAL, { endOfInput: true })
  })

  it('FAO: !AS !UL !XL !OL !SL, widths, !%S and !%D (System Services, $FAO)', () => {
    expectRun(
      'fao',
      lines(
        'VAX/VMS has 7 characters',
        // !XL: 8 hex digits; !OL: 11 octal digits; !SL: signed, no fill.
        'Hex 000000FF, octal 00000000010, signed -42',
        // !6UL: right-justified in 6 characters, blank filled; !6ZL: zero filled.
        'Width [    42], zero filled [000042]',
        // !%S: an S when the last number converted was not 1.
        '1 file, 3 files',
        'Launch: 29-NOV-2026 12:34:56.78',
      ),
    )
  })

  it('TIME: $GETTIM, $ASCTIM and $NUMTIM of the boot time, 1-JAN-1988 (System Services)', () => {
    const r = run('time')
    // $ASCTIM: dd-MMM-yyyy hh:mm:ss.cc, the day blank filled; a moment after boot.
    expect(r.output).toMatch(
      /^It is now {2}1-JAN-1988 00:00:0\d\.\d\d\nYear 1988, month 1, day 1\n$/,
    )
    expect(r.status).toBe(SS.NORMAL)
  })

  it('TIMER: $SETIMR with an AST and a request identification, $HIBER, $WAKE', () => {
    const r = expectRun(
      'timer',
      lines(
        'Timer queued for 2 seconds; hibernating',
        'AST: timer request 7 has expired',
        'Main: awake again',
      ),
    )
    expect(r.system.now).toBeGreaterThanOrEqual(2e7) // 2 s in 100 ns units
  })

  it('SCHDWK: a repeating $SCHDWK wakes $HIBER three times, then $CANWAK', () => {
    const r = expectRun('schdwk', lines('Wakeup 1', 'Wakeup 2', 'Wakeup 3', 'Wakeups cancelled'))
    expect(r.system.now).toBeGreaterThanOrEqual(1.5e7)
    expect(r.system.now).toBeLessThan(2e7) // cancelled: no fourth wakeup was waited for
  })

  it('EVFLAGS: $WFLOR returns when the first of two flags is set; $WAITFR for the other', () => {
    expectRun(
      'evflags',
      lines(
        'Flags 2 and 3 of cluster 0 after $WFLOR: 08',
        'Flags 2 and 3 of cluster 0 after $WAITFR: 0C',
      ),
    )
  })

  it('DCLAST: an AST delivered at once, one held while $SETAST disables delivery', () => {
    expectRun(
      'dclast',
      lines(
        'AST routine: parameter 42',
        'Main: back from $DCLAST',
        'Main: ASTs disabled, one queued',
        'AST routine: parameter 43',
        'Main: ASTs enabled again',
      ),
    )
  })

  it('HANDLER: a handler continues after an integer divide by zero (book 4.5)', () => {
    expectRun(
      'handler',
      lines(
        'Handler: integer divide by zero, continuing',
        'Divide: after the DIVL',
        'Main: back from DIVIDE',
      ),
    )
  })

  it("UNWIND: $UNWIND to the establisher's caller, R0 from the mechanism array (book 4.7)", () => {
    expectRun(
      'unwind',
      lines(
        'Work: signalling SS$_BADPARAM',
        'Handler: unwinding to the caller of TRY',
        `Main: TRY returned ${hex(SS.BADPARAM)}`,
      ),
    )
  })

  it('SIGNAL: LIB$SIGNAL continued by a handler; a resignalled warning shown and passed', () => {
    expectRun(
      'signal',
      lines(
        // The signal array: the condition, PC and PSL: 3 longwords after the count.
        `Handler: condition ${hex(SS.NOPRIV)}, signal array of 3 longwords; continuing`,
        'Main: LIB$SIGNAL returned',
        '%SYSTEM-W-ENDOFFILE, end of file',
        'Main: going on after the warning',
      ),
    )
  })

  it('STOP: LIB$STOP is not continued; the image exits with the condition, severe', () => {
    const r = run('stop')
    expect(r.output).toBe(
      lines(
        'Main: calling LIB$STOP',
        'Handler: answering SS$_CONTINUE',
        '%SYSTEM-F-BADPARAM, bad parameter value',
      ),
    )
    expect(((r.status ?? 0) & ~INHIB_MSG) >>> 0).toBe(SS.BADPARAM)
    expect((r.status ?? 0) & 7).toBe(4) // severe
  })

  it('EXITHAND: $DCLEXH handlers run at $EXIT, the last declared first, given the status', () => {
    expectRun(
      'exithand',
      lines(
        'Main: two exit handlers declared; $EXIT',
        `Exit handler 2: status ${hex(SS.NORMAL)}`,
        `Exit handler 1: status ${hex(SS.NORMAL)}`,
      ),
    )
  })

  it('GETJPI: $GETJPIW of the calling process: its name, PID and base priority', () => {
    const r = run('getjpi')
    expect(r.output).toBe(`Process GETJPI, PID ${hex(r.pid)}, base priority 4\n`)
    expect(r.status).toBe(SS.NORMAL)
  })

  it("GETSYI: $GETSYIW: the version (8 characters), node name and hardware's name", () => {
    expectRun('getsyi', 'VAX/VMS V4.4-TS  on node VAXVMS, a MicroVAX 3900 Series\n')
  })

  it('LOGNAM: $CRELNM, $TRNLNM, $DELLNM; then SS$_NOLOGNAM (book ch. 28)', () => {
    expectRun(
      'lognam',
      lines(
        'GREETING = "Hello from a logical name"',
        `After $DELLNM, $TRNLNM returns ${hex(SS.NOLOGNAM)}`,
      ),
    )
  })

  it('MAILBOX: $CREMBX, $CREPRC of MBXWRITER, three messages read in order (book 19.4)', () => {
    const r = expectRun(
      'mailbox',
      lines(
        'MAILBOX received: first message',
        'MAILBOX received: second message',
        'MAILBOX received: last message',
      ),
    )
    expect(r.system.list().map((p) => p.pcb.name)).toEqual(['NULL']) // MBXWRITER exited
  })

  it('LOCKS: EX granted; PR with LCK$M_NOQUEUE refused while EX is held, granted after $DEQ', () => {
    expectRun(
      'locks',
      lines(
        `EX lock: ${hex(SS.NORMAL)}`,
        `PR lock, NOQUEUE, while EX is held: ${hex(SS.NOTQUEUED)}`,
        `PR lock, NOQUEUE, after $DEQ: ${hex(SS.NORMAL)}`,
      ),
    )
  })

  it('VM: LIB$GET_VM, the block written through a descriptor, LIB$FREE_VM twice', () => {
    expectRun(
      'vm',
      lines(
        '*'.repeat(40),
        `Freeing it again: ${hex(LIB.BADBLOADR)} (LIB$_BADBLOADR is ${hex(LIB.BADBLOADR)})`,
      ),
    )
  })

  it('CONVERT: OTS$CVT_TI_L of two lines, their sum by OTS$CVT_L_TI in 8 characters', () => {
    expectRun(
      'convert',
      lines('First number: 12', 'Second number: 30', 'The sum is [      42]'),
      SS.NORMAL,
      { input: '12\r30\r' },
    )
    expectRun('convert', lines('First number: 4x'), OTS.INPCONERR, { input: '4x\r' })
  })

  it('STRCOPY: STR$COPY_DX into fixed-length (blank filled, truncated) and dynamic strings', () => {
    expectRun(
      'strcopy',
      lines(
        `Fixed, 10: [VAX-11    ] ${hex(SS.NORMAL)}`,
        `Fixed, 3:  [VAX] ${hex(STR.TRU)} (STR$_TRU is ${hex(STR.TRU)})`,
        `Dynamic:   [VAX-11] ${hex(SS.NORMAL)}, length 6`,
      ),
    )
  })

  it('PUTMSG: a message vector, FAO arguments of a SYSTEM message, FACNAM (book 29.5.2)', () => {
    expectRun(
      'putmsg',
      lines(
        '%SYSTEM-F-INTDIV, arithmetic trap, integer divide by zero at PC=00001234, PSL=03C00000',
        '-SYSTEM-F-NOPRIV, no privilege for attempted operation',
        '%DEMO-W-NOSUCHDEV, no such device available',
      ),
    )
  })

  it('GETMSG: all four parts, the text alone through $FAO, and a value with no message', () => {
    expectRun(
      'getmsg',
      lines(
        '%SYSTEM-F-ACCVIO, access violation, reason mask=!XB, virtual address=!XL, PC=!XL, PSL=!XL',
        'The message takes 4 FAO arguments',
        'access violation, reason mask=04, virtual address=00000200, PC=00001000, PSL=03C00000',
        '%NONAME-F-NOMSG, Message number 00158264',
        `$GETMSG of 00158264: ${hex(SS.MSGNOTFND)}`,
      ),
    )
  })

  it("the tutorial's commands: RUN [.APPS.SYSTEM.EXAMPLES.VMS]name from the repository root", () => {
    let output = ''
    const system = new VmsSystem({
      output: (text) => (output += text),
      directory: ROOT,
      subsystems: defaultSubsystems,
    })
    const console_ = new Console(system)
    expect(console_.execute('RUN [.APPS.SYSTEM.EXAMPLES.VMS]HELLO')).toBe(SS.NORMAL)
    expect(console_.execute('RUN [.APPS.SYSTEM.EXAMPLES.VMS]MAILBOX')).toBe(SS.NORMAL)
    const image = join(mkdtempSync(join(tmpdir(), 'vms-idiom-')), 'hello.exe')
    expect(console_.execute(`LINK [.APPS.SYSTEM.EXAMPLES.VMS]HELLO /OUTPUT=${image}`)).toBe(
      SS.NORMAL,
    )
    expect(console_.execute(`RUN ${image}`)).toBe(SS.NORMAL)
    expect(output).toBe(
      lines(
        'Hello, world!',
        'MAILBOX received: first message',
        'MAILBOX received: second message',
        'MAILBOX received: last message',
        `%LINK-I-CREATED, ${image} created`,
        'Hello, world!',
      ),
    )
  })
})
