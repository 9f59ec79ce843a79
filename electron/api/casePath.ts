import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const CASE_EXTENSION = '.sscase';

/** Where cases named without a folder are kept: beside the app's own files. */
export function casesDir(userDataDir: string): string {
  return path.join(userDataDir, 'cases');
}

/**
 * The file a case typed in the app names. An absolute path is taken as it is; a bare name or a
 * relative path goes under the app's cases folder (`<user data>/cases/`), not wherever the
 * backend happened to be started; a name without an extension gets `.sscase` (for opening, only
 * when the name as typed is not itself a file).
 */
export function caseFileFor(input: string, userDataDir: string, create: boolean): string {
  const full = path.isAbsolute(input) ? input : path.resolve(casesDir(userDataDir), input);
  if (path.extname(full) !== '') return full;
  if (!create && existsSync(full)) return full;
  return full + CASE_EXTENSION;
}

/**
 * The folder a new case goes in, made when missing (a first case under the cases folder), and
 * then owner-only: a case holds the logs' cookies and tokens.
 */
export function ensureCaseFolder(file: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
}
