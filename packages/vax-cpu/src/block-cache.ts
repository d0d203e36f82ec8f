import type { Cpu } from './cpu'
import { VaxException } from './exceptions'
import { PHYSICAL_MASK } from './model'
import { PSL_CUR_SHIFT } from './psl'
import { type TranslatedBlock, translateBlock } from './translate'

/** What the translator has done since it was turned on. */
export interface JitStatistics {
  readonly enabled: boolean
  /** Blocks translated now held. */
  readonly blocks: number
  /** Blocks translated in all (translations after an invalidation count again). */
  readonly compiled: number
  /** Looks for a block at a PC. */
  readonly lookups: number
  /** Looks that found a translated block. */
  readonly hits: number
  /** hits / lookups (0 when none). */
  readonly hitRate: number
  /** Instructions executed inside translated blocks. */
  readonly translatedInstructions: number
  /** Blocks dropped because their code or their mapping changed. */
  readonly invalidations: number
  /** Times the whole cache was emptied to stay within its bound. */
  readonly flushes: number
}

/** Slots in the table of recently found blocks (a power of two). */
const RECENT = 1024

/** A PC seen at a block boundary: how often, and its translation once hot. */
interface Entry {
  va: number
  count: number
  block: TranslatedBlock | undefined
}

/**
 * The translated blocks, by the physical address of their first instruction (so that a
 * page mapped at the same virtual address in two processes keeps both translations, and
 * a remapped page is seen at once). Each entry also holds the virtual address it was
 * translated for: PC-relative operands were resolved against it.
 *
 * A PC becomes a block after HOT looks at it (or the threshold the Cpu was given), at the
 * first power of two from there; one whose first instruction cannot be translated is
 * tried again only at the following powers of two. The cache holds at most MAX_ENTRIES
 * PCs and MAX_BLOCKS translations (or the bound the Cpu was given); past either, it is emptied (the functions become
 * garbage) and starts again.
 */
export class BlockCache {
  static readonly HOT = 16
  static readonly MAX_BLOCKS = 4096
  static readonly MAX_ENTRIES = 65536
  private readonly cpu: Cpu
  private readonly maxBlocks: number
  private readonly hot: number
  private readonly entries = new Map<number, Entry>()
  private live = 0
  private compiled = 0
  private lookups = 0
  private hits = 0
  private invalidations = 0
  private flushes = 0
  /** Instructions executed in translated blocks (counted by the run loop). */
  executed = 0
  /** The block returned by the last lookup, to link to the next. */
  private last: TranslatedBlock | undefined
  /**
   * Blocks found lately, by a hash of their PC, with the translation state they were
   * found under: a look whose link misses (a RET returning to one of several callers)
   * finds its block here without translating the PC and searching `entries`.
   */
  private readonly recent = new Array<TranslatedBlock | undefined>(RECENT).fill(undefined)
  private readonly recentStamps = new Float64Array(RECENT)

  constructor(cpu: Cpu, maxBlocks = BlockCache.MAX_BLOCKS, hot = BlockCache.HOT) {
    this.cpu = cpu
    cpu.codeLines = new Uint8Array((cpu.memory.bytes.length >>> 4) + 2)
    this.maxBlocks = Math.max(1, Math.floor(maxBlocks))
    this.hot = Math.max(1, Math.floor(hot))
  }

  static none(): JitStatistics {
    return {
      enabled: false,
      blocks: 0,
      compiled: 0,
      lookups: 0,
      hits: 0,
      hitRate: 0,
      translatedInstructions: 0,
      invalidations: 0,
      flushes: 0,
    }
  }

  statistics(): JitStatistics {
    return {
      enabled: true,
      blocks: this.live,
      compiled: this.compiled,
      lookups: this.lookups,
      hits: this.hits,
      hitRate: this.lookups === 0 ? 0 : this.hits / this.lookups,
      translatedInstructions: this.executed,
      invalidations: this.invalidations,
      flushes: this.flushes,
    }
  }

