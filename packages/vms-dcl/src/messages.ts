import { formatStatus, type Status } from '@vms/contracts'

/**
 * The CLI facility's condition values (facility 3, $CLIMSGDEF) and the text of DCL's
 * messages for them.
 *
 * Values: $CLIMSGDEF as FreeVMS's starlet climsgdef.h lists it (CLI$_ABVERB 229384 =
 * 0x00038008 ... CLI$_IVQUAL 229952 = 0x00038240), agreeing with Pat Rankin's vms.h for
 * gawk (CLI$_INSFPRM 0x00038048, VALREQ 0x00038150, CONFLICT 0x00038258) and eVAX's
 * SYS$CLI (UNDSYM 0x00038140). Note that INSFPRM is 0x00038048: 0x00038240 is IVQUAL.
 *
 * Texts: the DCL message file as DCL shows them (`%DCL-W-IVVERB, unrecognized command
 * verb - check validity and spelling`), followed where DCL gives one by the offending
 * token between backslashes (` \FOO\`). USGOSUB, USCALL and INVGOSUB are worded after
 * USGOTO and the DCL Dictionary's descriptions of GOSUB, CALL and RETURN.
 */
const CLI_DEFINITIONS = {
  ABVERB: { value: 0x00038008, text: 'ambiguous command verb - supply more characters' },
  ABKEYW: { value: 0x00038010, text: 'ambiguous keyword - supply more characters' },
  BUFOVF: {
    value: 0x00038018,
    text: 'command buffer overflow - shorten expression or command line',
  },
  COMPLX: { value: 0x00038020, text: 'expression too complex - simplify' },
  EXPSYN: { value: 0x00038038, text: 'invalid expression syntax - check operators and operands' },
  INSFPRM: {
    value: 0x00038048,
    text: 'missing command parameters - supply all required parameters',
  },
  IVCHAR: { value: 0x00038050, text: 'invalid numeric value - check for invalid digits' },
  IVKEYW: { value: 0x00038060, text: 'unrecognized keyword - check validity and spelling' },
  IVSYMB: { value: 0x00038080, text: 'invalid symbol name - check validity and spelling' },
  IVVALU: { value: 0x00038088, text: 'invalid value syntax - see command documentation' },
  IVVERB: { value: 0x00038090, text: 'unrecognized command verb - check validity and spelling' },
  MAXPARM: {
    value: 0x00038098,
    text: 'too many parameters - reenter command with fewer parameters',
  },
  NOCOMD: {
    value: 0x000380b0,
    text: 'no command on line - reenter with alphabetic first character',
  },
  NOVALU: { value: 0x000380d0, text: 'value not allowed - remove value specification' },
  NOTNEG: { value: 0x000380d8, text: 'qualifier or keyword not negatable - remove "NO" or omit' },
  NUMBER: { value: 0x000380e8, text: 'invalid numeric value - check for invalid digits' },
  SKPDAT: { value: 0x00038120, text: 'image data (records not beginning with "$") ignored' },
  STKOVF: { value: 0x00038128, text: 'command procedures too deeply nested - limit to 16 levels' },
  SYMOVF: { value: 0x00038138, text: 'no room for symbol definitions - delete some symbols' },
  UNDSYM: { value: 0x00038140, text: 'undefined symbol - check validity and spelling' },
  USGOTO: {
    value: 0x00038148,
    text: 'target of GOTO not found - check spelling and presence of label',
  },
  UNDFIL: { value: 0x00038188, text: 'file has not been opened by DCL - check logical name' },
  VALREQ: {
    value: 0x00038150,
    text: 'missing qualifier or keyword value - supply all required values',
  },
  ONEVAL: { value: 0x00038158, text: 'list of values not allowed - check use of comma (,)' },
  IVQUAL: {
    value: 0x00038240,
    text: 'unrecognized qualifier - check validity, spelling, and placement',
  },
  CONFLICT: {
    value: 0x00038258,
    text: 'illegal combination of command elements - check documentation',
  },
  INVGOSUB: { value: 0x000382c8, text: 'RETURN without GOSUB - check procedure flow' },
  USCALL: {
    value: 0x000382d8,
    text: 'target of CALL not found - check spelling and presence of label',
  },
  USGOSUB: {
    value: 0x000382e0,
    text: 'target of GOSUB not found - check spelling and presence of label',
  },
  INVIFNEST: {
    value: 0x0003894a,
    text: 'invalid IF-THEN-ELSE nesting structure or data inconsistency',
  },
  SUPERSEDE: { value: 0x0003ddeb, text: 'previous value has been superseded' },
} as const

