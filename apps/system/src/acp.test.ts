import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { Console } from './console'
import { VmsSystem } from './executive'
import { EXAMPLES_DIRECTORY } from './programs'

/**
 * The shelving ACP (seed note "How to Add your Own ACPs ahead of the DEC ones"): its
 * intercept takes the disk driver's FDT entries, holds reads of shelved blocks with the
 * reader in RWAST, the daemon SHELFACP (VAX code) restores the block from the archive,
 * and a special kernel AST lets the reader go on (book 7.2.2 special kernel ASTs, 10.2
 * RWAST, 18.5 FDT routines, 19.5.4 EXE$WRTMAILBOX).
 */
function boot() {
  const directory = mkdtempSync(join(tmpdir(), 'vms-acp-'))
  let output = ''
  const system = new VmsSystem({ output: (text) => (output += text), directory })
  const console_ = new Console(system)
  for (const command of [
    'SYSGEN LOAD VDDRIVER',
    'SYSGEN CONNECT VDA0 /DRIVER=VDDRIVER /FILE=disk.dsk /BLOCKS=16',
    'SYSGEN CONNECT VDA1 /DRIVER=VDDRIVER /FILE=archive.dsk /BLOCKS=16',
    'MOUNT/FOREIGN VDA0',
    'MOUNT/FOREIGN VDA1',
  ])
    expect(console_.execute(command)).toBe(SS.NORMAL)
  const disk = system.io.unit('VDA0')?.storage
  const archive = system.io.unit('VDA1')?.storage
  if (disk === undefined || archive === undefined) throw new Error('no disks')
  const block = (n: number, text: string) => {
    const data = new Uint8Array(512)
    data.set(new TextEncoder().encode(text))
    disk.write(n, data)
  }
  const read = (storage: typeof disk, n: number) => {
    const data = new Uint8Array(512)
    storage.read(n, data)
    return data
  }
  const pid = (name: string) => system.list().find((p) => p.pcb.name === name)?.pcb.pid as number
  const pids = (name: string) =>
    system
      .list()
      .filter((p) => p.pcb.name === name)
      .map((p) => p.pcb.pid)
  return {
    system,
    console_,
    output: () => output,
    directory,
    disk,
    archive,
    block,
    read,
    pid,
    pids,
  }
}

/** Boots, starts the ACP on VDA0 with VDA1 as archive, and the daemon; block 5 holds a line. */
function withDaemon() {
  const b = boot()
  b.block(5, 'block five, restored from the archive\n')
  expect(b.console_.execute('ACP START VDA0 /ARCHIVE=VDA1')).toBe(SS.NORMAL)
  expect(b.console_.execute('RUN/NOWAIT SHELFACP')).toBe(SS.NORMAL)
  b.system.run()
  const daemon = b.pid('SHELFACP')
  expect(b.system.acp.daemonPid()).toBe(daemon)
  return { ...b, daemon }
}

/** A console status without STS$M_INHIB_MSG (the console has shown its message). */
const st = (status: number) => status & 0x0fffffff

const poolInUse = (system: VmsSystem) => {
  const s = system.pool.statistics()
  return [s.variable.inUseBytes, s.srp.inUsePackets, s.irp.inUsePackets, s.lrp.inUsePackets]
}

