import { backgroundTraffic } from './backgroundTraffic.js';
import { incidentTraffic } from './incidentTraffic.js';
import { legacyTraffic } from './legacyTraffic.js';
import { buildApiClients, buildUsers } from './demoPopulation.js';
import { toCaddyLine, type DemoRequest } from './demoRequest.js';
import { DAY_START_US, DAY_US, SEED } from './demoStory.js';
import { createRng } from './prng.js';

/** Where the committed capture lives, relative to the project root. */
export const DEMO_CAPTURE_PATH = 'resources/demo/demo-capture.jsonl';

/**
 * Builds the demo capture: one day of api.acme-demo.test as Caddy JSON access-log lines, in
 * time order. Pure function of the seed: the same bytes on every run.
 */
export function generateDemoCapture(): string {
  const rng = createRng(SEED);
  const users = buildUsers(rng);
  const clients = buildApiClients(rng, users);
  const all: { r: DemoRequest; seq: number }[] = [];
  const emit = (r: DemoRequest): void => {
    if (r.tsUs >= DAY_START_US && r.tsUs < DAY_START_US + DAY_US) all.push({ r, seq: all.length });
  };
  backgroundTraffic(rng, emit, users, clients);
  incidentTraffic(rng, emit, users);
  legacyTraffic(createRng(SEED ^ 0x1e9a), emit);
  all.sort((a, b) => a.r.tsUs - b.r.tsUs || a.seq - b.seq);
  // Request ids and client ports come from their own stream so story edits don't reshuffle them.
  const ids = createRng(SEED ^ 0x1d5);
  const lines = all.map(({ r }) => {
    const h = ids.hex(32);
    const rid = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20)}`;
    return toCaddyLine(r, rid, ids.int(32768, 60999));
  });
  return lines.join('\n') + '\n';
}
