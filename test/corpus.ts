import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** ../shared/corpus beside the checkout: real public logs, present on developer machines only. */
export const CORPUS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../shared/corpus',
);

export const hasCorpus = existsSync(path.join(CORPUS_DIR, 'MANIFEST.md'));

export function corpusFile(rel: string): string {
  return path.join(CORPUS_DIR, rel);
}

/** `describe` when the corpus is present, `describe.skip` in a user's clone without it. */
export const describeCorpus = hasCorpus ? describe : describe.skip;

/** The project's own small fixtures (test/fixtures). */
export function fixture(rel: string): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', rel);
}
