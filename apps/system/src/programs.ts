import { existsSync } from 'node:fs'
import { resolve } from 'node:path'

/** The example programs that ship with the system (apps/system/examples). */
export const EXAMPLES_DIRECTORY = resolve(import.meta.dirname, '../examples')

/**
 * Finds a program by name: a path to a `.exe` image or `.mar` source (with or without
 * the extension; a relative path is taken from `directory`, the user's default
 * directory), or the name of an example. Only those two kinds of file are read.
 */
export function findProgram(name: string, directory: string = process.cwd()): string | undefined {
  const path = resolve(directory, name)
  const candidates = [
    path,
    `${path}.exe`,
    `${path}.mar`,
    resolve(EXAMPLES_DIRECTORY, `${name.toLowerCase()}.mar`),
  ]
  return candidates.find((c) => /\.(mar|exe)$/i.test(c) && existsSync(c))
}
