/**
 * `serdasd`: the error-log reader and the two-host failover demo.
 *
 *   serdasd errpt [-a] [--json] [-N resource] [-J label] FILE   report an error log file
 *   serdasd demo [--errlog FILE]                                run the two-host failover
 */
import { parseArgs } from 'node:util'
import { runTwoHostDemo } from './demo'
import { formatErrorReport, readErrorLogFile } from './error-log'

const USAGE = `usage:
  serdasd errpt [-a] [--json] [-N resource] [-J label] FILE
      report the error log FILE (written by an ErrorLog with a file), newest first;
      -a every field, --json one record per line, -N / -J only that resource / identifier
  serdasd demo [--errlog FILE]
      host A owns a shared DASD and writes; host B breaks the reservation, fences A out
      and writes; none of A's later writes reaches the media`

function errpt(args: string[]): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      all: { type: 'boolean', short: 'a' },
      json: { type: 'boolean' },
      resource: { type: 'string', short: 'N' },
      label: { type: 'string', short: 'J' },
    },
  })
  const file = positionals[0]
  if (!file || positionals.length > 1) {
    console.error(USAGE)
    return 2
  }
  let records = readErrorLogFile(file)
  if (values.resource) records = records.filter((r) => r.resource === values.resource)
  if (values.label) records = records.filter((r) => r.label === values.label)
  if (values.json) for (const r of records) console.log(JSON.stringify(r))
  else console.log(formatErrorReport(records, values.all ?? false))
  return 0
}

function demo(args: string[]): number {
  const { values } = parseArgs({ args, options: { errlog: { type: 'string' } } })
  const report = runTwoHostDemo(values.errlog ? { errorLogFile: values.errlog } : {})
  return report.landedAfterFence === 0 && report.failedAfterFence === report.attemptsAfterFence
    ? 0
    : 1
}

function main(argv: string[]): number {
  const [command, ...rest] = argv
  try {
    if (command === 'errpt') return errpt(rest)
    if (command === 'demo') return demo(rest)
  } catch (error) {
    console.error(`serdasd: ${(error as Error).message}`)
    return 2
  }
  console.error(USAGE)
  return command === undefined || command === '-h' || command === '--help' ? 0 : 2
}

process.exitCode = main(process.argv.slice(2))
