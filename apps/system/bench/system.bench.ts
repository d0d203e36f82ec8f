import { VmsSystem } from '../src/executive'

/**
 * System services per second (a VAX loop calling $SETEF through its vector: CALLS,
 * CHMK, the TypeScript dispatcher, REI, RET) and context switches per second (two
 * processes waking each other with $WAKE and $HIBER: each round trip is two switches
 * through SVPCTX/LDPCTX). No SIMH figure: SIMH does not run this executive.
 */
const SERVICE_LOOP = `
        .ENTRY  start,^M<R6>
        MOVL    #200000,R6
10$:    PUSHL   #3
        CALLS   #1,@#SYS$SETEF
        SOBGTR  R6,10$
        RET
        .END    start`

const pingPong = (partner: string, first: boolean) => `
        .ENTRY  start,^M<R6>
        MOVL    #50000,R6
10$:    ${first ? '' : 'CALLS   #0,@#SYS$HIBER'}
        PUSHAQ  name
        CLRL    -(SP)
        CALLS   #2,@#SYS$WAKE
        ${first ? 'CALLS   #0,@#SYS$HIBER' : ''}
        SOBGTR  R6,10$
        PUSHAQ  name
        CLRL    -(SP)
        CALLS   #2,@#SYS$WAKE
        RET
name:   .LONG   ${partner.length}
        .ADDRESS 1$
1$:     .ASCII  /${partner}/
        .END    start`

/**
 * A loop that takes an access violation on every pass; its handler moves the PC in the
 * signal array past the faulting MOVL (3 bytes) and answers SS$_CONTINUE (book 4.5-4.6):
 * exception, frame search, handler call, CHMK back, REI.
 */
const EXCEPTIONS = 100_000
const EXCEPTION_LOOP = `
        .ENTRY  start,^M<R6>
        MOVAB   handler,(FP)
        MOVL    #${EXCEPTIONS},R6
        CLRL    R1
10$:    MOVL    (R1),R0                 ; access violation at address 0
        SOBGTR  R6,10$
        MOVL    #1,R0
        RET
        .ENTRY  handler,^M<R2,R3>
        MOVL    4(AP),R2                ; the signal array: count, condition, ..., PC, PSL
        MOVL    (R2),R3
        ADDL2   #3,-4(R2)[R3]           ; the PC, at signal + 4 * (count - 1)
        MOVL    #1,R0                   ; SS$_CONTINUE
        RET
        .END    start`

/** Seconds a new system set up by `setup` takes to run until it is idle. */
function measure(setup: (system: VmsSystem) => void, jit: boolean): number {
  const system = new VmsSystem({ output: () => {} })
  system.cpu.jit = jit
  setup(system)
  const start = performance.now()
  const stopped = system.run(1_000_000_000)
  if (stopped !== 'idle') throw new Error(`benchmark stopped: ${stopped}`)
  return (performance.now() - start) / 1000
}

/**
 * Timed runs per figure, after one each to warm up. Interpreted and translated runs
 * alternate, so that both see the same stretch of the shared machine, and each side's
 * fastest counts (other work only slows a run down).
 */
const RUNS = 3

/** A rate per second, interpreted (the CPU before issue 18's translator) and translated. */
function row(label: string, count: number, setup: (system: VmsSystem) => void): void {
  measure(setup, false)
  measure(setup, true)
  let before = Number.POSITIVE_INFINITY
  let after = Number.POSITIVE_INFINITY
  for (let k = 0; k < RUNS; k++) {
    before = Math.min(before, measure(setup, false))
    after = Math.min(after, measure(setup, true))
  }
  const rate = (seconds: number) =>
    Math.round(count / seconds)
      .toLocaleString('en-US')
      .padStart(12)
  console.log(
    `  ${label.padEnd(44)}${rate(before)}/s${rate(after)}/s   ${(before / after).toFixed(2)}x`,
  )
}

export default function runSystemBenchmarks(): void {
  console.log('apps/system: the assembled system (VAX user code + TypeScript executive)')
  console.log(`  ${''.padEnd(44)}${'interpreted'.padStart(14)}${'translated'.padStart(14)}   ratio`)
  row('system services ($SETEF loop)', 200_000, (s) => s.createProcess('LOOP', SERVICE_LOOP))
  // Each round: PING hibernates (to PONG), PONG hibernates (to PING).
  row('context switches ($HIBER/$WAKE)', 2 * 50_000, (s) => {
    s.createProcess('PONG', pingPong('PING', false))
    s.createProcess('PING', pingPong('PONG', true))
  })
  row('exceptions handled (ACCVIO, SS$_CONTINUE)', EXCEPTIONS, (s) =>
    s.createProcess('FAULTS', EXCEPTION_LOOP),
  )
}
