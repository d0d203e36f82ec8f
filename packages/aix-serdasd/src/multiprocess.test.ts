import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { BLOCK_SIZE, FileBlockDevice } from '@vax-vms/block-device'
import { afterAll, describe, expect, it } from 'vitest'
import { stampOf } from '../test/harness'
import { SerialDasdController } from './index'

const dir = mkdtempSync(join(tmpdir(), 'serdasd-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Runs one host process; resolves with the JSON line it printed. */
function host(role: 'A' | 'B', state: string, media: string): Promise<Record<string, unknown>> {
  const script = resolve(import.meta.dirname, '../test/host-process.ts')
  const child = spawn(
    process.execPath,
    ['--conditions=@vax-vms/source', '--import', 'tsx', script, role, state, media],
    {
      cwd: resolve(import.meta.dirname, '..'),
    },
  )
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => {
    out += d
  })
  child.stderr.on('data', (d) => {
    err += d
  })
  return new Promise((done, failed) => {
    child.on('close', (code) => {
      if (code !== 0) failed(new Error(`host ${role} exited ${code}: ${err}`))
      else done(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>)
    })
  })
}

describe('hosts in separate processes sharing a backing file (README: shared state)', () => {
  it('B fences A out while A writes flat out: no write of A succeeds or lands after the fence', async () => {
    const mediaFile = join(dir, 'dasd.img')
    const stateFile = `${mediaFile}.state`
    FileBlockDevice.create(mediaFile, 256 + 8).close()
    const [a, b] = await Promise.all([
      host('A', stateFile, mediaFile),
      host('B', stateFile, mediaFile),
    ])
    expect(b).toMatchObject({ fence: 0x8000, position: 0x4000, written: 16 })
    // A wrote before the takeover, then failed for good: never a success after a failure.
    expect(a.lastOk as number).toBeGreaterThanOrEqual(50)
    expect(a.firstFailure as number).toBeGreaterThan(a.lastOk as number)
    expect(a.okAfterFailure).toBe(0)
    // Refused as reserved out (EBUSY, once B's forced open holds the reservation) or
    // fenced out (EIO); which A meets first depends on how the two processes interleave.
    const errnos = a.errnos as string[]
    expect(errnos.length).toBeGreaterThan(0)
    for (const errno of errnos) expect(['EIO', 'EBUSY']).toContain(errno)
    // The media holds no block of A stamped at or after its first failure.
    const media = FileBlockDevice.open(mediaFile)
    const controller = SerialDasdController.shared({ stateFile, dasds: [{ media, spares: 8 }] })
    const blocks = controller.readMedia(0, 0, 80)
    for (let i = 0; i < 80; i++) {
      const stamp = stampOf(blocks.subarray(i * BLOCK_SIZE, (i + 1) * BLOCK_SIZE))
      if (stamp?.[0] === 0) expect(stamp[1]).toBeLessThan(a.firstFailure as number)
      if (i >= 64) expect(stamp?.[0]).toBe(1)
    }
    expect(controller.inspect(0)).toMatchObject({ fence: 0x8000, reservedBy: 1 })
    controller.close()
    media.close()
  }, 60_000)
})
