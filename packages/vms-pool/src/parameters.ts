import { PoolConfigError } from './errors'
import { PAGE_SIZE } from './lookaside-list'
import { GRANULE } from './variable-list'

/** IRP$C_LENGTH in VMS V4: every IRP lookaside packet is 208 bytes (book 3.2.1). */
export const IRP_SIZE = 208
/** The internal buffer header that SYSBOOT adds to LRPSIZE (book 3.2.1). */
export const LRP_HEADER = 76

/**
 * SYSBOOT parameters for nonpaged pool (book 3.2.1, Table 3-3), in bytes or packets.
 * For each region there is an initial size and a maximum the region may expand to.
 */
export interface NonpagedPoolParameters {
  /** Initial size of the variable-length region, rounded down to whole pages. */
  readonly NPAGEDYN: number
  /** Maximum size of the variable-length region, rounded down to whole pages. */
  readonly NPAGEVIR: number
  /** Small request packet size; INIT rounds it up to a multiple of 16. */
  readonly SRPSIZE: number
  readonly SRPCOUNT: number
  readonly SRPCOUNTV: number
  readonly IRPCOUNT: number
  readonly IRPCOUNTV: number
  /** Large request packet size less its 76-byte header (the DECnet buffer size). */
  readonly LRPSIZE: number
  /** Smallest request that is allocated an LRP. */
  readonly LRPMIN: number
  readonly LRPCOUNT: number
  readonly LRPCOUNTV: number
}

/**
 * This project's defaults: a small MicroVAX-sized system. The book gives the meaning of
 * each parameter but not AUTOGEN's values; change them through the constructor.
 */
export const DEFAULT_NONPAGED_PARAMETERS: NonpagedPoolParameters = Object.freeze({
  NPAGEDYN: 256 * 1024,
  NPAGEVIR: 1024 * 1024,
  SRPSIZE: 96,
  SRPCOUNT: 200,
  SRPCOUNTV: 800,
  IRPCOUNT: 100,
  IRPCOUNTV: 400,
  LRPSIZE: 576,
  LRPMIN: 512,
  LRPCOUNT: 8,
  LRPCOUNTV: 32,
})

/** The sizes INIT and SYSBOOT derive from the parameters (book 3.2.1, Figure 3-7). */
export interface LookasideSizes {
  /** IOC$GL_SRPSIZE: SRPSIZE rounded up to 16. */
  readonly srpSize: number
  /** IOC$GL_IRPMIN: SRP size + 1, the smallest request given an IRP. */
  readonly irpMin: number
  /** IRP$C_LENGTH rounded to 16: 208. */
  readonly irpSize: number
  /** IOC$GL_LRPMIN: parameter LRPMIN. */
  readonly lrpMin: number
  /** IOC$GL_LRPSIZE: LRPSIZE + 76 rounded up to 16. */
  readonly lrpSize: number
}

export function roundUp(value: number, unit: number): number {
  return Math.ceil(value / unit) * unit
}

export function lookasideSizes(p: NonpagedPoolParameters): LookasideSizes {
  const srpSize = roundUp(p.SRPSIZE, GRANULE)
  return {
    srpSize,
    irpMin: srpSize + 1,
    irpSize: IRP_SIZE,
    lrpMin: p.LRPMIN,
    lrpSize: roundUp(p.LRPSIZE + LRP_HEADER, GRANULE),
  }
}

/**
 * Fills in defaults, rounds NPAGEDYN and NPAGEVIR down to pages as SYSBOOT does, and
 * checks every value. Throws PoolConfigError naming the first bad parameter.
 */
export function resolveNonpagedParameters(
  given: Partial<NonpagedPoolParameters> = {},
): NonpagedPoolParameters {
  const p = { ...DEFAULT_NONPAGED_PARAMETERS, ...given }
  for (const [name, value] of Object.entries(p)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new PoolConfigError(name, `must be a non-negative integer, not ${String(value)}`)
    }
  }
  const resolved = {
    ...p,
    NPAGEDYN: Math.floor(p.NPAGEDYN / PAGE_SIZE) * PAGE_SIZE,
    NPAGEVIR: Math.floor(p.NPAGEVIR / PAGE_SIZE) * PAGE_SIZE,
  }
  if (resolved.NPAGEDYN < PAGE_SIZE)
    throw new PoolConfigError('NPAGEDYN', 'must be at least one page (512 bytes)')
  if (resolved.NPAGEVIR < resolved.NPAGEDYN)
    throw new PoolConfigError('NPAGEVIR', 'must be at least NPAGEDYN')
  if (p.SRPSIZE < GRANULE) throw new PoolConfigError('SRPSIZE', 'must be at least 16 bytes')
  if (p.SRPCOUNT > p.SRPCOUNTV) throw new PoolConfigError('SRPCOUNT', 'must not exceed SRPCOUNTV')
  if (p.IRPCOUNT > p.IRPCOUNTV) throw new PoolConfigError('IRPCOUNT', 'must not exceed IRPCOUNTV')
  if (p.LRPCOUNT > p.LRPCOUNTV) throw new PoolConfigError('LRPCOUNT', 'must not exceed LRPCOUNTV')
  if (p.LRPSIZE + LRP_HEADER > 0xfff0)
    throw new PoolConfigError('LRPSIZE', 'the packet must fit the size word of its header')
  if (p.SRPSIZE > 0xfff0)
    throw new PoolConfigError('SRPSIZE', 'the packet must fit the size word of its header')
  const sizes = lookasideSizes(resolved)
  if (p.LRPMIN < 1 || p.LRPMIN > sizes.lrpSize) {
    throw new PoolConfigError('LRPMIN', `must be between 1 and the LRP size (${sizes.lrpSize})`)
  }
  return resolved
}
