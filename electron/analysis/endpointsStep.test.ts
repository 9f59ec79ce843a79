import { afterAll, describe, expect, it } from 'vitest';
import { seedSource } from '../../test/fixtures/analysis/seedCase.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { flowBit } from '../../shared/analysis/flowRules.js';
import { endpointId } from './hashIds.js';
import { rebuild } from './rebuild.js';

const T0 = Date.UTC(2024, 4, 1) * 1000;

const ws = tempWorkspace('ss-endpoints-');
afterAll(() => ws.cleanup());

/** Paths as a shop's log holds them: many product and filter names, one of each odd shape. */
const PATHS = [
  ...Array.from({ length: 24 }, (_, i) => `/product/7/watch-model-${i}x`),
  // A dotted model number after percent-encoded text, and a decimal: names, not files.
  '/product/8/%D8%B3%D8%A7%D8%B9%D8%AA-WATCH-T012.345.67.890.00',
  '/product/9/scope-1.5',
  '/product/9/front-1.jpg',
  ...Array.from({ length: 24 }, (_, i) => `/filter/p${i}x%2Cb${i}`),
  '/filter/p12%2C1700%7C7.2%2C1700%7C4.8',
  // One static file, three times: its version is no id.
  '/js/vendor/modernizr-2.8.3.min.js',
  '/js/vendor/modernizr-2.8.3.min.js',
  '/js/vendor/modernizr-2.8.3.min.js',
];

describe.each([false, true])('endpoints step (analysis columns: %s)', (columns) => {
  it('joins dotted names to their siblings and keeps versioned file names whole', () => {
    const db = ws.openCase(`case-${String(columns)}.sscase`);
    seedSource(
      db,
      'shop',
      PATHS.map((path, i) => ({ tsUs: T0 + i * 1e6, ip: '10.0.0.1', method: 'GET', path })),
      { columns },
    );
    rebuild(db);
    const rows = db
      .prepare('SELECT template, request_count AS n FROM endpoints ORDER BY template')
      .all();
    expect(rows).toEqual([
      { template: '/filter/{name}', n: 25 },
      { template: '/js/vendor/modernizr-2.8.3.min.js', n: 3 },
      { template: '/product/{id}/front-1.jpg', n: 1 },
      { template: '/product/{id}/{name}', n: 26 },
    ]);
  });

  it('makes one endpoint of a host however the log cased it, keeping the requests as logged', () => {
    const db = ws.openCase(`hosts-${String(columns)}.sscase`);
    const hosts = ['shop.example', 'Shop.Example', 'SHOP.EXAMPLE:8080', 'shop.example'];
    seedSource(
      db,
      'shop',
      hosts.map((host, i) => ({
        tsUs: T0 + i * 1e6,
        ip: '10.0.0.1',
        method: 'GET',
        host,
        path: '/cart',
      })),
      { columns },
    );
    rebuild(db);
    const rows = db
      .prepare('SELECT eid, host, request_count AS n FROM endpoints ORDER BY host')
      .all() as { eid: string; host: string; n: number }[];
    expect(rows.map(({ host, n }) => ({ host, n }))).toEqual([
      { host: 'shop.example', n: 3 },
      { host: 'shop.example:8080', n: 1 },
    ]);
    // The id is the hash of the host as folded: a host logged in lower case keeps its id.
    expect(rows[0]!.eid).toBe(endpointId('GET', 'shop.example', '/cart'));
    expect(db.prepare('SELECT hosts FROM sessions').pluck().all()).toEqual([
      JSON.stringify(['shop.example', 'shop.example:8080']),
    ]);
    const logged = db.prepare('SELECT host FROM requests ORDER BY id').pluck().all();
    expect(logged).toEqual(hosts);
  });

  it('applies a flow tag made on a host spelled in capitals, the latest tag winning', () => {
    const db = ws.openCase(`tags-${String(columns)}.sscase`);
    seedSource(
      db,
      'shop',
      ['shop.example', 'Shop.Example'].map((host, i) => ({
        tsUs: T0 + i * 1e6,
        ip: '10.0.0.1',
        method: 'GET',
        host,
        path: '/cart',
      })),
      { columns },
    );
    // Tags stored before endpoints folded hosts: each on the spelling its endpoint had.
    const tag = db.prepare(
      `INSERT INTO endpoint_flow_overrides (method, host, template, flow, action, at)
       VALUES ('GET', ?, '/cart', ?, ?, ?)`,
    );
    tag.run('Shop.Example', 'Billing', 'add', '2026-01-01T00:00:00.000Z');
    tag.run('Shop.Example', 'Admin', 'add', '2026-01-02T00:00:00.000Z');
    tag.run('shop.example', 'Admin', 'remove', '2026-01-03T00:00:00.000Z');
    rebuild(db);
    const flows = db.prepare('SELECT flows FROM endpoints').pluck().all() as number[];
    expect(flows).toEqual([flowBit('Billing')]);
  });
});
