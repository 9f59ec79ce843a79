import { describe, expect, it } from 'vitest';
import { splitRecord } from './csvSplit.js';

const foreign = { emptyUnquoted: '', bareQuote: 'keep' } as const;
const ours = { emptyUnquoted: null, bareQuote: 'refuse' } as const;

describe('splitRecord: one RFC 4180 splitter, two readings', () => {
  it('splits quoted and unquoted fields alike under both options', () => {
    for (const opts of [foreign, ours]) {
      expect(splitRecord('a,"b,c","d""e"', ',', opts)).toEqual(['a', 'b,c', 'd"e']);
      expect(splitRecord('"x\ny"\tz', '\t', opts)).toEqual(['x\ny', 'z']);
      expect(splitRecord('"open,z', ',', opts)).toBeNull();
      expect(splitRecord('"a"b,c', ',', opts)).toBeNull();
    }
  });

  it("a foreign CSV: an empty field is '', a quote inside a field is data", () => {
    expect(splitRecord('a,,"",b,', ',', foreign)).toEqual(['a', '', '', 'b', '']);
    expect(splitRecord('', ',', foreign)).toEqual(['']);
    expect(splitRecord('a"b,c', ',', foreign)).toEqual(['a"b', 'c']);
  });

  it('our export: an unquoted empty field is null, a bare quote refuses the record', () => {
    expect(splitRecord('a,,"",b,', ',', ours)).toEqual(['a', null, '', 'b', null]);
    expect(splitRecord('', ',', ours)).toEqual([null]);
    expect(splitRecord('a"b,c', ',', ours)).toBeNull();
    expect(splitRecord('c,a"b', ',', ours)).toBeNull();
  });
});
