import {
  Actor,
  JSON_TYPE,
  loginCall,
  reportsLatencyMs,
  sessionCookie,
  type Emit,
} from './demoActor.js';
import { demoJwt } from './demoRequest.js';
import { BROWSERS, userIp, type ApiClient, type DemoUser } from './demoPopulation.js';
import { DAY_START_US, DAY_US } from './demoStory.js';
import type { Rng } from './prng.js';

/** The ordinary day around the incident: people working, integrations polling, probes. */

const HOUR_US = 3600 * 1_000_000;
// Customers in Europe and the Americas: quiet at night UTC, busiest in the afternoon.
const HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 4, 7, 9, 10, 10, 9, 9, 10, 11, 11, 10, 8, 6, 5, 4, 3, 2, 1];
const SEARCH_WORDS = [
  'roadmap',
  'invoice',
  'q3 plan',
  'onboarding',
  'bug',
  'design review',
  'okr',
  'hiring',
  'launch',
  'budget',
];

function diurnalStart(rng: Rng): number {
  const hour = rng.weighted(HOUR_WEIGHTS.map((w, h) => [h, w] as const));
  return DAY_START_US + hour * HOUR_US + rng.next() * HOUR_US;
}

const inDay = (t: number): boolean => t < DAY_START_US + DAY_US;

export function backgroundTraffic(
  rng: Rng,
  emit: Emit,
  users: DemoUser[],
  clients: ApiClient[],
): void {
  monitoring(rng, emit);
  for (const u of users) {
    const n = rng.weighted([
      [0, 15],
      [1, 45],
      [2, 30],
      [3, 10],
    ] as const);
    for (let i = 0; i < n; i++) browsingSession(rng, emit, u, diurnalStart(rng));
  }
  for (let i = 0; i < 38; i++) signup(rng, emit, i);
  for (const c of clients) apiClient(rng, emit, c);
  legacyMobile(rng, emit, users.slice(30, 42));
  for (let i = 0; i < 6; i++) passwordReset(rng, emit, rng.pick(users.slice(6)));
  const devops = users.find((u) => u.email.startsWith('dev.ops@'))!;
  for (const hms of [7.5, 7.6, 16.2]) {
    const a = new Actor(emit, DAY_START_US + hms * HOUR_US, {
      ip: devops.homeIp,
      userAgent: 'curl/8.5.0',
      cookie: sessionCookie(rng),
      userId: devops.email,
    });
    a.send({ method: 'GET', uri: '/api/internal/debug/config', ms: 9, size: 5210 });
  }
}

function monitoring(rng: Rng, emit: Emit): void {
  const probe = new Actor(emit, DAY_START_US + 7_250_000, {
    ip: '10.0.4.17',
    userAgent: 'kube-probe/1.29',
  });
  while (inDay(probe.t)) {
    probe.send({ method: 'GET', uri: '/actuator/health', ms: rng.around(3, 1, 1), size: 15 });
    probe.t = Math.round(probe.t / 60_000_000) * 60_000_000 + 60_000_000 + 7_250_000;
  }
  const prom = new Actor(emit, DAY_START_US + 31_000_000, {
    ip: '10.0.4.30',
    userAgent: 'Prometheus/2.51.2',
  });
  while (inDay(prom.t)) {
    prom.send({
      method: 'GET',
      uri: '/actuator/prometheus',
      ms: rng.around(18, 6, 5),
      size: rng.int(48_000, 52_000),
      respContentType: 'text/plain; version=0.0.4; charset=utf-8',
    });
    prom.t += 300_000_000 - 18_000;
  }
}

function browsingSession(rng: Rng, emit: Emit, u: DemoUser, start: number): void {
  const cookie = sessionCookie(rng);
  const a = new Actor(emit, start, {
    ip: rng.chance(0.85) ? u.homeIp : userIp(rng),
    userAgent: u.userAgent,
  });
  if (rng.chance(0.4)) {
    if (rng.chance(0.1)) {
      a.send(loginCall(rng, u.email, false));
      a.wait(rng, 4, 15);
    }
    a.send(loginCall(rng, u.email, true, cookie));
    a.wait(rng, 0.2, 1);
  }
  a.cookie = cookie;
  a.userId = u.email;
  a.send({ method: 'GET', uri: '/api/v1/me', ms: rng.around(12, 5, 3), size: rng.int(560, 640) });
  const steps = rng.int(4, 16);
  for (let i = 0; i < steps && inDay(a.t); i++) {
    a.wait(rng, 2, 45);
    browsingStep(rng, a, u);
  }
  if (rng.chance(0.25)) {
    a.wait(rng, 2, 20);
    a.send({ method: 'POST', uri: '/api/v1/auth/logout', status: 204, ms: 6, size: 0 });
  }
}

