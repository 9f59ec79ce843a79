import { describe, expect, it } from 'vitest';
import { encodeLinkPayload } from '../../shared/links/linkCodec.js';
import { decodeViewState, encodeViewState, initialViewState } from './viewState.js';

const CASE = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';

describe('view state in the address bar', () => {
  const s = {
    ...initialViewState(),
    view: 'session' as const,
    sessionId: 's0123456789abcdef',
    filters: { text: 'ログイン', statuses: ['4xx'] },
    sessionFilters: { ips: ['10.0.0.1'], from: 1_700_000_000_000_000 },
    selected: { sessions: 4 },
  };

  it('round-trips the whole view, including non-ASCII filter text, as a versioned payload', () => {
    const hash = encodeViewState(s);
    expect(hash).toMatch(/^#v=1&view=session&session=s0123456789abcdef&/);
    expect(decodeViewState(hash)).toEqual(s);
  });

  it('still restores the unversioned #v=<base64url JSON> hashes written before', () => {
    const legacy = `#v=${Buffer.from(JSON.stringify(s)).toString('base64url')}`;
    expect(decodeViewState(legacy)).toEqual(s);
  });

  it('leaves a link that names a case to useOpenLink, which checks the case first', () => {
    expect(decodeViewState(`#${encodeLinkPayload({ caseUuid: CASE, state: s })}`)).toBeNull();
  });

  it('refuses malformed or hostile links instead of half-applying them', () => {
    expect(decodeViewState('')).toBeNull();
    expect(decodeViewState('#v=%%%')).toBeNull();
    const bad = { ...initialViewState(), view: 'javascript:alert(1)' };
    expect(decodeViewState(encodeViewState(bad as never))).toBeNull();
    const badFilter = { ...initialViewState(), filters: { statuses: ['<script>'] } };
    expect(decodeViewState(encodeViewState(badFilter as never))).toBeNull();
    const legacyBad = `#v=${Buffer.from(JSON.stringify(bad)).toString('base64url')}`;
    expect(decodeViewState(legacyBad)).toBeNull();
  });
});
