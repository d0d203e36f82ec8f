import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../apps/vax/src/main'

/**
 * EHKAA, DEC's MicroVAX hardware core instruction test (../shared/diagnostics), run
 * through the `vax run` contract exactly as outside checks do. It passes when the
 * machine halts with PC = 80018AD1 (the address after its final HALT).
 */
const image = resolve(import.meta.dirname, '../../../shared/diagnostics/ehkaa.exe')

// Skipped only in a checkout without the workplace's shared/diagnostics beside it.
describe.skipIf(!existsSync(image))('EHKAA (HCORE diagnostic)', () => {
  it('pnpm -s vax run ehkaa.exe --base 0 --pc 0x200 --json halts at 80018AD1', async () => {
    let stdout = ''
    const status = await main(
      ['run', image, '--base', '0', '--pc', '0x200', '--json'],
      (t) => {
        stdout += t
      },
      () => {},
    )
    expect(status).toBe(0)
    const report = JSON.parse(stdout)
    expect(report.halted).toBe('HALT')
    expect(report.pc).toBe(0x80018ad1)
  })
})
