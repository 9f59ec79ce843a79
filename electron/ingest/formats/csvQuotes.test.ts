import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { endsInQuotes } from './csv.js';

/** The character-by-character reading endsInQuotes replaced, as the reference. */
function reference(line: string, delim: string, inQuotes: boolean): boolean {
  if (!inQuotes && !line.includes('"')) return false;
  let atFieldStart = !inQuotes;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inQuotes) {
      if (c === '"') {
        if (line[i + 1] === '"') i++;
        else inQuotes = false;
      }
    } else if (c === delim) {
      atFieldStart = true;
    } else {
      if (c === '"' && atFieldStart) inQuotes = true;
      atFieldStart = false;
    }
  }
  return inQuotes;
}

describe('endsInQuotes', () => {
  it('agrees with a character-by-character reading on any line', () => {
    const line = fc
      .array(fc.constantFrom('"', '""', ',', ';', 'a', ' ', '\t', 'x"y', '"",'), {
        maxLength: 24,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(line, fc.constantFrom(',', ';', '\t', '"'), fc.boolean(), (l, delim, inQ) => {
        expect(endsInQuotes(l, delim, inQ)).toBe(reference(l, delim, inQ));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads the usual cases', () => {
    expect(endsInQuotes('a,"b,c",d', ',', false)).toBe(false);
    expect(endsInQuotes('a,"b,c', ',', false)).toBe(true);
    expect(endsInQuotes('a,b"c,"d', ',', false)).toBe(true);
    expect(endsInQuotes('a,b"c,d', ',', false)).toBe(false);
    expect(endsInQuotes('still quoted ""x', ',', true)).toBe(true);
    expect(endsInQuotes('closes" here,"and', ',', true)).toBe(true);
    expect(endsInQuotes('closes" here', ',', true)).toBe(false);
  });
});
