import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { Console } from './console'
import { VmsSystem } from './executive'

/**
 * The command procedure suite (apps/system/procedures): each NAME.COM with a NAME.OUT is
 * run as `@NAME` through the console of a real system whose default disk is a copy of
 * the suite, booted at a fixed time; its output must be NAME.OUT (the copy's host path
 * written as ROOT). VMS_PROCEDURES_WRITE=1 writes the .OUT files instead (to be read and
 * checked by a person before they are committed).
 */
const SUITE = resolve(import.meta.dirname, '../procedures')
const BOOT = new Date('2026-11-09T14:05:33Z')

export function runProcedure(name: string): { output: string; status: number } {
  const directory = mkdtempSync(join(tmpdir(), 'vms-procedures-'))
  cpSync(SUITE, directory, { recursive: true })
  let output = ''
  const system = new VmsSystem({ output: (text) => (output += text), directory })
  const console_ = new Console(system, { boot: BOOT })
  const status = console_.execute(`@${name}`)
  return { output: output.split(directory).join('ROOT'), status }
}

const procedures = readdirSync(SUITE)
  .filter((f) => f.endsWith('.com') && existsSync(join(SUITE, f.replace(/\.com$/, '.out'))))
  .map((f) => f.slice(0, -4))

describe('command procedures with expected output (book 23.4; DCL Dictionary)', () => {
  it('the suite is there', () => {
    expect(procedures).toEqual(
      expect.arrayContaining([
        'control',
        'errors',
        'files',
        'lexicals',
        'nested',
        'programs',
        'symbols',
      ]),
    )
  })
  for (const name of procedures) {
    it(`@${name.toUpperCase()} gives ${name}.out`, () => {
      const { output } = runProcedure(name)
      const expected = join(SUITE, `${name}.out`)
      if (process.env.VMS_PROCEDURES_WRITE === '1') writeFileSync(expected, output)
      expect(output).toBe(readFileSync(expected, 'utf8'))
    })
  }
})

describe('vms @FILE runs a command procedure (docs/command-line.md)', () => {
  const root = resolve(import.meta.dirname, '../../..')
  const MAIN = ['--conditions=@vax-vms/source', '--import', 'tsx', 'apps/system/src/main.ts']
  const vms = async (args: string[], cwd: string) => {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [...MAIN, ...args], {
        cwd: root,
        env: { ...process.env, INIT_CWD: cwd },
      })
      return { out: stdout, status: 0 }
    } catch (error) {
      const e = error as { stdout: string; code: number }
      return { out: e.stdout, status: e.code }
    }
  }

  it('with its parameters, its data lines for the images it runs, and its exit status', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'vms-at-'))
    writeFileSync(
      join(directory, 'greet.com'),
      `$ WRITE SYS$OUTPUT "P1 is ''P1', P2 is ''P2'"\n$ RUN ASKNAME\nLinus\n$ EXIT P3\n`,
    )
    expect(await vms(['@greet', 'one', 'Two Words', '1'], directory)).toEqual({
      // The data line is the image's input, not echoed (it is not typed, book 23.4).
      out: 'P1 is ONE, P2 is Two Words\nYour name? Hello, Linus!\n',
      status: 0,
    })
    expect((await vms(['@greet', 'a', 'b', '%X2C'], directory)).status).toBe(1)
    expect(await vms(['@nosuch'], directory)).toEqual({
      out: '%DCL-E-OPENIN, error opening NOSUCH as input\n-RMS-E-FNF, file not found\n',
      status: 1,
    })
  }, 60_000)
})
