/**
 * The numbers of the AIX headers the serial DASD page names: sys/scsi.h (openx modes,
 * SCSI operation codes and status bytes, general card status), sys/serdasd.h (ioctls,
 * the Fence command, adapter and controller status codes), sys/scdisk.h (readx/writex
 * extensions), sys/devinfo.h (IOCINFO) and sys/ddconc.h (concurrent mode).
 */

/** openx `ext` flags (sys/scsi.h "Modes for OPENX", and SD_NO_RESERVE of sys/serdasd.h). */
export const SC = {
  /** Diagnostic mode: singly entrant, no subsystem operations on open/close, only close and ioctl. */
  DIAGNOSTIC: 0x01,
  /** Do not release the DASD on close. */
  RETAIN_RESERVATION: 0x02,
  /** Reset the DASD before the open sequence, breaking another initiator's reservation. */
  FORCED_OPEN: 0x04,
  /** Do not reserve the DASD on open. */
  NO_RESERVE: 0x08,
} as const

/** SD_NO_RESERVE is defined in sys/serdasd.h as SC_NO_RESERVE. */
export const SD_NO_RESERVE = SC.NO_RESERVE

/** Every openx flag the driver knows; any other bit is EINVAL. */
export const OPENX_FLAGS = SC.DIAGNOSTIC | SC.RETAIN_RESERVATION | SC.FORCED_OPEN | SC.NO_RESERVE

/** readx/writex `ext` values (sys/scdisk.h, shared with the LVM's lvdd.h). */
export const RW = {
  /** Write verification: the write is issued as Write And Verify. */
  WRITEV: 0x0001,
  /** Hardware relocation, safe relocation only. */
  HWRELOC: 0x0002,
  /** Unsafe hardware relocation: relocate even when the block's data is lost. */
  UNSAFEREL: 0x0004,
} as const

/** Every readx/writex extension the driver knows. */
export const RW_FLAGS = RW.WRITEV | RW.HWRELOC | RW.UNSAFEREL

/** ioctl operations (sys/ioctl.h, sys/serdasd.h, sys/ddconc.h). */
export const IOC = {
  /** Returns the devinfo structure; defined for every device driver. */
  IOCINFO: 0xff01,
  /** SD_SCSICMD is DKIOCMD: a Serial DASD subsystem command through sd_iocmd. */
  SD_SCSICMD: 0x03,
  /** Reset or quiesce the DASD (Diagnostic mode only). */
  SD_RESET: 0x71,
  /** Mask and Swap Fence, Force Fence off. */
  SD_SET_FENCE: 0x7c,
  /** Remove the composite fence set by SD_SET_FENCE. */
  SD_CLEAR_FENCE: 0x7d,
  /** Register a kernel extension for concurrent mode. */
  DD_CONC_REGISTER: 0x80,
  /** Unregister it. */
  DD_CONC_UNREGISTER: 0x81,
} as const

/** Serial DASD subsystem command operation codes: the SCSI ones (sys/scsi.h) and Fence. */
export const OP = {
  TEST_UNIT_READY: 0x00,
  REQUEST_SENSE: 0x03,
  FORMAT_UNIT: 0x04,
  REASSIGN_BLOCKS: 0x07,
  READ_6: 0x08,
  WRITE_6: 0x0a,
  INQUIRY: 0x12,
  MODE_SELECT: 0x15,
  RESERVE: 0x16,
  RELEASE: 0x17,
  MODE_SENSE: 0x1a,
  START_STOP_UNIT: 0x1b,
  RECEIVE_DIAGNOSTICS: 0x1c,
  SEND_DIAGNOSTIC: 0x1d,
  READ_CAPACITY: 0x25,
  READ_10: 0x28,
  WRITE_10: 0x2a,
  WRITE_AND_VERIFY: 0x2e,
  VERIFY: 0x2f,
  WRITE_BUFFER: 0x3b,
  /** "Write Sense" of the page; no SCSI-2 command has this name, so it takes 0x3f here. */
  WRITE_SENSE: 0x3f,
  /** The Serial DASD Fence command (SD_FENCE_OP_CODE): no SCSI counterpart. */
  FENCE: 0xd0,
} as const

