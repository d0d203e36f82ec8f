/**
 * The constants of $LNMDEF: logical name and translation attributes, the limits, and
 * the item codes of $CRELNM and $TRNLNM (book 28.2, 28.4, 28.5.1; VAX/VMS System
 * Services Reference Manual, $CRELNM and $TRNLNM). The values are VMS's, as the C
 * header lnmdef.h publishes them.
 */
export const LNM = {
  /** Name attribute: the name may not coexist with an outer-mode alias in its table (28.2). */
  M_NO_ALIAS: 0x1,
  /** Name attribute: DCL does not copy the name to a spawned subprocess (28.2). */
  M_CONFINE: 0x2,
  /** Name attribute: made by the Version 3 $CRELOG service (28.2, 28.9). */
  M_CRELOG: 0x4,
  /** Name attribute: the name is a logical name table (its equivalence is an LNMTH, 28.5.2). */
  M_TABLE: 0x8,
  /** Equivalence attribute: not to be displayed in system output (28.4). */
  M_CONCEALED: 0x100,
  /** Equivalence attribute: not to be translated further (28.4). */
  M_TERMINAL: 0x200,
  /** $TRNLNM LNM$_ATTRIBUTES: an equivalence exists at the index asked for. */
  M_EXISTS: 0x400,
  /** Table attribute: the table is shareable (28.3). */
  M_SHAREABLE: 0x10000,
  /** $CRELNT: create the table only if none of that name and mode exists (28.8.4). */
  M_CREATE_IF: 0x1000000,
  /** $TRNLNM: the search ignores the case of the name (28.4, 28.6). */
  M_CASE_BLIND: 0x2000000,
  /** The longest name in a directory table (28.3). */
  C_TABNAMLEN: 31,
  /** The longest logical name or equivalence string (28.2, 28.4). */
  C_NAMLENGTH: 255,
  /** The deepest translation of a table name, and of iterative translation (28.7). */
  C_MAXDEPTH: 10,
  /** Item code: the translation index that later items refer to (a longword). */
  _INDEX: 1,
  /** Item code: an equivalence string. */
  _STRING: 2,
  /** Item code: the attributes of the equivalence (and of the name, on $TRNLNM). */
  _ATTRIBUTES: 3,
  /** Item code: the name of the table holding the name (output). */
  _TABLE: 4,
  /** Item code: the length of the equivalence string (output longword). */
  _LENGTH: 5,
  /** Item code: the access mode of the name (output byte). */
  _ACMODE: 6,
  /** Item code: the highest translation index of the name, -1 for none (output longword). */
  _MAX_INDEX: 7,
  /** Item code: the parent of a table ($CRELNT, $TRNLNM of a table name). Not supported here. */
  _PARENT: 8,
  /** Item code: the LNMB's address. Not supported here. */
  _LNMB_ADDR: 9,
  /** Item code -1 (0xFFFF as the item list's word): the buffer address is the next item list. */
  _CHAIN: 0xffff,
} as const

/** Access modes (PSL$C_...): 0 kernel (most privileged) to 3 user. */
export const AccessMode = {
  KERNEL: 0,
  EXECUTIVE: 1,
  SUPERVISOR: 2,
  USER: 3,
} as const
export type AccessMode = (typeof AccessMode)[keyof typeof AccessMode]

/** The highest translation index a caller may give; -1 to -128 are the system's (28.5.1). */
export const MAX_TRANSLATION_INDEX = 127

/** The most equivalence strings of one name (28.4). */
export const MAX_EQUIVALENCES = 128

/** DYN$C_LNM, the structure type of a logical name block in pool (book Appendix E). */
export const DYN_LNM = 64

/** The name attributes $CRELNM accepts in its ATTR argument. */
export const CRELNM_ATTRIBUTES = LNM.M_NO_ALIAS | LNM.M_CONFINE

/** The equivalence attributes $CRELNM accepts in an LNM$_ATTRIBUTES item. */
export const EQUIVALENCE_ATTRIBUTES = LNM.M_CONCEALED | LNM.M_TERMINAL

/** The attributes $TRNLNM accepts in its ATTR argument. */
export const TRNLNM_ATTRIBUTES = LNM.M_CASE_BLIND

/**
 * The mode a service uses (28.8.1): the ACMODE argument as given when the caller has
 * SYSNAM, otherwise the less privileged of it and the caller's mode.
 */
export function maximizeMode(requested: number, caller: number, sysnam: boolean): AccessMode {
  const mode = requested & 3
  return (sysnam ? mode : Math.max(mode, caller & 3)) as AccessMode
}
