import type { CallOutput, ParsedInput } from '../../shared/contract/define.js';
import type { ApiContext } from './context.js';

/** The handlers of one contract area: one per call, given the already-parsed input. */
export type HandlersFor<Calls> = {
  [K in keyof Calls]: (
    input: ParsedInput<Calls[K]>,
    ctx: ApiContext,
  ) => CallOutput<Calls[K]> | Promise<CallOutput<Calls[K]>>;
};
