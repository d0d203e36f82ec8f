import { SS } from '@vms/contracts'
import type { PoolMemory } from './memory'

/** A successful allocation: the block's address and the bytes actually given (rounded). */
export interface Allocation {
  readonly status: typeof SS.NORMAL
  readonly address: number
  readonly size: number
}

/** Out of pool: the status VMS returns (`SS$_INSFMEM`); nothing was changed. */
export interface AllocationFailure {
  readonly status: typeof SS.INSFMEM
}

export type AllocationResult = Allocation | AllocationFailure

/** Type and subtype for the standard header (book 3.1.4, Figure 3-5). */
export interface BlockType {
  /** Type code, the byte at offset 10 (a DYN$C_ value). */
  readonly type?: number
  /** Subtype code, the byte at offset 11 (for types >= 96). */
  readonly subtype?: number
}

/** Offsets of the standard dynamic data structure header (Figure 3-5). */
export const HEADER_SIZE_OFFSET = 8
export const HEADER_TYPE_OFFSET = 10
export const HEADER_SUBTYPE_OFFSET = 11

export const INSFMEM: AllocationFailure = Object.freeze({ status: SS.INSFMEM })

export function allocated(address: number, size: number): Allocation {
  return { status: SS.NORMAL, address, size }
}

/**
 * Writes the standard header: the size word at offset 8 (0 when the block is larger
 * than a word can say), the type byte at 10 and the subtype byte at 11.
 */
export function writeHeader(
  memory: PoolMemory,
  address: number,
  size: number,
  blockType: BlockType,
): void {
  memory.writeWord(address + HEADER_SIZE_OFFSET, size <= 0xffff ? size : 0)
  memory.writeByte(address + HEADER_TYPE_OFFSET, blockType.type ?? 0)
  memory.writeByte(address + HEADER_SUBTYPE_OFFSET, blockType.subtype ?? 0)
}
