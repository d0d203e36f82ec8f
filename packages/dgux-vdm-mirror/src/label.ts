import { BLOCK_SIZE } from '@vax-vms/block-device'

/**
 * The metadata at the start of every image (this package's on-disk format):
 *
 *   block 0, 1   the label, written to slot `generation % 2`, so a torn label write
 *                leaves the other slot whole
 *   block 8..15  the write-intent bitmap: bit r set means mirror region r may differ
 *                between the images (one bit per `regionBlocks` blocks, 32768 at most)
 *   block 16..   the mirror's data: mirror block b is image block 16 + b
 */
export const LABEL_SLOTS = 2
export const BITMAP_START = 8
export const BITMAP_BLOCKS = 8
export const MAX_REGIONS = BITMAP_BLOCKS * BLOCK_SIZE * 8
export const DATA_START = 16

/** An image's state, as the page names them (vdmmirr(7), DESCRIPTION). */
export type ImageState = 'usable' | 'corrupt' | 'syncdest'

/** One image of the mirror, as every label records it. */
export interface MemberRecord {
  /** The image's identity (32 hex digits), written in its own label. */
  id: string
  state: ImageState
  /** Fractured (vdmmirr(7), DGVDMMIRRFRACTUREIMAGE); its change map lives in memory only. */
  fractured: boolean
  changeGranularity: number
  /** For a destination: every block of its plan below this is copied and flushed. */
  checkpoint: number
  /** For a destination: what remains is everything from `checkpoint` (else: the bitmap's regions). */
  fullResync: boolean
}

/** The label: the same on every image but for `imageId`. */
export interface Label {
  generation: number
  mirrorId: string
  imageId: string
  name: string
  automaticsync: boolean
  minimumimagesrequiredtouse: number
  maximumimagesmissingtouse: number
  millisecondsbetweensyncio: number
  regionBlocks: number
  mirrorBlocks: number
  /** Closed properly: the images are identical (vdmmirr(7), DESCRIPTION). */
  clean: boolean
  members: MemberRecord[]
}

const MAGIC = 'DGVDMMIR'
const FORMAT = 1
const MEMBER_BYTES = 40
const STATE_CODES: Record<ImageState, number> = { usable: 1, corrupt: 2, syncdest: 3 }
const STATES: readonly ImageState[] = ['usable', 'corrupt', 'syncdest']

/** FNV-1a over the label's bytes after the checksum. */
function checksum(bytes: Uint8Array): number {
  let h = 0x811c9dc5
  for (let i = 16; i < BLOCK_SIZE; i++) h = Math.imul(h ^ (bytes[i] as number), 0x01000193) >>> 0
  return h
}

function putHex(bytes: Uint8Array, offset: number, hex: string): void {
  for (let i = 0; i < 16; i++)
    bytes[offset + i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16) || 0
}

function getHex(bytes: Uint8Array, offset: number): string {
  let s = ''
  for (let i = 0; i < 16; i++) s += (bytes[offset + i] as number).toString(16).padStart(2, '0')
  return s
}

/** The label as one 512-byte block. */
export function encodeLabel(label: Label): Uint8Array {
  const bytes = new Uint8Array(BLOCK_SIZE)
  const view = new DataView(bytes.buffer)
  bytes.set(new TextEncoder().encode(MAGIC), 0)
  view.setUint32(8, FORMAT, true)
  view.setFloat64(16, label.generation, true)
  putHex(bytes, 24, label.mirrorId)
  putHex(bytes, 40, label.imageId)
  bytes.set(new TextEncoder().encode(label.name).subarray(0, 31), 56)
  bytes[88] = (label.automaticsync ? 1 : 0) | (label.clean ? 2 : 0)
  bytes[89] = label.members.length
  view.setInt16(90, label.minimumimagesrequiredtouse, true)
  view.setInt16(92, label.maximumimagesmissingtouse, true)
  view.setUint32(96, label.millisecondsbetweensyncio, true)
  view.setUint32(100, label.regionBlocks, true)
  view.setFloat64(104, label.mirrorBlocks, true)
  label.members.forEach((m, i) => {
    const o = 112 + i * MEMBER_BYTES
    putHex(bytes, o, m.id)
    bytes[o + 16] = STATE_CODES[m.state]
    bytes[o + 17] = (m.fractured ? 1 : 0) | (m.fullResync ? 2 : 0)
    view.setUint32(o + 20, m.changeGranularity, true)
    view.setFloat64(o + 24, m.checkpoint, true)
  })
  view.setUint32(12, checksum(bytes), true)
  return bytes
}

/** The label in one block, or null when the block holds none (or a damaged one). */
export function decodeLabel(bytes: Uint8Array): Label | null {
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, BLOCK_SIZE)
  if (view.getUint32(8, true) !== FORMAT || view.getUint32(12, true) !== checksum(bytes))
    return null
  const count = bytes[89] as number
  if (count > 3) return null
  const members: MemberRecord[] = []
  for (let i = 0; i < count; i++) {
    const o = 112 + i * MEMBER_BYTES
    const state = STATES[(bytes[o + 16] as number) - 1]
    if (state === undefined) return null
    members.push({
      id: getHex(bytes, o),
      state,
      fractured: ((bytes[o + 17] as number) & 1) !== 0,
      fullResync: ((bytes[o + 17] as number) & 2) !== 0,
      changeGranularity: view.getUint32(o + 20, true),
      checkpoint: view.getFloat64(o + 24, true),
    })
  }
  const nameBytes = bytes.subarray(56, 88)
  const end = nameBytes.indexOf(0)
  return {
    generation: view.getFloat64(16, true),
    mirrorId: getHex(bytes, 24),
    imageId: getHex(bytes, 40),
    name: new TextDecoder().decode(end < 0 ? nameBytes : nameBytes.subarray(0, end)),
    automaticsync: ((bytes[88] as number) & 1) !== 0,
    clean: ((bytes[88] as number) & 2) !== 0,
    minimumimagesrequiredtouse: view.getInt16(90, true),
    maximumimagesmissingtouse: view.getInt16(92, true),
    millisecondsbetweensyncio: view.getUint32(96, true),
    regionBlocks: view.getUint32(100, true),
    mirrorBlocks: view.getFloat64(104, true),
    members,
  }
}

/** Reads both label slots of an image and returns the newer whole one (null: no label). */
export function readLabel(read: (block: number, buffer: Uint8Array) => void): Label | null {
  const slots = new Uint8Array(LABEL_SLOTS * BLOCK_SIZE)
  read(0, slots)
  let best: Label | null = null
  for (let s = 0; s < LABEL_SLOTS; s++) {
    const label = decodeLabel(slots.subarray(s * BLOCK_SIZE, (s + 1) * BLOCK_SIZE))
    if (label !== null && (best === null || label.generation > best.generation)) best = label
  }
  return best
}
