/*
 * The RFC 4180 split of one CSV record, shared by the generic CSV reader (csv.ts) and the reader
 * of Sessionscope's own export (csvOwnExport.ts). They differ only in what they make of two
 * cases, so those are options rather than two copies of the loop.
 */

export interface SplitOptions<E extends string | null> {
  /** What an unquoted empty field becomes: '' for a foreign CSV, null for our export (where `""` is ''). */
  emptyUnquoted: E;
  /**
   * A quote inside an unquoted field (`a"b`): kept as data (as papaparse does, a quote opens a
   * quoted field only as its first character) or the record refused (our exporter never writes one).
   */
  bareQuote: 'keep' | 'refuse';
}

/**
 * Splits one record whose quoting is well formed into its fields; null when it is not (text
 * after a closing quote, an unclosed quote, a bare quote when refused), so the caller decides.
 */
export function splitRecord<E extends string | null>(
  text: string,
  delim: string,
  opts: SplitOptions<E>,
): (string | E)[] | null {
  const out: (string | E)[] = [];
  const n = text.length;
  const refuseBare = opts.bareQuote === 'refuse';
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      let j = i + 1;
      let value = '';
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return null;
        if (text.charCodeAt(q + 1) === 34) {
          value += text.slice(j, q + 1);
          j = q + 2;
          continue;
        }
        value += text.slice(j, q);
        i = q + 1;
        break;
      }
      out.push(value);
      if (i === n) return out;
      if (text[i] !== delim) return null;
    } else {
      const d = text.indexOf(delim, i);
      const value = d < 0 ? text.slice(i) : text.slice(i, d);
      if (refuseBare && value.includes('"')) return null;
      out.push(value === '' ? opts.emptyUnquoted : value);
      if (d < 0) return out;
      i = d;
    }
    i++; // past the delimiter
    if (i === n) {
      out.push(opts.emptyUnquoted);
      return out;
    }
  }
}
