/**
 * Condition values of the run-time library facilities, as VMS's LIBDEF, STRDEF and
 * OTSDEF define them: facility number in bits 27:16, bit 15 set (facility specific),
 * message number in bits 14:3, severity in bits 2:0 (0 warning, 1 success, 2 error,
 * 3 informational, 4 severe), so bit 0 set means success (Introduction to VMS System
 * Services, "Condition Values"; VAX Procedure Calling Standard, condition value format).
 */

/**
 * LIB$ (facility 21). Values as in VMS's LIBDEF (OpenVMS RTL Library (LIB$) Manual,
 * each routine's "Condition Values Returned").
 */
export const LIB = {
  /** LIB$_INSVIRMEM, %X00158214: insufficient virtual memory (LIB$GET_VM). Severe. */
  INSVIRMEM: 0x00158214,
  /** LIB$_INPSTRTRU, %X0015821C: input string truncated (LIB$GET_INPUT). Severe. */
  INPSTRTRU: 0x0015821c,
  /** LIB$_INVSTRDES, %X00158224: invalid string descriptor. Severe. */
  INVSTRDES: 0x00158224,
  /** LIB$_INVARG, %X00158234: invalid argument. Severe. */
  INVARG: 0x00158234,
  /** LIB$_BADBLOADR, %X00158264: bad block address (LIB$FREE_VM of a block never allocated). Severe. */
  BADBLOADR: 0x00158264,
  /** LIB$_BADBLOSIZ, %X0015826C: bad block size (zero or negative, or not the size allocated). Severe. */
  BADBLOSIZ: 0x0015826c,
  /** LIB$_WRONUMARG, %X0015835C: wrong number of arguments. Severe. */
  WRONUMARG: 0x0015835c,
} as const

/**
 * STR$ (facility 36). Values as in VMS's STRDEF (OpenVMS RTL String Manipulation (STR$)
 * Manual, STR$COPY_DX "Condition Values Returned").
 */
export const STR = {
  /** STR$_ILLSTRCLA, %X00248054: illegal string class (a destination neither static nor dynamic). Severe. */
  ILLSTRCLA: 0x00248054,
  /** STR$_WRONUMARG, %X00248064: wrong number of arguments. Severe. */
  WRONUMARG: 0x00248064,
  /** STR$_INSVIRMEM, %X0024806C: insufficient virtual memory for a dynamic string. Severe. */
  INSVIRMEM: 0x0024806c,
  /** STR$_ERRFREDYN, %X0024807C: error freeing a dynamic string. Severe. */
  ERRFREDYN: 0x0024807c,
  /** STR$_TRU, %X00248200: string truncation (a fixed-length destination too short). Warning. */
  TRU: 0x00248200,
} as const

/**
 * OTS$ (facility 23), OpenVMS RTL General Purpose (OTS$) Manual, OTS$CVT_L_TI and
 * OTS$CVT_TI_L "Condition Values Returned". The facility, the fact that both are severe
 * and the conditions that give them are the manual's; the message numbers (bits 14:3)
 * could not be checked against DEC's OTSDEF here, so they are this project's: compare
 * with the symbols, never with the numbers.
 */
export const OTS = {
  /** OTS$_INPCONERR: input conversion error (a bad character, an overflow, a bad size). Severe. */
  INPCONERR: 0x00178204,
  /** OTS$_OUTCONERR: output conversion error (the field is too short; it is filled with `*`). Severe. */
  OUTCONERR: 0x0017820c,
} as const

/**
 * RMS (facility 1): RMS$_EOF, %X0001827A, end of file (an error), what RMS's $GET, and
 * so LIB$GET_INPUT, returns at the end of SYS$INPUT (CTRL/Z at a terminal); OpenVMS
 * Record Management Services Reference Manual, $GET.
 */
export const RMS = {
  EOF: 0x0001827a,
} as const

/** Every status above by its VMS name (`LIB$_BADBLOADR`), for definitions in MACRO-32. */
export const RTL_STATUS_SYMBOLS: ReadonlyMap<string, number> = new Map([
  ...Object.entries(LIB).map(([k, v]) => [`LIB$_${k}`, v] as const),
  ...Object.entries(STR).map(([k, v]) => [`STR$_${k}`, v] as const),
  ...Object.entries(OTS).map(([k, v]) => [`OTS$_${k}`, v] as const),
  ...Object.entries(RMS).map(([k, v]) => [`RMS$_${k}`, v] as const),
])
