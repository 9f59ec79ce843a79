import { z } from 'zod';

/**
 * Browser mode's batched calls: several contract calls in one HTTP request, answered as one
 * line of JSON per call (its Result), in the order given, each line sent as soon as its call is
 * answered. A view that needs several answers at once (a session opening) pays one round trip
 * instead of several; each call is validated and dispatched exactly as on its own.
 */
export const MAX_BATCH_CALLS = 8;

export const batchRequestSchema = z
  .array(z.object({ name: z.string().max(64), input: z.unknown() }).strict())
  .min(1)
  .max(MAX_BATCH_CALLS);

export type BatchRequest = z.infer<typeof batchRequestSchema>;

export const BATCH_PATH = '/api/batch';
export const BATCH_CONTENT_TYPE = 'application/x-ndjson; charset=utf-8';
