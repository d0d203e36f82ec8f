import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { BLOCK_SIZE, BlockDeviceError } from './block-device'
import { FileBlockDevice } from './file-device'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'block-device-'))
})
afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

function pattern(seed: number, blocks = 1): Uint8Array {
  return Uint8Array.from({ length: blocks * BLOCK_SIZE }, (_, i) => (i * 7 + seed) & 0xff)
}

function errorCode(f: () => void): string | undefined {
  try {
    f()
  } catch (error) {
    if (error instanceof BlockDeviceError) return error.code
    throw error
  }
  return undefined
}

describe('FileBlockDevice', () => {
  it('creates a zeroed file of the given size', () => {
    const path = join(dir, 'a.img')
    const d = FileBlockDevice.create(path, 64)
    expect(d.blocks).toBe(64)
    expect(statSync(path).size).toBe(64 * BLOCK_SIZE)
    const b = new Uint8Array(2 * BLOCK_SIZE).fill(9)
    d.read(10, b)
    expect(b.every((x) => x === 0)).toBe(true)
    d.close()
  })

  it('keeps what was written across close and reopen (an image survives a restart)', () => {
    const path = join(dir, 'a.img')
    const d = FileBlockDevice.create(path, 32)
    d.write(3, pattern(1, 2))
    d.write(31, pattern(2))
    d.flush()
    d.close()
    const e = FileBlockDevice.open(path)
    expect(e.blocks).toBe(32)
    const b = new Uint8Array(2 * BLOCK_SIZE)
    e.read(3, b)
    expect(b).toEqual(pattern(1, 2))
    const c = new Uint8Array(BLOCK_SIZE)
    e.read(31, c)
    expect(c).toEqual(pattern(2))
    e.close()
  })

  it('refuses bad requests with EINVAL and writes nothing', () => {
    const d = FileBlockDevice.create(join(dir, 'a.img'), 8)
    expect(errorCode(() => d.write(7, pattern(1, 2)))).toBe('EINVAL')
    expect(errorCode(() => d.write(-1, pattern(1)))).toBe('EINVAL')
    expect(errorCode(() => d.write(0, new Uint8Array(100)))).toBe('EINVAL')
    const b = new Uint8Array(BLOCK_SIZE)
    d.read(7, b)
    expect(b.every((x) => x === 0)).toBe(true)
    d.close()
  })

  it('reports a missing file as ENXIO, an existing one on create as EINVAL, odd sizes as EINVAL', () => {
    expect(errorCode(() => FileBlockDevice.open(join(dir, 'none.img')))).toBe('ENXIO')
    FileBlockDevice.create(join(dir, 'a.img'), 1).close()
    expect(errorCode(() => FileBlockDevice.create(join(dir, 'a.img'), 1))).toBe('EINVAL')
    FileBlockDevice.create(join(dir, 'a.img'), 2, { overwrite: true }).close()
    expect(statSync(join(dir, 'a.img')).size).toBe(2 * BLOCK_SIZE)
    writeFileSync(join(dir, 'odd.img'), new Uint8Array(700))
    expect(errorCode(() => FileBlockDevice.open(join(dir, 'odd.img')))).toBe('EINVAL')
  })

  it('is ENXIO after close, and read-only opens refuse writes with EIO', () => {
    const path = join(dir, 'a.img')
    const d = FileBlockDevice.create(path, 4)
    d.close()
    d.close()
    expect(errorCode(() => d.read(0, new Uint8Array(BLOCK_SIZE)))).toBe('ENXIO')
    const r = FileBlockDevice.open(path, { readOnly: true })
    expect(errorCode(() => r.write(0, pattern(1)))).toBe('EIO')
    r.close()
  })
})
