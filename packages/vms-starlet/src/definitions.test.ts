import { AssemblyError } from '@vax/asm'
import { SS } from '@vms/contracts'
import { LNM } from '@vms/lnm'
import { describe, expect, it } from 'vitest'
import { assembleWithStarlet } from './assemble'
import {
  DEFINITION_MODULES,
  type DefinitionModule,
  IODEF,
  LCKDEF,
  LNMDEF,
  PRDEF,
  PSLDEF,
  SSDEF,
} from './definitions'
import { definitionMacro } from './library'

/** The symbols a program gets from `$xxxDEF`, assembled with `libraries`. */
function defined(call: string, libraries: readonly string[] = []): ReadonlyMap<string, number> {
  return assembleWithStarlet(` ${call}`, { libraries }).symbols
}

/** Every SS$_ name of `SS` with the value the assembled program sees; the names that differ. */
function driftFromContracts(symbols: ReadonlyMap<string, number>): string[] {
  return Object.entries(SS)
    .filter(([name, value]) => symbols.get(`SS$_${name}`) !== value)
    .map(([name]) => `SS$_${name}`)
}

describe('$SSDEF (System Services Reference Manual, condition values; @vms/contracts SS)', () => {
  it('defines every SS$_ value of @vms/contracts, and nothing else', () => {
    const symbols = defined('$SSDEF')
    expect(driftFromContracts(symbols)).toEqual([])
    const names = [...symbols.keys()].filter((name) => name.startsWith('SS$_'))
    expect(names.sort()).toEqual(
      Object.keys(SS)
        .map((name) => `SS$_${name}`)
        .sort(),
    )
  })

  it('is generated from SS: a deliberately changed value is caught by the same check', () => {
    const changed = new Map(SSDEF.symbols)
    changed.set('SS$_INSFMEM', 0x125)
    const forged: DefinitionModule = { ...SSDEF, symbols: changed }
    // A user library listed after STARLET replaces its $SSDEF.
    const symbols = defined('$SSDEF', [definitionMacro(forged)])
    expect(driftFromContracts(symbols)).toEqual(['SS$_INSFMEM'])
  })

  it('SS$_NORMAL is 1 and SS$_INSFMEM is ^X124 (the manual values)', () => {
    const symbols = defined('$SSDEF')
    expect(symbols.get('SS$_NORMAL')).toBe(1)
    expect(symbols.get('SS$_INSFMEM')).toBe(0x124)
  })
})

describe('$xxxDEF [GLOBAL|LOCAL] (VMS definition macros)', () => {
  for (const module of DEFINITION_MODULES) {
    it(`$${module.name} defines each of its ${module.symbols.size} symbols with its value`, () => {
      const symbols = defined(`$${module.name}`)
      for (const [name, value] of module.symbols)
        expect([name, symbols.get(name)]).toEqual([name, value])
    })

    it(`$${module.name} GLOBAL defines them with == (global); LOCAL and blank with =`, () => {
      const global = assembleWithStarlet(` $${module.name} GLOBAL`)
      expect([...global.globals].sort()).toEqual([...module.symbols.keys()].sort())
      expect(assembleWithStarlet(` $${module.name} LOCAL`).globals.size).toBe(0)
      expect(assembleWithStarlet(` $${module.name}`).globals.size).toBe(0)
    })
  }

  it('a second call redefines the same values (a program may call $SSDEF twice)', () => {
    expect(defined('$SSDEF\n $SSDEF GLOBAL').get('SS$_NORMAL')).toBe(1)
  })

  it('an argument other than GLOBAL or LOCAL is an error on the caller line', () => {
    try {
      assembleWithStarlet(' NOP\n $IODEF SHARED')
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(AssemblyError)
      const [diagnostic] = (error as AssemblyError).diagnostics
      expect(diagnostic?.line).toBe(2)
      expect(diagnostic?.message).toContain('$IODEF: the argument is GLOBAL or LOCAL')
    }
  })

  it('.MCALL takes the definition macros from STARLET', () => {
    expect(defined('.MCALL $LCKDEF,$PSLDEF\n $LCKDEF\n $PSLDEF').get('LCK$K_EXMODE')).toBe(5)
  })
})

