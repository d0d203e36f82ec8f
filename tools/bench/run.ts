/**
 * `pnpm bench`: runs every benchmark (packages/<name>/bench/*.bench.ts and
 * tools/bench/*.bench.ts, each with a default export that prints its own table). Figures go here, never into
 * timed unit tests.
 *
 *   pnpm bench            all benchmarks
 *   pnpm bench pool       only files whose path contains "pool"
 */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '../..')
const filter = process.argv[2] ?? ''
const files: string[] = []
for (const group of ['packages', 'apps']) {
  for (const pkg of readdirSync(join(root, group), { withFileTypes: true })) {
    if (!pkg.isDirectory()) continue
    const dir = join(root, group, pkg.name, 'bench')
    let entries: string[] = []
    try {
      entries = readdirSync(dir)
    } catch {
      continue
    }
    for (const f of entries) if (f.endsWith('.bench.ts')) files.push(join(dir, f))
  }
}
for (const f of readdirSync(import.meta.dirname))
  if (f.endsWith('.bench.ts')) files.push(join(import.meta.dirname, f))
const selected = files.filter((f) => f.includes(filter)).sort()
if (selected.length === 0) {
  console.error(`no benchmark matches "${filter}"`)
  process.exit(1)
}
// Each benchmark runs in a process of its own, so that what the JIT learned from one
// (call sites made polymorphic by another package's use of the CPU) does not slow the
// next: a figure does not depend on which benchmarks ran before it.
const child = process.argv[3] === '--one'
if (child) {
  const mod = (await import(pathToFileURL(filter).href)) as { default: () => void | Promise<void> }
  await mod.default()
} else {
  console.log(`node ${process.version}, ${new Date().toISOString()}`)
  for (const file of selected) {
    console.log('')
    const args = [...process.execArgv, import.meta.filename, file, '--one']
    const run = spawnSync(process.execPath, args, { stdio: 'inherit' })
    if (run.status !== 0) process.exitCode = run.status ?? 1
  }
}