type Step =
  | 'projects'
  | 'project'
  | 'tasks'
  | 'newTask'
  | 'editTask'
  | 'reports'
  | 'search'
  | 'teammate'
  | 'upload'
  | 'download'
  | 'chat'
  | 'invoices'
  | 'checkout'
  | 'password'
  | 'admin';

function browsingStep(rng: Rng, a: Actor, u: DemoUser): void {
  const step = rng.weighted<Step>([
    ['projects', 14],
    ['project', 16],
    ['tasks', 16],
    ['newTask', 7],
    ['editTask', 8],
    ['reports', 8],
    ['search', 6],
    ['teammate', 5],
    ['upload', 3],
    ['download', 3],
    ['chat', 4],
    ['invoices', u.role === 'admin' ? 4 : 1],
    ['checkout', u.role === 'admin' ? 1.5 : 0.2],
    ['password', 0.4],
    ['admin', u.staff ? 8 : 0],
  ]);
  const pid = rng.int(1, 400);
  switch (step) {
    case 'projects':
      a.send({
        method: 'GET',
        uri: '/api/v1/projects?page=1&limit=25',
        ms: rng.around(35, 12, 8),
        size: rng.int(4000, 12000),
      });
      return;
    case 'project':
      a.send({
        method: 'GET',
        uri: `/api/v1/projects/${pid}`,
        ms: rng.around(20, 8, 5),
        size: rng.int(1000, 3000),
      });
      return;
    case 'tasks':
      a.send({
        method: 'GET',
        uri: `/api/v1/projects/${pid}/tasks?status=open`,
        ms: rng.around(45, 15, 10),
        size: rng.int(5000, 20000),
      });
      return;
    case 'newTask':
      a.send({
        method: 'POST',
        uri: `/api/v1/projects/${pid}/tasks`,
        status: 201,
        ms: rng.around(30, 10, 8),
        size: rng.int(400, 900),
        bytesRead: rng.int(200, 800),
        contentType: JSON_TYPE,
      });
      return;
    case 'editTask':
      a.send({
        method: 'PATCH',
        uri: `/api/v1/tasks/${rng.int(1, 20000)}`,
        ms: rng.around(25, 8, 6),
        size: rng.int(400, 900),
        bytesRead: rng.int(40, 300),
        contentType: JSON_TYPE,
      });
      return;
    case 'reports':
      a.send({
        method: 'GET',
        uri: `/api/v1/reports?range=${rng.pick(['7d', '30d', '90d'])}`,
        ms: reportsLatencyMs(rng, a.t),
        size: rng.int(20000, 60000),
      });
      return;
    case 'search':
      a.send({
        method: 'GET',
        uri: `/api/v1/search?q=${encodeURIComponent(rng.pick(SEARCH_WORDS))}`,
        ms: rng.around(60, 25, 15),
        size: rng.int(800, 9000),
      });
      return;
    case 'teammate':
      a.send({
        method: 'GET',
        uri: `/api/v1/users/${rng.int(1001, 1190)}`,
        ms: rng.around(15, 5, 4),
        size: rng.int(500, 700),
      });
      return;
    case 'upload':
      a.send({
        method: 'POST',
        uri: '/api/v1/files',
        status: 201,
        ms: rng.around(400, 300, 80),
        size: rng.int(180, 260),
        bytesRead: rng.int(20_000, 4_000_000),
        contentType: `multipart/form-data; boundary=----WebKitFormBoundary${rng.hex(16)}`,
      });
      return;
    case 'download':
      a.send({
        method: 'GET',
        uri: `/api/v1/files/${rng.int(1, 9000)}`,
        ms: rng.around(80, 40, 10),
        size: rng.int(20_000, 3_000_000),
        respContentType: rng.pick(['application/pdf', 'image/png', 'text/csv']),
      });
      return;
    case 'chat':
      a.send({
        method: 'POST',
        uri: '/v1/chat/completions',
        ms: rng.around(3000, 1500, 700),
        size: rng.int(1200, 8000),
        bytesRead: rng.int(300, 3000),
        contentType: JSON_TYPE,
      });
      return;
    case 'invoices':
      a.send({
        method: 'GET',
        uri: '/api/v1/billing/invoices',
        ms: rng.around(40, 15, 10),
        size: rng.int(2000, 9000),
      });
      return;
    case 'checkout':
      checkout(rng, a);
      return;
    case 'password':
      a.send({
        method: 'POST',
        uri: '/api/v1/account/password',
        status: rng.chance(0.8) ? 200 : 400,
        ms: rng.around(160, 40, 80),
        size: 48,
        bytesRead: rng.int(90, 140),
        contentType: JSON_TYPE,
      });
      return;
    case 'admin':
      a.send({
        method: 'GET',
        uri: rng.pick(['/admin/users?page=1', '/admin/audit', '/admin/tenants']),
        ms: rng.around(70, 25, 20),
        size: rng.int(6000, 30000),
      });
      return;
  }
}

