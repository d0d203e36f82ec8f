import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { serveWebView, type WebViewServer } from '@vax-vms/web'
import { SS } from '@vms/contracts'
import { type LockDatabaseSnapshot, lockManagerSubsystem } from '@vms/lock'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VmsSystem } from './executive'
import { EXAMPLES_DIRECTORY } from './programs'
import { SystemWebSource } from './web-source'

/**
 * The web view (issue 21, @vax-vms/web) over the real system, in Debian's Chromium: an
 * example program is stepped one scheduler event at a time, and the page shows it go
 * from COM to CUR to LEF (book 10.2-10.4), its terminal write as an IRP on OPA0: (18.5),
 * and its PCB's pool block allocated and freed (3.2). The page's bundle is apps/web's
 * build (`pnpm test` builds first).
 */
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const BUNDLE = fileURLToPath(new URL('../../web/dist/client/app.js', import.meta.url))
const ready = existsSync(CHROMIUM) && existsSync(BUNDLE)
if (!ready) console.warn(`web view tests skipped: need ${CHROMIUM} and the built page (${BUNDLE})`)

describe.skipIf(!ready)('the web view of the running system, in Chromium', () => {
  let browser: Browser
  let page: Page
  let server: WebViewServer
  const commands: string[] = []
  let source: SystemWebSource
  let locks: { snapshot(): LockDatabaseSnapshot } | undefined
  const system = new VmsSystem({
    output: (text) => source.output(text),
    subsystems: [lockManagerSubsystem({ onReady: (database) => (locks = database) })],
  })
  source = new SystemWebSource(
    system,
    { command: (line) => commands.push(line), interrupt: () => {} },
    () => (locks as { snapshot(): LockDatabaseSnapshot }).snapshot(),
  )
  const pidText = (pid: number) => pid.toString(16).toUpperCase().padStart(8, '0')

  /** Waits until the element with `testid` shows `text`. */
  const seeText = (testid: string, text: string) =>
    page
      .locator(`[data-testid="${testid}"]`)
      .filter({ hasText: text })
      .first()
      .waitFor({ state: 'attached', timeout: 15_000 })

  /** Steps to the next scheduler event until `test` holds (at most 50 events). */
  const stepUntil = (test: () => boolean) => {
    for (let i = 0; i < 50 && !test(); i++) source.step('event')
    expect(test()).toBe(true)
  }

  beforeAll(async () => {
    server = await serveWebView(source)
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] })
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    await page.goto(server.url)
    await seeText('connection', 'connected')
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('a process goes COM, then CUR, then LEF waiting for its timer, and the page follows', async () => {
    source.pause()
    const source_ = readFileSync(`${EXAMPLES_DIRECTORY}/timer.mar`, 'utf8')
    const created = system.createProcess('TIMER', source_, 4)
    expect(created.status).toBe(SS.NORMAL)
    const pid = created.pid as number
    const id = pidText(pid)
    const state = () => source.snapshot().processes.find((p) => p.pid === pid)?.state
    await seeText(`process-state-${id}`, 'COM')
    stepUntil(() => state() === 'CUR')
    await seeText(`process-state-${id}`, 'CUR')
    stepUntil(() => state() === 'LEF')
    await seeText(`process-state-${id}`, 'LEF')
  }, 60_000)

  it('its terminal write appears as an IRP on OPA0: and completes; its pool block is freed at exit', async () => {
    const pid = (source.snapshot().processes.find((p) => p.name === 'TIMER')?.pid ?? 0) as number
    const irpOn = () =>
      source.snapshot().devices.find((d) => d.name.includes('OPA0'))?.irps[0]?.address
    const blocks = () => source.snapshot().pool.blocks.map((b) => b.address)
    const before = blocks()
    stepUntil(() => irpOn() !== undefined)
    const irp = irpOn() as number
    const pageHex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0')
    const irpRow = page.locator(`[data-testid="irp-${pageHex(irp)}"]`)
    await irpRow.waitFor({ state: 'attached', timeout: 15_000 })
    // TIMER's PCB, the one PCB in pool (book 3.1: the software PCB is nonpaged pool).
    const pcbs = source.snapshot().pool.blocks.filter((b) => b.type === 'PCB')
    expect(pcbs.length).toBe(1)
    const freed = (pcbs[0] as { address: number }).address
    expect(before).toContain(freed)
    const blockRow = page.locator(`[data-testid="pool-block-${pageHex(freed)}"]`)
    await blockRow.waitFor({ state: 'attached', timeout: 15_000 })
    await page.screenshot({ path: fileURLToPath(new URL('../docs/web-view.png', import.meta.url)) })
    source.resume()
    system.run(5_000_000)
    expect(system.exists(pid)).toBe(false)
    const after = blocks()
    expect(after).not.toContain(freed) // its PCB went back to pool
    // The page sees the IRP complete and the block freed.
    await irpRow.waitFor({ state: 'detached', timeout: 15_000 })
    await blockRow.waitFor({ state: 'detached', timeout: 15_000 })
    await seeText('terminal', 'timer expired')
  }, 60_000)

  it('a timer AST is queued to ASTS (its ACB on the page) and then delivered (book 7.2, 7.5)', async () => {
    source.pause()
    const created = system.createProcess(
      'ASTS',
      readFileSync(`${EXAMPLES_DIRECTORY}/asts.mar`, 'utf8'),
      4,
    )
    const pid = created.pid as number
    const id = pidText(pid)
    const queued = () =>
      source
        .snapshot()
        .processes.find((p) => p.pid === pid)
        ?.asts.find((a) => a.mode === 'user')
    stepUntil(() => queued() !== undefined)
    expect(queued()?.parameter).toBe(7) // the timer's request identification (REQIDT)
    await seeText(`acb-${id}-0`, 'user')
    stepUntil(() => queued() === undefined)
    await page
      .locator(`[data-testid="ast-queue-${id}"]`)
      .waitFor({ state: 'detached', timeout: 15_000 })
    source.resume()
    system.run(5_000_000)
    expect(system.exists(pid)).toBe(false)
  }, 60_000)

  it("HOLDER's EX lock on PRINTER shows in the lock database, granted, then goes (book 13.1)", async () => {
    const created = system.createProcess(
      'HOLDER',
      readFileSync(`${EXAMPLES_DIRECTORY}/holder.mar`, 'utf8'),
      4,
    )
    const pid = created.pid as number
    system.run(2_000_000) // it takes the lock and hibernates
    const printer = () => source.snapshot().locks.find((r) => r.name === 'PRINTER')
    expect(printer()?.granted).toEqual([expect.objectContaining({ pid, mode: 'EX' })])
    await seeText('resource-PRINTER', 'EX')
    system.stopProcess(pid)
    expect(printer()).toBeUndefined()
    await page
      .locator('[data-testid="resource-PRINTER"]')
      .waitFor({ state: 'detached', timeout: 15_000 })
  }, 60_000)

  it('a line typed on the page goes to the command interpreter', async () => {
    await page.locator('[data-testid="terminal"]').click()
    await page.keyboard.type('SHOW SYSTEM')
    await page.keyboard.press('Enter')
    for (let i = 0; i < 100 && commands.length === 0; i++)
      await new Promise((r) => setTimeout(r, 50))
    expect(commands).toEqual(['SHOW SYSTEM'])
  }, 30_000)
})

