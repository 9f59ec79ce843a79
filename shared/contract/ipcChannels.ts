import type { CallName, EventName } from './api.js';

/**
 * What the Electron preload needs of the contract, without its schemas: the sandboxed preload
 * cannot load zod, so it gets the names from here. The checks below fail to compile when a
 * call or event is added to the contract but not listed here.
 */
export const BRIDGE_CALLS = [
  'getAppInfo',
  'listRecentCases',
  'createCase',
  'openCase',
  'openDemoCase',
  'closeCase',
  'getCaseInfo',
  'listSources',
  'removeSource',
  'listRejects',
  'listRequests',
  'chooseFiles',
  'startImport',
  'cancelImport',
  'previewImport',
  'verifySources',
  'takeOpenLinks',
  'rebuild',
  'listSessions',
  'getSession',
  'listSessionRequests',
  'getRequest',
  'listEndpoints',
  'setEndpointFlow',
  'getSettings',
  'setSettings',
  'listAttacks',
  'requestDetections',
  'listSpecs',
  'loadSpec',
  'listEndpointRisk',
] as const satisfies readonly CallName[];

export const BRIDGE_EVENTS = [
  'importProgress',
  'importDone',
  'openLink',
] as const satisfies readonly EventName[];

type MissingCall = Exclude<CallName, (typeof BRIDGE_CALLS)[number]>;
type MissingEvent = Exclude<EventName, (typeof BRIDGE_EVENTS)[number]>;
export const bridgeListsComplete: {
  calls: [MissingCall] extends [never] ? true : `add ${MissingCall} to BRIDGE_CALLS`;
  events: [MissingEvent] extends [never] ? true : `add ${MissingEvent} to BRIDGE_EVENTS`;
} = { calls: true, events: true };

/** Main answers `sessionscope:call:<name>` for contract calls only. */
export const CALL_CHANNEL_PREFIX = 'sessionscope:call:';
/** Every event reaches the window on this one channel as `{ event, payload }`. */
export const EVENT_CHANNEL = 'sessionscope:event';
