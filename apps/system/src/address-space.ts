import type { PhysicalMemory } from '@vax/cpu'
import { PTE_V } from '@vax/mmu'
import { SS, type Status } from '@vms/contracts'
import type { Image } from './image'
import { type FrameAllocator, LAYOUT, PAGE, PROT, pte, S0 } from './machine'

/**
 * A process's address space (book 10.1.2, 21.1): its hardware PCB and P0 page table in
 * one page, its P1 page table in two, and the frames of its image and stacks.
 */
export interface AddressSpace {
  /** Physical address of the hardware PCB (Figure 10-2). */
  readonly hwPcb: number
  /** Every frame it holds, returned when the process is deleted. */
  readonly frames: readonly number[]
  readonly p0Table: number
  readonly p0Pages: number
  readonly p1Table: number
  /** P1LR: P1 starts at this virtual page. */
  readonly p1lr: number
}

/** The stacks at the top of P1, from the bottom up: one per access mode. */
const STACKS = [
  { mode: 'kernel', pages: 4, protection: PROT.KW },
  { mode: 'executive', pages: 2, protection: PROT.EW },
  { mode: 'supervisor', pages: 2, protection: PROT.SW },
  { mode: 'user', pages: 8, protection: PROT.UW },
] as const
const STACK_PAGES = STACKS.reduce((n, s) => n + s.pages, 0)
/**
 * The system service vector pages are also mapped at 0x7FFEDE00 in every process's P1
 * space (book 9.2), so P1 starts at that page: its table has 145 entries.
 */
export const P1_VECTORS = 0x7ffede00
const P1_VECTOR_VPN = (P1_VECTORS - 0x40000000) >>> 9
const P1_TABLE_ENTRIES = 0x200000 - P1_VECTOR_VPN
const USER_PSL = 0x03c00000 // current and previous mode user, IPL 0
const P1_TOP = 0x80000000

/** The saved context a hardware PCB starts with. */
interface InitialContext {
  readonly ksp: number
  readonly esp?: number
  readonly ssp?: number
  readonly usp: number
  readonly pc: number
  readonly psl: number
  readonly p0br: number
  readonly p0lr: number
  readonly p1br: number
  readonly p1lr: number
}

/** Writes a hardware PCB (Figure 10-2): stack pointers, PC, PSL, P0BR/LR (ASTLVL 4), P1BR/LR. */
export function writeHwPcb(memory: PhysicalMemory, pa: number, c: InitialContext): void {
  const v = memory.view
  for (let i = 0; i < 128; i += 4) v.setUint32(pa + i, 0, true)
  v.setUint32(pa, c.ksp >>> 0, true)
  v.setUint32(pa + 4, (c.esp ?? 0) >>> 0, true)
  v.setUint32(pa + 8, (c.ssp ?? 0) >>> 0, true)
  v.setUint32(pa + 12, c.usp >>> 0, true)
  v.setUint32(pa + 72, c.pc >>> 0, true)
  v.setUint32(pa + 76, c.psl >>> 0, true)
  v.setUint32(pa + 80, c.p0br >>> 0, true)
  v.setUint32(pa + 84, (c.p0lr | (4 << 24)) >>> 0, true)
  v.setUint32(pa + 88, c.p1br >>> 0, true)
  v.setUint32(pa + 92, c.p1lr >>> 0, true)
}

function allocate(frames: FrameAllocator, n: number): number[] | undefined {
  if (frames.available < n) return undefined
  return Array.from({ length: n }, () => frames.allocate() as number)
}

/**
 * The null process's context: kernel mode, IPL 0, running `loop` in system space on a
 * stack page of its own. Returns the hardware PCB's physical address.
 */
export function nullProcessContext(
  memory: PhysicalMemory,
  frames: FrameAllocator,
  loop: number,
): number {
  const frame = allocate(frames, 2)
  if (frame === undefined) throw new Error('no memory for the null process')
  const hwPcb = (frame[0] as number) * PAGE
  const ksp = S0 + ((frame[1] as number) + 1) * PAGE
  writeHwPcb(memory, hwPcb, {
    ksp,
    usp: 0,
    pc: loop,
    psl: 0,
    p0br: S0,
    p0lr: 0,
    p1br: S0,
    p1lr: 0x200000,
  })
  return hwPcb
}

