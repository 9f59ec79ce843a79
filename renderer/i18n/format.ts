/**
 * Locale- and zone-aware formatting of the values investigators read: timestamps (stored as
 * microseconds since the epoch, UTC), counts, bytes, milliseconds, percentages, durations.
 * One place so every table shows the same thing the same way.
 */
export type Locale = 'en' | 'ja';
/** 'UTC' shows evidence time as stored; 'local' shows the investigator's own zone. */
export type ZoneMode = 'UTC' | 'local';

export interface Formatter {
  locale: Locale;
  zone: ZoneMode;
  /** The IANA name of the zone shown (for the "times in …" label). */
  zoneName: string;
  ts(us: number | null | undefined): string;
  date(us: number | null | undefined): string;
  time(us: number | null | undefined): string;
  num(n: number | null | undefined, digits?: number): string;
  /** A line number: an identifier to look up in the file, so never grouped (line 1011). */
  lineNo(n: number | null | undefined): string;
  bytes(n: number | null | undefined): string;
  /**
   * Milliseconds (latency), one rule everywhere: under 10 ms two decimals at most (3.53, 0.42),
   * from 10 ms whole and grouped (15, 871, 8,668); a non-zero value under 0.01 is "<0.01",
   * never "0".
   */
  ms(n: number | null | undefined): string;
  pct(fraction: number | null | undefined): string;
  /**
   * `part` of `whole` (two counts) as a percentage: one decimal at most, and never a rounded
   * 0% for a part that has any (237 of 939,788 is "<0.1%") nor 100% for one short of the whole
   * (">99.9%"), so a small flow or a rare error never reads as none. "—" without a whole.
   */
  share(part: number | null | undefined, whole: number | null | undefined): string;
  duration(us: number | null | undefined): string;
}

const DASH = '—';

let zoneName: string | undefined;

/**
 * The machine's time zone name, read once: building a DateTimeFormat to ask costs a few
 * milliseconds, and every render of the top bar shows it.
 */
export function localZoneName(): string {
  if (zoneName === undefined) {
    try {
      zoneName = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local';
    } catch {
      zoneName = 'local';
    }
  }
  return zoneName;
}

export function createFormatter(locale: Locale, zone: ZoneMode): Formatter {
  const timeZone = zone === 'UTC' ? 'UTC' : undefined;
  const tag = locale === 'ja' ? 'ja-JP' : 'en-GB';
  const full = new Intl.DateTimeFormat(tag, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hourCycle: 'h23',
  });
  const dateOnly = new Intl.DateTimeFormat(tag, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const timeOnly = new Intl.DateTimeFormat(tag, {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  // English shows dates year first, as the filter bar takes them (2026-03-12 13:05:00.000):
  // en-GB's 12/03/2026 reads as 3 December to half the world. Japanese is year first already.
  const ts = locale === 'ja' ? (d: Date) => full.format(d) : (d: Date) => isoLike(full, d);
  const date =
    locale === 'ja' ? (d: Date) => dateOnly.format(d) : (d: Date) => isoLike(dateOnly, d);
  const numFmt = new Intl.NumberFormat(tag);
  const numCache = new Map<number, Intl.NumberFormat>();
  const numDigits = (d: number): Intl.NumberFormat => {
    let f = numCache.get(d);
    if (!f) {
      f = new Intl.NumberFormat(tag, { maximumFractionDigits: d, minimumFractionDigits: 0 });
      numCache.set(d, f);
    }
    return f;
  };
  // Latency by one rule, so a column, a median and an outlier's note read alike: decimals only
  // where they matter (under 10 ms, two at most, trailing zeros dropped), whole milliseconds
  // above. A non-zero value that two decimals would round to 0 reads "<0.01", never as none.
  const msFmt = (n: number): string => {
    const a = Math.abs(n);
    if (a > 0 && a < 0.005) return `<${numDigits(2).format(0.01)}`;
    return numDigits(a < 10 ? 2 : 0).format(n);
  };
  const pctFmt = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 1 });
  const ok = (v: number | null | undefined): v is number =>
    typeof v === 'number' && Number.isFinite(v);

  return {
    locale,
    zone,
    zoneName: zone === 'UTC' ? 'UTC' : localZoneName(),
    ts: (us) => (ok(us) ? ts(new Date(us / 1000)) : DASH),
    date: (us) => (ok(us) ? date(new Date(us / 1000)) : DASH),
    time: (us) => (ok(us) ? timeOnly.format(new Date(us / 1000)) : DASH),
    num: (n, digits) =>
      ok(n) ? (digits === undefined ? numFmt : numDigits(digits)).format(n) : DASH,
    lineNo: (n) => (ok(n) ? String(n) : DASH),
    bytes: (n) => (ok(n) ? numFmt.format(n) : DASH),
    ms: (n) => (ok(n) ? msFmt(n) : DASH),
    pct: (f) => (ok(f) ? pctFmt.format(f) : DASH),
    share: (part, whole) => (ok(part) && ok(whole) ? sharePct(part, whole, pctFmt) : DASH),
    duration: (us) => (ok(us) ? formatDuration(us) : DASH),
  };
}

/** The share rule of Formatter.share, with `pct` formatting to one decimal at most. */
function sharePct(part: number, whole: number, pct: Intl.NumberFormat): string {
  if (!(whole > 0)) return DASH;
  const f = part / whole;
  // Where one decimal would round to 0.0% or 100.0%.
  if (part > 0 && f < 0.0005) return `<${pct.format(0.001)}`;
  if (part < whole && f >= 0.9995) return `>${pct.format(0.999)}`;
  return pct.format(f);
}

/** `d` by `f`'s fields (in its zone), as YYYY-MM-DD[ HH:mm:ss[.SSS]]. */
function isoLike(f: Intl.DateTimeFormat, d: Date): string {
  const p: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of f.formatToParts(d)) p[part.type] = part.value;
  const day = `${p.year}-${p.month}-${p.day}`;
  if (p.hour === undefined) return day;
  const time = `${p.hour}:${p.minute}:${p.second}`;
  return `${day} ${time}${p.fractionalSecond === undefined ? '' : `.${p.fractionalSecond}`}`;
}

/** "2h 03m", "4m 05s", "12.4s", "850ms": compact and unit-explicit, same in every locale. */
export function formatDuration(us: number): string {
  const ms = us / 1000;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const totalS = Math.floor(s);
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const sec = totalS % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  return `${m}m ${String(sec).padStart(2, '0')}s`;
}
