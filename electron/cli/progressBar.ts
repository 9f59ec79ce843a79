import type { ImportProgress } from '../ingest/importSource.js';

function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** Draws import progress on one terminal line (stderr). */
export function createProgressBar(write: (s: string) => void): {
  update(p: ImportProgress): void;
  done(): void;
} {
  const started = Date.now();
  let drawn = false;
  return {
    update(p) {
      const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : 0;
      const width = 24;
      const fill = Math.round(frac * width);
      const secs = (Date.now() - started) / 1000;
      const rate = secs > 0 ? Math.round(p.lines / secs) : 0;
      const bar = '#'.repeat(fill) + '-'.repeat(width - fill);
      write(
        `\r${p.file.slice(0, 30)} ${p.phase.padEnd(8)} [${bar}] ${(frac * 100).toFixed(0).padStart(3)}% ` +
          `${fmtBytes(p.bytesDone)}/${fmtBytes(p.bytesTotal)} ${p.lines} lines ${rate}/s\x1b[K`,
      );
      drawn = true;
    },
    done() {
      if (drawn) write('\r\x1b[K');
    },
  };
}
