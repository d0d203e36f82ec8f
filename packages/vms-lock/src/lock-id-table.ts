import type { Lkb } from './structures'

/**
 * The lock ID table (book 13.1.4). A lock ID is an index into the table with a sequence
 * number above it; an unused entry holds the next sequence number for its index and the
 * index of the next unused entry. Freed indexes go to the head of the free list
 * (LCK$GL_NXTID), and the sequence number moves on, so an ID kept after $DEQ is stale:
 * it names the index but not the current use of it, and is refused with SS$_IVLOCKID.
 * Index 0 is never used, so 0 is never a lock ID (see ID_BITS for the widths). The table starts with `initial`
 * entries (LOCKIDTBL) and grows by as many up to `maximum` (LOCKIDTBL_MAX).
 */
/**
 * Bits in a lock ID. VMS puts a 16-bit sequence number above the 16-bit index; here the
 * sequence number has the bits left below 30 (14 with the VMS index), so that every lock
 * ID is a small integer to the JavaScript engine (no boxed numbers on the hot path). An
 * ID goes stale as in VMS; it could name its index again only after 16,383 reuses.
 */
export const ID_BITS = 30

export class LockIdTable {
  private readonly entries: (Lkb | undefined)[] = [undefined]
  private readonly sequence: number[] = [0]
  private readonly next: number[] = [0]
  /** LCK$GL_NXTID: the first unused index, 0 when none. */
  private nxtid = 0
  /** Bits of the lock ID given to the index; the sequence number is above them. */
  readonly indexBits: number
  private readonly indexMask: number
  private readonly indexScale: number
  private readonly sequenceMask: number

  constructor(
    private readonly initial: number,
    readonly maximum: number,
  ) {
    this.indexBits = Math.max(16, Math.ceil(Math.log2(maximum + 1)))
    if (this.indexBits > ID_BITS - 4) throw new RangeError('LOCKIDTBL_MAX is too large')
    this.indexScale = 2 ** this.indexBits
    this.indexMask = this.indexScale - 1
    this.sequenceMask = 2 ** (ID_BITS - this.indexBits) - 1
    this.grow()
  }

  /** Entries in the table now (index 0 included). */
  get size(): number {
    return this.entries.length
  }

  /** The ID the next allocation will return, or 0 if the table is full and at its maximum. */
  peek(): number {
    if (this.nxtid === 0 && !this.canGrow()) return 0
    if (this.nxtid === 0) return this.compose(this.entries.length, 1)
    return this.compose(this.nxtid, this.sequence[this.nxtid] as number)
  }

  /** Takes an unused entry for `lkb` (whose ID must be `peek()`); false when full. */
  allocate(lkb: Lkb): boolean {
    if (this.nxtid === 0 && !this.grow()) return false
    const index = this.nxtid
    this.nxtid = this.next[index] as number
    this.entries[index] = lkb
    return true
  }

  /** The LKB a lock ID names, or undefined for an unused index or a stale sequence number. */
  lookup(lockId: number): Lkb | undefined {
    if (typeof lockId !== 'number' || lockId !== lockId >>> 0) return undefined
    const index = lockId & this.indexMask
    const lkb = this.entries[index]
    return lkb !== undefined && lkb.lkid === lockId ? lkb : undefined
  }

  /** Returns the entry of `lkb` to the head of the free list with the next sequence number. */
  release(lkb: Lkb): void {
    const index = lkb.lkid & this.indexMask
    this.entries[index] = undefined
    let seq = ((this.sequence[index] as number) + 1) & this.sequenceMask
    if (seq === 0) seq = 1
    this.sequence[index] = seq
    this.next[index] = this.nxtid
    this.nxtid = index
  }

  /** Live locks in index order (the order of $GETLKI's wildcard scan). */
  *locks(from = 1): IterableIterator<Lkb> {
    for (let i = from; i < this.entries.length; i++) {
      const lkb = this.entries[i]
      if (lkb !== undefined) yield lkb
    }
  }

  /** The index part of a lock ID. */
  indexOf(lockId: number): number {
    return lockId & this.indexMask
  }

  /** The free list and sequence numbers, for snapshots. */
  state(): { readonly size: number; readonly nxtid: number; readonly free: readonly number[] } {
    const free: number[] = []
    for (let i = this.nxtid; i !== 0; i = this.next[i] as number)
      free.push(this.compose(i, this.sequence[i] as number))
    return { size: this.entries.length, nxtid: this.nxtid, free }
  }

  private compose(index: number, seq: number): number {
    return seq * this.indexScale + index
  }

  private canGrow(): boolean {
    return this.entries.length <= this.maximum
  }

  /** Adds LOCKIDTBL entries (fewer at the maximum), linked in index order. */
  private grow(): boolean {
    const from = this.entries.length
    const to = Math.min(this.maximum + 1, from + this.initial)
    if (to <= from) return false
    for (let i = from; i < to; i++) {
      this.entries.push(undefined)
      this.sequence.push(1)
      this.next.push(i + 1 < to ? i + 1 : this.nxtid)
    }
    this.nxtid = from
    return true
  }
}
