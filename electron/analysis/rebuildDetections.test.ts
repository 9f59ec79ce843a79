import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { benchRequests } from '../../bench/analysisBench.js';
import { rulesCalls } from '../../shared/contract/rulesApi.js';
import { seedSource, type SeedRequest } from '../../test/fixtures/analysis/seedCase.js';
import { dumpDerived as dump } from '../../test/derivedDump.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { requestDetections } from '../api/detectHandlers.js';
import {
  addRule as addParsed,
  deleteRule,
  markDetection,
  unmarkDetection,
  updateRule,
} from '../rules/rulesDb.js';
import { listAudit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';
import { rebuild } from './rebuild.js';
import { rebuildDetections } from './rebuildDetections.js';
import { readSettings, writeSettings } from './settingsRepo.js';

const T0 = Date.UTC(2024, 2, 1) * 1000;
// Attacks from a few clients among ordinary traffic, so detections, risk and counts move.
function* attacks(): Generator<SeedRequest> {
  for (let i = 0; i < 60; i++) {
    yield {
      tsUs: T0 + i * 30_000_000,
      ip: `10.9.0.${i % 4}`,
      method: 'GET',
      host: 'shop.example',
      path: i % 3 === 0 ? '/api/cards' : '/search',
      query:
        i % 3 === 0
          ? `pan=4111111111111${String(100 + i)}`
          : i % 2 === 0
            ? `q=${i}'%20union%20select%20password%20from%20users--`
            : `q=%3Cscript%3Ealert(${i})%3C/script%3E`,
      status: i % 5 === 0 ? 500 : 200,
      userAgent: i % 4 === 0 ? 'InternalScanner/1.0' : 'Firefox',
    };
  }
}

let ws: ReturnType<typeof tempWorkspace>;
let db: CaseDb;
beforeEach(() => {
  ws = tempWorkspace('ss-rebuild-detections-');
  db = ws.openCase();
  seedSource(db, 'bench', benchRequests(3000));
  seedSource(db, 'attacks', attacks());
  rebuild(db);
});
afterEach(() => ws.cleanup());

const addRule = (input: unknown) => addParsed(db, rulesCalls.addRule.input.parse(input));
const lastRebuild = () =>
  listAudit(db)
    .filter((e) => e.action === 'analysis.rebuild')
    .at(-1)!;
const firstFinding = (requestId: number) =>
  requestDetections(db, requestId).find((d) => d.verdict === null)!;
const flaggedRequest = () =>
  (db.prepare('SELECT min(request_id) AS id FROM detections').get() as { id: number }).id;

/** The change's partial rebuild left what a full rebuild gives; returns the audited kind. */
function expectSameAsFull(): unknown {
  const kind = lastRebuild().details['kind'];
  const partial = dump(db);
  rebuild(db);
  expect(partial).toEqual(dump(db));
  return kind;
}

describe('rebuild from the detections onward', () => {
  it('after marks and rule changes, every derived table equals a full rebuild', () => {
    const before = dump(db);
    const req = flaggedRequest();
    const mark = markDetection(db, {
      detectionId: firstFinding(req).id,
      verdict: 'false_positive',
      scope: 'request',
    });
    expect(dump(db).fp_detections).toHaveLength(1);
    expect(expectSameAsFull()).toBe('marks');

    const sup = markDetection(db, {
      detectionId: firstFinding(flaggedRequest()).id,
      verdict: 'false_positive',
      scope: 'type',
    });
    expect(dump(db).fp_detections.length).toBeGreaterThan(1);
    expect(expectSameAsFull()).toBe('marks');

    const detect = addRule({
      kind: 'detect',
      field: 'param',
      fieldName: 'pan',
      match: 'regex',
      pattern: '^4\\d{15}$',
      type: 'card_testing',
    });
    expect(detect.detections).toBeGreaterThan(0);
    expect(expectSameAsFull()).toBe('detections');

    const tag = addRule({
      kind: 'tag',
      field: 'ua',
      match: 'literal',
      pattern: 'internalscanner',
      label: 'Internal',
    });
    expect(dump(db).request_tags.length).toBeGreaterThan(0);
    expect(expectSameAsFull()).toBe('detections');

    updateRule(db, { id: detect.id, enabled: false });
    expect(expectSameAsFull()).toBe('detections');
    deleteRule(db, sup.ruleRef!);
    expect(expectSameAsFull()).toBe('marks');
    deleteRule(db, tag.id);
    deleteRule(db, detect.id);
    unmarkDetection(db, mark.markId!);
    expect(expectSameAsFull()).toBe('marks');
    // Every change undone: the derived tables are the first rebuild's.
    expect(dump(db)).toEqual(before);
  });

  it('re-scores from the requests where no risk inputs were kept (a case analysed before)', () => {
    db.exec('DELETE FROM endpoint_risk_inputs');
    markDetection(db, {
      detectionId: firstFinding(flaggedRequest()).id,
      verdict: 'false_positive',
      scope: 'type',
    });
    // Read once from the requests, for every endpoint, and kept as a full rebuild keeps them.
    const { endpoint_risk: risk, endpoint_risk_inputs: inputs } = dump(db);
    expect(inputs.length).toBe(dump(db).endpoints.length);
    rebuild(db);
    expect(risk).toEqual(dump(db).endpoint_risk);
    expect(inputs).toEqual(dump(db).endpoint_risk_inputs);
  });

  it('is one audited transaction that leaves sessions, endpoints and verdicts untouched', () => {
    const before = dump(db);
    const r = rebuildDetections(db, 'detections');
    expect(Object.keys(r.stepCpuMs)).toEqual([
      'attack detection',
      'custom tags',
      'risk',
      'session attack counts',
      'session verdicts (crawler cap)',
    ]);
    expect(lastRebuild().details).toMatchObject({
      kind: 'detections',
      steps: Object.keys(r.stepCpuMs),
    });
    expect(dump(db)).toEqual(before);
  });

  it('runs a full rebuild when the analysis is older than the settings or requests', () => {
    writeSettings(db, { ...readSettings(db), inactivityTimeoutMin: 5 });
    rebuildDetections(db, 'marks');
    expect(lastRebuild().details['kind']).toBe('full');
    rebuildDetections(db, 'marks');
    expect(lastRebuild().details['kind']).toBe('marks');
    seedSource(db, 'more', attacks());
    rebuildDetections(db, 'marks');
    expect(lastRebuild().details['kind']).toBe('full');
  });
});
