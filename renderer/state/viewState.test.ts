import { describe, expect, it } from 'vitest';
import { decodeViewState, encodeViewState, initialViewState } from './viewState';

describe('view state links', () => {
  it('round-trips the whole view, including non-ASCII filter text', () => {
    const s = {
      ...initialViewState(),
      view: 'session' as const,
      sessionId: 's0123456789abcdef',
      filters: { text: 'ログイン', statuses: ['4xx'] },
      sessionFilters: { ips: ['10.0.0.1'], from: 1_700_000_000_000_000 },
      selected: { sessions: 4 },
    };
    expect(decodeViewState(encodeViewState(s))).toEqual(s);
  });

  it('refuses malformed or hostile links instead of half-applying them', () => {
    expect(decodeViewState('')).toBeNull();
    expect(decodeViewState('#v=%%%')).toBeNull();
    const bad = { ...initialViewState(), view: 'javascript:alert(1)' };
    const hash = encodeViewState(bad as never);
    expect(decodeViewState(hash)).toBeNull();
    const badFilter = { ...initialViewState(), filters: { statuses: ['<script>'] } };
    expect(decodeViewState(encodeViewState(badFilter as never))).toBeNull();
  });
});
