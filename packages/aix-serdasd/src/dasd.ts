import { BLOCK_SIZE, type BlockDevice } from '@vax-vms/block-device'
import { FENCE, fenceBit, OP, READ10_RWR, SCSI_STATUS, SENSE_KEY } from './constants'
import type { Exchange } from './exchange'
import type { DasdUnitState } from './state'

/**
 * The media of one DASD: `capacity` addressable blocks followed by `spares` spare blocks
 * that Reassign Blocks hands out, all on one block device.
 */
export interface DasdMedia {
  readonly media: BlockDevice
  readonly capacity: number
  readonly spares: number
}

/** Sense data length returned by Request Sense (fixed format). */
export const SENSE_LENGTH = 18

/** Inquiry data: a direct-access device, vendor IBM, product SERIAL DASD. */
const INQUIRY_DATA = (() => {
  const d = new Uint8Array(36)
  d[0] = 0x00 // direct-access device
  d[2] = 0x02 // SCSI-2
  d[3] = 0x02 // response data format
  d[4] = 31 // additional length
  const text = 'IBM     SERIAL DASD     0001'
  for (let i = 0; i < text.length; i++) d[8 + i] = text.charCodeAt(i)
  return d
})()

function be16(b: Uint8Array, i: number): number {
  return ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0)
}

function be32(b: Uint8Array, i: number): number {
  return (
    (((b[i] ?? 0) << 24) | ((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0)) >>> 0
  )
}

function put16(b: Uint8Array, i: number, v: number): void {
  b[i] = (v >>> 8) & 0xff
  b[i + 1] = v & 0xff
}

function put32(b: Uint8Array, i: number, v: number): void {
  b[i] = (v >>> 24) & 0xff
  b[i + 1] = (v >>> 16) & 0xff
  b[i + 2] = (v >>> 8) & 0xff
  b[i + 3] = v & 0xff
}

/** Ends the command with CHECK CONDITION and keeps the sense for the host's Request Sense. */
function check(
  unit: DasdUnitState,
  host: number,
  x: Exchange,
  key: number,
  asc: number,
  ascq = 0,
  info = 0,
): void {
  unit.sense[host] = [key, asc, ascq, info]
  x.scsiStatus = SCSI_STATUS.CHECK_CONDITION
}

/** Copies up to `length` bytes of `src` into the exchange's data buffer. */
function dataIn(x: Exchange, src: Uint8Array): void {
  const n = Math.min(src.length, x.dataLength, x.data?.length ?? 0)
  if (n > 0 && x.data) x.data.set(src.subarray(0, n))
  x.transferred = n
}

/** True when a fenced-out host may still issue this command (the Fence command page). */
function allowedWhenFenced(cdb: Uint8Array): boolean {
  switch (cdb[0]) {
    case OP.INQUIRY:
    case OP.REQUEST_SENSE:
      return true
    case OP.FENCE:
      return ((cdb[1] ?? 0) & FENCE.FORCE) !== 0
    case OP.READ_10:
      return ((cdb[1] ?? 0) & READ10_RWR) !== 0
    default:
      return false
  }
}

/** True when a host may issue this command while another host holds the reservation. */
function allowedWhenReservedOut(cdb: Uint8Array): boolean {
  switch (cdb[0]) {
    case OP.INQUIRY:
    case OP.REQUEST_SENSE:
    case OP.RELEASE:
    case OP.FENCE:
      return true
    case OP.READ_10:
      return ((cdb[1] ?? 0) & READ10_RWR) !== 0
    default:
      return false
  }
}

/** The physical block that holds logical block `lba` (its spare, once relocated). */
function physical(unit: DasdUnitState, disk: DasdMedia, lba: number): number {
  if (unit.sparesUsed === 0) return lba
  const spare = unit.relocated[lba]
  return spare === undefined ? lba : disk.capacity + spare
}

/** Reads `count` blocks at `lba`; stops at an unrecoverable defect. */
function readBlocks(
  unit: DasdUnitState,
  disk: DasdMedia,
  host: number,
  x: Exchange,
  lba: number,
  count: number,
) {
  const data = x.data as Uint8Array
  if (unit.defectCount === 0 && unit.sparesUsed === 0) {
    const bytes = count * BLOCK_SIZE
    disk.media.read(lba, data.length === bytes ? data : data.subarray(0, bytes))
    x.transferred = bytes
    return
  }
  let recovered = -1
  for (let i = 0; i < count; i++) {
    const block = lba + i
    const defect = unit.defects[block]
    if (defect === 'unrecoverable') {
      x.transferred = i * BLOCK_SIZE
      return check(unit, host, x, SENSE_KEY.MEDIUM_ERROR, 0x11, 0, block)
    }
    if (defect === 'recovered' && recovered < 0) recovered = block
    disk.media.read(
      physical(unit, disk, block),
      data.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE),
    )
  }
  x.transferred = count * BLOCK_SIZE
  // Post Error is enabled: a read that needed recovery says so after moving all its data.
  if (recovered >= 0) check(unit, host, x, SENSE_KEY.RECOVERED_ERROR, 0x18, 0, recovered)
}