describe('the shelving ACP ahead of VDDRIVER', () => {
  it('SHELVE moves a block to the archive; a read of it is held in RWAST, then gets the right data', () => {
    const b = withDaemon()
    expect(b.console_.execute('SHELVE VDA0 5')).toBe(SS.NORMAL)
    expect(b.read(b.disk, 5).every((x) => x === 0)).toBe(true)
    expect(new TextDecoder().decode(b.read(b.archive, 5).subarray(0, 10))).toBe('block five')
    // The daemon is held up so that the reader can be seen waiting.
    b.system.suspendProcess(b.daemon)
    b.console_.execute('RUN/NOWAIT SHELFRD')
    b.system.run()
    const reader = b.pid('SHELFRD')
    expect(b.system.inRwast(reader)).toBe(true)
    b.console_.execute('SHOW SYSTEM')
    expect(b.output()).toMatch(/SHELFRD +RWAST/)
    b.system.resumeProcess(b.daemon)
    b.system.run()
    expect(b.system.exists(reader)).toBe(false)
    expect(b.system.exitStatus(reader)).toBe(SS.NORMAL)
    expect(b.output()).toContain('block five, restored from the archive\n')
    expect(b.system.acp.shelved.size).toBe(0)
    expect(new TextDecoder().decode(b.read(b.disk, 5).subarray(0, 10))).toBe('block five')
  })

  it('the README session: SHELVE, then RUN SHELFRD types the restored line', () => {
    const b = withDaemon()
    expect(b.console_.execute('SHELVE VDA0 5')).toBe(SS.NORMAL)
    expect(b.console_.execute('RUN SHELFRD')).toBe(SS.NORMAL)
    expect(b.output()).toContain('block five, restored from the archive\n')
    expect(b.system.acp.messagesSent).toBe(1)
  })

  it('reads and writes of blocks on disk pass straight through, with no message', () => {
    const b = withDaemon()
    b.console_.execute('RUN SHELFRD')
    expect(b.output()).toContain('block five, restored from the archive\n')
    expect(b.system.acp.messagesSent).toBe(0)
    expect(b.system.io.unit('VDA0')?.operations).toBe(1)
  })

  it('two processes reading the same shelved block at once: one message, both get the data', () => {
    const b = withDaemon()
    b.console_.execute('SHELVE VDA0 5')
    b.system.suspendProcess(b.daemon)
    b.console_.execute('RUN/NOWAIT SHELFRD')
    b.console_.execute('RUN/NOWAIT SHELFRD')
    b.system.run()
    const readers = b.pids('SHELFRD')
    expect(readers.length).toBe(2)
    expect(readers.every((p) => b.system.inRwast(p))).toBe(true)
    expect(b.system.acp.heldPids().sort()).toEqual([...readers].sort())
    expect(b.system.acp.messagesSent).toBe(1)
    b.system.resumeProcess(b.daemon)
    b.system.run()
    expect(readers.map((p) => b.system.exitStatus(p))).toEqual([SS.NORMAL, SS.NORMAL])
    expect(b.output().split('block five, restored from the archive\n').length).toBe(3)
  })

  it('$CANCEL while held (book 18.8): the read ends with SS$_CANCEL, RWAST is left, no pool is lost', () => {
    const b = withDaemon()
    b.console_.execute('SHELVE VDA0 5')
    b.system.suspendProcess(b.daemon)
    const pool = poolInUse(b.system)
    b.console_.execute('RUN/NOWAIT SHELFRD')
    b.system.run()
    const reader = b.pid('SHELFRD')
    const [channel] = b.system.io.channelsOf(reader)
    expect(b.system.io.cancel(reader, channel as number, 3)).toBe(SS.NORMAL)
    expect(b.system.acp.heldPids()).toEqual([])
    b.system.run()
    expect(b.system.exitStatus(reader)).toBe(SS.CANCEL)
    expect(b.system.inRwast(reader)).toBe(false)
    b.system.resumeProcess(b.daemon)
    b.system.run() // the daemon restores the block all the same
    expect(b.system.acp.shelved.size).toBe(0)
    expect(poolInUse(b.system)).toEqual(pool)
  })

  it('the daemon dies: held reads end with SS$_MEDOFL, nobody stays in RWAST, no pool is lost', () => {
    const b = withDaemon()
    b.console_.execute('SHELVE VDA0 5')
    b.system.suspendProcess(b.daemon)
    b.console_.execute('RUN/NOWAIT SHELFRD')
    b.console_.execute('RUN/NOWAIT SHELFRD')
    b.system.run()
    const readers = b.pids('SHELFRD')
    expect(b.system.stopProcess(b.daemon)).toBe(SS.NORMAL)
    b.system.run()
    for (const reader of readers) {
      expect((b.system.exitStatus(reader) ?? 0) & 0xffff).toBe(SS.MEDOFL)
      expect(b.system.inRwast(reader)).toBe(false)
    }
    expect(b.system.list().length).toBe(1)
    expect(b.system.acp.heldPids()).toEqual([])
    // With no daemon, a read of a shelved block is refused at once; the block stays archived.
    b.console_.execute('RUN SHELFRD')
    expect(b.system.acp.shelved.has(5)).toBe(true)
    expect(b.console_.execute('ACP STOP')).toBe(SS.NORMAL)
    expect(b.system.io.unit('VDA0')?.ddb.dpt.fdt.legal).toBe(
      b.system.io.driver('VDDRIVER')?.fdt.legal,
    )
  })

  it('STOP of a reader in RWAST: its read is canceled, nothing leaks, SHELVE works again', () => {
    const b = withDaemon()
    b.console_.execute('SHELVE VDA0 5')
    b.system.suspendProcess(b.daemon)
    const pool = poolInUse(b.system)
    b.console_.execute('RUN/NOWAIT SHELFRD')
    b.system.run()
    const reader = b.pid('SHELFRD')
    expect(b.system.inRwast(reader)).toBe(true)
    expect(b.system.stopProcess(reader)).toBe(SS.NORMAL)
    expect(b.system.inRwast(reader)).toBe(false)
    expect(b.system.acp.heldPids()).toEqual([])
    b.system.resumeProcess(b.daemon)
    b.system.run()
    expect(poolInUse(b.system)).toEqual(pool)
    expect(b.console_.execute('SHELVE VDA0 6')).toBe(SS.NORMAL)
  })

  it('user ASTs are inhibited in RWAST: a timer AST that expires meanwhile waits for the read to go on', () => {
    const b = withDaemon()
    b.console_.execute('SHELVE VDA0 5')
    b.system.suspendProcess(b.daemon)
    const source = `IO$_READLBLK = ^X21
        .ENTRY  start,^M<>
        CLRQ    -(SP)
        PUSHAL  disk
        PUSHAQ  dknam
        CALLS   #4,@#SYS$ASSIGN
        CLRL    -(SP)
        PUSHAL  timer_ast
        PUSHAQ  delta
        PUSHL   #2
        CALLS   #4,@#SYS$SETIMR
        CLRQ    -(SP)
        CLRL    -(SP)
        PUSHL   #5
        PUSHL   #512
        PUSHAB  buf
        CLRQ    -(SP)
        PUSHAQ  iosb
        PUSHL   #IO$_READLBLK
        PUSHL   disk
        PUSHL   #1
        CALLS   #12,@#SYS$QIOW
10$:    TSTL    fired                   ; the timer AST comes once the read went on
        BEQL    10$
        MOVZWL  iosb,R0
        RET
        .ENTRY  timer_ast,^M<>
        INCL    fired
        RET
dknam:  .LONG   10
        .ADDRESS 1$
1$:     .ASCII  /SHELF$DISK/
delta:  .QUAD   -10000                  ; 1 ms
disk:   .LONG   0
fired:  .LONG   0
iosb:   .QUAD   0
buf:    .BLKB   512
        .END    start`
    const reader = b.system.createProcess('TIMED', source).pid as number
    b.system.run(2_000_000) // 2 s of virtual time: the timer has long expired
    expect(b.system.inRwast(reader)).toBe(true)
    expect(b.system.asts.state(reader)?.queue.length).toBe(1) // the timer AST, not delivered
    b.console_.execute('SHOW SYSTEM')
    expect(b.output()).toMatch(/TIMED +RWAST/)
    b.system.resumeProcess(b.daemon)
    b.system.run()
    expect(b.system.exitStatus(reader)).toBe(SS.NORMAL)
  })

  it('console refusals: SHELVE without the ACP, bad blocks; ACP START twice', () => {
    const b = boot()
    expect(st(b.console_.execute('SHELVE VDA0 5'))).toBe(SS.DEVOFFLINE)
    expect(b.console_.execute('ACP START VDA0 /ARCHIVE=VDA1')).toBe(SS.NORMAL)
    expect(st(b.console_.execute('ACP START VDA0 /ARCHIVE=VDA1'))).toBe(SS.DEVACTIVE)
    const before = Buffer.from(readFileSync(join(b.directory, 'disk.dsk')))
    expect(st(b.console_.execute('SHELVE VDA0 3 99'))).toBe(SS.IVADDR)
    expect(st(b.console_.execute('SHELVE VDA0 x'))).toBe(SS.IVADDR)
    expect(b.system.acp.shelved.size).toBe(0)
    expect(Buffer.from(readFileSync(join(b.directory, 'disk.dsk'))).equals(before)).toBe(true)
    expect(b.console_.execute('ACP STOP')).toBe(SS.NORMAL)
    expect(st(b.console_.execute('ACP STOP'))).toBe(SS.DEVOFFLINE)
  })

  it('the daemon and reader sources are the shipped examples', () => {
    expect(readFileSync(join(EXAMPLES_DIRECTORY, 'shelfacp.mar'), 'utf8')).toContain('SHELF$MBX')
  })

  it('the daemon and reader sources are the shipped examples', () => {
    expect(readFileSync(join(EXAMPLES_DIRECTORY, 'shelfrd.mar'), 'utf8')).toContain('SHELF$DISK')
  })
})

