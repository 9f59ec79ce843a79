/**
 * Lists of ascending request ids stored compactly: deltas in LEB128 varints (about one byte an
 * id when dense). The text index keeps the requests of each common value this way
 * (textIndexStep.ts); the free-text filter marks them in a per-request map (textFilterSql.ts).
 */

/** Ascending ids written as deltas in LEB128 varints (about one byte per id when dense). */
export class IdsWriter {
  private buf = new Uint8Array(64);
  private len = 0;
  private prev = 0;

  add(id: number): void {
    // Arithmetic, not bit operators: ids may exceed 2^31.
    let d = id - this.prev;
    if (d < 0 || !Number.isSafeInteger(d)) throw new Error('ids must ascend');
    this.prev = id;
    if (this.len + 8 > this.buf.length) {
      const grown = new Uint8Array(this.buf.length * 2);
      grown.set(this.buf);
      this.buf = grown;
    }
    while (d >= 128) {
      this.buf[this.len++] = (d % 128) + 128;
      d = Math.floor(d / 128);
    }
    this.buf[this.len++] = d;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export function encodeIds(ids: Iterable<number>): Uint8Array {
  const w = new IdsWriter();
  for (const id of ids) w.add(id);
  return w.bytes();
}

/** Sets map[id] = mark for every id of an encodeIds blob (ids beyond the map are skipped). */
export function markIds(blob: Uint8Array, map: Uint8Array, mark: number): void {
  let id = 0;
  let d = 0;
  let scale = 1;
  for (let i = 0; i < blob.length; i++) {
    const b = blob[i]!;
    if (b >= 128) {
      d += (b - 128) * scale;
      scale *= 128;
      continue;
    }
    id += d + b * scale;
    d = 0;
    scale = 1;
    if (id < map.length) map[id] = mark;
  }
}
