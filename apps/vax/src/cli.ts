import { main } from './main'

// A reader that goes away (`vax disasm big.bin | head`) ends the output, quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw e
  })
}

process.exitCode = await main(process.argv.slice(2))
