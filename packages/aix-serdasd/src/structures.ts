import type { Errno } from './errno'

/**
 * sd_iocmd (sys/serdasd.h), the SD_SCSICMD argument: sc_iocmd of sys/scsi.h with the
 * Serial DASD meanings of its reserved bytes. The caller fills the inputs; the driver
 * writes `status_validity`, `scsi_bus_status`, `adapter_status`, `resvd1` and `resvd2`
 * back, as the page says "are returned via the arg parameter".
 */
export interface SdIocmd {
  /** Bytes to transfer (at most devinfo's max_request). */
  data_length: number
  /** The transfer buffer: at least `data_length` bytes, or null when nothing moves. */
  buffer: Uint8Array | null
  /** Seconds; 0 means the driver never times the command out. */
  timeout_value: number
  /** Out: 0, or SC_STATUS bits saying which status bytes are valid. */
  status_validity: number
  /** Out: the SCSI status byte (SCSI_STATUS), valid with SC_STATUS.SCSI_ERROR. */
  scsi_bus_status: number
  /** Out: general card status (SC_ADAPTER), valid with SC_STATUS.ADAPTER_ERROR. */
  adapter_status: number
  /** Out: the controller status byte of the alert register (SD_CTRL). */
  resvd1: number
  /** Out: the Serial DASD adapter status byte of the alert register (SD_ADAP). */
  resvd2: number
  /** Reserved: must be zero. */
  resvd3: number
  /** Reserved: must be zero. */
  resvd4: number
  /** B_READ or B_WRITE. */
  flags: number
  /** The address of the device: zero (the DASD this descriptor is open on). */
  resvd5: number
  /** Queue control (SD_Q); SD_Q_INVALID is refused. */
  resvd6: number
  /** SCSI extension (SD_EXT). */
  resvd7: number
  /** 6, 10 or 12. */
  command_length: number
  /** The command descriptor block, 12 bytes. */
  scsi_cdb: Uint8Array
}

/** A zeroed sd_iocmd with `init` applied. */
export function sdIocmd(init: Partial<SdIocmd> = {}): SdIocmd {
  return {
    data_length: 0,
    buffer: null,
    timeout_value: 30,
    status_validity: 0,
    scsi_bus_status: 0,
    adapter_status: 0,
    resvd1: 0,
    resvd2: 0,
    resvd3: 0,
    resvd4: 0,
    flags: 0,
    resvd5: 0,
    resvd6: 0,
    resvd7: 0,
    command_length: 0,
    scsi_cdb: new Uint8Array(12),
    ...init,
  }
}

/**
 * sd_ioctl_parms (sys/serdasd.h), the argument of SD_RESET, SD_SET_FENCE and
 * SD_CLEAR_FENCE. Each ioctl uses the fields the page lists for it; every other
 * reserved field must be zero.
 */
export interface SdIoctlParms {
  data_length: number
  buffer: Uint8Array | null
  /** Seconds; 0: the driver never times out. */
  time_out: number
  /** SD_RESET: SD_RESET_TYPE.RESET_OP or QUIESCE_OP. */
  reset_type: number
  /** Out: SD_STATUS. */
  status_validity: number
  /** Out: the Serial DASD adapter status (SD_ADAP), if valid. */
  adapter_status: number
  /** Out: the controller status (SD_CTRL), if valid. */
  controller_status: number
  /** SD_SET_FENCE: the 16-bit fence mask. */
  resvd1: number
  /** SD_SET_FENCE: the 16-bit fence data (1 = fenced out). */
  resvd2: number
  /** Out (fence ioctls): the fence position indicator of this host. */
  resvd3: number
  /** Out (fence ioctls): the old fence register value. */
  resvd4: number
  /** Out (SD_SET_FENCE): the current fence of the DASD. */
  resvd5: number
  resvd6: number
  resvd7: number
}

/** A zeroed sd_ioctl_parms with `init` applied. */
export function sdIoctlParms(init: Partial<SdIoctlParms> = {}): SdIoctlParms {
  return {
    data_length: 0,
    buffer: null,
    time_out: 30,
    reset_type: 0,
    status_validity: 0,
    adapter_status: 0,
    controller_status: 0,
    resvd1: 0,
    resvd2: 0,
    resvd3: 0,
    resvd4: 0,
    resvd5: 0,
    resvd6: 0,
    resvd7: 0,
    ...init,
  }
}

/** devinfo (sys/devinfo.h): the scdk member for a DASD, scsi for an adapter. */
export interface DevInfo {
  devtype: number
  flags: number
  devsubtype: number
  un: {
    scdk: {
      blksize: number
      numblks: number
      max_request: number
      segment_size: number
      segment_count: number
      byte_count: number
    }
    scsi: { card_scsi_id: number; max_transfer: number }
  }
}

