import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

/**
 * Every package README has an "## Example" section whose first ```ts block must run
 * as written: it is extracted into the package folder and executed with tsx, resolving
 * workspace packages to their sources. What the example promises to print is written
 * in it as `// prints: TEXT` comments: each TEXT must be a whole line of its output, in
 * the order the comments appear, and every example promises at least one line.
 */
const root = resolve(import.meta.dirname, '..')
const readmes = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))

/** The lines an example's `// prints:` comments promise, in order. */
function promisedLines(code: string): string[] {
  return [...code.matchAll(/\/\/ prints: (.*)$/gm)].map((m) => (m[1] as string).trimEnd())
}

/** The promised lines not found, in order, among the output's lines. */
function missingLines(output: string, promised: readonly string[]): string[] {
  const lines = output.split('\n').map((l) => l.trimEnd())
  let at = 0
  const missing: string[] = []
  for (const line of promised) {
    const found = lines.indexOf(line, at)
    if (found < 0) missing.push(line)
    else at = found + 1
  }
  return missing
}

describe('package README examples run and print what their comments promise', () => {
  it.each(readmes.map((dir) => [dir.slice(root.length + 1), dir]))('%s', async (_name, dir) => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8')
    const section = readme.split(/^## Example\s*$/m)[1]
    expect(section, 'README has an "## Example" section').toBeDefined()
    const code = /```ts\n([\s\S]*?)```/.exec(section ?? '')?.[1]
    expect(code, 'the example has a ```ts block').toBeDefined()
    const promised = promisedLines(code ?? '')
    expect(
      promised.length,
      'the example promises its output with // prints: comments',
    ).toBeGreaterThan(0)
    const file = join(dir, `.readme-example-${process.pid}.ts`)
    writeFileSync(file, code ?? '')
    try {
      // Run in a child process without blocking this worker's event loop.
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--conditions=@vax-vms/source', '--import', 'tsx', file],
        { cwd: dir, timeout: 30_000 },
      )
      expect(missingLines(stdout, promised), `output was:\n${stdout}`).toEqual([])
    } finally {
      rmSync(file, { force: true })
    }
  })
})

describe('the // prints: check itself', () => {
  it('finds promised lines in order and reports those missing or out of order', () => {
    const promised = promisedLines('console.log(1) // prints: 1\nconsole.log(2) // prints: two')
    expect(promised).toEqual(['1', 'two'])
    expect(missingLines('1\ntwo\n', promised)).toEqual([])
    expect(missingLines('two\n1\n', promised)).toEqual(['two'])
    expect(missingLines('1\ntwo words\n', promised)).toEqual(['two'])
  })
})
