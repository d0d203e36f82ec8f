import { SS, type Status } from '@vms/contracts'

/** A device name taken apart (book 18.4.2, IOC$SEARCH): `_$193$VDA0:` or `VD:`. */
export interface DeviceName {
  /** `$193$`: the allocation class; undefined when the name has none. */
  readonly allocationClass: number | undefined
  /** `NODE$`: a node name prefix. */
  readonly node: string | undefined
  /** The letters: the generic name (VD) or the generic name and controller (VDA). */
  readonly letters: string
  /** The unit number, or undefined for a generic name. */
  readonly unit: number | undefined
}

/**
 * Parses a physical device name: an optional leading underscore and trailing colon,
 * an optional `$n$` allocation class or `node$` prefix, letters, and a unit number of
 * at most four digits. SS$_NONLOCAL for a name with `::` (a remote device), SS$_IVDEVNAM
 * for anything else that is not a device name.
 */
export function parseDeviceName(text: string): { status: Status; name?: DeviceName } {
  const upper = text.trim().toUpperCase()
  if (upper.includes('::')) return { status: SS.NONLOCAL }
  const bare = upper.replace(/^_/, '').replace(/:$/, '')
  const match = /^(?:\$(\d{1,5})\$|([A-Z0-9_-]{1,15})\$)?([A-Z]{1,15})(\d{0,4})$/.exec(bare)
  if (match === null) return { status: SS.IVDEVNAM }
  const [, allocationClass, node, letters, unit] = match
  return {
    status: SS.NORMAL,
    name: {
      allocationClass: allocationClass === undefined ? undefined : Number(allocationClass),
      node,
      letters: letters as string,
      unit: unit === undefined || unit === '' ? undefined : Number(unit),
    },
  }
}
