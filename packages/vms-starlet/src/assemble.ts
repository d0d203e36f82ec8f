import {
  type AssembleOptions,
  type AssemblyResult,
  assemble,
  assembleObject,
  type ObjectModule,
  type ObjectOptions,
} from '@vax/asm'
import { starletLibrary } from './library'

/** `options` with STARLET first in `libraries`, so the caller's own libraries take precedence. */
export function withStarlet<T extends ObjectOptions>(options: T): T {
  return { ...options, libraries: [starletLibrary(), ...(options.libraries ?? [])] }
}

/**
 * `assemble` with the STARLET library: `.MCALL $QIOW_S,$EXIT_S`, or any STARLET macro
 * used by name, is found. Throws `AssemblyError` as `assemble` does.
 */
export function assembleWithStarlet(source: string, options: AssembleOptions = {}): AssemblyResult {
  return assemble(source, withStarlet(options))
}

/** `assembleObject` with the STARLET library. */
export function assembleObjectWithStarlet(
  source: string,
  options: ObjectOptions = {},
): ObjectModule {
  return assembleObject(source, withStarlet(options))
}
