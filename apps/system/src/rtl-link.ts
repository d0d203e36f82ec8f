import {
  AssemblyError,
  assembleObject,
  type Diagnostic,
  link as linkObjects,
  LinkError as ObjectLinkError,
  type ObjectModule,
} from '@vax/asm'
import { HEAP_PSECT, RTL_ROUTINES, rtlMacroLibrary, rtlObjects } from '@vms/rtl'
import { starletLibrary } from '@vms/starlet'
import { SERVICES, vectorAddress } from './services'

/** A program assembled and linked, its bytes from `base`, before the image activator's startup call. */
export interface LinkedProgram {
  readonly base: number
  readonly bytes: Uint8Array
  readonly entry: number | undefined
  /** The run-time library's heap when it ends the image: its pages can be demand zero. */
  readonly heap?: { readonly address: number; readonly size: number }
}

/**
 * The system's symbol table (VMS links user images against SYS$SYSTEM:SYS.STB): every
 * `SYS$name` as an absolute global, the address of its vector. The run-time library's
 * references to SYS$ASSIGN and SYS$QIOW resolve here.
 */
function systemSymbolTable(): ObjectModule {
  return {
    name: 'SYS$STB',
    psects: [],
    globals: SERVICES.map((s, code) => ({
      name: `SYS$${s.name}`,
      psect: undefined,
      value: vectorAddress(code),
    })),
    externals: [],
    relocations: [],
    entry: undefined,
  }
}

/**
 * True when an assembly failed for want of a run-time library routine: a diagnostic
 * says one of RTL_ROUTINES is undefined (others, such as branches the unknown size of
 * the call put out of range, may come with it; the object assembly reports what is left).
 */
export function needsRtl(error: AssemblyError): boolean {
  const routines: readonly string[] = RTL_ROUTINES
  return error.diagnostics.some((d) => {
    const match = /undefined symbol (\S+)$/.exec(d.message)
    return match !== null && routines.includes((match[1] as string).toUpperCase())
  })
}

/**
 * Assembles a program as an object module (`prelude`, the SYS$ symbols, before it) and
 * links it at `base` with the run-time library's modules (@vms/rtl) and the system's
 * symbol table, as LINK does with SYS$LIBRARY:STARLET.OLB: the program first, then the
 * library. Errors are AssemblyErrors on the lines of the user's source: the assembler's
 * own, and each symbol neither the program, the library nor the system defines
 * ("undefined symbol", on the line of its first reference).
 */
export function linkWithRtl(source: string, prelude: string, base: number): LinkedProgram {
  const preludeLines = prelude.split('\n').length - 1
  const userLine = (line: number) => Math.max(1, line - preludeLines)
  const libraries = [starletLibrary(), rtlMacroLibrary()]
  let program: ObjectModule
  try {
    program = assembleObject(`${prelude}${source}`, { libraries, name: 'PROGRAM' })
  } catch (error) {
    if (!(error instanceof AssemblyError)) throw error
    throw new AssemblyError(error.diagnostics.map((d) => ({ ...d, line: userLine(d.line) })))
  }
  const modules = [program, ...rtlObjects(), systemSymbolTable()]
  const defined = new Set(modules.flatMap((m) => m.globals.map((g) => g.name)))
  const undefinedSymbols: Diagnostic[] = []
  for (const name of program.externals) {
    if (defined.has(name)) continue
    const reference = program.relocations.find(
      (r) => 'symbol' in r.target && r.target.symbol === name,
    )
    undefinedSymbols.push({
      line: userLine(reference?.line ?? 1),
      column: 1,
      message: `undefined symbol ${name}`,
    })
  }
  if (undefinedSymbols.length > 0) throw new AssemblyError(undefinedSymbols)
  let linked: ReturnType<typeof linkObjects>
  try {
    linked = linkObjects(modules, { base })
  } catch (error) {
    if (!(error instanceof ObjectLinkError)) throw error
    // A routine the program defines as well as the library, a value out of range...
    throw new AssemblyError(
      error.diagnostics.map((d) => ({ line: 1, column: 1, message: d.message })),
    )
  }
  const heap = linked.psects.find((p) => p.name === HEAP_PSECT)
  const end = linked.base + linked.image.length
  return {
    base: linked.base,
    bytes: linked.image,
    entry: linked.entry,
    ...(heap !== undefined &&
      heap.address + heap.size === end &&
      heap.address % 512 === 0 && { heap: { address: heap.address, size: heap.size } }),
  }
}
