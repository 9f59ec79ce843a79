import { ANY } from '../charMask.js';
import type { Rule } from './rule.js';

/** What a response gave away, where the source logged response bodies. */
export const infoleakRules: readonly Rule[] = [
  {
    id: 'infoleak.stack-trace',
    type: 'infoleak',
    summary: 'stack traces and database error messages in a response body',
    locations: ['response'],
    trigger: ANY,
    keywords: [
      '.java:',
      'traceback',
      'exception',
      '</b>:',
      'stack trace',
      'server error',
      'ole db',
      'ora-',
      'sqlstate',
      'sql syntax',
      'quotation mark',
      'pg_query',
      'syntax error',
      'warning: mysql',
      'werkzeug',
    ],
    pattern:
      /\bat [\w$.<>]{1,200}\([\w$]{1,100}\.java:\d{1,6}\)|traceback \(most recent call last\)|exception in thread "|<b>(?:fatal error|warning|parse error)<\/b>:|\bstack trace:|\bjava\.lang\.[a-z]{1,40}exception\b|\bsystem\.[a-z.]{1,60}exception:|server error in '[^']{0,100}' application|microsoft ole db provider|\bora-\d{5}\b|sqlstate\[|you have an error in your sql syntax|unclosed quotation mark|\bpg_query\(\)|syntax error at or near|\bwarning: mysql|django\.core\.exceptions|werkzeug debugger/,
    examples: {
      match: [
        'at com.acme.Foo.bar(Foo.java:42)',
        'Traceback (most recent call last):',
        'You have an error in your SQL syntax near',
        '<b>Fatal error</b>: Uncaught Exception',
      ],
      miss: ['All good', 'an error occurred, please retry'],
    },
  },
  {
    id: 'infoleak.secret',
    type: 'infoleak',
    summary: 'credentials in a response body (private keys, AWS, Slack, GitHub, Stripe tokens)',
    locations: ['response'],
    trigger: ANY,
    keywords: ['private key', 'akia', 'aws_secret', 'xox', 'ghp_', 'sk_live_', 'glpat-'],
    pattern:
      /-----begin (?:rsa |ec |dsa |openssh |encrypted )?private key-----|\bakia[0-9a-z]{16}\b|\baws_secret_access_key\b|\bxox[baprs]-[0-9a-z-]{10,60}|\bghp_[0-9a-z]{36}\b|\bsk_live_[0-9a-z]{20,60}|\bglpat-[0-9a-z_-]{20}\b/,
    examples: {
      match: [
        '-----BEGIN RSA PRIVATE KEY-----',
        'key: AKIAIOSFODNN7EXAMPLE.',
        'aws_secret_access_key = x',
      ],
      miss: ['-----BEGIN PUBLIC KEY-----', 'akia is a name'],
    },
  },
];
