import { assemble } from '@vax/asm'
import { SERVICE_VECTOR } from '@vms/contracts'
import { assembleWithStarlet, definitionMacro, SERVICES, SSDEF, serviceMacros } from '@vms/starlet'

const SYS = SERVICE_VECTOR.map(
  (s, code) => `SYS$${s.name} = ^X${(0x80000000 + 8 * code).toString(16)}`,
).join('\n')

const PROGRAM = `${SYS}
        .MCALL  $SSDEF,$IODEF,$ASSIGN_S,$QIOW_S,$EXIT_S
        $SSDEF
        $IODEF
TTNAME: .ASCID  /TT/
TTCHAN: .BLKW   1
MSG:    .ASCII  /HELLO/
        .ENTRY  START,^M<>
        $ASSIGN_S DEVNAM=TTNAME,CHAN=TTCHAN
        $QIOW_S CHAN=TTCHAN,FUNC=#IO$_WRITEVBLK,P1=MSG,P2=#5
        $EXIT_S R0
        .END    START`

/** Runs `work` for about `seconds`; returns calls per second. */
function rate(work: () => void, seconds = 0.5): number {
  let n = 0
  const start = performance.now()
  while (performance.now() - start < seconds * 1000) {
    work()
    n++
  }
  return n / ((performance.now() - start) / 1000)
}

/** Generating the library, and assembling a program with and without it. */
export default function bench(): void {
  const rows = [
    [
      'generate the library (uncached)',
      rate(() =>
        [...SERVICES.map((s) => serviceMacros(s.name, s.arguments)), definitionMacro(SSDEF)].join(
          '\n',
        ),
      ),
    ],
    [
      'assemble the VMS-idiom program with STARLET',
      rate(() => assembleWithStarlet(PROGRAM, { base: 0x200 })),
    ],
    ['assemble the SYS$ lines alone (baseline)', rate(() => assemble(SYS, { base: 0x200 }))],
  ] as const
  console.log('| operation | per second |')
  console.log('| --- | ---: |')
  for (const [name, perSecond] of rows)
    console.log(`| ${name} | ${Math.round(perSecond).toLocaleString('en-US')} |`)
}
