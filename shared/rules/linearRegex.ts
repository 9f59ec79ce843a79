/**
 * A small regular-expression engine for investigator-authored patterns, which run on hostile
 * log text at every rebuild. JavaScript's RegExp backtracks, so a careless `(a+)+` or
 * `.*a.*b.*c` can take hours on one crafted line; this engine compiles to an NFA and simulates
 * it breadth-first (a Pike VM), so a search costs O(text length × pattern size) whatever the
 * pattern. Always case-insensitive (by UTF-16 code unit).
 *
 * Syntax: literals, `.`, escapes (`\d \D \w \W \s \S \t \n \r`, any punctuation), classes
 * `[a-z_\d]` and `[^…]`, anchors `^ $`, groups `(…)` `(?:…)`, alternation `|`, quantifiers
 * `* + ? {n} {n,} {n,m}` and their lazy forms; `^` and `$` are the ends of the text. Backreferences and lookarounds cannot be run in
 * linear time and are refused with a reason.
 */

export const PATTERN_MAX = 500;
/** Counted repeats are expanded, so their bounds are capped to keep the NFA small. */
export const REPEAT_MAX = 100;
const STATES_MAX = 5000;
/**
 * The work a rule may cost on one text, as states × the longest text its field gives. A search
 * takes at most about 3 × states steps per character (each state is entered at most once per
 * generation, two generations a character, plus the live threads), some 15–25 ns each, so an
 * accepted pattern costs at most ~6M steps (about 0.1 s) on any text: up to 32 states on a
 * 64 KiB body, 512 on a 4 KiB field. Linear is not enough when ~10k hostile bodies each cost
 * seconds; the limit is checked when a rule is saved, so every saved rule is run in full.
 */
export const WORK_MAX = 2 ** 21;

type CharTest = (c: number) => boolean;

type Node =
  | { k: 'char'; test: CharTest }
  | { k: 'bol' }
  | { k: 'eol' }
  | { k: 'cat'; items: Node[] }
  | { k: 'alt'; items: Node[] }
  | { k: 'rep'; node: Node; min: number; max: number; lazy: boolean }
  | { k: 'empty' };

export class PatternError extends Error {}

const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);
const upper = (c: number): number => (c >= 97 && c <= 122 ? c - 32 : c);
/** Non-ASCII case folding through String methods, only when the code unit is not ASCII. */
function foldOther(c: number): number[] {
  const s = String.fromCharCode(c);
  const out = [c];
  const l = s.toLowerCase();
  const u = s.toUpperCase();
  if (l.length === 1) out.push(l.charCodeAt(0));
  if (u.length === 1) out.push(u.charCodeAt(0));
  return out;
}
function caseless(test: CharTest): CharTest {
  return (c) => {
    if (test(c)) return true;
    if (c < 128) return test(lower(c)) || test(upper(c));
    return foldOther(c).some((x) => x !== c && test(x));
  };
}

