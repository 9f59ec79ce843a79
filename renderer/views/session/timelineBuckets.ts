/** One bar of the session timeline: requests by status class, plus marks. */
export interface TimeBucket {
  startUs: number;
  endUs: number;
  s2xx: number;
  s3xx: number;
  s4xx: number;
  s5xx: number;
  other: number;
  attacks: number;
  outliers: number;
}

export interface TimelinePoint {
  tsUs: number;
  status: number | null;
  outlier: boolean;
  attack: boolean;
}

/** A bucket width that reads well on an axis: 1s, 5s, 15s, 1m, 5m, 15m, 1h, 6h, 1d… */
const STEPS_S = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400,
];

export function bucketWidthUs(spanUs: number, targetBars: number): number {
  const ideal = spanUs / Math.max(1, targetBars) / 1e6;
  const step = STEPS_S.find((s) => s >= ideal) ?? Math.ceil(ideal / 86400) * 86400;
  return step * 1e6;
}

/**
 * Buckets requests into fixed-width bars aligned to the width (so bar edges fall on round
 * times), covering [fromUs, toUs] without gaps: an empty minute is a visible zero, not missing.
 */
export function bucketTimeline(
  points: readonly TimelinePoint[],
  fromUs: number,
  toUs: number,
  targetBars = 60,
): TimeBucket[] {
  const width = bucketWidthUs(Math.max(1, toUs - fromUs), targetBars);
  const start = Math.floor(fromUs / width) * width;
  const n = Math.max(1, Math.floor((toUs - start) / width) + 1);
  const buckets: TimeBucket[] = Array.from({ length: n }, (_, i) => ({
    startUs: start + i * width,
    endUs: start + (i + 1) * width,
    s2xx: 0,
    s3xx: 0,
    s4xx: 0,
    s5xx: 0,
    other: 0,
    attacks: 0,
    outliers: 0,
  }));
  for (const p of points) {
    const i = Math.floor((p.tsUs - start) / width);
    const b = buckets[Math.max(0, Math.min(n - 1, i))]!;
    const cls = p.status === null ? 0 : Math.floor(p.status / 100);
    if (cls === 2) b.s2xx++;
    else if (cls === 3) b.s3xx++;
    else if (cls === 4) b.s4xx++;
    else if (cls === 5) b.s5xx++;
    else b.other++;
    if (p.attack) b.attacks++;
    if (p.outlier) b.outliers++;
  }
  return buckets;
}
