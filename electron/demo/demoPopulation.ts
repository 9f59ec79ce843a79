import type { Rng } from './prng.js';
import { STORY } from './demoStory.js';

/** The demo SaaS's users, API clients and the browsers they use. */

export interface DemoUser {
  email: string;
  numericId: number;
  role: 'member' | 'admin';
  /** The address the user normally works from (100.64.0.0/10: fictional, not routable). */
  homeIp: string;
  userAgent: string;
  /** Staff of Acme itself: may use /admin. */
  staff: boolean;
}

export interface ApiClient {
  sub: string;
  role: 'service' | 'member';
  ip: string;
  userAgent: string;
  /** Requests per hour, roughly. */
  rate: number;
  usesLlm: boolean;
}

const FIRST = [
  'anna',
  'ben',
  'chloe',
  'david',
  'emma',
  'felix',
  'grace',
  'hugo',
  'ines',
  'jonas',
  'kira',
  'liam',
  'mia',
  'noah',
  'olivia',
  'paul',
  'quinn',
  'rosa',
  'sam',
  'tara',
  'uma',
  'victor',
  'wen',
  'xavier',
  'yara',
  'zoe',
  'omar',
  'lena',
  'ivan',
  'nora',
  'aiko',
  'bruno',
  'carla',
  'dmitri',
  'elif',
  'farah',
  'goran',
  'hana',
  'igor',
  'jade',
];
const LAST = [
  'smith',
  'garcia',
  'muller',
  'rossi',
  'dubois',
  'kowalski',
  'tanaka',
  'silva',
  'jensen',
  'novak',
  'petrov',
  'haddad',
  'kim',
  'chen',
  'osei',
  'murphy',
  'nilsen',
  'costa',
  'weber',
  'ivanova',
  'sato',
  'moreau',
  'lindqvist',
  'reyes',
  'brennan',
  'adeyemi',
  'fischer',
  'horvat',
  'yilmaz',
  'das',
];
const CUSTOMER_DOMAINS = [
  'northwind.example',
  'contoso.example',
  'globex.example',
  'initech.example',
  'umbrella.example',
  'hooli.example',
  'vandelay.example',
];
export const BROWSERS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:124.0) Gecko/20100101 Firefox/124.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
];

export function userIp(rng: Rng): string {
  return `100.${rng.int(64, 127)}.${rng.int(0, 255)}.${rng.int(1, 254)}`;
}

export function buildUsers(rng: Rng): DemoUser[] {
  const users: DemoUser[] = [];
  const taken = new Set<string>();
  const add = (email: string, role: DemoUser['role'], staff: boolean, ip?: string): void => {
    taken.add(email);
    users.push({
      email,
      numericId: 1001 + users.length,
      role,
      homeIp: ip ?? userIp(rng),
      userAgent: rng.pick(BROWSERS),
      staff,
    });
  };
  // Acme staff first, so their numeric ids are stable and small (maria is 1003).
  add('tom.becker@acme-demo.test', 'admin', true);
  add('sofia.marin@acme-demo.test', 'admin', true);
  add(STORY.takeover.user, 'admin', true, STORY.takeover.officeIp);
  add('dev.ops@acme-demo.test', 'admin', true);
  add('k.nguyen@globex.example', 'member', false);
  add('r.okafor@initech.example', 'member', false);
  while (users.length < 190) {
    const email = `${rng.pick(FIRST)}.${rng.pick(LAST)}@${rng.pick(CUSTOMER_DOMAINS)}`;
    if (taken.has(email)) continue;
    add(email, rng.chance(0.08) ? 'admin' : 'member', false);
  }
  return users;
}

const INTEGRATIONS = [
  'svc-zapier-bridge',
  'svc-slack-sync',
  'svc-jira-import',
  'svc-hubspot',
  'svc-datadog',
  'svc-partner-2',
  'svc-partner-3',
  'svc-partner-5',
  STORY.llmAbuse.sub,
  'svc-backup-agent',
  'svc-bi-export',
  'svc-github-app',
];
const CLIENT_UAS = [
  'python-requests/2.31.0',
  'Go-http-client/1.1',
  'axios/1.6.8',
  'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
  'acme-cli/3.2.1 (linux; amd64)',
  'okhttp/4.12.0',
];

export function buildApiClients(rng: Rng, users: DemoUser[]): ApiClient[] {
  const clients: ApiClient[] = INTEGRATIONS.map((sub) => ({
    sub,
    role: 'service',
    ip:
      sub === STORY.llmAbuse.sub
        ? STORY.llmAbuse.ip
        : `100.${rng.int(64, 127)}.9.${rng.int(1, 254)}`,
    userAgent: rng.pick(CLIENT_UAS),
    rate: rng.int(2, 8),
    usesLlm: sub === STORY.llmAbuse.sub || rng.chance(0.3),
  }));
  // Power users with personal tokens for the CLI.
  for (const u of users.slice(10, 22)) {
    clients.push({
      sub: `u-${u.numericId}`,
      role: 'member',
      ip: u.homeIp,
      userAgent: 'acme-cli/3.2.1 (darwin; arm64)',
      rate: rng.int(1, 4),
      usesLlm: rng.chance(0.5),
    });
  }
  return clients;
}

/** Leaked-list style addresses, most of which are not accounts here. */
export function leakedUsername(rng: Rng, i: number): string {
  const domains = ['example.com', 'example.net', 'example.org', 'mail.example', 'inbox.example'];
  return `${rng.pick(FIRST)}${rng.pick(['.', '_', ''])}${rng.pick(LAST)}${i % 7 === 0 ? '' : rng.int(1, 99)}@${rng.pick(domains)}`;
}