/**
 * The commands of the page's first table (plus Fence and Receive Diagnostics of the
 * second), which the DASD model implements. In Diagnostic mode SD_SCSICMD passes any
 * operation code through; the DASD answers others with CHECK CONDITION, ILLEGAL REQUEST.
 */
export const DIAGNOSTIC_COMMANDS: ReadonlySet<number> = new Set([
  OP.FORMAT_UNIT,
  OP.READ_CAPACITY,
  OP.TEST_UNIT_READY,
  OP.INQUIRY,
  OP.REASSIGN_BLOCKS,
  OP.VERIFY,
  OP.MODE_SELECT,
  OP.RELEASE,
  OP.WRITE_6,
  OP.WRITE_10,
  OP.MODE_SENSE,
  OP.REQUEST_SENSE,
  OP.WRITE_AND_VERIFY,
  OP.READ_6,
  OP.RESERVE,
  OP.WRITE_BUFFER,
  OP.READ_10,
  OP.START_STOP_UNIT,
  OP.WRITE_SENSE,
  OP.FENCE,
  OP.RECEIVE_DIAGNOSTICS,
])

/**
 * The commands SD_SCSICMD accepts outside Diagnostic mode when the caller has root
 * authority (the page's second table: Fence, Receive Diagnostics, Inquiry, Request Sense,
 * Read, Write Buffer, Read Extended).
 */
export const ROOT_COMMANDS: ReadonlySet<number> = new Set([
  OP.FENCE,
  OP.RECEIVE_DIAGNOSTICS,
  OP.INQUIRY,
  OP.REQUEST_SENSE,
  OP.READ_6,
  OP.WRITE_BUFFER,
  OP.READ_10,
])

/** Fence command descriptor block fields (see the README for the byte layout). */
export const FENCE = {
  /** Byte 1: run the Fence command from a fenced-out host. */
  FORCE: 0x10,
  /** Byte 1 low nibble: the Mask and Swap operation (SD_FENCE_MASK_SWAP). */
  MASK_SWAP: 0x01,
  /** Byte 1 low nibble: Compare and Swap (SD_FENCE_COMPARE_SWAP); not supported here. */
  COMPARE_SWAP: 0x02,
} as const

/** Read(10) byte 1: the read-with-reservation bit a fenced-out host must set. */
export const READ10_RWR = 0x02

/** Send Diagnostic byte 1 self-test bit, and the DASD reset support operation (serdasd.h). */
export const SD_SELF_TEST_BIT = 0x04
export const SD_RESET_DASD = 0x81

/** SCSI status bytes (sys/scsi.h) and the Serial DASD fenced-out status (sys/serdasd.h). */
export const SCSI_STATUS = {
  GOOD: 0x00,
  CHECK_CONDITION: 0x02,
  BUSY: 0x08,
  RESERVATION_CONFLICT: 0x18,
  QUEUE_FULL: 0x28,
  /** SD_FENCED_OUT: the host is fenced out by the DASD's fence register. */
  FENCED_OUT: 0x3e,
} as const

/** sc_iocmd / sd_iocmd status_validity bits (the page's table). */
export const SC_STATUS = {
  /** 0x01: the scsi_bus_status byte is valid. */
  SCSI_ERROR: 0x01,
  /** 0x02: the adapter_status byte is valid. */
  ADAPTER_ERROR: 0x02,
  /** 0x04: the alert register contents (resvd1, resvd2) are valid. */
  VALID_ALERTREG: 0x04,
} as const

