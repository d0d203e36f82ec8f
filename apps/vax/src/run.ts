import { Cpu, describeTranslation, KA655, PhysicalMemory, type RunResult, VAX780 } from '@vax/cpu'
import { MemoryManagement } from '@vax/mmu'
import { checkAddress, parseCommandLine, parseNumber, UsageError } from './args'
import { mib, readInput } from './files'

export const RUN_USAGE =
  'usage: vax run IMAGE.bin [--base ADDR] [--pc ADDR] [--memory MB] [--max-steps N]\n' +
  '                         [--dump ADDR:LEN]... [--machine ka655|vax780] [--json] [--no-jit]'

/** The most bytes all --dump options of one run may show together: 64 MiB. */
export const MAX_DUMP_BYTES = 64 * 1024 * 1024

/**
 * Instructions run between two looks at the event loop (where Ctrl-C is noticed):
 * a few tens of milliseconds of emulation.
 */
export const SLICE_STEPS = 1 << 18

/** The exit status of a run stopped by Ctrl-C (128 + SIGINT, as shells report it). */
export const INTERRUPTED_STATUS = 130

/** What `vax run --json` prints. */
export interface RunReport {
  halted: 'HALT' | 'max-steps' | 'error'
  pc: number
  psl: number
  r: number[]
  steps: number
  dump: Record<string, string>
  error?: string
}

/** Subscribes `stop` to the user's interrupt (Ctrl-C); returns the unsubscribe. */
export type InterruptSource = (stop: () => void) => () => void

/** Ctrl-C of this process: SIGINT, listened to only while the machine runs. */
export const processInterrupts: InterruptSource = (stop) => {
  process.on('SIGINT', stop)
  return () => process.off('SIGINT', stop)
}

export interface RunEnvironment {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
  readonly interrupts: InterruptSource
  /** Instructions per slice; SLICE_STEPS unless a test asks for another. */
  readonly slice?: number
}

interface Dump {
  readonly spec: string
  readonly address: number
  readonly length: number
}

function parseDump(spec: string): Dump {
  const [a, l, ...more] = spec.split(':')
  if (a === undefined || l === undefined || more.length > 0)
    throw new UsageError(`--dump ${spec}: expected ADDR:LEN`)
  const address = checkAddress(parseNumber(a, '--dump'), a, '--dump')
  return { spec, address, length: parseNumber(l, '--dump') }
}

/**
 * `vax run`: loads a raw image into physical memory, starts in the MicroVAX 3900 reset
 * state (registers 0, PSL 041F0000) and runs until a kernel-mode HALT, --max-steps or
 * Ctrl-C. The machine runs in slices of SLICE_STEPS instructions with a turn of the
 * event loop between them, so that Ctrl-C stops it and its state is still printed.
 */
