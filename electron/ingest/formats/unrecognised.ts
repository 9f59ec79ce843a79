import { assertNever } from '../../../shared/contract/errors.js';
import type { SniffSample } from './types.js';

/** What a file that no format claimed looks like, when that can be told. */
export type Diagnosis =
  | { kind: 'wide'; encoding: 'UTF-16' | 'UTF-16LE' | 'UTF-16BE' | 'UTF-32' }
  | { kind: 'raw-http' }
  /** An API description (OpenAPI 3, Swagger 2): the `spec` command's input, not a log. */
  | { kind: 'api-spec'; spec: 'OpenAPI' | 'Swagger'; version: string }
  | { kind: 'binary'; what: string }
  | { kind: 'unknown' };

/** Magic numbers of files people mistake for logs; gzip is read transparently, so absent. */
const MAGIC: readonly { bytes: number[]; what: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a zip archive' },
  { bytes: [0x42, 0x5a, 0x68], what: 'a bzip2 file' },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'an xz file' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'a zstd file' },
  { bytes: [0xd4, 0xc3, 0xb2, 0xa1], what: 'a pcap packet capture' },
  { bytes: [0xa1, 0xb2, 0xc3, 0xd4], what: 'a pcap packet capture' },
  { bytes: [0x4d, 0x3c, 0xb2, 0xa1], what: 'a pcap packet capture' },
  { bytes: [0xa1, 0xb2, 0x3c, 0x4d], what: 'a pcap packet capture' },
  { bytes: [0x0a, 0x0d, 0x0d, 0x0a], what: 'a pcapng packet capture' },
  { bytes: [...Buffer.from('SQLite format 3\0')], what: 'an SQLite database' },
  { bytes: [...Buffer.from('ElfFile\0')], what: 'a Windows event log (EVTX)' },
];

const startsWith = (head: Uint8Array, bytes: readonly number[]): boolean =>
  head.length >= bytes.length && bytes.every((b, i) => head[i] === b);

/** Tab, LF, CR and printable ASCII: what the high byte of UTF-16 text mostly pairs with. */
const isAsciiText = (b: number): boolean => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127);

/** UTF-16 without a byte order mark: ASCII letters with a NUL beside each. */
function utf16WithoutBom(head: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | null {
  const pairs = Math.min(head.length, 4096) >> 1;
  if (pairs < 4) return null;
  let le = 0;
  let be = 0;
  for (let i = 0; i < pairs; i++) {
    const a = head[2 * i]!;
    const b = head[2 * i + 1]!;
    if (b === 0 && isAsciiText(a)) le++;
    else if (a === 0 && isAsciiText(b)) be++;
  }
  if (le >= pairs * 0.6) return 'UTF-16LE';
  if (be >= pairs * 0.6) return 'UTF-16BE';
  return null;
}

function wideEncoding(head: Uint8Array): Diagnosis | null {
  // The UTF-32 marks first: FF FE 00 00 also begins with UTF-16's.
  if (startsWith(head, [0xff, 0xfe, 0, 0]) || startsWith(head, [0, 0, 0xfe, 0xff])) {
    return { kind: 'wide', encoding: 'UTF-32' };
  }
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    return { kind: 'wide', encoding: 'UTF-16' };
  }
  const bare = utf16WithoutBom(head);
  return bare ? { kind: 'wide', encoding: bare } : null;
}

const REQUEST_LINE = /^[A-Z][A-Z_-]{2,19} \S+ HTTP\/\d(?:\.\d)?$/;
const HEADER_LINE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}:/;

/** A request line ("GET /a HTTP/1.1") with a header line ("Host: x") under it. */
function holdsRawRequests(lines: string[]): boolean {
  for (let i = 0; i + 1 < lines.length; i++) {
    if (REQUEST_LINE.test(lines[i]!) && HEADER_LINE.test(lines[i + 1]!)) return true;
  }
  return false;
}

