/**
 * A fake kernel and a fake process memory, so that tests call $CRELNM, $TRNLNM and
 * $DELLNM exactly as a VAX program does: arguments by reference, string descriptors,
 * item lists, all in a byte array with pages a user may not read or write.
 */
import {
  type DynamicMemory,
  type GuestAccess,
  type Kernel,
  type ProcessIdentity,
  ServiceFault,
  SS,
  type Status,
  type Subsystem,
} from '@vms/contracts'
import { LNM } from '../lnm'
import type { LogicalNames } from '../logical-names'
import { logicalNamesSubsystem } from '../subsystem'

/** The size of the fake address space. */
const SIZE = 0x10000
/** Addresses below this cannot be read or written (page 0, as in VMS). */
export const NO_ACCESS_LOW = 0x200
/** From here up the memory cannot be read or written. */
export const NO_ACCESS_HIGH = 0xf000
/** From here to NO_ACCESS_HIGH the memory can be read but not written. */
export const READ_ONLY = 0xe000

/** The process memory: readable below NO_ACCESS_HIGH above page 0, writable below READ_ONLY. */
export class FakeGuest implements GuestAccess {
  readonly bytes = new Uint8Array(SIZE)
  private next = 0x1000
  private nextReadOnly = READ_ONLY

  private check(va: number, length: number, write: boolean): void {
    const start = va >>> 0
    const end = start + length
    if (length === 0) return
    if (start < NO_ACCESS_LOW || end > NO_ACCESS_HIGH || (write && end > READ_ONLY))
      throw new ServiceFault(SS.ACCVIO)
  }

  read(va: number, length: number): Uint8Array {
    this.check(va, length, false)
    return this.bytes.slice(va >>> 0, (va >>> 0) + length)
  }
  write(va: number, data: Uint8Array): void {
    this.check(va, data.length, true)
    this.bytes.set(data, va >>> 0)
  }
  read32(va: number): number {
    const b = this.read(va, 4)
    return new DataView(b.buffer).getInt32(0, true)
  }
  write32(va: number, value: number): void {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setInt32(0, value, true)
    this.write(va, b)
  }
  probeWrite(va: number, length: number): void {
    this.check(va, length, true)
  }
  descriptor(address: number): string {
    const n = this.read(address, 2)
    const length = (n[0] as number) | ((n[1] as number) << 8)
    const pointer = this.read32(address + 4)
    return String.fromCharCode(...this.read(pointer, Math.min(length, 255)))
  }

  /** Runs `use`, then gives back the memory it allocated (for arguments built per call). */
  scratch<T>(use: () => T): T {
    const mark = this.next
    try {
      return use()
    } finally {
      this.next = mark
    }
  }

  /** Room for `n` bytes (writable, longword aligned). */
  allocate(n: number): number {
    const at = this.next
    this.next += (n + 3) & ~3
    if (this.next > READ_ONLY) throw new Error('fake guest memory full')
    return at
  }
  /** Bytes placed in the read-only pages. */
  readOnly(data: Uint8Array): number {
    const at = this.nextReadOnly
    this.bytes.set(data, at)
    this.nextReadOnly += (data.length + 3) & ~3
    return at
  }
  /** A longword holding `value`; its address (an argument passed by reference). */
  longword(value: number): number {
    const at = this.allocate(4)
    new DataView(this.bytes.buffer).setInt32(at, value, true)
    return at
  }
  /** A byte holding `value`; its address. */
  byte(value: number): number {
    const at = this.allocate(1)
    this.bytes[at] = value
    return at
  }
  /** A string descriptor (class S) for `text`, with the text beside it; its address. */
  string(text: string, length = text.length): number {
    const at = this.allocate(8 + text.length)
    const view = new DataView(this.bytes.buffer)
    view.setUint16(at, length, true)
    this.bytes[at + 2] = 14 // DSC$K_DTYPE_T
    this.bytes[at + 3] = 1 // DSC$K_CLASS_S
    view.setUint32(at + 4, at + 8, true)
    for (let i = 0; i < text.length; i++) this.bytes[at + 8 + i] = text.charCodeAt(i)
    return at
  }
  /** A descriptor whose text pointer is `pointer` (to make one that points nowhere). */
  descriptorTo(pointer: number, length: number): number {
    const at = this.allocate(8)
    const view = new DataView(this.bytes.buffer)
    view.setUint16(at, length, true)
    view.setUint32(at + 4, pointer, true)
    return at
  }
  /** An item list: entries of length, code, buffer, return-length address; a zero longword ends it. */
  itemList(items: readonly Item[]): number {
    const at = this.allocate(12 * items.length + 4)
    const view = new DataView(this.bytes.buffer)
    for (const [i, item] of items.entries()) {
      view.setUint16(at + 12 * i, item.length, true)
      view.setUint16(at + 12 * i + 2, item.code, true)
      view.setUint32(at + 12 * i + 4, item.buffer, true)
      view.setUint32(at + 12 * i + 8, item.retlen ?? 0, true)
    }
    view.setUint32(at + 12 * items.length, 0, true)
    return at
  }
  /** Bytes holding `text`; their address (an item's buffer). */
  text(text: string): number {
    const at = this.allocate(text.length)
    for (let i = 0; i < text.length; i++) this.bytes[at + i] = text.charCodeAt(i)
    return at
  }
  readText(at: number, length: number): string {
    return String.fromCharCode(...this.bytes.slice(at, at + length))
  }
  readWord(at: number): number {
    return new DataView(this.bytes.buffer).getUint16(at, true)
  }
  readLong(at: number): number {
    return new DataView(this.bytes.buffer).getInt32(at, true)
  }
}

