/**
 * 32-bit FNV-1a of a string. The detectors only count distinct values, so a rare collision
 * undercounts by one; keeping numbers instead of strings keeps a million requests cheap.
 */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
