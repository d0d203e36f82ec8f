import { formatStatus, SS, type Status, statusName } from '@vms/contracts'
import { parameterCount } from './directives'
import { type FaoOptions, type FaoParameters, fao } from './fao'

/** $GETMSG's FLAGS bits: which parts of the message to return. */
export const MSG = {
  /** Bit 0: the message text. */
  M_TEXT: 1,
  /** Bit 1: the message identifier (`INSFMEM`). */
  M_IDENT: 2,
  /** Bit 2: the severity letter. */
  M_SEVERITY: 4,
  /** Bit 3: the facility name (`SYSTEM`). */
  M_FACILITY: 8,
  /** All four, the default. */
  M_ALL: 15,
} as const

/** The severity letters of STS$K_WARNING ... STS$K_SEVERE (5-7 are reserved). */
const SEVERITY_LETTER = ['W', 'S', 'E', 'I', 'F', '?', '?', '?'] as const

/** One message of the message file: its facility, identifier, text and FAO arguments. */
export interface MessageDefinition {
  readonly facility: string
  readonly ident: string
  /** The text, with the FAO directives where the message's arguments go. */
  readonly text: string
  /** How many FAO arguments the text takes ($GETMSG's OUTADR byte 1). */
  readonly faoCount: number
}

/** What $GETMSG returns: the status, the message text and the OUTADR bytes. */
export interface GetMessageResult {
  /** SS$_NORMAL, or SS$_MSGNOTFND with the NOMSG text. */
  readonly status: Status
  readonly text: string
  /** OUTADR: reserved, FAO argument count, user value, reserved. */
  readonly info: readonly [number, number, number, number]
}

/** The SYSTEM facility's messages by value: the SS$_ codes of @vms/contracts. */
function systemMessage(value: number): MessageDefinition | undefined {
  const name = statusName(value)
  if (name !== undefined) {
    const formatted = formatStatus(value)
    const text = formatted.slice(formatted.indexOf(', ') + 2)
    return { facility: 'SYSTEM', ident: name.slice(4), text, faoCount: parameterCount(text) }
  }
  return undefined
}

/**
 * The message of a condition value (System Services Reference Manual, $GETMSG msgid:
 * "each message has a unique identification, contained in bits 3 through 27"; book
 * 29.5.2): the entry for the value itself, or else one with the same identification and
 * another severity (the letter shown is then the value's own, so status 0 reads
 * `%SYSTEM-W-NORMAL, normal successful completion`). Bits 28-31 are ignored.
 */
export function lookupMessage(msgid: Status): MessageDefinition | undefined {
  const value = msgid & 0x0fffffff
  const exact = systemMessage(value)
  if (exact !== undefined) return exact
  for (let severity = 0; severity < 8; severity++) {
    const found = systemMessage((value & ~7) | severity)
    if (found !== undefined) return found
  }
  return undefined
}

/** `%FACILITY-S-IDENT, text` with the parts FLAGS selects. */
function compose(flags: number, facility: string, letter: string, ident: string, text: string) {
  const prefix = [
    flags & MSG.M_FACILITY ? facility : undefined,
    flags & MSG.M_SEVERITY ? letter : undefined,
    flags & MSG.M_IDENT ? ident : undefined,
  ].filter((p) => p !== undefined)
  const head = prefix.length > 0 ? `%${prefix.join('-')}` : ''
  if ((flags & MSG.M_TEXT) === 0) return head
  return head === '' ? text : `${head}, ${text}`
}

/**
 * $GETMSG (System Services Reference Manual, $GETMSG; book 29.5.2): the message text of
 * a condition value, as `%FACILITY-S-IDENT, text` with the parts selected by FLAGS (bit 0
 * text, 1 identifier, 2 severity, 3 facility; 0 is the process default, all four). The text keeps its FAO directives; OUTADR
 * byte 1 is how many FAO arguments it takes. A value with no message gives
 * SS$_MSGNOTFND and `%NONAME-s-NOMSG, Message number xxxxxxxx` (s its own severity).
 */
