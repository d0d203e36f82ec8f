import type { Cpu } from './cpu'
import { SCB } from './psl'

/** IPLs of the KA655's internal devices. */
export const IPL_CONSOLE = 0x14
export const IPL_CLOCK = 0x16

/**
 * The console terminal through processor registers RXCS/RXDB/TXCS/TXDB (32-35).
 * CSR bit 7 is DONE (receive) or READY (transmit), bit 6 interrupt enable.
 * A character written to TXDB goes to `output`; the transmitter is ready again
 * `transmitDelay` instructions later, interrupting at IPL 14 (vector FC) if enabled.
 * Characters given to `type` arrive one at a time (vector F8).
 */
export class ConsoleTerminal {
  output: ((char: number) => void) | undefined
  transmitDelay = 20
  receiveDelay = 200
  private transmitReady = true
  private transmitEnable = false
  private receiveDone = false
  private receiveEnable = false
  private receiveBuffer = 0
  private readonly input: number[] = []
  private receiving = false

  constructor(private readonly cpu: Cpu) {}

  reset(): void {
    this.transmitReady = true
    this.transmitEnable = false
    this.receiveDone = false
    this.receiveEnable = false
    this.input.length = 0
    this.receiving = false
  }

  /** Queues characters for the guest to read. */
  type(text: string): void {
    for (const c of text) this.input.push(c.charCodeAt(0) & 0xff)
    this.scheduleReceive()
  }

  readTransmitStatus(): number {
    return (this.transmitReady ? 0x80 : 0) | (this.transmitEnable ? 0x40 : 0)
  }

  writeTransmitStatus(value: number): void {
    const enable = (value & 0x40) !== 0
    if (enable && !this.transmitEnable && this.transmitReady)
      this.request(SCB.CONSOLE_TRANSMIT, true)
    if (!enable) this.request(SCB.CONSOLE_TRANSMIT, false)
    this.transmitEnable = enable
  }

  writeTransmitData(char: number): void {
    this.output?.(char)
    this.transmitReady = false
    this.request(SCB.CONSOLE_TRANSMIT, false)
    this.cpu.events.schedule(this.cpu.instructions + this.transmitDelay, () => {
      this.transmitReady = true
      if (this.transmitEnable) this.request(SCB.CONSOLE_TRANSMIT, true)
    })
  }

  readReceiveStatus(): number {
    return (this.receiveDone ? 0x80 : 0) | (this.receiveEnable ? 0x40 : 0)
  }

  writeReceiveStatus(value: number): void {
    const enable = (value & 0x40) !== 0
    if (enable && !this.receiveEnable && this.receiveDone) this.request(SCB.CONSOLE_RECEIVE, true)
    if (!enable) this.request(SCB.CONSOLE_RECEIVE, false)
    this.receiveEnable = enable
  }

  readReceiveData(): number {
    const char = this.receiveBuffer
    this.receiveDone = false
    this.request(SCB.CONSOLE_RECEIVE, false)
    this.scheduleReceive()
    return char
  }

  private scheduleReceive(): void {
    if (this.receiving || this.receiveDone || this.input.length === 0) return
    this.receiving = true
    this.cpu.events.schedule(this.cpu.instructions + this.receiveDelay, () => {
      this.receiving = false
      this.receiveBuffer = this.input.shift() ?? 0
      this.receiveDone = true
      if (this.receiveEnable) this.request(SCB.CONSOLE_RECEIVE, true)
    })
  }

  private request(vector: number, on: boolean): void {
    if (on) this.cpu.requestInterrupt(IPL_CONSOLE, vector)
    else this.cpu.clearInterrupt(vector)
  }
}

/**
 * The KA655 interval clock: ICCS<6> enables an interrupt at IPL 16 (vector C0) every
 * 10 ms, which here is every `instructionsPerTick` instructions of virtual time. TODR
 * counts the same ticks.
 */
export class IntervalClock {
  instructionsPerTick = 30_000
  private enable = false
  private ticks = 0
  private todrBase = 0
  private cancel: (() => void) | undefined

  constructor(private readonly cpu: Cpu) {}

  reset(): void {
    this.enable = false
    this.cancel?.()
    this.cancel = undefined
    this.schedule()
  }

  readStatus(): number {
    return this.enable ? 0x40 : 0
  }

  writeStatus(value: number): void {
    this.enable = (value & 0x40) !== 0
    if (!this.enable) this.cpu.clearInterrupt(SCB.INTERVAL_TIMER)
  }

  timeOfYear(): number {
    return (this.todrBase + this.ticks) | 0
  }

  setTimeOfYear(value: number): void {
    this.todrBase = value - this.ticks
  }

  private schedule(): void {
    this.cancel = this.cpu.events.schedule(this.cpu.instructions + this.instructionsPerTick, () => {
      this.ticks++
      if (this.enable) this.cpu.requestInterrupt(IPL_CLOCK, SCB.INTERVAL_TIMER)
      this.schedule()
    })
  }
}
