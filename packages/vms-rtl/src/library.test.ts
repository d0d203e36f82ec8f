import { assemble, disassemble, link, type ObjectModule } from '@vax/asm'
import { SERVICE_VECTOR } from '@vms/contracts'
import { starletLibrary } from '@vms/starlet'
import { describe, expect, it } from 'vitest'
import {
  HEAP_PSECT,
  HEAP_SIZE,
  LIB,
  OTS,
  RTL_ROUTINES,
  RTL_STATUS_SYMBOLS,
  rtlMacroLibrary,
  rtlObjects,
  STR,
} from './index'

/** The system's symbol table as a linker sees it: SYS$ASSIGN and SYS$QIOW, absolute. */
const SYSTEM: ObjectModule = {
  name: 'SYS$STB',
  psects: [],
  globals: SERVICE_VECTOR.map((s, i) => ({
    name: `SYS$${s.name}`,
    psect: undefined,
    value: 0x80000000 + 8 * i,
  })),
  externals: [],
  relocations: [],
  entry: undefined,
}

describe('the library as object modules', () => {
  it('defines each routine once, as a global entry point', () => {
    const globals = rtlObjects().flatMap((m) => m.globals.map((g) => g.name))
    expect([...globals].sort()).toEqual([...RTL_ROUTINES].sort())
  })

  it('needs nothing but its own routines and the system services', () => {
    const externals = new Set(rtlObjects().flatMap((m) => m.externals))
    for (const name of externals)
      expect((RTL_ROUTINES as readonly string[]).includes(name) || /^SYS\$[A-Z]+$/.test(name)).toBe(
        true,
      )
  })

  it('links after a program; the heap is page aligned and comes last', () => {
    const linked = link([...rtlObjects(), SYSTEM], { base: 0x200 })
    const heap = linked.psects.find((p) => p.name === HEAP_PSECT)
    expect(heap?.size).toBe(HEAP_SIZE)
    expect((heap?.address ?? 1) % 512).toBe(0)
    expect((heap?.address ?? 0) + HEAP_SIZE).toBe(linked.base + linked.image.length)
  })

  it("LIB$SIGNAL and LIB$STOP change mode with the vector's SIGNAL and STOP codes", () => {
    const linked = link([...rtlObjects(), SYSTEM], { base: 0x200 })
    const code = (name: string) => {
      const at = linked.symbols.get(name) as number
      const bytes = linked.image.subarray(at + 2 - 0x200, at + 8 - 0x200) // after the mask
      return disassemble(bytes, at + 2)[0]?.text
    }
    const operand = (name: string) =>
      `CHMK #^X${SERVICE_VECTOR.findIndex((s) => s.name === name)
        .toString(16)
        .toUpperCase()}`
    expect(code('LIB$SIGNAL')).toBe(operand('SIGNAL'))
    expect(code('LIB$STOP')).toBe(operand('STOP'))
  })
})

describe('status codes (condition value format)', () => {
  const facility = (value: number) => (value >>> 16) & 0xfff
  it('are in their facilities, facility specific (bit 15), with the documented severity', () => {
    for (const v of Object.values(LIB)) expect(facility(v)).toBe(21)
    for (const v of Object.values(STR)) expect(facility(v)).toBe(36)
    for (const v of Object.values(OTS)) expect(facility(v)).toBe(23)
    for (const v of RTL_STATUS_SYMBOLS.values()) expect(v & 0x8000).toBe(0x8000)
    expect(STR.TRU & 7).toBe(0) // a warning
    for (const v of [LIB.INSVIRMEM, LIB.BADBLOADR, OTS.INPCONERR, OTS.OUTCONERR])
      expect(v & 7).toBe(4) // severe
  })

  it("LIBDEF's values", () => {
    expect(LIB).toMatchObject({ INSVIRMEM: 0x158214, BADBLOADR: 0x158264, BADBLOSIZ: 0x15826c })
  })
})

describe('the definition macros', () => {
  it('$LIBDEF, $STRDEF, $OTSDEF, $DSCDEF and $CHFDEF define the symbols', () => {
    const { image } = assemble(
      ` $LIBDEF
        $STRDEF
        $OTSDEF
        $DSCDEF
        $CHFDEF
        .LONG   LIB$_BADBLOADR,STR$_TRU,OTS$_INPCONERR
        .BYTE   DSC$K_CLASS_D,DSC$K_DTYPE_T,CHF$L_MCH_SAVR0`,
      { libraries: [starletLibrary(), rtlMacroLibrary()] },
    )
    const view = new DataView(image.buffer, image.byteOffset)
    expect([0, 4, 8].map((o) => view.getUint32(o, true))).toEqual([
      LIB.BADBLOADR,
      STR.TRU,
      OTS.INPCONERR,
    ])
    expect([...image.subarray(12)]).toEqual([2, 14, 12])
  })
})
