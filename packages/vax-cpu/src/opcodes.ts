/**
 * The VAX opcode table: the single source of truth for the decoder, the disassembler,
 * the assembler and the generated tests.
 *
 * Each operand is an access type and a data type, as the VAX Architecture Reference
 * Manual writes them:
 *   access: r read, w write, m modify, a address, v field base (register or address),
 *           b branch displacement
 *   type:   b byte, w word, l long, q quad, o octa, f/d/g/h floating
 * So `rl` is a longword read, `mw` a word modified, `ab` the address of a byte, `bb` a
 * byte branch displacement.
 *
 * `cc` gives the effect on N, Z, V and C in that order: `*` set from the result,
 * `0`/`1` cleared/set, `-` unaffected, `?` instruction-specific (see the manual).
 */

export type Access = 'r' | 'w' | 'm' | 'a' | 'v' | 'b'
export type DataType = 'b' | 'w' | 'l' | 'q' | 'o' | 'f' | 'd' | 'g' | 'h'

export interface OperandSpec {
  readonly access: Access
  readonly type: DataType
  /** Bytes of the data type (for branch displacements, of the displacement). */
  readonly size: number
}

/**
 * Instruction sets an implementation may or may not have:
 * - base: integer, logical, control, procedure, queue, bit field, the MicroVAX string
 *   subset (MOVC3/5, CMPC3/5, LOCC, SKPC, SCANC, SPANC), privileged instructions
 * - string: MOVTC, MOVTUC, MATCHC, CRC (emulated by macrocode on a KA655)
 * - decimal: packed decimal and EDITPC (emulated on a KA655)
 * - float: F, D and G floating
 * - hfloat: H floating and the octaword moves
 */
export type InstructionSet = 'base' | 'string' | 'decimal' | 'float' | 'hfloat'

export interface Opcode {
  /** 0x00-0xFF for one-byte opcodes, 0xFD00 | second byte for the two-byte ones. */
  readonly code: number
  readonly mnemonic: string
  readonly operands: readonly OperandSpec[]
  readonly cc: string
  readonly set: InstructionSet
  /** Other names the assembler accepts (MOVAF for MOVAL, BCC for BGEQU...). */
  readonly aliases: readonly string[]
}

const SIZE: Record<DataType, number> = { b: 1, w: 2, l: 4, q: 8, o: 16, f: 4, d: 8, g: 8, h: 16 }

function parse(operands: string): OperandSpec[] {
  if (operands === '') return []
  return operands.split(' ').map((spec) => {
    const access = spec[0] as Access
    const type = spec[1] as DataType
    return { access, type, size: SIZE[type] }
  })
}

// code, mnemonic, operands, cc, set, aliases
type Row = readonly [number, string, string, string, InstructionSet?, string?]

