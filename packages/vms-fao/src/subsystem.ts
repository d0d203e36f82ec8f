import {
  type ConsoleCommand,
  type GuestAccess,
  type ServiceRequest,
  SS,
  type Status,
  type SubsystemFactory,
  type SystemService,
} from '@vms/contracts'
import { parseTime } from './bintim'
import { fao } from './fao'
import { getMessage } from './message'
import { asciiTime, numericTime } from './time'

/**
 * The default time the system booted at: 1-JAN-1988 00:00:00.00, as a binary time, so
 * that a system's clock, and so its traces, are the same on every run.
 */
export const DEFAULT_BOOT_TIME = 0x0090_c346_738b_c000n

export interface FormattingSubsystemOptions {
  /** The system time at boot (binary time); system time = bootTime + kernel.now(). */
  readonly bootTime?: bigint
}

/** A string descriptor's length and address (DSC$W_LENGTH, DSC$A_POINTER). */
function descriptor(guest: GuestAccess, address: number): { length: number; pointer: number } {
  const d = guest.read(address, 8)
  const view = new DataView(d.buffer, d.byteOffset, 8)
  return { length: view.getUint16(0, true), pointer: view.getUint32(4, true) }
}

/** A descriptor's whole text (up to 65,535 characters, unlike GuestAccess.descriptor). */
function descriptorText(guest: GuestAccess, address: number): string {
  const { length, pointer } = descriptor(guest, address)
  return latin1String(guest.read(pointer, length))
}

function latin1String(bytes: Uint8Array): string {
  let text = ''
  for (const b of bytes) text += String.fromCharCode(b)
  return text
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)
}

function quadword(value: bigint): Uint8Array {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setBigInt64(0, BigInt.asIntN(64, value), true)
  return b
}

function readQuadword(guest: GuestAccess, address: number): bigint {
  const b = guest.read(address, 8)
  return new DataView(b.buffer, b.byteOffset, 8).getBigInt64(0, true)
}

/**
 * An output string argument: the buffer descriptor and an optional length word, both
 * probed for writing before the service does anything (book 9.4), then written together.
 */
class OutputString {
  private readonly buffer: { length: number; pointer: number }

  /** `lengthRequired`: the length word is not optional, so 0 is an address like any. */
  constructor(
    private readonly guest: GuestAccess,
    bufferDescriptor: number,
    private readonly lengthWord: number,
    private readonly lengthRequired = false,
  ) {
    this.buffer = descriptor(guest, bufferDescriptor)
    guest.probeWrite(this.buffer.pointer, this.buffer.length)
    if (this.wantsLength) guest.probeWrite(lengthWord, 2)
  }

  private get wantsLength(): boolean {
    return this.lengthRequired || this.lengthWord !== 0
  }

  get length(): number {
    return this.buffer.length
  }

  /** Writes `text`, cut to the buffer (SS$_BUFFEROVF), and its length. */
  put(text: string, status: Status = SS.NORMAL): Status {
    const n = Math.min(text.length, this.buffer.length)
    this.guest.write(this.buffer.pointer, latin1(text.slice(0, n)))
    if (this.wantsLength) this.guest.write(this.lengthWord, Uint8Array.of(n & 0xff, n >> 8))
    return n < text.length ? SS.BUFFEROVF : status
  }
}

/**
 * The formatting and time services as a subsystem of the assembled system
 * (ARCHITECTURE.md, "Composing a system"): $GETTIM, $ASCTIM, $BINTIM, $NUMTIM, $FAO,
 * $FAOL and $GETMSG with their vector argument orders, every pointer probed before
 * anything is written, so a failing call changes nothing; and SHOW TIME. The system
 * time is `bootTime` plus the kernel's virtual time (book 11.4).
 */
