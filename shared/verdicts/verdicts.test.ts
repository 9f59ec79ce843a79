import { describe, expect, it } from 'vitest';
import { computeBaselines } from './baseline.js';
import { combineVerdict } from './combine.js';
import { evaluateSession } from './evaluate.js';
import type { SessionFeatures } from './features.js';
import { reasonText } from './reasonText.js';
import { defaultVerdictThresholds, verdictThresholdsSchema } from './thresholds.js';
import type { DetectorName } from './types.js';
import { classifyUserAgent } from './userAgent.js';
import {
  features,
  irregular,
  normalCapture,
  normalSession,
  req,
  T0,
} from './verdictTestSessions.js';

const t = defaultVerdictThresholds();

function fired(f: SessionFeatures, thresholds = t): DetectorName[] {
  const b = computeBaselines([...normalCapture, f], thresholds);
  return evaluateSession(f, b, thresholds).map((r) => r.detector);
}

const login = (status: number, user = 7) => ({
  auth: true,
  status,
  user,
  endpoint: 100,
  path: '/api/v1/auth/login',
});

/** Each detector: a session at its threshold fires it, one just under does not. */
const cases: {
  detector: DetectorName;
  at: () => SessionFeatures;
  under: () => SessionFeatures;
}[] = [
  {
    detector: 'brute',
    at: () => features(irregular(10, () => login(401))),
    under: () => features(irregular(9, () => login(401))),
  },
  {
    detector: 'credential_stuffing',
    at: () => features(irregular(10, (k) => login(200, 500 + k))),
    under: () => features(irregular(9, (k) => login(200, 500 + k))),
  },
  {
    detector: 'account_takeover',
    at: () => features(irregular(6, (k) => login(k < 5 ? 401 : 200))),
    under: () => features(irregular(5, (k) => login(k < 4 ? 401 : 200))),
  },
  {
    detector: 'ip_rotation',
    at: () => features(irregular(10, (k) => ({ ip: 10 + (k % 5) }))),
    under: () => features(irregular(10, (k) => ({ ip: 10 + (k % 4) }))),
  },
  {
    detector: 'session_rotation',
    at: () => ({ ...normalSession(99), userSessions: 10 }),
    under: () => ({ ...normalSession(99), userSessions: 9 }),
  },
  {
    detector: 'bola',
    at: () =>
      features(irregular(50, (k) => ({ endpoint: 9, templated: true, path: `/api/users/${k}` }))),
    under: () =>
      features(irregular(49, (k) => ({ endpoint: 9, templated: true, path: `/api/users/${k}` }))),
  },
  {
    detector: 'enum',
    at: () => features(irregular(50, (k) => ({ path: '/api/lookup', query: `email=u${k}%40x` }))),
    under: () =>
      features(irregular(50, (k) => ({ path: '/api/lookup', query: `email=u${k % 49}%40x` }))),
  },
  {
    detector: 'dirbust',
    at: () => features(irregular(20, (k) => ({ status: 404, path: `/probe${k}` }))),
    under: () => features(irregular(20, (k) => ({ status: k < 19 ? 404 : 200, path: `/p${k}` }))),
  },
  {
    detector: 'sms_pumping',
    at: () => features(irregular(5, (k) => ({ sms: true, query: `phone=%2B3712000000${k}` }))),
    under: () =>
      features(irregular(5, (k) => ({ sms: true, query: `phone=%2B3712000000${k % 4}` }))),
  },
  {
    detector: 'scraping',
    // 200 resources at 2–20 s gaps would be under 20/min; one-second gaps are 60/min.
    at: () =>
      features(
        Array.from({ length: 200 }, (_, k) =>
          req({ tsUs: T0 + k * 1e6 + (k % 3) * 3e5, path: `/catalog/item-${k}` }),
        ),
      ),
    under: () =>
      features(
        Array.from({ length: 199 }, (_, k) =>
          req({ tsUs: T0 + k * 1e6 + (k % 3) * 3e5, path: `/catalog/item-${k}` }),
        ),
      ),
  },
  {
    detector: 'data_volume',
    at: () => features(irregular(10, () => ({ respBytes: 5_000_000 }))),
    under: () => features(irregular(10, (k) => ({ respBytes: 5_000_000 - (k === 0 ? 1 : 0) }))),
  },
  {
    detector: 'request_rate',
    // 120 requests within one minute (the span counts as one minute): 120 per minute.
    at: () =>
      features(
        Array.from({ length: 120 }, (_, k) =>
          req({ tsUs: T0 + k * 4e5 + (k % 7) * 1e5, path: `/x${k % 60}` }),
        ),
      ),
    under: () =>
      features(
        Array.from({ length: 119 }, (_, k) =>
          req({ tsUs: T0 + k * 4e5 + (k % 7) * 1e5, path: `/x${k % 60}` }),
        ),
      ),
  },
  {
    detector: 'regular_intervals',
    // Gaps alternating 9.1 s / 10.9 s: CV 0.09; 8.9 s / 11.1 s: CV 0.11.
    at: () => features(alternating(21, 9.1, 10.9)),
    under: () => features(alternating(21, 8.9, 11.1)),
  },
  {
    detector: 'low_uniqueness',
    at: () => features(irregular(40, (k) => ({ path: `/poll${k % 2}` }))),
    under: () => features(irregular(40, (k) => ({ path: `/poll${k % 3}` }))),
  },
  {
    detector: 'bad_user_agent',
    at: () =>
      features(
        irregular(20, (k) => ({ path: `/p${k}` })),
        'scanner',
      ),
    under: () =>
      features(
        irregular(20, (k) => ({ path: `/p${k}` })),
        'declared_bot',
      ),
  },
];

