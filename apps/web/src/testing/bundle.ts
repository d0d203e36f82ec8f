import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'tsup'
import configs from '../../tsup.config'

const root = fileURLToPath(new URL('../../', import.meta.url))
const bundle = join(root, 'dist/client/app.js')
const lock = join(root, 'dist/.client-build-lock')

function newestSource(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs)
  }
  return newest
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Makes sure dist/client holds a page bundle built from the current sources, building it
 * (as `tsup` would) when it is missing or older than src/. Test files running at once in
 * several workers take turns through a lock directory.
 */
export async function ensureClientBundle(): Promise<void> {
  const fresh = () =>
    existsSync(bundle) && statSync(bundle).mtimeMs >= newestSource(join(root, 'src'))
  if (fresh()) return
  mkdirSync(join(root, 'dist'), { recursive: true })
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 60_000)
        rmSync(lock, { recursive: true, force: true })
      await sleep(100)
      if (fresh()) return
    }
  }
  try {
    const client = Array.isArray(configs) ? configs[1] : undefined
    if (client === undefined || typeof client === 'function')
      throw new Error('no client build in tsup.config.ts')
    await build({
      ...client,
      config: false,
      silent: true,
      clean: false,
      outDir: join(root, 'dist/client'),
      entry: { app: join(root, 'src/client/main.tsx') },
    })
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}
