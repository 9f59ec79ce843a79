import type { z } from 'zod';
import { analysisCalls, analysisEvents } from './analysisApi.js';
import { auditCalls } from './auditApi.js';
import { caseCalls, caseEvents } from './caseApi.js';
import { detectCalls } from './detectApi.js';
import { exportCalls, exportEvents } from './exportApi.js';
import type { CallInput, CallOutput, ParsedInput } from './define.js';
import { linkCalls } from './linkApi.js';
import { rulesCalls } from './rulesApi.js';
import { specCalls } from './specApi.js';
import { verdictCalls } from './verdictApi.js';

/**
 * The whole contract between the renderer and the backend, assembled from one module per
 * area. Adding an area is one import and one spread here and in electron/api/dispatch.ts (its
 * handlers; the compiler insists). Every shell, the preload included, picks the calls up
 * from `api`.
 */
export const api = {
  ...caseCalls,
  ...analysisCalls,
  ...detectCalls,
  ...specCalls,
  ...exportCalls,
  ...linkCalls,
  ...auditCalls,
  ...verdictCalls,
  ...rulesCalls,
} as const;

export type Api = typeof api;
export type CallName = keyof Api;

export const events = {
  ...caseEvents,
  ...analysisEvents,
  ...exportEvents,
} as const;

export type Events = typeof events;
export type EventName = keyof Events;

export type InputOf<N extends CallName> = CallInput<Api[N]>;
export type ParsedInputOf<N extends CallName> = ParsedInput<Api[N]>;
export type OutputOf<N extends CallName> = CallOutput<Api[N]>;
export type PayloadOf<E extends EventName> = z.output<Events[E]['payload']>;

export const CALL_NAMES = Object.keys(api) as CallName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** Own-property lookup, so a hostile name like `__proto__` or `toString` is never a call. */
export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(api, name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
