import { describe, expect, it } from 'vitest';
import type { ImportProgress } from '../ingest/importSource.js';
import { RateMeter } from './importRate.js';

const at = (phase: ImportProgress['phase'], lines: number, bytesDone = 0): ImportProgress => ({
  file: 'a.log',
  phase,
  bytesDone,
  bytesTotal: 1000,
  lines,
  accepted: lines,
  rejected: 0,
});

describe('import rate', () => {
  it('measures lines over the file’s time while it is read, and keeps that rate after', () => {
    const m = new RateMeter();
    expect(m.measure(0, at('parsing', 0), 1_000).linesPerSec).toBe(0);
    expect(m.measure(0, at('parsing', 500, 500), 2_000)).toMatchObject({
      linesPerSec: 500,
      etaSec: 1,
    });
    // Indexing: the lines are all read; the rate they were read at stays, no time left shown.
    expect(m.measure(0, at('indexing', 1200, 1000), 5_000)).toMatchObject({
      linesPerSec: 500,
      etaSec: null,
    });
    expect(m.measure(0, at('done', 1200, 1000), 9_000).linesPerSec).toBe(500);
  });

  it('gives a file read between two reports the rate of its whole reading, not 0', () => {
    const m = new RateMeter();
    m.measure(0, at('hashing', 0), 1_000);
    expect(m.measure(0, at('indexing', 800, 1000), 1_400).linesPerSec).toBe(2000);
    expect(m.measure(0, at('done', 800, 1000), 1_900).linesPerSec).toBe(2000);
  });

  it('starts again for the next file', () => {
    const m = new RateMeter();
    m.measure(0, at('parsing', 100), 0);
    m.measure(0, at('done', 1000), 1_000);
    expect(m.measure(1, at('parsing', 0), 2_000).linesPerSec).toBe(0);
    expect(m.measure(1, at('parsing', 300), 3_000).linesPerSec).toBe(300);
  });
});
