import { hostKey } from '../../shared/analysis/hostName.js';
import { mergeTemplates } from '../../shared/analysis/pathTemplate.js';
import type { EndpointAliases } from './endpointAliases.js';
import { endpointId } from './hashIds.js';
import { need, type RebuildContext, type RebuildStep } from './rebuildContext.js';
import { splitRawEndpoint } from './scanResult.js';
import { sharedArray } from './sharedArrays.js';

export interface EndpointInfo {
  eid: string;
  method: string;
  host: string;
  template: string;
  params: string[];
  count: number;
  firstUs: number;
  lastUs: number;
  /** Status code or class → count ("200", "404", "-" for none). */
  statusMix: Map<string, number>;
  flowsAuto: number;
  flows: number;
  latency: BaselineRow | null;
  size: BaselineRow | null;
  outlierCount: number;
}

export interface BaselineRow {
  count: number;
  median: number;
  p95: number;
  mad: number;
}

export interface EndpointResult {
  list: EndpointInfo[];
  /** request index → endpoint index (into list; the stored id is index + 1) */
  of: Int32Array;
  /** request indices grouped by endpoint; endpoint e owns order[start[e] .. start[e + 1]) */
  order: Int32Array;
  start: Int32Array;
  /** The ids endpoints had under a host spelled with capitals (endpointAliases.ts). */
  aliases: EndpointAliases;
}

export const endpointsStep: RebuildStep = {
  name: 'endpoints',
  order: 20,
  run(ctx: RebuildContext) {
    const scan = need(ctx.scan, 'scan');
    // One endpoint per host whatever the case of its letters (`Shop.Example` is `shop.example`):
    // the raw endpoints of both spellings fold into it. The requests keep the log's spelling.
    const raws = scan.rawEndpoints.values.map((s) => {
      const raw = splitRawEndpoint(s);
      return { ...raw, logged: raw.host, host: hostKey(raw.host) };
    });
    // Merge templates within each method + host.
    const groups = new Map<string, number[]>();
    raws.forEach((e, i) => {
      const g = `${e.method}\n${e.host}`;
      const list = groups.get(g);
      if (list) list.push(i);
      else groups.set(g, [i]);
    });
    const finalKeyOfRaw: string[] = new Array<string>(raws.length);
    for (const members of groups.values()) {
      const merged = mergeTemplates(
        new Set(members.map((i) => raws[i]!.template)),
        ctx.settings.templates.mergeMinDistinct,
      );
      for (const i of members) {
        const e = raws[i]!;
        finalKeyOfRaw[i] = `${e.method}\n${e.host}\n${merged.get(e.template) ?? e.template}`;
      }
    }
    // Deterministic endpoint order: by method, host, template.
    const finalKeys = [...new Set(finalKeyOfRaw)].sort();
    const indexOfKey = new Map(finalKeys.map((k, i) => [k, i]));
    const list: EndpointInfo[] = finalKeys.map((k) => {
      const [method, host, template] = k.split('\n') as [string, string, string];
      return {
        eid: endpointId(method, host, template),
        method,
        host,
        template,
        params: [],
        count: 0,
        firstUs: Infinity,
        lastUs: -Infinity,
        statusMix: new Map(),
        flowsAuto: 0,
        flows: 0,
        latency: null,
        size: null,
        outlierCount: 0,
      };
    });
    const rawToFinal = Int32Array.from(finalKeyOfRaw, (k) => indexOfKey.get(k)!);
    // The id a raw endpoint of a host logged with capitals had before hosts were folded: the
    // same method and template under the logged spelling.
    const aliases = new Map<string, number>();
    raws.forEach((r, i) => {
      if (r.logged === r.host) return;
      const e = list[rawToFinal[i]!]!;
      const alias = endpointId(r.method, r.logged, e.template);
      if (!aliases.has(alias)) aliases.set(alias, rawToFinal[i]!);
    });
    for (const [raw, names] of scan.rawEndpointParams) {
      const e = list[rawToFinal[raw]!]!;
      for (const name of names)
        if (!e.params.includes(name) && e.params.length < 30) e.params.push(name);
    }
    for (const e of list) e.params.sort();

    const of = sharedArray(Int32Array, scan.n);
    const start = new Int32Array(list.length + 1);
    for (let i = 0; i < scan.n; i++) {
      const ei = rawToFinal[scan.rawEndpoint[i]!]!;
      of[i] = ei;
      start[ei + 1]!++;
      const e = list[ei]!;
      e.count++;
      const ts = scan.ts[i]!;
      if (ts < e.firstUs) e.firstUs = ts;
      if (ts > e.lastUs) e.lastUs = ts;
      const st = scan.status[i]!;
      const label = st < 0 ? '-' : String(st);
      e.statusMix.set(label, (e.statusMix.get(label) ?? 0) + 1);
    }
    for (let k = 0; k < list.length; k++) start[k + 1]! += start[k]!;
    const order = sharedArray(Int32Array, scan.n);
    const fill = start.slice(0, list.length);
    for (let i = 0; i < scan.n; i++) order[fill[of[i]!]!++] = i;
    ctx.endpoints = {
      list,
      of,
      order,
      start,
      aliases: [...aliases].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    };
    ctx.stats.endpoints = list.length;
  },
};
