import { IPR } from '@vax/cpu'
import { SS } from '@vms/contracts'
import { DVI, IoFunction, IoModifier } from '@vms/io'
import { LNM } from '@vms/lnm'
import { LCK } from '@vms/lock'

/**
 * One `$xxxDEF` module of STARLET: the macro's name (`SSDEF`) and the symbols it defines,
 * full VMS names with their values (`SS$_NORMAL` = 1).
 */
export interface DefinitionModule {
  readonly name: string
  /** What the module defines, for the library's comment. */
  readonly title: string
  readonly symbols: ReadonlyMap<string, number>
}

function module(
  name: string,
  title: string,
  prefix: string,
  values: Readonly<Record<string, number>>,
): DefinitionModule {
  return {
    name,
    title,
    symbols: new Map(Object.entries(values).map(([key, value]) => [`${prefix}${key}`, value])),
  }
}

/** The entries of `values` with `prefix` before each name (`_` + WRITEVBLK). */
function prefixed(
  prefix: string,
  values: Readonly<Record<string, number>>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [`${prefix}${key}`, value]),
  )
}

/** Bit `v` of a field: both the `$V_` position and the `$M_` mask (VMS's convention). */
function bits(
  prefix: string,
  fields: Readonly<Record<string, readonly [position: number, size: number]>>,
): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [field, [position, size]] of Object.entries(fields)) {
    out[`${prefix}V_${field}`] = position
    if (size > 1) out[`${prefix}S_${field}`] = size
    out[`${prefix}M_${field}`] = ((2 ** size - 1) * 2 ** position) >>> 0
  }
  return out
}

/**
 * $SSDEF: every SS$_ status of `@vms/contracts`' `SS`, generated from it, so the
 * library has no table of its own that could drift (System Services Reference Manual,
 * "Condition Values Returned"; book 4.2).
 */
export const SSDEF: DefinitionModule = module('SSDEF', 'system service status codes', 'SS$_', SS)

/**
 * $PSLDEF: the processor status longword's fields (VAX Architecture Reference Manual,
 * "Processor Status Longword") and the access modes PSL$C_KERNEL..PSL$C_USER.
 */
export const PSLDEF: DefinitionModule = {
  name: 'PSLDEF',
  title: 'processor status longword fields and access modes',
  symbols: new Map(
    Object.entries({
      ...bits('', {
        C: [0, 1],
        V: [1, 1],
        Z: [2, 1],
        N: [3, 1],
        TBIT: [4, 1],
        IV: [5, 1],
        FU: [6, 1],
        DV: [7, 1],
        IPL: [16, 5],
        PRVMOD: [22, 2],
        CURMOD: [24, 2],
        IS: [26, 1],
        FPD: [27, 1],
        TP: [30, 1],
        CM: [31, 1],
      }),
      C_KERNEL: 0,
      C_EXEC: 1,
      C_SUPER: 2,
      C_USER: 3,
    }).map(([key, value]) => [`PSL$${key}`, value]),
  ),
}

/**
 * $PRDEF: processor register numbers for MTPR and MFPR (VAX Architecture Reference
 * Manual, "Processor Registers"), from `@vax/cpu`'s IPR table, the CPU's own.
 */
export const PRDEF: DefinitionModule = module('PRDEF', 'processor register numbers', 'PR$_', IPR)

/**
 * $LCKDEF: lock modes and $ENQ/$DEQ flags (System Services Reference Manual, $ENQ and
 * $DEQ; book 13), from `@vms/lock`'s LCK, the values the lock manager checks.
 */
export const LCKDEF: DefinitionModule = module(
  'LCKDEF',
  'lock modes and $ENQ/$DEQ flags',
  'LCK$',
  LCK,
)

/**
 * $LNMDEF: logical name attributes and item codes ($CRELNM, $TRNLNM; book 28.8), from
 * `@vms/lnm`'s LNM, the values the logical name services check.
 */
export const LNMDEF: DefinitionModule = module(
  'LNMDEF',
  'logical name attributes and item codes',
  'LNM$',
  LNM,
)

/**
 * $IODEF: I/O function codes (the low 6 bits of FUNC) and function modifiers (book
 * 18.5; I/O User's Reference Manual). The codes and modifiers the I/O system implements
 * come from `@vms/io` (`IoFunction`, `IoModifier`); the others, which no driver here
 * takes yet, are listed beside them.
 */
