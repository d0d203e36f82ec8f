import { SERVICE_VECTOR, type ServiceName } from '@vms/contracts'

/**
 * How a `$name_S` macro pushes an argument, and how `$name` lists it:
 * `value` (a longword by value: PUSHL, `.LONG`), `word` (a word by value, zero
 * extended: MOVZWL, `.LONG`), or an address of a byte, word, longword or quadword
 * (PUSHAB, PUSHAW, PUSHAL, PUSHAQ; `.ADDRESS`).
 */
export type ArgumentKind = 'value' | 'word' | 'B' | 'W' | 'L' | 'Q'

/** One argument of a service: VMS's keyword name, how it is passed, its default if optional. */
export interface ServiceArgument {
  readonly name: string
  readonly kind: ArgumentKind
  /** The default value (0; 1 for $EXIT's CODE, 2 for $CREPRC's BASPRI); undefined when required. */
  readonly default?: number
}

function a(name: string, kind: ArgumentKind, def?: number): ServiceArgument {
  return def === undefined ? { name, kind } : { name, kind, default: def }
}

const QIO = [
  a('EFN', 'value', 0),
  a('CHAN', 'word'),
  a('FUNC', 'value'),
  a('IOSB', 'Q', 0),
  a('ASTADR', 'B', 0),
  a('ASTPRM', 'value', 0),
  a('P1', 'B', 0),
  a('P2', 'value', 0),
  a('P3', 'value', 0),
  a('P4', 'value', 0),
  a('P5', 'value', 0),
  a('P6', 'value', 0),
]
const ENQ = [
  a('EFN', 'value', 0),
  a('LKMODE', 'value'),
  a('LKSB', 'Q'),
  a('FLAGS', 'value', 0),
  a('RESNAM', 'Q', 0),
  a('PARID', 'value', 0),
  a('ASTADR', 'B', 0),
  a('ASTPRM', 'value', 0),
  a('BLKAST', 'B', 0),
  a('ACMODE', 'value', 0),
  a('NULLARG', 'value', 0),
]
const GETLKI = [
  a('EFN', 'value', 0),
  a('LKIDADR', 'L'),
  a('ITMLST', 'L'),
  a('IOSB', 'Q', 0),
  a('ASTADR', 'B', 0),
  a('ASTPRM', 'value', 0),
  a('NULLARG', 'value', 0),
]
const GETDVI = [
  a('EFN', 'value', 0),
  a('CHAN', 'word', 0),
  a('DEVNAM', 'Q', 0),
  a('ITMLST', 'L'),
  a('IOSB', 'Q', 0),
  a('ASTADR', 'B', 0),
  a('ASTPRM', 'value', 0),
  a('NULLARG', 'value', 0),
]

const GETJPI = [
  a('EFN', 'value', 0),
  a('PIDADR', 'L', 0),
  a('PRCNAM', 'Q', 0),
  a('ITMLST', 'L'),
  a('IOSB', 'Q', 0),
  a('ASTADR', 'B', 0),
  a('ASTPRM', 'value', 0),
]
const GETSYI = [
  a('EFN', 'value', 0),
  a('CSIDADR', 'L', 0),
  a('NODENAME', 'Q', 0),
  a('ITMLST', 'L'),
  a('IOSB', 'Q', 0),
  a('ASTADR', 'B', 0),
  a('ASTPRM', 'value', 0),
]
/** $CRELNM and $TRNLNM: [attr],tabnam,lognam,[acmode],[itmlst]. */
const LNM = [
  a('ATTR', 'L', 0),
  a('TABNAM', 'Q'),
  a('LOGNAM', 'Q'),
  a('ACMODE', 'B', 0),
  a('ITMLST', 'L', 0),
]

/**
 * The arguments of every service in `SERVICE_VECTOR`, in argument-list order, with the
 * keyword names and defaults of the VAX/VMS System Services Reference Manual (each
 * service's "Format" and "Arguments" sections: `$QIO [efn],chan,func,[iosb],...`). The
 * internal entries (ASTEXIT, CONDRET, CMODTRAP, SIGNAL, STOP) take no arguments.
 */
