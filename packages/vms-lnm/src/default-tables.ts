/**
 * The tables and table names the system makes (book 28.3.1, Tables 28-1 and 28-2).
 */
import type { AccessMode } from './lnm'

/** LNM$JOB_xxxxxxxx: the job's root PID in eight hex digits stands where VMS has the JIB's address. */
export const jobTableName = (job: number) =>
  `LNM$JOB_${(job >>> 0).toString(16).toUpperCase().padStart(8, '0')}`

/** LNM$GROUP_gggggg: the UIC group in six octal digits (Table 28-1). */
export const groupTableName = (group: number) =>
  `LNM$GROUP_${(group >>> 0).toString(8).padStart(6, '0')}`

/** A name a directory may hold: 1 to 31 letters, digits, `$` and `_` (28.3). */
export const isDirectoryName = (name: string) => /^[A-Za-z0-9$_]{1,31}$/.test(name)

/**
 * The names in the system directory that lead to tables (Table 28-2): name, access
 * mode and equivalences. LNM$FILE_DEV is defined twice: at supervisor mode for
 * everyone, at executive mode for privileged images, which see the system table only.
 */
export const SYSTEM_TABLE_NAMES: readonly (readonly [string, AccessMode, readonly string[]])[] = [
  ['LNM$SYSTEM', 0, ['LNM$SYSTEM_TABLE']],
  ['LNM$FILE_DEV', 2, ['LNM$PROCESS', 'LNM$JOB', 'LNM$GROUP', 'LNM$SYSTEM']],
  ['LNM$FILE_DEV', 1, ['LNM$SYSTEM']],
  ['LNM$DCL_LOGICAL', 0, ['LNM$FILE_DEV']],
  ['LNM$PERMANENT_MAILBOX', 0, ['LNM$SYSTEM']],
  ['LNM$TEMPORARY_MAILBOX', 0, ['LNM$JOB']],
  ['LOG$PROCESS', 0, ['LNM$PROCESS', 'LNM$JOB']],
  ['LOG$GROUP', 0, ['LNM$GROUP']],
  ['LOG$SYSTEM', 0, ['LNM$SYSTEM']],
  ['TRNLOG$_GROUP_SYSTEM', 0, ['LOG$GROUP', 'LOG$SYSTEM']],
  ['TRNLOG$_PROCESS_GROUP', 0, ['LOG$PROCESS', 'LOG$GROUP']],
  ['TRNLOG$_PROCESS_SYSTEM', 0, ['LOG$PROCESS', 'LOG$SYSTEM']],
  ['TRNLOG$_PROCESS_GROUP_SYSTEM', 0, ['LOG$PROCESS', 'LOG$GROUP', 'LOG$SYSTEM']],
]

/**
 * The names a process's directory starts with, besides its tables (28.3.1): LNM$PROCESS
 * to its process table, LNM$JOB and LNM$GROUP to its job's and group's tables.
 */
export function processTableNames(
  job: number,
  group: number,
): readonly (readonly [string, AccessMode, readonly string[]])[] {
  return [
    ['LNM$PROCESS', 0, ['LNM$PROCESS_TABLE']],
    ['LNM$JOB', 0, [jobTableName(job)]],
    ['LNM$GROUP', 0, [groupTableName(group)]],
  ]
}
