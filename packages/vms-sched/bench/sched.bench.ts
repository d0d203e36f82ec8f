import type { PriorityClass } from '@vms/contracts'
import { State } from '../src/pcb'
import { Scheduler } from '../src/scheduler'

/**
 * Scheduling decisions per second with 1,000 and 10,000 resident processes. One
 * decision: the current process waits (SCH$WAIT + SCH$SCHED), a waiting process gets
 * its event (SCH$RSE with a boost), and a clock tick may end a quantum and reschedule.
 * Selection uses the COMQS summary longword, so the rate should not fall with N.
 */
function measure(processes: number, seconds: number): number {
  const s = new Scheduler({ quantum: 4 })
  for (let i = 0; i < processes; i++) s.createProcess({ name: `P${i}`, basePriority: i % 12 })
  s.dispatch()
  let seed = 12345
  const rnd = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
    return seed
  }
  const all = s.processes()
  let decisions = 0
  const end = performance.now() + seconds * 1000
  while (performance.now() < end) {
    for (let k = 0; k < 1000; k++) {
      if (s.current !== s.nullProcess) s.wait(State.LEF)
      const p = all[1 + (rnd() % processes)]
      if (p !== undefined && p.state === State.LEF)
        s.reportSystemEvent(p.pid, 'EVENT_FLAG', (rnd() % 5) as PriorityClass)
      s.clockTick()
      s.dispatch()
      decisions++
    }
  }
  return decisions / seconds
}

export default function runSchedulerBenchmarks(seconds = 1): void {
  console.log('@vms/sched: scheduling decisions per second (wait + event + tick + reschedule)')
  const rates = [1_000, 10_000].map((n) => {
    const rate = measure(n, seconds)
    console.log(
      `  ${`${n.toLocaleString('en-US')} processes`.padEnd(24)}${Math.round(rate).toLocaleString('en-US').padStart(14)}/s`,
    )
    return rate
  })
  console.log(
    `  10,000 vs 1,000: ${((rates[1] ?? 0) / (rates[0] ?? 1)).toFixed(2)}x (1.00x = independent of N)`,
  )
}
