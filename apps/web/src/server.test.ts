import { request } from 'node:http'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import type { ServerMessage } from './protocol'
import { serveWebView, type WebViewServer } from './server'
import { ensureClientBundle } from './testing/bundle'
import { ScriptedSource } from './testing/scripted-source'

beforeAll(ensureClientBundle, 60_000)

const servers: WebViewServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function serve(source = new ScriptedSource(), options = {}) {
  const server = await serveWebView(source, { intervalMs: 20, ...options })
  servers.push(server)
  return { source, server, url: new URL(server.url) }
}

/** A raw HTTP GET, so that paths and Host headers go out exactly as written. */
function get(url: URL, path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path,
          method,
          headers: { host: url.host, ...headers },
        },
        (res) => {
          let body = ''
          res.on('data', (chunk) => {
            body += chunk
          })
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
        },
      )
      req.on('error', reject)
      req.end()
    },
  )
}

/** A page's WebSocket: every message it received, and a way to wait for the next one that matches. */
async function connect(url: URL) {
  const socket = new WebSocket(`ws://${url.host}/ws`, { origin: `http://${url.host}` })
  const messages: ServerMessage[] = []
  const waiting: { test: (m: ServerMessage) => boolean; resolve: (m: ServerMessage) => void }[] = []
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as ServerMessage
    const w = waiting.find((w) => w.test(message))
    if (w === undefined) messages.push(message)
    else {
      waiting.splice(waiting.indexOf(w), 1)
      w.resolve(message)
    }
  })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  const next = <T extends ServerMessage['type']>(
    type: T,
    test: (m: Extract<ServerMessage, { type: T }>) => boolean = () => true,
  ) =>
    new Promise<Extract<ServerMessage, { type: T }>>((resolve) => {
      const match = (m: ServerMessage) =>
        m.type === type && test(m as Extract<ServerMessage, { type: T }>)
      const seen = messages.find(match)
      if (seen !== undefined) {
        messages.splice(messages.indexOf(seen), 1)
        resolve(seen as Extract<ServerMessage, { type: T }>)
      } else waiting.push({ test: match, resolve: resolve as (m: ServerMessage) => void })
    })
  const send = (message: unknown) =>
    socket.send(typeof message === 'string' ? message : JSON.stringify(message))
  return { socket, messages, next, send }
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('serveWebView: HTTP', () => {
  it('listens on the loopback address unless told otherwise', async () => {
    const { server } = await serve()
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
  })

  it('serves the page, its bundle and the book page, with a strict content security policy', async () => {
    const { url } = await serve()
    const page = await get(url, '/')
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect(page.body).toContain('<div id="app">')
    expect((await get(url, '/app.js')).status).toBe(200)
    const book = await get(url, '/book')
    expect(book.body).toContain('10.3 Process Scheduling States')
  })

  it.each([
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/app.js/../../../../etc/passwd',
    '/..%2f..%2fetc%2fpasswd',
    '//etc/passwd',
    '/package.json',
    '/src/server.ts',
    '/client/app.js',
  ])('answers 404 for %s: no request path reaches the file system', async (path) => {
    const { url } = await serve()
    const reply = await get(url, path)
    expect(reply.status).toBe(404)
    expect(reply.body).not.toContain('root:')
  })

  it('refuses methods other than GET and HEAD', async () => {
    const { url } = await serve()
    expect((await get(url, '/', {}, 'POST')).status).toBe(405)
    expect((await get(url, '/', {}, 'HEAD')).status).toBe(200)
  })

  it('refuses a Host it does not listen under (DNS rebinding)', async () => {
    const { url } = await serve()
    expect((await get(url, '/', { host: `evil.example:${url.port}` })).status).toBe(421)
    expect((await get(url, '/', { host: `localhost:${url.port}` })).status).toBe(200)
  })
})

