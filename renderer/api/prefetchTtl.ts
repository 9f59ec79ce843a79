/**
 * A prefetched answer is used once, and only this soon after it was asked for. Its own module,
 * free of DOM types, so the browser benchmark (Node) waits it out with the renderer's value.
 */
export const PREFETCH_TTL_MS = 5_000;