function checkout(rng: Rng, a: Actor): void {
  a.send({
    method: 'GET',
    uri: '/api/v1/billing/plans',
    ms: rng.around(15, 5, 4),
    size: rng.int(1800, 2200),
  });
  a.wait(rng, 5, 40);
  if (rng.chance(0.4)) {
    a.send({
      method: 'POST',
      uri: '/api/v1/billing/payment-methods',
      status: 201,
      ms: rng.around(600, 200, 200),
      size: 220,
      bytesRead: rng.int(150, 260),
      contentType: JSON_TYPE,
    });
    a.wait(rng, 2, 10);
  }
  const declined = rng.chance(0.12);
  a.send({
    method: 'POST',
    uri: '/api/v1/billing/checkout',
    status: declined ? 402 : 200,
    ms: rng.around(900, 300, 300),
    size: declined ? 140 : 610,
    bytesRead: rng.int(120, 300),
    contentType: JSON_TYPE,
  });
  if (!declined) {
    a.wait(rng, 1, 5);
    a.send({
      method: 'GET',
      uri: '/api/v1/billing/invoices',
      ms: rng.around(40, 15, 10),
      size: rng.int(2000, 9000),
    });
  }
}

function signup(rng: Rng, emit: Emit, i: number): void {
  const email = `new.user${i + 1}@${rng.pick(['northwind.example', 'globex.example', 'example.com'])}`;
  const start = DAY_START_US + (7 + rng.next() * 14) * HOUR_US;
  const a = new Actor(emit, start, { ip: userIp(rng), userAgent: rng.pick(BROWSERS) });
  const cookie = sessionCookie(rng);
  a.send({
    method: 'POST',
    uri: '/api/v1/auth/signup',
    status: 201,
    ms: rng.around(220, 60, 90),
    size: 310,
    bytesRead: rng.int(140, 220),
    contentType: JSON_TYPE,
    userId: email,
    setCookie: `${cookie.split(';')[0]}; Path=/; HttpOnly; Secure`,
  });
  a.cookie = cookie;
  a.userId = email;
  a.wait(rng, 3, 10);
  a.send({
    method: 'POST',
    uri: `/api/v1/sms/send-code?phone=%2B1555${rng.int(1000000, 9999999)}`,
    ms: rng.around(250, 80, 90),
    size: 42,
    contentType: JSON_TYPE,
    bytesRead: 2,
  });
  a.wait(rng, 15, 60);
  a.send({
    method: 'POST',
    uri: '/api/v1/sms/verify',
    ms: rng.around(30, 10, 8),
    size: 40,
    bytesRead: 18,
    contentType: JSON_TYPE,
  });
  a.wait(rng, 2, 10);
  a.send({ method: 'GET', uri: '/api/v1/me', ms: rng.around(12, 5, 3), size: rng.int(560, 640) });
  a.wait(rng, 5, 30);
  a.send({
    method: 'GET',
    uri: '/api/v1/projects?page=1&limit=25',
    ms: rng.around(35, 12, 8),
    size: 120,
  });
  if (rng.chance(0.35)) {
    a.wait(rng, 10, 60);
    checkout(rng, a);
  }
}

