import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { simhBinary } from './simh'

/** Bytes reserved for each instruction in the batch image. */
export const SLOT = 128

/**
 * SIMH's own disassembly (`examine -m`) of each instruction. Instruction i is loaded
 * at `base + SLOT * i`; the result is SIMH's text for it, without the address.
 */
export async function simhDisassemble(
  instructions: readonly Uint8Array[],
  base = 0x10000,
): Promise<string[]> {
  const binary = simhBinary('ka655')
  if (binary === undefined) throw new Error('SIMH is not installed')
  const dir = mkdtempSync(join(tmpdir(), 'vax-examine-'))
  try {
    const image = new Uint8Array(SLOT * instructions.length)
    for (const [i, bytes] of instructions.entries()) image.set(bytes.subarray(0, SLOT), SLOT * i)
    const file = join(dir, 'image.bin')
    writeFileSync(file, image)
    const script = [`load -o ${file} ${base.toString(16)}`]
    for (let i = 0; i < instructions.length; i++)
      script.push(`ex -m ${(base + SLOT * i).toString(16)}`)
    script.push('quit')
    writeFileSync(join(dir, 'run.ini'), `${script.join('\n')}\n`)
    const running = promisify(execFile)(binary, [join(dir, 'run.ini')], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    })
    running.child.stdin?.end()
    const output = (await running).stdout
    const texts = new Map<number, string>()
    for (const line of output.split('\n')) {
      const m = /^([0-9A-F]+):\t(.*)$/.exec(line.trimEnd())
      if (m) texts.set(Number.parseInt(m[1] as string, 16), (m[2] as string).trim())
    }
    return instructions.map((_, i) => texts.get(base + SLOT * i) ?? '')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
