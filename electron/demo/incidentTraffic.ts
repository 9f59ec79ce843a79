import { Actor, JSON_TYPE, loginCall, sessionCookie, type Emit } from './demoActor.js';
import { demoJwt } from './demoRequest.js';
import { BROWSERS, leakedUsername, type DemoUser } from './demoPopulation.js';
import { STORY, at } from './demoStory.js';
import type { Rng } from './prng.js';

/** The incident: each attack of STORY, with the traffic it leaves in the access log. */
export function incidentTraffic(rng: Rng, emit: Emit, users: DemoUser[]): void {
  credentialStuffing(rng, emit);
  accountTakeover(rng, emit, users);
  nikto(rng, emit);
  sqlmap(rng, emit);
  idEnumeration(rng, emit);
  smsPumping(rng, emit);
  llmAbuse(rng, emit);
}

function spread(from: string, to: string, i: number, n: number, rng: Rng): number {
  const a = at(from);
  const step = (at(to) - a) / n;
  return a + i * step + rng.next() * step * 0.9;
}

function credentialStuffing(rng: Rng, emit: Emit): void {
  const s = STORY.stuffing;
  const ips: string[] = [];
  for (let i = 0; ips.length < s.ipCount; i++) {
    const ip = i % 2 === 0 ? `203.0.113.${rng.int(1, 254)}` : `198.51.100.${rng.int(128, 254)}`;
    if (!ips.includes(ip)) ips.push(ip);
  }
  const names = new Set<string>();
  while (names.size < s.attempts - s.hits.length) names.add(leakedUsername(rng, names.size));
  const list = [...names];
  // The two real accounts sit a third and two thirds of the way down the leaked list.
  list.splice(Math.floor(s.attempts / 3), 0, s.hits[0]);
  list.splice(Math.floor((2 * s.attempts) / 3), 0, s.hits[1]);
  list.forEach((username, i) => {
    const a = new Actor(emit, spread(s.from, s.to, i, list.length, rng), {
      ip: ips[(i * 7 + rng.int(0, 2)) % ips.length]!,
      userAgent: rng.pick(BROWSERS),
    });
    const hit = (s.hits as readonly string[]).includes(username);
    if (!hit && rng.chance(0.06)) {
      a.send({ ...loginCall(rng, username, false), status: 429, size: 52, retryAfter: 30 });
      return;
    }
    const cookie = sessionCookie(rng);
    a.send(loginCall(rng, username, hit, cookie));
    if (!hit) return;
    a.cookie = cookie;
    a.userId = username;
    a.wait(rng, 1, 3);
    a.send({ method: 'GET', uri: '/api/v1/me', ms: 11, size: 602 });
    a.wait(rng, 1, 3);
    a.send({ method: 'GET', uri: '/api/v1/billing/invoices', ms: 38, size: 4120 });
  });
}