/** Writes `count` blocks at `lba`; stops at an unrecoverable defect; `verify` miscompares on a weak block. */
function writeBlocks(
  unit: DasdUnitState,
  disk: DasdMedia,
  host: number,
  x: Exchange,
  lba: number,
  count: number,
  verify: boolean,
) {
  const data = x.data as Uint8Array
  if (unit.defectCount === 0 && unit.sparesUsed === 0) {
    const bytes = count * BLOCK_SIZE
    disk.media.write(lba, data.length === bytes ? data : data.subarray(0, bytes))
    x.transferred = bytes
    return
  }
  for (let i = 0; i < count; i++) {
    const block = lba + i
    const defect = unit.defects[block]
    if (defect === 'unrecoverable') {
      x.transferred = i * BLOCK_SIZE
      return check(unit, host, x, SENSE_KEY.MEDIUM_ERROR, 0x0c, 0, block)
    }
    disk.media.write(
      physical(unit, disk, block),
      data.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE),
    )
    if (verify && defect === 'recovered') {
      x.transferred = (i + 1) * BLOCK_SIZE
      return check(unit, host, x, SENSE_KEY.MISCOMPARE, 0x1d, 0, block)
    }
  }
  x.transferred = count * BLOCK_SIZE
}

/** Reassign Blocks for one block: a spare takes its place, keeping its data when it can be read. */
function reassign(unit: DasdUnitState, disk: DasdMedia, lba: number): boolean {
  if (unit.sparesUsed >= disk.spares) return false
  const block = new Uint8Array(BLOCK_SIZE)
  const defect = unit.defects[lba]
  if (defect !== 'unrecoverable') disk.media.read(physical(unit, disk, lba), block)
  const spare = unit.sparesUsed++
  disk.media.write(disk.capacity + spare, block)
  unit.relocated[lba] = spare
  if (defect !== undefined) {
    delete unit.defects[lba]
    unit.defectCount--
  }
  return true
}

/** The first block of a Read, Write, Write And Verify or Verify CDB. */
function lbaOf(cdb: Uint8Array): number {
  if (cdb[0] === OP.READ_6 || cdb[0] === OP.WRITE_6)
    return (((cdb[1] ?? 0) & 0x1f) << 16) | ((cdb[2] ?? 0) << 8) | (cdb[3] ?? 0)
  return be32(cdb, 2)
}

/** The block count of the same (a six-byte count of 0 means 256). */
function countOf(cdb: Uint8Array): number {
  if (cdb[0] === OP.READ_6 || cdb[0] === OP.WRITE_6) return cdb[4] === 0 ? 256 : (cdb[4] ?? 0)
  return be16(cdb, 7)
}

/**
 * Runs one command, reset or quiesce from host connector `host` on a powered DASD:
 * first the fence register, then the reservation, then the command itself. Sets the
 * exchange's SCSI status and byte count; a CHECK CONDITION leaves sense for the host.
 */