/** Blocks 0-7 of the disk, in ROUNDS rounds: round r writes byte r*16+b all over block b. */
const BLOCKS = 8
const ROUNDS = 3

/** The channel on SHELF$DISK and the io(function, buffer) helper at block R8, shared by both programs. */
const COMMON = `IO$_READLBLK = ^X21
IO$_WRITELBLK = ^X20
        .ENTRY  io,^M<>
        CLRQ    -(SP)
        CLRL    -(SP)
        PUSHL   R8
        PUSHL   #512
        PUSHL   8(AP)
        CLRQ    -(SP)
        PUSHAQ  iosb
        PUSHL   4(AP)
        PUSHL   disk
        PUSHL   #1
        CALLS   #12,@#SYS$QIOW
        BLBC    R0,1$
        MOVZWL  iosb,R0
1$:     RET
assign: .WORD   0
        CLRQ    -(SP)
        PUSHAL  disk
        PUSHAQ  dknam
        CALLS   #4,@#SYS$ASSIGN
        RET
dknam:  .LONG   10
        .ADDRESS 2$
2$:     .ASCII  /SHELF$DISK/
disk:   .LONG   0
iosb:   .QUAD   0
        .ALIGN  LONG
buf:    .BLKB   512
buf2:   .BLKB   512`