function accountTakeover(rng: Rng, emit: Emit, users: DemoUser[]): void {
  const s = STORY.takeover;
  const maria = users.find((u) => u.email === s.user)!;
  // Her own morning, from the office.
  const own = new Actor(emit, at('08:02:31'), { ip: s.officeIp, userAgent: maria.userAgent });
  const ownCookie = sessionCookie(rng);
  own.send(loginCall(rng, s.user, true, ownCookie));
  own.cookie = ownCookie;
  own.userId = s.user;
  for (const uri of [
    '/api/v1/me',
    '/admin/users?page=1',
    '/admin/audit',
    '/api/v1/projects?page=1&limit=25',
    '/admin/tenants',
  ]) {
    own.wait(rng, 5, 90);
    own.send({ method: 'GET', uri, ms: rng.around(50, 20, 10), size: rng.int(2000, 20000) });
  }

  const atk = new Actor(emit, at(s.firstFailure), { ip: s.attackerIp, userAgent: BROWSERS[2]! });
  const gap = (at(s.success) - at(s.firstFailure)) / s.failures;
  for (let i = 0; i < s.failures; i++) {
    atk.t = at(s.firstFailure) + i * gap + rng.next() * gap * 0.3;
    atk.send(loginCall(rng, s.user, false));
  }
  atk.t = at(s.success);
  const cookie = sessionCookie(rng);
  atk.send(loginCall(rng, s.user, true, cookie));
  atk.cookie = cookie;
  atk.userId = s.user;
  atk.wait(rng, 2, 4);
  atk.send({ method: 'GET', uri: '/api/v1/me', ms: 12, size: 611 });
  for (let page = 1; page <= 6; page++) {
    atk.wait(rng, 3, 12);
    atk.send({
      method: 'GET',
      uri: `/admin/users?page=${page}&limit=100`,
      ms: rng.around(80, 20, 30),
      size: rng.int(38000, 42000),
    });
  }
  atk.t = at(s.passwordChange);
  atk.send({
    method: 'POST',
    uri: '/api/v1/account/password',
    ms: 171,
    size: 48,
    bytesRead: 118,
    contentType: JSON_TYPE,
  });
  for (const uri of ['/admin/tenants', '/admin/audit', '/api/v1/billing/invoices']) {
    atk.wait(rng, 20, 90);
    atk.send({ method: 'GET', uri, ms: rng.around(60, 20, 15), size: rng.int(5000, 30000) });
  }
  atk.t = at(s.export);
  atk.send({
    method: 'GET',
    uri: '/admin/export?format=csv&table=users',
    ms: 14_212,
    size: 48_311_902,
    respContentType: 'text/csv',
  });
  atk.wait(rng, 20, 40);
  atk.send({
    method: 'GET',
    uri: '/admin/export?format=csv&table=invoices',
    ms: 6_804,
    size: 19_877_410,
    respContentType: 'text/csv',
  });
  atk.wait(rng, 5, 10);
  atk.send({ method: 'POST', uri: '/api/v1/auth/logout', status: 204, ms: 5, size: 0 });

  // Maria finds her password no longer works and resets it.
  const back = new Actor(emit, at(s.victimReset), { ip: s.officeIp, userAgent: maria.userAgent });
  for (let i = 0; i < 3; i++) {
    back.send(loginCall(rng, s.user, false));
    back.wait(rng, 8, 20);
  }
  back.send({
    method: 'POST',
    uri: '/api/v1/auth/password-reset/request',
    status: 202,
    ms: 160,
    size: 40,
    bytesRead: 66,
    contentType: JSON_TYPE,
    userId: s.user,
  });
  back.wait(rng, 60, 120);
  back.send({
    method: 'GET',
    uri: `/api/v1/auth/password-reset?token=${rng.hex(40)}`,
    ms: 12,
    size: 2100,
    respContentType: 'text/html; charset=utf-8',
  });
  back.wait(rng, 20, 40);
  back.send({
    method: 'POST',
    uri: '/api/v1/auth/password-reset',
    ms: 175,
    size: 48,
    bytesRead: 131,
    contentType: JSON_TYPE,
    userId: s.user,
  });
  const newCookie = sessionCookie(rng);
  back.wait(rng, 5, 10);
  back.send(loginCall(rng, s.user, true, newCookie));
  back.cookie = newCookie;
  back.userId = s.user;
  back.wait(rng, 5, 10);
  back.send({ method: 'GET', uri: '/admin/audit', ms: 66, size: 24410 });
}

const NIKTO_PATHS: readonly (readonly [string, number])[] = [
  ['/.env', 404],
  ['/.git/config', 404],
  ['/wp-login.php', 404],
  ['/wp-admin/', 404],
  ['/phpmyadmin/', 404],
  ['/server-status', 404],
  ['/admin/', 401],
  ['/admin/users', 401],
  ['/actuator/env', 200],
  ['/actuator/heapdump', 403],
  ['/actuator/mappings', 200],
  ['/api/internal/debug/config', 401],
  ['/backup.zip', 404],
  ['/config.php.bak', 404],
  ['/cgi-bin/test.cgi', 404],
  ['/api/v1/../../etc/passwd', 400],
  ['/.DS_Store', 404],
  ['/swagger.json', 404],
  ['/api/v0/users/1', 401],
  ['/console', 404],
];
const XSS = [
  '<script>alert(document.cookie)</script>',
  '"><img src=x onerror=alert(1)>',
  "<svg/onload=alert('nikto')>",
  'javascript:alert(1)',
  '<iframe src=javascript:alert(1)>',
];

