import { bootReport } from './boot'

process.stdout.write(`${bootReport()}\n`)
