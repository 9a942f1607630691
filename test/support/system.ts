/**
 * Tests that need a system program (nginx, openssl, sslscan…) run when it is installed and are
 * skipped with a visible notice otherwise — except under CI=true, where a missing program is a
 * failure (.ci/run installs them).
 */
import { execFileSync } from 'node:child_process';

const found = new Map<string, string | undefined>();

/** The absolute path of a program on PATH (or in /usr/sbin), or undefined. */
export function whichProgram(name: string): string | undefined {
  if (found.has(name)) return found.get(name);
  let result: string | undefined;
  for (const candidate of [name, `/usr/sbin/${name}`, `/usr/bin/${name}`]) {
    try {
      result =
        execFileSync('sh', ['-c', `command -v ${candidate}`], { encoding: 'utf8' }).trim() ||
        undefined;
    } catch {
      result = undefined;
    }
    if (result) break;
  }
  found.set(name, result);
  return result;
}

/**
 * Whether tests needing `name` should run. Under CI=true a missing program throws, so the
 * suite fails instead of silently skipping; elsewhere a notice is printed once.
 */
export function haveProgram(name: string): boolean {
  if (whichProgram(name)) return true;
  if (process.env.CI === 'true') {
    throw new Error(
      `${name} is required under CI=true but is not installed (.ci/run should install it)`,
    );
  }
  if (!warned.has(name)) {
    warned.add(name);
    console.warn(
      `[tls-lint tests] NOTICE: ${name} is not installed; tests that need it are skipped.`,
    );
  }
  return false;
}

const warned = new Set<string>();
