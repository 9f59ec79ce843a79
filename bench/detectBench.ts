// Detection benchmark: accuracy on the labelled corpus (CSIC 2010 raw requests, HttpParamsDataset
// payloads) and engine throughput on generated typical requests. Prints a report; `--json` prints
// the figures as JSON, `--fp` lists what fired on normal traffic.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Papa from 'papaparse';
import { Detector } from '../shared/detect/engine.js';
import type { AttackType, DetectInput, Detection } from '../shared/detect/types.js';
import { parseTarget } from '../shared/model/requestRecord.js';

export const DEFAULT_CORPUS = path.resolve(
  process.env['SESSIONSCOPE_CORPUS'] ?? path.join(process.cwd(), '../shared/corpus'),
);

const REQUEST_LINE = /^(GET|POST|PUT|DELETE|HEAD|OPTIONS|PATCH|TRACE) (\S+) (HTTP\/\d\.\d)$/;

/** Raw HTTP request blocks (request line, headers, blank line, body) as detector input. */
export function parseRawRequests(text: string): DetectInput[] {
  const lines = text.split(/\r?\n/);
  const out: DetectInput[] = [];
  let i = 0;
  while (i < lines.length) {
    const m = REQUEST_LINE.exec(lines[i]!);
    if (!m) {
      i++;
      continue;
    }
    const target = parseTarget(m[2]!);
    const headers: Record<string, string> = {};
    i++;
    while (i < lines.length && lines[i] !== '') {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon > 0)
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      i++;
    }
    i++;
    const body: string[] = [];
    while (i < lines.length && !REQUEST_LINE.test(lines[i]!)) body.push(lines[i++]!);
    const bodyText = body.join('\n').trim();
    const { cookie, 'user-agent': ua, ...rest } = headers;
    out.push({
      method: m[1]!,
      host: target.host ?? headers['host'] ?? null,
      path: target.path,
      query: target.query,
      body: bodyText === '' ? null : bodyText,
      cookies: cookie ?? null,
      headers: rest,
      userAgent: ua ?? null,
    });
  }
  return out;
}

export interface Payload {
  payload: string;
  attackType: string;
}

export function parsePayloadCsv(text: string): Payload[] {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  return parsed.data.map((r) => ({
    payload: r['payload'] ?? '',
    attackType: r['attack_type'] ?? '',
  }));
}

/** HttpParamsDataset label → the detection types that count as finding it. */
export const PAYLOAD_TYPES: Readonly<Record<string, readonly AttackType[]>> = {
  sqli: ['sqli'],
  xss: ['xss'],
  'path-traversal': ['ptrav', 'lfi'],
  cmdi: ['rce'],
};

export function payloadInput(p: string): DetectInput {
  return { method: 'GET', host: 'localhost', path: '/search', query: `q=${encodeURIComponent(p)}` };
}

