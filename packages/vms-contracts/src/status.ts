/**
 * VMS condition values.
 *
 * A condition value is a longword: bits 0-2 are the severity, bits 3-15 the message
 * number, bits 16-27 the facility (0 = SYSTEM, the SS$_ codes) and bits 28-31 control
 * flags. An odd value is success; VAX code tests it with BLBC/BLBS on R0.
 */

/** Severity codes in bits 0-2 (STS$K_...). */
export const Severity = {
  warning: 0,
  success: 1,
  error: 2,
  informational: 3,
  severe: 4,
} as const
export type Severity = (typeof Severity)[keyof typeof Severity]

interface StatusDefinition {
  readonly value: number
  readonly text: string
}

/**
 * The system service status codes this project uses, with the numeric values of
 * VMS's $SSDEF and the text of the SYSTEM message file. FAO directives in the text
 * (`!XL`, `!XB`) are where the signal arguments go.
 */
const DEFINITIONS = {
  NORMAL: { value: 0x0001, text: 'normal successful completion' },
  WASCLR: { value: 0x0001, text: 'normal successful completion' },
  /** A condition handler's answer: dismiss the condition and go on (book 4.6). */
  CONTINUE: { value: 0x0001, text: 'normal successful completion' },
  WASSET: { value: 0x0009, text: 'event flag was set' },
  BUFFEROVF: { value: 0x0601, text: 'output buffer overflow' },
  CREATED: { value: 0x0619, text: 'file did not exist, was created' },
  MSGNOTFND: { value: 0x0621, text: 'message not in system message file' },
  NOTRAN: { value: 0x0629, text: 'no string translation performed' },
  SUPERSEDE: { value: 0x0631, text: 'logical name superseded' },
  SYNCH: { value: 0x0689, text: 'synchronous successful completion' },
  ACCVIO: {
    value: 0x000c,
    text: 'access violation, reason mask=!XB, virtual address=!XL, PC=!XL, PSL=!XL',
  },
  BADPARAM: { value: 0x0014, text: 'bad parameter value' },
  EXQUOTA: { value: 0x001c, text: 'exceeded quota' },
  NOPRIV: { value: 0x0024, text: 'no privilege for attempted operation' },
  ABORT: { value: 0x002c, text: 'abort' },
  BADIMGHDR: { value: 0x0044, text: 'bad image header' },
  DEVOFFLINE: { value: 0x0084, text: 'device is not in configuration or not available' },
  DUPLNAM: { value: 0x0094, text: 'duplicate name' },
  ILLCNTRFUNC: { value: 0x00e4, text: 'illegal ACP control function' },
  ILLEFC: { value: 0x00ec, text: 'illegal event flag cluster' },
  ILLIOFUNC: { value: 0x00f4, text: 'illegal I/O function code' },
  ILLSER: { value: 0x0104, text: 'illegal system service code' },
  INSFARG: { value: 0x0114, text: 'insufficient call arguments' },
  INSFMEM: { value: 0x0124, text: 'insufficient dynamic memory' },
  IVADDR: { value: 0x0134, text: 'invalid media address' },
  IVCHAN: { value: 0x013c, text: 'invalid I/O channel' },
  IVDEVNAM: { value: 0x0144, text: 'invalid device name' },
  IVLOGNAM: { value: 0x0154, text: 'invalid logical name' },
  IVSSRQ: { value: 0x0174, text: 'invalid system service request' },
  IVTIME: { value: 0x0184, text: 'invalid time' },
  NOIOCHAN: { value: 0x01b4, text: 'no I/O channel available' },
  NOLOGNAM: { value: 0x01bc, text: 'no logical name match' },
  NONEXDRV: { value: 0x01c4, text: 'nonexistent driver' },
  RESULTOVF: { value: 0x0214, text: 'resultant string overflow' },
  TIMEOUT: { value: 0x022c, text: 'device timeout' },
  UNASEFC: { value: 0x0234, text: 'unassociated event flag cluster' },
  BUGCHECK: { value: 0x02a4, text: 'internal consistency failure' },
  BADSTACK: { value: 0x02b4, text: 'bad stack encountered during exception dispatch' },
  MCHECK: { value: 0x02bc, text: 'detected hardware error, PC=!XL, PSL=!XL' },
  DEVACTIVE: { value: 0x02c4, text: 'device active' },
  IVBUFLEN: { value: 0x034c, text: 'invalid buffer length' },
  BREAK: { value: 0x0414, text: 'breakpoint fault at PC=!XL, PSL=!XL' },
  CMODSUPR: { value: 0x041c, text: 'change mode to supervisor trap, code=!XL, PC=!XL, PSL=!XL' },
  CMODUSER: { value: 0x0424, text: 'change mode to user trap, code=!XL, PC=!XL, PSL=!XL' },
  OPCDEC: { value: 0x043c, text: 'opcode reserved to Digital fault at PC=!XL, PSL=!XL' },
  RADRMOD: { value: 0x044c, text: 'reserved addressing fault at PC=!XL, PSL=!XL' },
  ROPRAND: { value: 0x0454, text: 'reserved operand fault at PC=!XL, PSL=!XL' },
  INTOVF: { value: 0x047c, text: 'arithmetic trap, integer overflow at PC=!XL, PSL=!XL' },
  INTDIV: { value: 0x0484, text: 'arithmetic trap, integer divide by zero at PC=!XL, PSL=!XL' },
  CANCEL: { value: 0x0830, text: 'I/O operation canceled' },
  DEVALLOC: { value: 0x0840, text: 'device already allocated to another user' },
  ENDOFFILE: { value: 0x0870, text: 'end of file' },
  MBFULL: { value: 0x08d8, text: 'mailbox is full' },
  NONEXPR: { value: 0x08e8, text: 'nonexistent process' },
  NOHANDLER: { value: 0x08f8, text: 'no condition handler found' },
  NOSIGNAL: { value: 0x0900, text: 'no signal currently active' },
  NOSUCHDEV: { value: 0x0908, text: 'no such device available' },
  NOSUCHFILE: { value: 0x0910, text: 'no such file' },
  RESIGNAL: { value: 0x0918, text: 'resignal condition to next handler' },
  UNWIND: { value: 0x0920, text: 'unwind currently in progress' },
  UNWINDING: { value: 0x0928, text: 'unwind already in progress' },
  NOMOREPROC: { value: 0x09a8, text: 'no more processes' },
  NOTQUEUED: { value: 0x09b8, text: 'request not queued' },
  VALNOTVALID: { value: 0x09f0, text: 'value block not valid' },
  NOMORELOCK: { value: 0x0a08, text: 'no more locks' },
  DEADLOCK: { value: 0x0e0a, text: 'deadlock detected' },
  NOLOCKID: { value: 0x0e12, text: 'no lock id available' },
  EXDEPTH: { value: 0x0e1a, text: 'exceeded allowed depth' },
  NOLOGTAB: { value: 0x2294, text: 'no logical name table name match' },
  IVLOCKID: { value: 0x2124, text: 'invalid lock id' },
  SUBLOCKS: { value: 0x212c, text: 'one or more sublocks exist' },
  PARNOTGRANT: { value: 0x2134, text: 'parent lock must be granted' },
  CVTUNGRANT: { value: 0x213c, text: 'cannot convert an ungranted lock' },
  NOSYSLCK: { value: 0x28f4, text: 'operation requires SYSLCK privilege' },
  EXENQLM: { value: 0x2a44, text: 'exceeded enqueue quota' },
  DEVFOREIGN: { value: 0x0064, text: 'device is mounted foreign' },
  DEVMOUNT: { value: 0x006c, text: 'device is already mounted' },
  DEVNOTMBX: { value: 0x0074, text: 'device is not a mailbox' },
  DEVNOTMOUNT: { value: 0x007c, text: 'device is not mounted' },
  DRVERR: { value: 0x008c, text: 'fatal drive error' },
  ILLBLKNUM: { value: 0x00dc, text: 'illegal logical block number' },
  MBTOOSML: { value: 0x019c, text: 'mailbox is too small for request' },
  MEDOFL: { value: 0x01a4, text: 'medium is offline' },
  INSFRAME: { value: 0x012c, text: 'insufficient call frames to unwind' },
  NOSUCHNODE: { value: 0x028c, text: 'remote node is unknown' },
  TOOMANYLNAM: { value: 0x0374, text: 'logical name translation count exceeded' },
  TEMPLATEDEV: { value: 0x21dc, text: 'cannot perform function on template device' },
  DEVALRALLOC: { value: 0x0641, text: 'device already allocated to this job' },
  DEVNOTALLOC: { value: 0x0858, text: 'device not allocated' },
  NONLOCAL: { value: 0x08f0, text: 'nonlocal device' },
  DRVEXISTS: { value: 0x0aa0, text: 'driver already loaded' },
  DEVEXISTS: { value: 0x0aa8, text: 'device already exists' },
} as const satisfies Record<string, StatusDefinition>

