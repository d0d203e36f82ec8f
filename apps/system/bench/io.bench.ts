import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defaultSubsystems } from '../src/build'
import { Console } from '../src/console'
import { VmsSystem } from '../src/executive'

/**
 * The I/O system from VAX code (book ch. 18): $QIOW round trips to NL: from a VAX loop,
 * and disk reads through the virtual disk driver from VAX code against reading the same
 * container file directly with fs.readSync in the same run.
 */
const NL_CALLS = 50_000
const NL_LOOP = `
        .ENTRY  start,^M<R6>
        CLRQ    -(SP)
        PUSHAL  chan
        PUSHAQ  nlname
        CALLS   #4,@#SYS$ASSIGN
        MOVL    #${NL_CALLS},R6
10$:    CLRQ    -(SP)
        CLRQ    -(SP)
        CLRQ    -(SP)                   ; p1 = 0, p2 = 0: an empty write
        CLRQ    -(SP)
        PUSHAQ  iosb
        PUSHL   #^X30                   ; IO$_WRITEVBLK
        PUSHL   chan
        PUSHL   #1
        CALLS   #12,@#SYS$QIOW
        SOBGTR  R6,10$
        RET
nlname: .LONG   3
        .ADDRESS 1$
1$:     .ASCII  /NL:/
chan:   .LONG   0
iosb:   .QUAD   0
        .END    start`

/** Blocks in the container, and blocks one $QIOW reads (32 KiB, under the 64 KiB transfer limit). */
const DISK_BLOCKS = 8192
const PER_READ = 64
const PASSES = 8
const DISK_LOOP = `
        .ENTRY  start,^M<R6,R7>
        CLRQ    -(SP)
        PUSHAL  chan
        PUSHAQ  dkname
        CALLS   #4,@#SYS$ASSIGN
        MOVL    #${(PASSES * DISK_BLOCKS) / PER_READ},R6
        CLRL    R7                      ; the logical block
10$:    CLRQ    -(SP)                   ; p5, p6
        CLRL    -(SP)                   ; p4
        PUSHL   R7                      ; p3: the block
        PUSHL   #${PER_READ * 512}      ; p2
        PUSHAB  buffer                  ; p1
        CLRQ    -(SP)
        PUSHAQ  iosb
        PUSHL   #^X21                   ; IO$_READLBLK
        PUSHL   chan
        PUSHL   #1
        CALLS   #12,@#SYS$QIOW
        ADDL2   #${PER_READ},R7
        CMPL    R7,#${DISK_BLOCKS}
        BLSS    20$
        CLRL    R7
20$:    SOBGTR  R6,10$
        RET
dkname: .LONG   5
        .ADDRESS 1$
1$:     .ASCII  /VDA0:/
chan:   .LONG   0
iosb:   .QUAD   0
        .ALIGN  PAGE
buffer: .BLKB   ${PER_READ * 512}
        .END    start`

function timed(run: () => void): number {
  const start = performance.now()
  run()
  return (performance.now() - start) / 1000
}

export default function runIoBenchmarks(): void {
  console.log('apps/system: I/O from VAX code')
  const nl = new VmsSystem({ output: () => {}, subsystems: defaultSubsystems })
  nl.createProcess('NLLOOP', NL_LOOP)
  const nlSeconds = timed(() => nl.run(1_000_000_000))
  console.log(
    `  $QIOW round trips to NL: from a VAX loop   ${Math.round(NL_CALLS / nlSeconds)
      .toLocaleString('en-US')
      .padStart(9)}/s`,
  )

  const directory = mkdtempSync(join(tmpdir(), 'vms-iobench-'))
  try {
    const disk = new VmsSystem({ output: () => {}, subsystems: defaultSubsystems, directory })
    const console_ = new Console(disk)
    console_.execute('SYSGEN LOAD VDDRIVER')
    console_.execute(`SYSGEN CONNECT VDA0 /DRIVER=VDDRIVER /FILE=disk.dsk /BLOCKS=${DISK_BLOCKS}`)
    console_.execute('MOUNT/FOREIGN VDA0')
    disk.createProcess('DKLOOP', DISK_LOOP)
    const bytes = PASSES * DISK_BLOCKS * 512
    const vaxSeconds = timed(() => disk.run(1_000_000_000))
    const unit = disk.io.devices().find((u) => u.name === 'VDA0')
    if (unit?.operations !== (PASSES * DISK_BLOCKS) / PER_READ)
      throw new Error(
        `the VAX loop did ${unit?.operations} reads, not ${(PASSES * DISK_BLOCKS) / PER_READ}`,
      )
    const direct = Buffer.alloc(PER_READ * 512)
    const fd = openSync(join(directory, 'disk.dsk'), 'r')
    const directSeconds = timed(() => {
      for (let pass = 0; pass < PASSES; pass++)
        for (let block = 0; block < DISK_BLOCKS; block += PER_READ)
          readSync(fd, direct, 0, direct.length, block * 512)
    })
    closeSync(fd)
    const mib = (s: number) => (bytes / 2 ** 20 / s).toFixed(0)
    console.log(
      `  disk reads through VDDRIVER from VAX code  ${mib(vaxSeconds).padStart(9)} MiB/s   (fs.readSync of the container: ${mib(directSeconds)} MiB/s, ratio ${(directSeconds / vaxSeconds).toFixed(2)})`,
    )
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
}
