/** The `vdm` command (see cli-main.ts): `vdm create|list|show|sync|fracture|throttle ... IMAGE...`. */
import { runCli } from './cli-main'

process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
})
