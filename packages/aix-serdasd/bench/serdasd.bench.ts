import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SerialDasdAdapter, SerialDasdController, SerialDasdDriver } from '@aix/serdasd'
import { type BlockDevice, FileBlockDevice, MemoryBlockDevice } from '@vax-vms/block-device'

const IO = 4096
const BLOCKS = 8192 // 4 MiB of addressable space
const SPARES = 16

/** Something that moves 4 KiB at a byte offset. */
interface Target {
  read(buffer: Uint8Array, offset: number): void
  write(data: Uint8Array, offset: number): void
}

function raw(device: BlockDevice): Target {
  return {
    read: (buffer, offset) => device.read(offset / 512, buffer),
    write: (data, offset) => device.write(offset / 512, data),
  }
}

function driverOver(controller: SerialDasdController): Target {
  const driver = new SerialDasdDriver({ adapter: new SerialDasdAdapter(controller, 0), dasd: 0 })
  const fd = driver.open()
  if (!fd.ok) throw new Error(fd.errno)
  return {
    read: (buffer, offset) => {
      if (!driver.read(fd.rc, buffer, offset).ok) throw new Error('read failed')
    },
    write: (data, offset) => {
      if (!driver.write(fd.rc, data, offset).ok) throw new Error('write failed')
    },
  }
}

/** 4 KiB operations per second at pseudo-random aligned offsets for about `seconds`. */
function rate(target: Target, op: 'read' | 'write', seconds: number): number {
  const buffer = new Uint8Array(IO).fill(0x5a)
  const slots = (BLOCKS * 512) / IO
  let x = 12345
  let done = 0
  const start = performance.now()
  const deadline = start + seconds * 1000
  while (performance.now() < deadline) {
    for (let k = 0; k < 256; k++, done++) {
      x = (x * 1103515245 + 12345) >>> 0
      const offset = (x % slots) * IO
      if (op === 'read') target.read(buffer, offset)
      else target.write(buffer, offset)
    }
  }
  return done / ((performance.now() - start) / 1000)
}

/** Runs raw and driver alternately (twice each) and keeps the best of each, to damp noise. */
function compare(name: string, rawTarget: Target, driverTarget: Target, seconds: number): void {
  for (const op of ['read', 'write'] as const) {
    let best = [0, 0]
    for (let round = 0; round < 2; round++) {
      best = [
        Math.max(best[0] ?? 0, rate(rawTarget, op, seconds)),
        Math.max(best[1] ?? 0, rate(driverTarget, op, seconds)),
      ]
    }
    const [r, d] = best as [number, number]
    const overhead = ((r - d) / r) * 100
    console.log(
      `  ${`${name} ${op}`.padEnd(44)}${num(r)}${num(d)}${`${overhead.toFixed(0)}%`.padStart(10)}`,
    )
  }
}

const num = (n: number) => Math.round(n).toLocaleString('en-US').padStart(14)

/** `pnpm bench serdasd`: 4 KiB operations per second, raw device against the full driver stack. */
export default function runSerdasdBenchmarks(seconds = 0.5): void {
  console.log(
    '@aix/serdasd: 4 KiB reads and writes per second, raw block device vs driver -> adapter -> controller -> DASD',
  )
  console.log(
    `  ${'backing, state, operation'.padEnd(44)}${'raw'.padStart(14)}${'driver'.padStart(14)}${'overhead'.padStart(10)}`,
  )

  const memory = new MemoryBlockDevice(BLOCKS + SPARES)
  const memController = new SerialDasdController({ dasds: [{ media: memory, spares: SPARES }] })
  compare('memory, in-process state', raw(memory), driverOver(memController), seconds)

  const dir = mkdtempSync(join(tmpdir(), 'serdasd-bench-'))
  try {
    const file = FileBlockDevice.create(join(dir, 'dasd.img'), BLOCKS + SPARES)
    const fileController = new SerialDasdController({ dasds: [{ media: file, spares: SPARES }] })
    compare('file, in-process state', raw(file), driverOver(fileController), seconds)
    const shared = SerialDasdController.shared({
      stateFile: join(dir, 'dasd.img.state'),
      dasds: [{ media: file, spares: SPARES }],
    })
    compare('file, state shared between processes', raw(file), driverOver(shared), seconds)
    file.close()
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