export interface Confusion {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
export const precision = (c: Confusion): number => ratio(c.tp, c.tp + c.fp);
export const recall = (c: Confusion): number => ratio(c.tp, c.tp + c.fn);
export const fpRate = (c: Confusion): number => ratio(c.fp, c.fp + c.tn);

export interface CsicResult {
  overall: Confusion;
  /** Per type: anomalous requests it flagged (hits) and normal requests it flagged (false). */
  byType: Record<string, { anomalous: number; normal: number }>;
  normalFired: { ruleId: string; fragment: string }[];
}

export function evalCsic(
  det: Detector,
  normal: DetectInput[],
  anomalous: DetectInput[],
): CsicResult {
  const c: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const byType: CsicResult['byType'] = {};
  const normalFired: CsicResult['normalFired'] = [];
  const types = (ds: Detection[]): Set<string> => new Set(ds.map((d) => d.type));
  for (const r of anomalous) {
    const ds = det.detect(r).detections;
    if (ds.length > 0) c.tp++;
    else c.fn++;
    for (const t of types(ds)) (byType[t] ??= { anomalous: 0, normal: 0 }).anomalous++;
  }
  for (const r of normal) {
    const ds = det.detect(r).detections;
    if (ds.length > 0) c.fp++;
    else c.tn++;
    for (const t of types(ds)) (byType[t] ??= { anomalous: 0, normal: 0 }).normal++;
    for (const d of ds) normalFired.push({ ruleId: d.ruleId, fragment: d.fragment });
  }
  return { overall: c, byType, normalFired };
}

export interface PayloadResult {
  overall: Confusion;
  byType: Record<string, Confusion>;
  missed: Record<string, string[]>;
  normFired: { ruleId: string; payload: string }[];
}

export function evalPayloads(det: Detector, payloads: Payload[]): PayloadResult {
  const overall: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
  const byType: Record<string, Confusion> = {};
  const missed: Record<string, string[]> = {};
  const normFired: PayloadResult['normFired'] = [];
  for (const label of Object.keys(PAYLOAD_TYPES)) byType[label] = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const p of payloads) {
    const ds = det.detect(payloadInput(p.payload)).detections;
    const found = new Set(ds.map((d) => d.type));
    const isAttack = p.attackType !== 'norm';
    if (isAttack && ds.length > 0) overall.tp++;
    else if (isAttack) overall.fn++;
    else if (ds.length > 0) overall.fp++;
    else overall.tn++;
    if (!isAttack) for (const d of ds) normFired.push({ ruleId: d.ruleId, payload: p.payload });
    // Per type, one-vs-rest: a payload "is flagged T" when a detection of T's types fired.
    for (const [label, wanted] of Object.entries(PAYLOAD_TYPES)) {
      const flagged = wanted.some((t) => found.has(t));
      const c = byType[label]!;
      const truth = p.attackType === label;
      if (truth && flagged) c.tp++;
      else if (truth) {
        c.fn++;
        (missed[label] ??= []).push(p.payload);
      } else if (flagged) c.fp++;
      else c.tn++;
    }
  }
  return { overall, byType, missed, normFired };
}

/** A small deterministic PRNG so generated traffic is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
  'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
  'okhttp/4.12.0',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
];
const WORDS = ['shoes', 'red', 'summer sale', 'laptop 15"', 'café', 'new-york', 'a&b', 'size:m'];
const PATHS = ['/', '/products', '/api/v1/orders', '/cart', '/search', '/static/app.js', '/login'];

/** Typical web traffic: mostly short paths and a few plain parameters, some forms and JSON. */
export function generateRequests(n: number, seed = 42): DetectInput[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: DetectInput[] = [];
  for (let i = 0; i < n; i++) {
    const id = Math.floor(r() * 100000);
    const path = r() < 0.3 ? `/api/v1/users/${id}/orders` : pick(PATHS);
    const params: string[] = [];
    const np = Math.floor(r() * 4);
    for (let k = 0; k < np; k++) {
      const v = r() < 0.5 ? String(Math.floor(r() * 1000)) : encodeURIComponent(pick(WORDS));
      params.push(`${pick(['q', 'page', 'sort', 'id', 'ref', 'utm_source'])}=${v}`);
    }
    const post = r() < 0.1;
    out.push({
      method: post ? 'POST' : 'GET',
      host: 'shop.example',
      path,
      query: params.length > 0 ? params.join('&') : null,
      body: post
        ? r() < 0.5
          ? `user=u${id}&password=secret${id}&remember=on`
          : JSON.stringify({ items: [{ sku: `A-${id}`, qty: 2 }], note: pick(WORDS) })
        : null,
      cookies: `session=${id.toString(16)}abcdef0123456789; theme=dark`,
      headers: { 'x-requested-with': 'XMLHttpRequest' },
      userAgent: pick(UAS),
      referer: r() < 0.5 ? `https://shop.example${pick(PATHS)}` : null,
    });
  }
  return out;
}

/**
 * Wall time and CPU time per 1M requests. On a shared machine wall time includes waiting for a
 * core; CPU time (user + system of this process) is the engine's own cost. Best of 3 rounds.
 */
