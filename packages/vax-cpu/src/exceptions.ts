/**
 * How an instruction leaves the normal flow. Thrown inside the CPU and caught by its
 * run loop; never escapes to the caller.
 */
export class VaxException {
  /**
   * @param vector SCB offset
   * @param kind fault: PC backed up to the instruction, registers restored;
   *             trap: PC after the instruction
   * @param params longwords pushed after PSL and PC, in push order
   */
  constructor(
    readonly vector: number,
    readonly kind: 'fault' | 'trap',
    readonly params: readonly number[] = [],
  ) {}
}

/** The machine stops: HALT in kernel mode, or a condition the architecture leaves to the console. */
export class VaxHalt {
  constructor(readonly reason: string) {}
}
