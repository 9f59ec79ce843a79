import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIpRange } from '../query/ipRange.js';
import { decodeLinkPayload, encodeLinkPayload } from './linkCodec.js';
import { encodeBase64Url } from './base64url.js';
import { initialViewState, viewStateSchema, type ViewState } from './viewState.js';

const CASE = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const payload = (filters: unknown): string =>
  `v=1&case=${CASE}&view=sessions&f=${encodeBase64Url(JSON.stringify(filters))}`;

/** A network of any address and prefix, spelled as an investigator might (any case). */
const network: fc.Arbitrary<string> = fc
  .oneof(
    fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })),
    fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })),
  )
  .map(([ip, p]) => {
    const r = parseIpRange(`${ip}/${p}`);
    if (r.ok) return r.range.text;
    if (r.problem.kind !== 'hostBits') throw new Error(`${ip}/${p}`);
    return r.problem.network;
  });

describe('IP ranges in links', () => {
  it('a link made before ranges (exact addresses, host names) opens as it did', () => {
    const ips = ['10.0.0.1', '2001:db8::5', 'fe80::1%eth0', 'crawl.example.com'];
    const r = decodeLinkPayload(payload({ ips }));
    expect(r.ok && r.value.state.filters).toEqual({ ips });
  });

  it('round-trips ranges mixed with addresses', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(network, fc.ipV4(), fc.ipV6()), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (ips, upper) => {
          const input = upper ? ips.map((s) => s.toUpperCase()) : ips;
          const state: ViewState = viewStateSchema.parse({
            ...initialViewState(),
            filters: { ips: input },
          });
          const r = decodeLinkPayload(encodeLinkPayload({ caseUuid: CASE, state }));
          expect(r).toEqual({ ok: true, value: { caseUuid: CASE, state } });
          // Ranges are kept in their one spelling; addresses as given.
          const kept = state.filters.ips!;
          input.forEach((s, i) => {
            expect(kept[i]).toBe(s.includes('/') ? s.toLowerCase() : s);
          });
        },
      ),
    );
  });

  it('refuses a link whose range is not a network, saying which', () => {
    const r = decodeLinkPayload(payload({ ips: ['203.0.113.7/24'] }));
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'INVALID_VIEW',
        message:
          'The link’s view is not valid (filters.ips.0: 203.0.113.7/24 has bits set past its prefix; the range is written 203.0.113.0/24).',
      },
    });
  });
});
