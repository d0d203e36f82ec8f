/**
 * `pnpm bench lnm`: the logical name services' rates, through the service form (string
 * descriptors and an item list in a fake process memory) and the host API. Most
 * translations fail (book 28.6): file specifications are tried as logical names first.
 */
import type { LogicalNames } from '@vms/lnm'
import { Machine } from '../src/testing/harness'

const SECONDS = Number(process.env.LNM_BENCH_SECONDS ?? 1)
const PID = 0x101
const USER = 3

/** Runs `batch` (which does `n` operations) until `SECONDS` pass; operations per second. */
function rate(n: number, batch: () => void): number {
  const warm = performance.now() + 200
  while (performance.now() < warm) batch()
  let done = 0
  const start = performance.now()
  const end = start + SECONDS * 1000
  while (performance.now() < end) {
    batch()
    done += n
  }
  return done / ((performance.now() - start) / 1000)
}

function machine(names: number): Machine {
  const m = new Machine()
  m.process(PID)
  m.names.define('SYS$SYSTEM', 'SYS$SYSROOT:[SYSEXE]', { table: 'LNM$SYSTEM_TABLE' })
  for (let i = 0; i < names; i++) m.crelnm(PID, USER, 'LNM$PROCESS', `NAME_${i}`, [`DUA0:[D${i}]`])
  m.crelnm(PID, USER, 'LNM$PROCESS', 'WORK', ['DUA1:[WORK]'])
  return m
}

function service(m: Machine, name: string, expected: number): number {
  return rate(100, () => {
    for (let i = 0; i < 100; i++)
      if (m.trnlnm(PID, USER, 'LNM$FILE_DEV', name).status !== expected) throw new Error(name)
  })
}

function host(names: LogicalNames, name: string): number {
  return rate(1000, () => {
    for (let i = 0; i < 1000; i++) names.translate(name, { pid: PID })
  })
}

function createDelete(m: Machine): number {
  return rate(100, () => {
    for (let i = 0; i < 100; i++) {
      m.crelnm(PID, USER, 'LNM$PROCESS', 'TEMP', ['X', 'Y'])
      m.dellnm(PID, USER, 'LNM$PROCESS', 'TEMP')
    }
  })
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US').padStart(12)
}

export default function main(): void {
  const small = machine(0)
  const large = machine(10_000)
  const rows: [string, string][] = [
    [
      '$TRNLNM/s, LNM$FILE_DEV, name in the process table (service form)',
      fmt(service(small, 'WORK', 1)),
    ],
    [
      '$TRNLNM/s, LNM$FILE_DEV, name in the system table, 4 tables (service form)',
      fmt(service(small, 'SYS$SYSTEM', 1)),
    ],
    [
      '$TRNLNM/s, LNM$FILE_DEV, no such name: SS$_NOLOGNAM (service form)',
      fmt(service(small, 'DUA0', 0x1bc)),
    ],
    [
      '$TRNLNM/s, as above with 10,000 process names (service form)',
      fmt(service(large, 'DUA0', 0x1bc)),
    ],
    ['translate/s, name in the process table (host API)', fmt(host(small.names, 'WORK'))],
    ['translate/s, no such name (host API)', fmt(host(small.names, 'DUA0'))],
    ['$CRELNM+$DELLNM pairs/s, two equivalences (service form)', fmt(createDelete(small))],
  ]
  const width = Math.max(...rows.map(([k]) => k.length))
  console.log('@vms/lnm')
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`)
}