function nikto(rng: Rng, emit: Emit): void {
  const s = STORY.scan;
  const a = new Actor(emit, at(s.niktoFrom), { ip: s.niktoIp, userAgent: '' });
  for (let i = 0; i < s.niktoRequests; i++) {
    a.userAgent = `Mozilla/5.00 (Nikto/2.5.0) (Evasions:None) (Test:${String(i + 1).padStart(6, '0')})`;
    if (i % 3 === 2) {
      const payload = encodeURIComponent(XSS[i % XSS.length]!);
      const target = rng.pick([
        `/api/v1/search?q=${payload}`,
        `/api/v1/projects?sort=${payload}`,
        `/login?next=${payload}`,
      ]);
      const ok = target.startsWith('/api/v1/search') && rng.chance(0.5);
      a.send({
        method: 'GET',
        uri: target,
        status: ok ? 200 : target.startsWith('/login') ? 404 : 400,
        ms: rng.around(15, 5, 3),
        size: ok ? 412 : 70,
      });
    } else {
      const [path, status] = NIKTO_PATHS[i % NIKTO_PATHS.length]!;
      a.send({
        method: rng.pick(['GET', 'GET', 'GET', 'HEAD']),
        uri: path,
        status,
        ms: rng.around(6, 3, 1),
        size: status === 200 ? rng.int(9000, 14000) : 70,
      });
    }
    a.wait(rng, 0.2, 1.2);
  }
}

const SQLI = [
  "' AND 1=1-- -",
  "' AND 1=2-- -",
  "' UNION ALL SELECT NULL,NULL,NULL-- -",
  "' UNION ALL SELECT username,password_hash,NULL FROM users-- -",
  "' AND (SELECT 4127 FROM (SELECT(SLEEP(5)))a)-- -",
  "';SELECT PG_SLEEP(5)--",
  '1) AND 8342=CAST((CHR(113)||CHR(106)) AS NUMERIC)-- -',
  "' OR '1'='1",
];

function sqlmap(rng: Rng, emit: Emit): void {
  const s = STORY.scan;
  const a = new Actor(emit, at(s.sqlmapFrom), {
    ip: s.sqlmapIp,
    userAgent: 'sqlmap/1.7.2#stable (https://sqlmap.org)',
  });
  let successes = 0;
  for (let i = 0; i < s.sqlmapRequests; i++) {
    const payload = SQLI[i % SQLI.length]!;
    const onSearch = i % 4 !== 3;
    const sleeps = payload.includes('SLEEP');
    if (onSearch) {
      // The search endpoint concatenates q into SQL: true conditions and sleeps come back 200.
      const truthy = !payload.includes('1=2') && !payload.includes('CAST');
      const ok = truthy && successes < s.sqlmapSuccesses;
      if (ok) successes++;
      a.send({
        method: 'GET',
        uri: `/api/v1/search?q=roadmap${encodeURIComponent(payload)}`,
        status: ok ? 200 : payload.includes('CAST') ? 500 : 400,
        ms: ok && sleeps ? rng.around(5060, 30, 5010) : rng.around(40, 15, 8),
        size: ok ? rng.int(900, 9000) : 88,
      });
    } else {
      a.send({
        method: 'GET',
        uri: `/api/v1/projects?page=1&sort=name${encodeURIComponent(payload)}`,
        status: 400,
        ms: rng.around(9, 3, 2),
        size: 75,
      });
    }
    a.wait(rng, 0.5, 3);
  }
}

