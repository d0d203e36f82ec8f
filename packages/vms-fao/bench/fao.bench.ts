/**
 * `pnpm bench fao`: calls per second of $FAO with a few control strings, of the time
 * conversions $ASCTIM and $BINTIM, and of $GETMSG (the library functions, no system).
 */
import { asciiTime, ByteMemory, DEFAULT_BOOT_TIME, fao, getMessage, parseTime } from '@vms/fao'

const SECONDS = Number(process.env.FAO_BENCH_SECONDS ?? 1)

/** Runs `op` until `SECONDS` pass (after a short warm-up); calls per second. */
function rate(op: (i: number) => unknown): number {
  const warm = performance.now() + 200
  for (let i = 0; performance.now() < warm; i++) op(i)
  let done = 0
  const start = performance.now()
  const end = start + SECONDS * 1000
  while (performance.now() < end) {
    for (let k = 0; k < 256; k++, done++) op(done)
  }
  return done / ((performance.now() - start) / 1000)
}

export default function main(): void {
  const memory = new ByteMemory()
  const name = memory.string('DUA0:[SYSMGR]LOGIN.COM')
  const time = memory.quadword(DEFAULT_BOOT_TIME)
  const rows: [string, number][] = [
    ['$FAO "!UL"', rate((i) => fao('!UL', [i]))],
    ['$FAO "!8XL !5ZL !SL"', rate((i) => fao('!8XL !5ZL !SL', [i, i, -i]))],
    ['$FAO "!AS, !UL block!%S"', rate((i) => fao('!AS, !UL block!%S', [name, i], { memory }))],
    ['$FAO "!%D"', rate(() => fao('!%D', [time], { memory }))],
    ['$ASCTIM', rate((i) => asciiTime(DEFAULT_BOOT_TIME + BigInt(i) * 1_000_003n))],
    ['$BINTIM', rate(() => parseTime('29-NOV-2026 23:36:03.25', DEFAULT_BOOT_TIME))],
    ['$GETMSG', rate(() => getMessage(0x124))],
  ]
  console.log('operation                      calls/s')
  for (const [label, perSecond] of rows)
    console.log(`${label.padEnd(30)} ${Math.round(perSecond).toLocaleString('en-US').padStart(12)}`)
}
