import { PassThrough, Transform, type TransformCallback } from 'node:stream'
import {
  CLONE_MAJOR,
  createLoopDriver,
  DRV_CHAR,
  DRV_PSEUDO,
  INFPSZ,
  LOOP_SET,
  minor,
  putnext,
  STR_IS_DEVICE,
  STR_IS_MODULE,
  Streams,
  type Streamtab,
  UPPER_CASE,
  upperModule,
} from '@hpux/streams'

const SIZE = 64 // bytes a message
const BATCH = 32 // messages written before they are read back
const ROUNDS = 6

/** The same byte transformation as the upper module's. */
function upcase(b: Uint8Array): void {
  for (let i = 0; i < b.length; i++) b[i] = UPPER_CASE[b[i] as number] as number
}

function payload(): Uint8Array {
  const b = new Uint8Array(SIZE)
  for (let i = 0; i < SIZE; i++) b[i] = 0x61 + (i % 26)
  return b
}

/** A module that passes every message on (the STREAMS counterpart of a PassThrough). */
const passInfo = { id: 0x7061, name: 'pass', minpsz: 0, maxpsz: INFPSZ, hiwat: 4096, lowat: 1024 }
const passModule: Streamtab = {
  rdinit: { put: putnext, open: () => 0, minfo: passInfo },
  wrinit: { put: putnext, minfo: passInfo },
}

type Kind = 'upper' | 'pass'

/**
 * One stream: the loop driver opened through the clone device, connected to itself
 * (LOOP_SET), with a module pushed twice. A message goes down through the stream head,
 * both modules' write put procedures and the driver, and back up through both modules'
 * read put procedures to the stream head, where read() takes it.
 */
function streamsPipeline(kind: Kind, scheduling: 'auto' | 'manual') {
  const s = new Streams({ scheduling })
  const loop = createLoopDriver(4)
  const info = {
    name: 'loop',
    class: 'pseudo',
    flags: DRV_CHAR | DRV_PSEUDO,
    blockMajor: -1,
    charMajor: -1,
  }
  const major = s.installDriver(info, { flags: 0 })
  const common = { major: -1, syncLevel: 0, syncName: '' }
  s.strInstall({ ...common, name: 'loop', streamtab: loop.streamtab, flags: STR_IS_DEVICE })
  s.strInstall({ ...common, name: 'upper', streamtab: upperModule, flags: STR_IS_MODULE })
  s.strInstall({ ...common, name: 'pass', streamtab: passModule, flags: STR_IS_MODULE })
  s.mknod('/dev/loop', 'c', CLONE_MAJOR, major)
  const f = s.open('/dev/loop')
  const arg = new Uint8Array(4)
  new DataView(arg.buffer).setInt32(0, minor(f.dev))
  f.str(LOOP_SET, arg)
  f.push(kind)
  f.push(kind)
  return { s, f }
}

function runStreams(kind: Kind, scheduling: 'auto' | 'manual', seconds: number): number {
  const { s, f } = streamsPipeline(kind, scheduling)
  const msg = payload()
  let done = 0
  let check = 0
  const start = performance.now()
  const deadline = start + seconds * 1000
  while (performance.now() < deadline) {
    for (let k = 0; k < 64; k++) {
      for (let i = 0; i < BATCH; i++) f.write(msg)
      if (scheduling === 'manual') s.runqueues()
      for (let i = 0; i < BATCH; i++) check += f.read(SIZE)[SIZE - 1] as number
      done += BATCH
    }
  }
  const rate = done / ((performance.now() - start) / 1000)
  const last = kind === 'upper' ? 0x4c : 0x6c // 'L' or 'l'
  if (check !== done * last) throw new Error(`streams ${kind}: wrong data came back`)
  return rate
}

/**
 * The same work in Node streams, piped: two Transforms for the modules' write sides
 * (upper-casing, or passing on), a PassThrough for the loop driver, and two PassThroughs
 * for the modules' read sides.
 */
async function runNode(kind: Kind, seconds: number): Promise<number> {
  const module = () =>
    kind === 'pass'
      ? new PassThrough()
      : new Transform({
          transform(chunk: Buffer, _enc, cb: TransformCallback) {
            upcase(chunk)
            cb(null, chunk)
          },
        })
  const head = module()
  let tail: Transform = head
  for (const stage of [module(), new PassThrough(), new PassThrough(), new PassThrough()])
    tail = tail.pipe(stage)
  let received = 0
  let wake: (() => void) | null = null
  let want = 0
  tail.on('data', (chunk: Buffer) => {
    received += chunk.length
    if (wake && received >= want) {
      const w = wake
      wake = null
      w()
    }
  })
  const msg = payload()
  let done = 0
  const start = performance.now()
  const deadline = start + seconds * 1000
  while (performance.now() < deadline) {
    for (let i = 0; i < BATCH; i++) head.write(Buffer.from(msg))
    done += BATCH
    want = done * SIZE
    if (received < want)
      await new Promise<void>((r) => {
        wake = r
      })
  }
  const rate = done / ((performance.now() - start) / 1000)
  head.end()
  if (received !== done * SIZE) throw new Error('node: data lost')
  return rate
}

const num = (n: number) => Math.round(n).toLocaleString('en-US').padStart(12)

/**
 * `pnpm bench streams`: messages per second through the stream head, two pushed modules
 * and the loopback driver (down and back up), against the equivalent pipeline of Node
 * stream.Transform objects, in the same run. Rounds alternate the pipelines so that load
 * from other processes falls on all of them alike; each reports its best round.
 */
export default async function runStreamsBenchmarks(seconds = 0.4): Promise<void> {
  console.log(`@hpux/streams: ${SIZE}-byte messages per second, ${BATCH} written then read back`)
  console.log('  path: head -> module -> module -> loop driver -> module -> module -> head')
  console.log(
    `  ${'modules'.padEnd(30)}${'auto'.padStart(12)}${'manual'.padStart(12)}${'Node'.padStart(12)}${'auto/Node'.padStart(11)}`,
  )
  for (const kind of ['pass', 'upper'] as const) {
    const best = { auto: 0, manual: 0, node: 0 }
    const runs: Array<() => Promise<void>> = [
      async () => {
        best.node = Math.max(best.node, await runNode(kind, seconds))
      },
      async () => {
        best.auto = Math.max(best.auto, runStreams(kind, 'auto', seconds))
      },
      async () => {
        best.manual = Math.max(best.manual, runStreams(kind, 'manual', seconds))
      },
    ]
    // Each round starts with a different pipeline, so none always follows the same one.
    for (let round = 0; round < ROUNDS; round++)
      for (let i = 0; i < runs.length; i++)
        await (runs[(round + i) % runs.length] as () => Promise<void>)()
    const label = kind === 'pass' ? 'pass-through x2' : 'upper x2 (upper-casing)'
    console.log(
      `  ${label.padEnd(30)}${num(best.auto)}${num(best.manual)}${num(best.node)}${`${(best.auto / best.node).toFixed(1)}x`.padStart(11)}`,
    )
  }
}