export async function runCommand(argv: readonly string[], env: RunEnvironment): Promise<number> {
  const { out, err } = env
  const args = parseCommandLine(argv, {
    base: { type: 'string' },
    pc: { type: 'string' },
    memory: { type: 'string' },
    'max-steps': { type: 'string' },
    dump: { type: 'string' },
    machine: { type: 'string' },
    json: { type: 'boolean' },
    'no-jit': { type: 'boolean' },
  })
  const [image, ...extra] = args.positional
  if (image === undefined) throw new UsageError('IMAGE.bin is required')
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`)
  const address = (name: string, fallback: string) => {
    const text = args.one(name) ?? fallback
    return checkAddress(parseNumber(text, `--${name}`), text, `--${name}`)
  }
  const base = address('base', '0x1000')
  const pc = address('pc', String(base))
  const megabytes = parseNumber(args.one('memory') ?? '16', '--memory')
  if (megabytes < 1 || megabytes > 512) throw new UsageError('--memory must be 1 to 512 (MB)')
  const stepsText = args.one('max-steps')
  const maxSteps =
    stepsText === undefined ? Number.POSITIVE_INFINITY : parseNumber(stepsText, '--max-steps')
  const machine = args.one('machine') ?? 'ka655'
  if (machine !== 'ka655' && machine !== 'vax780')
    throw new UsageError("--machine must be 'ka655' or 'vax780'")
  const size = megabytes * 1024 * 1024
  const dumps = args.all('dump').map(parseDump)
  for (const d of dumps) {
    if (d.address + d.length > size) {
      throw new UsageError(
        `--dump ${d.spec}: outside memory (${megabytes} MB: 0x0 to 0x${(size - 1).toString(16)})`,
      )
    }
  }
  if (dumps.reduce((total, d) => total + d.length, 0) > MAX_DUMP_BYTES)
    throw new UsageError(`--dump: at most ${mib(MAX_DUMP_BYTES)} in all`)
  const json = args.flag('json')

  const bytes = readInput(image, size)
  const memory = new PhysicalMemory(size)
  if (base + bytes.length > memory.size) {
    throw new UsageError(
      `the image (${bytes.length} bytes at 0x${base.toString(16)}) does not fit in ${megabytes} MB`,
    )
  }
  memory.load(base, bytes)
  const cpu = new Cpu(memory, machine === 'ka655' ? KA655 : VAX780, { jit: !args.flag('no-jit') })
  MemoryManagement.attach(cpu)
  cpu.reset(pc)
  // Console output (TXDB) goes to stdout, or to stderr when stdout carries the JSON.
  cpu.consoleOutput = (c) => (json ? err : out)(String.fromCharCode(c))
  const { result, steps, interrupted } = await runInSlices(cpu, maxSteps, env)

  const dump: Record<string, string> = {}
  for (const d of dumps) {
    dump[`0x${d.address.toString(16)}`] = Buffer.from(
      memory.bytes.subarray(d.address, d.address + d.length),
    ).toString('hex')
  }
  const report: RunReport = {
    halted: interrupted ? 'error' : result.reason,
    pc: cpu.pc >>> 0,
    psl: cpu.fullPsl,
    r: Array.from(cpu.r, (v) => v >>> 0),
    steps,
    dump,
    ...(interrupted ? { error: 'interrupted' } : {}),
    ...(!interrupted && result.reason === 'error' ? { error: result.detail } : {}),
  }
  if (json) out(`${JSON.stringify(report)}\n`)
  else {
    const hex = (v: number) => v.toString(16).toUpperCase().padStart(8, '0')
    const what = interrupted
      ? 'interrupted (Ctrl-C)'
      : result.reason === 'HALT'
        ? 'HALT instruction'
        : result.reason === 'max-steps'
          ? 'step limit reached'
          : `stopped: ${result.detail}`
    out(`${what}, PC: ${hex(report.pc)}, PSL: ${hex(report.psl)}, ${steps} instructions\n`)
    for (let i = 0; i < 16; i += 4) {
      out(
        `${[0, 1, 2, 3].map((k) => `${`R${i + k}`.padStart(3)}=${hex(report.r[i + k] ?? 0)}`).join('  ')}\n`,
      )
    }
    for (const [at, value] of Object.entries(dump)) out(`${at}: ${value}\n`)
    out(`${describeTranslation(cpu.jitStatistics())}\n`)
  }
  return interrupted ? INTERRUPTED_STATUS : 0
}

/**
 * Runs the CPU up to `maxSteps` instructions in slices, yielding to the event loop
 * between them; stops early on a halt, an error or an interrupt.
 */
async function runInSlices(
  cpu: Cpu,
  maxSteps: number,
  env: RunEnvironment,
): Promise<{ result: RunResult; steps: number; interrupted: boolean }> {
  const slice = env.slice ?? SLICE_STEPS
  let interrupted = false
  const unsubscribe = env.interrupts(() => {
    interrupted = true
  })
  try {
    let steps = 0
    for (;;) {
      const result = cpu.run(Math.min(slice, maxSteps - steps))
      steps += result.steps
      if (result.reason !== 'max-steps' || steps >= maxSteps) return { result, steps, interrupted }
      await new Promise<void>((resolve) => setImmediate(resolve))
      if (interrupted) return { result, steps, interrupted }
    }
  } finally {
    unsubscribe()
  }
}