/** WRITER: each round writes every block and reads it straight back: it must be what it wrote. */
const WRITER = `        .ENTRY  start,^M<R2,R3,R4,R5,R6,R7,R8>
        CALLS   #0,assign
        BLBS    R0,5$
        RET
5$:     MOVL    #1,R6
rnd:    CLRL    R8
blk:    ASHL    #4,R6,R7
        BISL2   R8,R7
        MOVC5   #0,buf,R7,#512,buf
        PUSHAB  buf
        PUSHL   #IO$_WRITELBLK
        CALLS   #2,io
        BLBS    R0,1$
        RET
1$:     PUSHAB  buf2
        PUSHL   #IO$_READLBLK
        CALLS   #2,io
        BLBS    R0,2$
        RET
2$:     CMPC3   #512,buf,buf2
        BEQL    3$
        MOVL    #44,R0
        RET
3$:     AOBLSS  #${BLOCKS},R8,blk
        AOBLSS  #${ROUNDS + 1},R6,rnd
        MOVL    #1,R0
        RET
${COMMON}
        .END    start`

/** READER: reads every block ROUNDS times: all 512 bytes alike, the low 4 bits its block number. */
const READER = `        .ENTRY  start,^M<R2,R3,R4,R5,R6,R7,R8>
        CALLS   #0,assign
        BLBS    R0,5$
        RET
5$:     MOVL    #1,R6
rnd:    CLRL    R8
blk:    PUSHAB  buf2
        PUSHL   #IO$_READLBLK
        CALLS   #2,io
        BLBS    R0,1$
        RET
1$:     MOVZBL  buf2,R7
        BICL3   #-16,R7,R0
        CMPL    R0,R8
        BNEQ    bad
        MOVC5   #0,buf,R7,#512,buf
        CMPC3   #512,buf,buf2
        BNEQ    bad
        AOBLSS  #${BLOCKS},R8,blk
        AOBLSS  #${ROUNDS + 1},R6,rnd
        MOVL    #1,R0
        RET
bad:    MOVL    #44,R0
        RET
${COMMON}
        .END    start`

/** A small deterministic generator (mulberry32), so that a failing seed can be rerun. */
function random(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('nothing is lost: random shelving under a writer and two readers', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: every process checks what it reads; every block ends as last written`, () => {
      const b = withDaemon()
      for (let n = 0; n < BLOCKS; n++) b.disk.write(n, new Uint8Array(512).fill(n)) // round 0
      const next = random(seed)
      const shelveSome = () => {
        const blocks = Array.from({ length: BLOCKS }, (_, n) => n).filter(() => next() < 0.4)
        if (blocks.length > 0) b.system.acp.shelve(blocks)
      }
      shelveSome()
      const pool = poolInUse(b.system)
      const workers = [
        b.system.createProcess('WRITER', WRITER).pid as number,
        b.system.createProcess('READER1', READER).pid as number,
        b.system.createProcess('READER2', READER).pid as number,
      ]
      for (let slice = 0; slice < 2000 && workers.some((p) => b.system.exists(p)); slice++) {
        b.system.run(200 + Math.floor(next() * 3000))
        shelveSome() // refused (SS$_DEVACTIVE) while the disk is busy or reads are held
      }
      expect(workers.map((p) => b.system.exitStatus(p))).toEqual([SS.NORMAL, SS.NORMAL, SS.NORMAL])
      expect(b.system.acp.heldPids()).toEqual([])
      for (let n = 0; n < BLOCKS; n++) {
        const where = b.system.acp.shelved.has(n) ? b.archive : b.disk
        expect(b.read(where, n).every((x) => x === ROUNDS * 16 + n)).toBe(true)
      }
      expect(b.system.acp.messagesSent).toBeGreaterThan(0)
      expect(poolInUse(b.system)).toEqual(pool)
    })
  }
})
