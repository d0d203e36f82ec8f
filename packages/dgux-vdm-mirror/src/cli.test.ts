import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type CliIo, parseSize, runCli } from './cli-main'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vdm-cli-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function io(
  progress: NodeJS.WritableStream | null = null,
): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = []
  const errors: string[] = []
  return { out: (l) => lines.push(l), err: (l) => errors.push(l), progress, lines, errors }
}

describe('the vdm command', () => {
  it('creates, lists, synchronizes, fractures, throttles and shows a mirror on image files', async () => {
    const [a, b] = [join(dir, 'a.img'), join(dir, 'b.img')]
    let o = io()
    expect(
      await runCli(['create', '--name', 'm0', '--size', '1M', '--automatic-sync', a, b], o),
    ).toBe(0)
    expect(o.lines[0]).toContain('created mirror m0: 2048 blocks')
    expect(statSync(a).size).toBe((2048 + 16) * 512)
    o = io()
    await runCli(['list', a, b], o)
    expect(o.lines).toEqual(['m0\t2048 blocks\t2 images\t0 usable\tclean'])

    // The progress bar draws on a terminal: rate and time left.
    const tty = Object.assign(new PassThrough(), {
      isTTY: true,
      columns: 120,
      cursorTo: () => true,
      clearLine: () => true,
      moveCursor: () => true,
    })
    let drawn = ''
    tty.on('data', (d: Buffer) => {
      drawn += d.toString()
    })
    o = io(tty)
    expect(await runCli(['sync', a, b], o)).toBe(0)
    expect(o.lines[0]).toMatch(/^synchronized 1\.0 MiB/)
    expect(drawn).toMatch(/MiB\/s/)
    expect(drawn).toMatch(/left/)

    o = io()
    expect(await runCli(['fracture', '--image', b, '--granularity', '16', a, b], o)).toBe(0)
    expect(await runCli(['throttle', '--ms', '0', a, b], o)).toBe(0)
    o = io()
    await runCli(['show', a, b], o)
    expect(o.lines).toContain(`  ${a}: usable`)
    expect(o.lines).toContain(`  ${b}: corrupt`)
    expect(o.lines.some((l) => l.includes('millisecondsbetweensyncio 0'))).toBe(true)
    o = io()
    expect(await runCli(['sync', '--source', a, a, b], o)).toBe(0)
    o = io()
    await runCli(['list', a, b], o)
    expect(o.lines).toEqual(['m0\t2048 blocks\t2 images\t2 usable\tclean'])
  })

  it('reports bad usage and missing files with a status, not an exception', async () => {
    const o = io()
    expect(await runCli([], o)).toBe(2)
    expect(await runCli(['sync', '--bogus'], o)).toBe(2)
    expect(await runCli(['sync', join(dir, 'none.img')], o)).toBe(1)
    expect(await runCli(['create', join(dir, 'x.img')], o)).toBe(1)
    expect(await runCli(['create', '--name', 'x', '--size', '12Q', join(dir, 'x.img')], o)).toBe(1)
    expect(await runCli(['frobnicate', join(dir, 'x.img')], o)).toBe(1)
    expect(o.errors.some((l) => l.includes('ENXIO'))).toBe(true)
  })

  it('parses sizes', () => {
    expect(parseSize('64M')).toBe(131072)
    expect(parseSize('1g')).toBe(2097152)
    expect(parseSize('1024')).toBe(2)
    expect(() => parseSize('100')).toThrow()
  })
})
