import { AssemblyError, assemble, disassemble, link } from '@vax/asm'
import { SERVICE_VECTOR } from '@vms/contracts'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { assembleObjectWithStarlet, assembleWithStarlet } from './assemble'
import { SERVICE_ARGUMENTS, SERVICES, type ServiceArgument } from './services'

/** `SYS$name = address` for every service, as the assembled system prepends them (book 9.2). */
const SYS = SERVICE_VECTOR.map(
  (s, code) => `SYS$${s.name} = ^X${(0x80000000 + 8 * code).toString(16)}`,
).join('\n')

function bytes(source: string, starlet = true): string {
  const text = `${SYS}\n${source}`
  const { image } = starlet
    ? assembleWithStarlet(text, { base: 0x200 })
    : assemble(text, { base: 0x200 })
  return Buffer.from(image).toString('hex')
}

function diagnosticsOf(source: string): { line: number; message: string }[] {
  try {
    assembleWithStarlet(`${SYS}\n${source}`, { base: 0x200 })
  } catch (error) {
    if (error instanceof AssemblyError)
      return error.diagnostics.map(({ line, message }) => ({ line, message }))
    throw error
  }
  return []
}

const LINES = SERVICE_VECTOR.length

/** The operand a test passes for an argument: an address label, or an immediate. */
function operand(arg: ServiceArgument): string {
  return arg.kind === 'value' ? '#7' : 'DATA'
}

describe("the argument tables (System Services Reference Manual, each service's format)", () => {
  it('cover every service of SERVICE_VECTOR with its argument count', () => {
    expect(SERVICES.map((s) => s.name)).toEqual(SERVICE_VECTOR.map((s) => s.name))
    for (const s of SERVICE_VECTOR)
      expect([s.name, SERVICE_ARGUMENTS[s.name].length]).toEqual([
        s.name,
        'upTo' in s ? s.upTo : s.args,
      ])
  })

  it('give each W form the arguments of its service', () => {
    for (const s of SERVICE_VECTOR) {
      if ('waits' in s) expect(SERVICE_ARGUMENTS[s.name]).toEqual(SERVICE_ARGUMENTS[s.waits])
    }
    expect(SERVICE_ARGUMENTS.QIOW).toEqual(SERVICE_ARGUMENTS.QIO)
  })
})

describe('$name_S, $name_G and $name for every service', () => {
  for (const { name, arguments: args } of SERVICES) {
    const required = args.filter((arg) => arg.default === undefined)
    const call = required.map((arg) => `${arg.name}=${operand(arg)}`).join(',')

    it(`$${name}_S pushes ${args.length} arguments, last first, then CALLS #${args.length},@#SYS$${name}`, () => {
      const { image } = assembleWithStarlet(`${SYS}\n $${name}_S ${call}\nDATA: .LONG 0`, {
        base: 0x200,
      })
      const lines = disassemble(image, 0x200)
      const callAt = lines.findIndex((line) => line.text.startsWith('CALLS'))
      expect(callAt).toBe(args.length)
      const callBytes = Buffer.from(lines[callAt]?.bytes ?? []).toString('hex')
      expect(callBytes).toBe(bytes(` CALLS #${args.length},@#SYS$${name}`, false))
    })

    it(`$${name}_G list is CALLG list,@#SYS$${name}`, () => {
      expect(bytes(` $${name}_G LIST\nLIST: .LONG 0`)).toBe(
        bytes(` CALLG LIST,@#SYS$${name}\nLIST: .LONG 0`, false),
      )
    })

    it(`$${name} is an argument list of ${args.length} longwords with ${name}$_ offsets`, () => {
      const listCall = required
        .map((arg) => `${arg.name}=${arg.kind === 'value' ? 7 : 'DATA'}`)
        .join(',')
      const { image, symbols } = assembleWithStarlet(
        `${SYS}\nLIST: $${name} ${listCall}\nDATA: .LONG 0`,
        { base: 0x200 },
      )
      const view = new DataView(image.buffer, image.byteOffset)
      expect(image.length).toBe(4 * (args.length + 2))
      expect(view.getUint32(0, true)).toBe(args.length)
      for (const [i, arg] of args.entries()) {
        expect(symbols.get(`${name}$_${arg.name}`)).toBe(4 * (i + 1))
        const expected =
          arg.default !== undefined
            ? arg.default
            : arg.kind === 'value'
              ? 7
              : 0x200 + 4 * (args.length + 1)
        expect([arg.name, view.getUint32(4 * (i + 1), true)]).toEqual([arg.name, expected])
      }
    })

    for (const arg of required) {
      it(`$${name}_S and $${name} without ${arg.name} are an error on the caller's line`, () => {
        const without = required
          .filter((other) => other !== arg)
          .map((other) => `${other.name}=${operand(other)}`)
        for (const macro of [`$${name}_S`, `$${name}`]) {
          const diagnostics = diagnosticsOf(` NOP\n ${macro} ${without.join(',')}\nDATA: .LONG 0`)
          expect(diagnostics).toEqual([
            {
              line: LINES + 2,
              message: expect.stringContaining(`${macro}: required argument missing: ${arg.name}.`),
            },
          ])
        }
      })
    }
  }

  it('$name_G without its list is an error', () => {
    expect(diagnosticsOf(' $EXIT_G')).toEqual([
      {
        line: LINES + 1,
        message: expect.stringContaining('$EXIT_G: required argument missing: LIST.'),
      },
    ])
  })
})

