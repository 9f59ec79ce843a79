import type { ImportProgressEvent } from '../../shared/contract/caseApi.js';
import type { ImportProgress } from '../ingest/importSource.js';

type Measured = Omit<ImportProgressEvent, 'importId' | 'fileIndex' | 'fileCount'>;

/**
 * Lines per second and time left for the file being read, from successive progress reports.
 * The rate is the file's lines over the time since its first report; once its lines are read
 * (indexing, done) it stays at the rate they were read at, where it fell to 0 before — and a
 * file read between two reports (most files under a few MB) showed 0 lines/s throughout.
 * The time left is per pass over the bytes (hashing, then parsing).
 */
export class RateMeter {
  private fileIndex = -1;
  private fileStart = 0;
  private phase = '';
  private phaseStart = 0;
  private linesPerSec = 0;

  measure(fileIndex: number, p: ImportProgress, now = Date.now()): Measured {
    if (fileIndex !== this.fileIndex) {
      this.fileIndex = fileIndex;
      this.fileStart = now;
      this.phase = '';
      this.linesPerSec = 0;
    }
    if (p.phase !== this.phase) {
      this.phase = p.phase;
      this.phaseStart = now;
    }
    const fileSecs = (now - this.fileStart) / 1000;
    const reading = p.phase === 'hashing' || p.phase === 'parsing';
    if ((reading || this.linesPerSec === 0) && fileSecs > 0 && p.lines > 0) {
      this.linesPerSec = p.lines / fileSecs;
    }
    const secs = (now - this.phaseStart) / 1000;
    const bytesPerSec = secs > 0 ? p.bytesDone / secs : 0;
    const etaSec =
      reading && bytesPerSec > 0 ? Math.max(0, (p.bytesTotal - p.bytesDone) / bytesPerSec) : null;
    return { ...p, linesPerSec: this.linesPerSec, etaSec };
  }
}
