import { SpecMatcher, type SpecRoute } from './matchPath.js';
import { HTTP_METHODS, type SpecOperation, type SpecServer } from './parseSpec.js';

/**
 * Compares what was called with what the loaded specs promise. Specs with the same title are
 * versions of one API; the newest (by info.version, then load order among files of that version
 * and the same servers; files of that version with other servers too) is the contract:
 * - documented: the endpoint is an operation of a newest spec ('unresolved-ref' when the spec
 *   names its path but the path item is a `$ref` that was not followed: in the spec, its
 *   operations unknown);
 * - zombie: it is, but deprecated there; or only an older version of the spec had it;
 * - shadow: no loaded spec has it ('not-found' when it never answered anything but 404, which
 *   is a probe rather than a hidden API).
 * Operations of a newest spec that nothing called are orphans.
 */

export type SpecStatus = 'documented' | 'shadow' | 'zombie';
export type ZombieReason = 'deprecated' | 'removed';
/** A shadow endpoint that only ever answered 404: a probe for something that is not there. */
export type ShadowReason = 'not-found';
/** Documented, but under a path whose definition (a `$ref` to a file or URL) was not followed. */
export type DocumentedReason = 'unresolved-ref';

export interface LoadedSpec {
  id: number;
  title: string;
  version: string;
  servers: SpecServer[];
  operations: SpecOperation[];
  /** Paths whose path item is a `$ref` that was not followed (ParsedSpec.unresolvedPaths). */
  unresolvedPaths?: readonly string[];
}

export interface ObservedEndpoint {
  method: string;
  host: string;
  /** Path template (or path) without the query. */
  template: string;
  /** False when every response was 404 (or had no status); unknown counts as answered. */
  answered?: boolean;
}

export interface EndpointVerdict {
  status: SpecStatus;
  reason: ZombieReason | ShadowReason | DocumentedReason | null;
  /** The spec and operation the endpoint matched (the older one, for a removed zombie). */
  specId: number | null;
  specMethod: string | null;
  specPath: string | null;
}

export interface OrphanOperation {
  specId: number;
  method: string;
  pathTemplate: string;
  deprecated: boolean;
}

export interface SpecComparison {
  /** One verdict per endpoint, in the order given. */
  verdicts: EndpointVerdict[];
  orphans: OrphanOperation[];
  /** Ids of the specs that are the newest of their API. */
  newest: number[];
}

/** Orders API versions: numeric parts as numbers ("1.10" > "1.9"), other parts as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[^0-9A-Za-z]+/).filter(Boolean);
  const pb = b.split(/[^0-9A-Za-z]+/).filter(Boolean);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    const d = !Number.isNaN(nx) && !Number.isNaN(ny) ? nx - ny : x < y ? -1 : x > y ? 1 : 0;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

interface Prepared {
  spec: LoadedSpec;
  hosts: Set<string>;
  matcher: SpecMatcher<SpecOperation>;
  /** The unresolved paths, under every method: their operations are unknown. */
  refMatcher: SpecMatcher<SpecRoute>;
}

function prepare(spec: LoadedSpec): Prepared {
  const bases = spec.servers.map((s) => s.basePath);
  return {
    spec,
    hosts: new Set(spec.servers.flatMap((s) => (s.host ? [s.host.toLowerCase()] : []))),
    matcher: new SpecMatcher(spec.operations, bases),
    refMatcher: new SpecMatcher(
      (spec.unresolvedPaths ?? []).flatMap((pathTemplate) =>
        HTTP_METHODS.map((method) => ({ method, pathTemplate })),
      ),
      bases,
    ),
  };
}

/** The servers a spec describes (hosts and base paths), as one comparable string. */
function serversKey(s: LoadedSpec): string {
  return JSON.stringify(s.servers.map((v) => [v.host?.toLowerCase() ?? null, v.basePath]).sort());
}

export function compareWithSpecs(
  specs: readonly LoadedSpec[],
  endpoints: readonly ObservedEndpoint[],
): SpecComparison {
  const groups = new Map<string, LoadedSpec[]>();
  for (const s of [...specs].sort((a, b) => a.id - b.id)) {
    const key = s.title.trim().toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const newest: Prepared[] = [];
  const older: Prepared[] = [];
  for (const g of groups.values()) {
    // Stable sort: equal versions keep load order, so of one version and servers the last
    // loaded wins (an edited copy). Specs of the newest version with other servers (a /v1 and
    // a /v2 base path under one title and version) are the contract together: neither makes
    // the other's paths 'removed', whatever the load order.
    const sorted = [...g].sort((a, b) => compareVersions(a.version, b.version));
    const top = sorted.at(-1)!.version;
    const latest = new Map<string, LoadedSpec>();
    for (const s of sorted) if (compareVersions(s.version, top) === 0) latest.set(serversKey(s), s);
    const contract = new Set(latest.values());
    newest.push(...sorted.filter((s) => contract.has(s)).map(prepare));
    older.push(
      ...sorted
        .filter((s) => !contract.has(s))
        .reverse()
        .map(prepare),
    );
  }
  const allHosts = new Set([...newest, ...older].flatMap((p) => [...p.hosts]));
  const applies = (p: Prepared, host: string): boolean =>
    p.hosts.size === 0 || !allHosts.has(host) || p.hosts.has(host);

  const called = new Set<SpecOperation>();
  const verdicts = endpoints.map((e): EndpointVerdict => {
    const host = e.host.toLowerCase();
    let found: { p: Prepared; op: SpecOperation } | null = null;
    for (const p of newest) {
      if (!applies(p, host)) continue;
      const op = p.matcher.match(e.method, e.template);
      if (!op) continue;
      called.add(op);
      if (found === null || (found.op.deprecated && !op.deprecated)) found = { p, op };
    }
    if (found) {
      return {
        status: found.op.deprecated ? 'zombie' : 'documented',
        reason: found.op.deprecated ? 'deprecated' : null,
        specId: found.p.spec.id,
        specMethod: found.op.method,
        specPath: found.op.pathTemplate,
      };
    }
    for (const p of newest) {
      if (!applies(p, host)) continue;
      const ref = p.refMatcher.match(e.method, e.template);
      if (ref) {
        return {
          status: 'documented',
          reason: 'unresolved-ref',
          specId: p.spec.id,
          specMethod: null,
          specPath: ref.pathTemplate,
        };
      }
    }
    for (const p of older) {
      if (!applies(p, host)) continue;
      const op = p.matcher.match(e.method, e.template);
      if (op) {
        return {
          status: 'zombie',
          reason: 'removed',
          specId: p.spec.id,
          specMethod: op.method,
          specPath: op.pathTemplate,
        };
      }
    }
    return {
      status: 'shadow',
      reason: e.answered === false ? 'not-found' : null,
      specId: null,
      specMethod: null,
      specPath: null,
    };
  });

  const orphans: OrphanOperation[] = [];
  for (const p of [...newest].sort((a, b) => a.spec.id - b.spec.id)) {
    for (const op of p.spec.operations) {
      if (called.has(op)) continue;
      orphans.push({
        specId: p.spec.id,
        method: op.method,
        pathTemplate: op.pathTemplate,
        deprecated: op.deprecated,
      });
    }
  }
  return { verdicts, orphans, newest: newest.map((p) => p.spec.id).sort((a, b) => a - b) };
}
