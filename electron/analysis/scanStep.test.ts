import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  analysisSettingsSchema,
  effectiveParams,
  type AnalysisSettingsInput,
} from '../../shared/analysis/settings.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import type { CaseDb } from '../store/openCase.js';
import type { RebuildContext } from './rebuildContext.js';
import { splitKey, type ScanResult } from './scanResult.js';
import { scanStep } from './scanStep.js';

let ws: ReturnType<typeof tempWorkspace>;
beforeEach(() => {
  ws = tempWorkspace('ss-scan-');
});
afterEach(() => ws.cleanup());

const T0 = Date.UTC(2024, 0, 1) * 1000;

function scan(db: CaseDb, settings: AnalysisSettingsInput): ScanResult {
  const s = analysisSettingsSchema.parse(settings);
  const ctx: RebuildContext = { db, settings: s, params: effectiveParams(s), salt: 'x', stats: {} };
  scanStep.run(ctx);
  return ctx.scan!;
}

/** Per request: the key's value (or 'ip+ua'), user and role, in request order. */
function keysOf(r: ScanResult): [string, string | null, string | null][] {
  return Array.from({ length: r.n }, (_, i) => {
    const { param, value } = splitKey(r.keys.values[r.key[i]!]!);
    return [param < 0 ? 'ip+ua' : value, r.strings.get(r.user[i]!), r.strings.get(r.role[i]!)];
  });
}

function seed(db: CaseDb, rows: Omit<SeedRequest, 'tsUs'>[]): void {
  seedSource(
    db,
    'scan',
    rows.map((r, i) => ({ ip: '10.0.0.1', userAgent: 'ua', ...r, tsUs: T0 + i * 1e6 })),
  );
}

describe('scan step key extraction', () => {
  it('memoises per client without mixing requests that differ only in cookies, headers, query or columns', () => {
    const db = ws.openCase();
    // The same cookies with different headers, the same headers with different cookies, and
    // rows that set a source column among rows that do not (read apart, per chunk).
    seed(db, [
      { cookies: 'sid=A', headers: { 'x-api-key': 'k1' } },
      { cookies: 'sid=A', headers: { 'x-api-key': 'k2' } },
      { cookies: 'other=1', headers: { 'x-api-key': 'k1' } },
      { cookies: null, headers: { 'x-api-key': 'k1' } },
      { cookies: null, headers: null },
      { cookies: '', headers: null },
      { cookies: 'other=1', headers: { 'x-api-key': 'k1' }, srcSession: 'S9', srcUser: 'bob' },
      { cookies: 'other=1', headers: { 'x-api-key': 'k1' } },
      { cookies: 'sid=A', headers: { 'x-api-key': 'k1' }, srcRole: 'admin' },
      { cookies: 'sid=A', headers: { 'x-api-key': 'k1' } },
    ]);
    const r = scan(db, {
      useDefaultParams: false,
      contextParams: [
        { kind: 'column', name: 'src_session' },
        { kind: 'cookie', name: 'sid' },
        { kind: 'header', name: 'x-api-key' },
        { kind: 'column', name: 'src_user', names: 'user' },
        { kind: 'column', name: 'src_role', names: 'role' },
      ],
    });
    expect(keysOf(r)).toEqual([
      ['A', null, null],
      ['A', null, null],
      ['k1', null, null],
      ['k1', null, null],
      ['ip+ua', null, null],
      ['ip+ua', null, null],
      ['S9', 'bob', null],
      ['k1', null, null],
      ['A', null, 'admin'],
      ['A', null, null],
    ]);
    // Anonymous: neither cookies (an empty cookie header counts as one) nor Authorization.
    expect(Array.from(r.anonymous)).toEqual([0, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
    db.close();
  });

  it('reads a query parameter key per request, not from a client memo', () => {
    const db = ws.openCase();
    seed(db, [
      { cookies: 'c=1', query: 'tenant=a&x=1' },
      { cookies: 'c=1', query: 'tenant=b' },
      { cookies: 'c=1', query: null },
      { cookies: 'c=1', query: 'tenant=a' },
    ]);
    const r = scan(db, {
      useDefaultParams: false,
      contextParams: [{ kind: 'query', name: 'tenant' }],
    });
    expect(keysOf(r).map((k) => k[0])).toEqual(['a', 'b', 'ip+ua', 'a']);
    expect(r.query).toEqual(['tenant=a&x=1', 'tenant=b', null, 'tenant=a']);
    db.close();
  });

  it('takes a lone header parameter whose value is an object as its JSON text, as before', () => {
    const db = ws.openCase();
    seed(db, [{}, {}, {}]);
    db.prepare(`UPDATE requests SET headers = '{"x-k":{"a":1}}' WHERE id = 1`).run();
    db.prepare(`UPDATE requests SET headers = '{"x-k":5}' WHERE id = 2`).run();
    db.prepare(`UPDATE requests SET headers = '{"x-k":"v"}' WHERE id = 3`).run();
    const r = scan(db, {
      useDefaultParams: false,
      contextParams: [{ kind: 'header', name: 'X-K' }],
    });
    expect(keysOf(r).map((k) => k[0])).toEqual(['{"a":1}', 'ip+ua', 'v']);
    db.close();
  });
});
