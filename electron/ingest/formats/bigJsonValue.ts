import { createHash, type Hash } from 'node:crypto';
import { jsonParser, type Token } from 'stream-json/parser.js';
import { setOwn } from './jsonFields.js';

/**
 * Builds one JSON value too big to parse as one string, from its text in pieces, with
 * stream-json's tokenizer. Strings longer than the limit are hashed as they pass and replaced
 * by an OmittedString, so even a value with a body over V8's string limit can be read.
 */

/** Strings longer than this are not kept (see OmittedString). */
export const MAX_STRING_CHARS = 16 * 1024 * 1024;

/** Stands in for a string too long to keep: its length, SHA-256 (UTF-8) and first characters. */
export class OmittedString {
  constructor(
    readonly chars: number,
    readonly sha256: string,
    readonly head: string,
  ) {}

  toJSON(): Record<string, unknown> {
    return {
      _omitted: `string longer than ${MAX_STRING_CHARS} characters`,
      chars: this.chars,
      sha256: this.sha256,
      head: this.head,
    };
  }
}

// stream-chain's "no value" marker, shared through the global symbol registry; passing it to the
// tokenizer flushes it (ends a trailing number, fails on a cut-off document).
const NONE = Symbol.for('object-stream.none');

type Container = Record<string, unknown> | unknown[];

/** Builds one unit's value from tokens, with long strings omitted. */
class ValueBuilder {
  private stack: { c: Container; key: string | null }[] = [];
  private pendingKey: string | null = null;
  private parts: string[] = [];
  private chars = 0;
  private hash: Hash | null = null;
  private head = '';
  done = false;
  value: unknown = undefined;

  constructor(private readonly maxChars: number) {}

  open(kind: 'object' | 'array'): void {
    const c: Container = kind === 'object' ? {} : [];
    this.stack.push({ c, key: this.pendingKey });
    this.pendingKey = null;
  }

  close(): void {
    const top = this.stack.pop()!;
    this.pendingKey = top.key;
    this.add(top.c);
  }

  key(k: string): void {
    this.pendingKey = k;
  }

  startString(): void {
    this.parts = [];
    this.chars = 0;
    this.hash = null;
    this.head = '';
  }

  chunk(s: string): void {
    if (this.hash) {
      this.hash.update(s, 'utf8');
      this.chars += s.length;
      return;
    }
    this.chars += s.length;
    this.parts.push(s);
    if (this.chars > this.maxChars) {
      this.hash = createHash('sha256');
      const all = this.parts.join('');
      this.hash.update(all, 'utf8');
      this.head = all.slice(0, 256);
      this.parts = [];
    }
  }

  endString(): void {
    if (this.hash) {
      this.add(new OmittedString(this.chars, this.hash.digest('hex'), this.head));
      this.hash = null;
    } else {
      this.add(this.parts.length === 1 ? this.parts[0]! : this.parts.join(''));
    }
    this.parts = [];
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
  private readonly builder: ValueBuilder;

  constructor(maxStringChars = MAX_STRING_CHARS) {
    this.builder = new ValueBuilder(maxStringChars);
  }

  write(text: string): void {
    this.consume(this.tokenize(text));
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