const isDigit: CharTest = (c) => c >= 48 && c <= 57;
const isWord: CharTest = (c) =>
  isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace: CharTest = (c) =>
  c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a);

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const n = this.alt();
    if (this.i < this.src.length) throw new PatternError(`unmatched ')' at ${this.i}`);
    return n;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alt(): Node {
    const items = [this.cat()];
    while (this.peek() === '|') {
      this.i++;
      items.push(this.cat());
    }
    return items.length === 1 ? items[0]! : { k: 'alt', items };
  }

  private cat(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') {
      items.push(this.quantified());
    }
    if (items.length === 0) return { k: 'empty' };
    return items.length === 1 ? items[0]! : { k: 'cat', items };
  }

  private quantified(): Node {
    const at = this.i;
    const atom = this.atom();
    const q = this.quantifier();
    if (q === null) return atom;
    if (atom.k === 'bol' || atom.k === 'eol') throw new PatternError(`nothing to repeat at ${at}`);
    if (this.peek() === '?') {
      this.i++;
      q.lazy = true;
    }
    if (this.peek() !== undefined && '*+?{'.includes(this.peek()!) && this.isQuantifierHere()) {
      throw new PatternError(`a quantifier follows a quantifier at ${this.i}`);
    }
    return { k: 'rep', node: atom, ...q };
  }

  private isQuantifierHere(): boolean {
    return this.peek() !== '{' || /^\{\d+(?:,\d*)?\}/.test(this.src.slice(this.i));
  }

  private quantifier(): { min: number; max: number; lazy: boolean } | null {
    const c = this.peek();
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      return { min: c === '+' ? 1 : 0, max: c === '?' ? 1 : Infinity, lazy: false };
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (m === null) return null; // a literal '{', as JavaScript reads it
      this.i += m[0].length;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min > REPEAT_MAX || (max !== Infinity && max > REPEAT_MAX)) {
        throw new PatternError(`repeat counts above ${REPEAT_MAX} are not supported`);
      }
      if (max < min) throw new PatternError(`repeat {${min},${max}} is out of order`);
      return { min, max, lazy: false };
    }
    return null;
  }

  private atom(): Node {
    const c = this.src[this.i++]!;
    switch (c) {
      case '(': {
        if (this.peek() === '?') {
          const next = this.src[this.i + 1];
          if (next !== ':') {
            throw new PatternError(
              next === '=' || next === '!' || next === '<'
                ? 'lookarounds and named groups are not supported'
                : `unknown group at ${this.i - 1}`,
            );
          }
          this.i += 2;
        }
        const inner = this.alt();
        if (this.peek() !== ')') throw new PatternError(`missing ')'`);
        this.i++;
        return inner;
      }
      case ')':
        throw new PatternError(`unmatched ')' at ${this.i - 1}`);
      case '*':
      case '+':
      case '?':
        throw new PatternError(`nothing to repeat at ${this.i - 1}`);
      case '^':
        return { k: 'bol' };
      case '$':
        return { k: 'eol' };
      case '.':
        return { k: 'char', test: (x) => x !== 10 && x !== 13 };
      case '[':
        return { k: 'char', test: this.charClass() };
      case '\\':
        return { k: 'char', test: this.escape(false) };
      default: {
        const code = c.charCodeAt(0);
        return { k: 'char', test: caseless((x) => x === code) };
      }
    }
  }

  /** After a backslash; inside a class, `\b` is a backspace as in JavaScript. */
  private escape(inClass: boolean): CharTest {
    const c = this.src[this.i++];
    if (c === undefined) throw new PatternError('pattern ends with a backslash');
    switch (c) {
      case 'd':
        return isDigit;
      case 'D':
        return (x) => !isDigit(x);
      case 'w':
        return isWord;
      case 'W':
        return (x) => !isWord(x);
      case 's':
        return isSpace;
      case 'S':
        return (x) => !isSpace(x);
      case 't':
        return (x) => x === 9;
      case 'n':
        return (x) => x === 10;
      case 'r':
        return (x) => x === 13;
      case 'b':
        if (inClass) return (x) => x === 8;
        throw new PatternError('word boundaries (\\b) are not supported');
      default:
        if (/[0-9]/.test(c)) throw new PatternError('backreferences are not supported');
        if (/[a-zA-Z]/.test(c)) throw new PatternError(`unknown escape \\${c}`);
        return caseless((x) => x === c.charCodeAt(0));
    }
  }

  private charClass(): CharTest {
    const negate = this.peek() === '^';
    if (negate) this.i++;
    const tests: CharTest[] = [];
    // As in JavaScript, `]` always closes: `[]` matches nothing and `[^]` anything.
    for (;;) {
      const c = this.src[this.i];
      if (c === undefined) throw new PatternError(`missing ']'`);
      if (c === ']') {
        this.i++;
        break;
      }
      const lo = this.classAtom();
      if (
        this.peek() === '-' &&
        this.src[this.i + 1] !== ']' &&
        this.src[this.i + 1] !== undefined
      ) {
        this.i++;
        const hi = this.classAtom();
        if (typeof lo !== 'number' || typeof hi !== 'number') {
          throw new PatternError('a class range needs single characters at both ends');
        }
        if (hi < lo) throw new PatternError('class range out of order');
        tests.push((x) => x >= lo && x <= hi);
      } else {
        tests.push(typeof lo === 'number' ? (x) => x === lo : lo);
      }
    }
    const any = caseless((x) => tests.some((t) => t(x)));
    return negate ? (x) => !any(x) : any;
  }

  /** One class member: a code unit, or a test for the shorthand escapes. */
  private classAtom(): number | CharTest {
    const c = this.src[this.i++]!;
    if (c !== '\\') return c.charCodeAt(0);
    const e = this.src[this.i];
    if (e !== undefined && /[^dDwWsS]/.test(e)) {
      const simple: Record<string, number> = { t: 9, n: 10, r: 13, b: 8 };
      if (e in simple) {
        this.i++;
        return simple[e]!;
      }
      if (/[a-zA-Z0-9]/.test(e)) throw new PatternError(`unknown escape \\${e} in a class`);
      this.i++;
      return e.charCodeAt(0);
    }
    return this.escape(true);
  }
}

