// The build id the renderer and the Node side are both built with (scripts/build.mjs defines it
// as __SESSIONSCOPE_BUILD__), which browser mode's page compares with the server's
// (getAppInfo) before it calls anything else.
//
// It is a hash of what the two sides share: the package version and shared/ (the contract and
// everything it uses). A build of the Node side alone (--node) against a renderer built from
// the same shared/ gets the same id, so it is not mistaken for another version; one against a
// renderer built from another shared/ does not, and the page says so rather than calling what
// the server may not know.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

function sources(dir, rel = '') {
  const out = [];
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const name = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...sources(dir, name));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(name);
  }
  return out;
}

/** `{ version, id }` for the sources under `root`. */
export function buildId(root) {
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const hash = createHash('sha256').update(`version ${version}\n`);
  const shared = path.join(root, 'shared');
  for (const file of sources(shared).sort()) {
    const text = readFileSync(path.join(shared, file));
    hash.update(`${file} ${text.length}\n`).update(text);
  }
  return { version, id: hash.digest('hex').slice(0, 12) };
}
