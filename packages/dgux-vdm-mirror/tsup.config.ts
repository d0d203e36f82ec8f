import { defineConfig } from 'tsup'

/**
 * The library (ESM + .d.ts from src/index.ts, as every package) and the `vdm` command
 * (src/cli.ts, an executable script).
 */
export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'node20',
  },
  {
    entry: ['src/cli.ts'],
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
])
