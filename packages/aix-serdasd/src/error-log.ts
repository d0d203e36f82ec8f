import { appendFileSync, readFileSync } from 'node:fs'

/** Error types as errpt shows them: permanent, temporary, informational. */
export type ErrorType = 'PERM' | 'TEMP' | 'INFO'

/**
 * The error identifiers this driver logs, modelled on the AIX SD error identifiers
 * (adapter SDA_, controller SDC_, DASD SDD_, media SDM_).
 */
export const ERROR_LABELS = {
  SDA_ERR1: { type: 'PERM', description: 'ADAPTER NOT RESPONDING' },
  SDA_ERR2: { type: 'PERM', description: 'ADAPTER HARDWARE FAILURE' },
  SDA_ERR3: { type: 'TEMP', description: 'COMMAND TIMED OUT' },
  SDC_ERR1: { type: 'PERM', description: 'CONTROLLER NOT RESPONDING' },
  SDD_ERR1: { type: 'PERM', description: 'DASD NOT RESPONDING (OPEN LINK OR POWERED OFF)' },
  SDD_ERR2: { type: 'PERM', description: 'HOST FENCED OUT BY DASD' },
  SDD_ERR3: { type: 'TEMP', description: 'RESERVATION CONFLICT' },
  SDD_ERR4: { type: 'INFO', description: 'DASD POWERED ON, FENCE REESTABLISHED' },
  SDD_ERR5: { type: 'PERM', description: 'DASD REPORTED AN ERROR' },
  SDM_ERR1: { type: 'PERM', description: 'UNRECOVERED MEDIA ERROR' },
  SDM_ERR2: { type: 'TEMP', description: 'RECOVERED MEDIA ERROR' },
  SDM_ERR3: { type: 'INFO', description: 'BLOCK RELOCATED' },
} as const satisfies Record<string, { type: ErrorType; description: string }>

export type ErrorLabel = keyof typeof ERROR_LABELS

/** One error log entry. */
export interface ErrorRecord {
  /** 1, 2, 3... in the order logged. */
  readonly sequence: number
  /** ISO time of logging. */
  readonly time: string
  readonly label: ErrorLabel
  readonly type: ErrorType
  /** Always hardware ('H') for this driver. */
  readonly class: 'H'
  /** The resource: `hdiskN`, the adapter or the controller name. */
  readonly resource: string
  readonly description: string
  /** Status bytes, block number, errno, host connector: whatever the failure had. */
  readonly detail: Readonly<Record<string, number | string>>
}

export interface ErrorLogOptions {
  /** A JSON-lines file each record is appended to, for `serdasd errpt`. */
  readonly file?: string
  /** The clock (for reproducible logs). */
  readonly clock?: () => Date
}

/** The error log: records in memory, and appended to a file when one is given. */
export class ErrorLog {
  private readonly entries: ErrorRecord[] = []
  private readonly clock: () => Date

  constructor(private readonly options: ErrorLogOptions = {}) {
    this.clock = options.clock ?? (() => new Date())
  }

  /** Logs one failure. */
  log(
    label: ErrorLabel,
    resource: string,
    detail: Record<string, number | string> = {},
  ): ErrorRecord {
    const { type, description } = ERROR_LABELS[label]
    const record: ErrorRecord = {
      sequence: this.entries.length + 1,
      time: this.clock().toISOString(),
      label,
      type,
      class: 'H',
      resource,
      description,
      detail,
    }
    this.entries.push(record)
    if (this.options.file) appendFileSync(this.options.file, `${JSON.stringify(record)}\n`)
    return record
  }

  /** Every record so far, oldest first. */
  records(): readonly ErrorRecord[] {
    return this.entries
  }
}

/** Reads a log file written by an `ErrorLog`; lines that are not records are skipped. */
export function readErrorLogFile(path: string): ErrorRecord[] {
  const out: ErrorRecord[] = []
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue
    try {
      const r = JSON.parse(line) as ErrorRecord
      if (typeof r.label === 'string' && r.label in ERROR_LABELS) out.push(r)
    } catch {
      // a torn last line from a crash: skip it
    }
  }
  return out
}

/**
 * Formats records as errpt does: a summary line each (newest first), or with
 * `detailed` every field.
 */
export function formatErrorReport(records: readonly ErrorRecord[], detailed = false): string {
  const newest = [...records].reverse()
  if (!detailed) {
    const head = 'IDENTIFIER TIMESTAMP  T C RESOURCE_NAME  DESCRIPTION'
    const lines = newest.map(
      (r) =>
        `${r.label.padEnd(10)} ${stamp(r.time)} ${r.type[0]} ${r.class} ${r.resource.padEnd(14)} ${r.description}`,
    )
    return [head, ...lines].join('\n')
  }
  return newest
    .map((r) => {
      const lines = [
        '-'.repeat(72),
        `LABEL:          ${r.label}`,
        `Sequence:       ${r.sequence}`,
        `Date/Time:      ${r.time}`,
        `Type:           ${r.type}`,
        `Class:          ${r.class}`,
        `Resource Name:  ${r.resource}`,
        `Description:    ${r.description}`,
      ]
      for (const [k, v] of Object.entries(r.detail))
        lines.push(`  ${k.padEnd(18)}${typeof v === 'number' ? `${v} (0x${v.toString(16)})` : v}`)
      return lines.join('\n')
    })
    .join('\n')
}

/** errpt's MMDDhhmmYY timestamp, in UTC. */
function stamp(iso: string): string {
  const d = new Date(iso)
  const two = (n: number) => String(n).padStart(2, '0')
  if (Number.isNaN(d.getTime())) return '----------'
  return `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCFullYear() % 100)}`
}
