import { defineConfig } from 'tsup'

/**
 * Two builds: the server library (ESM + .d.ts, like every package) and the page, one
 * browser bundle with preact, xterm.js and TanStack Virtual inside, in dist/client where
 * the server finds it.
 */
export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: ['!client/**'],
    target: 'node20',
  },
  {
    entry: { app: 'src/client/main.tsx' },
    outDir: 'dist/client',
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    noExternal: [/.*/],
    minify: true,
    clean: true,
    esbuildOptions(options) {
      options.jsx = 'automatic'
      options.jsxImportSource = 'preact'
    },
  },
])
