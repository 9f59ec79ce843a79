import type { IpcMain, WebContents, WebFrameMain } from 'electron';
import { CALL_NAMES, isCallName } from '../../shared/contract/api.js';
import type { Result } from '../../shared/contract/errors.js';
import { CALL_CHANNEL_PREFIX, EVENT_CHANNEL } from '../../shared/contract/ipcChannels.js';
import type { ApiContext } from '../api/context.js';
import { dispatch } from '../api/dispatch.js';
import { isAppUrl } from './appProtocol.js';

type FrameId = Pick<WebFrameMain, 'processId' | 'routingId'>;
type SenderEvent = {
  senderFrame: (FrameId & Pick<WebFrameMain, 'url' | 'parent'>) | null;
  sender: { mainFrame: FrameId };
};

/** Only the top frame of our own page may call: not an iframe, not a page navigated elsewhere. */
export function isTrustedSender(event: SenderEvent): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  // Compared by id: frame wrappers are not guaranteed to be the same JS object.
  const main = event.sender.mainFrame;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isAppUrl(frame.url);
}

/** One IPC call, checked at every step before it reaches the contract's dispatch. */
export async function handleIpcCall(
  channel: string,
  event: SenderEvent,
  input: unknown,
  ctx: ApiContext,
): Promise<Result<unknown>> {
  const name = channel.startsWith(CALL_CHANNEL_PREFIX)
    ? channel.slice(CALL_CHANNEL_PREFIX.length)
    : null;
  if (name === null || !isCallName(name)) {
    return { ok: false, error: { code: 'NOT_FOUND', message: 'Unknown channel.' } };
  }
  if (!isTrustedSender(event)) {
    return { ok: false, error: { code: 'UNAUTHORIZED', message: 'Untrusted sender.' } };
  }
  return dispatch(name, input, ctx);
}

/** Registers one handler per contract call; returns a function that removes them. */
export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  ctx: ApiContext,
): () => void {
  const channels = CALL_NAMES.map((name) => CALL_CHANNEL_PREFIX + name);
  for (const channel of channels) {
    ipcMain.handle(channel, (event, input: unknown) => handleIpcCall(channel, event, input, ctx));
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

/** Forwards backend events to the window's renderer while it lives. */
export function forwardEvents(
  ctx: ApiContext,
  contents: Pick<WebContents, 'send' | 'isDestroyed'>,
): () => void {
  return ctx.events.subscribe((event, payload) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, { event, payload });
  });
}
