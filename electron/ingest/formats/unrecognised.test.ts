import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/contract/errors.js';
import { corpusFile, describeCorpus } from '../../../test/corpus.js';
import { makeSniffSample, sniffFormat } from './index.js';
import { diagnose, unrecognisedMessage } from './unrecognised.js';

const sample = (bytes: Buffer | string, name = 'x.log') =>
  makeSniffSample(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes), name);

/** The message sniffFormat fails with. */
function failure(bytes: Buffer | string, name = 'x.log'): string {
  try {
    sniffFormat(sample(bytes, name));
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('UNKNOWN_FORMAT');
    return (err as Error).message;
  }
  throw new Error('the sample was recognised');
}

const TRIED = /\(tried: combined 0%, csv \d+%, .*haproxy 0%\)/;
const RAW = 'GET /index.jsp HTTP/1.1\r\nHost: localhost\r\nCookie: a=1\r\n\r\n';

describe('why a file is not recognised', () => {
  it('UTF-16 with a byte order mark, either way round', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(RAW, 'utf16le')]);
    expect(diagnose(sample(le))).toEqual({ kind: 'wide', encoding: 'UTF-16' });
    const be = Buffer.from(le);
    be.swap16();
    expect(diagnose(sample(be))).toEqual({ kind: 'wide', encoding: 'UTF-16' });
    const msg = failure(le, 'export.log');
    expect(msg).toMatch(/^export\.log: the file is UTF-16 text, which Sessionscope does not read/);
    expect(msg).toMatch(TRIED);
    expect(msg).toContain('Convert it to UTF-8 first, e.g. iconv -f UTF-16 -t UTF-8');
  });

  it('UTF-16 without a byte order mark: NULs beside ASCII letters name the byte order', () => {
    const le = Buffer.from(
      '1.2.3.4 - - [10/Oct/2024:13:55:36 +0000] "GET / HTTP/1.1" 200 5\n',
      'utf16le',
    );
    expect(diagnose(sample(le))).toEqual({ kind: 'wide', encoding: 'UTF-16LE' });
    expect(failure(le)).toContain('iconv -f UTF-16LE -t UTF-8');
    const be = Buffer.from(le);
    be.swap16();
    expect(diagnose(sample(be))).toEqual({ kind: 'wide', encoding: 'UTF-16BE' });
  });

  it('UTF-32 is not taken for UTF-16', () => {
    const bom = Buffer.from([0xff, 0xfe, 0, 0, 0x47, 0, 0, 0]);
    expect(diagnose(sample(bom))).toEqual({ kind: 'wide', encoding: 'UTF-32' });
  });

  it('raw HTTP requests: a request line with header lines under it', () => {
    expect(diagnose(sample(RAW + 'POST /a HTTP/1.0\nContent-Length: 1\n\nx\n'))).toEqual({
      kind: 'raw-http',
    });
    const msg = failure(RAW, 'requests.txt');
    expect(msg).toMatch(
      /^requests\.txt: the file holds raw HTTP requests without the time each was received, which Sessionscope cannot place on a timeline/,
    );
    expect(msg).toMatch(TRIED);
    expect(msg).toMatch(/A HAR export or an access log with times is needed\.$/);
    // A request line alone, or a header alone, is not a request dump.
    expect(diagnose(sample('GET / HTTP/1.1\nhello\n'))).toEqual({ kind: 'unknown' });
    expect(diagnose(sample('Host: a\nGET / HTTP/1.1\n'))).toEqual({ kind: 'unknown' });
  });

  it('binary content: NUL bytes, mostly non-text bytes, or a known file type', () => {
    const nuls = Buffer.concat([Buffer.from('abc\n'), Buffer.alloc(2044), Buffer.from('\n')]);
    expect(diagnose(sample(nuls))).toEqual({
      kind: 'binary',
      what: '2044 NUL bytes in the first 2 KiB',
    });
    const noise = Buffer.alloc(1000, 0x01);
    expect(diagnose(sample(noise))).toEqual({
      kind: 'binary',
      what: '100% of the first 1000 bytes is not text',
    });
    const sqlite = Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(100, 7)]);
    expect(diagnose(sample(sqlite))).toEqual({ kind: 'binary', what: 'an SQLite database' });
    // A packet capture carries raw requests; its magic number wins.
    const pcap = Buffer.concat([
      Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0]),
      Buffer.from(RAW),
    ]);
    expect(diagnose(sample(pcap))).toEqual({ kind: 'binary', what: 'a pcap packet capture' });
    const msg = failure(nuls, 'dump.bin');
    expect(msg).toMatch(
      /^dump\.bin: binary content \(2044 NUL bytes in the first 2 KiB\), not a text log/,
    );
    expect(msg).toMatch(TRIED);
  });

  it('an API description, JSON or YAML, is named, with where it goes instead', () => {
    const yaml = 'openapi: "3.0.3"\ninfo:\n  title: Shop\n  version: 1.0.0\npaths: {}\n';
    expect(diagnose(sample(yaml))).toEqual({ kind: 'api-spec', spec: 'OpenAPI', version: '3.0.3' });
    const swagger = '# exported\nswagger: 2.0 # the old name\ninfo:\n  title: Shop\n';
    expect(diagnose(sample(swagger))).toEqual({
      kind: 'api-spec',
      spec: 'Swagger',
      version: '2.0',
    });
    const msg = failure(yaml, 'shop-api.yaml');
    expect(msg).toMatch(/^shop-api\.yaml: an API description \(OpenAPI 3\.0\.3\), not a log/);
    expect(msg).toMatch(TRIED);
    expect(msg).toMatch(/Load it with: sessionscope spec <case> <file>$/);
    expect(unrecognisedMessage(sample(yaml, 'a.yaml'), 'json 0%', 'app')).toBe(
      'a.yaml: an API description (OpenAPI 3.0.3), not a log (tried: json 0%). Load it in the ' +
        'Endpoints view, under "API specs".',
    );
    // A JSON one would be taken for a one-record JSON log: it is refused the same way.
    const json = JSON.stringify({ info: { title: 'Shop' }, openapi: '3.1.0', paths: {} }, null, 2);
    expect(failure(json, 'shop.json')).toMatch(
      /^shop\.json: an API description \(OpenAPI 3\.1\.0\), not a log/,
    );
    expect(failure(JSON.stringify({ swagger: '2.0', paths: {} }), 'min.json')).toMatch(
      /\(Swagger 2\.0\)/,
    );
  });

  it('a log that mentions openapi in a record is still a log', () => {
    // The key inside a record (a field of a JSON log, a nested object) is not the document's.
    const line = JSON.stringify({
      ts: '2024-03-01T10:00:00Z',
      method: 'GET',
      path: '/openapi.json',
      status: 200,
      meta: { openapi: '3.0.0' },
    });
    expect(sniffFormat(sample(`${line}\n${line}\n`)).format.id).toBe('jsonl');
    expect(diagnose(sample('{"a": "\\"openapi\\": \\"3.0\\""}'))).toEqual({ kind: 'unknown' });
    // Indented in YAML, or not followed by a version, it is not the document's key.
    expect(diagnose(sample('x:\n  openapi: 3.0.0\n'))).toEqual({ kind: 'unknown' });
    expect(diagnose(sample('openapi: the spec\n'))).toEqual({ kind: 'unknown' });
  });

  it('anything else keeps the plain message', () => {
    expect(diagnose(sample('dear diary\ntoday I parsed logs\n'))).toEqual({ kind: 'unknown' });
    // A little Latin-1 in a text file is not binary.
    const latin1 = Buffer.from('caf\xe9 cr\xe8me br\xfbl\xe9e\nplain words here\n', 'latin1');
    expect(diagnose(sample(latin1))).toEqual({ kind: 'unknown' });
    const msg = failure('dear diary\n', 'notes.txt');
    expect(msg).toMatch(/^notes\.txt: not a recognised log format \(tried: combined 0%/);
    expect(msg).toMatch(/Use --format to choose one\.$/);
  });

  it('tells the app to choose the format in the import form, the CLI to use --format', () => {
    const notes = sample('dear diary\n', 'notes.txt');
    const app = unrecognisedMessage(notes, 'combined 0%', 'app');
    expect(app).toBe(
      'notes.txt: not a recognised log format (tried: combined 0%). Choose its format under ' +
        '"Format" in the import form.',
    );
    expect(unrecognisedMessage(notes, 'combined 0%', 'cli')).toMatch(
      /Use --format to choose one\.$/,
    );
    // sniffFormat passes its audience on; the CLI's is the default.
    expect(() => sniffFormat(notes, 'app')).toThrow(
      /^notes\.txt: not a recognised log format \(tried: .*\)\. Choose its format under "Format" in the import form\.$/,
    );
  });
});

describeCorpus('why a file is not recognised: corpus', () => {
  it('CSIC 2010 holds raw HTTP requests without times', () => {
    const rel = 'B_labelled_attacks/csic2010_normalTrafficTest_every12th.txt';
    const head = readFileSync(corpusFile(rel)).subarray(0, 65536);
    const msg = failure(head, 'csic2010_normalTrafficTest_every12th.txt');
    expect(msg).toMatch(
      /^csic2010_normalTrafficTest_every12th\.txt: the file holds raw HTTP requests without the time/,
    );
    expect(msg).toMatch(TRIED);
  });

  it('the OpenAPI examples are named API descriptions, not logs', () => {
    for (const name of ['oai_petstore.yaml', 'oai_uspto.yaml']) {
      const head = readFileSync(corpusFile(`F_openapi/${name}`)).subarray(0, 65536);
      expect(failure(head, name)).toMatch(
        /: an API description \(OpenAPI 3\.\d+\.\d+\), not a log/,
      );
    }
  });
});
