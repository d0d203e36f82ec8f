/**
 * The STREAMS/UX framework: the switch tables, the device files, the open streams and
 * the scheduler, with open (including both HP-UX cloning methods) and close.
 */
import {
  C_CLONESMAJOR,
  type CdevEntry,
  DeviceSwitch,
  DRV_MP_SAFE,
  type DrvInfo,
  type DrvOps,
  type StreamsInfo,
} from './config'
import {
  CLONE_MAJOR,
  type DeviceFile,
  DeviceFiles,
  major,
  makedev,
  minor,
  validDev,
} from './device'
import { Errno, fail } from './errno'
import type { DevRef, Streamtab } from './queue'
import { Scheduler } from './scheduler'
import { StreamFile } from './stream-file'
import { type HeadHost, StreamHead } from './stream-head'
import { CLONEOPEN, DRVOPEN, MODOPEN, O_RDWR, validOflag } from './stropts'

export interface StreamsOptions {
  /**
   * 'auto' (default): every stream-head operation runs the service procedures before it
   * returns. 'manual': they run only when `runqueues()` is called.
   */
  readonly scheduling?: 'auto' | 'manual'
  /**
   * Whether this is a multiprocessor system: the second cloning method's rule that a new
   * major keep the MP-scalable or UP-emulation character applies only there. Default true.
   */
  readonly multiprocessor?: boolean
}

const hex = (n: number) => `0x${(n >>> 0).toString(16).padStart(8, '0')}`

export class Streams implements HeadHost {
  readonly sched = new Scheduler()
  readonly devices = new DeviceFiles()
  readonly switch = new DeviceSwitch()
  readonly multiprocessor: boolean
  scheduling: 'auto' | 'manual'
  /** The open streams, by device number. */
  private readonly streams = new Map<number, StreamHead>()

  constructor(options: StreamsOptions = {}) {
    this.scheduling = options.scheduling ?? 'auto'
    this.multiprocessor = options.multiprocessor ?? true
  }

  // ---- configuration ----

  /** install_driver (see DeviceSwitch.installDriver). Returns the character major. */
  installDriver(info: DrvInfo, ops: DrvOps): number {
    return this.switch.installDriver(info, ops).major
  }

  /** str_install (see DeviceSwitch.strInstall). */
  strInstall(info: StreamsInfo): void {
    this.switch.strInstall(info)
  }

  /** uninstall_driver: removes a driver; ENXIO if not installed, EBUSY while a stream of it is open. */
  uninstallDriver(info: Pick<DrvInfo, 'name'>): void {
    const entry = this.switch.driverNamed(info?.name)
    if (!entry) fail(Errno.ENXIO, `uninstall_driver: ${String(info?.name)} is not installed`)
    for (const head of this.streams.values())
      if (major(head.dev) === entry.major)
        fail(Errno.EBUSY, `uninstall_driver: ${entry.info.name} is open`)
    this.switch.cdevsw.delete(entry.major)
  }

  /** str_uninstall for a module: ENXIO if not installed, EBUSY while pushed on a stream. */
  strUninstall(name: string): void {
    if (!this.switch.fmodsw.has(name)) fail(Errno.ENXIO, `str_uninstall: no module ${name}`)
    for (const head of this.streams.values())
      if (head.modules().includes(name)) fail(Errno.EBUSY, `str_uninstall: ${name} is pushed`)
    this.switch.fmodsw.delete(name)
  }

  /** mknod: makes a device file (see DeviceFiles.mknod). */
  mknod(name: string, type: 'c' | 'b', maj: number, min: number): DeviceFile {
    return this.devices.mknod(name, type, maj, min)
  }

  module(name: string): Streamtab | undefined {
    return this.switch.fmodsw.get(name)?.streamtab
  }

  // ---- scheduling ----

  /** runqueues: runs every scheduled service procedure; returns how many ran. */
  runqueues(): number {
    return this.sched.runqueues()
  }

  /** End of a stream-head operation: in automatic mode, run the service procedures. */
  settle(): void {
    if (this.scheduling === 'auto' && this.sched.pending) this.sched.runqueues()
  }

