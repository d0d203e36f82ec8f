/**
 * Reading the logical name services' arguments from the caller's memory (book 28.8.1):
 * every string is probed for reading, every output buffer for writing, and the item
 * list for reading, before anything changes. An inaccessible address throws
 * ServiceFault(SS$_ACCVIO) from the GuestAccess, which the dispatcher returns.
 */
import { type GuestAccess, type ItemListEntry, MAX_ITEMS, SS, type Status } from '@vms/contracts'
import { LNM } from './lnm'
import type { Lnmx } from './structures'

/** A string as its descriptor gives it; `text` only when it is 0 to 255 bytes long. */
export interface GuestString {
  readonly length: number
  readonly text: string | undefined
}

/**
 * A string descriptor (DSC$W_LENGTH at +0, DSC$A_POINTER at +4) and, when its length
 * is in range, its text (probed for reading). A longer string is not read: the service
 * answers SS$_IVLOGNAM for it.
 */
export function readString(guest: GuestAccess, descriptor: number): GuestString {
  const head = guest.read(descriptor, 2)
  const length = (head[0] as number) | ((head[1] as number) << 8)
  const pointer = guest.read32(descriptor + 4)
  if (length > LNM.C_NAMLENGTH) return { length, text: undefined }
  return { length, text: latin1(guest.read(pointer, length)) }
}

/** The text of a string argument: undefined (SS$_IVLOGNAM) when empty or too long. */
export function nameOf(s: GuestString): string | undefined {
  return s.length === 0 ? undefined : s.text
}

/** An ACMODE argument: the byte at its address, or undefined for a zero address. */
export function readMode(guest: GuestAccess, address: number): number | undefined {
  if (address === 0) return undefined
  return (guest.read(address, 1)[0] as number) & 3
}

/** An ATTR argument: the longword at its address, 0 for a zero address. */
export function readAttributes(guest: GuestAccess, address: number): number {
  return address === 0 ? 0 : guest.read32(address) >>> 0
}

/**
 * The entries of an item list, following LNM$_CHAIN to the list its buffer address
 * names; SS$_BADPARAM past MAX_ITEMS entries (a chain that loops ends there).
 */
function entries(guest: GuestAccess, address: number): ItemListEntry[] | Status {
  const items: ItemListEntry[] = []
  let at = address
  for (let seen = 0; ; seen++) {
    if (seen > MAX_ITEMS) return SS.BADPARAM
    const head = guest.read32(at)
    if (head === 0) return items
    const item = {
      length: head & 0xffff,
      code: head >>> 16,
      buffer: guest.read32(at + 4),
      retlen: guest.read32(at + 8),
    }
    if (item.code === LNM._CHAIN) {
      at = item.buffer
      continue
    }
    items.push(item)
    at += 12
  }
}

/** Probes an output item's buffer and return-length word for writing. */
function probeOutput(guest: GuestAccess, item: ItemListEntry): void {
  guest.probeWrite(item.buffer, item.length)
  if (item.retlen !== 0) guest.probeWrite(item.retlen, 2)
}

/** $CRELNM's item list: the equivalences to define and the LNM$_TABLE items to fill. */
export interface CreateItems {
  readonly translations: Lnmx[]
  readonly tableItems: ItemListEntry[]
}

/**
 * $CRELNM's item list (book 28.8.3): LNM$_STRING gives an equivalence, with the index
 * and attributes of any LNM$_INDEX and LNM$_ATTRIBUTES before it (without them, the
 * next index and no attributes); LNM$_TABLE asks for the table's name. Any other code
 * is SS$_BADPARAM.
 */
export function readCreateItems(guest: GuestAccess, address: number): CreateItems | Status {
  const list = address === 0 ? [] : entries(guest, address)
  if (typeof list === 'number') return list
  const translations: Lnmx[] = []
  const tableItems: ItemListEntry[] = []
  let index = 0
  let flags = 0
  for (const item of list) {
    switch (item.code) {
      case LNM._INDEX:
        index = guest.read32(item.buffer)
        break
      case LNM._ATTRIBUTES:
        flags = guest.read32(item.buffer) >>> 0
        break
      case LNM._STRING:
        translations.push({ index, flags, value: latin1(guest.read(item.buffer, item.length)) })
        index += 1
        flags = 0
        break
      case LNM._TABLE:
        probeOutput(guest, item)
        tableItems.push(item)
        break
      default:
        return SS.BADPARAM
    }
  }
  return { translations, tableItems }
}

/** One output item of $TRNLNM, with the translation index it refers to. */
export interface TranslateItem {
  readonly item: ItemListEntry
  readonly index: number
}

/**
 * $TRNLNM's item list (book 28.8.2): LNM$_INDEX (read) selects the translation that
 * the items after it describe (0 until one is given); LNM$_STRING, LNM$_LENGTH,
 * LNM$_ATTRIBUTES, LNM$_MAX_INDEX, LNM$_ACMODE and LNM$_TABLE are outputs, probed for
 * writing. Any other code is SS$_BADPARAM.
 */
export function readTranslateItems(guest: GuestAccess, address: number): TranslateItem[] | Status {
  const list = address === 0 ? [] : entries(guest, address)
  if (typeof list === 'number') return list
  const out: TranslateItem[] = []
  let index = 0
  for (const item of list) {
    switch (item.code) {
      case LNM._INDEX:
        index = guest.read32(item.buffer)
        break
      case LNM._STRING:
      case LNM._LENGTH:
      case LNM._ATTRIBUTES:
      case LNM._MAX_INDEX:
      case LNM._ACMODE:
      case LNM._TABLE:
        probeOutput(guest, item)
        out.push({ item, index })
        break
      default:
        return SS.BADPARAM
    }
  }
  return out
}

/** Bytes as a string of the same character codes (names may hold any byte, 28.2). */
export function latin1(bytes: Uint8Array): string {
  let text = ''
  for (const b of bytes) text += String.fromCharCode(b)
  return text
}

/** A string's bytes (its characters are bytes). */
export function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)
}

/** A longword, little-endian. */
export function longword(value: number): Uint8Array {
  const bytes = new Uint8Array(4)
  new DataView(bytes.buffer).setUint32(0, value >>> 0, true)
  return bytes
}
