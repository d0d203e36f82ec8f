import { describe, expect, it } from 'vitest'
import { bootReport } from './boot'

describe('pnpm start', () => {
  it('initialises nonpaged pool with the default SYSBOOT parameters and shows it', () => {
    const report = bootReport()
    expect(report).toContain('Nothing to boot yet')
    // Default NPAGEDYN is 256 KiB, all free at boot.
    expect(report).toMatch(/Current Size \(bytes\)\s+262144/)
    expect(report).toMatch(/Free Space \(bytes\)\s+262144/)
  })
})
