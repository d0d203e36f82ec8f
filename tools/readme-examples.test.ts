import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * Every package README has an "## Example" section whose first ```ts block must run
 * as written: it is extracted into the package folder and executed with tsx, resolving
 * workspace packages to their sources.
 */
const root = resolve(import.meta.dirname, '..')
const readmes = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))

describe('package README examples run', () => {
  it.each(readmes.map((dir) => [dir.slice(root.length + 1), dir]))('%s', (_name, dir) => {
    const readme = readFileSync(join(dir, 'README.md'), 'utf8')
    const section = readme.split(/^## Example\s*$/m)[1]
    expect(section, 'README has an "## Example" section').toBeDefined()
    const code = /```ts\n([\s\S]*?)```/.exec(section ?? '')?.[1]
    expect(code, 'the example has a ```ts block').toBeDefined()
    const file = join(dir, `.readme-example-${process.pid}.ts`)
    writeFileSync(file, code ?? '')
    try {
      execFileSync(process.execPath, ['--conditions=@vax-vms/source', '--import', 'tsx', file], {
        cwd: dir,
        stdio: 'pipe',
        timeout: 30_000,
      })
    } finally {
      rmSync(file, { force: true })
    }
  })
})
