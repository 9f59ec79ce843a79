import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import {
  evalCsic,
  evalPayloads,
  fpRate,
  parsePayloadCsv,
  parseRawRequests,
  precision,
  recall,
} from '../../bench/detectBench.js';
import { Detector } from '../../shared/detect/engine.js';
import type { DetectInput } from '../../shared/detect/types.js';
import { parseTarget } from '../../shared/model/requestRecord.js';
import { corpusFile, describeCorpus } from '../../test/corpus.js';

/**
 * Accuracy floors on real labelled data (the figures themselves: `npm run bench:detect`).
 * Precision floors are high on purpose: a false alarm costs an investigator's time. CSIC's
 * "anomalous" set is mostly parameter tampering no signature should flag, so its recall
 * floor is low and honest.
 */
const det = new Detector();

const COMBINED =
  /^"?(\S+) \S+ \S+ \[[^\]]+\] "(\S+) (\S+)[^"]*" \d{3} \S+ "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)"/;

function accessLog(rel: string): DetectInput[] {
  const out: DetectInput[] = [];
  for (const line of readFileSync(corpusFile(rel), 'latin1').split(/\r?\n/)) {
    const m = COMBINED.exec(line);
    if (!m) continue;
    const t = parseTarget(m[3]!);
    out.push({
      method: m[2]!,
      path: t.path,
      query: t.query,
      referer: m[4] === '-' ? null : m[4]!,
      userAgent: m[5]!,
    });
  }
  return out;
}

describeCorpus('detection accuracy on the labelled corpus', () => {
  it('CSIC 2010: no false alarms on normal traffic, honest recall on anomalous', () => {
    const normal = parseRawRequests(
      readFileSync(
        corpusFile('B_labelled_attacks/csic2010_normalTrafficTest_every12th.txt'),
        'latin1',
      ),
    );
    const anomalous = parseRawRequests(
      readFileSync(
        corpusFile('B_labelled_attacks/csic2010_anomalousTrafficTest_every8th.txt'),
        'latin1',
      ),
    );
    expect(normal).toHaveLength(3000);
    expect(anomalous).toHaveLength(3134);
    const r = evalCsic(det, normal, anomalous);
    expect(fpRate(r.overall)).toBeLessThanOrEqual(0.005);
    expect(precision(r.overall)).toBeGreaterThanOrEqual(0.99);
    expect(recall(r.overall)).toBeGreaterThanOrEqual(0.25);
  });

  it('HttpParamsDataset: high precision, per-type recall floors', () => {
    const payloads = parsePayloadCsv(
      readFileSync(corpusFile('B_labelled_attacks/httpparamsdataset_payload_test.csv'), 'utf8'),
    );
    const r = evalPayloads(det, payloads);
    expect(precision(r.overall)).toBeGreaterThanOrEqual(0.99);
    expect(fpRate(r.overall)).toBeLessThanOrEqual(0.005);
    const floors: Record<string, number> = {
      sqli: 0.95,
      xss: 0.85,
      'path-traversal': 0.7,
      cmdi: 0.7,
    };
    for (const [type, floor] of Object.entries(floors)) {
      expect(recall(r.byType[type]!), type).toBeGreaterThanOrEqual(floor);
      expect(precision(r.byType[type]!), type).toBeGreaterThanOrEqual(0.95);
    }
  });

  it('real access logs: quiet on ordinary sites, loud on scanners', () => {
    for (const rel of [
      'A_access_logs/elastic-examples_apache_logs_semicomplete_2015.log',
      'A_access_logs/zanbil-ir_nginx_combined_xff_2019_first10k.log',
    ]) {
      const reqs = accessLog(rel);
      expect(reqs.length).toBeGreaterThan(9000);
      const flagged = reqs.filter((x) => det.detect(x).detections.length > 0).length;
      expect(flagged / reqs.length, rel).toBeLessThanOrEqual(0.005);
    }
    const w3af = accessLog('A_access_logs/ocatak_apache_scanner_w3af_2016.log');
    const byUa = w3af.filter((x) =>
      det.detect(x).detections.some((d) => d.ruleId === 'scanner.tool-ua'),
    ).length;
    expect(byUa / w3af.length).toBeGreaterThanOrEqual(0.95);
    const netsparker = accessLog('A_access_logs/ocatak_apache_scanner_netsparker_2016.log');
    const flagged = netsparker.filter((x) => det.detect(x).detections.length > 0).length;
    expect(flagged / netsparker.length).toBeGreaterThanOrEqual(0.3);
  });
});
