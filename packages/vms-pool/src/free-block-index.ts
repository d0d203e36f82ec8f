/**
 * An index of the free blocks of one variable-length list, by granule (16 bytes).
 *
 * A max segment tree over the granules of the region: a leaf holds the size in granules
 * of the free block that starts there (0 where none starts). It answers the three
 * questions EXE$ALLOCATE and EXE$DEALLOCATE ask of the address-ordered free list in
 * O(log n) instead of walking it: the lowest-addressed block of at least n granules
 * (first fit), and the free blocks just below and just above an address (for merging
 * and for relinking the list that lives in pool memory).
 */
export class FreeBlockIndex {
  private readonly leaves: number
  private readonly tree: Int32Array

  constructor(granules: number) {
    let leaves = 1
    while (leaves < granules) leaves *= 2
    this.leaves = leaves
    this.tree = new Int32Array(2 * leaves)
  }

  /** Size in granules of the free block starting at `granule`, or 0. */
  sizeAt(granule: number): number {
    return this.tree[this.leaves + granule] ?? 0
  }

  /** Size in granules of the largest free block. */
  largest(): number {
    return this.tree[1] ?? 0
  }

  set(granule: number, size: number): void {
    const tree = this.tree
    let node = this.leaves + granule
    tree[node] = size
    node >>= 1
    while (node >= 1) {
      const left = tree[2 * node] as number
      const right = tree[2 * node + 1] as number
      const max = Math.max(left, right)
      if (tree[node] === max) break
      tree[node] = max
      node >>= 1
    }
  }

  /** The lowest granule where a free block of at least `size` granules starts, or -1. */
  firstFit(size: number): number {
    const tree = this.tree
    if ((tree[1] as number) < size) return -1
    let node = 1
    while (node < this.leaves) {
      node = (tree[2 * node] as number) >= size ? 2 * node : 2 * node + 1
    }
    return node - this.leaves
  }

  /** The start of the nearest free block below `granule` (strictly), or -1. */
  previous(granule: number): number {
    const tree = this.tree
    let node = this.leaves + granule
    while (node > 1) {
      if (node & 1 && (tree[node - 1] as number) > 0) {
        node -= 1
        while (node < this.leaves) {
          node = (tree[2 * node + 1] as number) > 0 ? 2 * node + 1 : 2 * node
        }
        return node - this.leaves
      }
      node >>= 1
    }
    return -1
  }

  /** The start of the nearest free block above `granule` (strictly), or -1. */
  next(granule: number): number {
    const tree = this.tree
    let node = this.leaves + granule
    while (node > 1) {
      if ((node & 1) === 0 && (tree[node + 1] as number) > 0) {
        node += 1
        while (node < this.leaves) {
          node = (tree[2 * node] as number) > 0 ? 2 * node : 2 * node + 1
        }
        return node - this.leaves
      }
      node >>= 1
    }
    return -1
  }
}
