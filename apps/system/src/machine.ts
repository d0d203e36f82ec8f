import { assemble } from '@vax/asm'
import { Cpu, IPR, KA655, PhysicalMemory, PSL_IPL, PSL_IS, SCB } from '@vax/cpu'
import { MemoryManagement, PAGE_SHIFT, PTE_M, PTE_PROT_SHIFT, PTE_V } from '@vax/mmu'
import { vectorSource } from './services'

/** Page protection codes (VAX SRM: PTE<30:27>). */
export const PROT = { NA: 0, KW: 2, UW: 4, EW: 5, SW: 8, UR: 15 } as const

export const PAGE = 512
export const S0 = 0x80000000

/**
 * Physical layout; system space maps all of physical memory one to one, so the system
 * virtual address of physical address `pa` is 0x80000000 + pa.
 */
export const LAYOUT = {
  /** The system service vectors and the vector-page routines: two pages, readable by every mode. */
  vectors: 0x0000,
  scb: 0x0400,
  kernelCode: 0x0600,
  interruptStackTop: 0x6000,
  spt: 0x8000,
  memory: 8 * 1024 * 1024,
} as const
const SPT_ENTRIES = LAYOUT.memory / PAGE
const FIRST_FREE_FRAME = (LAYOUT.spt + SPT_ENTRIES * 4) / PAGE

/**
 * The kernel's own VAX code: the rescheduling interrupt (SVPCTX, the executive picks
 * the next process, LDPCTX, REI), the change-mode-to-kernel handler, the null
 * process's loop, and one HALT per SCB vector for exceptions. A HALT in kernel mode
 * returns control to the TypeScript executive, which knows from the PC what happened.
 */
const KERNEL_SOURCE = `
           .ALIGN  LONG
resched:  SVPCTX
           HALT
loadctx:  LDPCTX
           REI
           .ALIGN  LONG              ; SCB targets are longword aligned
chmk:     HALT
           ADDL2   #4,SP
           REI
           .ALIGN  LONG
astdel:    HALT
dismiss:   REI
null:     BRB     null
           .ALIGN  LONG
exception:                       ; 128 HALTs, one every 4 bytes (the SCB needs aligned targets)
`

export interface KernelAddresses {
  readonly resched: number
  readonly loadctx: number
  readonly chmk: number
  readonly astdel: number
  /** A bare REI: how the executive leaves kernel mode after rewriting the frame. */
  readonly dismiss: number
  /** The condition handler caller in the vector page. */
  readonly handlerCaller: number
  /** Where CHME, CHMS and CHMU land: a CHMK in the vector page, which every mode can execute. */
  readonly changeModeTrap: number
  /** EXE$ASTDEL in the vector page, where every mode may execute it. */
  readonly astDispatcher: number
  /** A RET in the vector page, for $UNWIND (FP at the last frame removed). */
  readonly unwind: number
  /** Calls an exit handler, then $EXIT again (book 21.4). */
  readonly callExitHandler: number
  /** Calls a $CMKRNL or $CMEXEC routine in the inner mode, then REIs back. */
  readonly callInMode: number
  /** An empty argument list (count 0). */
  readonly noArguments: number
  readonly null: number
  readonly exception: number
}

/** Physical page frames, handed out one at a time and returned on process deletion. */
export class FrameAllocator {
  private readonly free: number[] = []
  private next = FIRST_FREE_FRAME
  readonly total = SPT_ENTRIES - FIRST_FREE_FRAME

  allocate(): number | undefined {
    const pfn = this.free.pop() ?? (this.next < SPT_ENTRIES ? this.next++ : undefined)
    return pfn
  }

  /** `n` physically consecutive frames (a page table longer than a page needs them), or undefined. */
  allocateContiguous(n: number): number[] | undefined {
    if (this.next + n <= SPT_ENTRIES) {
      const first = this.next
      this.next += n
      return Array.from({ length: n }, (_, i) => first + i)
    }
    const sorted = [...this.free].sort((a, b) => a - b)
    for (let i = 0; i + n <= sorted.length; i++) {
      if ((sorted[i + n - 1] as number) - (sorted[i] as number) === n - 1) {
        const run = sorted.slice(i, i + n)
        for (const pfn of run) this.free.splice(this.free.indexOf(pfn), 1)
        return run
      }
    }
    return undefined
  }

  release(pfn: number): void {
    this.free.push(pfn)
  }

  get available(): number {
    return this.free.length + SPT_ENTRIES - this.next
  }
}

export function pte(pfn: number, protection: number): number {
  return (PTE_V | PTE_M | (protection << PTE_PROT_SHIFT) | pfn) >>> 0
}