export const IODEF: DefinitionModule = module('IODEF', 'I/O function codes and modifiers', 'IO$', {
  ...prefixed('_', IoFunction),
  ...prefixed('M_', IoModifier),
  _NOP: 0x00,
  _UNLOAD: 0x01,
  _SEEK: 0x02,
  _RECAL: 0x03,
  _DRVCLR: 0x04,
  _RELEASE: 0x05,
  _PACKACK: 0x08,
  _WRITECHECK: 0x0a,
  _AVAILABLE: 0x11,
  _SETCHAR: 0x1a,
  _SENSECHAR: 0x1b,
  _REWINDOFF: 0x22,
  _REWIND: 0x24,
  _SKIPFILE: 0x25,
  _SKIPRECORD: 0x26,
  _LOGICAL: 0x2f,
  _ACCESS: 0x32,
  _CREATE: 0x33,
  _DEACCESS: 0x34,
  _DELETE: 0x35,
  _MODIFY: 0x36,
  _MOUNT: 0x39,
  _TTYREADALL: 0x3a,
  _TTYREADPALL: 0x3b,
  _VIRTUAL: 0x3f,
  V_FCODE: 0,
  S_FCODE: 6,
  M_FCODE: 0x3f,
  V_FMODIFIERS: 6,
  S_FMODIFIERS: 10,
  M_FMODIFIERS: 0xffc0,
  M_NOECHO: 0x0040,
  M_TIMED: 0x0080,
  M_CVTLOW: 0x0100,
  M_NOFILTR: 0x0200,
  M_PURGE: 0x0800,
  M_CANCTRLO: 0x0040,
  M_ENABLMBX: 0x0080,
  M_NOFORMAT: 0x0100,
  M_DATACHECK: 0x4000,
  M_INHRETRY: 0x8000,
})

/**
 * $DVIDEF: $GETDVI item codes (System Services Reference Manual, $GETDVI): those the I/O
 * system answers from `@vms/io`'s DVI, and the others beside them.
 */
export const DVIDEF: DefinitionModule = module('DVIDEF', '$GETDVI item codes', 'DVI$_', {
  ...DVI,
  OWNUIC: 16,
  VPROT: 18,
  RECSIZ: 24,
  DEVDEPEND2: 28,
})

/**
 * $JPIDEF: $GETJPI item codes (System Services Reference Manual, $GETJPI): the PCB
 * items from ^X300, the process header's from ^X400, the control region's from ^X200.
 */
export const JPIDEF: DefinitionModule = module('JPIDEF', '$GETJPI item codes', 'JPI$_', {
  USERNAME: 0x202,
  PROCPRIV: 0x204,
  CLINAME: 0x20a,
  TABLENAME: 0x20b,
  ASTACT: 0x300,
  ASTEN: 0x301,
  PRI: 0x302,
  OWNER: 0x303,
  UIC: 0x304,
  STS: 0x305,
  STATE: 0x306,
  MEM: 0x307,
  GRP: 0x308,
  PRIB: 0x309,
  APTCNT: 0x30a,
  TMBU: 0x30b,
  GPGCNT: 0x30c,
  PPGCNT: 0x30d,
  ASTCNT: 0x30e,
  BIOCNT: 0x30f,
  BIOLM: 0x310,
  BYTCNT: 0x311,
  DIOCNT: 0x312,
  DIOLM: 0x313,
  FILCNT: 0x314,
  TQCNT: 0x315,
  EFWM: 0x316,
  EFCS: 0x317,
  EFCU: 0x318,
  PID: 0x319,
  BYTLM: 0x31a,
  PRCCNT: 0x31b,
  PRCNAM: 0x31c,
  TERMINAL: 0x31d,
  JOBPRCCNT: 0x31e,
  ENQCNT: 0x31f,
  ENQLM: 0x320,
  JOBTYPE: 0x323,
  WSQUOTA: 0x402,
  PRCLM: 0x408,
  ASTLM: 0x409,
  PGFLQUOTA: 0x40e,
  FILLM: 0x40f,
  TQLM: 0x410,
  WSEXTENT: 0x416,
})

/** $SYIDEF: $GETSYI item codes (System Services Reference Manual, $GETSYI). */
export const SYIDEF: DefinitionModule = module('SYIDEF', '$GETSYI item codes', 'SYI$_', {
  VERSION: 0x1000,
  SID: 0x1001,
  NODENAME: 0x10d9,
  HW_MODEL: 0x1109,
  HW_NAME: 0x110a,
})

/** Every definition module of the library, in the order it lists them. */
export const DEFINITION_MODULES: readonly DefinitionModule[] = [
  SSDEF,
  PSLDEF,
  PRDEF,
  LCKDEF,
  LNMDEF,
  IODEF,
  DVIDEF,
  JPIDEF,
  SYIDEF,
]