export function executeOnUnit(unit: DasdUnitState, disk: DasdMedia, host: number, x: Exchange) {
  const fenced = (unit.fence & fenceBit(host)) !== 0
  if (x.kind !== 'command') {
    // A DASD reset is a Send Diagnostic support operation: a fenced-out host may not
    // issue it. It breaks any reservation; it does not touch the fence register.
    if (fenced) {
      x.scsiStatus = SCSI_STATUS.FENCED_OUT
      return
    }
    if (x.kind === 'reset') {
      unit.reservedBy = -1
      unit.stopped = false
      for (const s of unit.sense) s.fill(0)
    }
    x.scsiStatus = SCSI_STATUS.GOOD
    return
  }
  const cdb = x.cdb
  if (fenced && !allowedWhenFenced(cdb)) {
    x.scsiStatus = SCSI_STATUS.FENCED_OUT
    return
  }
  if (unit.reservedBy >= 0 && unit.reservedBy !== host && !allowedWhenReservedOut(cdb)) {
    x.scsiStatus = SCSI_STATUS.RESERVATION_CONFLICT
    return
  }
  if (((cdb[1] ?? 0) & 0xe0) !== 0) return check(unit, host, x, SENSE_KEY.ILLEGAL_REQUEST, 0x25) // LUN not supported
  x.scsiStatus = SCSI_STATUS.GOOD
  const op = cdb[0] ?? 0
  switch (op) {
    case OP.TEST_UNIT_READY:
      if (unit.stopped) check(unit, host, x, SENSE_KEY.NOT_READY, 0x04, 0x02)
      return
    case OP.REQUEST_SENSE: {
      const [key, asc, ascq, info] = unit.sense[host] ?? [0, 0, 0, 0]
      const sense = new Uint8Array(SENSE_LENGTH)
      sense[0] = 0xf0 // valid, current error
      sense[2] = key ?? 0
      put32(sense, 3, info ?? 0)
      sense[7] = SENSE_LENGTH - 8
      sense[12] = asc ?? 0
      sense[13] = ascq ?? 0
      unit.sense[host] = [0, 0, 0, 0]
      return dataIn(x, sense)
    }
    case OP.INQUIRY:
      return dataIn(x, INQUIRY_DATA)
    case OP.READ_CAPACITY: {
      const cap = new Uint8Array(8)
      put32(cap, 0, disk.capacity - 1)
      put32(cap, 4, BLOCK_SIZE)
      return dataIn(x, cap)
    }
    case OP.MODE_SENSE: {
      const page = new Uint8Array(12)
      page[0] = 11
      page[3] = 8
      put32(page, 4, disk.capacity)
      put32(page, 8, BLOCK_SIZE)
      return dataIn(x, page)
    }
    case OP.RESERVE:
      unit.reservedBy = host
      return
    case OP.RELEASE:
      if (unit.reservedBy === host) unit.reservedBy = -1
      return
    case OP.START_STOP_UNIT:
      unit.stopped = ((cdb[4] ?? 0) & 0x01) === 0
      return
    case OP.FENCE: {
      const modifier = (cdb[1] ?? 0) & 0x0f
      if (modifier !== FENCE.MASK_SWAP) return check(unit, host, x, SENSE_KEY.ILLEGAL_REQUEST, 0x24)
      const mask = be16(cdb, 4)
      const data = be16(cdb, 6)
      const old = unit.fence
      unit.fence = ((data & mask) | (old & ~mask)) & 0xffff
      const reply = new Uint8Array(4)
      put16(reply, 0, fenceBit(host))
      put16(reply, 2, old)
      return dataIn(x, reply)
    }
    case OP.MODE_SELECT:
    case OP.WRITE_BUFFER:
    case OP.WRITE_SENSE:
      x.transferred = Math.min(x.dataLength, x.data?.length ?? 0)
      return
    case OP.RECEIVE_DIAGNOSTICS:
      return dataIn(x, new Uint8Array(Math.min(x.dataLength, 256)))
    case OP.READ_6:
    case OP.READ_10:
    case OP.WRITE_6:
    case OP.WRITE_10:
    case OP.WRITE_AND_VERIFY:
    case OP.VERIFY:
      return transfer(unit, disk, host, x, op)
    case OP.REASSIGN_BLOCKS: {
      const list = x.data
      if (!list || x.dataLength < 4) return check(unit, host, x, SENSE_KEY.ILLEGAL_REQUEST, 0x1a)
      const length = be16(list, 2)
      if (length % 4 !== 0 || 4 + length > x.dataLength)
        return check(unit, host, x, SENSE_KEY.ILLEGAL_REQUEST, 0x1a)
      for (let i = 0; i < length; i += 4) {
        const lba = be32(list, 4 + i)
        if (lba >= disk.capacity)
          return check(unit, host, x, SENSE_KEY.ILLEGAL_REQUEST, 0x21, 0, lba)
        if (!reassign(unit, disk, lba))
          return check(unit, host, x, SENSE_KEY.HARDWARE_ERROR, 0x32, 0, lba)
      }
      x.transferred = 4 + length
      return
    }
    case OP.FORMAT_UNIT: {
      if (unit.stopped) return check(unit, host, x, SENSE_KEY.NOT_READY, 0x04, 0x02)
      for (const lba of Object.keys(unit.defects)) reassign(unit, disk, Number(lba))
      const zero = new Uint8Array(64 * BLOCK_SIZE)
      for (let b = 0; b < disk.capacity; b += 64) {
        const n = Math.min(64, disk.capacity - b)
        for (let i = 0; i < n; i++)
          disk.media.write(physical(unit, disk, b + i), zero.subarray(0, BLOCK_SIZE))
      }
      return
    }
    default:
      return check(unit, host, x, SENSE_KEY.ILLEGAL_REQUEST, 0x20) // invalid operation code
  }
}

/** Read(6/10), Write(6/10), Write And Verify and Verify. */
function transfer(unit: DasdUnitState, disk: DasdMedia, host: number, x: Exchange, op: number) {
  if (unit.stopped) return check(unit, host, x, SENSE_KEY.NOT_READY, 0x04, 0x02)
  const lba = lbaOf(x.cdb)
  const count = countOf(x.cdb)
  if (lba + count > disk.capacity)
    return check(unit, host, x, SENSE_KEY.ILLEGAL_REQUEST, 0x21, 0, lba)
  if (op === OP.VERIFY) {
    for (let i = 0; i < count; i++)
      if (unit.defects[lba + i] === 'unrecoverable')
        return check(unit, host, x, SENSE_KEY.MEDIUM_ERROR, 0x11, 0, lba + i)
    return
  }
  const bytes = count * BLOCK_SIZE
  if (x.dataLength !== bytes || !x.data || x.data.length < bytes)
    return check(unit, host, x, SENSE_KEY.ILLEGAL_REQUEST, 0x24)
  if (op === OP.READ_6 || op === OP.READ_10) return readBlocks(unit, disk, host, x, lba, count)
  return writeBlocks(unit, disk, host, x, lba, count, op === OP.WRITE_AND_VERIFY)
}