export function measureThroughput(
  det: Detector,
  n = 200_000,
): { requests: number; msPer1M: number; cpuMsPer1M: number } {
  const reqs = generateRequests(n);
  for (let i = 0; i < 50_000; i++) det.detect(reqs[i % reqs.length]!); // warm up the JIT
  let best = { wall: Infinity, cpu: Infinity };
  let count = 0;
  for (let round = 0; round < 3; round++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (const req of reqs) count += det.detect(req).detections.length;
    const wall = Number(process.hrtime.bigint() - t0) / 1e6;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1000;
    if (cpu < best.cpu) best = { wall, cpu };
  }
  if (count < 0) throw new Error('unreachable'); // keeps the loop from being optimised away
  return { requests: n, msPer1M: (best.wall / n) * 1e6, cpuMsPer1M: (best.cpu / n) * 1e6 };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function main(): void {
  const args = new Set(process.argv.slice(2));
  const det = new Detector();
  const dir = path.join(DEFAULT_CORPUS, 'B_labelled_attacks');
  const report: Record<string, unknown> = {};
  if (existsSync(dir)) {
    const normal = parseRawRequests(
      readFileSync(path.join(dir, 'csic2010_normalTrafficTest_every12th.txt'), 'latin1'),
    );
    const anomalous = parseRawRequests(
      readFileSync(path.join(dir, 'csic2010_anomalousTrafficTest_every8th.txt'), 'latin1'),
    );
    const csic = evalCsic(det, normal, anomalous);
    const payloads = parsePayloadCsv(
      readFileSync(path.join(dir, 'httpparamsdataset_payload_test.csv'), 'utf8'),
    );
    const hp = evalPayloads(det, payloads);
    report['csic'] = { normal: normal.length, anomalous: anomalous.length, ...csic };
    report['httpParams'] = hp;
    if (!args.has('--json')) {
      const o = csic.overall;
      console.log(`CSIC 2010 (${normal.length} normal, ${anomalous.length} anomalous requests)`);
      console.log(
        `  overall  precision ${pct(precision(o))}  recall ${pct(recall(o))}  FP rate on normal ${pct(fpRate(o))} (${o.fp}/${o.fp + o.tn})`,
      );
      for (const [t, v] of Object.entries(csic.byType).sort())
        console.log(
          `  ${t.padEnd(15)} anomalous flagged ${String(v.anomalous).padStart(5)}   normal flagged ${v.normal}`,
        );
      console.log(`HttpParamsDataset (${payloads.length} payloads, each as a query value)`);
      const ho = hp.overall;
      console.log(
        `  overall  precision ${pct(precision(ho))}  recall ${pct(recall(ho))}  FP rate on norm ${pct(fpRate(ho))} (${ho.fp}/${ho.fp + ho.tn})`,
      );
      for (const [t, c] of Object.entries(hp.byType))
        console.log(
          `  ${t.padEnd(15)} precision ${pct(precision(c)).padStart(6)}  recall ${pct(recall(c)).padStart(6)}  (tp ${c.tp} fp ${c.fp} fn ${c.fn})`,
        );
      if (args.has('--fp')) {
        const count = new Map<string, number>();
        for (const f of csic.normalFired) count.set(f.ruleId, (count.get(f.ruleId) ?? 0) + 1);
        console.log('CSIC normal: rules that fired', Object.fromEntries(count));
        for (const f of csic.normalFired.slice(0, 40))
          console.log('   ', f.ruleId, JSON.stringify(f.fragment));
        for (const f of hp.normFired.slice(0, 40))
          console.log('  norm', f.ruleId, JSON.stringify(f.payload));
      }
      if (args.has('--missed')) {
        for (const [t, xs] of Object.entries(hp.missed))
          for (const x of xs.slice(0, 30)) console.log('  missed', t, JSON.stringify(x));
      }
    }
  } else if (!args.has('--json')) {
    console.log(`corpus not found at ${dir}: accuracy skipped`);
  }
  const tp = measureThroughput(det);
  report['throughput'] = tp;
  if (args.has('--json')) console.log(JSON.stringify(report, null, 2));
  else
    console.log(
      `Throughput: ${tp.requests} generated requests: ${tp.cpuMsPer1M.toFixed(0)} ms CPU per 1M requests (${Math.round(1e9 / tp.cpuMsPer1M)} req/s per core); wall ${tp.msPer1M.toFixed(0)} ms per 1M`,
    );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
