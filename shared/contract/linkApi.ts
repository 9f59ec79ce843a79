import { z } from 'zod';
import type { CaseInfo } from './caseApi.js';
import { call } from './define.js';

/**
 * The links area of the contract: opening the case a link names when the app does not know
 * it yet. The investigator points at a file; it becomes the open case only when its UUID is
 * the link's, so a wrong file never replaces the case on screen.
 */

const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'not a case UUID');

export interface LocateCaseResult {
  /** The case, now open; null when the file is another case (and nothing changed). */
  opened: CaseInfo | null;
  /** The UUID the file holds. */
  foundUuid: string;
}

export const linkCalls = {
  locateCase: call<LocateCaseResult>()(
    z.strictObject({
      path: z
        .string()
        .min(1)
        .max(4096)
        .refine((s) => !s.includes('\0'), 'path must not contain NUL'),
      uuid,
    }),
  ),
} as const;