describe('values (VAX architecture and VMS manuals)', () => {
  it('$PSLDEF: PSL fields at their architectural bits', () => {
    const psl = PSLDEF.symbols
    expect(psl.get('PSL$M_C')).toBe(1)
    expect(psl.get('PSL$M_TBIT')).toBe(0x10)
    expect(psl.get('PSL$M_DV')).toBe(0x80)
    expect([psl.get('PSL$V_IPL'), psl.get('PSL$S_IPL'), psl.get('PSL$M_IPL')]).toEqual([
      16, 5, 0x1f0000,
    ])
    expect([psl.get('PSL$V_PRVMOD'), psl.get('PSL$M_PRVMOD')]).toEqual([22, 0xc00000])
    expect([psl.get('PSL$V_CURMOD'), psl.get('PSL$M_CURMOD')]).toEqual([24, 0x3000000])
    expect(psl.get('PSL$M_IS')).toBe(0x4000000)
    expect(psl.get('PSL$M_FPD')).toBe(0x8000000)
    expect(psl.get('PSL$M_TP')).toBe(0x40000000)
    expect(psl.get('PSL$M_CM')).toBe(0x80000000)
    expect(psl.get('PSL$C_USER')).toBe(3)
  })

  it('$PSLDEF: PSL$M_CM assembles as the unsigned longword ^X80000000', () => {
    const { image } = assembleWithStarlet(' $PSLDEF\n .LONG PSL$M_CM!PSL$M_IV')
    expect(Buffer.from(image).toString('hex')).toBe('20000080')
  })

  it('$PRDEF: the MTPR/MFPR register numbers', () => {
    const pr = PRDEF.symbols
    expect([pr.get('PR$_KSP'), pr.get('PR$_ISP'), pr.get('PR$_P0BR'), pr.get('PR$_SCBB')]).toEqual([
      0, 4, 8, 17,
    ])
    expect([
      pr.get('PR$_IPL'),
      pr.get('PR$_SIRR'),
      pr.get('PR$_TXDB'),
      pr.get('PR$_MAPEN'),
    ]).toEqual([18, 20, 35, 56])
    expect(pr.get('PR$_SID')).toBe(62)
  })

  it('$IODEF: function codes fit IO$M_FCODE; modifiers lie above it', () => {
    const io = IODEF.symbols
    expect(io.get('IO$_READVBLK')).toBe(0x31)
    expect(io.get('IO$_WRITEVBLK')).toBe(0x30)
    expect(io.get('IO$_SETMODE')).toBe(0x23)
    for (const [name, value] of io) {
      if (name.startsWith('IO$_')) expect(value & ~0x3f).toBe(0)
      if (name.startsWith('IO$M_') && name !== 'IO$M_FCODE') expect(value & 0x3f).toBe(0)
    }
  })

  it('$LNMDEF: the item codes and attribute bits the logical name services check (book 28.8)', () => {
    const lnm = LNMDEF.symbols
    expect(lnm.get('LNM$_STRING')).toBe(LNM._STRING)
    expect(lnm.get('LNM$M_CONCEALED')).toBe(LNM.M_CONCEALED)
    expect(lnm.get('LNM$C_MAXDEPTH')).toBe(10)
    for (const [name, value] of lnm) {
      if (name.startsWith('LNM$M_')) expect(value & (value - 1)).toBe(0)
    }
  })

  it('$LCKDEF: modes NL..EX are 0..5 and the $ENQ flags are single bits', () => {
    const lck = LCKDEF.symbols
    const modes = ['NL', 'CR', 'CW', 'PR', 'PW', 'EX'].map((m) => lck.get(`LCK$K_${m}MODE`))
    expect(modes).toEqual([0, 1, 2, 3, 4, 5])
    for (const [name, value] of lck) {
      if (name.startsWith('LCK$M_')) expect(value & (value - 1)).toBe(0)
    }
  })
})
