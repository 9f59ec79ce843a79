import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../../shared/contract/errors.js';
import { parseSpecText, type ParsedSpec } from '../../shared/spec/parseSpec.js';
import { makeSniffSample, sniffFormat } from '../ingest/formats/index.js';
import { SNIFF_HEAD_BYTES } from '../ingest/sourceFile.js';
import { audit } from '../store/auditLog.js';
import type { CaseDb } from '../store/openCase.js';

/** Specs are small; anything this large is not one and would only be slow to parse. */
const MAX_SPEC_BYTES = 50 * 1024 * 1024;

export interface LoadedSpecSummary {
  specId: number;
  file: string;
  sha256: string;
  title: string;
  version: string;
  kind: ParsedSpec['kind'];
  operations: number;
  deprecated: number;
  unresolvedRefs: string[];
}

function parsesAsJson(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
    return true;
  } catch {
    return false;
  }
}

/**
 * The spec the file holds; a file that is none but a log the import reads (a common slip
 * between the two file pickers) is refused saying so, rather than as bad JSON or YAML.
 */
function parsedOrWhatItIs(bytes: Buffer, name: string): ParsedSpec {
  try {
    return parseSpecText(bytes.toString('utf8'), name);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== 'BAD_INPUT') throw err;
    let format: string;
    try {
      format = sniffFormat(makeSniffSample(bytes.subarray(0, SNIFF_HEAD_BYTES), name)).format.id;
    } catch {
      throw err;
    }
    // The json format claims any JSON document by its start: a broken one is no log either.
    if (format === 'json' && !parsesAsJson(bytes)) throw err;
    throw new AppError(
      'BAD_INPUT',
      `${name}: a log (${format} format), not an API description. Import it instead: the ` +
        'Import view, or sessionscope import <case> <file>',
    );
  }
}

/**
 * Reads an OpenAPI/Swagger file (read-only, never modified) and stores its operations in the
 * case, with an audit entry. The same file content twice is refused unless `force`; a path that
 * is not a regular file (a directory) is refused as bad input.
 */
export async function loadSpecFile(
  db: CaseDb,
  file: string,
  opts: { force?: boolean } = {},
): Promise<LoadedSpecSummary> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(file);
  } catch {
    throw new AppError('NOT_FOUND', `No spec file at ${file}`);
  }
  // A directory (or a device) would fail to read with EISDIR, an internal error: say what it is.
  if (!info.isFile()) throw new AppError('BAD_INPUT', `${file} is not a file`);
  if (info.size > MAX_SPEC_BYTES) throw new AppError('BAD_INPUT', `${file}: too large for a spec`);
  const bytes = await readFile(file);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const name = path.basename(file);
  const spec = parsedOrWhatItIs(bytes, name);
  const dup = db
    .prepare('SELECT title, version FROM specs WHERE sha256 = ? ORDER BY id')
    .get(sha256) as { title: string; version: string } | undefined;
  if (dup && !opts.force) {
    // Named as the specs panel lists it (an upload's path is the server's temp copy, its id is
    // shown nowhere); the hint is for the CLI, the only way to load the same content twice.
    throw new AppError(
      'DUPLICATE_SOURCE',
      `${name} is already loaded as ${[dup.title, dup.version].filter(Boolean).join(' ')} ` +
        "(same SHA-256; the CLI's --force loads it again)",
    );
  }
  return storeSpec(db, spec, file, sha256);
}

export function storeSpec(
  db: CaseDb,
  spec: ParsedSpec,
  file: string,
  sha256: string,
): LoadedSpecSummary {
  return db.transaction((): LoadedSpecSummary => {
    const res = db
      .prepare(
        `INSERT INTO specs (file, sha256, title, version, loaded_at, kind, spec_version, servers,
                            unresolved_refs, unresolved_paths)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        file,
        sha256,
        spec.title,
        spec.version,
        new Date().toISOString(),
        spec.kind,
        spec.specVersion,
        JSON.stringify(spec.servers),
        JSON.stringify(spec.unresolvedRefs),
        JSON.stringify(spec.unresolvedPaths ?? []),
      );
    const specId = Number(res.lastInsertRowid);
    const insert = db.prepare(
      `INSERT INTO spec_paths (spec_id, method, path_template, deprecated, operation_id, parameters)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (const op of spec.operations) {
      insert.run(
        specId,
        op.method,
        op.pathTemplate,
        op.deprecated ? 1 : 0,
        op.operationId,
        JSON.stringify(op.parameters),
      );
    }
    const summary: LoadedSpecSummary = {
      specId,
      file,
      sha256,
      title: spec.title,
      version: spec.version,
      kind: spec.kind,
      operations: spec.operations.length,
      deprecated: spec.operations.filter((o) => o.deprecated).length,
      unresolvedRefs: spec.unresolvedRefs,
    };
    audit(db, 'spec.load', { ...summary });
    return summary;
  })();
}
