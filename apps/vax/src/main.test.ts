import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from './main'

/** Runs the `vax` command line in-process and captures what it prints. */
function vax(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const status = main(
    argv,
    (t) => (stdout += t),
    (t) => (stderr += t),
  )
  return { status, stdout, stderr }
}

const dir = mkdtempSync(join(tmpdir(), 'vax-cli-'))
const file = (name: string, content: string | Uint8Array) => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

describe('vax run (ARCHITECTURE.md contract)', () => {
  // MOVL #1,R0; MOVL #^X12345678,@#^X1100; HALT
  const image = file(
    'prog.bin',
    Uint8Array.from([
      0xd0, 0x01, 0x50, 0xd0, 0x8f, 0x78, 0x56, 0x34, 0x12, 0x9f, 0x00, 0x11, 0x00, 0x00, 0x00,
    ]),
  )

  it('prints one JSON object with the state after the HALT', () => {
    const { status, stdout } = vax('run', image, '--json', '--dump', '0x1100:4', '--dump', '4354:2')
    expect(status).toBe(0)
    const report = JSON.parse(stdout)
    expect(report).toEqual({
      halted: 'HALT',
      pc: 0x1000 + 15,
      psl: 0x041f0000,
      r: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x100f],
      steps: 3,
      dump: { '0x1100': '78563412', '0x1102': '3412' },
    })
  })

  it('honours --base, --pc and --max-steps', () => {
    const { stdout } = vax(
      'run',
      image,
      '--base',
      '0x2000',
      '--pc',
      '8195',
      '--max-steps',
      '1',
      '--json',
    )
    expect(JSON.parse(stdout)).toMatchObject({ halted: 'max-steps', pc: 0x2003 + 11, steps: 1 })
  })

  it('rejects bad arguments with the usage and status 2', () => {
    expect(vax('run').status).toBe(2)
    expect(vax('run', image, '--base', '12z').stderr).toMatch(
      /--base: '12z' is not a decimal or 0x-hexadecimal number/,
    )
    expect(vax('run', image, '--machine', 'pdp11').stderr).toMatch(/--machine must be/)
    expect(vax('run', image, '--bogus').stderr).toMatch(/unknown option --bogus/)
    expect(vax('run', join(dir, 'missing.bin')).stderr).toMatch(/cannot read .*ENOENT/)
    expect(vax('frobnicate').status).toBe(2)
  })
})

describe('vax asm and vax disasm', () => {
  it('assembles to a raw image and a listing, and disassembles it back', () => {
    const source = file('hello.mar', 'start: MOVL #1,R0\n       HALT\n')
    const output = join(dir, 'hello.bin')
    const listing = join(dir, 'hello.lis')
    const result = vax('asm', source, '-o', output, '--base', '1000', '--listing', listing)
    expect(result.status).toBe(0)
    expect([...readFileSync(output)]).toEqual([0xd0, 0x01, 0x50, 0x00])
    expect(readFileSync(listing, 'utf8')).toContain('00001000  D0 01 50')
    const dis = vax('disasm', output, '--base', '1000')
    expect(dis.stdout).toContain('00001000  D0 01 50')
    expect(dis.stdout).toContain('MOVL #1,R0')
  })

  it('reports source errors as FILE:LINE:COLUMN and exits 1', () => {
    const source = file('bad.mar', '  MOVL #1,R0\n  JUNK R1\n')
    const result = vax('asm', source, '-o', join(dir, 'bad.bin'))
    expect(result.status).toBe(1)
    expect(result.stderr).toBe(`${source}:2:3: error: unknown instruction or directive 'JUNK'\n`)
  })
})
