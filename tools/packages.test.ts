import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * Every publishable package can be published as it stands: a LICENSE in its tarball,
 * where its source and issues live, keywords of its own, one entry point, and a README
 * whose links all lead to files in this repository.
 */
const root = resolve(import.meta.dirname, '..')
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => join(root, 'packages', dir))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({
    dir,
    relative: dir.slice(root.length + 1),
    manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >,
  }))

/** The relative link targets of a Markdown file (web addresses and anchors left out). */
function localLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => (m[1] as string).split('#')[0] as string)
    .filter((target) => target !== '' && !/^[a-z]+:/i.test(target))
}

describe.each(packages.map((p) => [p.relative, p] as const))('%s is publishable', (_name, pkg) => {
  it('has a LICENSE (npm puts it in the tarball) and the MIT license in package.json', () => {
    expect(existsSync(join(pkg.dir, 'LICENSE'))).toBe(true)
    expect(readFileSync(join(pkg.dir, 'LICENSE'), 'utf8')).toMatch(/^MIT License/)
    expect(pkg.manifest.license).toBe('MIT')
  })

  it('says where its source, home page and issues are', () => {
    expect(pkg.manifest.repository).toMatchObject({ type: 'git', directory: pkg.relative })
    expect(pkg.manifest.homepage).toMatch(new RegExp(`${pkg.relative}#readme$`))
    expect(pkg.manifest.bugs).toMatch(/\/issues$/)
  })

  it('has keywords of its own', () => {
    const keywords = pkg.manifest.keywords as string[]
    expect(keywords.length).toBeGreaterThan(2)
    for (const other of packages) {
      if (other === pkg) continue
      expect(keywords, `same keywords as ${other.relative}`).not.toEqual(other.manifest.keywords)
    }
  })

  it('has one public entry, src/index.ts', () => {
    const exports = pkg.manifest.exports as Record<string, unknown>
    expect(
      Object.keys(exports).filter((k) => k !== './package.json' && k !== './internal/*'),
    ).toEqual(['.'])
    expect(existsSync(join(pkg.dir, 'src/index.ts'))).toBe(true)
  })

  it('links only to files that exist in the repository', () => {
    const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8')
    for (const target of localLinks(readme))
      expect(existsSync(resolve(pkg.dir, target)), `${target} in ${pkg.relative}/README.md`).toBe(
        true,
      )
    expect(readme).not.toMatch(/\.\.\/shared\//) // outside the repository
  })
})

it('the top-level and app READMEs link only to files that exist in the repository', () => {
  for (const readme of [
    'README.md',
    'apps/vax/README.md',
    'apps/system/README.md',
    'tools/README.md',
  ]) {
    const text = readFileSync(join(root, readme), 'utf8')
    for (const target of localLinks(text))
      expect(existsSync(resolve(root, dirname(readme), target)), `${target} in ${readme}`).toBe(
        true,
      )
  }
})
