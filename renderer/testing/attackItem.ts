import type { AttackListItem } from '../../shared/contract/detectApi';

/**
 * One engine finding as the attacks list gives it: an xss.tag match of `<img` in the query
 * parameter q of request `requestId`, a GET of /search, unmarked; `over` changes any field.
 */
export function attackItem(
  requestId: number,
  tsUs: number,
  over: Partial<AttackListItem> = {},
): AttackListItem {
  return {
    id: 1,
    requestId,
    type: 'xss',
    ruleId: 'xss.tag',
    source: 'engine',
    location: 'query',
    param: 'q',
    part: null,
    start: null,
    end: null,
    basis: null,
    fragment: '<img',
    verdict: null,
    markId: null,
    ruleRef: null,
    verdictNote: null,
    tsUs,
    method: 'GET',
    path: '/search',
    ...over,
  };
}
