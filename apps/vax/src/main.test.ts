import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { assemble } from '@vax/asm'
import { describe, expect, it } from 'vitest'
import { type MainOptions, main } from './main'

/** Runs the `vax` command line in-process and captures what it prints. */
async function vaxWith(options: MainOptions, ...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const status = await main(
    argv,
    (t) => (stdout += t),
    (t) => (stderr += t),
    options,
  )
  return { status, stdout, stderr }
}
const vax = (...argv: string[]) => vaxWith({}, ...argv)

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

  it('prints one JSON object with the state after the HALT', async () => {
    const { status, stdout } = await vax(
      'run',
      image,
      '--json',
      '--dump',
      '0x1100:4',
      '--dump',
      '4354:2',
    )
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

  it('honours --base, --pc and --max-steps', async () => {
    const { stdout } = await vax(
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

  it('rejects bad arguments with the usage and status 2', async () => {
    expect((await vax('run')).status).toBe(2)
    expect((await vax('run', image, '--base', '12z')).stderr).toMatch(
      /--base: '12z' is not a decimal or 0x-hexadecimal number/,
    )
    expect((await vax('run', image, '--machine', 'pdp11')).stderr).toMatch(/--machine must be/)
    expect((await vax('run', image, '--bogus')).stderr).toMatch(/unknown option --bogus/)
    expect((await vax('run', join(dir, 'missing.bin'))).stderr).toMatch(/cannot read .*ENOENT/)
    expect((await vax('frobnicate')).status).toBe(2)
  })
})

describe('vax asm and vax disasm', () => {
  it('assembles to a raw image and a listing, and disassembles it back', async () => {
    const source = file('hello.mar', 'start: MOVL #1,R0\n       HALT\n')
    const output = join(dir, 'hello.bin')
    const listing = join(dir, 'hello.lis')
    const result = await vax('asm', source, '-o', output, '--base', '1000', '--listing', listing)
    expect(result.status).toBe(0)
    expect([...readFileSync(output)]).toEqual([0xd0, 0x01, 0x50, 0x00])
    expect(readFileSync(listing, 'utf8')).toContain('00001000  D0 01 50')
    const dis = await vax('disasm', output, '--base', '1000')
    expect(dis.stdout).toContain('00001000  D0 01 50')
    expect(dis.stdout).toContain('MOVL #1,R0')
  })

  it('reports source errors as FILE:LINE:COLUMN and exits 1', async () => {
    const source = file('bad.mar', '  MOVL #1,R0\n  JUNK R1\n')
    const result = await vax('asm', source, '-o', join(dir, 'bad.bin'))
    expect(result.status).toBe(1)
    expect(result.stderr).toBe(`${source}:2:3: error: unknown instruction or directive 'JUNK'\n`)
  })
})

/** One line `vax: ...` then the usage: never a stack trace. */
function usageError(stderr: string, message: RegExp) {
  const [first, second] = stderr.split('\n')
  expect(first).toMatch(/^vax: /)
  expect(first).toMatch(message)
  expect(second).toMatch(/^usage: vax run/)
  expect(stderr).not.toMatch(/^\s+at /m)
}

describe('vax run: limits and errors (README "Limits and errors")', () => {
  const image = file('halt.bin', Uint8Array.from([0x00]))

  it.each([
    [['--pc', '0x1FFFFFFFF'], /--pc: 0x1FFFFFFFF is not a 32-bit address/],
    [['--base', '4294967296'], /--base: 4294967296 is not a 32-bit address/],
    [
      ['--dump', '0xFFFFFFF0:32'],
      /--dump 0xFFFFFFF0:32: outside memory \(16 MB: 0x0 to 0xffffff\)/,
    ],
    [['--dump', '0x1000'], /--dump 0x1000: expected ADDR:LEN/],
    [['--memory', '512', '--dump', '0:0x20000000'], /--dump: at most 64 MiB in all/],
    [['--memory', '0'], /--memory must be 1 to 512/],
    [['--max-steps', '-1'], /--max-steps needs a value \(write --max-steps=VALUE/],
    [['--max-steps=-1'], /--max-steps: '-1' is not a decimal/],
    [['--json=yes'], /--json takes no value/],
    [['--base'], /--base needs a value/],
    [['--pc', '1', '--pc', '2'], /--pc given more than once/],
    [['extra'], /unexpected argument extra/],
  ])('%j is refused with one line and status 2', async (args, message) => {
    const { status, stdout, stderr } = await vax('run', image, ...args)
    expect(status).toBe(2)
    expect(stdout).toBe('')
    usageError(stderr, message)
  })

  it('--dump may be repeated, also as --dump=ADDR:LEN, and reads all of memory', async () => {
    const { stdout } = await vax(
      'run',
      image,
      '--json',
      '--memory',
      '1',
      '--dump=0x1000:1',
      '--dump',
      '0xFFFFF:1',
    )
    expect(JSON.parse(stdout).dump).toEqual({ '0x1000': '00', '0xfffff': '00' })
  })

  it('an image larger than memory is refused before it is read; one that does not fit at --base too', async () => {
    const big = file('big.bin', new Uint8Array(1024 * 1024 + 1))
    usageError(
      (await vax('run', big, '--memory', '1')).stderr,
      /big\.bin: 1048577 bytes, more than 1 MiB/,
    )
    usageError(
      (await vax('run', image, '--memory', '1', '--base', '0x100000')).stderr,
      /the image \(1 bytes at 0x100000\) does not fit in 1 MB/,
    )
  })

  it('--help after a command prints the usage, status 0', async () => {
    const { status, stdout } = await vax('run', '--help')
    expect(status).toBe(0)
    expect(stdout).toMatch(/^usage: vax run/)
  })
})

describe('vax run in slices, and Ctrl-C (README "Ctrl-C")', () => {
  // MOVL #0,R0; 10$: INCL R0; MOVL R0,@#^X1100; CMPL R0,#1000; BNEQ 10$; HALT
  const count = file(
    'count.bin',
    assemble(
      '\tMOVL #0,R0\n10$:\tINCL R0\n\tMOVL R0,@#^X1100\n\tCMPL R0,#1000\n\tBNEQ 10$\n\tHALT',
      { base: 0x1000 },
    ).image,
  )
  const loop = file('loop.bin', Uint8Array.from([0x11, 0xfe])) // 10$: BRB 10$

  it('a run in small slices ends in the same state as one in large slices', async () => {
    const args = ['run', count, '--json', '--dump', '0x1100:4'] as const
    const whole = await vax(...args)
    const sliced = await vaxWith({ slice: 7 }, ...args)
    expect(JSON.parse(whole.stdout)).toMatchObject({ halted: 'HALT', steps: 4002 })
    expect(sliced.stdout).toBe(whole.stdout)
    const limited = await vaxWith({ slice: 7 }, 'run', count, '--json', '--max-steps', '555')
    expect(JSON.parse(limited.stdout)).toMatchObject({ halted: 'max-steps', steps: 555 })
  })

  /** An interrupt that comes as soon as the machine has run one slice. */
  function interruptAtOnce() {
    const calls = { subscribed: 0, unsubscribed: 0 }
    const options: MainOptions = {
      slice: 1000,
      interrupts: (stop) => {
        calls.subscribed++
        setImmediate(stop)
        return () => calls.unsubscribed++
      },
    }
    return { calls, options }
  }

  it('Ctrl-C prints the machine state with the reason, status 130', async () => {
    const { calls, options } = interruptAtOnce()
    const { status, stdout } = await vaxWith(options, 'run', loop)
    expect(status).toBe(130)
    expect(stdout.split('\n')[0]).toBe(
      'interrupted (Ctrl-C), PC: 00001000, PSL: 041F0000, 1000 instructions',
    )
    expect(stdout).toContain('R15=00001000')
    expect(calls).toEqual({ subscribed: 1, unsubscribed: 1 })
  })

  it('with --json an interrupted run is halted "error" with error "interrupted"', async () => {
    const { options } = interruptAtOnce()
    const { status, stdout } = await vaxWith(options, 'run', loop, '--json', '--dump', '0x1000:2')
    expect(status).toBe(130)
    expect(JSON.parse(stdout)).toEqual({
      halted: 'error',
      error: 'interrupted',
      pc: 0x1000,
      psl: 0x041f0000,
      r: [...Array(15).fill(0), 0x1000],
      steps: 1000,
      dump: { '0x1000': '11fe' },
    })
  })

  it('SIGINT to the real command stops an endless loop and prints the state', async () => {
    // MTPR #^A/!/,#^X23 (a character to the console: the machine is running); BRB .
    const image = file(
      'ctrl-c.bin',
      assemble('\tMTPR #^A/!/,#^X23\n10$:\tBRB 10$', { base: 0x1000 }).image,
    )
    const root = resolve(import.meta.dirname, '../../..')
    const child = spawn(
      process.execPath,
      ['--conditions=@vax-vms/source', '--import', 'tsx', 'apps/vax/src/cli.ts', 'run', image],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    let stdout = ''
    let sent = false
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (stdout.startsWith('!') && !sent) sent = child.kill('SIGINT')
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const status = await new Promise<number | null>((done) => child.on('close', done))
    expect(stderr).toBe('')
    expect(status).toBe(130)
    expect(stdout).toMatch(
      /^!interrupted \(Ctrl-C\), PC: 0000100\d, PSL: 041F00\d\d, \d+ instructions\n/,
    )
  })
})

describe('vax asm and disasm: limits, errors, round trip (README "Limits and errors", "Round trip")', () => {
  it('-o into a missing directory is one line, status 2', async () => {
    const source = file('ok.mar', '\tHALT\n')
    const { status, stderr } = await vax('asm', source, '-o', join(dir, 'nope', 'x.bin'))
    expect(status).toBe(2)
    expect(stderr.split('\n')[0]).toBe(
      `vax: cannot write ${join(dir, 'nope', 'x.bin')}: ENOENT (no such file or directory)`,
    )
  })

  it('a source of random bytes or with a CR in a line gets diagnostics, status 1', async () => {
    const random = file(
      'random.mar',
      Uint8Array.from({ length: 4000 }, (_, i) => (i * 97 + 13) % 256),
    )
    const result = await vax('asm', random, '-o', join(dir, 'random.bin'))
    expect(result.status).toBe(1)
    const lines = result.stderr.trimEnd().split('\n')
    expect(lines.length).toBeLessThanOrEqual(101)
    for (const line of lines) {
      expect(line).toMatch(/^\S+random\.mar(:\d+:\d+: error: | \d+ more error)/)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: none may reach the terminal
      expect(line).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/)
    }
    const cr = file('cr.mar', '\tMOVL #1,R0\r\tHALT\n')
    expect((await vax('asm', cr, '-o', join(dir, 'cr.bin'))).stderr).toMatch(
      /cr\.mar:1:\d+: error: /,
    )
  })

  it('an image beyond 64 MiB is an error on its line, status 1', async () => {
    const source = file('huge.mar', '\tNOP\n\t.BLKB 500000000\n')
    const result = await vax('asm', source, '-o', join(dir, 'huge.bin'))
    expect(result.status).toBe(1)
    expect(result.stderr).toBe(
      `${source}:2:2: error: 500000000 byte(s) at ^X1 reach beyond the 64 MiB image maximum (base ^X0)\n`,
    )
  })

  it('--base is hexadecimal with or without 0x, and at most 32 bits', async () => {
    const source = file('here.mar', 'here:\t.ADDRESS here\n')
    await vax('asm', source, '-o', join(dir, 'a.bin'), '--base', '1000')
    await vax('asm', source, '-o', join(dir, 'b.bin'), '--base', '0x1000')
    expect([...readFileSync(join(dir, 'a.bin'))]).toEqual([0x00, 0x10, 0, 0])
    expect([...readFileSync(join(dir, 'b.bin'))]).toEqual([0x00, 0x10, 0, 0])
    const d = await vax('disasm', join(dir, 'a.bin'), '--base', '0xFFFFFFFE')
    expect(d.status).toBe(2)
    expect(d.stderr).toMatch(
      /^vax: \S+a\.bin: 4 bytes at 0xfffffffe go past the 32-bit address space/,
    )
    expect(
      (await vax('asm', source, '-o', join(dir, 'c.bin'), '--base', '100000000')).stderr,
    ).toMatch(/^vax: --base: 100000000 is not a 32-bit address/)
  })

  it('vax asm of vax disasm --source at the same base gives back the same bytes', async () => {
    const bytes = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919 + (i >> 3)) % 256)
    const image = file('any.bin', bytes)
    const dis = await vax('disasm', image, '--source', '--base', '0x7FFFF000')
    expect(dis.status).toBe(0)
    const source = file('any.mar', dis.stdout)
    const again = join(dir, 'any-again.bin')
    expect((await vax('asm', source, '-o', again, '--base', '7FFFF000')).status).toBe(0)
    expect(Buffer.from(readFileSync(again)).equals(Buffer.from(bytes))).toBe(true)
  })
})

describe('the command as a process', () => {
  it('prints a usage error without a stack trace', async () => {
    const root = resolve(import.meta.dirname, '../../..')
    const run = promisify(execFile)
    const failure = await run(
      process.execPath,
      [
        '--conditions=@vax-vms/source',
        '--import',
        'tsx',
        'apps/vax/src/cli.ts',
        'run',
        'x',
        '--pc',
      ],
      { cwd: root },
    ).catch((e: { code: number; stderr: string }) => e)
    expect('code' in failure && failure.code).toBe(2)
    expect('stderr' in failure && failure.stderr.split('\n')[0]).toBe('vax: --pc needs a value')
  })
})

describe('vax run --no-jit (issue 18: translation switchable, with statistics)', () => {
  // MOVL #40,R6; 10$: INCL R0; SOBGTR R6,10$; HALT: hot enough to be translated.
  const loop = file(
    'hot-loop.bin',
    Uint8Array.from([0xd0, 0x28, 0x56, 0xd6, 0x50, 0xf5, 0x56, 0xfb, 0]),
  )

  it('prints the translator statistics after the registers', async () => {
    const { status, stdout } = await vax('run', loop)
    expect(status).toBe(0)
    expect(stdout).toMatch(/^HALT instruction/)
    expect(stdout).toMatch(/\ntranslation: [1-9]\d* blocks compiled .*hit rate [\d.]+%/)
  })

  it('with --no-jit interprets every instruction, to the same state', async () => {
    const on = await vax('run', loop, '--json')
    const off = await vax('run', loop, '--json', '--no-jit')
    expect(JSON.parse(off.stdout)).toEqual(JSON.parse(on.stdout))
    expect((await vax('run', loop, '--no-jit')).stdout).toMatch(/\ntranslation: off/)
  })
})
