/**
 * The fixed facts of the demo incident: who, from where, and when. The generator builds the
 * traffic from them, the test checks the capture against them, and resources/demo/README.md
 * tells the same story to the investigator.
 */

/** Thursday 2026-03-12 00:00:00 UTC: the capture covers this one day. */
export const DAY_START_US = Date.UTC(2026, 2, 12) * 1000;
export const DAY_US = 24 * 3600 * 1_000_000;

/** Microseconds of a UTC time of day on the demo day ("HH:MM" or "HH:MM:SS"). */
export function at(hms: string): number {
  const [h = 0, m = 0, s = 0] = hms.split(':').map(Number);
  return DAY_START_US + ((h * 60 + m) * 60 + s) * 1_000_000;
}

export const SEED = 0x5e55_1015;

export const STORY = {
  stuffing: {
    from: '03:12',
    to: '04:31',
    attempts: 1900,
    /** Rotating source addresses (203.0.113.0/24 and 198.51.100.128/25). */
    ipCount: 96,
    /** Leaked-list accounts that happened to be real: the stuffing got in twice. */
    hits: ['k.nguyen@globex.example', 'r.okafor@initech.example'],
  },
  takeover: {
    user: 'maria.lopez@acme-demo.test',
    userNumericId: 1003,
    officeIp: '192.0.2.10',
    attackerIp: '198.51.100.77',
    firstFailure: '09:14:05',
    failures: 17,
    success: '09:21:40',
    passwordChange: '09:24:18',
    export: '09:31:12',
    /** Maria finds her password changed and resets it. */
    victimReset: '10:05:00',
  },
  scan: {
    niktoIp: '192.0.2.200',
    niktoFrom: '11:02',
    niktoRequests: 640,
    sqlmapIp: '192.0.2.201',
    sqlmapFrom: '11:09',
    sqlmapRequests: 360,
    /** Boolean-blind injections on /api/v1/search that the server answered 200. */
    sqlmapSuccesses: 48,
  },
  enumeration: {
    /** The enumerator signed up at 12:41 with a throwaway address, then took an API token. */
    signupAt: '12:41:10',
    email: 'qa.tester.4471@example.net',
    sub: 'u-4471',
    ip: '198.51.100.23',
    from: '13:05',
    firstId: 1001,
    lastId: 3000,
  },
  regression: { deployAt: '14:00', beforeMs: 40, afterMs: 900, path: '/api/v1/reports' },
  smsPumping: {
    from: '15:20',
    to: '15:48',
    requests: 1400,
    /** 198.51.100.0/25 */
    ipCount: 40,
  },
  llmAbuse: {
    sub: 'svc-partner-7',
    ip: '192.0.2.99',
    from: '19:05',
    to: '20:55',
    requests: 1800,
  },
} as const;
