import type { ObjectModule, ObjectPsect } from './object'
import { alignUp, type PsectAttributes, psectOrder } from './psect'

/** A link problem: the module it is found in (if one) and what is wrong. */
export interface LinkDiagnostic {
  readonly module: string | undefined
  readonly message: string
}

/** Thrown by `link` with every problem found (undefined or multiply defined symbols...). */
export class LinkError extends Error {
  override readonly name = 'LinkError'
  constructor(readonly diagnostics: readonly LinkDiagnostic[]) {
    super(
      diagnostics
        .map((d) => (d.module === undefined ? d.message : `${d.module}: ${d.message}`))
        .join('\n'),
    )
  }
}

export interface LinkOptions {
  /** Address of the first psect, 0 to 0xFFFFFFFF (else RangeError). Default 0x200. */
  readonly base?: number
  /** A global symbol to use as the transfer address instead of the first module's `.END`. */
  readonly entry?: string
}

/** Where one psect went: its address, size and the contribution of each module. */
export interface PsectPlacement {
  readonly name: string
  readonly attributes: PsectAttributes
  readonly address: number
  readonly size: number
  readonly contributions: readonly {
    readonly module: string
    readonly address: number
    readonly size: number
  }[]
}

export interface LinkResult {
  /** The bytes from `base` to the end of the last psect. */
  readonly image: Uint8Array
  readonly base: number
  readonly entry: number | undefined
  /** Global symbols and their addresses (absolute ones as defined). */
  readonly symbols: ReadonlyMap<string, number>
  /** The psects in the order laid out (the program section synopsis of a link map). */
  readonly psects: readonly PsectPlacement[]
  /** A link map: psects with their contributions, then the global symbols. */
  readonly map: string
}

/** The largest image `link` makes: 64 MiB, as `assemble`. */
const MAX_LINK_SIZE = 64 * 1024 * 1024

const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0')

/**
 * Links object modules: psects with the same name are one psect (contributions
 * concatenated in module order for CON, overlaid for OVR, each aligned as its
 * attributes say), laid out in VAX/VMS LINK's order (see `psectOrder`) from `base`;
 * global symbols resolved; each relocation filled in. Undefined, multiply defined and
 * out-of-range references are reported together in one `LinkError`.
 */