function alternating(n: number, a: number, b: number) {
  let ts = T0;
  return Array.from({ length: n }, (_, k) => {
    if (k > 0) ts += (k % 2 === 0 ? a : b) * 1e6;
    return req({ tsUs: ts, path: `/status${k}` });
  });
}

describe('behavioural detectors', () => {
  it('leave normal generated sessions alone', () => {
    const b = computeBaselines(normalCapture, t);
    for (const f of normalCapture) expect(evaluateSession(f, b, t)).toEqual([]);
  });

  for (const c of cases) {
    it(`${c.detector}: fires at the threshold, not just under it`, () => {
      expect(fired(c.at())).toContain(c.detector);
      expect(fired(c.under())).not.toContain(c.detector);
    });
  }

  it('bola counts object ids within a window, not over the whole session', () => {
    // 50 ids, one every 25 s: about 25 in any ten minutes, all 50 in thirty.
    const slow = Array.from({ length: 50 }, (_, k) =>
      req({ tsUs: T0 + k * 25e6, endpoint: 9, templated: true, path: `/api/users/${k}` }),
    );
    expect(features(slow).maxIdsPerEndpoint).toBe(25);
    expect(fired(features(slow))).not.toContain('bola');
    const wide = verdictThresholdsSchema.parse({ bolaWindowMin: 30 });
    expect(fired(features(slow, 'browser', 30 * 60e6), wide)).toContain('bola');
  });

  it('ids not found on one templated endpoint are enumeration (bola), not forced browsing', () => {
    const ids = irregular(60, (k) => ({
      status: k % 3 === 0 ? 404 : 200,
      endpoint: 9,
      templated: true,
      path: `/api/users/${k}`,
    }));
    const f = features(ids);
    expect(f.notFoundPaths).toBe(1);
    expect(fired(f)).toContain('bola');
    expect(fired(f)).not.toContain('dirbust');
  });

  it('the thresholds are settings: a lower one fires earlier', () => {
    const nine = features(irregular(9, () => login(401)));
    expect(fired(nine, verdictThresholdsSchema.parse({ bruteMinFailures: 9 }))).toContain('brute');
  });

  it('a feature that is normal in this capture is not evidence', () => {
    // Every session fails ten logins: the baseline is ten, so ten is not above it.
    const all = Array.from({ length: 20 }, () => features(irregular(10, () => login(401))));
    const b = computeBaselines(all, t);
    expect(evaluateSession(all[0]!, b, t).map((r) => r.detector)).not.toContain('brute');
  });

  it('reports value, baseline and how far off, as text', () => {
    const f = features(irregular(30, (k) => ({ ip: 100 + (k % 15), path: `/p${k}` })));
    const b = computeBaselines([...normalCapture, f], t);
    const r = evaluateSession(f, b, t).find((x) => x.detector === 'ip_rotation')!;
    expect(r).toMatchObject({ value: 15, baseline: 2, ratio: 7.5, direction: 'above' });
    expect(reasonText(r)).toBe('IP rotation 15 vs ≤ 2 — 7.5× above');
    // Against a zero baseline no ratio is claimed.
    expect(reasonText({ ...r, detector: 'brute', value: 15, baseline: 0, ratio: 15 })).toBe(
      'Failed logins 15 vs ≤ 0 (none elsewhere)',
    );
  });

  it('scrapers are judged on interval regularity below the baseline', () => {
    const f = features(alternating(30, 10, 10));
    const b = computeBaselines([...normalCapture, f], t);
    const r = evaluateSession(f, b, t).find((x) => x.detector === 'regular_intervals')!;
    expect(r.direction).toBe('below');
    expect(r.value).toBe(0);
    // No ratio against a value of 0 (it was "0 vs ≥ 0.373 — 373.5× below").
    expect(reasonText(r)).toMatch(/^Interval variation 0 vs ≥ 0\.\d+$/);
    // A value that only rounds to 0 keeps two significant digits.
    expect(reasonText({ ...r, value: 0.00041, ratio: 345.4 })).toMatch(
      /^Interval variation 0\.00041 vs ≥ 0\.\d+ — 345\.4× below$/,
    );
  });
});

