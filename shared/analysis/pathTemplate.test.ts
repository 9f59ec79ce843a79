import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifySegment,
  isFileName,
  mergeTemplates,
  templatePath,
  templateSegment,
} from './pathTemplate.js';

describe('templatePath', () => {
  it.each([
    ['/users/42', '/users/{id}'],
    ['/files/3f2504e0-4f89-11d3-9a0c-0305e82c3301', '/files/{uuid}'],
    ['/blobs/9f86d081884c7d659a2feaa0c55ad015', '/blobs/{hash}'],
    ['/u/alice@example.com/inbox', '/u/{email}/inbox'],
    ['/u/alice%40example.com', '/u/{email}'],
    ['/reports/2024-03-01', '/reports/{date}'],
    ['/reports/20240301/pdf', '/reports/{date}/pdf'],
    ['/t/eyJhbGciOiJIUzI1NiJ9abcDEF123456', '/t/{token}'],
    ['/images/p/12345.jpg', '/images/p/{id}.jpg'],
    ['/static/app.20240301.js', '/static/app.{date}.js'],
    ['/static/app.3f9a1c2e77b04d12.min.js', '/static/app.{hash}.min.js'],
    ['/static/app.4711.js', '/static/app.{id}.js'],
    ['/api/v2/orders/7/items', '/api/v2/orders/{id}/items'],
    ['/static/app.js', '/static/app.js'],
    ['/password-reset', '/password-reset'],
    ['/', '/'],
  ])('%s → %s', (path, template) => {
    expect(templatePath(path)).toBe(template);
  });

  it.each([
    ["/b#' OR 1=1--", '/b'],
    ['/users/42#<script>alert(1)</script>', '/users/{id}'],
    ['/users/42/#x/y', '/users/{id}/'],
    ['/#/admin', '/'],
    ['#x', '/'],
    ['/c#f?x=1', '/c'],
  ])('ends before a fragment kept in the path: %s → %s', (path, template) => {
    expect(templatePath(path)).toBe(template);
  });

  it('keeps words and short version-like names literal', () => {
    expect(classifySegment('v1')).toBeNull();
    expect(classifySegment('checkout')).toBeNull();
    expect(classifySegment('very-long-but-plain-words-only-here')).toBeNull();
    expect(templatePath(null)).toBe('/');
  });

  it.each([
    // One file's name, not an id: a dotted version is part of it.
    '/js/vendor/modernizr-2.8.3.min.js',
    '/js/jquery-1.12.4.min.js',
    '/downloads/tool_0.0.24_amd64.deb',
    '/downloads/server-2.1.0-standalone.jar',
    '/blog/release-1.20240115.html',
    '/plugins/editor-3.6.2.2/js/editor.js',
    // A numeric tail is no file extension: the segment is read whole (and stays a name).
    '/bootstrap-3.3.7/js/bootstrap.js',
    '/docs/1.5.0/',
    '/product/9/%D8%B3%D8%A7%D8%B9%D8%AA-WATCH-T012.345.67.890.00',
    '/filter/p12%2C1700%7C7.2%2C1700%7C4.8',
  ])('keeps the version-like numbers of %s literal', (path) => {
    expect(templatePath(path)).toBe(path.replace('/9/', '/{id}/'));
  });

  it.each([
    // Slugs and file names with numbers in them are written, not generated.
    '/blog/upgrading-windows-10-in-place-notes.html',
    '/touch-icon-152x152-precomposed.png',
    '/fonts/myicons-webfont-regular.woff2',
    '/assets/ui-bg_glass-soft_75_cccccc_1x400.png',
    '/talks/devops-conference-2019-keynote',
    '/preconnect_probe_404_is_expected._Do_not_mind_it',
  ])('does not take the written name %s for a token', (path) => {
    expect(templatePath(path)).toBe(path);
  });

  it('still finds generated tokens, of any alphabet', () => {
    // A fixed-seed generator: the same strings on every run.
    let state = 0x9e3779b9;
    const next = (): number => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const draw = (alphabet: string, n: number): string =>
      Array.from({ length: n }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    const b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const b32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const share = (alphabet: string, n: number): number => {
      let found = 0;
      for (let i = 0; i < 1000; i++) {
        const t = draw(alphabet, n);
        if (/[0-9]/.test(t) && templatePath(`/r/${t}`) !== `/r/${t}`) found++;
        else if (!/[0-9]/.test(t)) found++; // no digit: a word to any rule
      }
      return found / 1000;
    };
    expect(share(b64, 43)).toBe(1);
    expect(share(b64, 32)).toBeGreaterThan(0.99);
    expect(share(b64, 24)).toBeGreaterThan(0.97);
    expect(share(b32, 52)).toBeGreaterThan(0.99);
    expect(share(b32, 26)).toBeGreaterThan(0.9);
    expect(templatePath('/t/eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0')).toBe('/t/{token}');
  });

  it('reads a file name as a name, a dot and an extension with a letter', () => {
    for (const f of ['app.js', 'font.woff2', 'clip.mp4', 'a.7z', 'IMG_0001.JPG', 'x.tar.gz'])
      expect([f, isFileName(f)]).toEqual([f, true]);
    for (const f of [
      '3.3.7',
      'T012.345.67',
      'v1.0',
      '.htaccess',
      'app.',
      'a.toolong',
      'a.b-c',
      'plain',
    ])
      expect([f, isFileName(f)]).toEqual([f, false]);
  });

  it('templates each segment as classifySegment does, however often it was seen before', () => {
    // Digits take a shortcut unless there are eight of them (a date when the month is valid);
    // other segments are remembered. Both must answer as the classification itself.
    const segments = [
      '7',
      '0042',
      '1234567',
      '20240131',
      '20241331',
      '123456789',
      'users',
      'v1',
      '',
      'a%40b.co',
      '-5',
      '3f9a1c2e77b04d12',
    ];
    for (let round = 0; round < 3; round++) {
      for (const seg of segments) {
        const expected = classifySegment(seg) ?? (seg === '' ? '' : seg);
        expect(templatePath(`/x/${seg}`)).toBe(`/x/${expected}`);
      }
    }
    expect(templatePath('/r/20240131')).toBe('/r/{date}');
    expect(templatePath('/r/20241331')).toBe('/r/{id}');
  });

  it('is the path split at slashes, each segment templated, joined again', () => {
    const seg = fc.oneof(
      fc.stringMatching(/^[0-9]{0,12}$/),
      fc.stringMatching(/^[a-z0-9.%@_-]{0,30}$/),
      fc.constantFrom('20240131', 'app.4711.js', 'a%40b.co', '3f9a1c2e77b04d12', ''),
    );
    fc.assert(
      fc.property(fc.array(seg, { maxLength: 6 }), (segs) => {
        const path = segs.join('/');
        const expected =
          path === ''
            ? '/'
            : path
                .split('/')
                .map((s) => templateSegment(s) ?? s)
                .join('/');
        expect(templatePath(path)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('mergeTemplates', () => {
  it('merges a position with many distinct names under one parent into {name}', () => {
    const names = Array.from({ length: 25 }, (_, i) => `user${String.fromCharCode(97 + i)}x`);
    const templates = [
      ...names.map((n) => `/users/${n}`),
      ...names.map((n) => `/users/${n}/profile`),
      '/about',
    ];
    const merged = mergeTemplates(templates, 20);
    expect(merged.get('/users/useraxx')).toBeUndefined();
    expect(merged.get('/users/userax')).toBe('/users/{name}');
    expect(merged.get('/users/userbx/profile')).toBe('/users/{name}/profile');
    expect(merged.get('/about')).toBe('/about');
  });

  it('leaves few distinct values, top-level names and file names alone', () => {
    const templates = [
      '/api/users',
      '/api/orders',
      '/api/cart',
      ...Array.from({ length: 30 }, (_, i) => `/p${i}x`),
    ];
    const files = Array.from({ length: 30 }, (_, i) => `/static/f${i}x.css`);
    const merged = mergeTemplates([...templates, ...files], 20);
    expect(merged.get('/api/users')).toBe('/api/users');
    expect(merged.get('/p1x')).toBe('/p1x');
    expect(merged.get('/static/f1x.css')).toBe('/static/f1x.css');
  });

  it('merges names with a numeric dotted tail with their siblings; file names stay', () => {
    // A model number (`…-T012.345.67.890.00`) or a filter value ending `|4.8` is a name, not a
    // file `.00` or `.8`: it joins the other names at its position.
    const names = Array.from({ length: 24 }, (_, i) => `/product/{id}/watch-model-${i}x`);
    const odd = [
      '/product/{id}/%D8%B3%D8%A7%D8%B9%D8%AA-WATCH-T012.345.67.890.00',
      '/product/{id}/scope-1.5',
    ];
    const files = ['/product/{id}/front-1.jpg', '/product/{id}/back-2.jpg'];
    const filters = Array.from({ length: 24 }, (_, i) => `/filter/p${i}x%2Cb${i}`);
    const decimal = '/filter/p12%2C1700%7C7.2%2C1700%7C4.8';
    const merged = mergeTemplates([...names, ...odd, ...files, ...filters, decimal], 20);
    for (const t of odd) expect(merged.get(t)).toBe('/product/{id}/{name}');
    for (const t of files) expect(merged.get(t)).toBe(t);
    expect(merged.get(decimal)).toBe('/filter/{name}');
  });

  it('does not depend on input order', () => {
    const t = Array.from({ length: 40 }, (_, i) => `/u/n${i}q/x`);
    const a = mergeTemplates(t, 20);
    const b = mergeTemplates([...t].reverse(), 20);
    expect([...a].sort()).toEqual([...b].sort());
  });

  it('takes a directory scan of 200,000 distinct paths (no stack overflow)', () => {
    // A word list run against one host: top-level names, and the same words under /admin.
    const words = Array.from({ length: 100_000 }, (_, i) => `w${i.toString(36)}q`);
    const templates = [...words.map((w) => `/${w}`), ...words.map((w) => `/admin/${w}`)];
    const merged = mergeTemplates(templates, 20);
    expect(merged.size).toBe(200_000);
    expect(merged.get('/w0q')).toBe('/w0q');
    expect(new Set(words.map((w) => merged.get(`/admin/${w}`)))).toEqual(
      new Set(['/admin/{name}']),
    );
  });

  it('merges deep in a path of thousands of segments', () => {
    // Hostile paths: 3,000 segments of "x", then a varying name, then a fixed leaf.
    const deep = '/x'.repeat(3000);
    const templates = Array.from({ length: 30 }, (_, i) => `${deep}/v${i}q/end`);
    const merged = mergeTemplates(templates, 20);
    expect(new Set(merged.values())).toEqual(new Set([`${deep}/{name}/end`]));
  });

  /**
   * The rule as first written (one pass over every template for each merging parent), kept as
   * the reference the grouped version must match template for template.
   */
  function referenceMerge(templates: string[], minDistinct: number): Map<string, string> {
    const skip = (seg: string): boolean =>
      seg === '' ||
      (seg.length > 2 && seg.startsWith('{') && seg.endsWith('}')) ||
      /^.+\.(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{1,5}$/.test(seg);
    const current = new Map(templates.map((t) => [t, t.split('/')]));
    const maxLen = Math.max(0, ...[...current.values()].map((x) => x.length));
    for (let pos = 2; pos < maxLen; pos++) {
      const byParent = new Map<string, Set<string>>();
      for (const segs of current.values()) {
        if (segs.length <= pos || skip(segs[pos]!)) continue;
        const parent = segs.slice(0, pos).join('/');
        byParent.set(parent, (byParent.get(parent) ?? new Set()).add(segs[pos]!));
      }
      for (const [parent, values] of byParent) {
        if (values.size < minDistinct) continue;
        for (const segs of current.values())
          if (segs.length > pos && !skip(segs[pos]!) && segs.slice(0, pos).join('/') === parent)
            segs[pos] = '{name}';
      }
    }
    return new Map([...current].map(([t, segs]) => [t, segs.join('/')]));
  }

  it('merges as the reference rule does, on random trees of paths', () => {
    const seg = fc.oneof(
      fc.constantFrom('a', 'b', 'c', 'd', 'x.js', 'x.7z', 'v.1', 'c.2.0', '{id}', ''),
      fc.stringMatching(/^[a-e]{1,2}$/),
    );
    const path = fc.array(seg, { minLength: 1, maxLength: 5 }).map((s) => '/' + s.join('/'));
    fc.assert(
      fc.property(fc.array(path, { maxLength: 60 }), fc.integer({ min: 1, max: 6 }), (ps, min) => {
        const templates = [...new Set(ps)];
        expect(mergeTemplates(templates, min)).toEqual(referenceMerge(templates, min));
      }),
      { numRuns: 300 },
    );
  });
});