describe('serveWebView: the WebSocket', () => {
  it('accepts a WebSocket only from its own page', async () => {
    const { url } = await serve()
    for (const origin of ['http://evil.example', undefined]) {
      const socket = new WebSocket(`ws://${url.host}/ws`, origin === undefined ? {} : { origin })
      const status = await new Promise<number>((resolve) => {
        socket.on('unexpected-response', (_, res) => resolve(res.statusCode ?? 0))
        socket.on('open', () => resolve(101))
        socket.on('error', () => resolve(-1))
      })
      expect(status).toBe(403)
    }
  })

  it('sends the status and a whole snapshot when a page connects', async () => {
    const { url, source } = await serve()
    const page = await connect(url)
    const status = await page.next('status')
    expect(status.paused).toBe(false)
    const view = await page.next('view')
    expect(view.full && view.live).toBe(true)
    expect(view.parts).toEqual(JSON.parse(JSON.stringify(source.snapshot())))
    page.socket.close()
  })

  it('sends a page that connects one whole snapshot, then nothing while nothing changes', async () => {
    const { url } = await serve()
    const page = await connect(url)
    await page.next('view')
    await settle(100)
    expect(page.messages.filter((m) => m.type === 'view')).toEqual([])
    page.socket.close()
  })

  it('does not look at the system while no page is open', async () => {
    const source = new ScriptedSource()
    let looks = 0
    const snapshot = source.snapshot.bind(source)
    source.snapshot = () => {
      looks++
      return snapshot()
    }
    await serve(source)
    await settle(100)
    expect(looks).toBe(0)
  })

  it('refuses unknown or malformed messages and changes nothing', async () => {
    const { url, source } = await serve()
    const page = await connect(url)
    await page.next('view')
    const before = JSON.stringify([source.snapshot(), source.inputs, source.steps, source.paused()])
    for (const bad of [
      { type: 'readFile', path: '/etc/passwd' },
      { type: 'input', text: 'x', extra: 1 },
      { type: 'step', unit: 'forever' },
      'not json',
    ]) {
      page.send(bad)
      const error = await page.next('error')
      expect(error.message).not.toBe('')
    }
    page.socket.send(Buffer.from([1, 2, 3]), { binary: true })
    await page.next('error')
    expect(JSON.stringify([source.snapshot(), source.inputs, source.steps, source.paused()])).toBe(
      before,
    )
    page.socket.close()
  })

  it('passes console input and interrupts to the system, and its output back', async () => {
    const { url, source } = await serve()
    const page = await connect(url)
    await page.next('view')
    page.send({ type: 'input', text: 'SHOW TIME\r' })
    page.send({ type: 'interrupt', key: 'Y' })
    const output = await page.next('output')
    expect(output.text).toBe('SHOW TIME\r\n')
    expect(source.inputs).toEqual(['SHOW TIME\r'])
    await settle(10)
    expect(source.interrupts).toEqual(['Y'])
    page.socket.close()
  })

  it('replays recent console output to a page that connects later', async () => {
    const { url, source } = await serve()
    source.print('Welcome to VAX/VMS\r\n')
    const page = await connect(url)
    expect((await page.next('output')).text).toBe('Welcome to VAX/VMS\r\n')
    page.socket.close()
  })

  it('pauses, steps by event (COM -> CUR, book 10.3) and resumes', async () => {
    const { url, source } = await serve()
    const page = await connect(url)
    await page.next('view')
    page.send({ type: 'pause' })
    expect((await page.next('status', (s) => s.paused)).paused).toBe(true)
    page.send({ type: 'step', unit: 'event' })
    const view = await page.next('view', (v) => v.parts.processes !== undefined && !v.full)
    expect(view.parts.processes?.find((p) => p.pid === 0x21)?.state).toBe('CUR')
    expect(source.steps).toEqual(['event'])
    page.send({ type: 'resume' })
    expect((await page.next('status', (s) => !s.paused)).paused).toBe(false)
    page.socket.close()
  })

  it('coalesces: many changes between two looks make one message; no change makes none', async () => {
    const { url, source } = await serve(new ScriptedSource(), { intervalMs: 30 })
    source.load(10)
    const page = await connect(url)
    await page.next('view')
    await settle(100)
    page.messages.length = 0
    for (let i = 0; i < 100; i++) source.decay()
    const view = await page.next('view')
    expect(view.parts.time).toBe(1000)
    await settle(150)
    expect(page.messages.filter((m) => m.type === 'view')).toEqual([])
    page.socket.close()
  })

  it('sends only the sections that changed', async () => {
    const { url, source } = await serve()
    const page = await connect(url)
    await page.next('view')
    source.pause()
    source.step('event') // COM -> CUR
    source.step('event') // $QIO: an IRP, from pool, on VDA0:
    const view = await page.next('view')
    expect(view.full).toBe(false)
    expect(Object.keys(view.parts).sort()).toEqual([
      'devices',
      'instructions',
      'locks',
      'pool',
      'processes',
      'time',
    ])
    page.socket.close()
  })

  it('keeps a bounded history and shows a past entry until the page returns to live', async () => {
    const { url, source } = await serve(new ScriptedSource(), { historyLimit: 3 })
    const page = await connect(url)
    await page.next('view')
    page.send({ type: 'pause' })
    for (let i = 0; i < 4; i++) page.send({ type: 'step', unit: 'event' })
    const status = await page.next('status', (s) => s.last - s.first === 2 && s.last === 4)
    page.send({ type: 'history', seq: status.first - 1 })
    expect((await page.next('error')).message).toContain('not held')
    page.send({ type: 'history', seq: status.first })
    const past = await page.next('view', (v) => !v.live)
    expect(past.full).toBe(true)
    expect(past.seq).toBe(2)
    expect(past.parts.devices?.[0]?.irps).toHaveLength(1) // stage 2: the IRP in flight
    page.messages.length = 0
    source.step('instruction')
    await settle(60)
    expect(page.messages.filter((m) => m.type === 'view')).toEqual([]) // no live view meanwhile
    page.send({ type: 'history', seq: null })
    const live = await page.next('view', (v) => v.live)
    expect(live.full).toBe(true)
    expect(live.parts.devices?.[0]?.irps).toHaveLength(0)
    page.socket.close()
  })
})
