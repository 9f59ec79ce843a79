import { describe, expect, it } from 'vitest';
import { decodeText } from './decode.js';
import { Detector, detectRequest } from './engine.js';

const det = new Detector();

describe('Detector', () => {
  it('reports offsets into the decoded text when decoding changed it', () => {
    const raw = 'x%2527%20UNION%20SELECT%20null--';
    const [d] = det
      .detect({ query: `id=${raw}` })
      .detections.filter((x) => x.ruleId === 'sqli.union-select');
    expect(d).toMatchObject({ location: 'query', param: 'id', part: 'value', basis: 'decoded' });
    const decoded = decodeText(raw, { plusAsSpace: true, maxLength: 4096 }).text;
    expect(decoded.slice(d!.start, d!.end)).toBe(d!.fragment);
    expect(d!.fragment).toBe('UNION SELECT');
  });

  it('reports raw offsets when nothing was decoded, and for encoding rules', () => {
    const path = '/static/..%c0%af..%c0%afetc/passwd';
    const ds = det.detect({ path }).detections;
    const enc = ds.find((x) => x.ruleId === 'ptrav.encoded-dots')!;
    expect(enc.basis).toBe('raw');
    expect(path.slice(enc.start, enc.end)).toBe(enc.fragment);
    const ua = det.detect({ userAgent: 'Mozilla/5.0 sqlmap/1.7' }).detections[0]!;
    expect(ua).toMatchObject({
      location: 'ua',
      basis: 'raw',
      start: 12,
      end: 18,
      fragment: 'sqlmap',
    });
  });

  it('reads form and JSON bodies per parameter, and keys as names', () => {
    const form = det.detect({ body: 'user=bob&pass=%27+or+%271%27%3D%271' }).detections;
    expect(form[0]).toMatchObject({ location: 'body', param: 'pass', type: 'sqli' });
    const json = det.detect({
      body: JSON.stringify({ user: { name: 'x', $ne: null }, q: '<script>alert(1)</script>' }),
    }).detections;
    expect(json.find((d) => d.type === 'nosqli')).toMatchObject({
      param: 'user.$ne',
      part: 'name',
    });
    expect(json.find((d) => d.type === 'xss')).toMatchObject({ param: 'q', location: 'body' });
    const text = det.detect({
      body: '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a/>',
    });
    expect(text.detections.map((d) => d.type)).toContain('xxe');
  });

  it('reads cookies, headers (not the skipped ones) and parameter names', () => {
    const r = det.detect({
      cookies: 'session=abc; pref=%27%20or%201%3D1--',
      headers: {
        'x-forwarded-for': "1.2.3.4' or '1'='1",
        accept: "' or '1'='1",
        'acunetix-aspect': 'enabled',
      },
      query: 'user%5B%24ne%5D=1',
    });
    const where = r.detections.map((d) => `${d.location}:${d.param}:${d.ruleId}`);
    expect(where).toContain('cookie:pref:sqli.tautology');
    expect(where).toContain('header:x-forwarded-for:sqli.tautology');
    expect(where).toContain('header:acunetix-aspect:scanner.tool-marker');
    expect(where).toContain('query:user[$ne]:nosqli.operator-name');
    expect(where.some((w) => w.startsWith('header:accept:'))).toBe(false);
  });

  it('tells an open redirect from a same-site one', () => {
    const ids = (host: string, next: string) =>
      det
        .detect({ host, query: `next=${encodeURIComponent(next)}` })
        .detections.map((d) => d.ruleId);
    expect(ids('shop.example', 'https://evil.example/')).toContain('redir.offsite-url');
    expect(ids('shop.example:443', 'https://login.shop.example/x')).not.toContain(
      'redir.offsite-url',
    );
    expect(ids('shop.example', '//evil.example')).toContain('redir.offsite-url');
    expect(ids('shop.example', '/account')).not.toContain('redir.offsite-url');
  });

  it('skips internal URLs to the request’s own host (SSRF)', () => {
    const ids = (host: string) =>
      det.detect({ host, query: 'u=http://localhost:8080/x' }).detections.map((d) => d.ruleId);
    expect(ids('localhost:8080')).not.toContain('ssrf.internal-url');
    expect(ids('shop.example')).toContain('ssrf.internal-url');
  });

  it('reports one finding per rule and parameter, deterministically', () => {
    const input = { query: 'a=%3Cscript%3E%3Cscript%3E&b=%3Cscript%3E', userAgent: 'nikto' };
    const a = detectRequest(input);
    const b = new Detector().detect(input);
    expect(a).toEqual(b);
    expect(a.detections.filter((d) => d.ruleId === 'xss.script-tag').map((d) => d.param)).toEqual([
      'a',
      'b',
    ]);
    // The UA verdict comes from the cache the second time, unchanged.
    expect(detectRequest(input)).toEqual(a);
  });

  it('flags undecodable input and keeps scanning', () => {
    const r = det.detect({ query: 'q=%zz%3Cscript%3E' });
    expect(r.notes).toContainEqual({ location: 'query', param: 'q', flag: 'bad-percent' });
    expect(r.detections.map((d) => d.ruleId)).toContain('xss.script-tag');
  });

  it('finds stack traces and secrets in response bodies', () => {
    const r = det.detect({ respBody: 'java.lang.NullPointerException\n\tat com.x.Y.z(Y.java:10)' });
    expect(r.detections[0]).toMatchObject({ type: 'infoleak', location: 'response' });
  });

  it('leaves typical traffic alone', () => {
    const r = det.detect({
      method: 'GET',
      host: 'shop.example',
      path: '/api/v1/users/123/orders',
      query: 'page=2&sort=-created&q=red%20shoes&ref=https%3A%2F%2Fwww.google.com%2F',
      cookies: 'session=9f86d081884c7d65; theme=dark',
      headers: { 'x-requested-with': 'XMLHttpRequest', 'content-type': 'application/json' },
      body: '{"items":[{"sku":"A-1","qty":2}],"note":"leave at the door, thanks!"}',
      userAgent:
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120 Safari/537.36',
      referer: 'https://shop.example/cart?step=2',
    });
    expect(r.detections).toEqual([]);
  });
});

describe('Detector caches', () => {
  it('give every request the verdict a fresh detector gives it', () => {
    // One header object reused across hosts (its verdict is kept by identity and host),
    // encoded paths, user agents and referers repeated between requests with other findings.
    const headers = { redirect: 'https://shop.example/next', 'x-q': "1' or '1'='1" };
    const inputs = [
      { host: 'shop.example', headers, path: '/a%2e%2e/x', userAgent: 'sqlmap/1.7' },
      { host: 'other.example', headers, referer: 'https://evil.example/' },
      {
        host: 'shop.example',
        headers,
        path: '/a%2e%2e/x',
        query: 'x-q=1',
        referer: 'https://evil.example/',
      },
      { headers, path: '/a%2e%2e/x', userAgent: 'sqlmap/1.7' },
      { host: 'other.example', headers: { ...headers }, userAgent: 'sqlmap/1.7' },
    ];
    const warm = new Detector();
    for (let round = 0; round < 3; round++) {
      for (const x of inputs) expect(warm.detect(x)).toEqual(new Detector().detect(x));
    }
    // The host decides the open-redirect finding of the shared header object.
    const redirs = inputs.map(
      (x) => warm.detect(x).detections.filter((d) => d.ruleId === 'redir.offsite-url').length,
    );
    expect(redirs).toEqual([0, 1, 0, 0, 1]);
  });
});
