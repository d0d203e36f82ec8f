import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { BOOK_SECTIONS } from './book'

/** One thing the server can send: its content type and bytes. */
export interface Asset {
  readonly type: string
  readonly body: Buffer
}

/**
 * The folders the bundled page may be in: next to the built module (dist/client), or,
 * when this runs from source, the package's dist/client.
 */
const CLIENT_DIRS = [
  new URL('./client/', import.meta.url),
  new URL('../dist/client/', import.meta.url),
]

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`)

function page(title: string, head: string, body: string): Buffer {
  return Buffer.from(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>${head}</head><body>${body}</body></html>`,
  )
}

function bookPage(): Buffer {
  const sections = Object.values(BOOK_SECTIONS)
    .map(
      (s) =>
        `<section id="${escapeHtml(s.id)}"><h2>${escapeHtml(s.id)} ${escapeHtml(s.title)}</h2><p>${escapeHtml(s.summary)}</p></section>`,
    )
    .join('')
  return page(
    'The book sections behind the web view',
    '<style>body{font:15px/1.5 system-ui,sans-serif;max-width:50em;margin:2em auto;padding:0 1em}section:target{background:#fff7d6}</style>',
    `<h1>Where each picture comes from</h1><p>Section numbers refer to <cite>VAX/VMS Internals and Data Structures</cite>, version 4.4; the last two are the DG/UX and AIX manual pages.</p>${sections}<p><a href="/">Back to the system</a></p>`,
  )
}

/**
 * Every path the server answers and what it sends, built once when the server starts. The
 * set is fixed: no path from a request ever reaches the file system.
 */
export function loadAssets(): ReadonlyMap<string, Asset> {
  const dir = CLIENT_DIRS.find((d) => existsSync(new URL('app.js', d)))
  const assets = new Map<string, Asset>()
  const html = (body: Buffer): Asset => ({ type: 'text/html; charset=utf-8', body })
  if (dir === undefined) {
    assets.set(
      '/',
      html(
        page(
          'VAX/VMS web view',
          '',
          '<p>The page bundle is not built: run <code>pnpm --filter @vax-vms/web build</code>.</p>',
        ),
      ),
    )
  } else {
    assets.set(
      '/',
      html(
        page(
          'VAX/VMS web view',
          '<link rel="stylesheet" href="/app.css"><script type="module" src="/app.js"></script>',
          '<div id="app"></div>',
        ),
      ),
    )
    assets.set('/app.js', {
      type: 'text/javascript; charset=utf-8',
      body: readFileSync(fileURLToPath(new URL('app.js', dir))),
    })
    const css = new URL('app.css', dir)
    assets.set('/app.css', {
      type: 'text/css; charset=utf-8',
      body: existsSync(css) ? readFileSync(fileURLToPath(css)) : Buffer.alloc(0),
    })
  }
  assets.set('/book', html(bookPage()))
  return assets
}
