/**
 * Attack detection vocabulary. The type codes and rule ids are stable: they are stored in case
 * files, used in filters and shared links, and documented in shared/detect/README.md.
 */

export const ATTACK_TYPES = [
  'sqli',
  'xss',
  'ptrav',
  'rce',
  'lfi',
  'rfi',
  'ssrf',
  'xxe',
  'ssti',
  'ssi',
  'nosqli',
  'ldapi',
  'crlf',
  'redir',
  'mail_injection',
  'scanner',
  'infoleak',
] as const;

export type AttackType = (typeof ATTACK_TYPES)[number];

export function isAttackType(v: unknown): v is AttackType {
  return typeof v === 'string' && (ATTACK_TYPES as readonly string[]).includes(v);
}

/** Where in the request (or its response) a fragment was found. */
export const LOCATIONS = ['path', 'query', 'body', 'cookie', 'header', 'ua', 'response'] as const;
export type Location = (typeof LOCATIONS)[number];

/**
 * `decoded`: offsets index the text after URL/entity/escape decoding (what the rule saw);
 * `raw`: offsets index the text exactly as logged (decoding changed nothing, or the rule
 * looks at encodings themselves).
 */
export type OffsetBasis = 'raw' | 'decoded';

/** A parameter's name or its value. */
export type Part = 'name' | 'value';

export interface Detection {
  type: AttackType;
  ruleId: string;
  location: Location;
  /** Parameter, cookie or header name; null for path, user agent, whole bodies. */
  param: string | null;
  part: Part;
  /** Half-open [start, end) in UTF-16 code units of the text named by `basis`. */
  start: number;
  end: number;
  basis: OffsetBasis;
  /** The matched text (from the decoded or raw text, per `basis`), at most FRAGMENT_MAX chars. */
  fragment: string;
}

export const FRAGMENT_MAX = 200;

/** Why a text could not be fully decoded; the text is still scanned as far as it decodes. */
export type DecodeFlag = 'bad-percent' | 'not-utf8' | 'truncated' | 'too-deep';

export interface DecodeNote {
  location: Location;
  param: string | null;
  flag: DecodeFlag;
}

export interface DetectResult {
  detections: Detection[];
  notes: DecodeNote[];
}

/** What the engine reads from one request; every field may be absent in a given source. */
export interface DetectInput {
  method?: string | null;
  host?: string | null;
  path?: string | null;
  /** Query string without '?', still encoded. */
  query?: string | null;
  body?: string | null;
  /** Raw Cookie header value. */
  cookies?: string | null;
  /**
   * Request headers, names lower-cased. Never changed once passed: the engine remembers an
   * object's verdict, so a repeated header set can be handed as the same object.
   */
  headers?: Readonly<Record<string, string>> | null;
  userAgent?: string | null;
  /** Referer when the source keeps it apart from the headers (combined logs). */
  referer?: string | null;
  respBody?: string | null;
}