export const SERVICE_ARGUMENTS: Readonly<Record<ServiceName, readonly ServiceArgument[]>> = {
  /** $EXIT: "If you do not specify this argument in a macro call, a value of 1 is passed" (VAX MACRO). */
  EXIT: [a('CODE', 'value', 1)],
  HIBER: [],
  WAKE: [a('PIDADR', 'L', 0), a('PRCNAM', 'Q', 0)],
  SETEF: [a('EFN', 'value')],
  CLREF: [a('EFN', 'value')],
  READEF: [a('EFN', 'value'), a('STATE', 'L')],
  WAITFR: [a('EFN', 'value')],
  SETIMR: [a('EFN', 'value', 0), a('DAYTIM', 'Q'), a('ASTADR', 'B', 0), a('REQIDT', 'value', 0)],
  CANTIM: [a('REQIDT', 'value', 0), a('ACMODE', 'value', 0)],
  ASSIGN: [a('DEVNAM', 'Q'), a('CHAN', 'W'), a('ACMODE', 'value', 0), a('MBXNAM', 'Q', 0)],
  DASSGN: [a('CHAN', 'word')],
  QIOW: QIO,
  SETPRI: [a('PIDADR', 'L', 0), a('PRCNAM', 'Q', 0), a('PRI', 'value'), a('PRVPRI', 'L', 0)],
  DCLAST: [a('ASTADR', 'B'), a('ASTPRM', 'value', 0), a('ACMODE', 'value', 0)],
  SETAST: [a('ENBFLG', 'value')],
  CREPRC: [
    a('PIDADR', 'L', 0),
    a('IMAGE', 'Q', 0),
    a('INPUT', 'Q', 0),
    a('OUTPUT', 'Q', 0),
    a('ERROR', 'Q', 0),
    a('PRVADR', 'Q', 0),
    a('QUOTA', 'B', 0),
    a('PRCNAM', 'Q', 0),
    a('BASPRI', 'value', 2),
    a('UIC', 'value', 0),
    a('MBXUNT', 'value', 0),
    a('STSFLG', 'value', 0),
  ],
  ASTEXIT: [],
  CONDRET: [],
  CMODTRAP: [],
  ENQ,
  ENQW: ENQ,
  DEQ: [
    a('LKID', 'value', 0),
    a('VALBLK', 'Q', 0),
    a('ACMODE', 'value', 0),
    a('FLAGS', 'value', 0),
  ],
  GETLKI,
  GETLKIW: GETLKI,
  QIO,
  /** $CREMBX [prmflg],chan,[maxmsg],[bufquo],[promsk],[acmode],[lognam] (the VAX/VMS V4 argument list). */
  CREMBX: [
    a('PRMFLG', 'value', 0),
    a('CHAN', 'W'),
    a('MAXMSG', 'value', 0),
    a('BUFQUO', 'value', 0),
    a('PROMSK', 'value', 0),
    a('ACMODE', 'value', 0),
    a('LOGNAM', 'Q', 0),
  ],
  DELMBX: [a('CHAN', 'word')],
  ALLOC: [
    a('DEVNAM', 'Q'),
    a('PHYLEN', 'W', 0),
    a('PHYBUF', 'Q', 0),
    a('ACMODE', 'value', 0),
    a('FLAGS', 'value', 0),
  ],
  DALLOC: [a('DEVNAM', 'Q', 0), a('ACMODE', 'value', 0)],
  GETDVI,
  GETDVIW: GETDVI,
  CANCEL: [a('CHAN', 'word')],
  GETTIM: [a('TIMADR', 'Q')],
  ASCTIM: [a('TIMLEN', 'W', 0), a('TIMBUF', 'Q'), a('TIMADR', 'Q', 0), a('CVTFLG', 'value', 0)],
  BINTIM: [a('TIMBUF', 'Q'), a('TIMADR', 'Q')],
  NUMTIM: [a('TIMBUF', 'W'), a('TIMADR', 'Q', 0)],
  /** $FAO ctrstr,[outlen],outbuf,[p1]...[p17]. */
  FAO: [
    a('CTRSTR', 'Q'),
    a('OUTLEN', 'W', 0),
    a('OUTBUF', 'Q'),
    ...Array.from({ length: 17 }, (_, i) => a(`P${i + 1}`, 'value', 0)),
  ],
  FAOL: [a('CTRSTR', 'Q'), a('OUTLEN', 'W', 0), a('OUTBUF', 'Q'), a('PRMLST', 'L', 0)],
  /** $GETMSG msgid,msglen,bufadr,[flags],[outadr]: FLAGS defaults to 15 (all four parts). */
  GETMSG: [
    a('MSGID', 'value'),
    a('MSGLEN', 'W'),
    a('BUFADR', 'Q'),
    a('FLAGS', 'value', 15),
    a('OUTADR', 'B', 0),
  ],
  PUTMSG: [a('MSGVEC', 'L'), a('ACTRTN', 'B', 0), a('FACNAM', 'Q', 0), a('ACTPRM', 'value', 0)],
  GETJPI,
  GETJPIW: GETJPI,
  GETSYI,
  GETSYIW: GETSYI,
  UNWIND: [a('DEPADR', 'L', 0), a('NEWPC', 'B', 0)],
  DCLEXH: [a('DESBLK', 'L')],
  CANEXH: [a('DESBLK', 'L', 0)],
  DELPRC: [a('PIDADR', 'L', 0), a('PRCNAM', 'Q', 0)],
  SUSPND: [a('PIDADR', 'L', 0), a('PRCNAM', 'Q', 0), a('FLAGS', 'value', 0)],
  RESUME: [a('PIDADR', 'L', 0), a('PRCNAM', 'Q', 0)],
  SCHDWK: [a('PIDADR', 'L', 0), a('PRCNAM', 'Q', 0), a('DAYTIM', 'Q'), a('REPTIM', 'Q', 0)],
  CANWAK: [a('PIDADR', 'L', 0), a('PRCNAM', 'Q', 0)],
  WFLOR: [a('EFN', 'value'), a('MASK', 'value')],
  WFLAND: [a('EFN', 'value'), a('MASK', 'value')],
  ASCEFC: [a('EFN', 'value'), a('NAME', 'Q'), a('PROT', 'value', 0), a('PERM', 'value', 0)],
  DACEFC: [a('EFN', 'value')],
  DLCEFC: [a('NAME', 'Q')],
  CMKRNL: [a('ROUTIN', 'B'), a('ARGLST', 'L', 0)],
  CMEXEC: [a('ROUTIN', 'B'), a('ARGLST', 'L', 0)],
  SIGNAL: [],
  STOP: [],
  CRELNM: LNM,
  TRNLNM: LNM,
  DELLNM: [a('TABNAM', 'Q'), a('LOGNAM', 'Q', 0), a('ACMODE', 'B', 0)],
}

/** Every service of the vector with its arguments, in vector order. */
export const SERVICES: readonly {
  readonly name: ServiceName
  readonly arguments: readonly ServiceArgument[]
}[] = SERVICE_VECTOR.map((s) => ({ name: s.name, arguments: SERVICE_ARGUMENTS[s.name] }))
