import { formatNonpagedPoolStatistics, NonpagedPool } from '@vms/pool'

/**
 * What `pnpm start` can bring up today. The CPU, MMU and executive arrive with the
 * issues that build them; until then the console shows the pieces that exist.
 */
export function bootReport(): string {
  const pool = new NonpagedPool()
  return [
    'VAX/VMS in TypeScript',
    '',
    'Nothing to boot yet: the VAX CPU, memory management and the executive are still',
    'being built. The executive packages that exist are initialised below.',
    '',
    '$ SHOW MEMORY/POOL/FULL',
    formatNonpagedPoolStatistics(pool.statistics()),
  ].join('\n')
}
