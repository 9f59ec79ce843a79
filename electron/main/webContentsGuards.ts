import type { Session, WebContents } from 'electron';
import { isAppUrl } from './appProtocol.js';

/**
 * Applied to every webContents as it is created: no navigation away from the app, no new
 * windows, no <webview>. A link to a web page goes to `openExternal` (which asks first).
 */
export function guardWebContents(contents: WebContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:/i.test(url)) openExternal(url);
    return { action: 'deny' };
  });
}

/**
 * Sessionscope is offline: the renderer loads app:// only, so any web request from it (an
 * image URL in a log that slipped past the CSP, say) is cancelled before it leaves.
 */
export function blockNetwork(session: Pick<Session, 'webRequest'>): void {
  session.webRequest.onBeforeRequest(
    { urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*'] },
    (_details, callback) => callback({ cancel: true }),
  );
}

/** Camera, notifications, clipboard, geolocation…: the app needs none, so all are refused. */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
