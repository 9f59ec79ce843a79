import { parseAnyTime, type TimeReading } from '../../../shared/time/parseTime.js';

/*
 * A CSV's time column, read for every row, was a sixth of the parse worker's time: trims, three
 * regexes, a match array, a wall-time object and Date.UTC per row. Consecutive rows of a log
 * mostly fall in the same second, so the time up to the whole second ("2024-03-01T00:00:07"
 * plus its zone) is parsed once with parseAnyTime and remembered, and a row in that second only
 * adds its fraction. Exact by construction: parseAnyTime's ISO reading is the whole second's
 * value plus the fraction's microseconds, and anything not of that shape takes parseAnyTime.
 */

let lastTz = '';
/** The previous row's text before its fraction, and after it (the zone). */
let lastHead = '';
let lastZone = '';
let lastWholeUs: number | null = null;
/** Whether that whole second was read in the zone (its text had no offset). */
let lastZoneAssumed = false;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** True when text[0..19) is "YYYY-MM-DD?HH:MM:SS" with T or a space between date and time. */
function hasSecondsPrefix(text: string): boolean {
  if (text.length < 19) return false;
  for (let i = 0; i < 19; i++) {
    const c = text.charCodeAt(i);
    switch (i) {
      case 4:
      case 7:
        if (c !== 45) return false; // '-'
        break;
      case 10:
        if (c !== 84 && c !== 32) return false; // 'T' or ' '
        break;
      case 13:
      case 16:
        if (c !== 58) return false; // ':'
        break;
      default:
        if (!isDigit(c)) return false;
    }
  }
  return true;
}

/**
 * Microseconds since the epoch for one time cell (already trimmed), or null; see above.
 * `reading` as parseAnyTime's.
 */
export function csvTimeToUs(text: string, tz: string, reading?: TimeReading): number | null {
  // Hour 24 is the end of its day only as 24:00:00 exactly: with a fraction it is no time at
  // all, so the whole second's value says nothing of the row's (found by the property test).
  if (!hasSecondsPrefix(text) || text.startsWith('24', 11)) return parseAnyTime(text, tz, reading);
  let j = 19;
  let micro = 0;
  const sep = text.charCodeAt(19);
  if (sep === 46 || sep === 44) {
    // '.' or ',' then 1 to 9 digits, as parseIsoTime takes them; kept to microseconds.
    j = 20;
    while (j < text.length && isDigit(text.charCodeAt(j))) j++;
    const digits = j - 20;
    if (digits < 1 || digits > 9) return parseAnyTime(text, tz, reading);
    micro = Number(text.slice(20, Math.min(j, 26)).padEnd(6, '0'));
  }
  const zone = text.slice(j);
  if (tz !== lastTz || zone !== lastZone || !text.startsWith(lastHead) || lastHead === '') {
    lastTz = tz;
    lastHead = text.slice(0, 19);
    lastZone = zone;
    const whole: TimeReading = { zoneAssumed: false };
    lastWholeUs = parseAnyTime(lastHead + zone, tz, whole);
    lastZoneAssumed = whole.zoneAssumed;
  }
  if (lastWholeUs === null) return parseAnyTime(text, tz, reading);
  if (reading) reading.zoneAssumed = lastZoneAssumed;
  return lastWholeUs + micro;
}
