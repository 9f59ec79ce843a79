import type { IpcRenderer, IpcRendererEvent } from 'electron';
import {
  CALL_CHANNEL_PREFIX,
  EVENT_CHANNEL,
  type BridgeNames,
} from '../../shared/contract/ipcChannels.js';

type Invoke = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;
type Listener = (payload: unknown) => void;

/**
 * What the page sees as `window.sessionscope`: one function per contract call and `on`.
 * Plain functions only: the page never touches ipcRenderer, and cannot pick a channel.
 */
export function buildBridge(ipc: Invoke, names: BridgeNames): Record<string, unknown> {
  const bridge: Record<string, unknown> = {};
  for (const name of names.calls) {
    if (name === 'on') continue;
    const channel = CALL_CHANNEL_PREFIX + name;
    bridge[name] = (input?: unknown): Promise<unknown> => ipc.invoke(channel, input);
  }
  const knownEvents: ReadonlySet<string> = new Set(names.events);
  bridge.on = (event: unknown, cb: unknown): (() => void) => {
    if (typeof event !== 'string' || !knownEvents.has(event)) {
      throw new Error(`Unknown event ${String(event)}`);
    }
    if (typeof cb !== 'function') throw new Error('on(event, callback) needs a function');
    const listener = (_e: IpcRendererEvent, msg: { event?: unknown; payload?: unknown }): void => {
      if (msg?.event === event) (cb as Listener)(msg.payload);
    };
    ipc.on(EVENT_CHANNEL, listener);
    return () => {
      ipc.removeListener(EVENT_CHANNEL, listener);
    };
  };
  return Object.freeze(bridge);
}