/** A YAML document's top-level `openapi: 3.0.3` or `swagger: "2.0"` (at the line's start). */
const YAML_SPEC_KEY = /^(openapi|swagger)[ \t]*:[ \t]*(['"]?)(\d+(?:\.\d+)*)\2[ \t]*(?:#.*)?$/m;
/** The same key in JSON: `"openapi": "3.1.0"`. */
const JSON_SPEC_KEY = /"(openapi|swagger)"\s*:\s*"(\d+(?:\.\d+)*)"/g;

/** Whether `text[at]` lies in the top-level object of a JSON document (depth 1, not in a string). */
function atTopLevel(text: string, at: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < at; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
  }
  return depth === 1 && !inString;
}

/**
 * An OpenAPI or Swagger document, by its version key at the top level: a JSON object's (not a
 * field of some log record's), or a YAML document's, unindented.
 */
export function apiSpec(text: string): Diagnosis | null {
  const spec = (key: string, version: string): Diagnosis => ({
    kind: 'api-spec',
    spec: key === 'openapi' ? 'OpenAPI' : 'Swagger',
    version,
  });
  if (text.trimStart().startsWith('{')) {
    for (const m of text.matchAll(JSON_SPEC_KEY)) {
      if (atTopLevel(text, m.index)) return spec(m[1]!, m[2]!);
    }
    return null;
  }
  const m = YAML_SPEC_KEY.exec(text);
  return m ? spec(m[1]!, m[3]!) : null;
}

/** NUL bytes, or mostly bytes that are not text (controls, invalid UTF-8). */
function binaryContent(sample: SniffSample): Diagnosis | null {
  const head = sample.head;
  if (head) {
    let nuls = 0;
    for (const b of head) if (b === 0) nuls++;
    if (nuls > 0) {
      return { kind: 'binary', what: `${nuls} NUL bytes in the first ${kib(head.length)}` };
    }
  }
  const text = sample.text;
  if (text.length === 0) return null;
  let odd = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd || c === 0 || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) odd++;
    else if (c === 127) odd++;
  }
  if (odd > text.length * 0.3) {
    const pct = Math.round((odd / text.length) * 100);
    return {
      kind: 'binary',
      what: `${pct}% of the first ${kib(head?.length ?? text.length)} is not text`,
    };
  }
  return null;
}

function kib(bytes: number): string {
  return bytes >= 1024 ? `${Math.round(bytes / 1024)} KiB` : `${bytes} bytes`;
}

/** Why the sample matched no format, as far as its bytes tell. */
export function diagnose(sample: SniffSample): Diagnosis {
  const head = sample.head;
  const wide = head ? wideEncoding(head) : null;
  if (wide) return wide;
  // A packet capture holds raw requests too: its magic number says what it is first.
  const magic = head ? MAGIC.find((m) => startsWith(head, m.bytes)) : undefined;
  if (magic) return { kind: 'binary', what: magic.what };
  // Before the NUL test: a request dump stays one when a body in it is binary.
  if (holdsRawRequests(sample.lines)) return { kind: 'raw-http' };
  const spec = apiSpec(sample.text);
  if (spec) return spec;
  return binaryContent(sample) ?? { kind: 'unknown' };
}

/**
 * The message of a file no format's sniffer claimed: what the file looks like when that can
 * be told, and always the sniffers' scores (`tried`). When nothing tells, how to choose the
 * format: the CLI's --format, the app's import form (its Format list).
 */
export function unrecognisedMessage(
  sample: SniffSample,
  tried: string,
  audience: 'cli' | 'app' = 'cli',
): string {
  const name = sample.fileName;
  const d = diagnose(sample);
  switch (d.kind) {
    case 'wide':
      return (
        `${name}: the file is ${d.encoding} text, which Sessionscope does not read (tried: ${tried}). ` +
        `Convert it to UTF-8 first, e.g. iconv -f ${d.encoding} -t UTF-8 in.log > out.log`
      );
    case 'raw-http':
      return (
        `${name}: the file holds raw HTTP requests without the time each was received, which ` +
        `Sessionscope cannot place on a timeline (tried: ${tried}). A HAR export or an access ` +
        'log with times is needed.'
      );
    case 'api-spec':
      return (
        `${name}: an API description (${d.spec} ${d.version}), not a log (tried: ${tried}). ` +
        (audience === 'app'
          ? 'Load it in the Endpoints view, under "API specs".'
          : 'Load it with: sessionscope spec <case> <file>')
      );
    case 'binary':
      return `${name}: binary content (${d.what}), not a text log (tried: ${tried}).`;
    case 'unknown':
      return (
        `${name}: not a recognised log format (tried: ${tried}). ` +
        (audience === 'app'
          ? 'Choose its format under "Format" in the import form.'
          : 'Use --format to choose one.')
      );
    default:
      return assertNever(d, 'diagnosis');
  }
}
