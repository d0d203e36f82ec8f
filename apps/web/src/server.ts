import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { type WebSocket, WebSocketServer } from 'ws'
import { type Asset, loadAssets } from './assets'
import { type HistoryEntry, SnapshotHistory, viewMessage } from './history'
import { type ClientMessage, parseClientMessage, type ServerMessage } from './protocol'
import type { WebViewSource } from './source'

export interface WebViewOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number
  /**
   * Address to listen on: the loopback address 127.0.0.1 unless told otherwise. Anything
   * else lets other machines watch the system and type at its console.
   */
  readonly host?: string
  /** How often the server looks at the system, in milliseconds (default 50). */
  readonly intervalMs?: number
  /** How many snapshots the time-travel slider can go back over (default 2000). */
  readonly historyLimit?: number
}

export interface WebViewServer {
  /** The page's address, `http://127.0.0.1:PORT/`. */
  readonly url: string
  close(): Promise<void>
}

/** The most a page may send in one WebSocket message. */
const MAX_MESSAGE = 64 * 1024
/** Console output kept for a page that connects later. */
const OUTPUT_BACKLOG = 64 * 1024
/** A page this far behind gets no snapshots until it catches up, then a whole one. */
const MAX_BUFFERED = 4 * 1024 * 1024

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

interface Page {
  readonly socket: WebSocket
  /** The history entry shown, or null when following the live system. */
  selected: number | null
  /** The last entry the page was sent, so the next one can be a diff. */
  has: HistoryEntry | undefined
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
}

/**
 * Serves the live web view of `source`: the page and its assets over HTTP, and snapshots,
 * console output and the page's controls over a WebSocket at `/ws`.
 *
 * While a page is open the server looks at the system every `intervalMs`, records each
 * snapshot that differs
 * from the last in a bounded history (the slider's trace), and sends each page that
 * follows the live system the sections that changed, at most one message per interval.
 * It answers only the Host names it listens under (so a DNS-rebound name is refused) and
 * accepts a WebSocket only from its own page's origin.
 */