  /**
   * The block to run at `pc` in the current mode and mapping, or undefined (the
   * interpreter runs the next instruction). A PC that cannot be fetched from, or that
   * lies outside RAM, has none.
   */
  lookup(pc: number): TranslatedBlock | undefined {
    const cpu = this.cpu
    this.lookups++
    // Direct chaining: the block that followed the last one at this PC, when the
    // translation state is the one it was found under.
    const translator = cpu.translator
    const stamp =
      cpu.mapen && translator !== undefined
        ? translator.generation * 4 + ((cpu.psl >>> PSL_CUR_SHIFT) & 3) + 1
        : 0
    const last = this.last
    if (last !== undefined) {
      const link = last.link
      if (link !== undefined && last.linkPc === pc && last.linkStamp === stamp && link.live) {
        this.hits++
        this.last = link
        return link
      }
    }
    const slot = (pc ^ (pc >>> 10)) & (RECENT - 1)
    let block = this.recent[slot]
    if (block !== undefined && block.va === pc && this.recentStamps[slot] === stamp && block.live) {
      this.hits++
    } else {
      block = this.find(pc)
      if (block !== undefined) {
        this.recent[slot] = block
        this.recentStamps[slot] = stamp
      }
    }
    if (last !== undefined && block !== undefined) {
      last.link = block
      last.linkPc = pc
      last.linkStamp = stamp
    }
    this.last = block
    return block
  }

  private find(pc: number): TranslatedBlock | undefined {
    const cpu = this.cpu
    let pa: number
    if (cpu.mapen && cpu.translator !== undefined) {
      try {
        pa = cpu.toPhysical(pc, false)
      } catch (e) {
        // The interpreter's fetch takes the same fault.
        if (e instanceof VaxException) return undefined
        throw e
      }
    } else pa = pc & PHYSICAL_MASK
    if (pa >= cpu.memory.bytes.length) return undefined
    let entry = this.entries.get(pa)
    if (entry === undefined) {
      if (this.entries.size >= BlockCache.MAX_ENTRIES) this.flush()
      entry = { va: pc, count: 0, block: undefined }
      this.entries.set(pa, entry)
    } else if (entry.va !== pc) {
      // The frame is now reached through another virtual address.
      this.drop(entry)
      entry.va = pc
    }
    if (entry.block !== undefined) {
      this.hits++
      return entry.block
    }
    const count = ++entry.count
    if (count >= this.hot && (count & (count - 1)) === 0) {
      const block = translateBlock(cpu, pc, pa)
      if (block !== undefined) {
        if (this.live >= this.maxBlocks) {
          this.flush()
          this.entries.set(pa, entry)
        }
        entry.block = block
        this.live++
        this.compiled++
        const pieces = block.pieces
        for (let k = 0; k < pieces.length; k += 2) {
          const start = pieces[k] as number
          cpu.codeLines.fill(1, start >>> 4, (((pieces[k + 1] as number) - 1) >>> 4) + 1)
        }
        return block
      }
    }
    return undefined
  }

  /** A block whose code changed under it: forget it (it is translated again when hot). */
  discard(block: TranslatedBlock): void {
    const entry = this.entries.get(block.pa)
    if (entry !== undefined && entry.block === block) this.drop(entry)
  }

  private drop(entry: Entry): void {
    if (entry.block !== undefined) {
      entry.block.live = false
      entry.block = undefined
      this.live--
      this.invalidations++
    }
    entry.count = 0
  }

  /** Forgets every translation. */
  flush(): void {
    if (this.entries.size > 0) this.flushes++
    for (const entry of this.entries.values())
      if (entry.block !== undefined) entry.block.live = false
    this.entries.clear()
    this.last = undefined
    this.recent.fill(undefined)
    this.live = 0
    this.cpu.codeLines.fill(0)
  }
}

/**
 * The translator's statistics line: blocks compiled, hit rate, invalidations and the
 * share of instructions run translated; `translation: off` when it is off (--no-jit).
 */
export function describeTranslation(stats: JitStatistics): string {
  if (!stats.enabled) return 'translation: off (--no-jit)'
  const percent = (x: number) => `${(100 * x).toFixed(1)}%`
  return (
    `translation: ${stats.compiled} blocks compiled (${stats.blocks} held), ` +
    `hit rate ${percent(stats.hitRate)}, ${stats.invalidations} invalidations, ` +
    `${stats.flushes} flushes, ${stats.translatedInstructions} instructions translated`
  )
}