function idEnumeration(rng: Rng, emit: Emit): void {
  const s = STORY.enumeration;
  const reg = new Actor(emit, at(s.signupAt), { ip: s.ip, userAgent: BROWSERS[0]! });
  const cookie = sessionCookie(rng);
  reg.send({
    method: 'POST',
    uri: '/api/v1/auth/signup',
    status: 201,
    ms: 231,
    size: 310,
    bytesRead: 171,
    contentType: JSON_TYPE,
    userId: s.email,
    setCookie: `${cookie.split(';')[0]}; Path=/; HttpOnly; Secure`,
  });
  reg.cookie = cookie;
  reg.userId = s.email;
  reg.wait(rng, 5, 10);
  reg.send({
    method: 'POST',
    uri: '/api/v1/sms/send-code?phone=%2B15550104471',
    ms: 240,
    size: 42,
    bytesRead: 2,
    contentType: JSON_TYPE,
  });
  reg.wait(rng, 30, 50);
  reg.send({
    method: 'POST',
    uri: '/api/v1/sms/verify',
    ms: 31,
    size: 40,
    bytesRead: 18,
    contentType: JSON_TYPE,
  });
  reg.t = at('12:52:03');
  reg.send({
    method: 'POST',
    uri: '/api/v1/auth/token',
    status: 201,
    ms: 44,
    size: 402,
    bytesRead: 64,
    contentType: JSON_TYPE,
  });

  const a = new Actor(emit, at(s.from), {
    ip: s.ip,
    userAgent: 'python-httpx/0.27.0',
    bearer: demoJwt({ sub: s.sub, role: 'member', iat: Math.floor(at('12:52:03') / 1e6) }),
    userId: s.sub,
  });
  for (let id = s.firstId; id <= s.lastId; id++) {
    const exists = id <= 2890 && !rng.chance(0.07);
    a.send({
      method: 'GET',
      uri: `/api/v1/users/${id}`,
      status: exists ? 200 : 404,
      ms: rng.around(15, 5, 4),
      size: exists ? rng.int(520, 700) : 58,
    });
    a.wait(rng, 0.9, 1.5);
  }
}

const PREMIUM_PREFIXES = ['371', '232', '881', '252', '960', '686', '675'];

function smsPumping(rng: Rng, emit: Emit): void {
  const s = STORY.smsPumping;
  const ips: string[] = [];
  while (ips.length < s.ipCount) {
    const ip = `198.51.100.${rng.int(1, 127)}`;
    // Keep the other actors' addresses out, so each story has its own.
    const other = ip === STORY.takeover.attackerIp || ip === STORY.enumeration.ip;
    if (!other && !ips.includes(ip)) ips.push(ip);
  }
  const phones = new Set<string>();
  while (phones.size < s.requests)
    phones.add(`${rng.pick(PREMIUM_PREFIXES)}${rng.int(1000000, 99999999)}`);
  [...phones].forEach((phone, i) => {
    const a = new Actor(emit, spread(s.from, s.to, i, s.requests, rng), {
      ip: rng.pick(ips),
      userAgent: 'okhttp/4.12.0',
    });
    const limited = rng.chance(0.08);
    a.send({
      method: 'POST',
      uri: `/api/v1/sms/send-code?phone=%2B${phone}`,
      status: limited ? 429 : 200,
      ms: rng.around(260, 80, 90),
      size: limited ? 52 : 42,
      bytesRead: 2,
      contentType: JSON_TYPE,
      ...(limited ? { retryAfter: 60 } : {}),
    });
  });
}

function llmAbuse(rng: Rng, emit: Emit): void {
  const s = STORY.llmAbuse;
  const bearer = demoJwt({
    sub: s.sub,
    role: 'service',
    iat: Math.floor(at('00:00') / 1e6) - 86400 * 12,
  });
  for (let i = 0; i < s.requests; i++) {
    const a = new Actor(emit, spread(s.from, s.to, i, s.requests, rng), {
      ip: s.ip,
      userAgent: 'python-requests/2.31.0',
      bearer,
      userId: s.sub,
    });
    const r = rng.next();
    // The upstream model times out under the load; the rate limiter catches a few.
    const status = r < 0.07 ? 504 : r < 0.12 ? 429 : 200;
    a.send({
      method: 'POST',
      uri: '/v1/chat/completions',
      status,
      ms: status === 504 ? 30_000 : status === 429 ? 4 : rng.around(9000, 5000, 3500),
      size: status === 200 ? rng.int(40_000, 120_000) : 95,
      bytesRead: rng.int(3000, 12000),
      contentType: JSON_TYPE,
      ...(status === 429 ? { retryAfter: 5 } : {}),
    });
  }
}
