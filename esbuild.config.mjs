// Builds everything that ships into dist/: the collector's command line (which also serves) and
// the benchmarks. `node esbuild.config.mjs` once; npm start / test / bench call it first.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });

const node = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

await build({
  ...node,
  entryPoints: { cli: 'server/cli.ts' },
  outdir: 'dist',
  banner: { js: '#!/usr/bin/env node' },
});

await build({
  ...node,
  entryPoints: ['bench/*.ts'],
  outdir: 'dist/bench',
});
