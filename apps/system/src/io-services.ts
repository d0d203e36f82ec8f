import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { type BlockDevice, FileBlockDevice } from '@vax-vms/block-device'
import {
  type ConsoleCommand,
  formatStatus,
  isSuccess,
  readItemList,
  type ServiceRequest,
  SS,
  type Status,
  type SystemService,
  writeItem,
} from '@vms/contracts'
import { DEV, DVI, type IoSystem, type Mode, type Ucb } from '@vms/io'
import { openMirrorDisk, openSerialDasdDisk } from './foreign-disks'
import { hex } from './hex'

/** What the I/O services need beside the I/O system. */
export interface IoServiceContext {
  readonly io: IoSystem
  /** The user's directory, for container files named by relative paths. */
  readonly directory: string
  setEventFlag(pid: number, efn: number): void
}

/** Blocks of a new container file when SYSGEN CONNECT /BLOCKS does not say (1 MiB). */
const DEFAULT_BLOCKS = 2048

/**
 * The I/O system's services beyond $ASSIGN, $DASSGN and $QIO (book ch. 18): $CREMBX,
 * $DELMBX, $ALLOC, $DALLOC, $GETDVI (and $GETDVIW in the vector page) and $CANCEL, each
 * probing its output arguments before anything is done.
 */
export function ioServices(x: IoServiceContext): SystemService[] {
  const mode = (r: ServiceRequest) => r.mode as Mode
  const name = (r: ServiceRequest, address: number) =>
    address === 0 ? undefined : r.guest.descriptor(address)
  return [
    {
      name: 'CREMBX',
      args: 7,
      call: (r) => {
        const chan = r.arg(1)
        r.guest.probeWrite(chan, 2)
        const lognam = name(r, r.arg(6))
        const made = x.io.createMailbox(r.pid, mode(r), {
          permanent: (r.arg(0) & 1) === 1,
          maxmsg: r.arg(2),
          bufquo: r.arg(3),
          acmode: (r.arg(5) & 3) as Mode,
          ...(lognam !== undefined && { lognam }),
        })
        if (made.channel !== undefined)
          r.guest.write(chan, Uint8Array.of(made.channel & 0xff, made.channel >> 8))
        return made.status
      },
    },
    {
      name: 'DELMBX',
      args: 1,
      call: (r) => x.io.deleteMailbox(r.pid, r.arg(0) & 0xffff, mode(r)),
    },
    {
      name: 'ALLOC',
      args: 5,
      call: (r) => {
        const devnam = r.guest.descriptor(r.arg(0))
        const [phylen, phybuf] = [r.arg(1), r.arg(2)]
        if (phylen !== 0) r.guest.probeWrite(phylen, 2)
        let room = 0
        let buffer = 0
        if (phybuf !== 0) {
          room = r.guest.read(phybuf, 2).reduce((n, b, i) => n | (b << (8 * i)), 0)
          buffer = r.guest.read32(phybuf + 4)
          r.guest.probeWrite(buffer, room)
        }
        const done = x.io.allocate(r.pid, devnam, mode(r), {
          acmode: (r.arg(3) & 3) as Mode,
          flags: r.arg(4),
        })
        if (isSuccess(done.status) && done.name !== undefined) {
          const text = new TextEncoder().encode(done.name).subarray(0, room)
          if (phybuf !== 0) r.guest.write(buffer, text)
          if (phylen !== 0) r.guest.write(phylen, Uint8Array.of(text.length, 0))
        }
        return done.status
      },
    },
    {
      name: 'DALLOC',
      args: 2,
      call: (r) => x.io.deallocate(r.pid, name(r, r.arg(0)), mode(r), (r.arg(1) & 3) as Mode),
    },
    {
      name: 'CANCEL',
      args: 1,
      call: (r) => x.io.cancel(r.pid, r.arg(0) & 0xffff, mode(r)),
    },
    { name: 'GETDVI', args: 8, call: (r) => getDeviceInformation(r, x) },
  ]
}

/**
 * $GETDVI (book 18, "Get Device/Volume Information"): the device of channel CHAN, or the
 * one DEVNAM names; each item of the list (buffer length and item code words, buffer
 * address, return length address) probed first, then written: numbers as longwords,
 * names as text. The IOSB and the event flag are set as $GETDVIW then finds them.
 */
