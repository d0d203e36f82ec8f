import {
  linkSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { basename, dirname, join } from 'node:path'
import type { StateStore, SubsystemState } from './state'

const sleeper = new Int32Array(new SharedArrayBuffer(4))

/** Blocks the thread for `ms` milliseconds (the store's calls are synchronous). */
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms)
}

/** True when process `pid` exists (signal 0 tests without sending). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function code(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code
}

let instances = 0

/**
 * Shared state for hosts in several processes: a JSON file beside the backing file,
 * guarded by a lock.
 *
 * - The lock is the name `<path>.lock`. Each store keeps a file of its own,
 *   `<path>.lock.<pid>.<n>`, and takes the lock by hard-linking it to that name (link(2)
 *   fails if the name exists, atomically); it gives the lock back by unlinking the name.
 * - Holding the lock, `run` reads the state (parsing it again only when the text
 *   changed), runs the command, media transfer included, and
 *   writes the state back, when it changed, through a temporary file and a rename, so a
 *   crash leaves the old state or the new one, never half of one.
 * - A waiter sleeps 1 ms between tries. A lock whose owner (found by matching the
 *   lock's inode against the owners' files) no longer runs is broken: a host that
 *   crashed inside a command.
 */
export class FileStateStore implements StateStore {
  private readonly lockPath: string
  private readonly mine: string
  private cache: { text: string; state: SubsystemState } | null = null
  private closed = false

  /**
   * Opens the state at `path`, creating it with `initial()` when it does not exist.
   * `timeoutMs` bounds the wait for the lock; past it `run` throws.
   */
  constructor(
    readonly path: string,
    initial: () => SubsystemState,
    private readonly timeoutMs = 10_000,
  ) {
    this.lockPath = `${path}.lock`
    this.mine = `${this.lockPath}.${process.pid}.${++instances}`
    writeFileSync(this.mine, '')
    this.locked(() => {
      try {
        statSync(path)
      } catch (error) {
        if (code(error) !== 'ENOENT') throw error
        this.write(JSON.stringify(initial()))
      }
    })
  }

  run<A, R>(fn: (state: SubsystemState, arg: A) => R, arg: A): R {
    if (this.closed) throw new Error(`state store ${this.path} is closed`)
    return this.locked(() => {
      const { text, state } = this.read()
      let result: R
      try {
        result = fn(state, arg)
      } catch (error) {
        this.cache = null // the parsed state may be half changed
        throw error
      }
      const after = JSON.stringify(state)
      if (after !== text) {
        this.write(after)
        this.cache = null
      }
      return result
    })
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    try {
      unlinkSync(this.mine)
    } catch {
      // already gone
    }
  }

  private read(): { text: string; state: SubsystemState } {
    // Always read: inode numbers are reused and timestamps are coarse, so neither can
    // prove the file unchanged. Only the parse is saved when the text is the same.
    const text = readFileSync(this.path, 'utf8')
    if (this.cache?.text === text) return this.cache
    this.cache = { text, state: JSON.parse(text) as SubsystemState }
    return this.cache
  }

  private write(text: string): void {
    const temp = `${this.mine}.tmp`
    writeFileSync(temp, text)
    renameSync(temp, this.path)
  }

  private locked<R>(body: () => R): R {
    this.acquire()
    try {
      return body()
    } finally {
      unlinkSync(this.lockPath)
    }
  }

  private acquire(): void {
    const deadline = Date.now() + this.timeoutMs
    for (;;) {
      try {
        linkSync(this.mine, this.lockPath)
        return
      } catch (error) {
        if (code(error) !== 'EEXIST') throw error
      }
      this.breakIfStale()
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${this.lockPath}`)
      sleep(1)
    }
  }

  private breakIfStale(): void {
    let lock: bigint
    try {
      lock = statSync(this.lockPath, { bigint: true }).ino
    } catch {
      return // released meanwhile
    }
    const prefix = `${basename(this.lockPath)}.`
    const dir = dirname(this.lockPath)
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix) || name.endsWith('.tmp')) continue
      const owner = join(dir, name)
      try {
        if (statSync(owner, { bigint: true }).ino !== lock) continue
      } catch {
        continue
      }
      const pid = Number(name.slice(prefix.length).split('.')[0])
      if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) {
        for (const p of [this.lockPath, owner]) {
          try {
            unlinkSync(p)
          } catch {
            // another waiter broke it first
          }
        }
      }
      return
    }
  }
}