describe.skipIf(!existsSync(BUNDLE))('vms --web and the WEB command (docs/command-line.md)', () => {
  const MAIN = ['--conditions=@vax-vms/source', '--import', 'tsx', 'apps/system/src/main.ts']
  const root = fileURLToPath(new URL('../../..', import.meta.url))

  it('serves the page on the loopback address and says where; WEB again says the same', async () => {
    const child = spawn(process.execPath, [...MAIN, '--web'], { cwd: root })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    try {
      for (let i = 0; i < 400 && !/web view is at (\S+)/.test(out); i++)
        await new Promise((r) => setTimeout(r, 50))
      const url = /web view is at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1]
      expect(url, out).toBeDefined()
      const page = await fetch(url as string)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<script')
      child.stdin.write('WEB\n')
      for (let i = 0; i < 200 && out.split('web view is at').length < 3; i++)
        await new Promise((r) => setTimeout(r, 50))
      expect(out.split(`web view is at ${url}`).length).toBe(3)
      child.stdin.write('EXIT\n')
      await new Promise((r) => child.on('exit', r))
    } finally {
      child.kill()
    }
  }, 60_000)

  it('refuses --port without --web, and a port that is not a number, with the usage', async () => {
    for (const args of [
      ['--port', '80'],
      ['--web', '--port', 'http'],
    ]) {
      const r = await new Promise<{ code: number | null; err: string }>((done) => {
        const child = spawn(process.execPath, [...MAIN, ...args], { cwd: root })
        let err = ''
        child.stderr.on('data', (c: Buffer) => {
          err += c.toString()
        })
        child.on('exit', (code) => done({ code, err }))
      })
      expect(r.code).toBe(2)
      expect(r.err).toContain('usage: vms')
    }
  }, 60_000)
})