function getDeviceInformation(r: ServiceRequest, x: IoServiceContext): Status {
  const [efn, chan, devnam, itmlst, iosb] = [r.arg(0), r.arg(1), r.arg(2), r.arg(3), r.arg(4)]
  const items = readItemList(r.guest, itmlst)
  if (typeof items === 'number') return items
  if (iosb !== 0) r.guest.probeWrite(iosb, 8)
  const target =
    (chan & 0xffff) !== 0
      ? { channel: chan & 0xffff }
      : { devnam: devnam === 0 ? '' : r.guest.descriptor(devnam) }
  const values: Uint8Array[] = []
  for (const item of items) {
    const got = x.io.getdvi(r.pid, r.mode as Mode, target, item.code)
    if (!isSuccess(got.status)) return got.status
    if (typeof got.value === 'string') values.push(new TextEncoder().encode(got.value))
    else {
      const bytes = new Uint8Array(4)
      new DataView(bytes.buffer).setUint32(0, (got.value ?? 0) >>> 0, true)
      values.push(bytes)
    }
  }
  let status: Status = SS.NORMAL
  items.forEach((item, i) => {
    if (!writeItem(r.guest, item, values[i] as Uint8Array)) status = SS.BUFFEROVF
  })
  if (iosb !== 0) r.guest.write(iosb, Uint8Array.of(status & 0xff, status >> 8, 0, 0, 0, 0, 0, 0))
  x.setEventFlag(r.pid, efn)
  return status
}

/** Parses `/NAME=value` qualifiers and the other words of a console command. */
function qualifiers(args: readonly string[]): { words: string[]; values: Map<string, string> } {
  const words: string[] = []
  const values = new Map<string, string>()
  for (const arg of args) {
    const m = /^\/([A-Za-z_]+)(?:=(.*))?$/.exec(arg)
    if (m) values.set((m[1] as string).toUpperCase(), m[2] ?? '')
    else words.push(arg)
  }
  return { words, values }
}

/** The qualifier of `values` that `full` abbreviates (at least 3 characters), if any. */
function qualifier(values: Map<string, string>, full: string): string | undefined {
  for (const [name, value] of values)
    if (name.length >= Math.min(3, full.length) && full.startsWith(name)) return value
  return undefined
}

/**
 * SHOW DEVICES [/FULL], MOUNT/FOREIGN, DISMOUNT and SYSGEN LOAD / CONNECT (book 18.2,
 * 19.2): the operator's view of the I/O database.
 */
