/** Defined by scripts/build.mjs (scripts/buildId.mjs); absent when running from sources. */
declare const __SESSIONSCOPE_BUILD__: string | undefined;

/**
 * The build this code is from: a hash of the package version and shared/, the same in the
 * renderer built with it. 'dev' when running from sources (tests), which no page compares.
 */
export const BUILD_ID: string =
  typeof __SESSIONSCOPE_BUILD__ === 'string' ? __SESSIONSCOPE_BUILD__ : 'dev';
