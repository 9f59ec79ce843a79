import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fixture } from '../../test/corpus.js';
import { tempWorkspace } from '../../test/tempCase.js';
import { createCombinedParser } from './formats/combined.js';
import { createNginxParser } from './formats/nginxLogFormat.js';
import type { LineParser } from './formats/types.js';
import { importSource } from './importSource.js';
import { LineSplitter } from './lineReader.js';

const REAL_LINES = readFileSync(fixture('access/small-combined.log'), 'utf8')
  .split('\n')
  .filter((l) => l !== '');

const NGINX_FORMAT =
  '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time';

/** Lines read from `bytes` the way any text tool counts them: a final unterminated line counts. */
function expectedLines(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if (b === 0x0a) n++;
  return bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a ? n + 1 : n;
}

const NASTY = ['"', '\\', '[', ']', ' ', '-', '\t', '\r', '\u00e9', '\ufffd', '%', '\\"', '\x00'];

/** A real line with a few cuts, insertions of troublesome characters and duplications. */
const mutatedLine = fc
  .tuple(
    fc.constantFrom(...REAL_LINES),
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.nat({ max: 12 }),
        fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 4 })),
      ),
      { maxLength: 6 },
    ),
  )
  .map(([line, edits]) => {
    let s = line;
    for (const [at, del, ins] of edits) {
      const p = at % (s.length + 1);
      s = s.slice(0, p) + ins + s.slice(p + del);
    }
    return s.replace(/\n/g, ' ');
  });

const anyLine = fc.oneof(
  mutatedLine,
  fc.string({ maxLength: 200 }),
  fc.constantFrom(...REAL_LINES),
);

function checkParser(p: LineParser, line: string): void {
  const out = p.parse(line, 1);
  if (typeof out === 'string') {
    expect(out.length).toBeGreaterThan(0);
  } else {
    expect(Number.isSafeInteger(out.tsUs)).toBe(true);
    // Whatever is stored must be serialisable for the extra/headers columns.
    expect(() => JSON.stringify(out.extra)).not.toThrow();
  }
}

describe('ingest properties', () => {
  const ws = tempWorkspace();
  afterAll(() => ws.cleanup());

  it('the line parsers never throw on mutated real lines or arbitrary text', () => {
    const combined = createCombinedParser({ tz: 'UTC' });
    const nginx = createNginxParser({ tz: 'Europe/Berlin', logFormat: NGINX_FORMAT });
    fc.assert(
      fc.property(anyLine, (line) => {
        checkParser(combined, line);
        checkParser(nginx, line);
      }),
      { numRuns: 2000 },
    );
  });

  it('the line splitter counts every line, however the bytes are chunked', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }),
          // With a BOM in front, possibly cut across the first chunks.
          fc.uint8Array({ maxLength: 100 }).map((b) => new Uint8Array([0xef, 0xbb, 0xbf, ...b])),
          fc.constantFrom(new Uint8Array([0xef]), new Uint8Array([0xef, 0xbb])),
        ),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 8, max: 64 }),
        (bytes, cuts, limit) => {
          const seen: number[] = [];
          const texts: string[] = [];
          const sp = new LineSplitter(
            {
              line: (t, n) => (seen.push(n), texts.push(t)),
              tooLong: (n) => seen.push(n),
            },
            limit,
          );
          let at = 0;
          let i = 0;
          while (at < bytes.length) {
            const size = cuts[i++ % cuts.length]!;
            sp.push(Buffer.from(bytes.subarray(at, at + size)));
            at += size;
          }
          const total = sp.end();
          const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
          const want = expectedLines(bom ? bytes.subarray(3) : bytes);
          expect(total).toBe(want);
          expect(seen).toEqual(Array.from({ length: want }, (_, k) => k + 1));
          for (const t of texts) expect(t.includes('\n')).toBe(false);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('the line splitter says which lines ended in CR LF, wherever the chunks cut', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.stringMatching(/^[a-z\r]{0,12}$/), fc.boolean()), { maxLength: 20 }),
        fc.integer({ min: 1, max: 7 }),
        (lines, size) => {
          const text = lines.map(([t, crlf]) => t + (crlf ? '\r\n' : '\n')).join('');
          const got: [string, boolean][] = [];
          const sp = new LineSplitter({
            line: (t, _n, _raw, crlf) => got.push([t, crlf]),
            tooLong: () => {},
          });
          const bytes = Buffer.from(text);
          for (let at = 0; at < bytes.length; at += size) sp.push(bytes.subarray(at, at + size));
          sp.end();
          // A line whose own text ends in CR before a plain LF reads as a CR LF line: the same bytes.
          const want = lines.map(([t, crlf]): [string, boolean] =>
            !crlf && t.endsWith('\r') ? [t.slice(0, -1), true] : [t, crlf],
          );
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('through importSource, accepted + rejected = lines read = lines in the file', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            mutatedLine.map((s) => Buffer.from(s)),
            fc.uint8Array({ maxLength: 120 }).map((b) => Buffer.from(b)),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        fc.constantFrom('\n', '\r\n'),
        fc.constantFrom('combined', 'nginx'),
        async (lines, eol, format) => {
          const bytes = Buffer.concat(lines.flatMap((l) => [l, Buffer.from(eol)]));
          const name = `p${run++}`;
          const file = ws.file(`${name}.log`, bytes);
          const db = ws.openCase(`${name}.sscase`);
          try {
            const r = await importSource(db, file, {
              format,
              logFormat: format === 'nginx' ? NGINX_FORMAT : undefined,
            });
            const want = expectedLines(
              bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
                ? bytes.subarray(3)
                : bytes,
            );
            expect(r.lines).toBe(want);
            expect(r.accepted + r.rejected).toBe(r.lines);
            const stored = db
              .prepare(
                'SELECT (SELECT count(*) FROM requests) + (SELECT count(*) FROM rejects) AS n',
              )
              .pluck()
              .get();
            expect(stored).toBe(want);
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
