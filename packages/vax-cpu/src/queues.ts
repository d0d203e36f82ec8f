import { C, compare, V, Z } from './alu'
import type { Cpu } from './cpu'

/**
 * Queue instructions (SRM "Queue instructions"). Absolute queues link entries by
 * address (forward link, then backward link); self-relative queues (the interlocked
 * INSQHI...) link by displacement, must be quadword aligned, and use bit 0 of the
 * header's forward link as the secondary interlock.
 */

/** INSQUE entry, pred. Condition codes compare the entry's new links: Z when it is alone. */
export function insque(cpu: Cpu, entry: number, pred: number): number {
  const succ = cpu.readModify32(pred)
  cpu.readModify32(succ + 4)
  cpu.readModify32(entry + 4)
  cpu.write32(entry, succ)
  cpu.write32(entry + 4, pred)
  cpu.write32(succ + 4, entry)
  cpu.write32(pred, entry)
  return compare(succ, pred, 2)
}

/** REMQUE entry, addr: V when the queue was empty (entry is the header). */
export function remque(cpu: Cpu, entry: number, destination: number): number {
  const succ = cpu.read32(entry)
  const pred = cpu.read32(entry + 4)
  let cc = compare(succ, pred, 2)
  if (entry !== pred) {
    cpu.readModify32(succ + 4)
    if ((cpu.reg[destination] as number) < 0) cpu.readModify32(cpu.addr[destination] as number)
    cpu.write32(pred, succ)
    cpu.write32(succ + 4, pred)
  } else {
    cc |= V
  }
  cpu.writeLong(destination, entry)
  return cc
}

/**
 * Runs a step that touches an entry while the secondary interlock is held; if it
 * faults (the entry's page not accessible), the interlock is released first, so the
 * queue is left as it was.
 */
function withInterlock<T>(cpu: Cpu, h: number, ar: number, step: () => T): T {
  try {
    return step()
  } catch (e) {
    cpu.write32(h, ar)
    throw e
  }
}

function requireQuadAligned(cpu: Cpu, ...addresses: number[]): void {
  for (const a of addresses) if (a & 7) cpu.reservedOperand()
}

/** INSQHI entry, header: Z when the queue was empty, C when the interlock was busy. */
export function insqhi(cpu: Cpu, d: number, h: number): number {
  if (h === d) cpu.reservedOperand()
  requireQuadAligned(cpu, h, d)
  cpu.readModify8(d)
  const ar = cpu.readModify32(h)
  if (ar & 6) cpu.reservedOperand()
  if (ar & 1) return C
  cpu.write32(h, ar | 1)
  const a = (ar + h) | 0
  withInterlock(cpu, h, ar, () => cpu.write32(a + 4, d - a))
  cpu.write32(d, a - d)
  cpu.write32(d + 4, h - d)
  cpu.write32(h, d - h)
  return a === h ? Z : 0
}

/** INSQTI entry, header. */
export function insqti(cpu: Cpu, d: number, h: number): number {
  if (h === d) cpu.reservedOperand()
  requireQuadAligned(cpu, h, d)
  cpu.readModify8(d)
  const ar = cpu.readModify32(h)
  if (ar === 0) return insqhi(cpu, d, h)
  if (ar & 6) cpu.reservedOperand()
  if (ar & 1) return C
  cpu.write32(h, ar | 1)
  const c = (cpu.read32(h + 4) + h) | 0
  if (c & 7) {
    cpu.write32(h, ar)
    cpu.reservedOperand()
  }
  withInterlock(cpu, h, ar, () => cpu.write32(c, d - c))
  cpu.write32(d, h - d)
  cpu.write32(d + 4, c - d)
  cpu.write32(h + 4, d - h)
  cpu.write32(h, ar)
  return 0
}

/** The header must be quadword aligned and not the destination, which must be writable. */
function checkRemoveOperands(cpu: Cpu, h: number, destination: number): void {
  requireQuadAligned(cpu, h)
  if ((cpu.reg[destination] as number) < 0) {
    if (h >>> 0 === (cpu.addr[destination] as number) >>> 0) cpu.reservedOperand()
    cpu.readModify32(cpu.addr[destination] as number)
  }
}

/** REMQHI header, addr: V|Z when empty, V|C when busy, Z when the queue is left empty. */
export function remqhi(cpu: Cpu, h: number, destination: number): number {
  checkRemoveOperands(cpu, h, destination)
  const ar = cpu.readModify32(h)
  if (ar & 6) cpu.reservedOperand()
  if (ar & 1) return V | C
  const a = (ar + h) | 0
  let b = 0
  if (ar !== 0) {
    cpu.write32(h, ar | 1)
    b = withInterlock(cpu, h, ar, () => (cpu.read32(a) + a) | 0)
    if (b & 7) {
      cpu.write32(h, ar)
      cpu.reservedOperand()
    }
    withInterlock(cpu, h, ar, () => cpu.write32(b + 4, h - b))
    cpu.write32(h, b - h)
  }
  cpu.writeLong(destination, a)
  if (ar === 0) return Z | V
  return b === (h | 0) ? Z : 0
}

/** REMQTI header, addr. */
export function remqti(cpu: Cpu, h: number, destination: number): number {
  checkRemoveOperands(cpu, h, destination)
  const ar = cpu.readModify32(h)
  if (ar & 6) cpu.reservedOperand()
  if (ar & 1) return V | C
  let c = h | 0
  if (ar !== 0) {
    cpu.write32(h, ar | 1)
    const cr = cpu.read32(h + 4)
    if (ar === cr) {
      cpu.write32(h, ar)
      return remqhi(cpu, h, destination)
    }
    if (cr & 7) {
      cpu.write32(h, ar)
      cpu.reservedOperand()
    }
    c = (cr + h) | 0
    const b = withInterlock(cpu, h, ar, () => (cpu.read32(c + 4) + c) | 0)
    if (b & 7) {
      cpu.write32(h, ar)
      cpu.reservedOperand()
    }
    withInterlock(cpu, h, ar, () => cpu.write32(b, h - b))
    cpu.write32(h + 4, b - h)
    cpu.write32(h, ar)
  }
  cpu.writeLong(destination, c)
  if (ar === 0) return Z | V
  return 0
}
