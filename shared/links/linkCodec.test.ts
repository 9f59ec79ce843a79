import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FLOWS } from '../analysis/flowRules.js';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import {
  decodeLink,
  decodeLinkPayload,
  encodeBrowserLink,
  encodeDesktopLink,
  encodeLinkPayload,
  MAX_LINK_CHARS,
  type ViewLink,
} from './linkCodec.js';
import { initialViewState, VIEW_NAMES, viewStateSchema, type ViewState } from './viewState.js';

const CASE = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const hex16 = fc.stringMatching(/^[0-9a-f]{16}$/);
const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 });
const list = <T>(a: fc.Arbitrary<T>) => fc.array(a, { maxLength: 4 });
const time = fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });

const filtersInput = fc.record(
  {
    from: time,
    to: time,
    hosts: list(text),
    ips: list(text),
    users: list(text),
    roles: list(text),
    flows: fc.subarray([...FLOWS]),
    attackTypes: list(text),
    statuses: list(fc.constantFrom('200', '404', '4xx', '5XX')),
    methods: list(fc.constantFrom('GET', 'post', 'Delete')),
    endpoints: list(hex16.map((h) => `e${h}`)),
    sessionId: hex16.map((h) => `s${h}`),
    requestId: text,
    text,
    outliersOnly: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** Arbitrary inputs parsed by the schema: exactly the states the app can hold. */
const viewState: fc.Arbitrary<ViewState> = fc
  .record({
    view: fc.constantFrom(...VIEW_NAMES),
    filters: filtersInput,
    sessionFilters: filtersInput,
    sessionId: fc.option(hex16.map((h) => `s${h}`)),
    requestId: fc.option(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
    sessionSort: fc.option(
      fc.record({
        column: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
        dir: fc.constantFrom('asc', 'desc'),
      }),
    ),
    selected: fc.dictionary(fc.stringMatching(/^[a-z][A-Za-z0-9]{0,31}$/), fc.nat(), {
      maxKeys: 3,
    }),
    listFilters: fc.record(
      {
        endpoints: fc.record(
          {
            filters: fc.record(
              {
                text,
                levels: fc.subarray(['Low', 'Medium', 'High']),
                spec: fc.subarray(['documented', 'shadow', 'zombie']),
                flows: fc.subarray([...FLOWS]),
              },
              { requiredKeys: [] },
            ),
            sort: fc.record({
              column: fc.constantFrom('requests', 'template', 'median', 'risk'),
              dir: fc.constantFrom('asc', 'desc'),
            }),
          },
          { requiredKeys: [] },
        ),
        attacks: fc.record({ type: fc.constantFrom('sqli', 'xss', 'labelled', 'my_rule') }),
      },
      { requiredKeys: [] },
    ),
    selectedIds: fc.dictionary(fc.stringMatching(/^[a-z][A-Za-z0-9]{0,31}$/), text, {
      maxKeys: 3,
    }),
  })
  .map((input) => viewStateSchema.safeParse(input))
  .filter((r) => r.success)
  .map((r) => r.data!);

const link: fc.Arbitrary<ViewLink> = fc.record({ caseUuid: fc.uuid(), state: viewState });

/** What a decode may return: an error, or a state the schema accepts, for a real UUID. */
function expectWellFormed(r: ReturnType<typeof decodeLink>): void {
  if (!r.ok) {
    expect(r.error.message.length).toBeGreaterThan(0);
    return;
  }
  expect(r.value.caseUuid).toMatch(/^[0-9a-f-]{36}$/);
  expect(viewStateSchema.safeParse(r.value.state).success).toBe(true);
}

describe('link codec', () => {
  it('spells one view compactly and readably', () => {
    const state: ViewState = {
      ...initialViewState(),
      view: 'session',
      sessionId: 's0123456789abcdef',
      requestId: 42,
      filters: { statuses: ['4xx'] },
    };
    const payload = encodeLinkPayload({ caseUuid: CASE, state });
    expect(payload).toBe(
      `v=1&case=${CASE}&view=session&session=s0123456789abcdef&request=42&f=${encodeBase64Url('{"statuses":["4xx"]}')}`,
    );
    expect(encodeDesktopLink({ caseUuid: CASE, state })).toBe(`sessionscope://open?${payload}`);
    expect(encodeBrowserLink({ caseUuid: CASE, state }, 4123)).toBe(
      `http://127.0.0.1:4123/#${payload}`,
    );
  });

  it('carries a list view’s own filters and its selection by id', () => {
    const state: ViewState = {
      ...initialViewState(),
      view: 'endpoints',
      listFilters: {
        endpoints: {
          filters: { text: 'contest', levels: ['High'] },
          sort: { column: 'risk', dir: 'desc' },
        },
      },
      selectedIds: { endpoints: 'e0123456789abcdef' },
    };
    const payload = encodeLinkPayload({ caseUuid: CASE, state });
    expect(payload).toBe(
      `v=1&case=${CASE}&view=endpoints` +
        `&lf=${encodeBase64Url('{"endpoints":{"filters":{"text":"contest","levels":["High"]},"sort":{"column":"risk","dir":"desc"}}}')}` +
        `&pick=${encodeBase64Url('{"endpoints":"e0123456789abcdef"}')}`,
    );
    expect(decodeLinkPayload(payload)).toEqual({ ok: true, value: { caseUuid: CASE, state } });
    const attacks: ViewState = {
      ...initialViewState(),
      view: 'attacks',
      listFilters: { attacks: { type: 'sqli' } },
      selectedIds: {
        attackGroups: 'sqli\tGET\t/contest.php',
        attacks: '42.sqli.union-select.query.3',
      },
    };
    expect(decodeLinkPayload(encodeLinkPayload({ caseUuid: CASE, state: attacks }))).toEqual({
      ok: true,
      value: { caseUuid: CASE, state: attacks },
    });
  });

  it('still opens an older link that selects a row by number, with no filters or ids', () => {
    const old = `v=1&case=${CASE}&view=endpoints&sel=eyJlbmRwb2ludHMiOjF9`;
    expect(decodeLinkPayload(old)).toEqual({
      ok: true,
      value: {
        caseUuid: CASE,
        state: { ...initialViewState(), view: 'endpoints', selected: { endpoints: 1 } },
      },
    });
  });

  it('refuses list filters it does not know, or a sort that is no column', () => {
    const bad = (lf: unknown): string =>
      `v=1&view=endpoints&lf=${encodeBase64Url(JSON.stringify(lf))}`;
    expect(decodeLinkPayload(bad({ endpoints: { filters: { levels: ['severe'] } } })).ok).toBe(
      false,
    );
    expect(
      decodeLinkPayload(bad({ endpoints: { sort: { column: 'x; drop', dir: 'asc' } } })).ok,
    ).toBe(false);
    expect(decodeLinkPayload(bad({ sessions: {} })).ok).toBe(false);
    expect(decodeLinkPayload(bad({ attacks: { type: 'SQLI<b>' } })).ok).toBe(false);
  });

  it('round-trips every valid view in the desktop spelling', () => {
    fc.assert(
      fc.property(link, (l) => {
        expect(decodeLink(encodeDesktopLink(l))).toEqual({ ok: true, value: l });
      }),
    );
  });

  it('round-trips every valid view in the browser spelling, on any port', () => {
    fc.assert(
      fc.property(link, fc.integer({ min: 1, max: 65535 }), (l, port) => {
        const url = encodeBrowserLink(l, port);
        // No parameter carries the page's token (its base64 payload may spell the word).
        const u = new URL(url);
        const names = [
          ...new URLSearchParams(u.search).keys(),
          ...new URLSearchParams(u.hash.slice(1)).keys(),
        ];
        expect(names.filter((n) => /token/i.test(n))).toEqual([]);
        expect(decodeLink(url)).toEqual({ ok: true, value: l });
      }),
    );
  });

  it('round-trips the payload alone, with or without a case', () => {
    fc.assert(
      fc.property(fc.option(fc.uuid()), viewState, (caseUuid, state) => {
        const hash = `#${encodeLinkPayload({ caseUuid, state })}`;
        expect(decodeLinkPayload(hash)).toEqual({ ok: true, value: { caseUuid, state } });
      }),
    );
  });

  it('never throws on arbitrary strings, and never decodes into an invalid view', () => {
    const prefixed = fc
      .tuple(
        fc.constantFrom('sessionscope://open?', 'http://127.0.0.1:8080/#', `v=1&case=${CASE}&`),
        fc.string({ unit: 'binary', maxLength: 300 }),
      )
      .map(([a, b]) => a + b);
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), prefixed), (s) => {
        expectWellFormed(decodeLink(s));
        const p = decodeLinkPayload(s);
        if (p.ok) expect(viewStateSchema.safeParse(p.value.state).success).toBe(true);
      }),
    );
  });

  it('a link with one character changed is refused or still a valid view', () => {
    fc.assert(
      fc.property(
        link,
        fc.nat(),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        (l, at, c) => {
          const url = encodeDesktopLink(l);
          const i = at % url.length;
          expectWellFormed(decodeLink(url.slice(0, i) + c + url.slice(i + 1)));
        },
      ),
    );
  });

  const good = encodeDesktopLink({
    caseUuid: CASE,
    state: { ...initialViewState(), view: 'sessions' },
  });
  it.each([
    ['an empty string', '', 'NOT_A_LINK'],
    ['another scheme', 'javascript:alert(1)//#v=1', 'NOT_A_LINK'],
    ['another host', `http://evil.example:80/#v=1&case=${CASE}&view=overview`, 'NOT_A_LINK'],
    ['port 0', `http://127.0.0.1:0/#v=1&case=${CASE}&view=overview`, 'NOT_A_LINK'],
    ['a later version', good.replace('v=1', 'v=2'), 'UNSUPPORTED_VERSION'],
    ['no version', good.replace('v=1&', ''), 'MALFORMED'],
    ['no case', good.replace(`case=${CASE}&`, ''), 'NO_CASE'],
    ['a bad case id', good.replace(CASE, 'not-a-uuid'), 'MALFORMED'],
    ['an unknown part', `${good}&html=%3Cb%3E`, 'MALFORMED'],
    ['a repeated part', `${good}&view=overview`, 'MALFORMED'],
    [
      'an unknown view',
      good.replace('view=sessions', 'view=javascript%3Aalert(1)'),
      'INVALID_VIEW',
    ],
    ['a bad percent escape', `${good}&session=%E0%A4%A`, 'MALFORMED'],
    ['a negative request id', `${good}&request=-1`, 'MALFORMED'],
    ['a damaged filter', `${good}&f=!!!`, 'MALFORMED'],
    ['filter JSON that is not JSON', `${good}&f=${encodeBase64Url('{nope')}`, 'MALFORMED'],
    [
      'a hostile filter',
      `${good}&f=${encodeBase64Url('{"statuses":["<script>"]}')}`,
      'INVALID_VIEW',
    ],
    ['an unknown filter', `${good}&f=${encodeBase64Url('{"sql":"1=1"}')}`, 'INVALID_VIEW'],
    ['a prototype key', `${good}&sel=${encodeBase64Url('{"__proto__":1}')}`, 'MALFORMED'],
    ['a huge link', `${good}&f=${'A'.repeat(MAX_LINK_CHARS)}`, 'TOO_LONG'],
  ])('refuses %s with a typed error', (_what, url, code) => {
    const r = decodeLink(url);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.message).toMatch(/link/i);
    }
  });

  it('base64url is canonical: other spellings of the same bytes are refused', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        expect(decodeBase64Url(encodeBase64Url(s))).toBe(s);
      }),
    );
    expect(decodeBase64Url(encodeBase64Url('a'))).toBe('a');
    expect(decodeBase64Url('YR')).toBeNull(); // "YQ" with padding bits set
    expect(decodeBase64Url('/w')).toBeNull(); // not the url-safe alphabet
    expect(decodeBase64Url('_w')).toBeNull(); // 0xFF alone is not UTF-8
  });
});