/** A zeroed devinfo for IOCINFO to fill. */
export function devinfo(): DevInfo {
  return {
    devtype: 0,
    flags: 0,
    devsubtype: 0,
    un: {
      scdk: {
        blksize: 0,
        numblks: 0,
        max_request: 0,
        segment_size: 0,
        segment_count: 0,
        byte_count: 0,
      },
      scsi: { card_scsi_id: 0, max_transfer: 0 },
    },
  }
}

/** conc_cmd (sys/ddconc.h): a concurrent mode command or interrupt. */
export interface ConcCmd {
  /** Out: 0, or an errno number after the command. */
  error: number
  /** DD_CONC: the command. */
  cmd_op: number
  /** The message code carried by a refresh. */
  message: number
  /** The DASD's device number (this package: the DASD index on its controller). */
  devno: number
}

/** The concurrent mode interrupt handler a kernel extension registers. */
export type ConcInterruptHandler = (cmd: ConcCmd, host: number) => void

/** The driver's concurrent mode entry point, returned by DD_CONC_REGISTER. */
export type ConcFunction = (cmd: ConcCmd) => number

/** dd_conc_register (sys/ddconc.h). */
export interface DdConcRegister {
  /** Out: the driver's entry point for concurrent mode commands. */
  conc_func_addr: ConcFunction | null
  /** In: the kernel extension's interrupt handler. */
  conc_intr_addr: ConcInterruptHandler | null
}

/** A dd_conc_register with `init` applied. */
export function ddConcRegister(init: Partial<DdConcRegister> = {}): DdConcRegister {
  return { conc_func_addr: null, conc_intr_addr: null, ...init }
}

// --- argument checking: guest structures are untrusted ---------------------------------

/** True when `value` is an integer in [0, max]. */
export function isUint(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max
}

const UINT = 0xffffffff
const UCHAR = 0xff

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** An object the driver can write its outputs into (a frozen one would throw). */
export function isWritableRecord(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && !Object.isFrozen(value)
}

function isBufferFor(buffer: unknown, length: number): boolean {
  if (length === 0) return buffer === null || buffer === undefined || buffer instanceof Uint8Array
  return buffer instanceof Uint8Array && buffer.length >= length
}

/** Checks an sd_iocmd's inputs; returns the errno to give, or null when it is well formed. */
export function checkSdIocmd(arg: unknown): Errno | null {
  if (!isWritableRecord(arg)) return 'EINVAL'
  if (!isUint(arg.data_length, UINT) || !isBufferFor(arg.buffer, arg.data_length)) return 'EINVAL'
  if (!isUint(arg.timeout_value, UINT)) return 'EINVAL'
  if (arg.resvd3 !== 0 || arg.resvd4 !== 0 || arg.resvd5 !== 0) return 'EINVAL'
  if (!isUint(arg.resvd6, UCHAR) || ![0x00, 0x80, 0xc0].includes(arg.resvd6)) return 'EINVAL'
  if (!isUint(arg.resvd7, UCHAR) || (arg.resvd7 & ~0x30) !== 0) return 'EINVAL'
  if (arg.flags !== 0 && arg.flags !== 1) return 'EINVAL'
  if (arg.command_length !== 6 && arg.command_length !== 10 && arg.command_length !== 12)
    return 'EINVAL'
  if (!(arg.scsi_cdb instanceof Uint8Array) || arg.scsi_cdb.length < arg.command_length)
    return 'EINVAL'
  return null
}

/** The sd_ioctl_parms fields an ioctl reads; every other resvd must be zero. */
export type ParmsUse = 'reset' | 'set-fence' | 'clear-fence'

/** Checks an sd_ioctl_parms for `use`; returns the errno to give, or null. */
export function checkSdIoctlParms(arg: unknown, use: ParmsUse): Errno | null {
  if (!isWritableRecord(arg)) return 'EINVAL'
  if (!isUint(arg.time_out, UINT)) return 'EINVAL'
  if (arg.data_length !== 0 || (arg.buffer !== null && arg.buffer !== undefined)) return 'EINVAL'
  if (arg.resvd6 !== 0 || arg.resvd7 !== 0) return 'EINVAL'
  switch (use) {
    case 'reset':
      if (arg.reset_type !== 0 && arg.reset_type !== 1) return 'EINVAL'
      for (const f of ['resvd1', 'resvd2', 'resvd3', 'resvd4', 'resvd5'])
        if (arg[f] !== 0) return 'EINVAL'
      return null
    case 'set-fence':
      if (arg.reset_type !== 0) return 'EINVAL'
      if (!isUint(arg.resvd1, 0xffff) || !isUint(arg.resvd2, 0xffff)) return 'EINVAL'
      return null
    case 'clear-fence':
      if (arg.reset_type !== 0 || arg.resvd1 !== 0 || arg.resvd2 !== 0) return 'EINVAL'
      return null
  }
}

/** Checks a devinfo to be filled by IOCINFO. */
export function checkDevinfo(arg: unknown): arg is DevInfo {
  return (
    isWritableRecord(arg) &&
    isRecord(arg.un) &&
    isWritableRecord(arg.un.scdk) &&
    isWritableRecord(arg.un.scsi)
  )
}