/**
 * Maps an image into a new address space (the image activator's second step, book
 * 21.1): P0 page 0 no access (a null pointer is an access violation), each section's
 * pages (private from the file, demand zero zeroed), unmapped pages invalid; P1 from
 * the vector page at 0x7FFEDE00 (user read) to the four mode stacks at the top. The
 * hardware PCB starts at the transfer address in user mode. SS$_INSFMEM without frames.
 */
export function buildAddressSpace(
  memory: PhysicalMemory,
  frames: FrameAllocator,
  image: Image,
): AddressSpace | Status {
  const p0Pages = 1 + Math.max(...image.sections.map((s) => s.vpn + s.pages - 1))
  const tableFrames = frames.allocateContiguous(Math.ceil((4 * P1_TABLE_ENTRIES) / PAGE))
  if (tableFrames === undefined) return SS.INSFMEM
  const own = allocate(frames, 1 + p0Pages + STACK_PAGES)
  if (own === undefined) {
    for (const pfn of tableFrames) frames.release(pfn)
    return SS.INSFMEM
  }
  for (const pfn of [...own, ...tableFrames]) memory.bytes.fill(0, pfn * PAGE, (pfn + 1) * PAGE)
  const view = memory.view
  const hwPcb = (own[0] as number) * PAGE
  const p0Table = hwPcb + 128
  const p1Table = (tableFrames[0] as number) * PAGE
  const data = own.slice(1)
  view.setUint32(p0Table, pte(data[0] as number, PROT.NA), true)
  for (const section of image.sections) {
    for (let i = 0; i < section.pages; i++) {
      const vpn = section.vpn + i
      const pfn = data[vpn] as number
      view.setUint32(p0Table + 4 * vpn, pte(pfn, section.writable ? PROT.UW : PROT.UR), true)
      memory.bytes.set(section.data.subarray(i * PAGE, (i + 1) * PAGE), pfn * PAGE)
    }
  }
  for (let vpn = LAYOUT.vectors >> 9; vpn < LAYOUT.scb >> 9; vpn++)
    view.setUint32(p1Table + 4 * (vpn - (LAYOUT.vectors >> 9)), pte(vpn, PROT.UR), true)
  const stackTops: number[] = []
  let page = 0
  for (const stack of STACKS) {
    for (let i = 0; i < stack.pages; i++, page++) {
      const index = P1_TABLE_ENTRIES - STACK_PAGES + page
      view.setUint32(
        p1Table + 4 * index,
        pte(data[p0Pages + page] as number, stack.protection),
        true,
      )
    }
    stackTops.push(P1_TOP - (STACK_PAGES - page) * PAGE)
  }
  const p1lr = P1_VECTOR_VPN
  writeHwPcb(memory, hwPcb, {
    ksp: stackTops[0] as number,
    esp: stackTops[1] as number,
    ssp: stackTops[2] as number,
    usp: stackTops[3] as number,
    pc: image.transfer,
    psl: USER_PSL,
    p0br: S0 + p0Table,
    p0lr: p0Pages,
    p1br: (S0 + p1Table - 4 * p1lr) >>> 0,
    p1lr,
  })
  return { hwPcb, frames: [...own, ...tableFrames], p0Table, p0Pages, p1Table, p1lr }
}

/**
 * The physical address of `va` in an address space's P0 or P1 space, through its own
 * page tables (the process need not be on the CPU), or undefined if not mapped.
 */
export function physicalIn(
  memory: PhysicalMemory,
  space: AddressSpace,
  va: number,
): number | undefined {
  const vpn = (va >>> 9) & 0x1fffff
  let entryAddress: number
  if (va >>> 30 === 0 && vpn < space.p0Pages) entryAddress = space.p0Table + 4 * vpn
  else if (va >>> 30 === 1 && vpn >= space.p1lr)
    entryAddress = space.p1Table + 4 * (vpn - space.p1lr)
  else return undefined
  const entry = memory.view.getUint32(entryAddress, true)
  if ((entry & PTE_V) === 0) return undefined
  return ((entry & 0x1fffff) << 9) | (va & 0x1ff)
}
