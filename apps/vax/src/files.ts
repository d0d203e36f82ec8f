import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { UsageError } from './args'

/** What went wrong with a file, in words, with the system's code: "ENOENT: no such ...". */
function describe(e: unknown): string {
  const error = e as NodeJS.ErrnoException
  const words: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
  }
  const code = typeof error.code === 'string' ? error.code : undefined
  if (code === undefined) return error.message ?? String(e)
  return `${code} (${words[code] ?? error.message.replace(/^[A-Z]+: /, '').split(',')[0]})`
}

/**
 * Reads a whole file of at most `maxBytes` (a larger one is refused before it is read);
 * a file that cannot be read is a command-line problem.
 */
export function readInput(path: string, maxBytes: number): Buffer {
  let bytes: Buffer
  try {
    const size = statSync(path).size
    if (size > maxBytes) throw new UsageError(`${path}: ${size} bytes, more than ${mib(maxBytes)}`)
    bytes = readFileSync(path)
  } catch (e) {
    if (e instanceof UsageError) throw e
    throw new UsageError(`cannot read ${path}: ${describe(e)}`)
  }
  // A file that grew between the two looks.
  if (bytes.length > maxBytes)
    throw new UsageError(`${path}: ${bytes.length} bytes, more than ${mib(maxBytes)}`)
  return bytes
}

/** A size in MiB, for messages. */
export function mib(bytes: number): string {
  return `${bytes / 1024 / 1024} MiB`
}

/** Writes a whole file; a file that cannot be written is a command-line problem. */
export function writeOutput(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data)
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${describe(e)}`)
  }
}
