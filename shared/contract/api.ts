/**
 * The whole contract between the renderer and the backend, assembled from one module per
 * area. Add a call by adding it to its area's module; every shell picks it up from here.
 */
export const api = {} as const;

export type Api = typeof api;
export type CallName = keyof Api;

export const events = {} as const;

export type Events = typeof events;
export type EventName = keyof Events;
