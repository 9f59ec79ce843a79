/**
 * Timestamp parsing for log formats. Everything returns microseconds since the Unix epoch (UTC)
 * or null when the text is not a time. A text without an offset is read in `tz` (an IANA zone
 * name or 'UTC'), which the caller records as the source's timezone assumption.
 */

/**
 * Given to a parse function below, it says of the time it returned (set only when it returns
 * one) whether the text had no offset of its own, so that it was read in `tz`: the import
 * counts those lines, as the assumption the source's zone stands for. An epoch number or a
 * text with an offset (`Z`, `+02:00`, `GMT`) names its instant itself.
 */
export interface TimeReading {
  zoneAssumed: boolean;
}

const MONTHS: Record<string, number> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

export function monthIndex(name: string): number | undefined {
  return MONTHS[name.slice(0, 3).toLowerCase()];
}

/** Offset like "+0330", "-07:00", "Z" → minutes east of UTC; undefined when not an offset. */
export function parseOffset(text: string): number | undefined {
  if (text === 'Z' || text === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  if (!m) return undefined;
  if (Number(m[3]) > 59) return undefined;
  const mins = Number(m[2]) * 60 + Number(m[3]);
  if (mins > 18 * 60) return undefined;
  return m[1] === '-' ? -mins : mins;
}

export interface WallTime {
  year: number;
  month: number; // 0-based
  day: number;
  hour: number;
  minute: number;
  second: number;
  micro: number;
}

/** Days in a month (0-based) of a year, leap years included. */
function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/**
 * A wall time that names a real instant: no 30 February (Date.UTC would roll it into March),
 * and hour 24 only as 24:00:00, the end of a day.
 */
function validWall(w: WallTime): boolean {
  return (
    w.month >= 0 &&
    w.month <= 11 &&
    w.day >= 1 &&
    w.day <= daysIn(w.year, w.month) &&
    w.hour >= 0 &&
    (w.hour < 24 || (w.hour === 24 && w.minute === 0 && w.second === 0 && w.micro === 0)) &&
    w.minute >= 0 &&
    w.minute <= 59 &&
    w.second >= 0 &&
    w.second <= 60 &&
    w.year >= 1970 &&
    w.year <= 9999
  );
}

function wallAsUtcMs(w: WallTime): number {
  return Date.UTC(w.year, w.month, w.day, w.hour, w.minute, w.second);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** A fixed offset: `+03:30`, `-0500`, `UTC+05:30`, `GMT-08:00` (hours up to 14). */
const FIXED_OFFSET = /^(?:UTC|GMT)?([+-])(\d{2}):?(\d{2})$/;

/** Minutes east of UTC of a fixed-offset zone, or null when `tz` is not one. */
export function fixedOffsetMinutes(tz: string): number | null {
  const m = FIXED_OFFSET.exec(tz);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3]);
  if (hours > 14 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** True when `tz` is 'UTC', a fixed offset (`+03:30`) or an IANA zone this runtime knows. */
export function isValidTimeZone(tz: string): boolean {
  if (tz === 'UTC' || fixedOffsetMinutes(tz) !== null) return true;
  try {
    zoneFormatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Minutes east of UTC that zone `tz` has at the UTC instant `utcMs`. */
function zoneOffsetAt(tz: string, utcMs: number): number {
  const parts = zoneFormatter(tz).formatToParts(new Date(utcMs));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60000);
}

const offsetCache = new Map<string, number>();

/**
 * Converts a wall-clock time in zone `tz` to UTC. In a DST gap the time is read with the offset
 * before the change; in a DST overlap the earlier instant is chosen (documented, deterministic).
 */
export function zonedToUtcMs(w: WallTime, tz: string): number {
  const naive = wallAsUtcMs(w);
  if (tz === 'UTC') return naive;
  const fixed = fixedOffsetMinutes(tz);
  if (fixed !== null) return naive - fixed * 60_000;
  const key = `${tz}|${Math.floor(naive / 3_600_000)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return naive - cached * 60_000;
  // Two probes settle both sides of a transition; prefer the earlier instant.
  const o1 = zoneOffsetAt(tz, naive - 86_400_000);
  const o2 = zoneOffsetAt(tz, naive + 86_400_000);
  const c1 = naive - o1 * 60_000;
  const c2 = naive - o2 * 60_000;
  const ok1 = zoneOffsetAt(tz, c1) === o1;
  const ok2 = zoneOffsetAt(tz, c2) === o2;
  let chosen: number;
  if (ok1 && ok2) chosen = Math.min(c1, c2);
  else if (ok1) chosen = c1;
  else if (ok2) chosen = c2;
  else chosen = c1; // in a gap: keep the pre-transition offset
  if (o1 === o2) offsetCache.set(key, o1);
  if (offsetCache.size > 100_000) offsetCache.clear();
  return chosen;
}

/**
 * A time in µs since the epoch, or null past what a double holds exactly (the years after
 * 2255 or before 1685): such a time would be stored rounded and compare wrongly.
 */
export function safeUs(us: number): number | null {
  return Number.isSafeInteger(us) ? us : null;
}

function toUs(w: WallTime, offsetMin: number | undefined, tz: string): number | null {
  if (!validWall(w)) return null;
  const ms = offsetMin === undefined ? zonedToUtcMs(w, tz) : wallAsUtcMs(w) - offsetMin * 60_000;
  if (!Number.isFinite(ms)) return null;
  return safeUs(ms * 1000 + w.micro);
}

function fractionToMicro(frac: string | undefined): number {
  if (!frac) return 0;
  return Number((frac + '000000').slice(0, 6));
}

const CLF =
  /^(\d{1,2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?: ([+-]\d{4}))?$/;

/** Common Log Format time: "10/Oct/2000:13:55:36 -0700" (the offset may be absent). */
export function parseClfTime(text: string, tz = 'UTC', reading?: TimeReading): number | null {
  const m = CLF.exec(text);
  if (!m) return null;
  const month = monthIndex(m[2]!);
  if (month === undefined) return null;
  const w: WallTime = {
    year: Number(m[3]),
    month,
    day: Number(m[1]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6]),
    micro: fractionToMicro(m[7]),
  };
  return toUsWithOffset(w, m[8], tz, reading);
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s?(Z|z|[+-]\d{2}:?\d{2})?$/;

/** ISO 8601 / RFC 3339 and the common "YYYY-MM-DD HH:MM:SS" variant. */
export function parseIsoTime(text: string, tz = 'UTC', reading?: TimeReading): number | null {
  const m = ISO.exec(text.trim());
  if (!m) return null;
  const w: WallTime = {
    year: Number(m[1]),
    month: Number(m[2]) - 1,
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
    micro: fractionToMicro(m[7]),
  };
  return toUsWithOffset(w, m[8], tz, reading);
}

/**
 * The instant of `w` at the offset written with it, or in `tz` when none was written. A
 * written offset that is not one (+25:00, +05:99) makes the time unreadable: it is never
 * replaced by the zone's.
 */
function toUsWithOffset(
  w: WallTime,
  offsetText: string | undefined,
  tz: string,
  reading: TimeReading | undefined,
): number | null {
  const offset = offsetText ? parseOffset(offsetText) : undefined;
  if (offsetText && offset === undefined) return null;
  const us = toUs(w, offset, tz);
  if (us !== null && reading) reading.zoneAssumed = !offsetText;
  return us;
}

/**
 * Epoch numbers: seconds (with fraction), milliseconds, microseconds or nanoseconds, told apart
 * by magnitude (valid for dates between 2001 and 2286).
 */
export function parseEpoch(value: number): number | null {
  if (!Number.isFinite(value) || value <= 0) return null;
  if (value < 1e10) return safeUs(Math.round(value * 1e6)); // seconds
  if (value < 1e13) return safeUs(Math.round(value * 1e3)); // ms
  if (value < 1e16) return safeUs(Math.round(value)); // µs
  if (value < 1e19) return safeUs(Math.round(value / 1e3)); // ns
  return null;
}

/** Any of the above, for formats whose time field has no fixed shape (CSV, JSON). */
export function parseAnyTime(value: unknown, tz = 'UTC', reading?: TimeReading): number | null {
  if (typeof value === 'number') return epochRead(parseEpoch(value), reading);
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(/^\[|\]$/g, '');
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return epochRead(parseEpoch(Number(text)), reading);
  return (
    parseIsoTime(text, tz, reading) ??
    parseClfTime(text, tz, reading) ??
    parseLooseTime(text, tz, reading)
  );
}

/** A time that names its instant itself (an epoch number, a zone name): no zone assumed. */
function epochRead(us: number | null, reading: TimeReading | undefined): number | null {
  if (us !== null && reading) reading.zoneAssumed = false;
  return us;
}

const LOOSE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** RFC 2822 style ("Tue, 10 Oct 2000 13:55:36 GMT") and "MM/DD/YYYY HH:MM[:SS]". */
function parseLooseTime(text: string, tz: string, reading?: TimeReading): number | null {
  const m = LOOSE.exec(text);
  if (m) {
    return toUsWithOffset(
      {
        year: Number(m[3]),
        month: Number(m[1]) - 1,
        day: Number(m[2]),
        hour: Number(m[4]),
        minute: Number(m[5]),
        second: Number(m[6] ?? 0),
        micro: 0,
      },
      undefined,
      tz,
      reading,
    );
  }
  if (/^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} (GMT|UTC|[+-]\d{4})$/.test(text)) {
    const ms = Date.parse(text);
    return epochRead(Number.isFinite(ms) ? safeUs(ms * 1000) : null, reading);
  }
  return null;
}

/** Formats microseconds as ISO 8601 UTC with microsecond precision when needed. */
export function formatUs(us: number): string {
  const ms = Math.floor(us / 1000);
  const iso = new Date(ms).toISOString();
  const micro = us - ms * 1000;
  return micro === 0 ? iso : iso.replace('Z', String(micro).padStart(3, '0') + 'Z');
}
