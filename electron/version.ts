import pkg from '../package.json' with { type: 'json' };

/** The version of Sessionscope this build is; recorded in every case it creates. */
export const TOOL_VERSION: string = pkg.version;
