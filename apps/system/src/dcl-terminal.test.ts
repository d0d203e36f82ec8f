import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The interactive console on a real pseudo-terminal (util-linux `script` gives the child
 * one): command recall, CTRL/T, CTRL/Y, CTRL/C, CONTINUE and EXIT, typed as a person
 * types them. The child runs main.ts from source and never blocks the test worker.
 */
const root = resolve(import.meta.dirname, '../../..')
const MAIN = 'node --conditions=@vax-vms/source --import tsx apps/system/src/main.ts'
const haveScript = spawnSync('script', ['--version']).status === 0
/** readline's prompt on an xterm: the line cleared, then `$ `. */
const PROMPT = new RegExp(`${String.fromCharCode(27)}\\[0J\\$ `)
const SPIN = '        .ENTRY  start,^M<>\n10$:    BRB     10$\n        .END    start\n'

describe('the console on a terminal (DCL: command recall, CTRL/T, CTRL/Y, CTRL/C)', () => {
  it.skipIf(!haveScript)(
    'up-arrow recalls a command; CTRL/T shows the image; CTRL/Y and CTRL/C interrupt it',
    async () => {
      const directory = mkdtempSync(join(tmpdir(), 'vms-pty-'))
      writeFileSync(join(directory, 'spin.mar'), SPIN)
      const child = spawn('script', ['-qfec', MAIN, '/dev/null'], {
        cwd: root,
        env: { ...process.env, INIT_CWD: directory, TERM: 'xterm' },
      })
      const exited = new Promise<number | null>((r) => child.on('exit', r))
      let out = ''
      child.stdout.on('data', (d: Buffer) => (out += d.toString()))
      /** Waits until the output after `from` matches; returns where the match ends. */
      const until = async (pattern: RegExp, from = 0): Promise<number> => {
        for (let i = 0; i < 200; i++) {
          const m = pattern.exec(out.slice(from))
          if (m !== null) return from + m.index + m[0].length
          await new Promise((r) => setTimeout(r, 50))
        }
        throw new Error(
          `no ${pattern} in ${JSON.stringify(out.slice(from))} (all: ${JSON.stringify(out)})`,
        )
      }
      const type = (text: string) => child.stdin.write(text)
      try {
        // Nothing is typed before the console has its terminal in raw mode (the banner).
        let at = await until(/Type HELP for commands\.[\s\S]*?\$ /)
        type('N = 1\r')
        at = await until(PROMPT, at)
        type('N = N + 1\r')
        at = await until(PROMPT, at)
        type('\x1b[A') // up-arrow: N = N + 1 again
        at = await until(/N = N \+ 1/, at)
        type('\r')
        at = await until(PROMPT, at)
        type('WRITE SYS$OUTPUT "N IS ", N\r')
        at = await until(/N IS 3/, at)
        at = await until(PROMPT, at)
        type('\x14') // CTRL/T at the prompt
        at = await until(/VAXVMS::SYSTEM \d\d:\d\d:\d\d \(DCL\)/, at)
        type('RUN spin\r')
        await new Promise((r) => setTimeout(r, 700))
        type('\x14') // CTRL/T while SPIN runs
        at = await until(
          /VAXVMS::SYSTEM \d\d:\d\d:\d\d SPIN CPU=\d\d:\d\d:\d\d\.\d\d PF=0 IO=0 MEM=\d+/,
          at,
        )
        type('\x19') // CTRL/Y
        at = await until(/Interrupt/, at)
        type('SHOW SYSTEM\r')
        at = await until(/SPIN +SUSP/, at)
        type('CONTINUE\r')
        await new Promise((r) => setTimeout(r, 300))
        type('\x03') // CTRL/C
        at = await until(/Interrupt/, at)
        type('STOP\r')
        at = await until(PROMPT, at)
        type('EXIT\r')
        await until(/SYSTEM SHUTDOWN COMPLETE/, at)
        child.stdin.end()
        expect(await exited).toBe(0)
      } finally {
        child.kill()
      }
    },
    60_000,
  )
})