export type StatusName = keyof typeof DEFINITIONS

/**
 * `SS.NORMAL`, `SS.INSFMEM`, ...: the SS$_ values by name. `SS.INSFMEM` is `SS$_INSFMEM`.
 */
export const SS: { readonly [K in StatusName]: (typeof DEFINITIONS)[K]['value'] } = Object.freeze(
  Object.fromEntries(Object.entries(DEFINITIONS).map(([name, d]) => [name, d.value])),
) as { readonly [K in StatusName]: (typeof DEFINITIONS)[K]['value'] }

/** A status value returned by a system service or executive routine. */
export type Status = number

/** True for the odd (success and informational) values, as BLBS on R0 tests. */
export function isSuccess(status: Status): boolean {
  return (status & 1) === 1
}

/** The severity field, bits 0-2 (STS$V_SEVERITY). */
export function severityOf(status: Status): Severity {
  return (status & 7) as Severity
}

/** The facility number, bits 16-27 (0 for the system facility). */
export function facilityOf(status: Status): number {
  return (status >>> 16) & 0xfff
}

/** The message number, bits 3-15 (STS$V_MSG_NO). */
export function messageNumberOf(status: Status): number {
  return (status >>> 3) & 0x1fff
}

const SEVERITY_LETTER = ['W', 'S', 'E', 'I', 'F', '?', '?', '?'] as const

