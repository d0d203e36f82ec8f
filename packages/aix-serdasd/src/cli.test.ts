import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { clock } from '../test/harness'
import { ErrorLog, formatErrorReport, readErrorLogFile } from './index'

const dir = mkdtempSync(join(tmpdir(), 'serdasd-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const run = promisify(execFile)
const cli = (...args: string[]) =>
  run(
    process.execPath,
    [
      '--conditions=@vax-vms/source',
      '--import',
      'tsx',
      resolve(import.meta.dirname, 'cli.ts'),
      ...args,
    ],
    {
      cwd: resolve(import.meta.dirname, '..'),
    },
  )

describe('error log (page references: SD error identifiers for the error log)', () => {
  it('records go to memory and to a JSON-lines file that reads back', () => {
    const file = join(dir, 'errlog')
    const log = new ErrorLog({ file, clock })
    log.log('SDD_ERR2', 'hdisk0', { host: 0, scsiStatus: 0x3e })
    log.log('SDM_ERR3', 'hdisk0', { block: 12 })
    expect(readErrorLogFile(file)).toEqual(log.records())
    expect(log.records()[0]).toMatchObject({
      sequence: 1,
      type: 'PERM',
      class: 'H',
      description: 'HOST FENCED OUT BY DASD',
    })
  })

  it('the summary is newest first, errpt style; -a shows the detail', () => {
    const log = new ErrorLog({ clock })
    log.log('SDA_ERR1', 'serdasda0')
    log.log('SDM_ERR2', 'hdisk1', { block: 7 })
    expect(formatErrorReport(log.records())).toBe(
      [
        'IDENTIFIER TIMESTAMP  T C RESOURCE_NAME  DESCRIPTION',
        'SDM_ERR2   1231235999 T H hdisk1         RECOVERED MEDIA ERROR',
        'SDA_ERR1   1231235999 P H serdasda0      ADAPTER NOT RESPONDING',
      ].join('\n'),
    )
    expect(formatErrorReport(log.records(), true)).toContain('  block             7 (0x7)')
  })
})

describe('serdasd command', () => {
  it('demo: A is fenced out and none of its writes lands; errpt reads the log it wrote', async () => {
    const file = join(dir, 'demo.errlog')
    const demo = await cli('demo', '--errlog', file)
    expect(demo.stdout).toContain('blocks on the media written by host A after the fence: 0')
    const report = await cli('errpt', '-J', 'SDD_ERR2', file)
    const lines = report.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^IDENTIFIER/)
    expect(lines.slice(1).every((l) => l.startsWith('SDD_ERR2'))).toBe(true)
    expect(lines).toHaveLength(6)
  }, 30_000)

  it('bad usage exits 2', async () => {
    await expect(cli('errpt')).rejects.toMatchObject({ code: 2 })
    await expect(cli('frobnicate')).rejects.toMatchObject({ code: 2 })
  }, 30_000)
})