export function ioCommands(x: IoServiceContext): ConsoleCommand[] {
  const report = (say: (line: string) => void, status: Status) => {
    if (!isSuccess(status)) say(formatStatus(status))
    return status
  }
  return [
    {
      name: 'SHOW DEVICES',
      help: 'devices: name, status, error count, reference count (/FULL: the UCB)',
      parameters: [],
      qualifiers: [{ name: 'FULL', help: 'each unit control block as well' }],
      run: (args, say) => {
        const { values } = qualifiers(args)
        const full = qualifier(values, 'FULL') !== undefined
        say('Device                  Device           Error    Reference')
        say(' Name                   Status           Count      Count')
        for (const ucb of x.io.devices()) {
          const status = deviceStatus(ucb)
          say(
            `${x.io.deviceName(ucb, true).replace(/^_/, '').padEnd(24)}${status.padEnd(16)}${String(ucb.errors).padStart(6)}${String(ucb.refc).padStart(11)}`,
          )
          if (full) {
            say(
              `    operations ${ucb.operations}, owner ${ucb.pid === 0 ? 'none' : hex(ucb.pid)}, DEVCHAR ${hex(ucb.devchar)}, DEVCHAR2 ${hex(ucb.devchar2)}${ucb.maxblock > 0 ? `, ${ucb.maxblock} blocks` : ''}, ${ucb.busy ? 'busy' : 'idle'}, ${ucb.queue.length} waiting`,
            )
          }
        }
        return SS.NORMAL
      },
    },
    {
      name: 'MOUNT',
      help: 'MOUNT/FOREIGN device: make a disk unit available for logical I/O',
      parameters: [{ label: 'Device', required: true }],
      qualifiers: [{ name: 'FOREIGN', help: 'no file structure: logical I/O only' }],
      run: (args, say) => {
        const { words, values } = qualifiers(args)
        if (qualifier(values, 'FOREIGN') === undefined || words[0] === undefined) {
          say('%MOUNT-F-NOTFOREIGN, only MOUNT/FOREIGN device is supported')
          return SS.BADPARAM
        }
        const status = x.io.mountForeign(0, words[0])
        if (isSuccess(status)) say(`%MOUNT-I-MOUNTED, ${words[0].toUpperCase()} mounted /FOREIGN`)
        return report(say, status)
      },
    },
    {
      name: 'DISMOUNT',
      help: 'DISMOUNT device',
      parameters: [{ label: 'Device', required: true }],
      run: (args, say) => {
        const device = qualifiers(args).words[0]
        if (device === undefined) return report(say, SS.BADPARAM)
        return report(say, x.io.dismount(0, device))
      },
    },
    {
      name: 'SYSGEN',
      help: 'SYSGEN LOAD driver [/ALLOCATION=n] [/CLUSTER]; SYSGEN CONNECT unit /DRIVER=name /FILE=container [/BLOCKS=n] | /MIRROR=image,... | /SERDASD=media',
      parameters: [
        { label: 'Command', required: true },
        { label: 'Driver or unit', required: true },
      ],
      qualifiers: [
        {
          name: 'ALLOCATION_CLASS',
          value: 'required',
          type: 'number',
          help: 'LOAD: the allocation class',
        },
        { name: 'CLUSTER', help: 'LOAD: the units are shared in the cluster' },
        { name: 'DRIVER', value: 'required', help: 'CONNECT: the loaded driver' },
        { name: 'FILE', value: 'required', type: 'file', help: 'CONNECT: the container file' },
        {
          name: 'BLOCKS',
          value: 'required',
          type: 'number',
          help: "CONNECT: a new container's size",
        },
        {
          name: 'MIRROR',
          value: 'required',
          type: 'file',
          list: true,
          help: 'CONNECT: the images of a mirrored disk',
        },
        { name: 'SERDASD', value: 'required', type: 'file', help: 'CONNECT: a serial DASD medium' },
      ],
      run: (args, say) => {
        const { words, values } = qualifiers(args)
        const [what = '', target] = words
        if ('LOAD'.startsWith(what.toUpperCase()) && what.length >= 2 && target !== undefined) {
          const allocationClass = Number(qualifier(values, 'ALLOCATION_CLASS') ?? '0')
          return report(
            say,
            x.io.load(target, {
              allocationClass,
              cluster: qualifier(values, 'CLUSTER') !== undefined,
            }),
          )
        }
        if ('CONNECT'.startsWith(what.toUpperCase()) && what.length >= 2 && target !== undefined) {
          const driver = qualifier(values, 'DRIVER')
          const file = qualifier(values, 'FILE')
          const mirror = qualifier(values, 'MIRROR')
          const dasd = qualifier(values, 'SERDASD')
          const given = [file, mirror, dasd].filter((v) => v !== undefined).length
          if (driver === undefined || given !== 1) {
            say(
              '%SYSGEN-E-INSFPRM, CONNECT needs /DRIVER=name and one of /FILE=container, /MIRROR=image,image... or /SERDASD=media',
            )
            return SS.BADPARAM
          }
          const path = (name: string) => resolve(x.directory, name)
          let storage: BlockDevice
          try {
            if (mirror !== undefined) storage = openMirrorDisk(mirror.split(',').map(path))
            else if (dasd !== undefined) storage = openSerialDasdDisk(path(dasd))
            else {
              const blocks = Number(qualifier(values, 'BLOCKS') ?? DEFAULT_BLOCKS)
              const container = path(file as string)
              storage = existsSync(container)
                ? FileBlockDevice.open(container)
                : FileBlockDevice.create(container, blocks)
            }
          } catch (error) {
            const detail =
              error instanceof Error && 'code' in error ? String(error.message) : 'cannot open'
            say(`%SYSGEN-E-OPENIN, ${detail}`)
            return SS.NOSUCHFILE
          }
          const status = x.io.connect(target, driver, { storage })
          if (!isSuccess(status)) storage.close()
          return report(say, status)
        }
        say('%SYSGEN-W-IVVERB, SYSGEN LOAD or SYSGEN CONNECT')
        return SS.BADPARAM
      },
    },
  ]
}

/** The status column of SHOW DEVICES: on line or off, mounted (foreign), allocated. */
function deviceStatus(ucb: Ucb): string {
  const parts = [ucb.online ? 'Online' : 'Offline']
  if ((ucb.devchar & DEV.MNT) !== 0)
    parts.push((ucb.devchar & DEV.FOR) !== 0 ? 'mnt foreign' : 'mounted')
  if ((ucb.devchar & DEV.ALL) !== 0) parts.push('alloc')
  return parts.join(' ')
}

export { DVI }
