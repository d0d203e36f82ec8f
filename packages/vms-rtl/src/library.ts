import { assembleObject, type ObjectModule } from '@vax/asm'
import { type DefinitionModule, definitionMacro, starletLibrary } from '@vms/starlet'
import { LIB_IO_SOURCE } from './lib-io'
import { libSignalSource } from './lib-signal'
import { LIB_VM_SOURCE } from './lib-vm'
import { OTS_CVT_SOURCE } from './ots-cvt'
import { LIB, OTS, RMS, STR } from './status'
import { STR_COPY_SOURCE } from './str-copy'

const fromRecord = (
  name: string,
  title: string,
  prefix: string,
  values: Readonly<Record<string, number>>,
): DefinitionModule => ({
  name,
  title,
  symbols: new Map(Object.entries(values).map(([k, v]) => [`${prefix}${k}`, v])),
})

/**
 * The definition macros a program calling the run-time library uses, as VMS's
 * SYS$LIBRARY:STARLET.MLB has them: `$LIBDEF`, `$STRDEF` and `$OTSDEF` (the status
 * codes of status.ts), `$DSCDEF` (descriptor fields, VAX Procedure Calling Standard:
 * DSC$W_LENGTH 0, DSC$B_DTYPE 2, DSC$B_CLASS 3, DSC$A_POINTER 4; DTYPE_T 14; CLASS_Z 0,
 * CLASS_S 1, CLASS_D 2, CLASS_A 4, CLASS_SD 9, CLASS_NCA 10, CLASS_VS 11), `$CHFDEF` (the condition handler's argument list, signal
 * and mechanism arrays, VAX/VMS Internals 4.5, Figures 4-4 and 4-5) and `$RMSDEF` with
 * the one RMS status the library returns, RMS$_EOF.
 */
export const RTL_DEFINITIONS: readonly DefinitionModule[] = [
  fromRecord('LIBDEF', 'LIB$ status codes', 'LIB$_', LIB),
  fromRecord('STRDEF', 'STR$ status codes', 'STR$_', STR),
  fromRecord('OTSDEF', 'OTS$ status codes', 'OTS$_', OTS),
  fromRecord('RMSDEF', 'RMS status codes (RMS$_EOF)', 'RMS$_', RMS),
  fromRecord('DSCDEF', 'string descriptors', 'DSC$', {
    W_LENGTH: 0,
    B_DTYPE: 2,
    B_CLASS: 3,
    A_POINTER: 4,
    K_DTYPE_T: 14,
    K_CLASS_Z: 0,
    K_CLASS_S: 1,
    K_CLASS_D: 2,
    K_CLASS_A: 4,
    K_CLASS_SD: 9,
    K_CLASS_NCA: 10,
    K_CLASS_VS: 11,
    K_Z_BLN: 8,
    K_S_BLN: 8,
    K_D_BLN: 8,
  }),
  fromRecord('CHFDEF', 'condition handler arguments', 'CHF$', {
    L_SIGARGLST: 4,
    L_MCHARGLST: 8,
    L_SIG_ARGS: 0,
    L_SIG_NAME: 4,
    L_SIG_ARG1: 8,
    L_MCH_ARGS: 0,
    L_MCH_FRAME: 4,
    L_MCH_DEPTH: 8,
    L_MCH_SAVR0: 12,
    L_MCH_SAVR1: 16,
  }),
]

let macroLibrary: string | undefined

/** The macro library text of RTL_DEFINITIONS, for `assemble`'s `libraries`. */
export function rtlMacroLibrary(): string {
  macroLibrary ??= RTL_DEFINITIONS.map(definitionMacro).join('\n')
  return macroLibrary
}

/** The routines the library defines, each a global `.ENTRY` point. */
export const RTL_ROUTINES = [
  'LIB$PUT_OUTPUT',
  'LIB$GET_INPUT',
  'LIB$SIGNAL',
  'LIB$STOP',
  'LIB$GET_VM',
  'LIB$FREE_VM',
  'STR$COPY_DX',
  'OTS$CVT_L_TI',
  'OTS$CVT_TI_L',
] as const

export type RtlRoutine = (typeof RTL_ROUTINES)[number]

/**
 * The MACRO-32 source of each module of the library, by module name. The modules
 * reference the system services (`SYS$ASSIGN`, `SYS$QIOW`) as external symbols, which
 * the image's linker resolves from the system's symbol table, as VMS links against
 * SYS$SYSTEM:SYS.STB.
 */
export function rtlSources(): ReadonlyMap<string, string> {
  return new Map([
    ['LIB$IO', LIB_IO_SOURCE],
    ['LIB$SIGNAL', libSignalSource()],
    ['LIB$VM', LIB_VM_SOURCE],
    ['STR$COPY', STR_COPY_SOURCE],
    ['OTS$CVT', OTS_CVT_SOURCE],
  ])
}

let objects: readonly ObjectModule[] | undefined

/**
 * The library as object modules for `@vax/asm`'s `link`, assembled once (with STARLET
 * and the definitions above). Link them after the program's own module; a module that
 * defines one of RTL_ROUTINES itself must not be linked with them (multiply defined).
 */
export function rtlObjects(): readonly ObjectModule[] {
  objects ??= [...rtlSources()].map(([name, source]) =>
    assembleObject(source, { name, libraries: [starletLibrary(), rtlMacroLibrary()] }),
  )
  return objects
}
