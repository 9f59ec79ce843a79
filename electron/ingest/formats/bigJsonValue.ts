import { randomBytes } from 'node:crypto';
import { jsonParser, type Token } from 'stream-json/parser.js';
import type { DuplicateKey } from './jsonDuplicateKeys.js';
import { setOwn } from './jsonFields.js';

/**
 * Builds one JSON value too big to parse as one string, from its text in pieces, with
 * stream-json's tokenizer. Strings longer than the limit never reach it: the byte scanner
 * (streamedJson.ts) hashes them as they pass and feeds a placeholder that becomes an
 * OmittedString, so even a value with a body over V8's string limit can be read.
 */

/** Strings longer than this many bytes (as written) are not kept (see OmittedString). */
export const MAX_STRING_BYTES = 16 * 1024 * 1024;

/**
 * Stands in for a string too long to keep: the size and SHA-256 of its text as written in the
 * file (between the quotes, JSON escapes included; for a base64 body that is the body itself)
 * and its first characters.
 */
export class OmittedString {
  constructor(
    readonly bytes: number,
    readonly sha256: string,
    readonly head: string,
  ) {}

  toJSON(): Record<string, unknown> {
    return {
      _omitted: `string longer than ${MAX_STRING_BYTES} bytes`,
      bytes: this.bytes,
      sha256: this.sha256,
      head: this.head,
    };
  }
}

// stream-chain's "no value" marker, shared through the global symbol registry; passing it to the
// tokenizer flushes it (ends a trailing number, fails on a cut-off document).
const NONE = Symbol.for('object-stream.none');

type Container = Record<string, unknown> | unknown[];

interface Open {
  c: Container;
  key: string | null;
  /** Its key or index in its parent (the path to a repeated key is made of these). */
  at: string | number;
  /** The keys repeated in it so far (objects), found as scanDuplicates finds them. */
  dups: Map<string, DuplicateKey> | null;
}

/** Builds one value from tokens; a placeholder string becomes its OmittedString. */
class ValueBuilder {
  private stack: Open[] = [];
  private pendingKey: string | null = null;
  private parts: string[] = [];
  done = false;
  value: unknown = undefined;
  /** Keys repeated in one object, with their earlier values, in the order they repeat. */
  readonly duplicates: DuplicateKey[] = [];

  constructor(private readonly omitted: ReadonlyMap<string, OmittedString>) {}

  open(kind: 'object' | 'array'): void {
    const c: Container = kind === 'object' ? {} : [];
    const parent = this.stack[this.stack.length - 1];
    const at =
      parent === undefined
        ? ''
        : Array.isArray(parent.c)
          ? parent.c.length
          : (this.pendingKey ?? '');
    this.stack.push({ c, key: this.pendingKey, at, dups: null });
    this.pendingKey = null;
  }

  close(): void {
    const top = this.stack.pop()!;
    this.pendingKey = top.key;
    this.add(top.c);
  }

  key(k: string): void {
    this.pendingKey = k;
    // A key read again: the value it had is about to be replaced, so it is kept here.
    const top = this.stack[this.stack.length - 1];
    if (top === undefined || Array.isArray(top.c) || !Object.hasOwn(top.c, k)) return;
    top.dups ??= new Map();
    let d = top.dups.get(k);
    if (d === undefined) {
      d = { path: [...this.stack.slice(1).map((o) => o.at), k], earlier: [] };
      top.dups.set(k, d);
      this.duplicates.push(d);
    }
    d.earlier.push(top.c[k]);
  }

  startString(): void {
    this.parts = [];
  }

  chunk(s: string): void {
    this.parts.push(s);
  }

  endString(): void {
    const s = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    this.add(s.charCodeAt(0) === 0 ? (this.omitted.get(s) ?? s) : s);
  }

  add(v: unknown): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      this.value = v;
      this.done = true;
      return;
    }
    if (Array.isArray(top.c)) top.c.push(v);
    else setOwn(top.c, this.pendingKey ?? '', v);
    this.pendingKey = null;
  }
}

/** Feeds the text of one JSON value piece by piece; `finish` returns the value. */
export class BigValueReader {
  private readonly tokenize = jsonParser({
    packKeys: true,
    streamKeys: false,
    packStrings: false,
    streamStrings: true,
    packNumbers: true,
    streamNumbers: false,
  }) as unknown as (text: string | symbol) => { values: Token[] } | symbol;
  private readonly omitted = new Map<string, OmittedString>();
  private readonly builder = new ValueBuilder(this.omitted);
  // Placeholders start with NUL and carry a per-reader nonce, so log text cannot forge one.
  private readonly nonce = randomBytes(8).toString('hex');

  write(text: string): void {
    this.consume(this.tokenize(text));
  }

  /**
   * The JSON text to feed between a string's quotes instead of a string too long to keep; the
   * value built there is `o`.
   */
  placeholder(o: OmittedString): string {
    const name = `omitted:${this.nonce}:${this.omitted.size}`;
    this.omitted.set(`\u0000${name}`, o);
    return `\\u0000${name}`;
  }

  /** The keys repeated in the value's objects (their earlier values), or null when none is. */
  duplicates(): DuplicateKey[] | null {
    return this.builder.duplicates.length > 0 ? this.builder.duplicates : null;
  }

  /** Throws when the text was not one complete JSON value. */
  finish(): unknown {
    this.consume(this.tokenize(NONE));
    if (!this.builder.done) throw new Error('the value is incomplete');
    return this.builder.value;
  }

  private consume(out: { values: Token[] } | symbol): void {
    if (typeof out === 'symbol') return;
    const b = this.builder;
    for (const t of out.values) {
      switch (t.name) {
        case 'startObject':
          b.open('object');
          break;
        case 'startArray':
          b.open('array');
          break;
        case 'endObject':
        case 'endArray':
          b.close();
          break;
        case 'keyValue':
          b.key(t.value);
          break;
        case 'startString':
          b.startString();
          break;
        case 'stringChunk':
          b.chunk(t.value);
          break;
        case 'endString':
          b.endString();
          break;
        case 'numberValue':
          b.add(Number(t.value));
          break;
        case 'nullValue':
        case 'trueValue':
        case 'falseValue':
          b.add(t.value);
          break;
        default:
          break;
      }
    }
  }
}