export function getMessage(msgid: Status, flags: number = MSG.M_ALL): GetMessageResult {
  // 0 selects the process's default flags, here all four; bit 4 (combine with the
  // default) changes nothing when the default is all four.
  const parts = (flags & MSG.M_ALL) === 0 ? MSG.M_ALL : flags & MSG.M_ALL
  const letter = SEVERITY_LETTER[msgid & 7] as string
  const found = lookupMessage(msgid)
  if (found === undefined) {
    const number = (msgid >>> 0).toString(16).toUpperCase().padStart(8, '0')
    const text = compose(parts, 'NONAME', letter, 'NOMSG', `Message number ${number}`)
    return { status: SS.MSGNOTFND, text, info: [0, 0, 0, 0] }
  }
  const text = compose(parts, found.facility, letter, found.ident, found.text)
  return { status: SS.NORMAL, text, info: [0, found.faoCount, 0, 0] }
}

/**
 * A message with its FAO arguments put in, as $PUTMSG writes it (book 29.5.2, "Put
 * Message System Service", steps 2-3): $GETMSG's text, then $FAOL over the arguments
 * when the message takes any. `facility` replaces the facility name (PUTMSG's FACNAM).
 */
export function formatMessage(
  msgid: Status,
  parameters: FaoParameters = [],
  options: FaoOptions & { readonly flags?: number; readonly facility?: string } = {},
): { status: Status; text: string } {
  const flags = options.flags ?? MSG.M_ALL
  const message = getMessage(msgid, flags)
  let text = message.text
  const facilityShown = (flags & MSG.M_ALL) === 0 || (flags & MSG.M_FACILITY) !== 0
  if (options.facility !== undefined && facilityShown) {
    text = text.replace(/^%[^-,]*/, `%${options.facility}`)
  }
  if (message.info[1] === 0) return { status: message.status, text }
  const formatted = fao(text, parameters, options)
  return { status: formatted.status, text: formatted.text }
}

/** What $PUTMSG would write for a message vector: one line a message, and the status. */
export interface MessageVectorText {
  /** SS$_NORMAL, or SS$_MSGNOTFND, or the first error of a message's FAO pass. */
  readonly status: Status
  /** `%FAC-S-IDENT, text` for the first message, `-FAC-S-IDENT, text` for the others. */
  readonly lines: readonly string[]
}

/**
 * The text of a message argument vector, as $PUTMSG writes it (book 29.5.2, "Put
 * Message System Service"; System Services Reference Manual, $PUTMSG msgvec). The first
 * longword holds the count of longwords that follow (bits 0-15) and the default message
 * flags (bits 16-19, 0 for the process default). Then each message: its condition value;
 * for the SYSTEM facility, the FAO arguments its text takes, straight after it (an
 * exception such as SS$_ACCVIO), or nothing; for RMS (facility 1), nothing; for any
 * other facility, a longword with the FAO count (bits 0-15) and the message's own flags
 * (bits 16-19), then that many FAO arguments. `facility` replaces the facility name of
 * the first message (PUTMSG's FACNAM). `vector` may be a function reading the caller's
 * memory, which may throw ServiceFault. The action routine and the writing are the
 * caller's.
 */
export function formatMessageVector(
  vector: FaoParameters,
  options: FaoOptions & { readonly facility?: string } = {},
): MessageVectorText {
  const { facility, ...faoOptions } = options
  const at = (i: number): number => (typeof vector === 'function' ? vector(i) : vector[i]) ?? 0
  const head = at(0)
  const count = head & 0xffff
  const defaultFlags = (head >>> 16) & MSG.M_ALL
  const lines: string[] = []
  let status: Status = SS.NORMAL
  for (let i = 1; i <= count; ) {
    const msgid = at(i++)
    const code = (msgid >>> 16) & 0xfff
    let flags = defaultFlags
    let n = 0
    if (code === 0) n = lookupMessage(msgid)?.faoCount ?? 0
    else if (code !== 1 && i <= count) {
      const word = at(i++)
      n = word & 0xffff
      flags = (word >>> 16) & MSG.M_ALL || defaultFlags
    }
    const parameters = Array.from({ length: Math.max(0, Math.min(n, count + 1 - i)) }, (_, k) =>
      at(i + k),
    )
    i += n
    const message = formatMessage(msgid, parameters, {
      ...faoOptions,
      flags,
      ...(lines.length === 0 && facility !== undefined && { facility }),
    })
    if (status === SS.NORMAL && message.status !== SS.NORMAL) status = message.status
    lines.push(lines.length === 0 ? message.text : message.text.replace(/^%/, '-'))
  }
  return { status, lines }
}
