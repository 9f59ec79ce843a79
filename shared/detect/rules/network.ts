import { ANY, C } from '../charMask.js';
import { PARAMS, REQUEST, type Rule, type RuleContext } from './rule.js';

/** The host part of a URL that starts at `url` (after any user-info), lower-case, no port. */
export function urlHost(url: string): string | null {
  const m = /^\s{0,5}(?:[a-z][a-z0-9+.-]{0,20}:)?[\\/\t]{2,3}([^\\/?#\s]{1,300})/.exec(url);
  if (!m) return null;
  let host = m[1]!;
  const at = host.lastIndexOf('@');
  if (at >= 0) host = host.slice(at + 1);
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon >= 0 ? host.slice(0, colon) : host;
}

/** The last two labels: good enough to treat login.example.com and app.example.com as one site. */
function site(host: string): string {
  return host.split('.').slice(-2).join('.');
}

function isOffsite(m: RegExpExecArray, ctx: RuleContext): boolean {
  const target = urlHost(m.input.slice(m.index));
  if (target === null || target === '') return true;
  // Protocol-relative and backslash forms are redirect tricks whatever the host.
  if (!/^\s{0,5}https?:\/\//.test(m[0])) return true;
  if (ctx.host === null) return false;
  return site(target) !== site(ctx.host);
}

function notOwnHost(m: RegExpExecArray, ctx: RuleContext): boolean {
  const target = urlHost(m[0]);
  return target === null || ctx.host === null || target !== ctx.host;
}

const INTERNAL_HOST =
  '\\[?(?:localhost(?=[:/\\]?#]|$)|127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|0\\.0\\.0\\.0|0x7f[0-9a-f.]{0,12}|0{1,4}177\\.|2130706433|::1?\\]|0:0:0:0:0:0:0:1|::ffff:(?:127|10|192\\.168)\\.|10\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}|192\\.168\\.\\d{1,3}\\.\\d{1,3}|172\\.(?:1[6-9]|2\\d|3[01])\\.\\d{1,3}\\.\\d{1,3}|169\\.254\\.\\d{1,3}\\.\\d{1,3}|0(?=[:/\\]?#]|$)|[a-z0-9-]{1,60}\\.(?:internal|local|localdomain|intranet|corp|lan)(?=[:/\\]?#]|$)|localtest\\.me|[a-z0-9.-]{0,60}\\.(?:nip|xip)\\.io)';

/** Server-side request forgery and open redirects: URLs where the server should not go. */
export const networkRules: readonly Rule[] = [
  {
    id: 'ssrf.cloud-metadata',
    type: 'ssrf',
    summary:
      'cloud instance-metadata addresses and paths (169.254.169.254, metadata.google.internal…)',
    locations: REQUEST,
    trigger: ANY,
    keywords: [
      '169.254',
      'fd00:ec2',
      'metadata',
      '100.100.100.200',
      '2852039166',
      '0xa9fea9fe',
      '0251.0376',
      '/latest/',
      'computemetadata',
    ],
    pattern:
      /169\.254\.169\.254|169\.254\.170\.2\b|\bfd00:ec2::254\b|\bmetadata\.google\.internal\b|\bmetadata\.azure\.com\b|100\.100\.100\.200|\b2852039166\b|\b0xa9fea9fe\b|0251\.0376\.0251\.0376|\/latest\/(?:meta-data|user-data|api\/token)\b|\/computemetadata\/v1\b|\/metadata\/instance\b/,
    examples: {
      match: [
        'http://169.254.169.254/latest/meta-data/',
        'http://metadata.google.internal/computeMetadata/v1/',
      ],
      miss: ['169.254.1.1', 'metadata about google'],
    },
  },
  {
    id: 'ssrf.internal-url',
    type: 'ssrf',
    summary: 'a URL in a parameter that points at loopback, private or internal-only hosts',
    locations: ['query', 'body', 'cookie'],
    trigger: C.COLON,
    keywords: [
      'localhost',
      '127.',
      '0.0.0.0',
      '0x7f',
      '177.',
      '2130706433',
      '[::',
      '[0:',
      '10.',
      '192.168.',
      '172.',
      '169.254.',
      '.internal',
      '.local',
      '.intranet',
      '.corp',
      '.lan',
      'localtest',
      'nip.io',
      'xip.io',
      '://0',
    ],
    pattern: new RegExp(
      `\\b(?:https?|gopher|dict|ftp|ldap|tftp|file|netdoc|jar|sftp|wss?)://(?:[^/@\\s?#]{0,64}@)?${INTERNAL_HOST}`,
    ),
    check: notOwnHost,
    examples: {
      match: [
        'http://127.0.0.1:8080/admin',
        'http://localhost/server-status',
        'http://10.0.0.5/',
        'http://[::1]/',
      ],
      miss: ['http://example.com/', 'http://10.example.com/', 'http://localhostel.example/'],
    },
  },
  {
    id: 'ssrf.smuggling-scheme',
    type: 'ssrf',
    summary: 'URL schemes that talk to raw services (gopher://, dict://, tftp://, ldap://)',
    locations: PARAMS,
    trigger: C.COLON,
    keywords: ['gopher:', 'dict:', 'tftp:', 'ldap:'],
    pattern: /\b(?:gopher|dict|tftp|ldap):\/\//,
    examples: {
      match: ['gopher://127.0.0.1:6379/_SET', 'dict://x.example:11211/stat'],
      miss: ['http://dictionary.example/', 'gopher'],
    },
  },
  {
    id: 'redir.offsite-url',
    type: 'redir',
    summary:
      'a redirect-ish parameter (next, url, return_to…) pointing to another site or a // trick',
    locations: PARAMS,
    trigger: C.SLASH,
    paramName:
      /^(?:url|uri|next|nexturl|next_url|redirect|redirecturl|redirect_url|redirectto|redirect_to|redirect_uri|redir|return|returnurl|return_url|returnto|return_to|returnpath|goto|go|dest|destination|continue|target|rurl|forward|forwardurl|out|to|checkout_url|success_url|callback_url|from_url|r|u)$/,
    pattern: /^\s{0,5}(?:https?:)?[\\/\t]{2,3}[^\\/\s]|^\s{0,5}\/[\t\r\n]{1,3}\/|^\s{0,5}\/\\/,
    check: isOffsite,
    examples: {
      param: 'next',
      match: [
        '//evil.example/',
        'https://evil.example/login',
        '/\\evil.example',
        'https://good.example@evil.example/',
      ],
      miss: ['/account/home', 'account'],
    },
  },
];
