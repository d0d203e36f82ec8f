import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SS } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { Random } from '../../../tools/fuzz/random'
import { Console, EXAMPLES_DIRECTORY } from './console'
import { VmsSystem } from './executive'
import { BLOCK, ISD_DZRO, ISD_WRT, link, readImage } from './image'

const HELLO = readFileSync(join(EXAMPLES_DIRECTORY, 'hello.mar'), 'utf8')

describe('image files (book 21.1)', () => {
  it('the linker writes a header, ISDs and a transfer address that the activator reads back', () => {
    const file = link(HELLO, 'hello', 3)
    expect(file.length % BLOCK).toBe(0)
    const { status, image } = readImage(file)
    expect(status).toBe(SS.NORMAL)
    expect(image?.name).toBe('HELLO')
    expect(image?.transfer).toBe(0x200)
    const [code, zero] = image?.sections ?? []
    expect(code).toMatchObject({ vpn: 1, demandZero: false, writable: true })
    expect(zero).toMatchObject({ vpn: 1 + (code?.pages ?? 0), pages: 3, demandZero: true })
    // The section holds the startup call (CALLS #0,@#...) then the program.
    expect(code?.data[0]).toBe(0xfb)
  })

  it('an image file runs like its source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vms-image-'))
    let output = ''
    const system = new VmsSystem({ output: (text) => (output += text) })
    const console_ = new Console(system)
    expect(
      console_.execute(
        `LINK ${join(EXAMPLES_DIRECTORY, 'hello.mar')} /OUTPUT=${join(dir, 'hello.exe')}`,
      ),
    ).toBe(SS.NORMAL)
    expect(console_.execute(`RUN ${join(dir, 'hello.exe')}`)).toBe(SS.NORMAL)
    expect(output).toContain('Hello from VAX user mode!\n')
  })

  it.each([
    ['a file shorter than a block', (f: Uint8Array) => f.subarray(0, 100)],
    ['a header size that is not its block count', (f: Uint8Array) => f.fill(3, 16, 17)],
    ['an ISD of the wrong size', (f: Uint8Array) => f.fill(12, 48, 49)],
    ['a section in P1 space', (f: Uint8Array) => f.fill(0x40, 55, 56)],
    ['a section over page 0', (f: Uint8Array) => f.fill(0, 52, 53)],
    ['blocks past the end of the file', (f: Uint8Array) => f.fill(90, 60, 61)],
    ['a transfer address in no section', (f: Uint8Array) => f.fill(0x7f, 69, 70)],
  ])('refuses %s with SS$_BADIMGHDR', (_what, corrupt) => {
    const file = corrupt(link(HELLO, 'hello'))
    const system = new VmsSystem({ output: () => {} })
    const r = system.activate('BAD', file)
    expect(r.status).toBe(SS.BADIMGHDR)
    expect(r.error).toBeDefined()
    expect(system.list().length).toBe(1)
  })

  it('random corruption of an image never crashes the activator or the system', () => {
    const original = link(HELLO, 'hello', 2)
    const r = new Random(2026)
    let refused = 0
    let ran = 0
    const system = new VmsSystem({ output: () => {} })
    for (let i = 0; i < 1500; i++) {
      const file = new Uint8Array(original)
      for (let k = r.int(1, 6); k > 0; k--) {
        const at = r.chance(0.8) ? r.int(0, 80) : r.int(0, file.length - 1)
        file[at] = r.int(0, 255)
      }
      const created = system.activate('FUZZ', file)
      if (created.status === SS.BADIMGHDR) refused++
      else {
        expect(created.status).toBe(SS.NORMAL)
        ran++
        const stopped = system.run(200_000)
        if (stopped === 'limit') system.stopProcess(created.pid as number)
        expect(stopped).not.toBe('bugcheck')
      }
    }
    expect(refused).toBeGreaterThan(100)
    expect(ran).toBeGreaterThan(100)
    expect(system.run()).toBe('idle')
    expect(system.list().length).toBe(1)
    // Every page went back: the same image still fits and runs.
    expect(system.createProcess('HELLO', HELLO).status).toBe(SS.NORMAL)
  })

  it('flag bits are the documented ones', () => {
    expect([ISD_DZRO, ISD_WRT]).toEqual([4, 8])
  })
})
