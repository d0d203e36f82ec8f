import { SourceError } from './expression'

/**
 * Program section attributes (VAX MACRO Reference Manual, .PSECT, table "Program
 * Section Attributes"); each is the first of its pair when true.
 */
export interface PsectAttributes {
  /** ABS: no data, labels are absolute (offsets); else REL. */
  readonly abs: boolean
  /** OVR: contributions of modules overlay; else CON (concatenated). */
  readonly ovr: boolean
  readonly exe: boolean
  readonly wrt: boolean
  readonly rd: boolean
  readonly shr: boolean
  readonly pic: boolean
  readonly gbl: boolean
  readonly lib: boolean
  readonly vec: boolean
  /** Alignment of each contribution, as a power of two (0 BYTE .. 9 PAGE). */
  readonly align: number
}

/** The blank psect `. BLANK .` and a named psect's defaults (VAX MACRO .PSECT). */
export const BLANK_PSECT = '. BLANK .'
export const DEFAULT_ATTRIBUTES: PsectAttributes = {
  abs: false,
  ovr: false,
  exe: true,
  wrt: true,
  rd: true,
  shr: false,
  pic: false,
  gbl: false,
  lib: false,
  vec: false,
  align: 0,
}
/** An ABS psect's defaults: NOEXE and NOWRT besides ABS and OVR. */
const ABS_DEFAULTS: Partial<Record<keyof PsectAttributes, boolean>> = {
  abs: true,
  ovr: true,
  exe: false,
  wrt: false,
}

const PAIRS: Record<string, [keyof PsectAttributes, boolean]> = {
  ABS: ['abs', true],
  REL: ['abs', false],
  OVR: ['ovr', true],
  CON: ['ovr', false],
  EXE: ['exe', true],
  NOEXE: ['exe', false],
  WRT: ['wrt', true],
  NOWRT: ['wrt', false],
  RD: ['rd', true],
  NORD: ['rd', false],
  SHR: ['shr', true],
  NOSHR: ['shr', false],
  PIC: ['pic', true],
  NOPIC: ['pic', false],
  GBL: ['gbl', true],
  LCL: ['gbl', false],
  LIB: ['lib', true],
  NOLIB: ['lib', false],
  VEC: ['vec', true],
  USR: ['vec', false],
  NOVEC: ['vec', false],
}
const ALIGNMENTS: Record<string, number> = { BYTE: 0, WORD: 1, LONG: 2, QUAD: 3, OCTA: 4, PAGE: 9 }

/**
 * Parses `.PSECT name, attribute, ...`. An empty name is the blank psect. Returns the
 * attributes written (undefined when none, so that re-entering keeps the first ones).
 */
export function parsePsect(text: string): {
  name: string
  attributes: PsectAttributes | undefined
} {
  const parts = text.split(',').map((p) => p.trim())
  const name = (parts[0] ?? '').toUpperCase()
  if (name !== '' && !/^[A-Z_$.%][\w$.%]{0,30}$/.test(name))
    throw new SourceError(`'${parts[0]}' is not a psect name (at most 31 characters)`, 0)
  const written = parts.slice(1).map((p) => p.toUpperCase())
  // Where each attribute is, for messages.
  const offsets: number[] = []
  for (let i = 0, at = 0; i < parts.length; i++) {
    const raw = text.split(',')[i] ?? ''
    offsets.push(at + raw.length - raw.trimStart().length)
    at += raw.length + 1
  }
  if (written.length === 0) return { name: name || BLANK_PSECT, attributes: undefined }
  const flags: Record<string, boolean | number> = { ...DEFAULT_ATTRIBUTES }
  if (written.includes('ABS')) Object.assign(flags, ABS_DEFAULTS)
  for (const [k, attribute] of written.entries()) {
    const pair = PAIRS[attribute]
    const alignment =
      ALIGNMENTS[attribute] ?? (/^\d$/.test(attribute) ? Number(attribute) : undefined)
    if (pair) flags[pair[0]] = pair[1]
    else if (alignment !== undefined) flags.align = alignment
    else throw new SourceError(`unknown psect attribute ${attribute}`, offsets[k + 1] ?? 0)
  }
  return { name: name || BLANK_PSECT, attributes: flags as unknown as PsectAttributes }
}

/** The attributes by which the linker groups psects into image sections. */
export function clusterKey(a: PsectAttributes): string {
  return `${a.exe ? 'EXE' : 'NOEXE'},${a.wrt ? 'WRT' : 'NOWRT'},${a.shr ? 'SHR' : 'NOSHR'},${a.vec ? 'VEC' : 'USR'},${a.pic ? 'PIC' : 'NOPIC'}`
}

/**
 * The order in which psects are laid out, as VAX/VMS LINK does by default: psects with
 * the same significant attributes (EXE, WRT, SHR, VEC, PIC) form one image section, the
 * image sections in the order their first psect is met, and within one image section
 * the psects in alphabetical order of their names (what the executive's `$$$000`..
 * psect names rely on to come first, book appendix C). ABS psects take no space.
 */
export function psectOrder<T extends { name: string; attributes: PsectAttributes }>(
  psects: readonly T[],
): T[] {
  const groups = new Map<string, T[]>()
  for (const psect of psects) {
    if (psect.attributes.abs) continue
    const key = clusterKey(psect.attributes)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [psect])
    else group.push(psect)
  }
  return [...groups.values()].flatMap((group) =>
    [...group].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  )
}

/** Rounds `address` up to a multiple of 2**align. */
export function alignUp(address: number, align: number): number {
  const unit = 2 ** align
  return Math.ceil(address / unit) * unit
}