// ---- NFA ------------------------------------------------------------------------------------

type State =
  | { op: 'char'; test: CharTest; next: number }
  | { op: 'split'; a: number; b: number }
  | { op: 'jmp'; next: number }
  | { op: 'bol'; next: number }
  | { op: 'eol'; next: number }
  | { op: 'match' };

class Compiler {
  readonly states: State[] = [];

  private add(s: State): number {
    if (this.states.length >= STATES_MAX) throw new PatternError('pattern is too large');
    this.states.push(s);
    return this.states.length - 1;
  }

  /** Emits `n` so that it continues at `next`; returns its entry state. Built back to front. */
  emit(n: Node, next: number): number {
    switch (n.k) {
      case 'empty':
        return next;
      case 'char':
        return this.add({ op: 'char', test: n.test, next });
      case 'bol':
        return this.add({ op: 'bol', next });
      case 'eol':
        return this.add({ op: 'eol', next });
      case 'cat': {
        let at = next;
        for (let i = n.items.length - 1; i >= 0; i--) at = this.emit(n.items[i]!, at);
        return at;
      }
      case 'alt': {
        const entries = n.items.map((it) => this.emit(it, next));
        let at = entries[entries.length - 1]!;
        for (let i = entries.length - 2; i >= 0; i--)
          at = this.add({ op: 'split', a: entries[i]!, b: at });
        return at;
      }
      case 'rep': {
        let at = next;
        if (n.max === Infinity) {
          // A loop: split → body → back to split. The split's index is only known after the
          // body is emitted, so a jump placeholder is patched.
          const loop = this.add({ op: 'jmp', next: -1 });
          const body = this.emit(n.node, loop);
          this.states[loop] = n.lazy
            ? { op: 'split', a: next, b: body }
            : { op: 'split', a: body, b: next };
          at = loop;
        } else {
          for (let i = n.max; i > n.min; i--) {
            const body = this.emit(n.node, at);
            at = this.add(
              n.lazy ? { op: 'split', a: next, b: body } : { op: 'split', a: body, b: next },
            );
          }
        }
        for (let i = 0; i < n.min; i++) at = this.emit(n.node, at);
        return at;
      }
    }
  }
}

export interface LinearRegex {
  /** The leftmost match as half-open [start, end), preferring what a backtracker would. */
  search(text: string): [number, number] | null;
  /** NFA states: a search costs at most ~3 × states steps per character. */
  readonly states: number;
}

/** Compiles a pattern, or throws PatternError with a reason a person can act on. */
export function compileLinear(pattern: string): LinearRegex {
  if (pattern.length === 0) throw new PatternError('the pattern is empty');
  if (pattern.length > PATTERN_MAX) throw new PatternError(`longer than ${PATTERN_MAX} characters`);
  const ast = new Parser(pattern).parse();
  const c = new Compiler();
  const matchState = c.states.length;
  c.states.push({ op: 'match' });
  const start = c.emit(ast, matchState);
  return { search: makeSearch(c.states, start), states: c.states.length };
}

const size = (chars: number): string =>
  chars % 1024 === 0 ? `${chars / 1024} KiB` : `${chars} characters`;

/**
 * Why a pattern is refused, or null when it compiles; with `textMax` (the longest text its
 * field gives the pattern) also when it would cost more than WORK_MAX there.
 */