export type CliName = keyof typeof CLI_DEFINITIONS

/** `CLI.IVVERB` is CLI$_IVVERB (0x00038090), and so on. */
export const CLI: { readonly [K in CliName]: (typeof CLI_DEFINITIONS)[K]['value'] } = Object.freeze(
  Object.fromEntries(Object.entries(CLI_DEFINITIONS).map(([name, d]) => [name, d.value])),
) as { readonly [K in CliName]: (typeof CLI_DEFINITIONS)[K]['value'] }

/** CLI$_NORMAL, and the success status DCL leaves in $STATUS after a good command. */
export const CLI_NORMAL = 0x00030001

/**
 * RMS condition values (facility 1) DCL's file commands report: RMS$_FNF 0x00018292 "file
 * not found", RMS$_DNF 0x000182A2 "directory not found", RMS$_SYN 0x0001C5F4 "file
 * specification syntax error", RMS$_EOF 0x0001827A "end of file detected", RMS$_PRV
 * 0x0001829A "insufficient privilege or file protection violation".
 */
export const RMS = {
  EOF: 0x0001827a,
  FNF: 0x00018292,
  PRV: 0x0001829a,
  DNF: 0x000182a2,
  SYN: 0x0001c5f4,
} as const

const RMS_TEXT: Record<number, string> = {
  [RMS.EOF]: 'EOF, end of file detected',
  [RMS.FNF]: 'FNF, file not found',
  [RMS.PRV]: 'PRV, insufficient privilege or file protection violation',
  [RMS.DNF]: 'DNF, directory not found',
  [RMS.SYN]: 'SYN, file specification syntax error',
}

/** STS$M_INHIB_MSG: the status's message has been shown. */
export const STS_M_INHIB_MSG = 0x10000000

const SEVERITY_LETTER = ['W', 'S', 'E', 'I', 'F', '?', '?', '?'] as const

const CLI_BY_VALUE = new Map<number, CliName>(
  (Object.entries(CLI_DEFINITIONS) as [CliName, { value: number }][]).map(([n, d]) => [d.value, n]),
)

/**
 * The text of a condition as DCL shows it: `%DCL-W-IVVERB, unrecognized command verb -
 * check validity and spelling` for a CLI status, `%RMS-E-FNF, file not found` for an RMS
 * one, and `formatStatus` (the SYSTEM message file) for the rest. `facility` names the
 * component that reports an RMS status (`%TYPE-W-...`); the RMS line is then its second.
 */
export function messageText(status: Status): string {
  const value = (status & ~STS_M_INHIB_MSG) >>> 0
  const letter = SEVERITY_LETTER[value & 7]
  const cli = CLI_BY_VALUE.get(value)
  if (cli !== undefined) return `%DCL-${letter}-${cli}, ${CLI_DEFINITIONS[cli].text}`
  if (value === CLI_NORMAL) return '%CLI-S-NORMAL, normal successful completion'
  const rms = RMS_TEXT[value]
  if (rms !== undefined) return `%RMS-${letter}-${rms}`
  return formatStatus(value)
}

/** The name of a CLI status (`CLI$_IVVERB`), or undefined. */
export function cliName(status: Status): `CLI$_${CliName}` | undefined {
  const name = CLI_BY_VALUE.get((status & ~STS_M_INHIB_MSG) >>> 0)
  return name === undefined ? undefined : `CLI$_${name}`
}

/**
 * A DCL error: its status and the lines DCL shows for it (the message, and the
 * `\token\` line naming what it could not take).
 */
export class DclError extends Error {
  constructor(
    readonly status: Status,
    readonly token?: string,
    readonly extra: readonly string[] = [],
  ) {
    super(messageText(status))
  }

  /** The lines DCL writes for it. */
  lines(): string[] {
    const lines = [messageText(this.status)]
    if (this.token !== undefined) lines.push(` \\${this.token}\\`)
    return [...lines, ...this.extra]
  }
}

/**
 * A host file-system error as the RMS status DCL would show: a missing file RMS$_FNF, a
 * missing directory (or a file where one should be) RMS$_DNF, anything else (no access,
 * a directory where a file should be) RMS$_PRV. Undefined for anything that is not a
 * host error (a program bug, which is not hidden).
 */
export function hostError(error: unknown): DclError | undefined {
  if (!(error instanceof Error) || typeof (error as NodeJS.ErrnoException).code !== 'string')
    return undefined
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return new DclError(RMS.FNF)
  if (code === 'ENOTDIR') return new DclError(RMS.DNF)
  return new DclError(RMS.PRV)
}
