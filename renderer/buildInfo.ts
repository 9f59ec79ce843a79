/** Defined by scripts/build.mjs (scripts/buildId.mjs); absent under Vite's dev server and tests. */
declare const __SESSIONSCOPE_BUILD__: string | undefined;
declare const __SESSIONSCOPE_VERSION__: string | undefined;

/** Which Sessionscope this page was built as: its version and build id ('dev' when unbuilt). */
export interface BuildInfo {
  version: string;
  buildId: string;
}

export const PAGE_BUILD: BuildInfo = {
  version: typeof __SESSIONSCOPE_VERSION__ === 'string' ? __SESSIONSCOPE_VERSION__ : 'dev',
  buildId: typeof __SESSIONSCOPE_BUILD__ === 'string' ? __SESSIONSCOPE_BUILD__ : 'dev',
};

/**
 * Whether this page and the backend answering it are from different builds, so calls could
 * name what the backend does not know (and fail with misleading messages). A backend that
 * reports no build id predates the check, so it is not this page's; one running from sources
 * ('dev') is compared by version only; a page not built (tests, Vite's dev server) never
 * tells.
 */
export function buildMismatch(
  page: BuildInfo,
  server: { version: string; buildId?: string | undefined },
): boolean {
  if (page.buildId === 'dev') return false;
  if (server.buildId === undefined) return true;
  if (server.version !== page.version) return true;
  return server.buildId !== 'dev' && server.buildId !== page.buildId;
}
