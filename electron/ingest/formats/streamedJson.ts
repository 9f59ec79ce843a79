import { createHash, type Hash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { jsonParser, type Token } from 'stream-json/parser.js';
import { setOwn } from './jsonFields.js';

/**
 * Reads a JSON document (or a stream of concatenated documents) token by token and hands over
 * only the values the caller marks as units, one at a time: a multi-GB array never lives in
 * memory, and neither does a string bigger than `maxStringChars` (it is hashed as it passes
 * and replaced by an OmittedString), so a HAR with huge bodies stays under V8's string limit.
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

export type JsonPathKey = string | number;
export type ValueKind = 'object' | 'array' | 'scalar';

/**
 * What to do with a value that starts at `path` (keys and array indices from the root; every
 * top-level value of a stream has the path []): hand it over whole, look inside, or skip it.
 */
export type Decision = 'unit' | 'descend' | 'skip';

export interface UnitHandler {
  classify(path: readonly JsonPathKey[], kind: ValueKind): Decision;
  /** One unit; `index` counts units from 0 across the whole input. */
  unit(value: unknown, index: number): void;
  /**
   * The input is not valid JSON from here on. `inUnit` says the failure is inside unit `index`
   * (cut off or malformed); otherwise `index` is the number of units read before it.
   */
  broken(index: number, inUnit: boolean, message: string, context: string): void;
}

export interface ReadOptions {
  maxStringChars?: number;
  shouldStop?: () => boolean;
}

// stream-chain's "no value" marker, shared through the global symbol registry; passing it to the
// tokenizer flushes it (ends a trailing number, fails on a cut-off document).
const NONE = Symbol.for('object-stream.none');

interface Frame {
  kind: 'object' | 'array';
  /** This container's own key or index in its parent. */
  at: JsonPathKey;
  /** The key being read (objects) and the next index (arrays). */
  key: string;
  next: number;
}

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

  get depth(): number {
    return this.stack.length;
  }

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

/**
 * Streams `input` through the tokenizer. Returns normally even when the JSON breaks (that is
 * reported through `broken`), and always drains the input so the caller's hash of it completes.
 */
export async function readJsonUnits(
  input: Readable,
  handler: UnitHandler,
  opts: ReadOptions = {},
): Promise<void> {
  const maxChars = opts.maxStringChars ?? MAX_STRING_CHARS;
  const tokenize = jsonParser({
    packKeys: true,
    streamKeys: false,
    packStrings: false,
    streamStrings: true,
    packNumbers: true,
    streamNumbers: false,
    jsonStreaming: true,
  }) as unknown as (text: string | symbol) => { values: Token[] } | symbol;

  const frames: Frame[] = [];
  let skipDepth = 0; // > 0 while inside a skipped container
  let skipString = false;
  let builder: ValueBuilder | null = null;
  let units = 0;
  let failed = false;
  let lastText = '';

  const childPath = (): JsonPathKey[] => {
    const p: JsonPathKey[] = [];
    for (let i = 1; i < frames.length; i++) p.push(frames[i]!.at);
    const top = frames[frames.length - 1];
    if (top) p.push(top.kind === 'array' ? top.next : top.key);
    return p;
  };
  const childDone = (): void => {
    const top = frames[frames.length - 1];
    if (top && top.kind === 'array') top.next++;
  };
  const emit = (b: ValueBuilder): void => {
    builder = null;
    handler.unit(b.value, units++);
    childDone();
  };

  const onToken = (t: Token): void => {
    if (builder) {
      const b: ValueBuilder = builder;
      switch (t.name) {
        case 'startObject':
          b.open('object');
          return;
        case 'startArray':
          b.open('array');
          return;
        case 'endObject':
        case 'endArray':
          b.close();
          break;
        case 'keyValue':
          b.key(t.value);
          return;
        case 'startString':
          b.startString();
          return;
        case 'stringChunk':
          b.chunk(t.value);
          return;
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
          return;
      }
      if (b.done) emit(b);
      return;
    }
    if (skipDepth > 0) {
      if (t.name === 'startObject' || t.name === 'startArray') skipDepth++;
      else if (t.name === 'endObject' || t.name === 'endArray') {
        skipDepth--;
        if (skipDepth === 0) childDone();
      }
      return;
    }
    if (skipString) {
      if (t.name === 'endString') {
        skipString = false;
        childDone();
      }
      return;
    }
    switch (t.name) {
      case 'keyValue': {
        const top = frames[frames.length - 1];
        if (top) top.key = t.value;
        return;
      }
      case 'startObject':
      case 'startArray': {
        const kind = t.name === 'startObject' ? 'object' : 'array';
        const p = childPath();
        const d = handler.classify(p, kind);
        if (d === 'unit') {
          builder = new ValueBuilder(maxChars);
          builder.open(kind);
        } else if (d === 'descend') {
          frames.push({ kind, at: p[p.length - 1] ?? '', key: '', next: 0 });
        } else {
          skipDepth = 1;
        }
        return;
      }
      case 'endObject':
      case 'endArray':
        frames.pop();
        childDone();
        return;
      case 'startString': {
        if (handler.classify(childPath(), 'scalar') === 'unit') {
          builder = new ValueBuilder(maxChars);
          builder.startString();
        } else {
          skipString = true;
        }
        return;
      }
      case 'numberValue':
      case 'nullValue':
      case 'trueValue':
      case 'falseValue': {
        if (handler.classify(childPath(), 'scalar') === 'unit') {
          handler.unit(t.name === 'numberValue' ? Number(t.value) : t.value, units++);
        }
        childDone();
        return;
      }
      default:
        return;
    }
  };

  const feed = (text: string | symbol): void => {
    const out = tokenize(text);
    if (typeof out === 'symbol') return;
    for (const t of out.values) onToken(t);
  };

  const fail = (err: unknown): void => {
    failed = true;
    const message = err instanceof Error ? err.message : String(err);
    handler.broken(units, builder !== null, message, lastText.slice(-512));
    builder = null;
  };

  const decoder = new StringDecoder('utf8');
  let first = true;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    if (failed) continue; // keep reading: the importer hashes every byte
    if (opts.shouldStop?.()) {
      input.destroy();
      return;
    }
    let text = decoder.write(chunk);
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    lastText = text;
    try {
      feed(text);
    } catch (err) {
      fail(err);
    }
  }
  if (failed) return;
  try {
    const tail = decoder.end();
    if (tail) feed(tail);
    feed(NONE);
    if (builder !== null || frames.length > 0) throw new Error('the input ends inside a value');
  } catch (err) {
    fail(err);
  }
}
