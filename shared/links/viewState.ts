import { z } from 'zod';
import { ENDPOINT_SORTS, endpointFiltersSchema } from '../contract/analysisApi.js';
import { storedTypeSchema } from '../contract/detectApi.js';
import { filtersSchema } from '../query/filterModel.js';

/**
 * Everything that says what the investigator is looking at, in one serialisable object, so a
 * link restores the exact view. Display preferences are not part of it. It lives in shared/
 * because the link codec validates with it; the renderer re-exports it.
 */
export const VIEW_NAMES = [
  'start',
  'import',
  'overview',
  'sessions',
  'session',
  'request',
  'endpoints',
  'attacks',
  'audit',
  'rules',
  'settings',
] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

const sortSchema = z.object({
  /** A column key of the sessions table ("firstSeen"), never free text. */
  column: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  dir: z.enum(['asc', 'desc']),
});

/** List names ("sessions", "requests"): a key like "__proto__" from a link never gets in. */
const listName = z.string().regex(/^[a-z][A-Za-z0-9]{0,31}$/);

/**
 * What narrows a list view of its own, beside the case-wide filters: the Endpoints view's
 * search, risk, spec and flow filters and its sort; the Attacks view's type.
 */
export const listFiltersSchema = z.strictObject({
  endpoints: z
    .strictObject({
      filters: endpointFiltersSchema.optional(),
      sort: z
        .strictObject({ column: z.enum(ENDPOINT_SORTS), dir: z.enum(['asc', 'desc']) })
        .optional(),
    })
    .optional(),
  attacks: z.strictObject({ type: storedTypeSchema }).optional(),
});
export type ListFilters = z.infer<typeof listFiltersSchema>;

/** Validated with the shared filter model's schema: a link is hostile input like any other. */
export const viewStateSchema = z.object({
  view: z.enum(VIEW_NAMES),
  filters: filtersSchema,
  /** Filters applied inside the open session, on top of `filters`. */
  sessionFilters: filtersSchema,
  /** Session ids as the analysis derives them (the filter model's shape). */
  sessionId: z
    .string()
    .regex(/^s[0-9a-f]{16}$/)
    .nullable(),
  requestId: z.number().int().positive().nullable(),
  sessionSort: sortSchema.nullable(),
  /** Keyboard-selected row per list, so coming back lands on the same row. */
  selected: z.record(listName, z.number().int().min(0)),
  listFilters: listFiltersSchema,
  /**
   * The selected row per list by what it is, not where it is (a session or endpoint id, a
   * finding's or an attack group's key), so a link selects the same row in a list that has
   * changed, or says it is gone. Where both are set the id wins; a row number alone is an older
   * link's.
   */
  selectedIds: z.record(listName, z.string().min(1).max(2100)),
});

export type ViewState = z.infer<typeof viewStateSchema>;
export type FiltersValue = ViewState['filters'];

export function initialViewState(): ViewState {
  return {
    view: 'start',
    filters: {},
    sessionFilters: {},
    sessionId: null,
    requestId: null,
    sessionSort: null,
    selected: {},
    listFilters: {},
    selectedIds: {},
  };
}
