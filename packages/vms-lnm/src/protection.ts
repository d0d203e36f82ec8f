/**
 * Access to a logical name table (book 28.3, 28.8.1, LNM$CHECK_PROT), with the default
 * protection of the tables the system makes.
 */
import type { ProcessIdentity } from '@vms/contracts'
import type { Lnmth } from './structures'

/**
 * Whether a process may read (translate in) or write (create or delete names in) a
 * table: its own process-private tables always; anyone reads the system table and
 * directory, and SYSNAM writes them; the members of a UIC group read its table and,
 * with GRPNAM, write it; the processes of a job read and write its table. SYSPRV and
 * BYPASS pass every check. The system itself (no process) has every access.
 */
export function mayAccess(
  identity: ProcessIdentity | undefined,
  table: Lnmth,
  access: 'read' | 'write',
): boolean {
  if (identity === undefined) return true
  const privileges = identity.privileges
  if (privileges.has('SYSPRV') || privileges.has('BYPASS')) return true
  const owner = table.owner
  switch (owner.kind) {
    case 'process':
      return owner.pid === identity.pid
    case 'system':
      return access === 'read' || privileges.has('SYSNAM')
    case 'group':
      return owner.group === identity.group && (access === 'read' || privileges.has('GRPNAM'))
    case 'job':
      return owner.job === identity.job
  }
}
