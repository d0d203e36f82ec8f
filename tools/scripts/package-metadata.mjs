// Sets the publishing metadata every package needs (repository, homepage, bugs) and
// copies the root LICENSE into each package, so that npm puts it in the tarball.
//   node tools/scripts/package-metadata.mjs [packages/NAME ...]
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const REPOSITORY = 'https://github.com/vax-vms/vax-vms'
const root = resolve(import.meta.dirname, '../..')
const dirs =
  process.argv.slice(2).length > 0
    ? process.argv.slice(2)
    : readdirSync(join(root, 'packages')).map((d) => `packages/${d}`)
for (const dir of dirs) {
  const file = join(root, dir, 'package.json')
  const manifest = JSON.parse(readFileSync(file, 'utf8'))
  manifest.repository = { type: 'git', url: `git+${REPOSITORY}.git`, directory: dir }
  manifest.homepage = `${REPOSITORY}/tree/main/${dir}#readme`
  manifest.bugs = `${REPOSITORY}/issues`
  // Keep the usual key order: the new keys after "license".
  const ordered = {}
  for (const [key, value] of Object.entries(manifest)) {
    if (['repository', 'homepage', 'bugs'].includes(key)) continue
    ordered[key] = value
    if (key === 'license')
      Object.assign(ordered, {
        repository: manifest.repository,
        homepage: manifest.homepage,
        bugs: manifest.bugs,
      })
  }
  writeFileSync(file, `${JSON.stringify(ordered, null, 2)}\n`)
  copyFileSync(join(root, 'LICENSE'), join(root, dir, 'LICENSE'))
  console.log(`${dir}: repository, homepage, bugs, LICENSE`)
}
