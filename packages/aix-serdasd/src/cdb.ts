import { FENCE, OP, READ10_RWR } from './constants'

/**
 * Command descriptor blocks the driver builds. Each writes into `cdb` (12 bytes, reused)
 * and returns the command length.
 */

/** Read(10) or Write(10) / Write And Verify of `count` blocks at `lba`. */
export function rw10(cdb: Uint8Array, op: number, lba: number, count: number, rwr = false): number {
  cdb[0] = op
  cdb[1] = rwr ? READ10_RWR : 0
  cdb[2] = (lba >>> 24) & 0xff
  cdb[3] = (lba >>> 16) & 0xff
  cdb[4] = (lba >>> 8) & 0xff
  cdb[5] = lba & 0xff
  cdb[6] = 0
  cdb[7] = (count >>> 8) & 0xff
  cdb[8] = count & 0xff
  cdb[9] = 0
  return 10
}

/** A six-byte command with no fields (Reserve, Release, Test Unit Ready, Reassign Blocks). */
export function simple6(cdb: Uint8Array, op: number, allocation = 0): number {
  cdb.fill(0)
  cdb[0] = op
  cdb[4] = allocation
  return 6
}

/**
 * The Fence command (D0h), ten bytes: byte 1 holds the Force Fence bit (0x10) and the
 * command modifier (low nibble, 1 = Mask and Swap); bytes 4-5 the fence mask and 6-7 the
 * fence data, most significant byte first. It returns four bytes: the fence position
 * indicator and the old fence register value.
 */
export function fence(cdb: Uint8Array, mask: number, data: number, force = false): number {
  cdb.fill(0)
  cdb[0] = OP.FENCE
  cdb[1] = FENCE.MASK_SWAP | (force ? FENCE.FORCE : 0)
  cdb[4] = (mask >>> 8) & 0xff
  cdb[5] = mask & 0xff
  cdb[6] = (data >>> 8) & 0xff
  cdb[7] = data & 0xff
  return 10
}

/** A Reassign Blocks parameter list naming one block. */
export function reassignList(lba: number): Uint8Array {
  const list = new Uint8Array(8)
  list[3] = 4
  list[4] = (lba >>> 24) & 0xff
  list[5] = (lba >>> 16) & 0xff
  list[6] = (lba >>> 8) & 0xff
  list[7] = lba & 0xff
  return list
}

/** Sense data fields: key, additional sense code, information (block). */
export interface Sense {
  readonly key: number
  readonly asc: number
  readonly info: number
}

/** Decodes fixed-format sense data. */
export function parseSense(data: Uint8Array): Sense {
  return {
    key: (data[2] ?? 0) & 0x0f,
    asc: data[12] ?? 0,
    info:
      (((data[3] ?? 0) << 24) | ((data[4] ?? 0) << 16) | ((data[5] ?? 0) << 8) | (data[6] ?? 0)) >>>
      0,
  }
}