const ROWS: readonly Row[] = [
  [0x00, 'HALT', '', '----'],
  [0x01, 'NOP', '', '----'],
  [0x02, 'REI', '', '????'],
  [0x03, 'BPT', '', '0000'],
  [0x04, 'RET', '', '????'],
  [0x05, 'RSB', '', '----'],
  [0x06, 'LDPCTX', '', '----'],
  [0x07, 'SVPCTX', '', '----'],
  [0x08, 'CVTPS', 'rw ab rw ab', '***0', 'decimal'],
  [0x09, 'CVTSP', 'rw ab rw ab', '***0', 'decimal'],
  [0x0a, 'INDEX', 'rl rl rl rl rl wl', '**00'],
  [0x0b, 'CRC', 'ab rl rw ab', '**00', 'string'],
  [0x0c, 'PROBER', 'rb rw ab', '0*0-'],
  [0x0d, 'PROBEW', 'rb rw ab', '0*0-'],
  [0x0e, 'INSQUE', 'ab ab', '****'],
  [0x0f, 'REMQUE', 'ab wl', '****'],
  [0x10, 'BSBB', 'bb', '----'],
  [0x11, 'BRB', 'bb', '----'],
  [0x12, 'BNEQ', 'bb', '----', 'base', 'BNEQU'],
  [0x13, 'BEQL', 'bb', '----', 'base', 'BEQLU'],
  [0x14, 'BGTR', 'bb', '----'],
  [0x15, 'BLEQ', 'bb', '----'],
  [0x16, 'JSB', 'ab', '----'],
  [0x17, 'JMP', 'ab', '----'],
  [0x18, 'BGEQ', 'bb', '----'],
  [0x19, 'BLSS', 'bb', '----'],
  [0x1a, 'BGTRU', 'bb', '----'],
  [0x1b, 'BLEQU', 'bb', '----'],
  [0x1c, 'BVC', 'bb', '----'],
  [0x1d, 'BVS', 'bb', '----'],
  [0x1e, 'BGEQU', 'bb', '----', 'base', 'BCC'],
  [0x1f, 'BLSSU', 'bb', '----', 'base', 'BCS'],
  [0x20, 'ADDP4', 'rw ab rw ab', '***0', 'decimal'],
  [0x21, 'ADDP6', 'rw ab rw ab rw ab', '***0', 'decimal'],
  [0x22, 'SUBP4', 'rw ab rw ab', '***0', 'decimal'],
  [0x23, 'SUBP6', 'rw ab rw ab rw ab', '***0', 'decimal'],
  [0x24, 'CVTPT', 'rw ab ab rw ab', '***0', 'decimal'],
  [0x25, 'MULP', 'rw ab rw ab rw ab', '***0', 'decimal'],
  [0x26, 'CVTTP', 'rw ab ab rw ab', '***0', 'decimal'],
  [0x27, 'DIVP', 'rw ab rw ab rw ab', '***0', 'decimal'],
  [0x28, 'MOVC3', 'rw ab ab', '0100'],
  [0x29, 'CMPC3', 'rw ab ab', '**0*'],
  [0x2a, 'SCANC', 'rw ab ab rb', '0*00'],
  [0x2b, 'SPANC', 'rw ab ab rb', '0*00'],
  [0x2c, 'MOVC5', 'rw ab rb rw ab', '**0*'],
  [0x2d, 'CMPC5', 'rw ab rb rw ab', '**0*'],
  [0x2e, 'MOVTC', 'rw ab rb ab rw ab', '**0*', 'string'],
  [0x2f, 'MOVTUC', 'rw ab rb ab rw ab', '****', 'string'],
  [0x30, 'BSBW', 'bw', '----'],
  [0x31, 'BRW', 'bw', '----'],
  [0x32, 'CVTWL', 'rw wl', '**00'],
  [0x33, 'CVTWB', 'rw wb', '***0'],
  [0x34, 'MOVP', 'rw ab ab', '**0-', 'decimal'],
  [0x35, 'CMPP3', 'rw ab ab', '**00', 'decimal'],
  [0x36, 'CVTPL', 'rw ab wl', '***0', 'decimal'],
  [0x37, 'CMPP4', 'rw ab rw ab', '**00', 'decimal'],
  [0x38, 'EDITPC', 'rw ab ab ab', '****', 'decimal'],
  [0x39, 'MATCHC', 'rw ab rw ab', '0*00', 'string'],
  [0x3a, 'LOCC', 'rb rw ab', '0*00'],
  [0x3b, 'SKPC', 'rb rw ab', '0*00'],
  [0x3c, 'MOVZWL', 'rw wl', '0*0-'],
  [0x3d, 'ACBW', 'rw rw mw bw', '***-'],
  [0x3e, 'MOVAW', 'aw wl', '**0-'],
  [0x3f, 'PUSHAW', 'aw', '**0-'],
  ...floatRows(0x40, 'F', 'f'),
  [0x50, 'MOVF', 'rf wf', '**0-', 'float'],
  [0x51, 'CMPF', 'rf rf', '**00', 'float'],
  [0x52, 'MNEGF', 'rf wf', '**00', 'float'],
  [0x53, 'TSTF', 'rf', '**00', 'float'],
  [0x54, 'EMODF', 'rf rb rf wl wf', '***0', 'float'],
  [0x55, 'POLYF', 'rf rw ab', '**00', 'float'],
  [0x56, 'CVTFD', 'rf wd', '**00', 'float'],
  [0x58, 'ADAWI', 'rw mw', '****'],
  [0x5c, 'INSQHI', 'ab aq', '0*0*'],
  [0x5d, 'INSQTI', 'ab aq', '0*0*'],
  [0x5e, 'REMQHI', 'aq wl', '0***'],
  [0x5f, 'REMQTI', 'aq wl', '0***'],
  ...floatRows(0x60, 'D', 'd'),
  [0x70, 'MOVD', 'rd wd', '**0-', 'float'],
  [0x71, 'CMPD', 'rd rd', '**00', 'float'],
  [0x72, 'MNEGD', 'rd wd', '**00', 'float'],
  [0x73, 'TSTD', 'rd', '**00', 'float'],
  [0x74, 'EMODD', 'rd rb rd wl wd', '***0', 'float'],
  [0x75, 'POLYD', 'rd rw ab', '**00', 'float'],
  [0x76, 'CVTDF', 'rd wf', '***0', 'float'],
  [0x78, 'ASHL', 'rb rl wl', '***0'],
  [0x79, 'ASHQ', 'rb rq wq', '***0'],
  [0x7a, 'EMUL', 'rl rl rl wq', '**00'],
  [0x7b, 'EDIV', 'rl rq wl wl', '***0'],
  [0x7c, 'CLRQ', 'wq', '010-', 'base', 'CLRD,CLRG'],
  [0x7d, 'MOVQ', 'rq wq', '**0-'],
  [0x7e, 'MOVAQ', 'aq wl', '**0-', 'base', 'MOVAD,MOVAG'],
  [0x7f, 'PUSHAQ', 'aq', '**0-', 'base', 'PUSHAD,PUSHAG'],
  ...integerRows(0x80, 'B', 'b'),
  [0x90, 'MOVB', 'rb wb', '**0-'],
  [0x91, 'CMPB', 'rb rb', '**0*'],
  [0x92, 'MCOMB', 'rb wb', '**0-'],
  [0x93, 'BITB', 'rb rb', '**0-'],
  [0x94, 'CLRB', 'wb', '010-'],
  [0x95, 'TSTB', 'rb', '**00'],
  [0x96, 'INCB', 'mb', '****'],
  [0x97, 'DECB', 'mb', '****'],
  [0x98, 'CVTBL', 'rb wl', '**00'],
  [0x99, 'CVTBW', 'rb ww', '**00'],
  [0x9a, 'MOVZBL', 'rb wl', '0*0-'],
  [0x9b, 'MOVZBW', 'rb ww', '0*0-'],
  [0x9c, 'ROTL', 'rb rl wl', '**0-'],
  [0x9d, 'ACBB', 'rb rb mb bw', '***-'],
  [0x9e, 'MOVAB', 'ab wl', '**0-'],
  [0x9f, 'PUSHAB', 'ab', '**0-'],
  ...integerRows(0xa0, 'W', 'w'),
  [0xb0, 'MOVW', 'rw ww', '**0-'],
  [0xb1, 'CMPW', 'rw rw', '**0*'],
  [0xb2, 'MCOMW', 'rw ww', '**0-'],
  [0xb3, 'BITW', 'rw rw', '**0-'],
  [0xb4, 'CLRW', 'ww', '010-'],
  [0xb5, 'TSTW', 'rw', '**00'],
  [0xb6, 'INCW', 'mw', '****'],
  [0xb7, 'DECW', 'mw', '****'],
  [0xb8, 'BISPSW', 'rw', '????'],
  [0xb9, 'BICPSW', 'rw', '????'],
  [0xba, 'POPR', 'rw', '----'],
  [0xbb, 'PUSHR', 'rw', '----'],
  [0xbc, 'CHMK', 'rw', '0000'],
  [0xbd, 'CHME', 'rw', '0000'],
  [0xbe, 'CHMS', 'rw', '0000'],
  [0xbf, 'CHMU', 'rw', '0000'],
  ...integerRows(0xc0, 'L', 'l'),
  [0xd0, 'MOVL', 'rl wl', '**0-'],
  [0xd1, 'CMPL', 'rl rl', '**0*'],
  [0xd2, 'MCOML', 'rl wl', '**0-'],
  [0xd3, 'BITL', 'rl rl', '**0-'],
  [0xd4, 'CLRL', 'wl', '010-', 'base', 'CLRF'],
  [0xd5, 'TSTL', 'rl', '**00'],
  [0xd6, 'INCL', 'ml', '****'],
  [0xd7, 'DECL', 'ml', '****'],
  [0xd8, 'ADWC', 'rl ml', '****'],
  [0xd9, 'SBWC', 'rl ml', '****'],
  [0xda, 'MTPR', 'rl rl', '**0-'],
  [0xdb, 'MFPR', 'rl wl', '**0-'],
  [0xdc, 'MOVPSL', 'wl', '----'],
  [0xdd, 'PUSHL', 'rl', '**0-'],
  [0xde, 'MOVAL', 'al wl', '**0-', 'base', 'MOVAF'],
  [0xdf, 'PUSHAL', 'al', '**0-', 'base', 'PUSHAF'],
  [0xe0, 'BBS', 'rl vb bb', '----'],
  [0xe1, 'BBC', 'rl vb bb', '----'],
  [0xe2, 'BBSS', 'rl vb bb', '----'],
  [0xe3, 'BBCS', 'rl vb bb', '----'],
  [0xe4, 'BBSC', 'rl vb bb', '----'],
  [0xe5, 'BBCC', 'rl vb bb', '----'],
  [0xe6, 'BBSSI', 'rl vb bb', '----'],
  [0xe7, 'BBCCI', 'rl vb bb', '----'],
  [0xe8, 'BLBS', 'rl bb', '----'],
  [0xe9, 'BLBC', 'rl bb', '----'],
  [0xea, 'FFS', 'rl rb vb wl', '0*00'],
  [0xeb, 'FFC', 'rl rb vb wl', '0*00'],
  [0xec, 'CMPV', 'rl rb vb rl', '**0*'],
  [0xed, 'CMPZV', 'rl rb vb rl', '**0*'],
  [0xee, 'EXTV', 'rl rb vb wl', '**0-'],
  [0xef, 'EXTZV', 'rl rb vb wl', '**0-'],
  [0xf0, 'INSV', 'rl rl rb vb', '----'],
  [0xf1, 'ACBL', 'rl rl ml bw', '***-'],
  [0xf2, 'AOBLSS', 'rl ml bb', '***-'],
  [0xf3, 'AOBLEQ', 'rl ml bb', '***-'],
  [0xf4, 'SOBGEQ', 'ml bb', '***-'],
  [0xf5, 'SOBGTR', 'ml bb', '***-'],
  [0xf6, 'CVTLB', 'rl wb', '***0'],
  [0xf7, 'CVTLW', 'rl ww', '***0'],
  [0xf8, 'ASHP', 'rb rw ab rb rw ab', '***0', 'decimal'],
  [0xf9, 'CVTLP', 'rl rw ab', '***0', 'decimal'],
  [0xfa, 'CALLG', 'ab ab', '0000'],
  [0xfb, 'CALLS', 'rl ab', '0000'],
  [0xfc, 'XFC', '', '----'],
  // Two-byte opcodes: FD followed by the second byte.
  [0xfd32, 'CVTDH', 'rd wh', '**00', 'hfloat'],
  [0xfd33, 'CVTGF', 'rg wf', '***0', 'float'],
  ...floatRows(0xfd40, 'G', 'g'),
  [0xfd50, 'MOVG', 'rg wg', '**0-', 'float'],
  [0xfd51, 'CMPG', 'rg rg', '**00', 'float'],
  [0xfd52, 'MNEGG', 'rg wg', '**00', 'float'],
  [0xfd53, 'TSTG', 'rg', '**00', 'float'],
  [0xfd54, 'EMODG', 'rg rw rg wl wg', '***0', 'float'],
  [0xfd55, 'POLYG', 'rg rw ab', '**00', 'float'],
  [0xfd56, 'CVTGH', 'rg wh', '**00', 'hfloat'],
  ...floatRows(0xfd60, 'H', 'h'),
  [0xfd70, 'MOVH', 'rh wh', '**0-', 'hfloat'],
  [0xfd71, 'CMPH', 'rh rh', '**00', 'hfloat'],
  [0xfd72, 'MNEGH', 'rh wh', '**00', 'hfloat'],
  [0xfd73, 'TSTH', 'rh', '**00', 'hfloat'],
  [0xfd74, 'EMODH', 'rh rw rh wl wh', '***0', 'hfloat'],
  [0xfd75, 'POLYH', 'rh rw ab', '**00', 'hfloat'],
  [0xfd76, 'CVTHG', 'rh wg', '***0', 'hfloat'],
  [0xfd7c, 'CLRO', 'wo', '010-', 'hfloat', 'CLRH'],
  [0xfd7d, 'MOVO', 'ro wo', '**0-', 'hfloat'],
  [0xfd7e, 'MOVAO', 'ao wl', '**0-', 'hfloat', 'MOVAH'],
  [0xfd7f, 'PUSHAO', 'ao', '**0-', 'hfloat', 'PUSHAH'],
  [0xfd98, 'CVTFH', 'rf wh', '**00', 'hfloat'],
  [0xfd99, 'CVTFG', 'rf wg', '**00', 'float'],
  [0xfdf6, 'CVTHF', 'rh wf', '***0', 'hfloat'],
  [0xfdf7, 'CVTHD', 'rh wd', '***0', 'hfloat'],
]