export interface Item {
  readonly length: number
  readonly code: number
  readonly buffer: number
  readonly retlen?: number
}

/** Pool that counts what is in use and fails past a limit. */
export class FakePool implements DynamicMemory {
  inUse = 0
  limit = Number.POSITIVE_INFINITY
  private next = 0x80000000
  private readonly blocks = new Map<number, number>()

  allocate(bytes: number, _type: number): { status: Status; address: number } {
    if (this.inUse + bytes > this.limit) return { status: SS.INSFMEM, address: 0 }
    const address = this.next
    this.next += bytes
    this.blocks.set(address, bytes)
    this.inUse += bytes
    return { status: SS.NORMAL, address }
  }
  deallocate(address: number): void {
    const bytes = this.blocks.get(address)
    if (bytes === undefined) throw new Error(`double free at ${address.toString(16)}`)
    this.blocks.delete(address)
    this.inUse -= bytes
  }
  get count(): number {
    return this.blocks.size
  }
}

/** A kernel with processes of given groups, jobs and privileges. */
export class FakeKernel implements Kernel {
  readonly memory = new FakePool()
  readonly processes = new Map<number, ProcessIdentity>()
  private readonly deleted: ((pid: number) => void)[] = []

  addProcess(pid: number, options: { group?: number; job?: number; privileges?: string[] } = {}) {
    this.processes.set(pid, {
      pid,
      name: `P${pid}`,
      group: options.group ?? 0o200,
      job: options.job ?? pid,
      privileges: new Set(options.privileges ?? []),
    })
  }
  deleteProcess(pid: number): void {
    for (const then of this.deleted) then(pid)
    this.processes.delete(pid)
  }
  now(): number {
    return 0
  }
  queueAst(): Status {
    return SS.NORMAL
  }
  setEventFlag(): Status {
    return SS.NORMAL
  }
  clearEventFlag(): Status {
    return SS.NORMAL
  }
  writeProcess(): void {}
  onProcessDeleted(then: (pid: number) => void): void {
    this.deleted.push(then)
  }
  onTick(): void {}
  process(pid: number): ProcessIdentity | undefined {
    return this.processes.get(pid)
  }
}

/** The services' arguments as a VAX program passes them (0 for an omitted one). */
export type Arguments = readonly number[]

/** A system with the logical name subsystem, processes and their memories. */
export class Machine {
  readonly kernel = new FakeKernel()
  readonly subsystem: Subsystem
  readonly guests = new Map<number, FakeGuest>()
  names!: LogicalNames

  constructor() {
    this.subsystem = logicalNamesSubsystem({
      onReady: (names) => {
        this.names = names
      },
    })(this.kernel)
  }

  /** A process and its memory, with its logical name tables made as process creation does. */
  process(
    pid: number,
    options: { group?: number; job?: number; privileges?: string[] } = {},
  ): FakeGuest {
    this.kernel.addProcess(pid, options)
    this.names.database.attach(pid)
    const guest = new FakeGuest()
    this.guests.set(pid, guest)
    return guest
  }

  guest(pid: number): FakeGuest {
    const guest = this.guests.get(pid)
    if (guest === undefined) throw new Error(`no process ${pid}`)
    return guest
  }

  /** Calls SYS$name from `pid` at `mode` with the argument list; R0. */
  call(name: 'CRELNM' | 'TRNLNM' | 'DELLNM', pid: number, mode: number, args: Arguments): Status {
    const service = this.subsystem.services?.find((s) => s.name === name)
    if (service === undefined) throw new Error(`no service ${name}`)
    const guest = this.guest(pid)
    try {
      return service.call({
        pid,
        mode,
        count: args.length,
        arg: (i) => (args[i] ?? 0) | 0,
        guest,
      })
    } catch (error) {
      if (error instanceof ServiceFault) return error.status
      throw error
    }
  }

