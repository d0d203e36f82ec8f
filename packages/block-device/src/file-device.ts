import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs'
import { BLOCK_SIZE, type BlockDevice, BlockDeviceError, checkRequest } from './block-device'

/** How `FileBlockDevice.create` treats a file that is already there. */
export interface CreateFileOptions {
  /** Replace an existing file (its contents are lost). Without it, an existing file is EINVAL. */
  readonly overwrite?: boolean
}

/** How `FileBlockDevice.open` opens its file. */
export interface OpenFileOptions {
  /** Open read-only: every write throws EIO. */
  readonly readOnly?: boolean
}

/** Turns a host file-system error into the block-device errno a driver would report. */
function hostError(error: unknown, what: string): BlockDeviceError {
  const code = (error as { code?: unknown }).code
  if (code === 'ENOENT') return new BlockDeviceError('ENXIO', `${what}: no such file`)
  if (code === 'EEXIST') return new BlockDeviceError('EINVAL', `${what}: the file already exists`)
  return new BlockDeviceError('EIO', `${what}: ${String(code ?? error)}`)
}

/**
 * A block device kept in a host file: block `n` is bytes `n * 512 .. n * 512 + 511`, read
 * and written with positional I/O (`fs.readSync` / `fs.writeSync` at an offset), so the
 * image survives the process. `flush()` is `fdatasync`: only then is a write durable
 * against a host crash. The file's size is the device's size and never changes.
 */
export class FileBlockDevice implements BlockDevice {
  readonly blocks: number
  private fd: number | null

  private constructor(
    readonly path: string,
    fd: number,
    blocks: number,
    private readonly readOnly: boolean,
  ) {
    this.fd = fd
    this.blocks = blocks
  }

  /**
   * Creates a file of `blocks` zeroed blocks (a sparse file where the host allows it),
   * makes its size durable and returns it open for reading and writing.
   */
  static create(path: string, blocks: number, options: CreateFileOptions = {}): FileBlockDevice {
    if (!Number.isSafeInteger(blocks) || blocks < 0)
      throw new BlockDeviceError('EINVAL', `a device of ${blocks} blocks`)
    let fd: number
    try {
      fd = openSync(path, options.overwrite ? 'w+' : 'wx+')
    } catch (error) {
      throw hostError(error, path)
    }
    try {
      ftruncateSync(fd, blocks * BLOCK_SIZE)
      fdatasyncSync(fd)
    } catch (error) {
      closeSync(fd)
      throw hostError(error, path)
    }
    return new FileBlockDevice(path, fd, blocks, false)
  }

  /** Opens an existing image; its size must be a whole number of blocks (EINVAL otherwise). */
  static open(path: string, options: OpenFileOptions = {}): FileBlockDevice {
    let fd: number
    try {
      fd = openSync(path, options.readOnly ? 'r' : 'r+')
    } catch (error) {
      throw hostError(error, path)
    }
    const size = fstatSync(fd).size
    if (size % BLOCK_SIZE !== 0) {
      closeSync(fd)
      throw new BlockDeviceError('EINVAL', `${path}: ${size} bytes is not whole blocks`)
    }
    return new FileBlockDevice(path, fd, size / BLOCK_SIZE, options.readOnly ?? false)
  }

  read(block: number, buffer: Uint8Array): void {
    const fd = this.openFd()
    checkRequest(this.blocks, block, buffer)
    let done = 0
    try {
      while (done < buffer.length) {
        const n = readSync(fd, buffer, done, buffer.length - done, block * BLOCK_SIZE + done)
        if (n === 0) break
        done += n
      }
    } catch (error) {
      throw hostError(error, this.path)
    }
    // A file shortened behind our back reads as zeros past its end, like a sparse hole.
    buffer.fill(0, done)
  }

  write(block: number, data: Uint8Array): void {
    const fd = this.openFd()
    checkRequest(this.blocks, block, data)
    if (this.readOnly) throw new BlockDeviceError('EIO', `${this.path} is open read-only`)
    let done = 0
    try {
      while (done < data.length)
        done += writeSync(fd, data, done, data.length - done, block * BLOCK_SIZE + done)
    } catch (error) {
      throw hostError(error, this.path)
    }
  }

  flush(): void {
    const fd = this.openFd()
    if (this.readOnly) return
    try {
      fdatasyncSync(fd)
    } catch (error) {
      throw hostError(error, this.path)
    }
  }

  close(): void {
    if (this.fd === null) return
    const fd = this.fd
    this.fd = null
    closeSync(fd)
  }

  private openFd(): number {
    if (this.fd === null) throw new BlockDeviceError('ENXIO', `${this.path} is closed`)
    return this.fd
  }
}