/** General card status, the sd_iocmd adapter_status byte (sys/scsi.h). */
export const SC_ADAPTER = {
  HOST_IO_BUS_ERR: 0x01,
  SCSI_BUS_FAULT: 0x02,
  CMD_TIMEOUT: 0x04,
  NO_DEVICE_RESPONSE: 0x08,
  /** The driver failed the command without communicating with the adapter. */
  HDW_FAILURE: 0x10,
  SFW_FAILURE: 0x20,
  FUSE_OR_TERMINAL_PWR: 0x40,
  SCSI_BUS_RESET: 0x80,
} as const

/** sd_ioctl_parms.reset_type (sys/serdasd.h). */
export const SD_RESET_TYPE = {
  /** A full reset. */
  RESET_OP: 0x00,
  /** A quiesce: outstanding commands finish, nothing is reset. */
  QUIESCE_OP: 0x01,
} as const

/** sd_ioctl_parms.status_validity (sys/serdasd.h). */
export const SD_STATUS = {
  NO_STATUS: 0x00,
  VALID_ADAP_STATUS: 0x01,
  VALID_CTRL_STATUS: 0x02,
  DRIVER_STATUS: 0x04,
} as const

/** Serial DASD adapter status byte codes (sys/serdasd.h), the alert register's adapter byte. */
export const SD_ADAP = {
  SCSI_STATUS: 0x00,
  CTRL_STATUS: 0x01,
  CTRL_NOT_RESPONDING: 0x05,
  UNIT_POWERED_ON: 0x06,
  TIME_OUT: 0x07,
  OPEN_LINK: 0x08,
  ADAP_HDW_ERROR: 0x22,
} as const

/** Serial DASD controller status byte codes (sys/serdasd.h). */
export const SD_CTRL = {
  ABORTED_CMD: 0x81,
} as const

/** sd_iocmd.resvd6, queue control (sys/serdasd.h); SD_Q_INVALID is refused. */
export const SD_Q = { NONE: 0x00, INVALID: 0x40, ORDERED: 0x80, UNORDERED: 0xc0 } as const

/** sd_iocmd.resvd7, SCSI extension (sys/serdasd.h). */
export const SD_EXT = { NONE: 0x00, SPLIT_READ: 0x10, SPLIT_WRITE: 0x20 } as const

/** sd_iocmd.flags: the transfer direction (sys/buf.h B_READ; B_WRITE is 0). */
export const B_READ = 0x01
export const B_WRITE = 0x00

/** SCSI sense keys. */
export const SENSE_KEY = {
  NO_SENSE: 0x0,
  RECOVERED_ERROR: 0x1,
  NOT_READY: 0x2,
  MEDIUM_ERROR: 0x3,
  HARDWARE_ERROR: 0x4,
  ILLEGAL_REQUEST: 0x5,
  UNIT_ATTENTION: 0x6,
  DATA_PROTECT: 0x7,
  MISCOMPARE: 0xe,
} as const

/** devinfo device types, subtypes and flags (sys/devinfo.h). */
export const DEVINFO = {
  DD_SCDISK: 'r'.charCodeAt(0),
  DD_DISK_C: 's'.charCodeAt(0),
  DD_BUS: 'b'.charCodeAt(0),
  DS_PV: 'p'.charCodeAt(0),
  DS_SDA: 'h'.charCodeAt(0),
  DS_SDC: 'c'.charCodeAt(0),
  DF_FIXED: 0x01,
  DF_RAND: 0x02,
  DF_FAST: 0x04,
  DF_CONC: 0x08,
} as const

/** Concurrent mode commands (sys/ddconc.h). */
export const DD_CONC = {
  SEND_REFRESH: 0x01,
  LOCK: 0x02,
  UNLOCK: 0x03,
  TEST: 0x04,
  RECV_REFRESH: 0x05,
  RESET: 0x06,
} as const

/** The number of host connectors on a Serial DASD controller (0-7). */
export const HOST_CONNECTORS = 8

/** The fence register bit of host connector `n`: bits are numbered from the left. */
export function fenceBit(connector: number): number {
  return 0x8000 >>> connector
}
