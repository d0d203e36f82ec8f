import { PoolIntegrityError } from './errors'
import type { PoolMemory } from './memory'

/** Page size of the VAX: pool regions grow a page at a time (book 3.2.4). */
export const PAGE_SIZE = 512
const FLINK = 0
const BLINK = 4
const LINKS = 8

/** Packet states; an unformatted packet is 0. */
const FREE = 1
const IN_USE = 2

export interface LookasideListOptions {
  /** "SRP", "IRP" or "LRP". */
  readonly name: string
  /** Address of the region's first packet (the list's split address). */
  readonly start: number
  /** Bytes in each packet. */
  readonly packetSize: number
  /** Packets formatted at initialization (SRPCOUNT, IRPCOUNT, LRPCOUNT). */
  readonly initialCount: number
  /** Most packets the list may ever hold (SRPCOUNTV, IRPCOUNTV, LRPCOUNTV). */
  readonly maximumCount: number
  /** Pattern for free packets, checked on reallocation (POOLCHECK); undefined for none. */
  readonly poison?: number | undefined
}

/**
 * A lookaside list of fixed-size packets (book 3.1.3 and 3.2.1): a doubly linked queue
 * whose links are the first two longwords of each free packet. Allocation removes the
 * packet at the head (REMQUE); deallocation inserts at the tail (INSQUE), so the list
 * keeps a transaction history as long as itself.
 *
 * The region is reserved for `maximumCount` packets; only the first `initialCount` are
 * formatted at first, and `expand` maps one more page and formats the packets that fit
 * in it and in the fragment left from the previous page.
 */
export class LookasideList {
  readonly name: string
  readonly start: number
  readonly packetSize: number
  readonly initialCount: number
  readonly maximumCount: number
  private readonly memory: PoolMemory
  private readonly poison: number | undefined
  /** Per packet: unformatted, free or in use; catches double and partial deallocation. */
  private readonly state: Uint8Array
  private head = 0
  private tail = 0
  private formatted = 0
  private freeCount = 0
  /** End of the mapped part of the region (page aligned), MMG$GL_xRPNEXT's page. */
  private mappedEnd: number

  constructor(memory: PoolMemory, options: LookasideListOptions) {
    this.name = options.name
    this.start = options.start
    this.packetSize = options.packetSize
    this.initialCount = options.initialCount
    this.maximumCount = options.maximumCount
    this.memory = memory
    this.poison = options.poison
    this.state = new Uint8Array(options.maximumCount)
    this.mappedEnd = this.start
    this.formatUpTo(this.start + options.initialCount * options.packetSize, options.initialCount)
  }

  /** Bytes reserved for the region: room for the maximum count, to a page boundary. */
  static regionSize(packetSize: number, maximumCount: number): number {
    return Math.ceil((packetSize * maximumCount) / PAGE_SIZE) * PAGE_SIZE
  }

  /** Packets formatted so far (current size of the list). */
  get packets(): number {
    return this.formatted
  }

  get freePackets(): number {
    return this.freeCount
  }

  /** Bytes of the region mapped now. */
  get currentSize(): number {
    return this.mappedEnd - this.start
  }

  /** True when `address` lies in this list's reserved region. */
  owns(address: number): boolean {
    return address >= this.start && address < this.start + this.maximumCount * this.packetSize
  }

  /** REMQUE from the head: a free packet's address, or -1 when the list is empty. */
  allocate(): number {
    const packet = this.head
    if (packet === 0) return -1
    if (this.poison !== undefined) {
      const bad = this.memory.findMismatch(packet + LINKS, this.packetSize - LINKS, this.poison)
      if (bad >= 0) {
        throw new PoolIntegrityError(
          'POISON_OVERWRITTEN',
          this.name,
          bad,
          'free packet was written while on the lookaside list',
        )
      }
    }
    const next = this.memory.readLong(packet + FLINK)
    this.head = next
    if (next === 0) this.tail = 0
    else this.memory.writeLong(next + BLINK, 0)
    this.state[this.indexOf(packet)] = IN_USE
    this.freeCount--
    return packet
  }

  /**
   * INSQUE at the tail. The address must be the start of a packet of this list that is
   * in use; anything else (a partial packet, a packet already free) is refused with a
   * PoolIntegrityError, because VMS treats lookaside packets as indivisible (3.2.3).
   */
  deallocate(address: number): void {
    const offset = address - this.start
    const index = offset / this.packetSize
    if (!Number.isInteger(index) || index < 0 || index >= this.formatted) {
      throw new PoolIntegrityError(
        'NOT_ALLOCATED',
        this.name,
        address,
        `not the start of a ${this.name} packet (packets are indivisible)`,
      )
    }
    if (this.state[index] !== IN_USE) {
      throw new PoolIntegrityError('DOUBLE_FREE', this.name, address, 'packet is already free')
    }
    this.insertTail(address)
  }

  /**
   * Pages `expand` would map to format one more packet: 0 when the fragment already
   * mapped holds one, -1 when the list is at its maximum count.
   */
  pagesToExpand(): number {
    if (this.formatted >= this.maximumCount) return -1
    const end = this.start + (this.formatted + 1) * this.packetSize
    return Math.max(0, Math.ceil((end - this.mappedEnd) / PAGE_SIZE))
  }

  /**
   * EXE$EXTENDPOOL's step for one list (book 3.2.4): maps the pages needed for one
   * more packet and formats every whole packet in them and in the fragment left from
   * the previous page. Returns the number of pages mapped, or -1 at the maximum.
   */
  expand(): number {
    const pages = this.pagesToExpand()
    if (pages < 0) return -1
    this.formatUpTo(this.start + (this.formatted + 1) * this.packetSize, this.maximumCount)
    return pages
  }

  /** Maps pages up to `end` and formats every whole packet in the mapped part, up to `count`. */
  private formatUpTo(end: number, count: number): void {
    const pages = Math.ceil((end - this.start) / PAGE_SIZE)
    this.mappedEnd = Math.max(this.mappedEnd, this.start + pages * PAGE_SIZE)
    const limit = Math.min(this.mappedEnd, this.start + count * this.packetSize)
    while (this.start + (this.formatted + 1) * this.packetSize <= limit) {
      const packet = this.start + this.formatted * this.packetSize
      this.formatted++
      this.insertTail(packet)
    }
  }

  private insertTail(packet: number): void {
    const memory = this.memory
    if (this.poison !== undefined) memory.fill(packet, this.packetSize, this.poison)
    memory.writeLong(packet + FLINK, 0)
    memory.writeLong(packet + BLINK, this.tail)
    if (this.tail === 0) this.head = packet
    else memory.writeLong(this.tail + FLINK, packet)
    this.tail = packet
    this.state[this.indexOf(packet)] = FREE
    this.freeCount++
  }

  private indexOf(packet: number): number {
    return (packet - this.start) / this.packetSize
  }

  /** Walks the free packets from head to tail through the links in pool memory. */
  *walk(): Generator<number> {
    let packet = this.head
    let guard = this.maximumCount + 1
    while (packet !== 0 && guard-- > 0) {
      yield packet
      packet = this.memory.readLong(packet + FLINK)
    }
  }
}
