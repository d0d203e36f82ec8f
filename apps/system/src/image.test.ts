import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AssemblyError } from '@vax/asm'
import { SS } from '@vms/contracts'
import { HEAP_SIZE } from '@vms/rtl'
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

describe('images linked with the run-time library (@vms/rtl)', () => {
  const CALLER = `msg:    .ASCID  /linked/
        .ENTRY  start,^M<>
        PUSHAQ  msg
        CALLS   #1,G^LIB$PUT_OUTPUT
        RET
        .END    start`

  it('a call of LIB$PUT_OUTPUT links the library; its heap is a demand-zero section', () => {
    const { status, image } = readImage(link(CALLER, 'caller', 2))
    expect(status).toBe(SS.NORMAL)
    expect(image?.transfer).toBe(0x200)
    const [code, heap, zero] = image?.sections ?? []
    expect(code).toMatchObject({ vpn: 1, demandZero: false, writable: true })
    expect(code?.data[0]).toBe(0xfb) // the startup call at 0x200, as for any image
    expect(heap).toMatchObject({
      vpn: 1 + (code?.pages ?? 0),
      pages: HEAP_SIZE / BLOCK,
      demandZero: true,
      writable: true,
    })
    expect(zero).toMatchObject({ vpn: (heap?.vpn ?? 0) + (heap?.pages ?? 0), pages: 2 })
  })

  it('a program without run-time library calls is linked alone, as before', () => {
    const { image } = readImage(link(HELLO, 'hello'))
    expect(image?.sections.length).toBe(1)
  })

  it('a program that defines a routine of the library itself is linked alone', () => {
    const own = `        .ENTRY  LIB$PUT_OUTPUT,^M<>
        MOVL    #SS$_NORMAL,R0
        RET
        .ENTRY  start,^M<>
        CALLS   #0,LIB$PUT_OUTPUT
        RET
        .END    start`
    const { image } = readImage(link(`        $SSDEF\n${own}`, 'own'))
    expect(image?.sections.length).toBe(1)
  })

  it('errors in a program that calls the library are on the lines of its source', () => {
    const errors = (source: string) => {
      try {
        link(source, 'bad')
      } catch (error) {
        if (error instanceof AssemblyError) return error.diagnostics.map((d) => [d.line, d.message])
      }
      return []
    }
    expect(errors(`${CALLER.replace('RET', 'BOGUS R0')}`)).toEqual([
      [5, "unknown instruction or directive 'BOGUS'"],
    ])
    expect(errors(CALLER.replace('RET', 'CALLS #0,G^NOSUCH'))).toEqual([
      [5, 'undefined symbol NOSUCH'],
    ])
  })

  it('such an image runs from its file as from its source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vms-image-'))
    let output = ''
    const system = new VmsSystem({ output: (text) => (output += text) })
    const console_ = new Console(system)
    const hello = join(EXAMPLES_DIRECTORY, 'vms', 'hello.mar')
    expect(console_.execute(`LINK ${hello} /OUTPUT=${join(dir, 'hello.exe')}`)).toBe(SS.NORMAL)
    expect(console_.execute(`RUN ${join(dir, 'hello.exe')}`)).toBe(SS.NORMAL)
    expect(output).toContain('Hello, world!\n')
  })
})