export async function serveWebView(
  source: WebViewSource,
  options: WebViewOptions = {},
): Promise<WebViewServer> {
  const host = options.host ?? '127.0.0.1'
  const intervalMs = options.intervalMs ?? 50
  const history = new SnapshotHistory(options.historyLimit ?? 2000)
  const assets = loadAssets()
  const pages = new Set<Page>()
  let port = 0
  let output = ''
  let pendingOutput = ''
  let lastStatus = ''

  const hostAllowed = (header: string | undefined): boolean => {
    if (header === undefined) return false
    const match = /^(\[[^\]]*\]|[^:]+)(?::(\d+))?$/.exec(header)
    if (match === null || Number(match[2] ?? 80) !== port) return false
    const name = match[1]!.toLowerCase()
    return LOOPBACK.has(name) || name === host || name === `[${host}]` || !LOOPBACK.has(host)
  }

  const send = (page: Page, text: string) => {
    if (page.socket.readyState === page.socket.OPEN) page.socket.send(text)
  }
  const sendMessage = (page: Page, message: ServerMessage) => send(page, JSON.stringify(message))

  const sendView = (page: Page, entry: HistoryEntry, live: boolean) => {
    if (page.socket.bufferedAmount > MAX_BUFFERED) {
      page.has = undefined
      return
    }
    const base = live && page.has !== undefined && page.has.seq < entry.seq ? page.has : undefined
    send(page, viewMessage(entry, live, base))
    page.has = entry
  }

  const status = (): ServerMessage => ({
    type: 'status',
    paused: source.paused(),
    first: history.first,
    last: history.last,
  })

  /** Looks at the system; with no page open only when `force`d. */
  const tick = (force = false) => {
    if (pages.size === 0 && !force) return
    let entry: HistoryEntry | undefined
    try {
      entry = history.record(source.snapshot())
    } catch (error) {
      console.error('web view: snapshot failed', error)
      return
    }
    const now = JSON.stringify(status())
    if (now !== lastStatus) {
      lastStatus = now
      for (const page of pages) send(page, now)
    }
    if (entry === undefined) return
    for (const page of pages) if (page.selected === null) sendView(page, entry, true)
  }

  const flushOutput = () => {
    const text = pendingOutput
    pendingOutput = ''
    if (text === '') return
    const message = JSON.stringify({ type: 'output', text } satisfies ServerMessage)
    for (const page of pages) send(page, message)
  }

  const control = (page: Page, message: ClientMessage) => {
    switch (message.type) {
      case 'input':
        source.input(message.text)
        return
      case 'interrupt':
        source.interrupt(message.key)
        return
      case 'pause':
        source.pause()
        break
      case 'resume':
        source.resume()
        break
      case 'step':
        source.step(message.unit)
        break
      case 'history': {
        if (message.seq === null) {
          page.selected = null
          page.has = undefined
          const latest = history.latest
          if (latest !== undefined) sendView(page, latest, true)
          return
        }
        const entry = history.get(message.seq)
        if (entry === undefined) {
          sendMessage(page, { type: 'error', message: `history entry ${message.seq} is not held` })
          return
        }
        page.selected = entry.seq
        sendView(page, entry, false)
        return
      }
    }
    tick()
  }

  const connect = (socket: WebSocket) => {
    tick(true)
    const page: Page = { socket, selected: null, has: undefined }
    pages.add(page)
    socket.on('close', () => pages.delete(page))
    socket.on('error', () => pages.delete(page))
    socket.on('message', (data, isBinary) => {
      const parsed = isBinary
        ? ({ ok: false, reason: 'binary messages are not accepted' } as const)
        : parseClientMessage(data.toString())
      if (!parsed.ok) {
        sendMessage(page, { type: 'error', message: parsed.reason })
        return
      }
      try {
        control(page, parsed.message)
      } catch (error) {
        sendMessage(page, { type: 'error', message: `the system refused: ${String(error)}` })
      }
    })
    sendMessage(page, status())
    // output not yet flushed to the other pages reaches this one with them
    const backlog = output.slice(0, Math.max(0, output.length - pendingOutput.length))
    if (backlog !== '') sendMessage(page, { type: 'output', text: backlog })
    const latest = history.latest
    if (latest !== undefined) sendView(page, latest, true)
  }

  const unsubscribe = source.onOutput((text) => {
    output = (output + text).slice(-OUTPUT_BACKLOG)
    if (pendingOutput === '') setImmediate(flushOutput)
    pendingOutput += text
  })

  const respond = (request: IncomingMessage, response: ServerResponse) => {
    const reply = (code: number, asset?: Asset) => {
      response.writeHead(code, {
        ...SECURITY_HEADERS,
        'content-type': asset?.type ?? 'text/plain; charset=utf-8',
      })
      response.end(request.method === 'HEAD' ? undefined : (asset?.body ?? `${code}\n`))
    }
    if (!hostAllowed(request.headers.host)) return reply(421)
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405)
    const path = new URL(request.url ?? '/', 'http://host').pathname
    const asset = assets.get(path)
    return asset === undefined ? reply(404) : reply(200, asset)
  }

  const server = createServer(respond)
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE })
  sockets.on('connection', connect)
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const { host: hostHeader, origin } = request.headers
    const path = new URL(request.url ?? '/', 'http://host').pathname
    if (path !== '/ws' || !hostAllowed(hostHeader) || origin !== `http://${hostHeader}`) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n')
      return
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
  const timer = setInterval(() => tick(), intervalMs)
  timer.unref()

  const shown = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shown}:${port}/`,
    close: async () => {
      clearInterval(timer)
      unsubscribe()
      for (const page of pages) page.socket.terminate()
      pages.clear()
      await new Promise<void>((resolve) => sockets.close(() => resolve()))
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
