// Builds the Node side (CLI, workers, server, Electron main/preload, bench) with esbuild and,
// unless --node is given, the renderer with Vite. Output goes to dist/.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { buildId } from './buildId.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const quiet = args.has('--quiet');
const nodeOnly = args.has('--node') || args.has('--quiet');

const esmEntries = {
  'electron/cli': 'electron/cli.ts',
  'electron/importWorker': 'electron/ingest/importWorker.ts',
  'electron/rebuildWorker': 'electron/analysis/rebuildWorker.ts',
  'electron/detectWorker': 'electron/analysis/detectWorker.ts',
  'electron/scanWorker': 'electron/analysis/scanWorker.ts',
  'electron/verdictsWorker': 'electron/analysis/verdictsWorker.ts',
  'bench/bench': 'bench/bench.ts',
  'bench/detectBench': 'bench/detectBench.ts',
  'electron/generateDemo': 'electron/demo/generateDemoMain.ts',
};
const cjsEntries = {
  'electron/main': 'electron/main/main.ts',
  'electron/preload': 'electron/main/preload.ts',
};

const pick = (entries) =>
  Object.fromEntries(Object.entries(entries).filter(([, src]) => existsSync(path.join(root, src))));

// Both sides are built with it; browser mode's page compares the two (scripts/buildId.mjs).
const ids = buildId(root);
const define = {
  __SESSIONSCOPE_BUILD__: JSON.stringify(ids.id),
  __SESSIONSCOPE_VERSION__: JSON.stringify(ids.version),
};

const common = {
  define,
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  packages: 'external',
  logLevel: quiet ? 'error' : 'warning',
};

await build({
  ...common,
  entryPoints: pick(esmEntries),
  outdir: 'dist',
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  // Bundled ESM needs require() for the few CommonJS packages it loads lazily.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
});

const cjs = pick(cjsEntries);
if (Object.keys(cjs).length > 0) {
  await build({
    ...common,
    entryPoints: cjs,
    outdir: 'dist',
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
    // Shared modules probe import.meta.url and fall back to __dirname under CommonJS.
    logOverride: { 'empty-import-meta': 'silent' },
  });
}

if (!nodeOnly && existsSync(path.join(root, 'renderer/index.html'))) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({
    configFile: path.join(root, 'vite.config.ts'),
    define,
    logLevel: quiet ? 'error' : 'warn',
  });
}
