import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseDb } from '../store/openCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { importAndRead } from '../../test/importedRows.js';
import type { UnitHandler } from './formats/streamedJson.js';
import { importWarning } from './importWarnings.js';

/**
 * The parts of a HAR or JSON document the reader could not read are counted by the parser as
 * it rejects them, and the count comes with the import's result: no reason's wording decides.
 */

// Lets a test give every report of the JSON reader other words, as a later edit might.
const reword = vi.hoisted(() => ({ on: false }));
vi.mock('./formats/streamedJson.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./formats/streamedJson.js')>();
  return {
    ...real,
    readJsonUnits: (...[input, handler, opts]: Parameters<typeof real.readJsonUnits>) => {
      const reworded: UnitHandler = {
        classify: (path, kind) => handler.classify(path, kind),
        unit: (value, index, dups) => handler.unit(value, index, dups),
        broken: (index, inUnit, _message, context, unreadable) =>
          handler.broken(index, inUnit, `damaged part #${index}`, context, unreadable),
      };
      return real.readJsonUnits(input, reword.on ? reworded : handler, opts);
    },
  };
});

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-unreadable-');
  db = ws.openCase();
  reword.on = false;
});
afterEach(() => ws.cleanup());

const entries = Array.from({ length: 6 }, (_, i) => ({
  startedDateTime: `2024-05-01T10:00:0${i}.000Z`,
  request: { method: 'GET', url: `https://shop.example/p${i + 1}` },
  response: { status: 200 },
}));
// An unusable entry whose reason happens to hold the words the warning once looked for.
const wordy = { startedDateTime: 'could not be read', request: { method: 'GET', url: '/x' } };
const har = JSON.stringify({ log: { version: '1.2', entries: [...entries, wordy] } });
/** Entry 4's startedDateTime damaged, and junk after the entries: two unreadable parts. */
const damagedHar = (): string => {
  const at = har.indexOf('"startedDateTime":"2024-05-01T10:00:03.000Z",');
  return `${har.slice(0, at)}"startedDateTime":}${har.slice(at + 45, -2)}, "pages": ]}} trailing`;
};

const records = Array.from({ length: 5 }, (_, i) => ({
  timestamp: `2024-05-01T10:00:0${i}Z`,
  client_ip: '203.0.113.7',
  method: 'GET',
  url: `/p${i}`,
  status: 200,
  // Named, so that the two documents of a case do not also share host-less endpoints (a
  // warning of its own).
  host: 'shop.example',
}));
const doc = JSON.stringify([...records, 'was not read']);
/** Element 3 damaged in the middle, and the document cut off inside its last element. */
const damagedDoc = (): string => {
  const text = JSON.stringify(records);
  const at = text.indexOf('"url":"/p2"');
  return `${text.slice(0, at)}"url":}${text.slice(at + 11, -2)}`;
};

async function load(name: string, text: string) {
  return importAndRead(db, ws.file(name, text), { force: true }, { raw: false });
}

describe('unreadable parts of a JSON source, as the parser counts them', () => {
  it('counts a damaged HAR’s parts, not a rejected entry whose reason has the same words', async () => {
    const { r, rejects } = await load('d.har', damagedHar());
    expect(r).toMatchObject({ format: 'har', lines: 8, accepted: 5, rejected: 3 });
    expect(r.unreadableParts).toBe(2);
    expect(r.firstUnreadable).toBe(rejects[0]!.reason);
    expect(rejects[0]!.reason).toMatch(/^HAR entry 4 is cut off or malformed: /);
    expect(rejects[1]!.reason).toBe('unreadable startedDateTime: "could not be read"');
    expect(importWarning(db, r)).toBe(
      `part of the file could not be read: ${rejects[0]!.reason} (and 1 more damaged part(s))`,
    );

    const clean = await load('c.har', har);
    expect(clean.r).toMatchObject({ rejected: 1, unreadableParts: 0, firstUnreadable: null });
    expect(importWarning(db, clean.r)).toBeNull();
  });

  it('counts a damaged JSON document’s parts; none in a whole one with a rejected element', async () => {
    const { r, rejects } = await load('d.json', damagedDoc());
    expect(r).toMatchObject({ format: 'json', accepted: 3, rejected: 2, unreadableParts: 2 });
    expect(rejects.map((x) => x.reason)).toEqual([
      expect.stringMatching(/^invalid JSON in element 3: .*could not be read; reading resumed/),
      expect.stringMatching(
        /^invalid JSON in element 5: the input ends inside a value; bytes \d+ to \d+ could not be read$/,
      ),
    ]);
    expect(r.firstUnreadable).toBe(rejects[0]!.reason);

    const clean = await load('c.json', doc);
    expect(clean.r).toMatchObject({ accepted: 5, rejected: 1, unreadableParts: 0 });
    expect(clean.rejects[0]!.reason).toBe('not a JSON object (string)');
    expect(importWarning(db, clean.r)).toBeNull();
  });

  it('counts the same when the reader words its reasons otherwise', async () => {
    reword.on = true;
    const h = await load('d.har', damagedHar());
    expect(h.rejects[0]!.reason).toBe('HAR entry 4 is cut off or malformed: damaged part #3');
    expect(h.r.unreadableParts).toBe(2);
    expect(importWarning(db, h.r)).toBe(
      'part of the file could not be read: HAR entry 4 is cut off or malformed: damaged part #3 (and 1 more damaged part(s))',
    );
    const j = await load('d.json', damagedDoc());
    expect(j.rejects.map((x) => x.reason)).toEqual([
      'invalid JSON in element 3: damaged part #2',
      'invalid JSON in element 5: damaged part #4',
    ]);
    expect(j.r.unreadableParts).toBe(2);
    expect((await load('c.har', har)).r.unreadableParts).toBe(0);
  });
});