/**
 * A KA655-like machine with memory management on: the system page table maps physical
 * memory into S0 (the service vector page readable from user mode, the rest kernel
 * write), the SCB points every vector at the kernel code, and the CPU waits on the
 * interrupt stack at IPL 31 for the executive to load a process.
 */
export function buildMachine(): {
  cpu: Cpu
  mmu: MemoryManagement
  kernel: KernelAddresses
  frames: FrameAllocator
} {
  const memory = new PhysicalMemory(LAYOUT.memory)
  const cpu = new Cpu(memory, KA655)
  const mmu = MemoryManagement.attach(cpu)
  cpu.reset()

  const vectors = assemble(vectorSource(), { base: S0 + LAYOUT.vectors })
  if (vectors.image.length > LAYOUT.scb - LAYOUT.vectors)
    throw new Error(`the service vectors (${vectors.image.length} bytes) overrun the SCB`)
  memory.bytes.set(vectors.image, LAYOUT.vectors)
  const kernel = assemble(KERNEL_SOURCE, { base: S0 + LAYOUT.kernelCode })
  memory.bytes.set(kernel.image, LAYOUT.kernelCode)
  const symbol = (name: string) => {
    const value = kernel.symbols.get(name.toUpperCase()) ?? kernel.symbols.get(name)
    if (value === undefined) throw new Error(`kernel symbol ${name} missing`)
    return value
  }
  const vectorSymbol = (name: string) => {
    const value = vectors.symbols.get(name) ?? vectors.symbols.get(name.toLowerCase())
    if (value === undefined) throw new Error(`vector page symbol ${name} missing`)
    return value
  }
  const addresses: KernelAddresses = {
    resched: symbol('resched'),
    loadctx: symbol('loadctx'),
    chmk: symbol('chmk'),
    astdel: symbol('astdel'),
    dismiss: symbol('dismiss'),
    changeModeTrap:
      vectors.symbols.get('EXE$CMODTRAP') ?? (vectors.symbols.get('exe$cmodtrap') as number),
    handlerCaller:
      vectors.symbols.get('EXE$CALLHANDLER') ?? (vectors.symbols.get('exe$callhandler') as number),
    astDispatcher:
      vectors.symbols.get('EXE$ASTDEL') ?? (vectors.symbols.get('exe$astdel') as number),
    unwind: vectorSymbol('EXE$UNWIND'),
    callExitHandler: vectorSymbol('EXE$CALLEXH'),
    callInMode: vectorSymbol('EXE$CMODE'),
    noArguments: vectorSymbol('EXE$NOARGS'),
    null: symbol('null'),
    exception: symbol('exception'),
  }
  for (const [name, address] of Object.entries(addresses)) {
    if (
      ![
        'null',
        'loadctx',
        'dismiss',
        'astDispatcher',
        'handlerCaller',
        'unwind',
        'callExitHandler',
        'callInMode',
      ].includes(name) &&
      address % 4 !== 0
    )
      throw new Error(`kernel label ${name} is not longword aligned`)
  }
  // One HALT per SCB vector, so the executive can tell which exception it was.
  const exceptionPa = addresses.exception - S0
  memory.bytes.fill(0, exceptionPa, exceptionPa + PAGE)
  for (let v = 0; v < PAGE; v += 4) {
    let target = addresses.exception + v
    if (v === SCB.CHMK) target = addresses.chmk
    if (v > SCB.CHMK && v <= SCB.CHMK + 12) target = addresses.changeModeTrap
    if (v === SCB.SOFTWARE + 4 * 3) target = addresses.resched
    if (v === SCB.SOFTWARE + 4 * 2) target = addresses.astdel
    memory.view.setUint32(LAYOUT.scb + v, target, true)
  }

  for (let vpn = 0; vpn < SPT_ENTRIES; vpn++) {
    const vector = vpn >= LAYOUT.vectors >> PAGE_SHIFT && vpn < LAYOUT.scb >> PAGE_SHIFT
    const protection = vector ? PROT.UR : PROT.KW
    memory.view.setUint32(LAYOUT.spt + 4 * vpn, pte(vpn, protection), true)
  }
  cpu.ipr[IPR.SBR] = LAYOUT.spt
  cpu.ipr[IPR.SLR] = SPT_ENTRIES
  cpu.ipr[IPR.SCBB] = LAYOUT.scb
  cpu.mapen = true
  mmu.invalidateAll()
  cpu.psl = PSL_IS | PSL_IPL
  cpu.r[14] = S0 + LAYOUT.interruptStackTop
  return { cpu, mmu, kernel: addresses, frames: new FrameAllocator() }
}
