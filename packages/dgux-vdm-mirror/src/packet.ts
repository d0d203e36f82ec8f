import { VdmError } from './errno'

/** The C type of one packet field, which fixes the values it can hold. */
export type FieldType =
  | 'version'
  | 'bit'
  | 'short'
  | 'ushort'
  | 'int'
  | 'uint'
  | 'devt'
  | 'daddr'
  | 'string'
  | 'pointer'
  | { readonly devtArray: number; readonly countField: string }

/** A packet layout: each field's type; `output` fields are written by the driver and not checked. */
export interface PacketLayout {
  readonly name: string
  readonly version: number
  readonly fields: Readonly<Record<string, FieldType>>
  readonly output?: readonly string[]
}

const RANGES = {
  bit: [0, 1],
  short: [-0x8000, 0x7fff],
  ushort: [0, 0xffff],
  int: [-0x8000_0000, 0x7fff_ffff],
  uint: [0, 0xffff_ffff],
  devt: [0, 0xffff_ffff],
  daddr: [0, Number.MAX_SAFE_INTEGER],
  version: [-0x8000_0000, 0xffff_ffff],
} as const

function bad(layout: PacketLayout, why: string): never {
  throw new VdmError('EINVAL', `${layout.name}: ${why}`)
}

/**
 * Checks a packet against its layout, as the driver would before using it (vdmmirr(7),
 * STRUCTURES: the version must be right and every other byte zeroed before use): an
 * object, no property outside the layout (a nonzero byte that belongs to no field), every
 * field of its type and range, the version equal to the layout's, and array slots past
 * the count zero. Any fault is EINVAL; nothing has been changed when it throws.
 */
export function checkPacket<T>(layout: PacketLayout, packet: unknown): asserts packet is T {
  if (typeof packet !== 'object' || packet === null || Array.isArray(packet))
    bad(layout, 'the argument is not a packet')
  const record = packet as Record<string, unknown>
  for (const key of Object.keys(record))
    if (!(key in layout.fields)) bad(layout, `"${key}" is not a field (the packet was not zeroed)`)
  if (record.version !== layout.version)
    bad(layout, `version ${String(record.version)} is not ${layout.version}`)
  for (const [key, type] of Object.entries(layout.fields)) {
    if (layout.output?.includes(key)) continue
    const value = record[key]
    if (value === undefined) continue
    if (type === 'string') {
      if (typeof value !== 'string') bad(layout, `${key} is not a string`)
    } else if (type === 'pointer') {
      if (value !== null && typeof value !== 'object') bad(layout, `${key} is not a pointer`)
    } else if (typeof type === 'object') {
      if (!Array.isArray(value) || value.length > type.devtArray)
        bad(layout, `${key} is not an array of at most ${type.devtArray} device numbers`)
      const count = record[type.countField]
      const used = typeof count === 'number' ? count : 0
      value.forEach((element: unknown, i: number) => {
        if (
          !Number.isInteger(element) ||
          (element as number) < 0 ||
          (element as number) > 0xffff_ffff
        )
          bad(layout, `${key}[${i}] is not a device number`)
        if (i >= used && element !== 0)
          bad(layout, `${key}[${i}] is past ${type.countField} and not zero`)
      })
    } else {
      const [low, high] = RANGES[type]
      if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high)
        bad(layout, `${key} = ${String(value)} is not a ${type}`)
    }
  }
}

/** A field's value, zero when absent (a zeroed packet). */
export function field(packet: object, key: string): number {
  const value = (packet as Record<string, unknown>)[key]
  return typeof value === 'number' ? value : 0
}

/** The first `count` elements of a device-number array field. */
export function devtList(packet: object, key: string, count: number): number[] {
  const value = (packet as Record<string, unknown>)[key]
  const list = Array.isArray(value) ? (value as number[]) : []
  return Array.from({ length: count }, (_, i) => list[i] ?? 0)
}
