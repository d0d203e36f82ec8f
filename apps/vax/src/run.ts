import { readFileSync } from 'node:fs'
import { Cpu, KA655, PhysicalMemory, VAX780 } from '@vax/cpu'
import { MemoryManagement } from '@vax/mmu'
import { parseArgs, parseNumber, UsageError } from './args'

export const RUN_USAGE =
  'usage: vax run IMAGE.bin [--base ADDR] [--pc ADDR] [--memory MB] [--max-steps N]\n' +
  '                         [--dump ADDR:LEN]... [--machine ka655|vax780] [--json]'

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

/**
 * `vax run`: loads a raw image into physical memory, starts in the MicroVAX 3900 reset
 * state (registers 0, PSL 041F0000) and runs until a kernel-mode HALT or --max-steps.
 */
export function runCommand(
  argv: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
): number {
  const args = parseArgs(
    argv,
    ['--base', '--pc', '--memory', '--max-steps', '--dump', '--machine'],
    ['--json'],
  )
  const [image, ...extra] = args.positional
  if (image === undefined) throw new UsageError('IMAGE.bin is required')
  if (extra.length > 0) throw new UsageError(`unexpected argument ${extra[0]}`)
  const one = (name: string) => {
    const values = args.options.get(name)
    if (values && values.length > 1) throw new UsageError(`${name} given more than once`)
    return values?.[0]
  }
  const base = parseNumber(one('--base') ?? '0x1000', '--base')
  const pc = parseNumber(one('--pc') ?? String(base), '--pc')
  const megabytes = parseNumber(one('--memory') ?? '16', '--memory')
  if (megabytes < 1 || megabytes > 512) throw new UsageError('--memory must be 1 to 512 (MB)')
  const maxSteps =
    one('--max-steps') === undefined
      ? Number.POSITIVE_INFINITY
      : parseNumber(one('--max-steps') as string, '--max-steps')
  const machine = one('--machine') ?? 'ka655'
  if (machine !== 'ka655' && machine !== 'vax780')
    throw new UsageError("--machine must be 'ka655' or 'vax780'")
  const dumps = (args.options.get('--dump') ?? []).map((spec) => {
    const [a, l, ...more] = spec.split(':')
    if (a === undefined || l === undefined || more.length > 0)
      throw new UsageError(`--dump ${spec}: expected ADDR:LEN`)
    return { address: parseNumber(a, '--dump'), length: parseNumber(l, '--dump') }
  })
  const json = args.flags.has('--json')

  let bytes: Uint8Array
  try {
    bytes = readFileSync(image)
  } catch (e) {
    throw new UsageError(`cannot read ${image}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
  const memory = new PhysicalMemory(megabytes * 1024 * 1024)
  if (base + bytes.length > memory.size) {
    throw new UsageError(
      `the image (${bytes.length} bytes at 0x${base.toString(16)}) does not fit in ${megabytes} MB`,
    )
  }
  memory.load(base, bytes)
  const cpu = new Cpu(memory, machine === 'ka655' ? KA655 : VAX780)
  MemoryManagement.attach(cpu)
  cpu.reset(pc)
  // Console output (TXDB) goes to stdout, or to stderr when stdout carries the JSON.
  cpu.consoleOutput = (c) => (json ? err : out)(String.fromCharCode(c))
  const result = cpu.run(maxSteps)

  const dump: Record<string, string> = {}
  for (const d of dumps) {
    const key = `0x${d.address.toString(16)}`
    const end = Math.min(d.address + d.length, memory.size)
    dump[key] = Buffer.from(memory.bytes.subarray(Math.min(d.address, end), end)).toString('hex')
  }
  const report: RunReport = {
    halted: result.reason,
    pc: cpu.pc >>> 0,
    psl: cpu.fullPsl,
    r: Array.from(cpu.r, (v) => v >>> 0),
    steps: result.steps,
    dump,
    ...(result.reason === 'error' ? { error: result.detail } : {}),
  }
  if (json) out(`${JSON.stringify(report)}\n`)
  else {
    const hex = (v: number) => v.toString(16).toUpperCase().padStart(8, '0')
    const what =
      result.reason === 'HALT'
        ? 'HALT instruction'
        : result.reason === 'max-steps'
          ? 'step limit reached'
          : `stopped: ${result.detail}`
    out(`${what}, PC: ${hex(report.pc)}, PSL: ${hex(report.psl)}, ${result.steps} instructions\n`)
    for (let i = 0; i < 16; i += 4) {
      out(
        `${[0, 1, 2, 3].map((k) => `${`R${i + k}`.padStart(3)}=${hex(report.r[i + k] ?? 0)}`).join('  ')}\n`,
      )
    }
    for (const [address, value] of Object.entries(dump)) out(`${address}: ${value}\n`)
  }
  return 0
}
