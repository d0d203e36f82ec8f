import { decodeInstruction, EncodeError, encodeInstruction } from '@vax/asm'
import { OPCODES } from '@vax/cpu'
import { describe, expect, it } from 'vitest'
import { randomSpecifiers } from '../fuzz/programs'
import { Random } from '../fuzz/random'
import { SLOT, simhDisassemble } from '../simh/examine'
import { simhBinary } from '../simh/simh'
import { simhStyle } from '../simh/simh-style'

/**
 * The disassembler against SIMH's `examine -m`: every one-byte opcode, each with
 * several random operand encodings across the addressing modes, normalised to SIMH's
 * formatting. (SIMH 3.8.1 does not disassemble the FD-prefixed two-byte opcodes.)
 */
describe.skipIf(simhBinary() === undefined)('disassembler agrees with SIMH examine -m', () => {
  it('on every one-byte opcode, 8 encodings each', async () => {
    const random = new Random(2024)
    const base = 0x10000
    const cases: { mnemonic: string; bytes: Uint8Array; address: number }[] = []
    for (const op of OPCODES.filter((o) => o.code <= 0xff)) {
      for (let k = 0; k < 8; k++) {
        const address = base + SLOT * cases.length
        // Operands too far away for the displacement size drawn are drawn again.
        for (;;) {
          try {
            const specifiers = randomSpecifiers(op, random, address + random.int(-100, 100))
            cases.push({
              mnemonic: op.mnemonic,
              bytes: encodeInstruction(op, specifiers, address),
              address,
            })
            break
          } catch (e) {
            if (!(e instanceof EncodeError)) throw e
          }
        }
      }
    }
    const simh = await simhDisassemble(
      cases.map((c) => c.bytes),
      base,
    )
    const disagreements = cases.flatMap((c, i) => {
      const ours = simhStyle(decodeInstruction((a) => c.bytes[a - c.address], c.address))
      return ours === simh[i] ? [] : [`${c.mnemonic}: SIMH "${simh[i]}", ours "${ours}"`]
    })
    expect(cases.length).toBeGreaterThan(200 * 8)
    expect(disagreements.slice(0, 10)).toEqual([])
  })
})
