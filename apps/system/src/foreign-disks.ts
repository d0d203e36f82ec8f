import { existsSync } from 'node:fs'
import { SerialDasdAdapter, SerialDasdController, SerialDasdDriver } from '@aix/serdasd'
import { NODEV, ORDWR, Vdm, vdmphyscreateinstance } from '@dgux/vdm-mirror'
import { type BlockDevice, BlockDeviceError, FileBlockDevice } from '@vax-vms/block-device'

/**
 * The foreign storage packages as VMS disk units (ARCHITECTURE.md: they meet on the
 * block-device interface): a DG/UX mirror assembled from its image files, and a serial
 * DASD reached through the AIX driver as host connector 0. Each is opened here and
 * handed to a disk driver as a `BlockDevice`.
 */

/**
 * A DG/UX mirror on image files made by `pnpm vdm create` (vdmmirr(7)): the files are
 * attached as physical disks, the mirror assembled from their labels (with automatic
 * synchronization after an unclean shutdown, as the page describes), opened, and its
 * descriptor seen as a block device. Closing it closes the mirror cleanly.
 */
export function openMirrorDisk(files: readonly string[]): BlockDevice {
  const vdm = new Vdm()
  const devices: FileBlockDevice[] = []
  const fail = (message: string): never => {
    for (const d of devices) d.close()
    throw new BlockDeviceError('ENXIO', message)
  }
  for (const [i, file] of files.entries()) {
    if (!existsSync(file)) fail(`${file} does not exist`)
    const device = FileBlockDevice.open(file)
    devices.push(device)
    vdm.attachDisk(file, device)
    if (vdmphyscreateinstance(vdm, `image${i}`, file, ORDWR) === NODEV)
      fail(`${file}: ${vdm.errorMessage}`)
  }
  const mirrors = vdm.assembleMirrors()
  const mirror = mirrors[0]
  if (mirrors.length !== 1 || mirror === undefined)
    return fail(`the images hold ${mirrors.length} mirrors, not one`)
  vdm.syncAll()
  const fd = vdm.open(mirror)
  if (fd < 0) return fail(`the mirror does not open: ${vdm.errno} ${vdm.errorMessage}`)
  const disk = vdm.blockDevice(fd)
  return {
    blocks: disk.blocks,
    read: (block, buffer) => disk.read(block, buffer),
    write: (block, data) => disk.write(block, data),
    flush: () => disk.flush(),
    close: () => {
      disk.close()
      for (const d of devices) d.close()
    },
  }
}

/**
 * A serial DASD on a media file, opened through the AIX serial DASD driver as host
 * connector 0 (which reserves it). A read or write the driver refuses (a reservation or
 * fence of another host, a media error) is the block device's EIO.
 */
export function openSerialDasdDisk(file: string): BlockDevice {
  if (!existsSync(file)) throw new BlockDeviceError('ENXIO', `${file} does not exist`)
  const media = FileBlockDevice.open(file)
  const controller = new SerialDasdController({ dasds: [{ media }] })
  const driver = new SerialDasdDriver({
    adapter: new SerialDasdAdapter(controller, 0, 'serdasda0'),
    dasd: 0,
    name: 'hdisk0',
  })
  const opened = driver.open()
  if (!opened.ok) {
    media.close()
    throw new BlockDeviceError('ENXIO', `the serial DASD does not open: ${opened.errno}`)
  }
  const fd = opened.rc
  const check = (result: { ok: boolean; errno?: string }, what: string) => {
    if (!result.ok) throw new BlockDeviceError('EIO', `${what}: ${result.errno ?? 'failed'}`)
  }
  return {
    blocks: media.blocks,
    read: (block, buffer) => check(driver.read(fd, buffer, block * 512), `read at block ${block}`),
    write: (block, data) => check(driver.write(fd, data, block * 512), `write at block ${block}`),
    flush: () => media.flush(),
    close: () => {
      driver.close(fd)
      media.close()
    },
  }
}
