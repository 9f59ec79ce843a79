import type { linkCalls } from '../../shared/contract/linkApi.js';
import { AppError } from '../../shared/contract/errors.js';
import { caseHandlers } from './caseHandlers.js';
import type { HandlersFor } from './handlerTypes.js';

type Calls = typeof linkCalls;

export const linkHandlers: HandlersFor<Calls> = {
  /**
   * The case a link names, located by the investigator: its UUID is read with the file opened
   * read-only, and only a match replaces the open case (through openCase, so it is
   * remembered with its UUID and the next link to it resolves from the recent list).
   */
  async locateCase(input, ctx) {
    const found = ctx.state.peekUuid(input.path);
    if (found === null) {
      throw new AppError(
        'NOT_A_CASE',
        `${input.path} is not a Sessionscope case this app can read.`,
      );
    }
    if (found.toLowerCase() !== input.uuid.toLowerCase()) return { opened: null, foundUuid: found };
    const opened = await caseHandlers.openCase({ path: input.path }, ctx);
    // The file could have been swapped between the two reads: check what was opened.
    if (opened.meta.uuid.toLowerCase() !== input.uuid.toLowerCase()) {
      ctx.state.close();
      return { opened: null, foundUuid: opened.meta.uuid };
    }
    return { opened, foundUuid: found };
  },
};