export function patternProblem(pattern: string, textMax?: number): string | null {
  try {
    const { states } = compileLinear(pattern);
    if (textMax !== undefined && states * textMax > WORK_MAX) {
      const max = Math.floor(WORK_MAX / textMax);
      return (
        `too costly on texts of up to ${size(textMax)}: size ${states}, at most ${max} there ` +
        `(a counted repeat {m,n} copies its part n times; + and * do not)`
      );
    }
    return null;
  } catch (e) {
    if (e instanceof PatternError) return e.message;
    throw e;
  }
}

/**
 * The characters a match can begin with at a position after the first, as one test; null when
 * a match could begin without consuming one (an empty match, or `$`). With no live thread the
 * search skips ahead to such a character instead of starting a thread at every position.
 */
function firstCharTest(states: State[], start: number): CharTest | null {
  const tests: CharTest[] = [];
  const seen = new Set<number>();
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const st = states[id]!;
    switch (st.op) {
      case 'jmp':
        stack.push(st.next);
        break;
      case 'split':
        stack.push(st.a, st.b);
        break;
      case 'bol':
        break; // never true after position 0
      case 'eol':
      case 'match':
        return null;
      case 'char':
        tests.push(st.test);
    }
  }
  if (tests.length === 1) return tests[0]!;
  return (c) => {
    for (const t of tests) if (t(c)) return true;
    return false;
  };
}

/**
 * Breadth-first simulation. Each thread carries the position its match started at; threads
 * are kept in priority order and a state is entered once per position, so the work per
 * character is bounded by the number of states. Buffers are reused between searches (a
 * search runs to completion synchronously, so one compiled pattern never overlaps itself).
 */
function makeSearch(states: State[], start: number): (text: string) => [number, number] | null {
  const n = states.length;
  const first = firstCharTest(states, start);
  const seen = new Int32Array(n).fill(-1);
  let gen = 0;
  const stack: number[] = [];
  let clist: number[] = [];
  let cstart: number[] = [];
  let nlist: number[] = [];
  let nstart: number[] = [];

  const addThread = (
    text: string,
    list: number[],
    starts: number[],
    s: number,
    from: number,
    pos: number,
  ): void => {
    // Iterative with an explicit stack, so a long chain of epsilon states cannot overflow.
    stack.length = 0;
    stack.push(s);
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (seen[id] === gen) continue;
      seen[id] = gen;
      const st = states[id]!;
      switch (st.op) {
        case 'jmp':
          stack.push(st.next);
          break;
        case 'split':
          stack.push(st.b, st.a); // a first: higher priority
          break;
        case 'bol':
          if (pos === 0) stack.push(st.next);
          break;
        case 'eol':
          if (pos === text.length) stack.push(st.next);
          break;
        default:
          list.push(id);
          starts.push(from);
      }
    }
  };

  return (text) => {
    if (gen > 0x3fffffff) {
      seen.fill(-1);
      gen = 0;
    }
    clist.length = 0;
    cstart.length = 0;
    let best: [number, number] | null = null;
    for (let pos = 0; pos <= text.length; pos++) {
      if (best === null && clist.length === 0 && pos > 0 && first !== null) {
        while (pos < text.length && !first(text.charCodeAt(pos))) pos++;
        if (pos === text.length) break; // nothing can start, and no match is empty
      }
      gen++;
      // Threads carried from the previous position were added already (into clist); a new
      // thread starting here has the lowest priority, and none start once a match is found.
      if (best === null) {
        for (const id of clist) seen[id] = gen;
        addThread(text, clist, cstart, start, pos, pos);
      }
      if (clist.length === 0) {
        if (best !== null) break;
        continue;
      }
      gen++;
      const c = pos < text.length ? text.charCodeAt(pos) : -1;
      nlist.length = 0;
      nstart.length = 0;
      for (let t = 0; t < clist.length; t++) {
        const st = states[clist[t]!]!;
        if (st.op === 'match') {
          best = [cstart[t]!, pos];
          break; // lower-priority threads are cut
        }
        if (st.op === 'char' && c >= 0 && st.test(c))
          addThread(text, nlist, nstart, st.next, cstart[t]!, pos + 1);
      }
      [clist, nlist] = [nlist, clist];
      [cstart, nstart] = [nstart, cstart];
    }
    return best;
  };
}
