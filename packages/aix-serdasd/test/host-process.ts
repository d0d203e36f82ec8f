/**
 * One host in its own process, for the multi-process test:
 *
 *   node --conditions=@vax-vms/source --import tsx host-process.ts A|B STATE MEDIA
 *
 * A (connector 0) opens the shared DASD and writes stamped blocks as fast as it can
 * until 20 writes in a row fail. B (connector 1) waits until A has written 50 blocks,
 * then takes over: forced open, SD_SET_FENCE on A, and writes its own blocks. Each
 * prints one JSON line describing what it saw.
 */
import { FileBlockDevice } from '@vax-vms/block-device'
import {
  IOC,
  ROOT,
  SC,
  SerialDasdAdapter,
  SerialDasdController,
  SerialDasdDriver,
  sdIoctlParms,
} from '../src/index'
import { stamped, stampOf } from './harness'

const [role, stateFile, mediaFile] = process.argv.slice(2) as [string, string, string]
const media = FileBlockDevice.open(mediaFile)
const controller = SerialDasdController.shared({ stateFile, dasds: [{ media, spares: 8 }] })
const connector = role === 'A' ? 0 : 1
const driver = new SerialDasdDriver({
  adapter: new SerialDasdAdapter(controller, connector),
  dasd: 0,
})
const BLOCKS = 64

if (role === 'A') {
  const fd = driver.open()
  if (!fd.ok) throw new Error(`A open: ${fd.errno}`)
  let sequence = 0
  let lastOk = 0
  let firstFailure = 0
  let okAfterFailure = 0
  let failuresInARow = 0
  const errnos = new Set<string>()
  const deadline = Date.now() + 30_000
  while (failuresInARow < 20 && Date.now() < deadline) {
    sequence++
    const r = driver.write(fd.rc, stamped(0, sequence), (sequence % BLOCKS) * 512)
    if (r.ok) {
      lastOk = sequence
      failuresInARow = 0
      if (firstFailure) okAfterFailure++
    } else {
      errnos.add(r.errno)
      failuresInARow++
      if (!firstFailure) firstFailure = sequence
    }
  }
  console.log(
    JSON.stringify({
      role,
      attempts: sequence,
      lastOk,
      firstFailure,
      okAfterFailure,
      errnos: [...errnos],
    }),
  )
} else {
  // Wait for A's 50th write to reach the media.
  const deadline = Date.now() + 30_000
  for (;;) {
    const blocks = controller.readMedia(0, 0, BLOCKS)
    let highest = 0
    for (let b = 0; b < BLOCKS; b++)
      highest = Math.max(highest, stampOf(blocks.subarray(b * 512, (b + 1) * 512))?.[1] ?? 0)
    if (highest >= 50) break
    if (Date.now() > deadline) throw new Error('A never wrote 50 blocks')
  }
  const fd = driver.openx(SC.FORCED_OPEN, ROOT)
  if (!fd.ok) throw new Error(`B forced open: ${fd.errno}`)
  const parms = sdIoctlParms({ resvd1: 0x8000, resvd2: 0x8000 })
  const set = driver.ioctl(fd.rc, IOC.SD_SET_FENCE, parms)
  if (!set.ok) throw new Error(`B fence: ${set.errno}`)
  let written = 0
  for (let i = 0; i < 16; i++)
    if (driver.write(fd.rc, stamped(1, 1_000_000 + i), (BLOCKS + i) * 512).ok) written++
  console.log(
    JSON.stringify({ role, fence: controller.inspect(0).fence, position: parms.resvd3, written }),
  )
}
controller.close()
media.close()
