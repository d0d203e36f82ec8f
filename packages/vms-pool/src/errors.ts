/** What an integrity check found. */
export type PoolIntegrityCode =
  /** The block, or part of it, is already free. */
  | 'DOUBLE_FREE'
  /** The address was never handed out by this pool (or is not the start of a block/packet). */
  | 'NOT_ALLOCATED'
  /** The size given, or the size in the block's header, differs from the size allocated. */
  | 'SIZE_MISMATCH'
  /** A free block's poison pattern was overwritten while it was free (use after free). */
  | 'POISON_OVERWRITTEN'

/**
 * A pool integrity failure. VMS answers these with a fatal bugcheck (BADDALRQSZ for a
 * bad deallocation request); a pool here refuses the operation, changes nothing, and
 * throws this so that the assembled system can bugcheck with the details.
 */
export class PoolIntegrityError extends Error {
  override readonly name = 'PoolIntegrityError'
  readonly code: PoolIntegrityCode
  readonly pool: string
  readonly address: number

  constructor(code: PoolIntegrityCode, pool: string, address: number, detail: string) {
    super(`${pool}: ${code} at ${hex(address)}: ${detail}`)
    this.code = code
    this.pool = pool
    this.address = address
  }

  /** The VMS bugcheck this failure corresponds to. */
  get bugcheck(): 'BADDALRQSZ' | 'POOLCHECK' {
    return this.code === 'POISON_OVERWRITTEN' ? 'POOLCHECK' : 'BADDALRQSZ'
  }
}

/** Invalid pool configuration (a SYSBOOT parameter out of range), found before anything is built. */
export class PoolConfigError extends Error {
  override readonly name = 'PoolConfigError'
  readonly parameter: string

  constructor(parameter: string, detail: string) {
    super(`${parameter}: ${detail}`)
    this.parameter = parameter
  }
}

export function hex(value: number): string {
  return `0x${(value >>> 0).toString(16).toUpperCase().padStart(8, '0')}`
}