describe('keyword arguments and defaults (System Services Reference Manual, "Macro Format")', () => {
  it('$EXIT_S with no code exits with 1 (SS$_NORMAL); with R0, that value', () => {
    expect(bytes(' $EXIT_S')).toBe(bytes(' PUSHL #1\n CALLS #1,@#SYS$EXIT', false))
    expect(bytes(' $EXIT_S R0')).toBe(bytes(' PUSHL R0\n CALLS #1,@#SYS$EXIT', false))
    expect(bytes(' $EXIT_S CODE=R0')).toBe(bytes(' $EXIT_S R0'))
  })

  it('$CREPRC_S defaults BASPRI to 2', () => {
    const { image } = assembleWithStarlet(`${SYS}\n $CREPRC_S`, { base: 0x200 })
    const texts = disassemble(image, 0x200).map((line) => line.text)
    expect(texts[3]).toBe('PUSHL #2') // BASPRI is the 9th argument: pushed 4th
    expect(texts.filter((t) => t === 'PUSHL #0')).toHaveLength(11)
  })

  it('positional and keyword arguments give the same call; a 0 address is pushed as #0', () => {
    const keyword = bytes(' $ASSIGN_S DEVNAM=NAME,CHAN=CHAN\nNAME: .ASCID /TT/\nCHAN: .WORD 0')
    const positional = bytes(' $ASSIGN_S NAME,CHAN,0,0\nNAME: .ASCID /TT/\nCHAN: .WORD 0')
    expect(keyword).toBe(positional)
    expect(keyword).toBe(
      bytes(
        ' PUSHL #0\n PUSHL #0\n PUSHAW CHAN\n PUSHAQ NAME\n CALLS #4,@#SYS$ASSIGN\nNAME: .ASCID /TT/\nCHAN: .WORD 0',
        false,
      ),
    )
  })

  it('$ENQW_S: EFN=0, LKSB by address (PUSHAQ), the rest 0', () => {
    expect(
      bytes(
        ' $LCKDEF\n $ENQW_S LKMODE=#LCK$K_EXMODE,LKSB=LKSB,RESNAM=NAME\nLKSB: .QUAD 0\nNAME: .ASCID /R/',
      ),
    ).toBe(
      bytes(
        ` PUSHL #0\n PUSHL #0\n PUSHL #0\n PUSHL #0\n PUSHL #0\n PUSHL #0
 PUSHAQ NAME\n PUSHL #0\n PUSHAQ LKSB\n PUSHL #5\n PUSHL #0
 CALLS #11,@#SYS$ENQW\nLKSB: .QUAD 0\nNAME: .ASCID /R/`,
        false,
      ),
    )
  })

  it('$QIOW_S: any choice of the optional arguments pushes exactly them, last first', () => {
    const optional = SERVICE_ARGUMENTS.QIOW.filter((arg) => arg.default !== undefined)
    fc.assert(
      fc.property(fc.subarray(optional.map((arg) => arg.name)), fc.boolean(), (given, reorder) => {
        const values = new Map(
          given.map((name, i) => [
            name,
            name === 'IOSB' || name === 'ASTADR' || name === 'P1' ? 'DATA' : `#${i + 1}`,
          ]),
        )
        const keywords = [...given, 'CHAN', 'FUNC'].map(
          (name) => `${name}=${values.get(name) ?? (name === 'CHAN' ? 'CHAN' : '#^X30')}`,
        )
        if (reorder) keywords.reverse()
        const pushes = [...SERVICE_ARGUMENTS.QIOW].reverse().map((arg) => {
          if (arg.name === 'CHAN') return ' MOVZWL CHAN,-(SP)'
          if (arg.name === 'FUNC') return ' PUSHL #^X30'
          const value = values.get(arg.name)
          if (value === undefined) return ' PUSHL #0'
          return arg.kind === 'value' ? ` PUSHL ${value}` : ` PUSHA${arg.kind} ${value}`
        })
        const tail = '\nCHAN: .WORD 1\nDATA: .QUAD 0'
        expect(bytes(` $QIOW_S ${keywords.join(',')}${tail}`)).toBe(
          bytes(`${pushes.join('\n')}\n CALLS #12,@#SYS$QIOW${tail}`, false),
        )
      }),
      { numRuns: 40 },
    )
  })
})

