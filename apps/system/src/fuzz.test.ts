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
})