export function link(objects: readonly ObjectModule[], options: LinkOptions = {}): LinkResult {
  const base = options.base ?? 0x200
  if (!Number.isSafeInteger(base) || base < 0 || base > 0xffff_ffff)
    throw new RangeError(`base ${base} is not a 32-bit address`)
  const problems: LinkDiagnostic[] = objects.flatMap(malformed)
  if (problems.length > 0) throw new LinkError(problems)

  // Psects by name, with each module's contribution.
  interface Gathered {
    name: string
    attributes: PsectAttributes
    parts: { module: number; psect: ObjectPsect }[]
  }
  const gathered = new Map<string, Gathered>()
  objects.forEach((object, module) => {
    for (const psect of object.psects) {
      const known = gathered.get(psect.name)
      if (known === undefined)
        gathered.set(psect.name, {
          name: psect.name,
          attributes: psect.attributes,
          parts: [{ module, psect }],
        })
      else {
        if (
          known.attributes.ovr !== psect.attributes.ovr ||
          known.attributes.abs !== psect.attributes.abs
        )
          problems.push({
            module: object.name,
            message: `psect ${psect.name} has attributes that conflict with its first definition`,
          })
        known.parts.push({ module, psect })
      }
    }
  })

  // Layout: each contribution's address, by module and psect name.
  const contributionAt = new Map<string, number>()
  const key = (module: number, psect: string) => `${module}\u0000${psect}`
  const placements: PsectPlacement[] = []
  let address = base
  for (const psect of psectOrder([...gathered.values()])) {
    address = alignUp(address, psect.attributes.align)
    const start = address
    const contributions: { module: string; address: number; size: number }[] = []
    let end = start
    for (const part of psect.parts) {
      const at = psect.attributes.ovr ? start : alignUp(end, part.psect.attributes.align)
      contributionAt.set(key(part.module, psect.name), at)
      contributions.push({
        module: objects[part.module]?.name ?? '',
        address: at,
        size: part.psect.size,
      })
      end = Math.max(end, at + part.psect.size)
    }
    placements.push({
      name: psect.name,
      attributes: psect.attributes,
      address: start,
      size: end - start,
      contributions,
    })
    address = end
  }
  for (const psect of gathered.values())
    if (psect.attributes.abs)
      for (const part of psect.parts) contributionAt.set(key(part.module, psect.name), 0)
  if (address - base > MAX_LINK_SIZE || address > 2 ** 32) {
    throw new LinkError([
      {
        module: undefined,
        message: `the psects need ${address - base} bytes from ^X${hex(base)}; at most 64 MiB within the 32-bit address space`,
      },
    ])
  }

  // Global symbols: one definition each.
  const symbols = new Map<string, number>()
  const definedIn = new Map<string, string>()
  objects.forEach((object, module) => {
    for (const symbol of object.globals) {
      const value =
        symbol.psect === undefined
          ? symbol.value
          : (contributionAt.get(key(module, symbol.psect)) ?? 0) + symbol.value
      const first = definedIn.get(symbol.name)
      if (first !== undefined) {
        problems.push({
          module: object.name,
          message: `symbol ${symbol.name} is multiply defined (first in module ${first})`,
        })
        continue
      }
      definedIn.set(symbol.name, object.name)
      symbols.set(symbol.name, value)
    }
  })

  // The image, then each relocation.
  const image = new Uint8Array(address - base)
  const view = new DataView(image.buffer)
  objects.forEach((object, module) => {
    for (const psect of object.psects) {
      if (psect.attributes.abs) continue
      const at = contributionAt.get(key(module, psect.name)) ?? base
      image.set(psect.bytes.subarray(0, psect.size), at - base)
    }
    const reported = new Set<string>()
    for (const r of object.relocations) {
      const at = (contributionAt.get(key(module, r.psect)) ?? base) + r.offset
      let target: number | undefined
      if ('symbol' in r.target) {
        target = symbols.get(r.target.symbol)
        if (target === undefined) {
          if (!reported.has(r.target.symbol))
            problems.push({
              module: object.name,
              message: `undefined symbol ${r.target.symbol} (referenced on line ${r.line})`,
            })
          reported.add(r.target.symbol)
          continue
        }
      } else if ('psect' in r.target) target = contributionAt.get(key(module, r.target.psect)) ?? 0
      else target = 0
      let value = target + r.addend - (r.pcRelative ? at + r.size : 0)
      if (r.size === 4 && !r.pcRelative) value = value >>> 0
      if (r.size === 4 && r.pcRelative) value = value | 0
      const bits = r.size * 8
      if (value < -(2 ** (bits - 1)) || value >= 2 ** bits) {
        problems.push({
          module: object.name,
          message: `value ^X${(value >>> 0).toString(16).toUpperCase()} does not fit the ${r.size}-byte field at ^X${hex(at)} (line ${r.line})`,
        })
        continue
      }
      const offset = at - base
      if (offset < 0 || offset + r.size > image.length) {
        problems.push({
          module: object.name,
          message: `relocation outside psect ${r.psect} (line ${r.line})`,
        })
        continue
      }
      if (r.size === 1) view.setUint8(offset, value & 0xff)
      else if (r.size === 2) view.setUint16(offset, value & 0xffff, true)
      else view.setUint32(offset, value >>> 0, true)
    }
  })

  // The transfer address.
  let entry: number | undefined
  if (options.entry !== undefined) {
    entry = symbols.get(options.entry.toUpperCase())
    if (entry === undefined)
      problems.push({
        module: undefined,
        message: `the entry symbol ${options.entry} is not defined`,
      })
  } else {
    const module = objects.findIndex((o) => o.entry !== undefined)
    const given = objects[module]?.entry
    if (given !== undefined)
      entry = (contributionAt.get(key(module, given.psect)) ?? 0) + given.offset
  }

  if (problems.length > 0) throw new LinkError(problems)
  return { image, base, entry, symbols, psects: placements, map: linkMap(placements, symbols) }
}

/** What is wrong with a module that did not come from `assembleObject` as it is. */
function malformed(object: ObjectModule): LinkDiagnostic[] {
  const out: string[] = []
  const names = new Set<string>()
  const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0
  for (const p of object.psects) {
    if (names.has(p.name)) out.push(`psect ${p.name} is given twice`)
    names.add(p.name)
    if (
      !count(p.size) ||
      p.size > MAX_LINK_SIZE ||
      !(p.bytes instanceof Uint8Array) ||
      p.bytes.length < p.size
    )
      out.push(`psect ${p.name} has a bad size or too few bytes`)
    if (!count(p.attributes.align) || p.attributes.align > 9)
      out.push(`psect ${p.name} has a bad alignment`)
  }
  for (const g of object.globals)
    if ((g.psect !== undefined && !names.has(g.psect)) || !Number.isFinite(g.value))
      out.push(`global symbol ${g.name} is not in a psect of the module`)
  for (const r of object.relocations) {
    const bad =
      !names.has(r.psect) ||
      ![1, 2, 4].includes(r.size) ||
      !count(r.offset) ||
      !Number.isFinite(r.addend) ||
      ('psect' in r.target && !names.has(r.target.psect))
    if (bad) out.push(`a relocation (line ${r.line}) is malformed`)
  }
  if (
    object.entry !== undefined &&
    (!names.has(object.entry.psect) || !Number.isFinite(object.entry.offset))
  )
    out.push('the transfer address is not in a psect of the module')
  return out.map((message) => ({ module: object.name, message }))
}

function linkMap(psects: readonly PsectPlacement[], symbols: ReadonlyMap<string, number>): string {
  const lines = ['Psect                            Address   Size      Module']
  for (const p of psects) {
    lines.push(`${p.name.padEnd(32)} ${hex(p.address)}  ${hex(p.size)}`)
    for (const c of p.contributions)
      lines.push(`${''.padEnd(32)} ${hex(c.address)}  ${hex(c.size)}  ${c.module}`)
  }
  lines.push('', 'Symbol                           Value')
  for (const [name, value] of [...symbols].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    lines.push(`${name.padEnd(32)} ${hex(value >>> 0)}`)
  return `${lines.join('\n')}\n`
}