export function formattingSubsystem(options: FormattingSubsystemOptions = {}): SubsystemFactory {
  return (kernel) => {
    const boot = options.bootTime ?? DEFAULT_BOOT_TIME
    const now = () => boot + BigInt(Math.trunc(kernel.now()))
    /** An optional time argument: the quadword at `address`, or the current time for 0. */
    const timeAt = (guest: GuestAccess, address: number) =>
      address === 0 ? now() : readQuadword(guest, address)

    const service = (name: string, args: number, call: (r: ServiceRequest) => Status) =>
      ({ name, args, call }) satisfies SystemService

    /** $GETTIM timadr: the system time into a quadword (book 11.4). */
    const gettim = service('GETTIM', 1, (r) => {
      r.guest.write(r.arg(0), quadword(now()))
      return SS.NORMAL
    })

    /** $ASCTIM [timlen],timbuf,[timadr],[cvtflg]. */
    const asctim = service('ASCTIM', 4, (r) => {
      const out = new OutputString(r.guest, r.arg(1), r.arg(0))
      const text = asciiTime(timeAt(r.guest, r.arg(2)), (r.arg(3) & 1) === 1)
      return text === undefined ? SS.IVTIME : out.put(text)
    })

    /** $BINTIM timbuf,timadr. */
    const bintim = service('BINTIM', 2, (r) => {
      const text = descriptorText(r.guest, r.arg(0))
      r.guest.probeWrite(r.arg(1), 8)
      const time = parseTime(text, now())
      if (time === undefined) return SS.IVTIME
      r.guest.write(r.arg(1), quadword(time))
      return SS.NORMAL
    })

    /** $NUMTIM timbuf,[timadr]: seven words. */
    const numtim = service('NUMTIM', 2, (r) => {
      r.guest.probeWrite(r.arg(0), 14)
      const t = numericTime(timeAt(r.guest, r.arg(1)))
      if (t === undefined) return SS.IVTIME
      const words = [t.year, t.month, t.day, t.hour, t.minute, t.second, t.hundredths]
      const b = new Uint8Array(14)
      const view = new DataView(b.buffer)
      for (const [i, w] of words.entries()) view.setUint16(2 * i, w, true)
      r.guest.write(r.arg(0), b)
      return SS.NORMAL
    })

    /** $FAO and $FAOL: ctrstr,[outlen],outbuf, then the parameters. */
    const format = (r: ServiceRequest, parameter: (i: number) => number): Status => {
      const out = new OutputString(r.guest, r.arg(2), r.arg(1))
      const control = descriptorText(r.guest, r.arg(0))
      const result = fao(control, parameter, {
        memory: r.guest,
        bufferLength: out.length,
        now,
      })
      if ((result.status & 1) === 0) return result.status
      return out.put(result.text, result.status)
    }
    /** $FAO ctrstr,[outlen],outbuf,[p1]...[p17]: parameters past the list are 0. */
    const faoService = service('FAO', 3, (r) =>
      format(r, (i) => (i + 3 < Math.min(r.count, 20) ? r.arg(i + 3) : 0)),
    )
    /** $FAOL ctrstr,[outlen],outbuf,[prmlst]: the parameters are longwords at PRMLST. */
    const faol = service('FAOL', 4, (r) => format(r, (i) => r.guest.read32(r.arg(3) + 4 * i)))

    /** $GETMSG msgid,msglen,bufadr,[flags],[outadr]. */
    const getmsg = service('GETMSG', 5, (r) => {
      const out = new OutputString(r.guest, r.arg(2), r.arg(1), true)
      const outadr = r.arg(4)
      if (outadr !== 0) r.guest.probeWrite(outadr, 4)
      const message = getMessage(r.arg(0), r.arg(3) & 15)
      if (outadr !== 0) r.guest.write(outadr, Uint8Array.from(message.info))
      return out.put(message.text, message.status)
    })

    const showTime: ConsoleCommand = {
      name: 'SHOW TIME',
      help: 'the system date and time',
      run: (_args, say) => {
        say(`  ${(asciiTime(now()) ?? '').slice(0, 20)}`)
        return SS.NORMAL
      },
    }

    return {
      name: 'formatting and time',
      services: [gettim, asctim, bintim, numtim, faoService, faol, getmsg],
      commands: [showTime],
    }
  }
}