/** Value to primary name; where two names share a value, the first listed wins (NORMAL before WASCLR). */
const BY_VALUE: ReadonlyMap<number, StatusName> = (() => {
  const map = new Map<number, StatusName>()
  for (const [name, d] of Object.entries(DEFINITIONS) as [StatusName, StatusDefinition][]) {
    if (!map.has(d.value)) map.set(d.value, name)
  }
  return map
})()

/**
 * A message's name by its identification (facility and message number, bits 3-27),
 * whatever the severity: a program may signal a message with another severity than
 * its definition's (`SS$_NOPRIV - 4`, a warning), and the message is still found.
 */
const BY_IDENT: ReadonlyMap<number, StatusName> = (() => {
  const map = new Map<number, StatusName>()
  for (const [value, name] of BY_VALUE)
    if (!map.has(value & 0x0ffffff8)) map.set(value & 0x0ffffff8, name)
  return map
})()

function nameOf(status: Status): StatusName | undefined {
  return BY_VALUE.get(status >>> 0) ?? BY_IDENT.get(status & 0x0ffffff8)
}

/** The SS$_ name for a value (`statusName(0x124) === 'SS$_INSFMEM'`), or undefined. */
export function statusName(status: Status): `SS$_${StatusName}` | undefined {
  const name = BY_VALUE.get(status >>> 0)
  return name === undefined ? undefined : `SS$_${name}`
}

/**
 * Formats a status the way $GETMSG and the DCL error display do:
 * `%SYSTEM-F-INSFMEM, insufficient dynamic memory`. FAO directives are replaced
 * in order by `args` as 8-digit (`!XL`) or 2-digit (`!XB`) uppercase hexadecimal.
 * An unknown value is shown as `%SYSTEM-W-NOMSG, Message number XXXXXXXX` (with the
 * value's own severity, and NONAME for a facility other than SYSTEM), as $GETMSG does.
 */
export function formatStatus(status: Status, args: readonly number[] = []): string {
  const value = status >>> 0
  const name = nameOf(value)
  const letter = SEVERITY_LETTER[value & 7]
  if (name === undefined) {
    const facility = facilityOf(value) === 0 ? 'SYSTEM' : 'NONAME'
    return `%${facility}-${letter}-NOMSG, Message number ${value.toString(16).toUpperCase().padStart(8, '0')}`
  }
  let i = 0
  const text = DEFINITIONS[name].text.replace(/!X([LB])/g, (_match, width: string) => {
    const arg = args[i++]
    if (arg === undefined) return width === 'L' ? '!XL' : '!XB'
    return (arg >>> 0)
      .toString(16)
      .toUpperCase()
      .padStart(width === 'L' ? 8 : 2, '0')
  })
  return `%SYSTEM-${letter}-${name}, ${text}`
}