  // ---- open and close ----

  /**
   * open(2) of a device file. ENOENT for no such file, ENXIO for a block device or a major
   * with no STREAMS driver; otherwise as openDev.
   */
  open(path: string, oflag: number = O_RDWR): StreamFile {
    const file = typeof path === 'string' ? this.devices.lookup(path) : undefined
    if (!file) fail(Errno.ENOENT, `open: ${String(path)}: no such file`)
    if (file.type !== 'c') fail(Errno.ENXIO, `open: ${path}: not a character device`)
    return this.openDev(makedev(file.major, file.minor), oflag)
  }

  /**
   * Opens device `dev`. Major 72 is the clone driver (method 1). An open of a device that
   * has a stream joins it (the driver and modules see the open again); otherwise a new
   * stream is made and the driver's open decides its final device number.
   */
  openDev(dev: number, oflag: number = O_RDWR): StreamFile {
    if (!validOflag(oflag)) fail(Errno.EINVAL, `open: bad flags ${String(oflag)}`)
    if (!validDev(dev)) fail(Errno.ENXIO, `open: bad device number ${String(dev)}`)
    const file =
      major(dev) === CLONE_MAJOR ? this.cloneOpen(minor(dev), oflag) : this.plainOpen(dev, oflag)
    this.settle()
    return file
  }

  private streamsDriver(maj: number): (CdevEntry & { streams: StreamsInfo }) | undefined {
    const entry = this.switch.cdevsw.get(maj)
    return entry?.streams ? (entry as CdevEntry & { streams: StreamsInfo }) : undefined
  }

  /**
   * Cloning method 1: the clone device's minor is the real driver's major. Its open
   * routine is called with sflag CLONEOPEN on a new stream and must return a device
   * number with that true major and a minor not already open.
   */
  private cloneOpen(realMajor: number, oflag: number): StreamFile {
    const entry = this.streamsDriver(realMajor)
    if (!entry) fail(Errno.ENXIO, `clone open: minor ${realMajor} is not a STREAMS driver's major`)
    return this.newStream(entry, makedev(realMajor, 0), oflag, CLONEOPEN, (dev) =>
      major(dev) === realMajor
        ? null
        : `returned major ${major(dev)}, not the true major ${realMajor}`,
    )
  }

  private plainOpen(dev: number, oflag: number): StreamFile {
    const entry = this.streamsDriver(major(dev))
    if (!entry) fail(Errno.ENXIO, `open: no STREAMS driver at major ${major(dev)}`)
    const existing = this.streams.get(dev)
    if (existing) return this.reopen(existing, oflag)
    return this.newStream(entry, dev, oflag, DRVOPEN, (newdev) => {
      if (newdev === dev) return null
      if (!(entry.ops.flags & C_CLONESMAJOR))
        return 'changed the device number without C_CLONESMAJOR'
      return this.method2Refusal(entry, newdev)
    })
  }

  /**
   * Cloning method 2: a C_CLONESMAJOR driver may return another major only if it belongs
   * to a STREAMS driver with the same streamtab and, on a multiprocessor, the same
   * MP-scalable or UP-emulation character. The reason it may not, or null.
   */
  private method2Refusal(
    entry: CdevEntry & { streams: StreamsInfo },
    newdev: number,
  ): string | null {
    const m = major(newdev)
    if (m === entry.major) return null
    const other = this.streamsDriver(m)
    if (!other) return `new major ${m} is not a STREAMS driver`
    if (other.streams.streamtab !== entry.streams.streamtab)
      return `new major ${m} has a different streamtab`
    const mp = (e: CdevEntry) => (e.info.flags & DRV_MP_SAFE) !== 0
    if (this.multiprocessor && mp(other) !== mp(entry))
      return `new major ${m} is ${mp(other) ? 'MP scalable' : 'UP emulation'}, the original is not`
    return null
  }