/** The sixteen two- and three-operand integer instructions at 0x80, 0xA0 and 0xC0. */
function integerRows(base: number, s: string, t: DataType): Row[] {
  const two = `r${t} m${t}`
  const three = `r${t} r${t} w${t}`
  return [
    [base + 0x0, `ADD${s}2`, two, '****'],
    [base + 0x1, `ADD${s}3`, three, '****'],
    [base + 0x2, `SUB${s}2`, two, '****'],
    [base + 0x3, `SUB${s}3`, three, '****'],
    [base + 0x4, `MUL${s}2`, two, '***0'],
    [base + 0x5, `MUL${s}3`, three, '***0'],
    [base + 0x6, `DIV${s}2`, two, '***0'],
    [base + 0x7, `DIV${s}3`, three, '***0'],
    [base + 0x8, `BIS${s}2`, two, '**0-'],
    [base + 0x9, `BIS${s}3`, three, '**0-'],
    [base + 0xa, `BIC${s}2`, two, '**0-'],
    [base + 0xb, `BIC${s}3`, three, '**0-'],
    [base + 0xc, `XOR${s}2`, two, '**0-'],
    [base + 0xd, `XOR${s}3`, three, '**0-'],
    [base + 0xe, `MNEG${s}`, `r${t} w${t}`, '****'],
    [base + 0xf, `CASE${s}`, `r${t} r${t} r${t}`, '**0*'],
  ]
}

