import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { defaultSubsystems } from './build'
import { Console } from './console'
import { VmsSystem } from './executive'

/**
 * Many VAX processes doing mailbox, terminal and disk I/O at once, with $CANCEL and
 * process deletion in the middle (book 18.5-18.8, 22.2): afterwards no IRP, buffer, UCB
 * reference or quota is left over, and every disk write a process saw complete is in
 * the container file.
 */
const WORKER = (n: number) => `IO$_WRITEVBLK = ^X30
IO$_READVBLK = ^X31
IO$_WRITELBLK = ^X20
IO$M_NOW = ^X40
        .ENTRY  start,^M<R2,R6>
        CLRQ    -(SP)
        PUSHAL  tt
        PUSHAQ  ttname
        CALLS   #4,@#SYS$ASSIGN
        CLRQ    -(SP)
        PUSHAL  disk
        PUSHAQ  dkname
        CALLS   #4,@#SYS$ASSIGN
        CLRQ    -(SP)
        CLRQ    -(SP)
        CLRL    -(SP)
        PUSHAL  mbx
        CLRL    -(SP)
        CALLS   #7,@#SYS$CREMBX
        MOVL    #8,R6
10$:    MOVL    mbx,R2                  ; a message into the mailbox and out again
        PUSHL   #16
        PUSHAB  block
        PUSHL   #IO$_WRITEVBLK!IO$M_NOW
        CLRL    -(SP)
        CALLS   #4,io
        PUSHL   #16
        PUSHAB  scratch
        PUSHL   #IO$_READVBLK
        CLRL    -(SP)
        CALLS   #4,io
        MOVL    disk,R2                 ; this worker's block for this pass
        PUSHL   #512
        PUSHAB  block
        PUSHL   #IO$_WRITELBLK
        ADDL3   #${n * 16},R6,-(SP)
        CALLS   #4,io
        BLBC    R0,20$
        INCB    done                    ; completed writes, counted in the block itself
20$:    MOVL    tt,R2                   ; a line to the terminal
        PUSHL   #6
        PUSHAB  line
        PUSHL   #IO$_WRITEVBLK
        CLRL    -(SP)
        CALLS   #4,io
        PUSHL   disk
        CALLS   #1,@#SYS$CANCEL         ; nothing outstanding: harmless
        SOBGTR  R6,10$
        MOVL    #1,R0
        RET
; io(lbn, function, buffer, length) on the channel in R2
        .ENTRY  io,^M<>
        CLRQ    -(SP)
        PUSHL   4(AP)                   ; p3: the logical block
        PUSHL   16(AP)                  ; p2
        PUSHL   12(AP)                  ; p1
        CLRQ    -(SP)
        PUSHAQ  iosb
        PUSHL   8(AP)
        PUSHL   R2
        PUSHL   #1
        CALLS   #12,@#SYS$QIOW
        BLBC    R0,1$
        MOVZWL  iosb,R0
1$:     RET
ttname: .LONG   10
        .ADDRESS 1$
1$:     .ASCII  /SYS$OUTPUT/
dkname: .LONG   5
        .ADDRESS 2$
2$:     .ASCII  /VDA0:/
line:   .ASCII  /w${n.toString().padStart(3, '0')}.<10>/
tt:     .LONG   0
disk:   .LONG   0
mbx:    .LONG   0
iosb:   .QUAD   0
scratch: .BLKB  16
        .ALIGN  LONG
block:  .ASCII  /worker ${n.toString().padStart(3, '0')} wrote this block /
done:   .BYTE   0
        .BLKB   512
        .END    start`

const inUse = (system: VmsSystem) => {
  const p = system.pool.statistics()
  return [p.variable.inUseBytes, p.srp.inUsePackets, p.irp.inUsePackets, p.lrp.inUsePackets]
}

describe('I/O stress (book 18.5-18.8, 22.2)', () => {
  it.each([1, 2, 3])('seed %i: 12 workers, some stopped in the middle; nothing leaks', (seed) => {
    const directory = mkdtempSync(join(tmpdir(), 'vms-stress-'))
    const system = new VmsSystem({ output: () => {}, subsystems: defaultSubsystems, directory })
    const console_ = new Console(system)
    console_.execute('SYSGEN LOAD VDDRIVER /ALLOCATION_CLASS=1 /CLUSTER')
    console_.execute('SYSGEN CONNECT VDA0 /DRIVER=VDDRIVER /FILE=disk.dsk /BLOCKS=256')
    expect(console_.execute('MOUNT/FOREIGN VDA0')).toBe(SS.NORMAL)
    const vda0 = () => system.io.devices().find((u) => u.name === 'VDA0')
    const baseline = inUse(system)
    const refc = vda0()?.refc
    let random = seed
    const next = () => {
      random = (Math.imul(random, 1103515245) + 12345) >>> 0
      return random >>> 16
    }
    const workers = Array.from({ length: 12 }, (_, n) => {
      const created = system.createProcess(`W${n}`, WORKER(n))
      expect(created.status).toBe(SS.NORMAL)
      return created.pid as number
    })
    // Run in slices, deleting a worker now and then wherever it is.
    const stopped = new Set<number>()
    for (let slice = 0; slice < 200 && system.run(2_000) !== 'idle'; slice++) {
      const live = workers.filter((pid) => system.exists(pid))
      if (stopped.size < 4 && live.length > 1 && next() % 2 === 0) {
        const victim = live[next() % live.length] as number
        system.stopProcess(victim)
        stopped.add(victim)
      }
    }
    system.run()
    // The run stopped some workers in the middle, and let others finish.
    expect(stopped.size).toBeGreaterThan(0)
    expect(stopped.size).toBeLessThan(workers.length)
    expect(system.list().length).toBe(1)
    expect(inUse(system)).toEqual(baseline)
    expect(vda0()?.refc).toBe(refc)
    // Every worker that ran to the end wrote its 8 blocks; each block is in the file.
    const file = readFileSync(join(directory, 'disk.dsk'))
    workers.forEach((pid, n) => {
      if (stopped.has(pid)) return
      expect(system.exitStatus(pid)).toBe(SS.NORMAL)
      for (let pass = 1; pass <= 8; pass++) {
        const at = (n * 16 + pass) * 512
        expect(file.subarray(at, at + 10).toString('latin1')).toBe(
          `worker ${String(n).padStart(3, '0')}`.slice(0, 10),
        )
      }
    })
  })
})
