/**
 * Test, example and benchmark code: where a finding is usually deliberate (a test server with a
 * self-signed certificate, an example that turns verification off) and should not be reported
 * like production code.
 *
 * A file is test code by the path segments BELOW the root the user asked to lint: `tls-lint
 * examples/` lints the examples as what they are, and `tls-lint .` in the same repository files
 * them under tests. A file named explicitly (pre-commit passes the staged files) is judged by its
 * path relative to the working directory, or else to its repository root.
 */
import { statSync } from 'node:fs';
import path from 'node:path';

/** How findings in test code are reported: as any other, lowered to info, or not at all. */
export const TEST_MODES = ['report', 'info', 'skip'] as const;
export type TestMode = (typeof TEST_MODES)[number];
export const DEFAULT_TEST_MODE: TestMode = 'info';

/** Folder names that hold tests, fixtures, examples or benchmarks. */
const TEST_FOLDER = /^(?:tests?|__tests__|__mocks__|fixtures|__fixtures__|examples?|bench.*)$/i;
/** File names of tests in the common runners (Jest/Vitest/Mocha, Go, pytest). */
const TEST_FILE =
  /(?:\.(?:test|spec)\.[^/]+$|_test\.go$|^test_[^/]*\.py$|_test\.py$|^conftest\.py$)/i;

/** Whether a relative path (forward or platform slashes) names test code. */
export function isTestPath(relative: string): boolean {
  const segments = relative.split(/[\\/]/).filter((s) => s && s !== '.');
  if (segments.some((s) => s === '..')) return false;
  const name = segments.pop();
  if (name === undefined) return false;
  return segments.some((s) => TEST_FOLDER.test(s)) || TEST_FILE.test(name);
}

/**
 * Which part of a file's path is classified: below the linted root it was found under, or for an
 * explicit file, relative to the working directory (or its repository root when outside it; its
 * name alone when in neither).
 */
export function classifiedPath(file: string, root: string | undefined, cwd: string): string {
  if (root !== undefined) return path.relative(root, file);
  const fromCwd = path.relative(cwd, file);
  if (!fromCwd.startsWith('..') && !path.isAbsolute(fromCwd)) return fromCwd;
  const repo = repositoryRoot(path.dirname(file));
  return repo ? path.relative(repo, file) : path.basename(file);
}

function repositoryRoot(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    try {
      statSync(path.join(dir, '.git'));
      return dir;
    } catch {
      /* not here */
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}
