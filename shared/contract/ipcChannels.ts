/**
 * IPC naming shared by Electron's main process and its preload. The sandboxed preload cannot
 * load zod (nor the contract built from it), so main hands it the contract's call and event
 * names as window arguments; adding a contract area therefore needs nothing here.
 */

/** Main answers `sessionscope:call:<name>` for contract calls only. */
export const CALL_CHANNEL_PREFIX = 'sessionscope:call:';
/** Every event reaches the window on this one channel as `{ event, payload }`. */
export const EVENT_CHANNEL = 'sessionscope:event';

const CALLS_ARG = '--sessionscope-calls=';
const EVENTS_ARG = '--sessionscope-events=';
const NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

export interface BridgeNames {
  calls: string[];
  events: string[];
}

/** The `additionalArguments` that tell the preload what to expose. */
export function bridgeArguments(names: BridgeNames): string[] {
  for (const n of [...names.calls, ...names.events]) {
    if (!NAME.test(n)) throw new Error(`Not a contract name: ${n}`);
  }
  return [CALLS_ARG + names.calls.join(','), EVENTS_ARG + names.events.join(',')];
}

/** The preload's side: names from its process arguments; anything malformed is dropped. */
export function parseBridgeArguments(argv: readonly string[]): BridgeNames {
  const pick = (prefix: string): string[] => {
    const arg = argv.find((a) => a.startsWith(prefix));
    if (!arg) return [];
    return arg
      .slice(prefix.length)
      .split(',')
      .filter((n) => NAME.test(n));
  };
  return { calls: pick(CALLS_ARG), events: pick(EVENTS_ARG) };
}
