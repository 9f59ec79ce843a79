import { describe, expect, it } from 'vitest';
import { DOWNLOAD_TICKET_TTL_MS } from '../../shared/contract/exportApi.js';
import { canonicalJson, DownloadTickets } from './downloadTickets.js';

describe('download tickets', () => {
  const query = { filters: { ips: ['10.0.0.1'], statuses: ['5xx'] }, bom: true };

  it('are random, good once, for their export id and input only', () => {
    const tickets = new DownloadTickets();
    const a = tickets.issue('ex-aaaaaaaa', query);
    const b = tickets.issue('ex-bbbbbbbb', query);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    // The same input with its keys in another order is the same input.
    const reordered = { bom: true, filters: { statuses: ['5xx'], ips: ['10.0.0.1'] } };
    expect(tickets.redeem('ex-aaaaaaaa', a, reordered)).toBe(true);
    expect(tickets.redeem('ex-aaaaaaaa', a, query)).toBe(false);
    expect(tickets.redeem('ex-bbbbbbbb', a, query)).toBe(false);
    // That wrong try spent b too.
    expect(tickets.redeem('ex-bbbbbbbb', b, query)).toBe(false);
    const c = tickets.issue('ex-cccccccc', query);
    expect(tickets.redeem('ex-cccccccc', c, { filters: {} })).toBe(false);
    expect(tickets.redeem('ex-cccccccc', c, query)).toBe(false);
  });

  it('expire after DOWNLOAD_TICKET_TTL_MS', () => {
    let now = 1_000_000;
    const tickets = new DownloadTickets(() => now);
    const a = tickets.issue('ex-aaaaaaaa', query);
    const b = tickets.issue('ex-bbbbbbbb', query);
    now += DOWNLOAD_TICKET_TTL_MS - 1;
    expect(tickets.redeem('ex-aaaaaaaa', a, query)).toBe(true);
    now += 1;
    expect(tickets.redeem('ex-bbbbbbbb', b, query)).toBe(false);
  });

  it('keep at most 64 outstanding, dropping the oldest', () => {
    const tickets = new DownloadTickets();
    const first = tickets.issue('ex-00000000', query);
    let last = '';
    for (let i = 1; i <= 64; i++) last = tickets.issue(`ex-${String(i).padStart(8, '0')}`, query);
    expect(tickets.redeem('ex-00000000', first, query)).toBe(false);
    expect(tickets.redeem('ex-00000064', last, query)).toBe(true);
  });

  it('canonical JSON sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,1]},"b":1}',
    );
  });
});
