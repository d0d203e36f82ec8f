/**
 * The system services this system implements, in the order of their vectors. Each
 * vector is 8 bytes in the first page of system space (book 9.2, Figure 9-2): an entry
 * mask, `CHMK #code`, `RET`. User code calls `SYS$name` with CALLS or CALLG.
 */
export const SERVICES = [
  { name: 'EXIT', args: 1 },
  { name: 'HIBER', args: 0 },
  { name: 'WAKE', args: 2 },
  { name: 'SETEF', args: 1 },
  { name: 'CLREF', args: 1 },
  { name: 'READEF', args: 2 },
  { name: 'WAITFR', args: 1 },
  { name: 'SETIMR', args: 4 },
  { name: 'CANTIM', args: 2 },
  { name: 'ASSIGN', args: 4 },
  { name: 'DASSGN', args: 1 },
  { name: 'QIOW', args: 12 },
  { name: 'SETPRI', args: 4 },
] as const

export type ServiceName = (typeof SERVICES)[number]['name']

/** System virtual address of the service vectors (book 9.2: the first page of S0). */
export const VECTOR_BASE = 0x80000000
const VECTOR_SIZE = 8

export function vectorAddress(code: number): number {
  return VECTOR_BASE + VECTOR_SIZE * code
}

/** MACRO-32 for the vector page. */
export function vectorSource(): string {
  const lines = SERVICES.map(
    (s, code) =>
      `; SYS$${s.name}\n        .WORD   0\n        CHMK    #${code}\n        RET\n        .ALIGN  QUAD`,
  )
  return lines.join('\n')
}

/** `SYS$name = address` for every service, prepended to user programs. */
export function serviceSymbols(): string {
  return SERVICES.map(
    (s, code) => `SYS$${s.name} = ^X${vectorAddress(code).toString(16).toUpperCase()}`,
  ).join('\n')
}