/** The sixteen floating instructions at 0x40 (F), 0x60 (D), 0xFD40 (G), 0xFD60 (H). */
function floatRows(base: number, s: string, t: DataType): Row[] {
  const set: InstructionSet = t === 'h' ? 'hfloat' : 'float'
  const two = `r${t} m${t}`
  const three = `r${t} r${t} w${t}`
  return [
    [base + 0x0, `ADD${s}2`, two, '**00', set],
    [base + 0x1, `ADD${s}3`, three, '**00', set],
    [base + 0x2, `SUB${s}2`, two, '**00', set],
    [base + 0x3, `SUB${s}3`, three, '**00', set],
    [base + 0x4, `MUL${s}2`, two, '**00', set],
    [base + 0x5, `MUL${s}3`, three, '**00', set],
    [base + 0x6, `DIV${s}2`, two, '**00', set],
    [base + 0x7, `DIV${s}3`, three, '**00', set],
    [base + 0x8, `CVT${s}B`, `r${t} wb`, '***0', set],
    [base + 0x9, `CVT${s}W`, `r${t} ww`, '***0', set],
    [base + 0xa, `CVT${s}L`, `r${t} wl`, '***0', set],
    [base + 0xb, `CVTR${s}L`, `r${t} wl`, '***0', set],
    [base + 0xc, `CVTB${s}`, `rb w${t}`, '**00', set],
    [base + 0xd, `CVTW${s}`, `rw w${t}`, '**00', set],
    [base + 0xe, `CVTL${s}`, `rl w${t}`, '**00', set],
    [base + 0xf, `ACB${s}`, `r${t} r${t} m${t} bw`, '***-', set],
  ]
}

