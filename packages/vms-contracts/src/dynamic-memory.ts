import type { Status } from './status'

/**
 * Structure type codes (DYN$C_...), the byte at offset 10 of every block the executive
 * allocates from pool (book Appendix E, "Structure type codes").
 */
export const DYN = {
  ACB: 2,
  IRP: 10,
  PCB: 12,
  TQE: 15,
  /** Lock block (book 13.1.3). */
  LKB: 53,
  /** Resource block (book 13.1.1). */
  RSB: 54,
  /** Lock ID table (book 13.1.4). */
  LKID: 55,
  /** Resource hash table (book 13.1.2). */
  RSHT: 56,
} as const

/**
 * Nonpaged dynamic memory as the executive's packages see it (book 3.1): a block of
 * `bytes` for a structure of a DYN$C_ type, SS$_INSFMEM when there is none. The
 * assembled system passes `@vms/pool`'s NonpagedPool; a package used alone needs none.
 */
export interface DynamicMemory {
  allocate(bytes: number, type: number): { readonly status: Status; readonly address: number }
  deallocate(address: number): void
}
