import { Actor, type Emit } from './demoActor.js';
import { demoJwt } from './demoRequest.js';
import { userIp } from './demoPopulation.js';
import { DAY_START_US, at } from './demoStory.js';
import type { Rng } from './prng.js';

/**
 * Two smaller findings for the risk score, drawn from their own PRNG stream so adding them left
 * the rest of the day (and the README's figures) unchanged:
 * - the BI export job calls /api/v1/reports/export with eleven query parameters;
 * - an old embedded checkout widget sends full card numbers in the query string of an
 *   undocumented, unauthenticated /api/v1/billing/verify-card.
 */
export const LEGACY = {
  biExportCalls: 12,
  verifyCardCalls: 14,
  widgetUserAgent: 'AcmeCheckoutWidget/0.9 (+embed)',
} as const;

// Well-known test card numbers (Luhn-valid, never issued).
const TEST_CARDS = ['4111111111111111', '5555555555554444', '4012888888881881', '378282246310005'];

export function legacyTraffic(rng: Rng, emit: Emit): void {
  const bi = new Actor(emit, at('01:00'), {
    ip: '100.77.9.40',
    userAgent: 'python-requests/2.31.0',
    bearer: demoJwt({ sub: 'svc-bi-export', role: 'service', iat: DAY_START_US / 1e6 - 86400 }),
    userId: 'svc-bi-export',
  });
  for (let i = 0; i < LEGACY.biExportCalls; i++) {
    bi.t = at('01:00') + i * 2 * 3600 * 1e6 + rng.int(0, 120) * 1e6;
    bi.send({
      method: 'GET',
      uri:
        '/api/v1/reports/export?from=2026-03-11&to=2026-03-12&tz=UTC&format=csv' +
        '&fields=project,owner,status,hours&group_by=project&sort=-hours&limit=1000&offset=0' +
        '&include_archived=false&locale=en-US',
      ms: rng.around(220, 60, 90),
      size: rng.int(80_000, 160_000),
      respContentType: 'text/csv',
    });
  }
  for (let i = 0; i < LEGACY.verifyCardCalls; i++) {
    const a = new Actor(emit, at('08:00') + rng.next() * 10 * 3600 * 1e6, {
      ip: userIp(rng),
      userAgent: LEGACY.widgetUserAgent,
    });
    const ok = rng.chance(0.85);
    a.send({
      method: 'GET',
      uri: `/api/v1/billing/verify-card?card_number=${rng.pick(TEST_CARDS)}&exp=${rng.int(1, 12)}${rng.int(27, 31)}&zip=${rng.int(10000, 99999)}`,
      status: ok ? 200 : 402,
      ms: rng.around(450, 150, 150),
      size: ok ? 64 : 88,
    });
  }
}
