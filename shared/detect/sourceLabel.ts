import type { AttackType } from './types.js';

/** The type stored for a source label that names no type we know ("anomalous", "attack"…). */
export const GENERIC_LABEL_TYPE = 'labelled';

const BENIGN = new Set([
  '',
  '-',
  '0',
  'false',
  'no',
  'none',
  'norm',
  'normal',
  'benign',
  'legit',
  'legitimate',
  'clean',
  'good',
  'valid',
  'ok',
]);

/** Label spellings seen in public datasets, folded to letters only. */
const NAMED: Readonly<Record<string, AttackType>> = {
  sqli: 'sqli',
  sqlinjection: 'sqli',
  sql: 'sqli',
  xss: 'xss',
  crosssitescripting: 'xss',
  pathtraversal: 'ptrav',
  traversal: 'ptrav',
  directorytraversal: 'ptrav',
  ptrav: 'ptrav',
  cmdi: 'rce',
  commandinjection: 'rce',
  osinjection: 'rce',
  rce: 'rce',
  codeinjection: 'rce',
  lfi: 'lfi',
  localfileinclusion: 'lfi',
  rfi: 'rfi',
  remotefileinclusion: 'rfi',
  ssrf: 'ssrf',
  xxe: 'xxe',
  ssti: 'ssti',
  ssi: 'ssi',
  nosqli: 'nosqli',
  ldapi: 'ldapi',
  ldapinjection: 'ldapi',
  crlf: 'crlf',
  crlfinjection: 'crlf',
  openredirect: 'redir',
  redirect: 'redir',
  mailinjection: 'mail_injection',
  scanner: 'scanner',
  scan: 'scanner',
};

/**
 * What a source's own attack label means for the detections table: null for labels that say
 * "benign", else the attack type it names, or GENERIC_LABEL_TYPE when it names none we know.
 */
export function sourceLabelType(label: string): AttackType | typeof GENERIC_LABEL_TYPE | null {
  const t = label.trim().toLowerCase();
  if (BENIGN.has(t)) return null;
  return NAMED[t.replace(/[^a-z]/g, '')] ?? GENERIC_LABEL_TYPE;
}
