/**
 * A set of 32-bit unsigned integers (hashes) in one typed array: open addressing, linear
 * probing. The feature builder adds one hash per request; a JS Set<number> boxes every hash
 * above 2^30 as a heap number, which is most of them, and that was most of its cost.
 */
const SMALL_BITS = 6;

export class U32Set {
  /** Slot value 0 is "empty"; the key 0 itself is tracked apart. */
  private slots = new Uint32Array(1 << SMALL_BITS);
  private mask = (1 << SMALL_BITS) - 1;
  private shift = 32 - SMALL_BITS;
  private count = 0;
  private hasZero = false;

  get size(): number {
    return this.count + (this.hasZero ? 1 : 0);
  }

  add(key: number): void {
    const k = key >>> 0;
    if (k === 0) {
      this.hasZero = true;
      return;
    }
    // Fibonacci hashing (the product's high bits) spreads hashes whose low bits repeat.
    let at = Math.imul(k, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const v = this.slots[at]!;
      if (v === k) return;
      if (v === 0) break;
      at = (at + 1) & this.mask;
    }
    this.slots[at] = k;
    if (++this.count * 2 > this.mask) this.grow();
  }

  /** Empties the set; a table grown for one large session is not kept for the next ones. */
  clear(): void {
    if (this.shift < 32 - SMALL_BITS) {
      this.slots = new Uint32Array(1 << SMALL_BITS);
      this.mask = (1 << SMALL_BITS) - 1;
      this.shift = 32 - SMALL_BITS;
    } else if (this.count > 0) this.slots.fill(0);
    this.count = 0;
    this.hasZero = false;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = this.slots.length - 1;
    this.shift--;
    this.count = 0;
    for (const v of old) if (v !== 0) this.add(v);
  }
}
