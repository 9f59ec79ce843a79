#!/usr/bin/env node
// Entry point of the `sessionscope` command: runs the built CLI (npm run build makes it).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/electron/cli.mjs', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('sessionscope: not built yet; run "npm run build" first\n');
  process.exit(2);
}
await import(cli);
