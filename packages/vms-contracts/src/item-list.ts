import type { GuestAccess } from './composition'
import { SS, type Status } from './status'

/**
 * One entry of an item list, the argument of $GETDVI, $GETJPI, $GETLKI, $GETSYI: a
 * buffer length word, an item code word, the buffer's address and the address of a
 * word for the length returned (0 for none). The list ends with a zero longword.
 */
export interface ItemListEntry {
  readonly code: number
  readonly length: number
  readonly buffer: number
  readonly retlen: number
}

/** The most entries a list may have here (SS$_BADPARAM past it). */
export const MAX_ITEMS = 64

/**
 * Reads an item list from the caller's memory and probes every buffer and return-length
 * word for writing, before the service does anything (book 9.4): SS$_ACCVIO (thrown by
 * `guest`) for one the caller may not write, SS$_BADPARAM for a list longer than
 * MAX_ITEMS.
 */
export function readItemList(guest: GuestAccess, address: number): ItemListEntry[] | Status {
  const items: ItemListEntry[] = []
  for (let at = address; ; at += 12) {
    const head = guest.read32(at)
    if (head === 0) return items
    if (items.length === MAX_ITEMS) return SS.BADPARAM
    const item = {
      length: head & 0xffff,
      code: head >>> 16,
      buffer: guest.read32(at + 4),
      retlen: guest.read32(at + 8),
    }
    guest.probeWrite(item.buffer, item.length)
    if (item.retlen !== 0) guest.probeWrite(item.retlen, 2)
    items.push(item)
  }
}

/**
 * Writes an item's value into its buffer, cut to the buffer's length, and the length
 * written into its return-length word. False when the value was cut (SS$_BUFFEROVF).
 */
export function writeItem(guest: GuestAccess, item: ItemListEntry, value: Uint8Array): boolean {
  const n = Math.min(value.length, item.length)
  guest.write(item.buffer, value.subarray(0, n))
  if (item.retlen !== 0) guest.write(item.retlen, Uint8Array.of(n & 0xff, n >> 8))
  return n === value.length
}
