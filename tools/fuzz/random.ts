/** A seeded generator (mulberry32), so every generated case can be replayed from its seed. */
export class Random {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [low, high]. */
  int(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1))
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  /** A 32-bit value, biased toward the boundaries where arithmetic goes wrong. */
  interesting32(): number {
    if (this.chance(0.5)) {
      return this.pick([
        0, 1, 2, -1, -2, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff,
        -0x80000000, 0x55555555, -0x55555556,
      ])
    }
    if (this.chance(0.3)) return this.int(-300, 300)
    return (this.next() * 4294967296) | 0
  }
}
