import { SS, type SubsystemFactory } from '@vms/contracts'
import { describe, expect, it } from 'vitest'
import { Console } from './console'
import { VmsSystem } from './executive'

/**
 * Composing a system (ARCHITECTURE.md): subsystems contribute their services and
 * console commands through @vms/contracts; a service left out of a build answers
 * SS$_ILLSER (book 9.3), and one added from outside the repository is called by VAX
 * code through its fixed vector like any other.
 */
const CALL_DEQ = `        .ENTRY  start,^M<>
        CLRQ    -(SP)
        CLRQ    -(SP)
        CALLS   #4,@#SYS$DEQ
        RET                             ; the image exits with $DEQ's status
        .END    start`

/** A subsystem as a user would write it outside the repository. */
const counter: SubsystemFactory = (kernel) => {
  let calls = 0
  return {
    name: 'counter',
    services: [
      {
        name: 'DEQ',
        args: 4,
        call: (request) => {
          calls++
          return kernel.process(request.pid) === undefined ? SS.NONEXPR : SS.NORMAL
        },
      },
    ],
    commands: [
      {
        name: 'SHOW COUNTER',
        help: 'how often $DEQ was called',
        run: (_args, say) => {
          say(`$DEQ called ${calls} time(s)`)
          return SS.NORMAL
        },
      },
    ],
  }
}

function boot(subsystems: readonly SubsystemFactory[]) {
  let output = ''
  const system = new VmsSystem({ output: (text) => (output += text), subsystems })
  return { system, console_: new Console(system), output: () => output }
}

describe('composing a system from subsystems', () => {
  it('a service left out of the build answers SS$_ILLSER', () => {
    const { system } = boot([])
    const created = system.createProcess('DEQ', CALL_DEQ)
    system.run()
    expect(system.exitStatus(created.pid as number)).toBe(SS.ILLSER)
  })

  it('a subsystem from outside adds a service VAX code calls and a console command', () => {
    const { system, console_, output } = boot([counter])
    const created = system.createProcess('DEQ', CALL_DEQ)
    system.run()
    expect(system.exitStatus(created.pid as number)).toBe(SS.NORMAL)
    expect(console_.execute('SHOW COUNT')).toBe(SS.NORMAL)
    expect(output()).toBe('$DEQ called 1 time(s)\n')
    console_.execute('HELP')
    expect(output()).toContain('SHOW COUNTER')
  })

  it('two subsystems may not give the same service', () => {
    expect(() => boot([counter, counter])).toThrow(/two subsystems give \$DEQ/)
  })

  it('the executive and the I/O system are in every build', () => {
    const { system } = boot([])
    expect(system.subsystems.map((s) => s.name)).toEqual(['executive', 'io'])
  })
})

describe('programs in the VMS idiom (STARLET found by default)', () => {
  it('HELLOVMS: $SSDEF, $IODEF, .ASCID, $ASSIGN_S, $QIOW_S and $EXIT_S', () => {
    const { console_, output } = boot([])
    expect(console_.execute('RUN HELLOVMS')).toBe(SS.NORMAL)
    expect(output()).toBe('Hello from VAX MACRO in the VMS idiom!\n')
  })

  it('a service macro without a required argument is an error on the program line', () => {
    const { system } = boot([])
    const made = system.createProcess(
      'BAD',
      '        .ENTRY  start,^M<>\n        $ASSIGN_S DEVNAM=x\n        RET\nx: .LONG 0\n        .END    start\n',
    )
    expect(made.status & 1).toBe(0)
    expect(made.diagnostics?.[0]?.line).toBe(2)
    expect(made.diagnostics?.[0]?.message).toMatch(/CHAN/)
  })
})
