import { describe, expect, it } from 'vitest'
import { Random } from '../../../tools/fuzz/random'
import { VmsSystem } from './executive'

/**
 * Guest code is untrusted: random bytes run as user-mode programs, with random system
 * service calls mixed in, must end in a message or an exit, never a bugcheck or a
 * host exception, and the system must go on running other programs.
 */
describe('random user programs', () => {
  it('never crash the host or the executive (400 programs)', () => {
    const r = new Random(1977)
    let output = ''
    const system = new VmsSystem({ output: (text) => (output += text) })
    for (let i = 0; i < 400; i++) {
      const lines: string[] = ['        .ENTRY  start,^M<R2,R3,R4,R5,R6>']
      for (let k = r.int(1, 12); k > 0; k--) {
        if (r.chance(0.5)) {
          // A service call with random arguments (random count, random values).
          const n = r.int(0, 12)
          for (let a = 0; a < n; a++) lines.push(`        PUSHL   #${r.interesting32()}`)
          lines.push(`        CALLS   #${n},@#^X${(0x80000000 + 8 * r.int(0, 20)).toString(16)}`)
        } else {
          const bytes = Array.from({ length: r.int(1, 16) }, () => r.int(0, 255))
          lines.push(`        .BYTE   ${bytes.join(',')}`)
        }
      }
      lines.push('        RET', '        .END    start')
      const created = system.createProcess(`FUZZ${i}`, lines.join('\n'))
      expect(created.status).toBe(1)
      const stopped = system.run(100_000)
      expect(stopped).not.toBe('bugcheck')
      if (stopped === 'limit') {
        for (const p of system.list()) if (p.pcb.pid !== 0) system.stopProcess(p.pcb.pid)
        expect(system.run()).not.toBe('bugcheck')
      }
      // Anything hibernating or waiting forever is stopped before the next program.
      for (const p of system.list()) if (p.pcb.pid !== 0) system.stopProcess(p.pcb.pid)
    }
    expect(output).not.toContain('BUGCHECK')
    expect(system.list().length).toBe(1)
  })

  it('STOP at any instruction of up to six live processes leaks no frames and no PCB, ACB, TQE or IRP in pool (1,500 rounds)', () => {
    const r = new Random(2024)
    let output = ''
    const system = new VmsSystem({ output: (text) => (output += text) })
    const frames = system.framesInUse()
    // Pool that expanded stays expanded (as on VMS); what must come back is every block.
    const inUse = () => {
      const p = system.pool.statistics()
      const lists = [p.srp, p.irp, p.lrp].map((list) => list.inUsePackets)
      return { lists, bytes: p.variable.inUseBytes, outstanding: p.allocations - p.deallocations }
    }
    const pool = inUse()
    for (let round = 0; round < 1500; round++) {
      if (system.list().length < 7) {
        // A loop of random service calls and random bytes, so that a process is often
        // inside a service, waiting, or receiving an AST when it is stopped.
        const lines = ['        .ENTRY  start,^M<R2,R3,R4,R5,R6>', '5$:']
        for (let k = r.int(1, 10); k > 0; k--) {
          if (r.chance(0.7)) {
            const n = r.int(0, 6)
            for (let a = 0; a < n; a++)
              lines.push(`        PUSHL   #${r.chance(0.5) ? r.int(0, 40) : r.interesting32()}`)
            lines.push(`        CALLS   #${n},@#^X${(0x80000000 + 8 * r.int(0, 20)).toString(16)}`)
          } else {
            const bytes = Array.from({ length: r.int(1, 8) }, () => r.int(0, 255))
            lines.push(`        .BYTE   ${bytes.join(',')}`)
          }
        }
        lines.push('        BRW     5$', '        .END    start')
        expect(system.createProcess(`LIVE${round}`, lines.join('\n')).status).toBe(1)
      }
      expect(system.run(r.int(1, 5000))).not.toBe('bugcheck')
      const live = system.list().filter((p) => p.pcb.pid !== 0)
      const victim = live[r.int(0, live.length - 1)]
      if (victim !== undefined && r.chance(0.4)) system.stopProcess(victim.pcb.pid)
      if (r.chance(0.05)) system.typeInput('typed ahead\r')
    }
    for (const p of system.list()) if (p.pcb.pid !== 0) system.stopProcess(p.pcb.pid)
    expect(system.run()).toBe('idle')
    expect(output).not.toContain('BUGCHECK')
    expect(system.framesInUse()).toEqual(frames)
    expect(inUse()).toEqual(pool)
    expect(system.pool.statistics().allocations).toBeGreaterThan(1000) // PCBs, ACBs, TQEs, IRPs
  })
})
