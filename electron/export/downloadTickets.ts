import { randomBytes, timingSafeEqual } from 'node:crypto';
import { DOWNLOAD_TICKET_TTL_MS, type ExportQuery } from '../../shared/contract/exportApi.js';
import type { EventHub } from '../api/eventHub.js';

/** More outstanding tickets than this means nobody is redeeming them: the oldest go. */
const MAX_OUTSTANDING = 64;

interface Issued {
  /** base64url, as handed out. */
  ticket: string;
  /** The export's input, canonical JSON: the ticket is good for this input only. */
  input: string;
  expiresAt: number;
}

/**
 * Browser mode's download tickets (the exportTicket call, redeemed by GET /api/export): one per
 * export id, random, good once and for DOWNLOAD_TICKET_TTL_MS, for the input it was issued
 * for. The download is a plain navigation, so it cannot carry the token header; a ticket lets
 * it through without a cookie (which every other server on 127.0.0.1 would be sent too).
 */
export class DownloadTickets {
  private readonly byExport = new Map<string, Issued>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(exportId: string, query: ExportQuery): string {
    this.prune();
    const ticket = randomBytes(32).toString('base64url');
    // Re-issuing for an id replaces its ticket; insertion order stays oldest first.
    this.byExport.delete(exportId);
    this.byExport.set(exportId, {
      ticket,
      input: canonicalJson(query),
      expiresAt: this.now() + DOWNLOAD_TICKET_TTL_MS,
    });
    while (this.byExport.size > MAX_OUTSTANDING) {
      this.byExport.delete(this.byExport.keys().next().value as string);
    }
    return ticket;
  }

  /**
   * True when `ticket` was issued for `exportId` and `query`, and is neither used nor expired.
   * Any attempt spends the export id's ticket, right or wrong: a ticket is tried once.
   */
  redeem(exportId: string, ticket: string, query: ExportQuery): boolean {
    const issued = this.byExport.get(exportId);
    if (!issued) return false;
    this.byExport.delete(exportId);
    const given = Buffer.from(ticket);
    const expected = Buffer.from(issued.ticket);
    const sameTicket = given.length === expected.length && timingSafeEqual(given, expected);
    return sameTicket && issued.expiresAt > this.now() && issued.input === canonicalJson(query);
  }

  private prune(): void {
    const now = this.now();
    for (const [id, t] of this.byExport) if (t.expiresAt <= now) this.byExport.delete(id);
  }
}

/** JSON with every object's keys sorted: the same input however its keys were ordered. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

const perBackend = new WeakMap<EventHub, DownloadTickets>();

/** The tickets of the backend that owns `events` (as exportJobsFor keys its exports). */
export function downloadTicketsFor(events: EventHub): DownloadTickets {
  let t = perBackend.get(events);
  if (!t) {
    t = new DownloadTickets();
    perBackend.set(events, t);
  }
  return t;
}
