import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOOL_VERSION } from '../version.js';

function sha256(chunks: Iterable<string | Buffer>): string {
  const h = createHash('sha256');
  for (const c of chunks) h.update(c);
  return h.digest('hex');
}

/** Every file under `sources` (relative to this directory), in a fixed order, as path and bytes. */
function* sourceFiles(sources: readonly string[]): Generator<string | Buffer> {
  for (const rel of sources) {
    const root = fileURLToPath(new URL(rel, import.meta.url));
    const files = statSync(root).isDirectory()
      ? readdirSync(root, { recursive: true, encoding: 'utf8' })
          .map((f) => path.join(root, f))
          .filter((f) => statSync(f).isFile())
          .sort()
      : [root];
    for (const f of files) {
      yield `${rel}/${path.relative(root, f)}\0`;
      yield readFileSync(f);
    }
  }
}

/**
 * Which code derived something kept in a case, so that it is kept only while that code runs:
 * this version, and the bytes of the worker bundle that holds the code (`bundle`, the built
 * app) or, run from source (tests, a checkout), of its `sources` (paths relative to
 * electron/analysis). Null when neither can be read: nothing is then kept.
 */
export function codeIdentity(bundle: string | null, sources: readonly string[]): string | null {
  try {
    const code =
      bundle === null
        ? `source:${sha256(sourceFiles(sources))}`
        : `bundle:${sha256([readFileSync(bundle)])}`;
    return `${TOOL_VERSION}:${code}`;
  } catch {
    return null;
  }
}

/**
 * The bundle this code runs from (the built app, CLI or bench), or null when it runs from
 * source: for code identified by the bundle that holds it, whichever that is.
 */
export function runningBundle(): string | null {
  if (typeof import.meta.url === 'string' && import.meta.url.startsWith('file:')) {
    const file = fileURLToPath(import.meta.url);
    return /\.[mc]?js$/.test(file) ? file : null;
  }
  return typeof __filename === 'string' && /\.[mc]?js$/.test(__filename) ? __filename : null;
}
