/**
 * The `vdm` command: mirrors on image files, driven through the same VDM calls a DG/UX
 * program makes (vdmmirr(7)). Each run boots a VDM over the files given (each file a
 * physical disk), assembles the mirrors found on them, does one thing and closes them
 * properly.
 */
import { existsSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { BLOCK_SIZE, FileBlockDevice } from '@vax-vms/block-device'
import cliProgress from 'cli-progress'
import {
  type Devt,
  DGVDMMIRRFRACTUREIMAGE,
  DGVDMMIRRSUBDRIVERID,
  DGVDMMIRRSYNCIMAGES,
  DGVDMUPDATEATTRIBUTES,
  NODEV,
  ORDWR,
} from './constants'
import { DATA_START, readLabel } from './label'
import { vdmcreateinstance, vdmioctlsubdriver, vdmphyscreateinstance } from './library'
import { vdmmirrinitpacket } from './mirror-packets'
import { runSyncs, type SyncProgress } from './runner'
import { Vdm } from './vdm'
import { vdminitpacket } from './vdm-packets'

/** Where the command writes. */
export interface CliIo {
  out(line: string): void
  err(line: string): void
  /** The progress bar's stream (default: stderr); null for none. */
  progress?: NodeJS.WritableStream | null
}

export const USAGE = `usage: vdm <command> [options] IMAGE...

  create --name NAME [--size SIZE] [--automatic-sync] [--min N] [--max-missing N] [--ms N] IMAGE...
        make a mirror on the image files (created with SIZE, e.g. 64M or 1G, if absent);
        one image is usable at once, several are corrupt until synchronized
  list IMAGE...                       the mirrors on the images
  show IMAGE...                       each image of the mirrors: state, role, label
  sync [--source IMAGE] [--ms N] IMAGE...
        copy the source (default: a usable image) to every corrupt image, and finish
        any synchronization left by a crash, with a progress bar
  fracture --image IMAGE [--granularity N] IMAGE...
        fracture an image off its mirror (it becomes corrupt)
  throttle --ms N IMAGE...            set the pause between synchronization I/Os`

const OPTIONS = {
  name: { type: 'string' },
  size: { type: 'string' },
  'automatic-sync': { type: 'boolean' },
  min: { type: 'string' },
  'max-missing': { type: 'string' },
  ms: { type: 'string' },
  source: { type: 'string' },
  image: { type: 'string' },
  granularity: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

class CliError extends Error {}

function integer(text: string | undefined, what: string, fallback: number, min = 0): number {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isInteger(n) || n < min)
    throw new CliError(`${what}: "${text}" is not an integer of at least ${min}`)
  return n
}

/** "64M", "1G", "4096K" or bytes: a size in blocks. */
export function parseSize(text: string): number {
  const match = /^(\d+)([KMG]?)$/i.exec(text)
  if (match === null) throw new CliError(`--size: "${text}" is not a size like 64M`)
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[
    match[2]!.toUpperCase() as '' | 'K' | 'M' | 'G'
  ]
  const bytes = Number(match[1]) * unit
  if (bytes % BLOCK_SIZE !== 0 || bytes === 0)
    throw new CliError(`--size: ${bytes} bytes is not whole blocks`)
  return bytes / BLOCK_SIZE
}

/** A VDM over image files, with one phys instance per file. */
class Session {
  readonly vdm: Vdm
  readonly devices: FileBlockDevice[] = []
  readonly phys = new Map<string, Devt>()

  constructor(
    readonly files: string[],
    io: CliIo,
    size?: number,
  ) {
    this.vdm = new Vdm({ console: (line) => io.err(line) })
    files.forEach((file, i) => {
      const device =
        size !== undefined && !existsSync(file)
          ? FileBlockDevice.create(file, size)
          : FileBlockDevice.open(file)
      this.devices.push(device)
      this.vdm.attachDisk(file, device)
      const devt = vdmphyscreateinstance(this.vdm, `image${i}`, file, ORDWR)
      if (devt === NODEV) throw new CliError(`${file}: ${this.vdm.errorMessage}`)
      this.phys.set(file, devt)
    })
  }

  file(devt: Devt): string {
    for (const [f, d] of this.phys) if (d === devt) return f
    return '(missing)'
  }

  image(file: string): Devt {
    const devt = this.phys.get(file)
    if (devt === undefined) throw new CliError(`${file} is not one of the images given`)
    return devt
  }

  /** The one mirror the images hold. */
  mirror(): Devt {
    const found = this.vdm.assembleMirrors()
    if (found.length !== 1) throw new CliError(`the images hold ${found.length} mirrors, not one`)
    return found[0]!
  }

  check(status: number, what: string): void {
    if (status !== 0) throw new CliError(`${what}: ${this.vdm.errorMessage}`)
  }

  close(): void {
    for (const d of this.devices) d.close()
  }
}

function mib(blocks: number): string {
  return ((blocks * BLOCK_SIZE) / 1024 ** 2).toFixed(1)
}

async function synchronize(s: Session, io: CliIo): Promise<SyncProgress> {
  const stream = io.progress === undefined ? process.stderr : io.progress
  const bar =
    stream === null
      ? null
      : new cliProgress.SingleBar(
          {
            stream,
            format:
              'sync |{bar}| {percentage}% | {done}/{all} MiB | {rate} MiB/s | {eta_formatted} left',
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        )
  const start = performance.now()
  let started = false
  const progress = await runSyncs(s.vdm, {
    onProgress: (p) => {
      if (bar === null) return
      const seconds = (performance.now() - start) / 1000
      const payload = {
        done: mib(p.copied),
        all: mib(p.total),
        rate: seconds > 0 ? mib(p.copied / seconds) : '0.0',
      }
      if (!started) {
        bar.start(p.total, p.copied, payload)
        started = true
      }
      bar.setTotal(p.total)
      bar.update(p.copied, payload)
    },
  })
  bar?.stop()
  return progress
}

async function run(
  command: string,
  files: string[],
  values: Record<string, string | boolean | undefined>,
  io: CliIo,
): Promise<void> {
  const str = (k: string) => values[k] as string | undefined
  if (files.length === 0) throw new CliError('no image files given')
  if (command === 'create') {
    const name = str('name')
    if (name === undefined) throw new CliError('create needs --name')
    const size = str('size') === undefined ? undefined : parseSize(str('size')!)
    for (const f of files)
      if (size === undefined && !existsSync(f))
        throw new CliError(`${f} does not exist: give --size`)
    const s = new Session(files, io, size === undefined ? undefined : size + DATA_START)
    try {
      const p = vdmmirrinitpacket('create')
      p.automaticsync = values['automatic-sync'] ? 1 : 0
      p.minimumimagesrequiredtouse = integer(str('min'), '--min', -1, -1)
      p.maximumimagesmissingtouse = integer(str('max-missing'), '--max-missing', -1, -1)
      p.millisecondsbetweensyncio = integer(str('ms'), '--ms', 0)
      p.numberofimages = files.length
      files.forEach((f, i) => {
        p.imagedevicenumbers[i] = s.image(f)
      })
      const m = vdmcreateinstance(s.vdm, name, DGVDMMIRRSUBDRIVERID, p)
      if (m === NODEV) throw new CliError(`create ${name}: ${s.vdm.errorMessage}`)
      const blocks = s.vdm.mirror(m)!.mirrorBlocks
      io.out(
        `created mirror ${name}: ${blocks} blocks (${mib(blocks)} MiB) on ${files.length} image(s)${files.length > 1 ? ', corrupt until `vdm sync`' : ''}`,
      )
    } finally {
      s.close()
    }
    return
  }
  const s = new Session(files, io)
  try {
    if (command === 'list') {
      const mirrors = s.vdm.assembleMirrors()
      for (const m of mirrors) {
        const d = s.vdm.mirror(m)!
        const states = d.describe().map((x) => x.state)
        io.out(
          `${d.name}\t${d.mirrorBlocks} blocks\t${states.length} images\t${states.filter((x) => x !== 'corrupt').length} usable\t${d.clean ? 'clean' : 'unclean'}`,
        )
      }
      if (mirrors.length === 0) io.out('no mirrors')
      return
    }
    if (command === 'show') {
      for (const [file, devt] of s.phys) {
        const i = s.vdm.instance(devt)!
        const label = readLabel((b, buf) => i.driver.read(b, buf))
        io.out(
          label === null
            ? `${file}: no mirror label`
            : `${file}: mirror ${label.name}, generation ${label.generation}, ${label.clean ? 'clean' : 'unclean'}`,
        )
      }
      for (const m of s.vdm.assembleMirrors()) {
        const d = s.vdm.mirror(m)!
        const a = d.attributes
        io.out(
          `mirror ${d.name}: ${d.mirrorBlocks} blocks, automaticsync ${a.automaticsync ? 1 : 0}, minimumimagesrequiredtouse ${a.minimumimagesrequiredtouse}, maximumimagesmissingtouse ${a.maximumimagesmissingtouse}, millisecondsbetweensyncio ${a.millisecondsbetweensyncio}, region ${d.regionBlocks} blocks`,
        )
        for (const x of d.describe()) {
          const job = d.syncs.find((j) => j.dests.some((y) => y.id === x.id))
          const source = d.syncs.some((j) => j.source.id === x.id)
          const role = job
            ? ` (being synchronized, block ${job.cursor.position})`
            : source
              ? ' (sync source)'
              : ''
          io.out(
            `  ${x.device === NODEV ? '(missing)' : s.file(x.device)}: ${x.state}${x.fractured ? ', fractured' : ''}${role}`,
          )
        }
      }
      return
    }
    const m = s.mirror()
    const mirror = s.vdm.mirror(m)!
    if (command === 'sync') {
      const ms = integer(str('ms'), '--ms', mirror.attributes.millisecondsbetweensyncio)
      const members = mirror.describe().filter((x) => x.device !== NODEV)
      const corrupt = members.filter((x) => x.state === 'corrupt')
      const source =
        str('source') !== undefined
          ? s.image(str('source')!)
          : (members.find((x) => x.state === 'usable') ?? members[0])!.device
      const dests = corrupt.filter((x) => x.device !== source).map((x) => x.device)
      if (dests.length > 0) {
        const p = vdmmirrinitpacket('syncimages')
        p.sourceimage = source
        p.millisecondsbetweensyncio = ms
        p.numberofdestinations = dests.length
        dests.forEach((d, i) => {
          p.destimages[i] = d
        })
        s.check(vdmioctlsubdriver(s.vdm, DGVDMMIRRSUBDRIVERID, m, DGVDMMIRRSYNCIMAGES, p), 'sync')
      }
      const t0 = performance.now()
      const progress = await synchronize(s, io)
      const seconds = (performance.now() - t0) / 1000
      io.out(`synchronized ${mib(progress.copied)} MiB in ${seconds.toFixed(1)} s`)
    } else if (command === 'fracture') {
      const image = str('image')
      if (image === undefined) throw new CliError('fracture needs --image')
      const p = vdmmirrinitpacket('fractureimage')
      p.imagedevicenumber = s.image(image)
      p.changegranularity = integer(str('granularity'), '--granularity', 0)
      s.check(
        vdmioctlsubdriver(s.vdm, DGVDMMIRRSUBDRIVERID, m, DGVDMMIRRFRACTUREIMAGE, p),
        'fracture',
      )
      io.out(`fractured ${image} off mirror ${mirror.name}: it is corrupt until synchronized`)
    } else if (command === 'throttle') {
      if (str('ms') === undefined) throw new CliError('throttle needs --ms')
      const p = vdmmirrinitpacket('update')
      p.automaticsync = mirror.attributes.automaticsync ? 1 : 0
      p.minimumimagesrequiredtouse = mirror.attributes.minimumimagesrequiredtouse
      p.maximumimagesmissingtouse = mirror.attributes.maximumimagesmissingtouse
      p.millisecondsbetweensyncio = integer(str('ms'), '--ms', 0)
      const a = vdminitpacket('attributes')
      a.devicenumber = m
      a.subdriverattributespacketptr = p
      s.check(s.vdm.vdmioctl(DGVDMUPDATEATTRIBUTES, a), 'throttle')
      io.out(
        `mirror ${mirror.name}: ${p.millisecondsbetweensyncio} ms between synchronization I/Os`,
      )
    } else throw new CliError(`unknown command "${command}"`)
    // Close the mirror properly: its images are marked identical.
    const fd = s.vdm.open(m)
    if (fd > 0) s.vdm.close(fd)
  } finally {
    s.close()
  }
}

/** Runs `vdm` with its arguments; returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true })
  } catch (error) {
    io.err(`vdm: ${(error as Error).message}`)
    io.err(USAGE)
    return 2
  }
  const [command, ...files] = parsed.positionals
  if (parsed.values.help || command === undefined) {
    io.out(USAGE)
    return command === undefined && !parsed.values.help ? 2 : 0
  }
  try {
    await run(command, files, parsed.values, io)
    return 0
  } catch (error) {
    if (
      error instanceof CliError ||
      (error instanceof Error && error.name === 'BlockDeviceError')
    ) {
      io.err(`vdm: ${error.message}`)
      return 1
    }
    throw error
  }
}