/** Every opcode, in opcode order. */
export const OPCODES: readonly Opcode[] = ROWS.map(
  ([code, mnemonic, operands, cc, set, aliases]) => ({
    code,
    mnemonic,
    operands: parse(operands),
    cc,
    set: set ?? 'base',
    aliases: aliases ? aliases.split(',') : [],
  }),
)

/** Opcode by code: index 0x000-0x0FF for one-byte opcodes, 0x100 + second byte for FD xx. */
export const OPCODE_BY_INDEX: readonly (Opcode | undefined)[] = (() => {
  const table: (Opcode | undefined)[] = new Array(512).fill(undefined)
  for (const op of OPCODES) table[op.code > 0xff ? 0x100 + (op.code & 0xff) : op.code] = op
  return table
})()

/** Opcode by mnemonic or alias (upper case). */
export const OPCODE_BY_MNEMONIC: ReadonlyMap<string, Opcode> = (() => {
  const map = new Map<string, Opcode>()
  for (const op of OPCODES) {
    map.set(op.mnemonic, op)
    for (const alias of op.aliases) if (!map.has(alias)) map.set(alias, op)
  }
  return map
})()

/** The table index of an opcode: the byte, or 0x100 + second byte for FD xx. */
export function opcodeIndex(code: number): number {
  return code > 0xff ? 0x100 + (code & 0xff) : code
}
