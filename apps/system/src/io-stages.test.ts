import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { Console } from './console'
import { VmsSystem } from './executive'

/**
 * One VAX program's requests followed through every stage of the I/O system (book
 * 18.5-18.7), as the executive's trace reports them: $QIO's device-independent
 * preprocessing (18.5), the FDT routine (18.5.3), EXE$QIODRVPKT starting the driver or
 * queueing to a busy unit (18.5.3, 18.6), the device interrupt and its fork process
 * (18.6), IOC$REQCOM (18.6), I/O postprocessing at IPL 4 (18.7.1) and the special kernel
 * AST that finishes the request in the process's context (18.7.3), then the user's AST.
 */
const PROGRAM = `
        $SSDEF
        $IODEF
dkname: .ASCID  /VDA0:/
disk:   .WORD   0
mbx:    .WORD   0
iosb1:  .QUAD   0
iosb2:  .QUAD   0
iosb3:  .QUAD   0
asts:   .LONG   0
order:  .LONG   0
buf1:   .ASCII  /a block written by the first request/
        .BLKB   512-36
buf2:   .BLKB   512
line:   .ASCII  /through the mailbox/
buf3:   .BLKB   64
        .ENTRY  ast,^M<>                ; each completion AST records its parameter
        INCL    asts
        MULL2   #10,order
        ADDL2   4(AP),order
        RET
        .ENTRY  start,^M<>
        $ASSIGN_S DEVNAM=dkname,CHAN=disk
        BSBW    check
        $QIO_S  EFN=#1,CHAN=disk,FUNC=#IO$_WRITELBLK,IOSB=iosb1,ASTADR=ast,ASTPRM=#1,-
                P1=buf1,P2=#512,P3=#7
        BSBW    check
        $QIO_S  EFN=#2,CHAN=disk,FUNC=#IO$_READLBLK,IOSB=iosb2,ASTADR=ast,ASTPRM=#2,-
                P1=buf2,P2=#512,P3=#7
        BSBW    check
        $WAITFR_S EFN=#2
        $CREMBX_S CHAN=mbx
        BSBW    check
        $QIOW_S CHAN=mbx,FUNC=#IO$_WRITEVBLK!IO$M_NOW,P1=line,P2=#19
        BSBW    check
        $QIOW_S EFN=#3,CHAN=mbx,FUNC=#IO$_READVBLK,IOSB=iosb3,ASTADR=ast,ASTPRM=#3,-
                P1=buf3,P2=#64
        BSBW    check
        CMPC3   #512,buf1,buf2          ; the block read back is the block written
        BNEQ    20$
        CMPC3   #19,line,buf3           ; and the mailbox gave back its message
        BNEQ    20$
        CMPW    iosb3+2,#19             ; of 19 bytes, as its IOSB says
        BNEQ    20$
        CMPL    order,#123              ; the ASTs came in completion order
        BNEQ    20$
        MOVZWL  iosb2,R0
        $EXIT_S CODE=R0
20$:    $EXIT_S CODE=#SS$_BADPARAM
check:  BLBS    R0,10$                  ; a failed service ends the image with its status
        $EXIT_S CODE=R0
10$:    RSB
        .END    start
`

function run() {
  const directory = mkdtempSync(join(tmpdir(), 'vms-stages-'))
  const lines: string[] = []
  let output = ''
  const system = new VmsSystem({
    directory,
    output: (text) => (output += text),
    trace: (line) => lines.push(line.replace(/^t=\S+\s+/, '')),
  })
  const console_ = new Console(system)
  expect(console_.execute('SYSGEN LOAD VDDRIVER')).toBe(SS.NORMAL)
  expect(console_.execute('SYSGEN CONNECT VDA0 /DRIVER=VDDRIVER /FILE=disk.dsk')).toBe(SS.NORMAL)
  expect(console_.execute('MOUNT/FOREIGN VDA0')).toBe(SS.NORMAL)
  output = ''
  const poolBefore = system.pool.statistics()
  const created = system.createProcess('STAGES', PROGRAM, 4)
  expect(created.status).toBe(SS.NORMAL)
  const pid = created.pid as number
  system.run()
  return { system, lines, output, pid, directory, poolBefore }
}

/** The io trace lines of one request, by its function code. */
function stagesOf(lines: readonly string[], device: string, func: number): string[] {
  const tag = `${device} func=${func.toString(16).padStart(8, '0').toUpperCase()}`
  return lines
    .filter((l) => l.startsWith('io ') && l.includes(tag))
    .map((l) => l.split(' ')[1] ?? '')
}

