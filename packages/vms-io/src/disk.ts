import { PriorityClass, SS, type Status } from '@vms/contracts'
import { BLOCK_SIZE } from './block-device'
import { DC, DEV, functionCode, IoFunction } from './constants'
import type { Driver, FdtContext, FdtResult } from './driver'
import type { Irp, Ucb } from './structures'

/** How a disk driver behaves. */
export interface DiskDriverOptions {
  /** The generic device name (DK for the disk class driver, VD for virtual disks). */
  readonly name?: string
  /** The driver's name for SYSGEN LOAD (DKDRIVER, VDDRIVER). */
  readonly driverName?: string
  /** Virtual time a transfer takes before its blocks: 100 ns units (default 1 ms). */
  readonly latency?: number
  /** Virtual time each block adds: 100 ns units (default 50 µs). */
  readonly perBlock?: number
}

/** The largest byte count a request may give (the IOSB's count is a word). */
const MAX_TRANSFER = 0xffff

const READS: readonly number[] = [IoFunction.READLBLK, IoFunction.READVBLK, IoFunction.READPBLK]

/** `data` as `blocks` whole blocks: as it is when it fills them, else padded with zeros. */
function wholeBlocks(data: Uint8Array, blocks: number): Uint8Array {
  if (data.length === blocks * BLOCK_SIZE) return data
  const buffer = new Uint8Array(blocks * BLOCK_SIZE)
  buffer.set(data)
  return buffer
}

/** A block device's error, as the status a disk driver returns in the IOSB. */
function deviceErrorStatus(error: unknown): Status {
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'EINVAL') return SS.IVADDR
  if (code === 'ENXIO') return SS.MEDOFL
  return SS.DRVERR
}

/**
 * ACP$READBLK and ACP$WRITEBLK for a volume mounted foreign (book 18.7.4): the unit
 * must be mounted (SS$_DEVNOTMOUNT); P1 is the buffer, P2 the byte count, P3 the block:
 * the logical block number, or for a virtual function the virtual block number, which
 * on a foreign volume is the logical block plus one (virtual block 0 is
 * SS$_ILLBLKNUM). The buffer is checked (and, for a write, its data taken, as locking
 * its pages would keep it) in the requester's context: direct I/O.
 */
function transfer(irp: Irp, ucb: Ucb, context: FdtContext): FdtResult {
  if ((ucb.devchar & DEV.MNT) === 0) return { kind: 'abort', status: SS.DEVNOTMOUNT }
  const code = functionCode(irp.func)
  const bytes = irp.p[1] ?? 0
  const block = irp.p[2] ?? 0
  if (!Number.isInteger(bytes) || bytes < 0 || bytes > MAX_TRANSFER)
    return { kind: 'abort', status: SS.BADPARAM }
  if (!Number.isInteger(block) || block < 0) return { kind: 'abort', status: SS.ILLBLKNUM }
  const virtual = code === IoFunction.READVBLK || code === IoFunction.WRITEVBLK
  if (virtual && block === 0) return { kind: 'abort', status: SS.ILLBLKNUM }
  irp.media = virtual ? block - 1 : block
  irp.virtual = virtual
  if (READS.includes(code)) {
    if (bytes > 0 && !context.probeWrite(irp.p[0] ?? 0, bytes, irp.mode))
      return { kind: 'abort', status: SS.ACCVIO }
  } else if (bytes > 0) {
    const data = context.readUser(irp.p[0] ?? 0, bytes, irp.mode)
    if (typeof data === 'number') return { kind: 'abort', status: data }
    irp.directData = data
  }
  return { kind: 'queue' }
}

/**
 * A disk class driver on a block device (book 19.1): logical and virtual block reads
 * and writes (IO$_READLBLK, IO$_WRITELBLK, IO$_READVBLK, IO$_WRITEVBLK; physical ones
 * as logical), direct I/O, refused unless the volume is mounted foreign. Transfers
 * move whole blocks: a read's last block is cut to the byte count, a write's is padded
 * with zeros. A transfer that passes the last block completes with SS$_IVADDR; a device
 * error counts in UCB$W_ERRCNT and completes with SS$_DRVERR (SS$_MEDOFL when the
 * device is gone). Each transfer completes after `latency` plus `perBlock` a block of
 * virtual time.
 */
export function diskDriver(options: DiskDriverOptions = {}): Driver {
  const latency = options.latency ?? 10_000
  const perBlock = options.perBlock ?? 500
  const routine = (irp: Irp, ucb: Ucb, context: FdtContext) => transfer(irp, ucb, context)
  const fdt = new Map(
    [
      IoFunction.READLBLK,
      IoFunction.WRITELBLK,
      IoFunction.READVBLK,
      IoFunction.WRITEVBLK,
      IoFunction.READPBLK,
      IoFunction.WRITEPBLK,
    ].map((code) => [code, routine] as const),
  )
  const name = options.name ?? 'DK'
  return {
    name,
    fdt,
    buffered: [],
    prolog: {
      driverName: options.driverName ?? `${name}DRIVER`,
      devchar: DEV.FOD | DEV.DIR | DEV.AVL | DEV.ELG | DEV.IDV | DEV.ODV | DEV.SHR | DEV.RND,
      devclass: DC.DISK,
      devbufsiz: BLOCK_SIZE,
    },
    completionBoost: () => PriorityClass.IOCOM,
    startIo(irp, ucb, services) {
      const bytes = irp.p[1] ?? 0
      const blocks = Math.ceil(bytes / BLOCK_SIZE)
      services.after(latency + blocks * perBlock, () => {
        const storage = ucb.storage
        if (storage === undefined) return services.requestComplete(ucb, SS.MEDOFL, 0)
        if (irp.media + blocks > storage.blocks) return services.requestComplete(ucb, SS.IVADDR, 0)
        try {
          if (READS.includes(functionCode(irp.func))) {
            const buffer = new Uint8Array(blocks * BLOCK_SIZE)
            if (blocks > 0) storage.read(irp.media, buffer)
            if (bytes > 0) services.writeProcess(irp.pid, irp.p[0] ?? 0, buffer.subarray(0, bytes))
          } else if (blocks > 0) {
            storage.write(irp.media, wholeBlocks(irp.directData ?? new Uint8Array(0), blocks))
          }
        } catch (error) {
          ucb.errors++
          return services.requestComplete(ucb, deviceErrorStatus(error), 0)
        }
        services.requestComplete(ucb, SS.NORMAL, bytes)
      })
    },
  }
}

/**
 * The virtual disk driver VDDRIVER: a disk whose units are backed by a block device
 * (a container file). Loaded with an allocation class and `cluster` (`io.load(vd,
 * { allocationClass: 193, cluster: true })`), its units are `$193$VDA0:` with DEV$M_CLU
 * set in DEVCHAR2: known to the whole cluster, each node reaching the container through
 * its own driver (the seed note "How to make Virtual Disks Cluster Known").
 */
export function virtualDiskDriver(
  options: Omit<DiskDriverOptions, 'name' | 'driverName'> = {},
): Driver {
  return diskDriver({ ...options, name: 'VD', driverName: 'VDDRIVER' })
}
