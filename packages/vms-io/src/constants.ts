/**
 * The I/O system's symbolic constants, with VMS's values: function codes and modifiers
 * ($IODEF), device characteristics ($DEVDEF), device classes ($DCDEF), $GETDVI item
 * codes ($DVIDEF) and structure type codes ($DYNDEF).
 */

/** I/O function codes (IO$_...), the low 6 bits of the FUNC argument (book 18.5). */
export const IoFunction = {
  WRITEPBLK: 0x0b,
  READPBLK: 0x0c,
  WRITELBLK: 0x20,
  READLBLK: 0x21,
  /** IO$_SETMODE: mailbox attention ASTs (book 19.5.4). */
  SETMODE: 0x23,
  /** IO$_READPROMPT: write the prompt (P5, P6 bytes), then read a line (book 19.3). */
  READPROMPT: 0x37,
  /** IO$_SENSEMODE. */
  SENSEMODE: 0x27,
  /** IO$_WRITEOF: an end-of-file message to a mailbox. */
  WRITEOF: 0x28,
  WRITEVBLK: 0x30,
  READVBLK: 0x31,
  /** IO$_ACPCONTROL: a control request to the ancillary control process of a disk. */
  ACPCONTROL: 0x38,
} as const

/** Function modifiers (IO$M_...), the bits above the function code. */
export const IoModifier = {
  /** IO$M_NOW: do not wait (a mailbox write completes at once; a read of an empty mailbox is end of file). */
  NOW: 0x0040,
  /** IO$M_READATTN: a read attention AST (with IO$_SETMODE on a mailbox). */
  READATTN: 0x0080,
  /** IO$M_WRTATTN: a write attention AST (with IO$_SETMODE on a mailbox; the default). */
  WRTATTN: 0x0100,
  /** IO$M_SETPROT: set the mailbox's protection. */
  SETPROT: 0x0200,
  /** IO$M_NORSWAIT: no resource wait (a full mailbox is SS$_MBFULL). */
  NORSWAIT: 0x0400,
  /** IO$M_CTRLYAST: with IO$_SETMODE on a terminal, a CTRL/Y AST (book 7.8.3). */
  CTRLYAST: 0x0080,
  /** IO$M_CTRLCAST: with IO$_SETMODE on a terminal, a CTRL/C AST (book 7.8.3). */
  CTRLCAST: 0x0100,
} as const

/** The function code proper: FUNC without its modifiers (book 18.5, IO$M_FCODE). */
export function functionCode(func: number): number {
  return func & 0x3f
}

/** Bit `code` of an FDT mask: the function decision table's masks have one bit a function code (book 18.2.1). */
export function functionBit(code: number): bigint {
  return 1n << BigInt(code)
}

/** UCB$L_DEVCHAR bits (DEV$M_...; bit numbers DEV$V_... of $DEVDEF). */
export const DEV = {
  /** Record oriented. */
  REC: 1 << 0,
  /** Carriage control. */
  CCL: 1 << 1,
  /** Terminal. */
  TRM: 1 << 2,
  /** Directory structured. */
  DIR: 1 << 3,
  /** Single directory structured. */
  SDI: 1 << 4,
  /** Sequential block oriented. */
  SQD: 1 << 5,
  /** Spooled. */
  SPL: 1 << 6,
  /** Operator. */
  OPR: 1 << 7,
  /** Has a replacement caching table. */
  RCT: 1 << 8,
  /** Network. */
  NET: 1 << 13,
  /** File oriented. */
  FOD: 1 << 14,
  /** Dual ported. */
  DUA: 1 << 15,
  /** Shareable. */
  SHR: 1 << 16,
  /** Generic. */
  GEN: 1 << 17,
  /** Available. */
  AVL: 1 << 18,
  /** Mounted. */
  MNT: 1 << 19,
  /** Mailbox. */
  MBX: 1 << 20,
  /** Marked for dismount. */
  DMT: 1 << 21,
  /** Error logging enabled. */
  ELG: 1 << 22,
  /** Allocated (explicitly, book 18.3.1). */
  ALL: 1 << 23,
  /** Mounted foreign. */
  FOR: 1 << 24,
  /** Software write locked. */
  SWL: 1 << 25,
  /** Capable of input. */
  IDV: 1 << 26,
  /** Capable of output. */
  ODV: 1 << 27,
  /** Random access. */
  RND: 1 << 28,
  /** Realtime. */
  RTM: 1 << 29,
  /** Read checking. */
  RCK: 1 << 30,
  /** Write checking. */
  WCK: 2 ** 31,
} as const

/** UCB$L_DEVCHAR2 bits (DEV$M_... of the second longword). */
export const DEV2 = {
  /** Cluster available (book 18.2.3; the seed note "How to make Virtual Disks Cluster Known"). */
  CLU: 1 << 0,
  /** Detached terminal. */
  DET: 1 << 1,
  /** Remote terminal. */
  RTT: 1 << 2,
  /** Dual path. */
  CDP: 1 << 3,
  /** Two paths known. */
  '2P': 1 << 4,
  /** Served by the MSCP server. */
  MSCP: 1 << 5,
  /** Shadow set member. */
  SSM: 1 << 6,
  /** Served by a server. */
  SRV: 1 << 7,
  /** Redirected terminal. */
  RED: 1 << 8,
  /** Prefix the device name with the node name. */
  NNM: 1 << 9,
} as const

/** Device classes (DC$_...). */
export const DC = {
  DISK: 1,
  TAPE: 2,
  TERM: 66,
  MAILBOX: 160,
  MISC: 200,
} as const

/** Device types (DT$_...) this package's drivers use. */
export const DT = {
  /** DT$_MBX: a mailbox. */
  MBX: 1,
} as const

/** $GETDVI item codes (DVI$_...). */
export const DVI = {
  DEVCHAR: 2,
  DEVCLASS: 4,
  DEVTYPE: 6,
  DEVBUFSIZ: 8,
  DEVDEPEND: 10,
  UNIT: 12,
  /** The owner's PID (UCB$L_PID). */
  PID: 14,
  ERRCNT: 20,
  OPCNT: 22,
  MAXBLOCK: 26,
  REFCNT: 30,
  DEVNAM: 32,
  DEVCHAR2: 230,
  FULLDEVNAM: 232,
} as const

/** Structure type codes (DYN$C_...) of the I/O database's blocks in pool (book Appendix E). */
export const DYN_IO = {
  ACB: 2,
  CRB: 5,
  DDB: 6,
  IDB: 9,
  IRP: 10,
  UCB: 16,
  /** A buffered I/O system buffer, and a mailbox message. */
  BUFIO: 19,
  DPT: 30,
} as const

/**
 * The bytes each structure takes from pool. IRP$C_LENGTH is VMS's; the others are this
 * package's sizes, what `$GETDVI` and pool statistics see.
 */
export const LENGTH = {
  IRP: 208,
  UCB: 144,
  DDB: 56,
  CRB: 64,
  IDB: 48,
  DPT: 64,
  /** An attention AST's control block (COM$SETATTNAST). */
  ACB: 28,
  /** The header of a system buffer (the data follows it). */
  BUFIO: 12,
} as const

/** LNM$C_MAXDEPTH: the most translations of a logical name (book 18.1). */
export const MAX_DEPTH = 10