describe('one request through every stage (book 18.5-18.7), from VAX code', () => {
  const result = run()
  const { lines } = result
  const WRITELBLK = 0x20
  const READLBLK = 0x21

  it('the program ends normally: the block read equals the block written, the message came back, ASTs in order', () => {
    expect(result.output).toBe('')
    expect(result.system.exitStatus(result.pid)).toBe(SS.NORMAL)
    const container = readFileSync(join(result.directory, 'disk.dsk'))
    expect(container.subarray(7 * 512, 7 * 512 + 36).toString('latin1')).toBe(
      'a block written by the first request',
    )
  })

  it('a request to an idle unit: preprocessing, FDT, start I/O, interrupt, IOC$REQCOM, IOPOST, completion', () => {
    expect(stagesOf(lines, '_VDA0:', WRITELBLK)).toEqual([
      'preprocessed',
      'fdt',
      'start',
      'interrupt',
      'reqcom',
      'iopost',
      'complete',
    ])
  })

  it('a request to a busy unit waits in its queue and starts when IOC$REQCOM ends the one before (18.6)', () => {
    expect(stagesOf(lines, '_VDA0:', READLBLK)).toEqual([
      'preprocessed',
      'fdt',
      'queued',
      'start',
      'interrupt',
      'reqcom',
      'iopost',
      'complete',
    ])
    const io = lines.filter((l) => l.startsWith('io _VDA0') || l.startsWith('io '))
    const writeDone = io.findIndex((l) => l.startsWith('io reqcom _VDA0: func=00000020'))
    expect(io[writeDone + 1]).toMatch(/^io start _VDA0: func=00000021/)
    // Both were accepted before either finished: $QIO returns at once (18.5).
    const readQueued = io.findIndex((l) => l.startsWith('io queued _VDA0: func=00000021'))
    expect(readQueued).toBeLessThan(writeDone)
  })

  it('the event flag is set at IPL 4, and the IOSB and AST follow in a special kernel AST (18.7.1, 18.7.3)', () => {
    // The read's event flag is the one the program waits for: setting it ends the wait.
    const post = lines.findIndex((l) => l.startsWith('io iopost _VDA0: func=00000021'))
    const event = lines.findIndex((l, i) => i > post && l.startsWith('event EVENT_FLAG'))
    const special = lines.findIndex((l, i) => i > post && l.startsWith('special kernel AST'))
    const complete = lines.findIndex((l) => l.startsWith('io complete _VDA0: func=00000021'))
    const ast = lines.findIndex((l, i) => i > complete && /^AST to .* mode 3/.test(l))
    expect(post).toBeGreaterThanOrEqual(0)
    expect(event).toBe(post + 1)
    expect(special).toBeGreaterThan(event)
    expect(complete).toBe(special + 1)
    expect(lines[ast]).toMatch(/parameter 00000002$/)
  })

  it('each completion AST comes after its request completed, in completion order (7.4, 18.7.3)', () => {
    const asts = lines.filter((l) => /^AST to .* mode 3/.test(l))
    expect(asts.map((l) => l.slice(-1))).toEqual(['1', '2', '3'])
  })

  it('a buffered read from a mailbox (a logical read: not file oriented, 18.5) completes in process context', () => {
    const mbxRead = lines.filter((l) => /^io \w+ _MBA\d+: func=00000021/.test(l))
    expect(mbxRead.map((l) => l.split(' ')[1])).toEqual([
      'preprocessed',
      'fdt',
      'start',
      'reqcom',
      'iopost',
      'complete',
    ])
    // The message was waiting, so the read completed before $QIOW returned to wait.
    const index = lines.findIndex((l) => /^io complete _MBA\d+: func=00000021/.test(l))
    expect(lines[index - 1]).toMatch(/^special kernel AST/)
  })

  it('afterwards no IRP, system buffer or quota is left: pool is as before the image', () => {
    const now = result.system.pool.statistics()
    expect(now.irp.inUsePackets).toBe(result.poolBefore.irp.inUsePackets)
    expect(now.variable.inUseBytes).toBe(result.poolBefore.variable.inUseBytes)
    expect(now.srp.inUsePackets).toBe(result.poolBefore.srp.inUsePackets)
    expect(result.system.io.postPending).toBe(0)
  })
})
