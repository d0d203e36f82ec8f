import { BLOCK_SIZE, MemoryBlockDevice } from '@vax-vms/block-device'
import { SerialDasdAdapter } from './adapter'
import { fenceBit, IOC, SC } from './constants'
import { SerialDasdController } from './controller'
import { ROOT, SerialDasdDriver } from './driver'
import { ErrorLog, formatErrorReport } from './error-log'
import { sdIoctlParms } from './structures'

export interface RunDemoOptions {
  /** Where the narration goes (default: console.log). */
  readonly print?: (line: string) => void
  /** Append host A's error log to this file too. */
  readonly errorLogFile?: string
  /** Writes host A attempts after it has been fenced out (default 5). */
  readonly attemptsAfterFence?: number
}

export interface DemoReport {
  /** Writes of host A that succeeded before the takeover. */
  readonly writesBeforeTakeover: number
  /** Writes host A attempted after the fence, and how many of them failed. */
  readonly attemptsAfterFence: number
  readonly failedAfterFence: number
  /** Blocks on the media that hold data host A wrote after the fence (must be 0). */
  readonly landedAfterFence: number
  /** The errno host A's writes got after the fence. */
  readonly errnoAfterFence: string
}

/** A block filled with `tag` and a sequence number, so the media shows who wrote it. */
function stamped(tag: number, sequence: number): Uint8Array {
  const block = new Uint8Array(BLOCK_SIZE)
  block.fill(tag)
  block[0] = sequence & 0xff
  block[1] = (sequence >>> 8) & 0xff
  return block
}

/**
 * The two-host failover: host A owns the DASD (reserved) and writes; host B, seeing A
 * fail, breaks the reservation with a forced open, fences A out with SD_SET_FENCE and
 * writes. Every write A attempts after the fence fails, and none of them reaches the
 * media (checked block by block against the media itself).
 */
export function runTwoHostDemo(options: RunDemoOptions = {}): DemoReport {
  const print = options.print ?? ((line: string) => console.log(line))
  // Each host has its own error log, as each AIX system has; the file (if any) is A's.
  const log = new ErrorLog(options.errorLogFile ? { file: options.errorLogFile } : {})
  const logB = new ErrorLog()
  const controller = new SerialDasdController({ dasds: [{ media: new MemoryBlockDevice(1040) }] })
  const hostA = new SerialDasdDriver({
    adapter: new SerialDasdAdapter(controller, 0, 'serdasda0'),
    dasd: 0,
    name: 'hdisk0',
    errorLog: log,
  })
  const hostB = new SerialDasdDriver({
    adapter: new SerialDasdAdapter(controller, 1, 'serdasda1'),
    dasd: 0,
    name: 'hdisk0',
    errorLog: logB,
  })
  const A = 0xaa
  const B = 0xbb

  const fdA = hostA.open()
  if (!fdA.ok) throw new Error(`host A open: ${fdA.errno}`)
  print(`host A (connector 0) opens hdisk0 and reserves it: fd ${fdA.rc}`)
  let writesBeforeTakeover = 0
  for (let i = 0; i < 8; i++) {
    const r = hostA.write(fdA.rc, stamped(A, i), i * BLOCK_SIZE)
    if (r.ok) writesBeforeTakeover++
  }
  print(`host A writes blocks 0-7: ${writesBeforeTakeover} of 8 succeed`)

  const tryB = hostB.open()
  print(
    `host B (connector 1) tries a normal open: ${tryB.ok ? 'ok' : tryB.errno} (A holds the reservation)`,
  )

  print('host A stops answering heartbeats; host B takes over:')
  const fdB = hostB.openx(SC.FORCED_OPEN, ROOT)
  if (!fdB.ok) throw new Error(`host B forced open: ${fdB.errno}`)
  print(`  openx(SC_FORCED_OPEN): the DASD reset breaks A's reservation, B reserves: fd ${fdB.rc}`)
  const parms = sdIoctlParms({ resvd1: fenceBit(0), resvd2: fenceBit(0) })
  const set = hostB.ioctl(fdB.rc, IOC.SD_SET_FENCE, parms, ROOT)
  if (!set.ok) throw new Error(`host B SD_SET_FENCE: ${set.errno}`)
  const hex = (n: number) => `0x${n.toString(16).padStart(4, '0')}`
  print(
    `  SD_SET_FENCE mask ${hex(parms.resvd1)} data ${hex(parms.resvd2)}: position ${hex(parms.resvd3)}, old fence ${hex(parms.resvd4)}, fence now ${hex(parms.resvd5)}`,
  )
  for (let i = 0; i < 8; i++) hostB.write(fdB.rc, stamped(B, i), (8 + i) * BLOCK_SIZE)
  print('  host B writes blocks 8-15')

  const attempts = options.attemptsAfterFence ?? 5
  let failed = 0
  let errno = ''
  for (let i = 0; i < attempts; i++) {
    const r = hostA.write(fdA.rc, stamped(A, 100 + i), (i % 16) * BLOCK_SIZE)
    if (!r.ok) {
      failed++
      errno = r.errno
    }
  }
  print(`host A comes back and writes ${attempts} times: ${failed} fail with ${errno || 'nothing'}`)

  // The ground truth: which blocks hold A's post-fence data?
  let landed = 0
  for (let i = 0; i < 16; i++) {
    const block = controller.readMedia(0, i, 1)
    const sequence = (block[0] ?? 0) | ((block[1] ?? 0) << 8)
    if (block[2] === A && sequence >= 100) landed++
  }
  print(`blocks on the media written by host A after the fence: ${landed}`)
  print('')
  print("host A's error log (newest first):")
  print(formatErrorReport(log.records()))
  return {
    writesBeforeTakeover,
    attemptsAfterFence: attempts,
    failedAfterFence: failed,
    landedAfterFence: landed,
    errnoAfterFence: errno,
  }
}
