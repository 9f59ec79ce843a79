import type { DetectionInfo } from '../../../shared/contract/detectApi';
import type { RequestDetail } from '../../../shared/contract/analysisApi';
import { findHeader, parseCookies } from './cookies';

/**
 * The text of the request part a detection points at (path, query, a header, a cookie, a
 * body…), as logged. The fragment is then looked up in it; offsets are not trusted blindly
 * because a decoded-basis offset indexes text we do not have.
 */
export function detectionContext(r: RequestDetail, d: DetectionInfo): string | null {
  switch (d.location) {
    case 'path':
      return r.path;
    case 'query':
      return r.query;
    case 'ua':
      return r.userAgent;
    case 'header':
      return d.param ? findHeader(r.headers, d.param.toLowerCase()) : null;
    case 'cookie': {
      const cookies = parseCookies(findHeader(r.headers, 'cookie'));
      const hit = cookies.find(([k]) => k === d.param);
      return hit ? `${hit[0]}=${hit[1]}` : null;
    }
    case 'body':
      return r.reqBody;
    case 'response':
      return r.respBody;
    case null:
      return null;
    default:
      return null;
  }
}

/** Cuts a long text to a window around the first match so a 1 MB body stays readable. */
export function windowAround(text: string, fragment: string, radius = 400): string {
  if (text.length <= radius * 2) return text;
  const at = fragment ? text.toLowerCase().indexOf(fragment.toLowerCase()) : -1;
  if (at < 0) return `${text.slice(0, radius * 2)}…`;
  const from = Math.max(0, at - radius);
  const to = Math.min(text.length, at + fragment.length + radius);
  return `${from > 0 ? '…' : ''}${text.slice(from, to)}${to < text.length ? '…' : ''}`;
}