describe('a program in the VMS idiom', () => {
  const idiom = `        .TITLE  HELLO
        .MCALL  $SSDEF,$IODEF,$ASSIGN_S,$QIOW_S,$EXIT_S
        $SSDEF
        $IODEF
TTNAME: .ASCID  /TT/
TTCHAN: .BLKW   1
MSG:    .ASCII  /HELLO/
MSGLEN = . - MSG
        .ENTRY  START,^M<>
        $ASSIGN_S DEVNAM=TTNAME,CHAN=TTCHAN
        BLBC    R0,10$
        $QIOW_S CHAN=TTCHAN,FUNC=#IO$_WRITEVBLK,P1=MSG,P2=#MSGLEN
        BLBC    R0,10$
        MOVL    #SS$_NORMAL,R0
10$:    $EXIT_S R0
        .END    START`
  const hand = `        .TITLE  HELLO
TTNAME: .ASCID  /TT/
TTCHAN: .BLKW   1
MSG:    .ASCII  /HELLO/
MSGLEN = . - MSG
        .ENTRY  START,^M<>
        PUSHL   #0
        PUSHL   #0
        PUSHAW  TTCHAN
        PUSHAQ  TTNAME
        CALLS   #4,@#SYS$ASSIGN
        BLBC    R0,10$
        PUSHL   #0
        PUSHL   #0
        PUSHL   #0
        PUSHL   #0
        PUSHL   #MSGLEN
        PUSHAB  MSG
        PUSHL   #0
        PUSHL   #0
        PUSHL   #0
        PUSHL   #^X30
        MOVZWL  TTCHAN,-(SP)
        PUSHL   #0
        CALLS   #12,@#SYS$QIOW
        BLBC    R0,10$
        MOVL    #1,R0
10$:    PUSHL   R0
        CALLS   #1,@#SYS$EXIT
        .END    START`

  it('assembles to the same bytes as the hand-written calls', () => {
    expect(bytes(idiom)).toBe(bytes(hand, false))
  })

  it('as an object module: SYS$name are externals the linker resolves to the same bytes', () => {
    const object = assembleObjectWithStarlet(idiom)
    expect([...object.externals].sort()).toEqual(['SYS$ASSIGN', 'SYS$EXIT', 'SYS$QIOW'])
    const vectors = assembleObjectWithStarlet(
      `${SERVICE_VECTOR.map((s, code) => `SYS$${s.name} == ^X${(0x80000000 + 8 * code).toString(16)}`).join('\n')}`,
      { name: 'VECTORS' },
    )
    const linked = link([object, vectors], { base: 0x200 })
    expect(Buffer.from(linked.image).toString('hex')).toBe(bytes(hand, false))
  })
})
