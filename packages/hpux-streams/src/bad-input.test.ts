/**
 * Untrusted input at every entry point: each call either works or throws a StreamsError,
 * never a host exception; a refused call (other than flow control's EAGAIN) leaves the
 * whole framework state as it was; and the stream keeps working afterwards.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CLONE_MAJOR, makedev } from './device'
import { Errno, StreamsError } from './errno'
import { echoDriver } from './examples/echo'
import { configureMaster } from './master'
import type { StreamFile } from './stream-file'
import type { Streams } from './streams'
import {
  I_FIND,
  I_FLUSH,
  I_GRDOPT,
  I_LOOK,
  I_NREAD,
  I_POP,
  I_PUSH,
  I_SRDOPT,
  I_STR,
} from './stropts'
import { bytes, system, text } from './test-kit'

type Op = (s: Streams, f: StreamFile) => unknown

const junk = fc.oneof(
  fc.anything(),
  fc.integer({ min: -3, max: 0x10000 }),
  fc.string({ maxLength: 10 }),
  fc.uint8Array({ maxLength: 40 }),
  fc.constantFrom('upper', 'nosuch', '', null, undefined, Number.NaN, 2 ** 40),
)
const cmd = fc.oneof(
  fc.constantFrom(I_PUSH, I_POP, I_LOOK, I_FIND, I_FLUSH, I_NREAD, I_SRDOPT, I_GRDOPT, I_STR),
  fc.integer(),
  junk,
)

const op: fc.Arbitrary<[string, Op]> = fc.oneof(
  fc
    .tuple(cmd, junk)
    .map(([c, a]): [string, Op] => [`ioctl(${String(c)})`, (_s, f) => f.ioctl(c as number, a)]),
  junk.map((d): [string, Op] => ['write', (_s, f) => f.write(d as Uint8Array)]),
  fc
    .tuple(junk, junk, junk)
    .map(([c, d, fl]): [string, Op] => [
      'putmsg',
      (_s, f) => f.putmsg(c as Uint8Array, d as Uint8Array, fl as number),
    ]),
  junk.map((n): [string, Op] => ['read', (_s, f) => f.read(n as number)]),
  junk.map((o): [string, Op] => ['getmsg', (_s, f) => f.getmsg(o as object)]),
  junk.map((n): [string, Op] => ['flush', (_s, f) => f.flush(n as number)]),
  junk.map((n): [string, Op] => ['push', (_s, f) => f.push(n as string)]),
  fc
    .tuple(junk, junk)
    .map(([d, o]): [string, Op] => ['openDev', (s) => s.openDev(d as number, o as number)]),
  fc
    .tuple(junk, junk, junk, junk)
    .map(([n, t, M, m]): [string, Op] => [
      'mknod',
      (s) => s.mknod(n as string, t as 'c', M as number, m as number),
    ]),
  fc
    .tuple(junk, junk)
    .map(([i, o]): [string, Op] => [
      'installDriver',
      (s) => s.installDriver(i as never, o as never),
    ]),
  junk.map((i): [string, Op] => ['strInstall', (s) => s.strInstall(i as never)]),
  junk.map((p): [string, Op] => ['open', (s) => s.open(p as string)]),
)

/** Runs the operations on a fresh system; checks the rules after each. */
function check(ops: Array<[string, Op]>): void {
  const { s } = system()
  const f = s.open('/dev/echo0')
  f.push('upper')
  for (const [name, run] of ops) {
    const before = JSON.stringify(s.snapshot())
    try {
      run(s, f)
    } catch (e) {
      if (!(e instanceof StreamsError)) throw new Error(`${name}: host exception ${String(e)}`)
      if (e.code !== Errno.EAGAIN)
        expect(JSON.stringify(s.snapshot()), `${name}: ${e.message}`).toBe(before)
    }
  }
  // Still working: a fresh open of the echo device echoes.
  const g = s.openDev(makedev(s.switch.driverNamed('echo')?.major ?? 0, 1))
  g.write(bytes('alive'))
  expect(text(g.read(10))).toBe('alive')
}

/** STREAMS_FUZZ_RUNS=2000 pnpm exec vitest run packages/hpux-streams for a longer run. */
const RUNS = Number(process.env.STREAMS_FUZZ_RUNS ?? 40)

describe('bad input changes nothing (randomized)', () => {
  for (let seed = 1; seed <= 8; seed++) {
    it(`seed ${seed}: ${RUNS} sequences of up to 12 random calls`, () => {
      fc.assert(
        fc.property(fc.array(op, { maxLength: 12 }), (ops) => check(ops)),
        {
          seed,
          numRuns: RUNS,
        },
      )
    })
  }
})

/** Master file text from plausible and implausible pieces. */
const masterText = fc
  .array(
    fc.oneof(
      fc.constantFrom('$DEVICE', '$DRIVER_INSTALL', '$$$', '$TUNABLE', '* comment', '/* c */', ''),
      fc
        .array(
          fc.oneof(
            fc.constantFrom('echo', 'y', 'y', 'x', '-1', '75', '80FC', '0x8000', '21', '256', '-2'),
            fc.string({ maxLength: 4 }),
          ),
          {
            maxLength: 7,
          },
        )
        .map((f) => f.join(' ')),
    ),
    { maxLength: 10 },
  )
  .map((lines) => lines.join('\n'))

describe('master files from untrusted text', () => {
  for (let seed = 1; seed <= 4; seed++) {
    it(`seed ${seed}: parse and configure either work or throw StreamsError, all or nothing`, () => {
      fc.assert(
        fc.property(masterText, junk, (text, drivers) => {
          const { s } = system()
          const before = JSON.stringify(s.snapshot())
          const table = {
            echo: { streamtab: echoDriver },
            x: drivers,
            y: { streamtab: echoDriver },
          }
          try {
            configureMaster(s, text, table as never)
          } catch (e) {
            if (!(e instanceof StreamsError)) throw e
            expect(JSON.stringify(s.snapshot())).toBe(before)
          }
        }),
        { seed, numRuns: RUNS },
      )
    })
  }
})

describe('bad input named by the issue', () => {
  it('an unknown ioctl, I_POP on an empty stack and a driver returning an invalid device number each get their errno, and the streams keep working', () => {
    const { s, loopMajor } = system()
    const f = s.open('/dev/echo0')
    const before = JSON.stringify(s.snapshot())
    expect(() => f.ioctl(0x6601)).toThrow(/^EINVAL/)
    expect(() => f.ioctl(I_POP)).toThrow(/^EINVAL/)
    expect(() => s.openDev(makedev(CLONE_MAJOR, 250))).toThrow(/^ENXIO/)
    expect(JSON.stringify(s.snapshot())).toBe(before)
    f.write(bytes('still'))
    expect(text(f.read(10))).toBe('still')
    expect(s.openDev(makedev(CLONE_MAJOR, loopMajor)).dev >>> 24).toBe(loopMajor)
  })
})
