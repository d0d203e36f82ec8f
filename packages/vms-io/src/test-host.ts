import { SS, type Status } from '@vms/contracts'
import { BLOCK_SIZE, type BlockDeviceLike } from './block-device'
import type { IoHost, IrpPool } from './io-system'
import { IoSystem, type IoSystemOptions } from './io-system'

/** A pool that counts what is live, so tests can compare it before and after. */
export function countingPool(limitBytes = Number.POSITIVE_INFINITY) {
  const live = new Map<number, { bytes: number; type: number }>()
  let next = 0x80000000
  let bytes = 0
  const pool: IrpPool & { stats(): { blocks: number; bytes: number } } = {
    allocate(size, type = 0) {
      if (bytes + size > limitBytes) return { status: SS.INSFMEM, address: 0 }
      const address = next
      next += Math.ceil(size / 16) * 16
      live.set(address, { bytes: size, type })
      bytes += size
      return { status: SS.NORMAL, address }
    },
    deallocate(address) {
      const block = live.get(address)
      if (block === undefined) throw new Error(`deallocating ${address.toString(16)} twice`)
      live.delete(address)
      bytes -= block.bytes
    },
    stats: () => ({ blocks: live.size, bytes }),
  }
  return { pool, setLimit: (n: number) => (limitBytes = n) }
}

/**
 * A host with each process's memory as a flat array at 0x1000-0x2fff, virtual time
 * that advances when told, and a record of event flags and ASTs.
 */
export function testSystem(
  options: { poolLimit?: number; privileges?: string[]; io?: Partial<IoSystemOptions> } = {},
) {
  const memories = new Map<number, Uint8Array>()
  const memoryOf = (pid: number) => {
    let m = memories.get(pid)
    if (m === undefined) {
      m = new Uint8Array(0x2000)
      memories.set(pid, m)
    }
    return m
  }
  const events: string[] = []
  const timers: { at: number; then: () => void }[] = []
  let now = 0
  const inRange = (va: number, length: number) => va >= 0x1000 && va + length <= 0x3000
  const privileges = new Set(options.privileges ?? ['TMPMBX', 'PRMMBX'])
  const host: IoHost = {
    readUser: (va, length) =>
      inRange(va, length) ? memoryOf(1).slice(va - 0x1000, va - 0x1000 + length) : SS.ACCVIO,
    probeWrite: (va, length) => inRange(va, length),
    clearEventFlag: (_pid, efn): Status => (efn < 0 || efn > 127 ? SS.ILLEFC : SS.WASCLR),
    setEventFlag: (pid, efn, boost) => events.push(`efn ${efn} of ${pid} boost ${boost}`),
    queueAst: (pid, mode, routine, parameter) =>
      events.push(`ast ${routine.toString(16)}(${parameter}) to ${pid} mode ${mode}`),
    writeProcess: (pid, address, data) => memoryOf(pid).set(data, address - 0x1000),
    after: (delay, then) => timers.push({ at: now + delay, then }),
    hasPrivilege: (_pid, privilege) => privileges.has(privilege),
  }
  const counting = countingPool(options.poolLimit)
  const io = new IoSystem(host, { pool: counting.pool, channelCount: 4, ...options.io })
  /** Runs every timer due by `to`, in time order, then I/O postprocessing. */
  const advance = (to: number) => {
    for (;;) {
      timers.sort((a, b) => a.at - b.at)
      const first = timers[0]
      if (first === undefined || first.at > to) break
      timers.shift()
      now = Math.max(now, first.at)
      first.then()
    }
    now = Math.max(now, to)
    io.postprocess()
  }
  const iosb = (address: number, pid = 1) => {
    const v = new DataView(memoryOf(pid).buffer, address - 0x1000, 8)
    return {
      status: v.getUint16(0, true),
      count: v.getUint16(2, true),
      device: v.getUint32(4, true),
    }
  }
  const poke = (address: number, bytes: Uint8Array | string, pid = 1) =>
    memoryOf(pid).set(
      typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes,
      address - 0x1000,
    )
  const peek = (address: number, length: number, pid = 1) =>
    memoryOf(pid).slice(address - 0x1000, address - 0x1000 + length)
  return {
    io,
    host,
    events,
    advance,
    iosb,
    poke,
    peek,
    pool: counting.pool,
    setPoolLimit: counting.setLimit,
    privileges,
    pendingTimers: () => timers.length,
    now: () => now,
  }
}

/** $QIO arguments with defaults: event flag 1, IOSB at 0x1800, no AST. */
export function qioArgs(
  channel: number,
  func: number,
  p: readonly number[] = [],
  extra: Partial<{ efn: number; iosb: number; astadr: number; astprm: number }> = {},
) {
  return {
    efn: 1,
    channel,
    func,
    iosb: 0x1800,
    astadr: 0,
    astprm: 0,
    p: [...p, 0, 0, 0, 0, 0, 0].slice(0, 6),
    ...extra,
  }
}

/** A block device in memory, as `@vax-vms/block-device`'s MemoryBlockDevice is. */
export function memoryDisk(blocks: number): BlockDeviceLike & { bytes: Uint8Array } {
  const bytes = new Uint8Array(blocks * BLOCK_SIZE)
  const check = (block: number, length: number) => {
    if (block < 0 || block + length / BLOCK_SIZE > blocks)
      throw Object.assign(new Error('EINVAL'), { code: 'EINVAL' })
  }
  return {
    blocks,
    bytes,
    read(block, buffer) {
      check(block, buffer.length)
      buffer.set(bytes.subarray(block * BLOCK_SIZE, block * BLOCK_SIZE + buffer.length))
    },
    write(block, data) {
      check(block, data.length)
      bytes.set(data, block * BLOCK_SIZE)
    },
    flush() {},
    close() {},
  }
}