  /**
   * $CRELNM with its arguments built in the caller's memory: equivalences as
   * LNM$_STRING items (with LNM$_ATTRIBUTES before each that has attributes).
   */
  crelnm(
    pid: number,
    mode: number,
    table: string,
    name: string,
    values: readonly (string | { value: string; flags?: number; index?: number })[],
    options: { attr?: number; acmode?: number } = {},
  ): Status {
    const g = this.guest(pid)
    return g.scratch(() => this.crelnmIn(g, pid, mode, table, name, values, options))
  }

  private crelnmIn(
    g: FakeGuest,
    pid: number,
    mode: number,
    table: string,
    name: string,
    values: readonly (string | { value: string; flags?: number; index?: number })[],
    options: { attr?: number; acmode?: number },
  ): Status {
    const items: Item[] = []
    for (const v of values) {
      const x = typeof v === 'string' ? { value: v } : v
      if (x.index !== undefined)
        items.push({ length: 4, code: LNM._INDEX, buffer: g.longword(x.index) })
      if (x.flags !== undefined)
        items.push({ length: 4, code: LNM._ATTRIBUTES, buffer: g.longword(x.flags) })
      items.push({ length: x.value.length, code: LNM._STRING, buffer: g.text(x.value) })
    }
    return this.call('CRELNM', pid, mode, [
      options.attr === undefined ? 0 : g.longword(options.attr),
      g.string(table),
      g.string(name),
      options.acmode === undefined ? 0 : g.byte(options.acmode),
      g.itemList(items),
    ])
  }

  /** $TRNLNM asking for index `index`'s string, length, attributes, the max index, mode and table. */
  trnlnm(
    pid: number,
    mode: number,
    table: string,
    name: string,
    options: { attr?: number; acmode?: number; index?: number } = {},
  ): TrnlnmResult {
    const g = this.guest(pid)
    return g.scratch(() => this.trnlnmIn(g, pid, mode, table, name, options))
  }

  private trnlnmIn(
    g: FakeGuest,
    pid: number,
    mode: number,
    table: string,
    name: string,
    options: { attr?: number; acmode?: number; index?: number },
  ): TrnlnmResult {
    const string = g.allocate(255)
    const table_ = g.allocate(64)
    const [stringLength, tableLength] = [g.allocate(2), g.allocate(2)]
    const [length, attributes, maxIndex, acmode] = [
      g.allocate(4),
      g.allocate(4),
      g.allocate(4),
      g.allocate(1),
    ]
    const items: Item[] = [
      { length: 4, code: LNM._INDEX, buffer: g.longword(options.index ?? 0) },
      { length: 255, code: LNM._STRING, buffer: string, retlen: stringLength },
      { length: 4, code: LNM._LENGTH, buffer: length },
      { length: 4, code: LNM._ATTRIBUTES, buffer: attributes },
      { length: 4, code: LNM._MAX_INDEX, buffer: maxIndex },
      { length: 1, code: LNM._ACMODE, buffer: acmode },
      { length: 64, code: LNM._TABLE, buffer: table_, retlen: tableLength },
    ]
    const status = this.call('TRNLNM', pid, mode, [
      options.attr === undefined ? 0 : g.longword(options.attr),
      g.string(table),
      g.string(name),
      options.acmode === undefined ? 0 : g.byte(options.acmode),
      g.itemList(items),
    ])
    if ((status & 1) === 0) return { status }
    return {
      status,
      string: g.readText(string, g.readWord(stringLength)),
      length: g.readLong(length),
      attributes: g.readLong(attributes),
      maxIndex: g.readLong(maxIndex),
      acmode: g.bytes[acmode] as number,
      table: g.readText(table_, g.readWord(tableLength)),
    }
  }

  /** $DELLNM. */
  dellnm(
    pid: number,
    mode: number,
    table: string,
    name?: string,
    options: { acmode?: number } = {},
  ): Status {
    const g = this.guest(pid)
    return g.scratch(() =>
      this.call('DELLNM', pid, mode, [
        g.string(table),
        name === undefined ? 0 : g.string(name),
        options.acmode === undefined ? 0 : g.byte(options.acmode),
      ]),
    )
  }

  /** The whole state: every name, and the pool in use. */
  state(): { names: ReturnType<LogicalNames['snapshot']>; pool: number } {
    return { names: this.names.snapshot(), pool: this.kernel.memory.inUse }
  }
}

export interface TrnlnmResult {
  readonly status: Status
  readonly string?: string
  readonly length?: number
  readonly attributes?: number
  readonly maxIndex?: number
  readonly acmode?: number
  readonly table?: string
}

/** Access modes. */
export const KERNEL = 0
export const EXEC = 1
export const SUPER = 2
export const USER = 3
