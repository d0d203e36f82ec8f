import {
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { join, resolve, sep } from 'node:path'
import { SS } from '@vms/contracts'
import { type FileSpec, formatDirectory, parseFileSpec, wildcardTest } from './filespec'
import { DclError, RMS } from './messages'

/** A file found on the default disk. */
export interface DiskFile {
  /** Its full VMS specification: `SYS$DISK:[DIR]NAME.TYP;3`. */
  readonly spec: string
  readonly directory: readonly string[]
  readonly name: string
  readonly type: string
  readonly version: number
  /** Where it is in the host's file system. */
  readonly hostPath: string
}

/** Where a spec points, with the defaults applied (RMS's default file specification). */
export interface Resolved {
  readonly directory: readonly string[]
  readonly name: string
  readonly type: string
  readonly version: number | '*'
}

/**
 * The default disk: VMS file specifications mapped onto a host directory tree. `[A.B]`
 * is `root/a/b` (an existing host name matched without regard to case, a new one made in
 * lower case); `NAME.TYP` with no version on the host is version 1, and later versions
 * are `name.typ;N`, so that host tools see the first file by its plain name. Nothing
 * outside the root is reachable: directory parts cannot be `..`, and a path that resolves
 * (through a symbolic link) outside the root is refused with RMS$_PRV.
 */
export class DefaultDisk {
  /** The host directory of the disk's top directory, [000000]. */
  readonly root: string
  /** The default directory (SET DEFAULT), as parts below the top. */
  private defaultDirectory: string[] = []

  /**
   * @param root the host directory
   * @param device the disk's device name (`SYS$DISK` is always accepted too)
   * @param translate logical names for the device part (`WORK:` -> `SYS$DISK:[WORK]`)
   */
  constructor(
    root: string,
    readonly device = 'SYS$DISK',
    private readonly translate: (name: string) => string | undefined = () => undefined,
  ) {
    this.root = resolve(root)
  }

  /** The default device and directory as SHOW DEFAULT shows it: `SYS$DISK:[USER]`. */
  showDefault(): string {
    return `${this.device}:${formatDirectory(this.defaultDirectory)}`
  }

  /** The default directory's parts. */
  get directory(): readonly string[] {
    return this.defaultDirectory
  }

  /**
   * SET DEFAULT: a directory spec, relative or absolute. The directory must exist
   * (RMS$_DNF otherwise, and the default is unchanged).
   */
  setDefault(text: string): void {
    const spec = this.parse(text)
    if (spec.name !== undefined || spec.type !== undefined)
      throw new DclError(RMS.SYN, text.toUpperCase())
    const parts = this.directoryOf(spec)
    if (parts.some((p) => /[*%]|\.\.\./.test(p))) throw new DclError(RMS.SYN, text.toUpperCase())
    const host = this.hostDirectory(parts, false)
    if (host === undefined) throw new DclError(RMS.DNF, formatDirectory(parts))
    this.defaultDirectory = [...parts]
  }

  /** Parses a spec, translating a logical name in the device part (up to 10 levels). */
  parse(text: string): FileSpec {
    let spec = parseFileSpec(text)
    for (let depth = 0; spec.device !== undefined && !this.isDisk(spec.device); depth++) {
      const translation = depth < 10 ? this.translate(spec.device) : undefined
      if (translation === undefined) throw new DclError(SS.NOSUCHDEV, `${spec.device}:`)
      const inner = parseFileSpec(translation)
      spec = {
        ...inner,
        ...(spec.directory === undefined ? {} : { directory: spec.directory }),
        ...(spec.name === undefined ? {} : { name: spec.name }),
        ...(spec.type === undefined ? {} : { type: spec.type }),
        ...(spec.version === undefined ? {} : { version: spec.version }),
      }
      if (inner.device === undefined) {
        const { device: _d, ...rest } = spec
        spec = rest
      }
    }
    return spec
  }

  private isDisk(device: string): boolean {
    return device === 'SYS$DISK' || device === this.device.toUpperCase()
  }

  private directoryOf(spec: FileSpec): string[] {
    const d = spec.directory
    if (d === undefined) return [...this.defaultDirectory]
    if (!d.relative) return [...d.parts]
    const base = this.defaultDirectory.slice(0, Math.max(0, this.defaultDirectory.length - d.up))
    return [...base, ...d.parts]
  }

  /** Applies the defaults: the default directory, and `defaults` for name and type. */
  resolve(text: string, defaults: { name?: string; type?: string } = {}): Resolved {
    const spec = this.parse(text)
    const name = spec.name ?? defaults.name?.toUpperCase()
    if (name === undefined) throw new DclError(RMS.SYN, text.toUpperCase())
    return {
      directory: this.directoryOf(spec),
      name,
      type: spec.type ?? defaults.type?.toUpperCase() ?? '',
      version: spec.version ?? 0,
    }
  }

  /** The host directory of a VMS directory (existing names matched without case). */
  private hostDirectory(parts: readonly string[], create: boolean): string | undefined {
    let host = this.root
    for (const part of parts) {
      const existing = this.entries(host).find(
        (e) => e.toUpperCase() === part && this.isDirectory(join(host, e)),
      )
      if (existing !== undefined) host = join(host, existing)
      else if (create) {
        host = join(host, part.toLowerCase())
        mkdirSync(host)
      } else return undefined
    }
    return this.contained(host)
  }

  /** Refuses a host path outside the root (a symbolic link out of the tree). */
  private contained(host: string): string {
    let real: string
    try {
      real = realpathSync(host)
    } catch {
      real = resolve(host)
    }
    let root: string
    try {
      root = realpathSync(this.root)
    } catch {
      root = this.root
    }
    if (real !== root && !real.startsWith(root + sep)) throw new DclError(RMS.PRV)
    return host
  }

  private entries(host: string): string[] {
    try {
      return readdirSync(host)
    } catch {
      return []
    }
  }

  private isDirectory(host: string): boolean {
    try {
      return statSync(host).isDirectory()
    } catch {
      return false
    }
  }

  /** The VMS files of one host directory (host names that are not VMS names are left out). */
  private filesIn(parts: readonly string[], host: string): DiskFile[] {
    const files: DiskFile[] = []
    for (const entry of this.entries(host)) {
      const m = /^([A-Za-z0-9_$-]{1,39})(?:\.([A-Za-z0-9_$-]{0,39}))?(?:;([0-9]{1,5}))?$/.exec(
        entry,
      )
      if (m === null) continue
      const hostPath = join(host, entry)
      if (this.isDirectory(hostPath)) {
        files.push(this.file(parts, (m[1] as string).toUpperCase(), 'DIR', 1, hostPath))
        continue
      }
      const version = m[3] === undefined ? 1 : Number(m[3])
      if (version < 1 || version > 32767) continue
      files.push(
        this.file(
          parts,
          (m[1] as string).toUpperCase(),
          (m[2] ?? '').toUpperCase(),
          version,
          hostPath,
        ),
      )
    }
    return files
  }

  private file(
    parts: readonly string[],
    name: string,
    type: string,
    version: number,
    hostPath: string,
  ): DiskFile {
    return {
      spec: `${this.device}:${formatDirectory(parts)}${name}.${type};${version}`,
      directory: parts,
      name,
      type,
      version,
      hostPath,
    }
  }

  /** The directories a (possibly wildcard, possibly `...`) directory names. */
  private directories(parts: readonly string[]): { parts: string[]; host: string }[] {
    let found: { parts: string[]; host: string }[] = [{ parts: [], host: this.root }]
    for (const part of parts) {
      const next: { parts: string[]; host: string }[] = []
      for (const d of found) {
        if (part === '...') {
          const walk = (at: { parts: string[]; host: string }, depth: number) => {
            next.push(at)
            if (depth > 16) return
            for (const e of this.entries(at.host)) {
              const h = join(at.host, e)
              if (/^[A-Za-z0-9_$-]{1,39}$/.test(e) && this.isDirectory(h))
                walk({ parts: [...at.parts, e.toUpperCase()], host: h }, depth + 1)
            }
          }
          walk(d, 0)
          continue
        }
        const test = wildcardTest(part)
        for (const e of this.entries(d.host)) {
          const h = join(d.host, e)
          if (/^[A-Za-z0-9_$-]{1,39}$/.test(e) && test(e) && this.isDirectory(h))
            next.push({ parts: [...d.parts, e.toUpperCase()], host: h })
        }
      }
      found = next
    }
    return found.filter((d) => {
      try {
        this.contained(d.host)
        return true
      } catch {
        return false
      }
    })
  }

  /**
   * The files a spec names, wildcards and all, sorted by directory, name, type and
   * version (highest first, as DIRECTORY lists them). Without a version and without `;*`
   * only each file's highest version; `;n` that version; `;-n` n below the highest.
   */
  search(text: string, defaults: { name?: string; type?: string } = {}): DiskFile[] {
    const r = this.resolve(text, { name: '*', type: '*', ...defaults })
    const nameTest = wildcardTest(r.name)
    const typeTest = wildcardTest(r.type)
    const out: DiskFile[] = []
    for (const dir of this.directories(r.directory)) {
      const groups = new Map<string, DiskFile[]>()
      for (const f of this.filesIn(dir.parts, dir.host)) {
        if (!nameTest(f.name) || !typeTest(f.type)) continue
        const key = `${f.name}.${f.type}`
        const list = groups.get(key) ?? []
        list.push(f)
        groups.set(key, list)
      }
      for (const key of [...groups.keys()].sort()) {
        const versions = (groups.get(key) ?? []).sort((a, b) => b.version - a.version)
        const v = r.version
        if (v === '*') out.push(...versions)
        else if (v > 0) out.push(...versions.filter((f) => f.version === v))
        else {
          const highest = versions[0]?.version ?? 0
          const pick = versions.find((f) => f.version === highest + v)
          if (pick !== undefined) out.push(pick)
        }
      }
    }
    return out
  }

  /** The one file a spec names (RMS$_FNF if none, RMS$_DNF if its directory is missing). */
  find(text: string, defaults: { name?: string; type?: string } = {}): DiskFile {
    const r = this.resolve(text, defaults)
    if (/[*%]/.test(r.name + r.type) || r.version === '*')
      throw new DclError(RMS.SYN, text.toUpperCase())
    if (this.hostDirectory(r.directory, false) === undefined)
      throw new DclError(RMS.DNF, text.toUpperCase())
    const found = this.search(text, defaults)[0]
    if (found === undefined) throw new DclError(RMS.FNF, text.toUpperCase())
    return found
  }

  /** A file's contents. */
  read(file: DiskFile): string {
    return readFileSync(this.contained(file.hostPath), 'utf8')
  }

  /**
   * Writes a new version of a file (one above the highest; version 1 is the plain host
   * name), making its directory if `create` (CREATE/DIRECTORY does that) or RMS$_DNF.
   * Returns the file written.
   */
  write(
    text: string,
    data: string | Uint8Array,
    defaults: { name?: string; type?: string } = {},
  ): DiskFile {
    const r = this.resolve(text, defaults)
    if (/[*%]/.test(r.name + r.type) || r.version === '*' || r.directory.includes('...'))
      throw new DclError(RMS.SYN, text.toUpperCase())
    const host = this.hostDirectory(r.directory, false)
    if (host === undefined) throw new DclError(RMS.DNF, text.toUpperCase())
    const existing = this.filesIn(r.directory, host).filter(
      (f) => f.name === r.name && f.type === r.type && f.type !== 'DIR',
    )
    const highest = existing.reduce((m, f) => Math.max(m, f.version), 0)
    const version = typeof r.version === 'number' && r.version > 0 ? r.version : highest + 1
    if (version > 32767) throw new DclError(SS.BADPARAM, text.toUpperCase())
    const plain = `${r.name.toLowerCase()}${r.type === '' ? '.' : `.${r.type.toLowerCase()}`}`
    const same = existing.find((f) => f.version === version)
    const hostPath =
      same?.hostPath ?? join(host, version === 1 ? plain.replace(/\.$/, '') : `${plain};${version}`)
    writeFileSync(this.contained(hostPath), data)
    return this.file(r.directory, r.name, r.type, version, hostPath)
  }

  /** Makes a directory (CREATE/DIRECTORY), and its parents. */
  createDirectory(text: string): string {
    const spec = this.parse(text)
    const parts = this.directoryOf(spec)
    if (parts.some((p) => /[*%]|\.\.\./.test(p))) throw new DclError(RMS.SYN, text.toUpperCase())
    this.hostDirectory(parts, true)
    return `${this.device}:${formatDirectory(parts)}`
  }

  /** Deletes a file (one version). */
  remove(file: DiskFile): void {
    unlinkSync(this.contained(file.hostPath))
  }

  /** Renames a file to another spec (a new version there). */
  rename(file: DiskFile, to: string): DiskFile {
    const r = this.resolve(to, { name: file.name, type: file.type })
    const name = r.name === '*' ? file.name : r.name
    const type = r.type === '*' ? file.type : r.type
    const target = `${formatDirectory(r.directory)}${name}.${type}`
    const written = this.write(target, '', {})
    renameSync(this.contained(file.hostPath), written.hostPath)
    return written
  }
}