describe('verdict combination', () => {
  it('brute force with stuffing is malicious account takeover; agreement raises confidence', () => {
    const f = features(irregular(30, (k) => login(401, 900 + k)));
    const b = computeBaselines([...normalCapture, f], t);
    const v = combineVerdict(evaluateSession(f, b, t));
    expect(v.level).toBe('malicious');
    expect(v.botType).toBe('account_takeover');
    // One login URL over and over is also low uniqueness, which points elsewhere (API abuse).
    expect(v.reasons.map((r) => r.detector)).toEqual([
      'brute',
      'credential_stuffing',
      'low_uniqueness',
    ]);
    expect(v.confidence).toBe(0.94);
  });

  it('one weak reason is suspicious, none is none', () => {
    const f = features(alternating(30, 10, 10));
    const b = computeBaselines([...normalCapture, f], t);
    expect(combineVerdict(evaluateSession(f, b, t))).toMatchObject({
      level: 'suspicious',
      botType: 'api_abuse',
      confidence: 0.5,
    });
    expect(combineVerdict([])).toEqual({
      level: 'none',
      botType: null,
      confidence: 0,
      reasons: [],
    });
  });

  it('a scanner is a security crawler', () => {
    const f = features(
      irregular(30, (k) => ({ status: 404, path: `/admin${k}` })),
      'scanner',
    );
    const b = computeBaselines([...normalCapture, f], t);
    expect(combineVerdict(evaluateSession(f, b, t))).toMatchObject({
      level: 'malicious',
      botType: 'security_crawler',
    });
  });

  it('without enough sessions for a baseline the thresholds decide alone', () => {
    const f = features(irregular(10, () => login(401)));
    const b = computeBaselines([f], t);
    const [r] = evaluateSession(f, b, t);
    expect(r).toMatchObject({ detector: 'brute', baseline: null, ratio: null });
    expect(reasonText(r!)).toBe('Failed logins 10 (threshold 10, no baseline)');
  });
});

describe('user agent evidence', () => {
  it('an HTTP library alone is not a verdict; beside other evidence it counts, without a vote', () => {
    const quiet = features(
      irregular(30, (k) => ({ path: `/p${k}` })),
      'script',
    );
    expect(fired(quiet)).toEqual([]);
    const noisy = features(
      irregular(30, (k) => ({ path: `/p${k}`, ip: 10 + (k % 6) })),
      'script',
    );
    const b = computeBaselines([...normalCapture, noisy], t);
    const v = combineVerdict(evaluateSession(noisy, b, t));
    expect(v.reasons.map((r) => r.detector)).toEqual(['ip_rotation', 'bad_user_agent']);
    expect(v).toMatchObject({ level: 'suspicious', botType: 'account_takeover', confidence: 0.5 });
  });

  it('equal weight goes to the bot type whose evidence is furthest from normal', () => {
    const r = (detector: DetectorName, ratio: number) => ({
      detector,
      value: 1,
      threshold: 1,
      baseline: 1,
      direction: 'above' as const,
      ratio,
      strong: true,
    });
    expect(combineVerdict([r('dirbust', 3), r('bola', 500)]).botType).toBe('api_abuse');
    expect(combineVerdict([r('dirbust', 600), r('bola', 500)]).botType).toBe('security_crawler');
  });
});

describe('user agent classes', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0', 'browser'],
    ['sqlmap/1.8#stable (https://sqlmap.org)', 'scanner'],
    ['Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:000001)', 'scanner'],
    ['python-httpx/0.27.0', 'script'],
    ['curl/8.5.0', 'script'],
    ['', 'empty'],
    [null, 'empty'],
    ['kube-probe/1.29', 'declared_bot'],
    ['AcmeMobile/1.2.7', 'other'],
  ])('%s → %s', (ua, cls) => {
    expect(classifyUserAgent(ua)).toBe(cls);
  });
});
