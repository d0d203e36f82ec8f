import {
  BLOCK_SIZE,
  type BlockDevice,
  FileBlockDevice,
  MemoryBlockDevice,
} from '@vax-vms/block-device'
import {
  type ControllerOptions,
  ErrorLog,
  SerialDasdAdapter,
  SerialDasdController,
  SerialDasdDriver,
} from '../src/index'

/** A fixed clock, so error log records compare equal run to run. */
export const clock = () => new Date('1999-12-31T23:59:00Z')

/** The DASD used by most tests: 256 addressable blocks and 8 spares. */
export const CAPACITY = 256
export const SPARES = 8

/** Two hosts (connectors 0 and 1) sharing one DASD, each with its own error log. */
export function twoHosts(options: Partial<ControllerOptions> = {}) {
  const media: BlockDevice = new MemoryBlockDevice(CAPACITY + SPARES)
  const controller = new SerialDasdController({
    dasds: [{ media, spares: SPARES }],
    ...options,
  })
  const adapterA = new SerialDasdAdapter(controller, 0)
  const adapterB = new SerialDasdAdapter(controller, 1)
  const logA = new ErrorLog({ clock })
  const logB = new ErrorLog({ clock })
  const a = new SerialDasdDriver({ adapter: adapterA, dasd: 0, errorLog: logA })
  const b = new SerialDasdDriver({ adapter: adapterB, dasd: 0, errorLog: logB })
  return { media, controller, adapterA, adapterB, logA, logB, a, b }
}

export type Hosts = ReturnType<typeof twoHosts>

/**
 * Two hosts as two processes would have them: each its own controller object over its
 * own handle on one backing file, sharing the state file `<media>.state`. `controller`
 * is host A's view (inspection goes through the same files).
 */
export function twoSharedHosts(mediaFile: string): Hosts & { close(): void } {
  FileBlockDevice.create(mediaFile, CAPACITY + SPARES, { overwrite: true }).close()
  const side = (connector: number) => {
    const media = FileBlockDevice.open(mediaFile)
    const controller = SerialDasdController.shared({
      stateFile: `${mediaFile}.state`,
      dasds: [{ media, spares: SPARES }],
    })
    const adapter = new SerialDasdAdapter(controller, connector)
    const log = new ErrorLog({ clock })
    const driver = new SerialDasdDriver({ adapter, dasd: 0, errorLog: log })
    return { media, controller, adapter, log, driver }
  }
  const a = side(0)
  const b = side(1)
  return {
    media: a.media,
    controller: a.controller,
    adapterA: a.adapter,
    adapterB: b.adapter,
    logA: a.log,
    logB: b.log,
    a: a.driver,
    b: b.driver,
    close() {
      for (const s of [a, b]) {
        s.controller.close()
        s.media.close()
      }
    },
  }
}

/** `count` blocks stamped with `host` (1 byte) and `sequence` (4 bytes) in every block. */
export function stamped(host: number, sequence: number, count = 1): Uint8Array {
  const data = new Uint8Array(count * BLOCK_SIZE)
  for (let i = 0; i < count; i++) {
    const b = data.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE)
    b.fill(0x40 + host)
    b[0] = host + 1
    new DataView(b.buffer, b.byteOffset).setUint32(1, sequence)
  }
  return data
}

/** The [host, sequence] stamp of one block of media, or null for an unwritten block. */
export function stampOf(block: Uint8Array): [number, number] | null {
  if (block[0] === 0) return null
  return [(block[0] ?? 1) - 1, new DataView(block.buffer, block.byteOffset).getUint32(1)]
}

/**
 * Everything a bad request must leave unchanged: the DASD's shared state, the whole
 * media, both drivers' own state and both error logs.
 */
export function snapshot(h: Hosts): string {
  return JSON.stringify({
    unit: h.controller.inspect(0),
    media: Buffer.from(h.controller.readMedia(0, 0, CAPACITY)).toString('base64'),
    a: driverState(h.a),
    b: driverState(h.b),
    logA: h.logA.records(),
    logB: h.logB.records(),
  })
}

function driverState(d: SerialDasdDriver): unknown {
  // Private fields are part of "all state": read them through a JSON round trip.
  return JSON.parse(
    JSON.stringify(d, (key, value) => {
      if (key === 'adapter' || key === 'log' || key === 'io') return undefined
      return value instanceof Map ? [...value.entries()] : value
    }),
  )
}

/** One write attempt and whether the host was shut out (fenced or reserved out) when it ran. */
export interface Attempt {
  readonly host: number
  readonly sequence: number
  readonly forbidden: boolean
  readonly ok: boolean
}

/**
 * Issues writes for the two hosts and keeps the ground truth: a shadow of the media
 * holding only the writes that succeeded, and every attempt with whether its host was
 * fenced out or reserved out by the DASD's own registers at that moment.
 */
export class WriteLedger {
  readonly attempts: Attempt[] = []
  private readonly shadow = new Uint8Array(CAPACITY * BLOCK_SIZE)
  private sequence = 0

  constructor(private readonly h: Hosts) {}

  /** Host `host` (0 = a, 1 = b) writes `count` stamped blocks at `lba` through descriptor `fd`. */
  write(host: number, fd: number, lba: number, count: number, ext = 0): boolean {
    const unit = this.h.controller.inspect(0)
    const bit = 0x8000 >>> host
    const forbidden = (unit.fence & bit) !== 0 || (unit.reservedBy >= 0 && unit.reservedBy !== host)
    const sequence = ++this.sequence
    const data = stamped(host, sequence, count)
    const driver = host === 0 ? this.h.a : this.h.b
    const r = ext
      ? driver.writex(fd, data, lba * BLOCK_SIZE, ext)
      : driver.write(fd, data, lba * BLOCK_SIZE)
    this.attempts.push({ host, sequence, forbidden, ok: r.ok })
    if (r.ok) this.shadow.set(data, lba * BLOCK_SIZE)
    return r.ok
  }

  /**
   * The invariant: no write of a shut-out host succeeded, none reached the media, and
   * the media holds exactly the writes that succeeded. Returns what is wrong, or null.
   */
  violation(): string | null {
    const bad = this.attempts.find((a) => a.forbidden && a.ok)
    if (bad) return `host ${bad.host} write #${bad.sequence} succeeded while shut out`
    const forbidden = new Set(this.attempts.filter((a) => a.forbidden).map((a) => a.sequence))
    const media = this.h.controller.readMedia(0, 0, CAPACITY)
    for (let b = 0; b < CAPACITY; b++) {
      const block = media.subarray(b * BLOCK_SIZE, (b + 1) * BLOCK_SIZE)
      const stamp = stampOf(block)
      if (stamp && forbidden.has(stamp[1])) return `block ${b} holds shut-out write #${stamp[1]}`
      const expected = this.shadow.subarray(b * BLOCK_SIZE, (b + 1) * BLOCK_SIZE)
      if (Buffer.compare(block, expected) !== 0)
        return `block ${b} differs from the writes that succeeded`
    }
    return null
  }

  /** Attempts by `host` while shut out. */
  shutOut(host: number): Attempt[] {
    return this.attempts.filter((a) => a.host === host && a.forbidden)
  }
}
