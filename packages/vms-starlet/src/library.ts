import { DEFINITION_MODULES, type DefinitionModule } from './definitions'
import { type ArgumentKind, SERVICES, type ServiceArgument } from './services'

/** `^X1F` for a value (the library writes every value in hexadecimal). */
function hex(value: number): string {
  return `^X${(value >>> 0).toString(16).toUpperCase()}`
}

/**
 * `$xxxDEF [$GBL]`: defines the module's symbols with `=`, or with `==` (global) when
 * the argument is GLOBAL, as VMS's definition macros do ($GBL blank or LOCAL: local).
 */
export function definitionMacro(module: DefinitionModule): string {
  const lines = (op: string) =>
    [...module.symbols].map(([name, value]) => `${name} ${op} ${hex(value)}`)
  return [
    `; $${module.name}: ${module.title}`,
    `        .MACRO  $${module.name} $GBL`,
    `        .IF NB <$GBL>`,
    `        .IF DIF <$GBL>,<GLOBAL>`,
    `        .IF DIF <$GBL>,<LOCAL>`,
    `        .ERROR  ; $${module.name}: the argument is GLOBAL or LOCAL`,
    `        .MEXIT`,
    `        .ENDC`,
    `        .ENDC`,
    `        .ENDC`,
    `        .IF IDN <$GBL>,<GLOBAL>`,
    ...lines('=='),
    `        .IF_FALSE`,
    ...lines('='),
    `        .ENDC`,
    `        .ENDM   $${module.name}`,
  ].join('\n')
}

const PUSH_ADDRESS: Readonly<Record<Exclude<ArgumentKind, 'value' | 'word'>, string>> = {
  B: 'PUSHAB',
  W: 'PUSHAW',
  L: 'PUSHAL',
  Q: 'PUSHAQ',
}

/** The formal list: `EFN=0,CHAN,FUNC,...`, defaults as operands (`#1`) or values (`1`). */
function formals(args: readonly ServiceArgument[], operands: boolean): string {
  return args
    .map((arg) => {
      if (arg.default === undefined) return arg.name
      const text = operands && arg.default !== 0 ? `#${arg.default}` : `${arg.default}`
      return `${arg.name}=${text}`
    })
    .join(',')
}

/** `.ERROR` lines for the required arguments left blank: an error on the caller's line. */
function requiredChecks(macro: string, args: readonly ServiceArgument[]): string[] {
  return args
    .filter((arg) => arg.default === undefined)
    .flatMap((arg) => blankError(macro, arg.name))
}

/**
 * An error and the end of the expansion when `formal` is blank. The name in the message
 * ends with a period, which makes it part of a longer symbol, so it is not substituted.
 */
function blankError(macro: string, formal: string): string[] {
  return [
    `        .IF B <${formal}>`,
    `        .ERROR  ; ${macro}: required argument missing: ${formal}.`,
    `        .MEXIT`,
    `        .ENDC`,
  ]
}

/** How `$name_S` pushes one argument: 0 is `PUSHL #0` (an omitted address or value). */
function push(arg: ServiceArgument): string[] {
  const given =
    arg.kind === 'value'
      ? `PUSHL   ${arg.name}`
      : arg.kind === 'word'
        ? `MOVZWL  ${arg.name},-(SP)`
        : `${PUSH_ADDRESS[arg.kind]}  ${arg.name}`
  return [
    `        .IF IDN <${arg.name}>,<0>`,
    `        PUSHL   #0`,
    `        .IF_FALSE`,
    `        ${given}`,
    `        .ENDC`,
  ]
}

/**
 * `$name_S`: pushes the arguments, last first, then `CALLS #n,@#SYS$name`.
 * `$name_G list`: `CALLG list,@#SYS$name`.
 * `$name`: the argument list (`.LONG n`, then each argument: `.LONG` for a value,
 * `.ADDRESS` for an address) and the symbols `name$_ARG` for each argument's offset.
 */
export function serviceMacros(name: string, args: readonly ServiceArgument[]): string {
  const call = `@#SYS$${name}`
  const s = `$${name}_S`
  const g = `$${name}_G`
  const list = `$${name}`
  const header = (macro: string, operands: boolean) =>
    args.length === 0
      ? `        .MACRO  ${macro}`
      : `        .MACRO  ${macro} ${formals(args, operands)}`
  return [
    `; SYS$${name}`,
    header(s, true),
    ...requiredChecks(s, args),
    ...[...args].reverse().flatMap(push),
    `        CALLS   #${args.length},${call}`,
    `        .ENDM   ${s}`,
    `        .MACRO  ${g} LIST`,
    ...blankError(g, 'LIST'),
    `        CALLG   LIST,${call}`,
    `        .ENDM   ${g}`,
    header(list, false),
    ...requiredChecks(list, args),
    ...args.map((arg, i) => `${name}$_${arg.name} = ${4 * (i + 1)}`),
    `        .LONG   ${args.length}`,
    ...args.map((arg) =>
      arg.kind === 'value' || arg.kind === 'word'
        ? `        .LONG   ${arg.name}`
        : `        .ADDRESS ${arg.name}`,
    ),
    `        .ENDM   ${list}`,
  ].join('\n')
}

let cached: string | undefined

/**
 * The text of the STARLET macro library: the `$xxxDEF` definition macros, then the
 * `$name_S`, `$name_G` and `$name` macros of every system service, all generated from
 * data (the status codes from `@vms/contracts`). Pass it in `libraries` to `assemble`.
 */
export function starletLibrary(): string {
  cached ??= [
    '; STARLET: VMS system definitions and system service macros (@vms/starlet)',
    ...DEFINITION_MODULES.map(definitionMacro),
    ...SERVICES.map((s) => serviceMacros(s.name, s.arguments)),
    '',
  ].join('\n')
  return cached
}