  /**
   * Makes a stream for `entry`, calls its open routine with `dev` and `sflag`, and checks
   * the device number it returns: a valid number that `refuse` accepts and that no open
   * stream has. A refused number fails the open with ENXIO after the driver's close
   * routine has run, so the driver can release the minor it chose.
   */
  private newStream(
    entry: CdevEntry & { streams: StreamsInfo },
    dev: number,
    oflag: number,
    sflag: number,
    refuse: (newdev: number) => string | null,
  ): StreamFile {
    const head = new StreamHead(this, entry.streams.streamtab, dev)
    const devp: DevRef = { dev }
    const rq = head.driverRq
    const err = rq.qinfo.open?.(rq, devp, oflag, sflag) ?? 0
    if (err) {
      head.abandon()
      fail(err, `open of ${hex(dev)}: driver ${entry.info.name} refused`)
    }
    const newdev = devp.dev
    const why = !validDev(newdev)
      ? `returned an invalid device number ${String(newdev)}`
      : this.streams.has(newdev)
        ? `returned ${hex(newdev)}, which is already open`
        : refuse(newdev)
    if (why) {
      head.dismantle(oflag)
      fail(Errno.ENXIO, `open of ${hex(dev)}: driver ${entry.info.name} ${why}`)
    }
    head.dev = newdev
    head.opens = 1
    this.streams.set(newdev, head)
    return new StreamFile(this, head, oflag)
  }

  /** A further open of an open stream: the driver's and each module's open run again. */
  private reopen(head: StreamHead, oflag: number): StreamFile {
    if (head.hangup) fail(Errno.ENXIO, `open of ${hex(head.dev)}: stream hung up`)
    const devp: DevRef = { dev: head.dev }
    for (let q = head.top.other, i = 0; i < head.pushed; q = q.prev as StreamHead['rq'], i++) {
      const e = q.qinfo.open?.(q, { dev: head.dev }, oflag, MODOPEN) ?? 0
      if (e) fail(e, `reopen of ${hex(head.dev)}: module ${q.qinfo.minfo.name} refused`)
    }
    const err = head.driverRq.qinfo.open?.(head.driverRq, devp, oflag, DRVOPEN) ?? 0
    if (err) fail(err, `reopen of ${hex(head.dev)}: driver refused`)
    head.opens++
    return new StreamFile(this, head, oflag)
  }

  /** Called by StreamFile.close: the last close dismantles the stream and frees its device number. */
  release(head: StreamHead, oflag: number): void {
    if (--head.opens > 0) return
    this.streams.delete(head.dev)
    head.dismantle(oflag)
  }

  /** The open stream with device number `dev`. */
  streamOf(dev: number): StreamHead | undefined {
    return this.streams.get(dev)
  }

  /** Device numbers of the open streams, ascending. */
  openDevices(): number[] {
    return [...this.streams.keys()].sort((a, b) => a - b)
  }

  /**
   * The whole observable state, as plain data: installed drivers and modules, device
   * files, and every open stream with its modules and queues. Equal snapshots before and
   * after a refused operation show that it changed nothing.
   */
  snapshot(): unknown {
    const queue = (q: StreamHead['rq']) => ({
      name: q.qinfo.minfo.name,
      count: q.count,
      flag: q.flag,
      messages: q.size,
      hiwat: q.hiwat,
      lowat: q.lowat,
    })
    return {
      drivers: [...this.switch.cdevsw.values()].map((e) => ({
        name: e.info.name,
        major: e.major,
        streams: e.streams?.name ?? null,
        flags: e.ops.flags,
      })),
      modules: [...this.switch.fmodsw.keys()],
      files: this.devices.list(),
      streams: this.openDevices().map((dev) => {
        const h = this.streams.get(dev) as StreamHead
        const queues = []
        for (let q: StreamHead['rq'] | null = h.wq; q; q = q.next)
          queues.push(queue(q), queue(q.other))
        return {
          dev,
          opens: h.opens,
          modules: h.modules(),
          rerror: h.rerror,
          werror: h.werror,
          hangup: h.hangup,
          read: h.grdopt(),
          queues,
        }
      }),
      scheduled: this.sched.pending,
    }
  }
}