function apiClient(rng: Rng, emit: Emit, c: ApiClient): void {
  const bearer = demoJwt({
    sub: c.sub,
    role: c.role,
    iat: Math.floor(DAY_START_US / 1e6) - rng.int(3600, 30 * 86400),
  });
  const a = new Actor(emit, DAY_START_US + rng.next() * HOUR_US, {
    ip: c.ip,
    userAgent: c.userAgent,
    bearer,
    userId: c.sub,
  });
  for (;;) {
    a.wait(rng, 0, (2 * 3600) / c.rate);
    if (!inDay(a.t)) return;
    const what = rng.weighted([
      ['poll', 6],
      ['tasks', 3],
      ['report', c.sub === 'svc-bi-export' ? 4 : 0.5],
      ['chat', c.usesLlm ? 2 : 0],
      ['callback', c.sub === 'svc-hubspot' ? 3 : 0],
      ['xml', c.sub === 'svc-jira-import' ? 3 : 0],
    ] as const);
    switch (what) {
      case 'poll':
        a.send({
          method: 'GET',
          uri: `/api/v1/projects?updated_since=${Math.floor(a.t / 1e6) - 3600}&limit=100`,
          ms: rng.around(35, 12, 8),
          size: rng.int(300, 15000),
        });
        break;
      case 'tasks':
        a.send({
          method: 'GET',
          uri: `/api/v1/projects/${rng.int(1, 400)}/tasks`,
          ms: rng.around(45, 15, 10),
          size: rng.int(5000, 20000),
        });
        break;
      case 'report':
        a.send({
          method: 'GET',
          uri: '/api/v1/reports?range=1d&format=json',
          ms: reportsLatencyMs(rng, a.t),
          size: rng.int(20000, 60000),
        });
        break;
      case 'chat':
        a.send({
          method: 'POST',
          uri: '/v1/chat/completions',
          ms: rng.around(2500, 1200, 600),
          size: rng.int(1200, 6000),
          bytesRead: rng.int(300, 2500),
          contentType: JSON_TYPE,
        });
        break;
      case 'callback':
        a.send({
          method: 'GET',
          uri: `/api/v1/integrations/callback?api_key=ak_live_${rng.hex(24)}&event=contact.updated`,
          ms: rng.around(20, 6, 5),
          size: 30,
        });
        break;
      case 'xml':
        a.send({
          method: 'POST',
          uri: '/api/v1/integrations/import',
          status: 202,
          ms: rng.around(300, 100, 80),
          size: 90,
          bytesRead: rng.int(4000, 90000),
          contentType: 'application/xml',
        });
        break;
    }
  }
}

/** The 1.x mobile app still calls the v0 API that the spec deprecated. */
function legacyMobile(rng: Rng, emit: Emit, owners: DemoUser[]): void {
  for (const u of owners) {
    for (let s = rng.int(1, 3); s > 0; s--) {
      const a = new Actor(emit, diurnalStart(rng), {
        ip: userIp(rng),
        userAgent: 'AcmeMobile/1.2.7 (Android 9; SM-G960F)',
        cookie: sessionCookie(rng),
        userId: u.email,
      });
      for (let i = rng.int(3, 8); i > 0; i--) {
        a.send(
          rng.chance(0.6)
            ? {
                method: 'GET',
                uri: `/api/v0/users/${u.numericId}`,
                ms: rng.around(30, 10, 8),
                size: rng.int(700, 900),
              }
            : {
                method: 'GET',
                uri: '/api/v0/projects',
                ms: rng.around(60, 20, 15),
                size: rng.int(4000, 12000),
              },
        );
        a.wait(rng, 5, 60);
      }
    }
  }
}

function passwordReset(rng: Rng, emit: Emit, u: DemoUser): void {
  const a = new Actor(emit, diurnalStart(rng), { ip: u.homeIp, userAgent: u.userAgent });
  a.send({
    method: 'POST',
    uri: '/api/v1/auth/password-reset/request',
    status: 202,
    ms: rng.around(180, 50, 60),
    size: 40,
    bytesRead: 40 + u.email.length,
    contentType: JSON_TYPE,
    userId: u.email,
  });
  a.wait(rng, 40, 300);
  a.send({
    method: 'GET',
    uri: `/api/v1/auth/password-reset?token=${rng.hex(40)}`,
    ms: 12,
    size: 2100,
    respContentType: 'text/html; charset=utf-8',
  });
  a.wait(rng, 10, 40);
  a.send({
    method: 'POST',
    uri: '/api/v1/auth/password-reset',
    ms: rng.around(170, 40, 80),
    size: 48,
    bytesRead: rng.int(110, 150),
    contentType: JSON_TYPE,
    userId: u.email,
  });
}
