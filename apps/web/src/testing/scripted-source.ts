import type { InterruptKey, StepUnit, WebViewSource } from '../source'
import type { DeviceView, PoolBlockView, ProcessView, SystemView } from '../view'

/**
 * A stand-in for the real system in the tests: a small scripted world that goes, one
 * scheduler event per step, through the changes the issue asks the page to show.
 *
 * 0. DEMO (PID 00000021) is computable (COM) at priority 6 over base 4, after a boost.
 * 1. The scheduler selects it: COM -> CUR (book 10.3).
 * 2. It issues $QIO to VDA0: and waits for event flag 1: an IRP is allocated from pool and
 *    becomes the unit's active request, DEMO goes CUR -> LEF (book 18.5, 10.3).
 * 3. The transfer completes: the IRP leaves the unit, the operation count goes up, a user
 *    mode AST is queued to DEMO, which becomes COM with a boost (book 18.7, 7.3, 10.4).
 * 4. DEMO runs again: COM -> CUR, the AST is delivered (the queue empties) and the IRP's
 *    pool block is freed.
 */
export class ScriptedSource implements WebViewSource {
  readonly inputs: string[] = []
  readonly interrupts: InterruptKey[] = []
  readonly steps: StepUnit[] = []
  stage = 0
  #paused = false
  #time = 0
  #instructions = 0
  #extra: ProcessView[] = []
  /** Whether a mirror and a fenced serial DASD are connected. */
  foreign = false
  #listeners = new Set<(text: string) => void>()

  snapshot(): SystemView {
    const s = this.stage
    const demo: ProcessView = {
      pid: 0x21,
      name: 'DEMO',
      state: (['COM', 'CUR', 'LEF', 'COM', 'CUR'] as const)[s] ?? 'CUR',
      priority: [6, 6, 5, 8, 8][s] ?? 4,
      basePriority: 4,
      asts:
        s === 3
          ? [{ mode: 'user', routine: 0x200, parameter: 0x1234, kind: 'normal', origin: '$QIO' }]
          : [],
      ...(s === 2 ? { waitingFor: 'EFN 1' } : {}),
    }
    const swapper: ProcessView = {
      pid: 0x20,
      name: 'SWAPPER',
      state: s === 1 || s >= 4 ? 'HIB' : 'CUR',
      priority: 16,
      basePriority: 16,
      asts: [],
    }
    const irp: PoolBlockView = { address: 0x80101200, size: 208, type: 'IRP' }
    const device: DeviceView = {
      name: 'VDA0:',
      ucb: {
        status: s === 2 ? ['ONLINE', 'VALID', 'BSY'] : ['ONLINE', 'VALID'],
        operations: s >= 3 ? 1 : 0,
        errors: 0,
        references: 1,
        owner: 0,
      },
      irps:
        s === 2
          ? [
              {
                address: irp.address,
                function: 'IO$_READVBLK',
                pid: 0x21,
                state: 'active',
                bytes: 512,
              },
            ]
          : [],
    }
    const foreign: Pick<SystemView, 'mirrors' | 'fences'> = this.foreign
      ? {
          mirrors: [
            {
              name: 'DKA1:',
              members: [
                { name: 'a.img', state: 'usable' },
                { name: 'b.img', state: 'syncdest' },
              ],
              syncProgress: 0.25,
            },
          ],
          fences: [{ device: 'DKA2:', register: 0x4000, host: 0 }],
        }
      : {}
    return {
      ...foreign,
      time: this.#time,
      instructions: this.#instructions,
      processes: [swapper, demo, ...this.#extra],
      devices: [
        device,
        {
          name: 'OPA0:',
          ucb: { status: ['ONLINE'], operations: 3, errors: 0, references: 1, owner: 0 },
          irps: [],
        },
      ],
      locks: [
        {
          name: 'DEMO$DATABASE',
          granted: [{ id: 0x10001, pid: 0x21, mode: 'PR' }],
          conversion: [],
          waiting: s >= 2 ? [] : [{ id: 0x10002, pid: 0x20, mode: 'NL', requested: 'EX' }],
          children: [
            {
              name: 'RECORD 1',
              granted: [{ id: 0x10003, pid: 0x21, mode: 'EX' }],
              conversion: [],
              waiting: [],
              children: [],
            },
          ],
        },
      ],
      pool: {
        base: 0x80100000,
        size: 0x4000,
        blocks: [
          { address: 0x80100000, size: 160, type: 'UCB' },
          { address: 0x801000a0, size: 96, type: 'PCB' },
          ...(s === 2 || s === 3 ? [irp] : []),
        ],
        free: [{ address: 0x80100100, size: 0x1100 }],
        lookaside: [
          { name: 'SRP', packetSize: 96, free: 20, total: 20 },
          { name: 'IRP', packetSize: 208, free: s === 2 || s === 3 ? 9 : 10, total: 10 },
          { name: 'LRP', packetSize: 1648, free: 4, total: 4 },
        ],
      },
    }
  }

  /** Adds `count` more processes, to load the page. */
  load(count: number): void {
    const states = ['COM', 'LEF', 'HIB', 'CEF', 'LEFO', 'COMO'] as const
    for (let i = 0; i < count; i++) {
      const base = i % 8
      this.#extra.push({
        pid: 0x1000 + i,
        name: `LOAD_${i}`,
        state: states[i % states.length]!,
        priority: base + (i % 3),
        basePriority: base,
        asts: [],
      })
    }
  }

  /** Lets boosts decay one step in every loaded process, as quantum ends would (book 10.4). */
  decay(): void {
    this.#extra = this.#extra.map((p) =>
      p.priority > p.basePriority
        ? { ...p, priority: p.priority - 1 }
        : { ...p, priority: p.basePriority + 2 },
    )
    this.#time += 10
  }

  /** Sends console output to the page. */
  print(text: string): void {
    for (const listener of this.#listeners) listener(text)
  }

  input(text: string): void {
    this.inputs.push(text)
    this.print(text.replace(/\r/g, '\r\n'))
  }

  interrupt(key: InterruptKey): void {
    this.interrupts.push(key)
  }

  onOutput(listener: (text: string) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  pause(): void {
    this.#paused = true
  }

  resume(): void {
    this.#paused = false
  }

  paused(): boolean {
    return this.#paused
  }

  step(unit: StepUnit): void {
    if (!this.#paused) return
    this.steps.push(unit)
    this.#instructions += 1
    this.#time += 1
    if (unit === 'event') this.stage += 1
  }
}
