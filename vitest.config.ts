import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { defineConfig } from 'vitest/config'

/**
 * Tests run against each workspace package's TypeScript source, so a test run needs no
 * build: every `@scope/name` found under packages/ and apps/ is aliased to its src/index.ts.
 */
function workspaceSourceAliases(): Record<string, string> {
  const alias: Record<string, string> = {}
  for (const group of ['packages', 'apps']) {
    const root = resolve(import.meta.dirname, group)
    if (!existsSync(root)) continue
    for (const dir of readdirSync(root)) {
      const manifest = join(root, dir, 'package.json')
      const entry = join(root, dir, 'src', 'index.ts')
      if (!existsSync(manifest) || !existsSync(entry)) continue
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }
      alias[name] = entry
    }
  }
  return alias
}

export default defineConfig({
  resolve: { alias: workspaceSourceAliases() },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'tools/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    reporters: ['default', './tools/vitest/summary-reporter.ts'],
    testTimeout: 60_000,
  },
})
