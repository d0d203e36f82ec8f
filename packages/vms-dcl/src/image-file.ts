import { existsSync, statSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import type { DefaultDisk } from './disk'
import { DclError } from './messages'

/**
 * For a host's RUN and LINK: the host file a VMS file specification names on the default
 * disk, trying each default type in turn (`HELLO` is HELLO.EXE, else HELLO.MAR). A host
 * path (`/tmp/x.mar`, `./x.mar`, `examples/x.mar`) is taken as one where that is
 * unambiguous: it has a `/`, and the file exists (relative to `hostDirectory`). Host paths
 * are the host's own business (the RUN of a trusted console); the DCL file commands never
 * take them. Undefined when there is no such file.
 */
export function findImage(
  disk: DefaultDisk,
  spec: string,
  types: readonly string[],
  hostDirectory?: string,
): string | undefined {
  if (spec.includes('/') && hostDirectory !== undefined) {
    const path = isAbsolute(spec) ? spec : resolve(hostDirectory, spec)
    try {
      if (existsSync(path) && statSync(path).isFile()) return path
    } catch {
      return undefined
    }
    return undefined
  }
  for (const type of types) {
    try {
      return disk.find(spec, { type }).hostPath
    } catch (error) {
      if (!(error instanceof DclError)) throw error
    }
  }
  return undefined
}
