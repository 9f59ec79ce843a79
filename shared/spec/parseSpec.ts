import { parse as parseYaml } from 'yaml';
import { AppError } from '../contract/errors.js';

/**
 * Reads an OpenAPI 3.x or Swagger 2.0 document into the few facts Sessionscope compares traffic
 * with: which operations exist, under which base paths, and which are deprecated. Offline by
 * design: a `$ref` to another file or URL is never followed, only reported.
 */

export type SpecKind = 'openapi3' | 'swagger2';

export const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'];

export interface SpecParameter {
  name: string;
  in: string;
  required: boolean;
}

export interface SpecOperation {
  /** Upper case. */
  method: string;
  /** As written in the spec, relative to the base path: `/pets/{petId}`. */
  pathTemplate: string;
  deprecated: boolean;
  operationId: string | null;
  parameters: SpecParameter[];
}

export interface SpecServer {
  /** Host (and port) when the server URL names one. */
  host: string | null;
  /** Path prefix every operation sits under: '' for the root, else '/v1' style. */
  basePath: string;
}

export interface ParsedSpec {
  kind: SpecKind;
  /** The `openapi` / `swagger` field. */
  specVersion: string;
  title: string;
  /** info.version: the API's own version. */
  version: string;
  servers: SpecServer[];
  /** Sorted by path, then method. */
  operations: SpecOperation[];
  /** External `$ref`s, never fetched (sorted, unique). */
  unresolvedRefs: string[];
  /**
   * Paths the spec names whose path item is a `$ref` that was not followed (another file, a
   * URL, nothing, a loop): in the spec, their operations unknown (sorted).
   */
  unresolvedPaths: string[];
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses JSON or YAML text; YAML is tried unless the file is plainly JSON. */
export function parseSpecText(text: string, fileName: string): ParsedSpec {
  let doc: unknown;
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    doc = /^\s*\{/.test(src) ? JSON.parse(src) : parseYaml(src, { maxAliasCount: 1000 });
  } catch (err) {
    throw new AppError(
      'BAD_INPUT',
      `${fileName}: not valid JSON or YAML: ${(err as Error).message}`,
    );
  }
  return parseSpec(doc, fileName);
}

export function parseSpec(doc: unknown, fileName = 'spec'): ParsedSpec {
  if (!isObj(doc)) throw new AppError('BAD_INPUT', `${fileName}: not an OpenAPI document`);
  const oas = typeof doc['openapi'] === 'string' ? doc['openapi'] : null;
  const swagger = doc['swagger'] !== undefined ? String(doc['swagger']) : null;
  let kind: SpecKind;
  if (oas !== null && /^3\./.test(oas)) kind = 'openapi3';
  else if (swagger !== null && /^2(\.0)?$/.test(swagger)) kind = 'swagger2';
  else {
    const seen = oas ?? swagger;
    throw new AppError(
      'BAD_INPUT',
      seen === null
        ? `${fileName}: no "openapi" or "swagger" field; not an OpenAPI document`
        : `${fileName}: version ${seen} is not supported (OpenAPI 3.x and Swagger 2.0 are)`,
    );
  }
  const info = isObj(doc['info']) ? doc['info'] : {};
  const unresolved = new Set<string>();
  collectExternalRefs(doc, unresolved);
  const resolve = (v: unknown): unknown => resolveLocal(doc, v, unresolved);

  const operations: SpecOperation[] = [];
  const unresolvedPaths: string[] = [];
  const paths = isObj(doc['paths']) ? doc['paths'] : {};
  for (const pathTemplate of Object.keys(paths).sort()) {
    if (!pathTemplate.startsWith('/')) continue; // extensions (x-…) live here too
    const raw = paths[pathTemplate];
    const item = resolve(raw);
    if (!isObj(item)) {
      if (isObj(raw) && typeof raw['$ref'] === 'string') unresolvedPaths.push(pathTemplate);
      continue;
    }
    const shared = paramList(item['parameters'], resolve);
    for (const method of HTTP_METHODS) {
      const op = resolve(item[method.toLowerCase()]);
      if (!isObj(op)) continue;
      const own = paramList(op['parameters'], resolve);
      const byKey = new Map<string, SpecParameter>();
      for (const p of [...shared, ...own]) byKey.set(`${p.in}\n${p.name}`, p);
      if (kind === 'openapi3' && op['requestBody'] !== undefined) {
        byKey.set('body\n', {
          name: '',
          in: 'body',
          required: bodyRequired(resolve(op['requestBody'])),
        });
      }
      operations.push({
        method,
        pathTemplate,
        deprecated: op['deprecated'] === true,
        operationId: typeof op['operationId'] === 'string' ? op['operationId'] : null,
        parameters: [...byKey.values()].sort((a, b) =>
          a.in === b.in ? cmp(a.name, b.name) : cmp(a.in, b.in),
        ),
      });
    }
  }
  // A document with no operation would make every endpoint of the case 'shadow'.
  if (operations.length === 0) {
    throw new AppError(
      'BAD_INPUT',
      `${fileName}: no operations under "paths"${unresolved.size > 0 ? ` (unresolved: ${[...unresolved].sort().join(', ')})` : ''}; there is nothing to compare the endpoints with`,
    );
  }
  return {
    kind,
    specVersion: (oas ?? swagger)!,
    title: typeof info['title'] === 'string' ? info['title'] : fileName,
    version: info['version'] !== undefined ? String(info['version']) : '',
    servers: kind === 'openapi3' ? oasServers(doc['servers']) : swaggerServer(doc),
    operations,
    unresolvedRefs: [...unresolved].sort(),
    unresolvedPaths,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function bodyRequired(body: unknown): boolean {
  return isObj(body) && body['required'] === true;
}

function paramList(v: unknown, resolve: (v: unknown) => unknown): SpecParameter[] {
  if (!Array.isArray(v)) return [];
  const out: SpecParameter[] = [];
  for (const raw of v) {
    const p = resolve(raw);
    if (!isObj(p) || typeof p['name'] !== 'string' || typeof p['in'] !== 'string') continue;
    out.push({ name: p['name'], in: p['in'], required: p['required'] === true });
  }
  return out;
}

/** Follows `#/…` pointers inside the document; anything else stays unresolved. */
function resolveLocal(doc: Obj, v: unknown, unresolved: Set<string>): unknown {
  let cur = v;
  for (let hops = 0; hops < 20 && isObj(cur) && typeof cur['$ref'] === 'string'; hops++) {
    const ref = cur['$ref'];
    if (!ref.startsWith('#')) return undefined;
    const target = pointer(doc, ref);
    if (target === undefined) {
      unresolved.add(ref);
      return undefined;
    }
    cur = target;
  }
  // Still a pointer after every hop: a loop (a path item naming itself), not a definition.
  if (isObj(cur) && typeof cur['$ref'] === 'string') {
    unresolved.add(cur['$ref']);
    return undefined;
  }
  return cur;
}

function pointer(doc: Obj, ref: string): unknown {
  if (ref === '#') return doc;
  if (!ref.startsWith('#/')) return undefined;
  let cur: unknown = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObj(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[key];
    if (cur === undefined) return undefined;
  }
  return cur;
}

function collectExternalRefs(v: unknown, out: Set<string>, depth = 0): void {
  if (depth > 200) return;
  if (Array.isArray(v)) {
    for (const x of v) collectExternalRefs(x, out, depth + 1);
    return;
  }
  if (!isObj(v)) return;
  const ref = v['$ref'];
  if (typeof ref === 'string' && !ref.startsWith('#')) out.add(ref);
  for (const [k, x] of Object.entries(v)) {
    // Examples are data, not schema: a "$ref" key inside one is just text.
    if (k === 'example' || k === 'examples') continue;
    collectExternalRefs(x, out, depth + 1);
  }
}

function oasServers(v: unknown): SpecServer[] {
  if (!Array.isArray(v) || v.length === 0) return [{ host: null, basePath: '' }];
  const out: SpecServer[] = [];
  for (const s of v) {
    if (!isObj(s) || typeof s['url'] !== 'string') continue;
    const vars = isObj(s['variables']) ? s['variables'] : {};
    const url = s['url'].replace(/\{([^}]+)\}/g, (_, name: string) => {
      const def = isObj(vars[name]) ? (vars[name] as Obj)['default'] : undefined;
      return def !== undefined ? String(def) : `{${name}}`;
    });
    out.push(serverOfUrl(url));
  }
  return dedupeServers(out.length > 0 ? out : [{ host: null, basePath: '' }]);
}

function swaggerServer(doc: Obj): SpecServer[] {
  const host = typeof doc['host'] === 'string' && doc['host'] !== '' ? doc['host'] : null;
  const base = typeof doc['basePath'] === 'string' ? doc['basePath'] : '';
  return [{ host, basePath: normalizeBase(base) }];
}

/** `https://h:8443/v1/` → host h:8443, base /v1; a relative URL is a base path alone. */
export function serverOfUrl(url: string): SpecServer {
  const m = /^(?:[A-Za-z{][^:/]*:)?\/\/([^/?#]*)(.*)$/.exec(url);
  if (m) return { host: m[1]!.toLowerCase() || null, basePath: normalizeBase(m[2]!) };
  return { host: null, basePath: normalizeBase(url) };
}

function normalizeBase(p: string): string {
  let s = p.replace(/[?#].*$/, '');
  if (s !== '' && !s.startsWith('/')) s = '/' + s;
  while (s.endsWith('/')) s = s.slice(0, -1);
  return s;
}

function dedupeServers(list: SpecServer[]): SpecServer[] {
  const seen = new Set<string>();
  return list.filter((s) => {
    const k = `${s.host ?? ''}\n${s.basePath}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
