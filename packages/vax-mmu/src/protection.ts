/**
 * The sixteen page protection codes (VAX SRM "Memory management", PTE<30:27>) as, for
 * each access mode (0 kernel, 1 executive, 2 supervisor, 3 user), whether it may read
 * and whether it may write. Code 1 is reserved: no access.
 */
export const PROTECTION_NAMES = [
  'NA',
  'RESERVED',
  'KW',
  'KR',
  'UW',
  'EW',
  'ERKW',
  'ER',
  'SW',
  'SREW',
  'SRKW',
  'SR',
  'URSW',
  'UREW',
  'URKW',
  'UR',
] as const

/** [modes that may read, modes that may write] for each code, as bit masks of modes. */
const MODES: readonly (readonly [string, string])[] = [
  ['', ''], // NA
  ['', ''], // reserved
  ['K', 'K'], // KW
  ['K', ''], // KR
  ['KESU', 'KESU'], // UW
  ['KE', 'KE'], // EW
  ['KE', 'K'], // ERKW
  ['KE', ''], // ER
  ['KES', 'KES'], // SW
  ['KES', 'KE'], // SREW
  ['KES', 'K'], // SRKW
  ['KES', ''], // SR
  ['KESU', 'KES'], // URSW
  ['KESU', 'KE'], // UREW
  ['KESU', 'K'], // URKW
  ['KESU', ''], // UR
]

const mask = (modes: string) => [...modes].reduce((m, c) => m | (1 << 'KESU'.indexOf(c)), 0)

/** Bit m set when mode m may read a page with this protection code. */
export const READ_MODES: Uint8Array = Uint8Array.from(MODES, ([read]) => mask(read))
/** Bit m set when mode m may write a page with this protection code. */
export const WRITE_MODES: Uint8Array = Uint8Array.from(MODES, ([, write]) => mask(write))
