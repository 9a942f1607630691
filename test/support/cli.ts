/**
 * Two ways to run the command line:
 * - `runMain` calls the CLI's `main()` inside the test process, with its output, working folder
 *   and environment captured and restored: the same code path as `bin/tls-lint.js`, without
 *   starting Node and loading the readers again for every call. Most CLI tests use it.
 * - `runCli` spawns the built CLI (`npm test` builds first) as a user would; keep it for the few
 *   end-to-end tests that check the real process (bin script, exit status, streams).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import type { ProbeJson } from '../../src/probe/report.js';
import type { JsonReport } from '../../src/report/json.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin', 'tls-lint.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  /** Added to the environment; `undefined` removes a variable. NO_COLOR=1 unless given. */
  env?: NodeJS.ProcessEnv;
}

export function runCli(
  args: readonly string[],
  options: CliOptions & { timeoutMs?: number } = {},
): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The report of a `--format json` lint run, in the reporter's own types. */
export function jsonReport(stdout: string): JsonReport {
  return JSON.parse(stdout) as JsonReport;
}

/** The report of `tls-lint probe --format json`, in the probe reporter's own types. */
export function probeJson(stdout: string): ProbeJson {
  return JSON.parse(stdout) as ProbeJson;
}

let running = false;

/**
 * `main(args)` in this process, as `runCli` would run it: stdout and stderr are collected (and
 * are not terminals), the working folder is `cwd`, and `env` is applied, all restored afterwards.
 * Calls must not overlap (they share the process); tests in one file run one after the other.
 */
export async function runMain(
  args: readonly string[],
  options: CliOptions = {},
): Promise<CliResult> {
  if (running)
    throw new Error(
      'runMain: calls must not overlap (they share process.stdout and the working folder)',
    );
  running = true;
  const out = { stdout: '', stderr: '' };
  const saved = {
    cwd: process.cwd(),
    // eslint-disable-next-line @typescript-eslint/unbound-method -- restored, never called
    stdoutWrite: process.stdout.write,
    // eslint-disable-next-line @typescript-eslint/unbound-method -- restored, never called
    stderrWrite: process.stderr.write,
    stdoutTTY: process.stdout.isTTY,
    stderrTTY: process.stderr.isTTY,
    exitCode: process.exitCode,
  };
  const overrides: NodeJS.ProcessEnv = { NO_COLOR: '1', FORCE_COLOR: undefined, ...options.env };
  const savedEnv = Object.fromEntries(Object.keys(overrides).map((k) => [k, process.env[k]]));
  const capture = (key: 'stdout' | 'stderr') =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      out[key] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof process.stdout.write;
  try {
    setEnv(overrides);
    process.chdir(options.cwd ?? ROOT);
    process.stdout.write = capture('stdout');
    process.stderr.write = capture('stderr');
    process.stdout.isTTY = false;
    process.stderr.isTTY = false;
    let code: number;
    try {
      code = await main(args);
    } catch (e) {
      // What bin/tls-lint.js does with an exception that escapes main().
      out.stderr += `tls-lint: internal error: ${e instanceof Error ? e.stack : String(e)}\n`;
      code = 2;
    }
    return { code, ...out };
  } finally {
    process.stdout.write = saved.stdoutWrite;
    process.stderr.write = saved.stderrWrite;
    process.stdout.isTTY = saved.stdoutTTY;
    process.stderr.isTTY = saved.stderrTTY;
    process.chdir(saved.cwd);
    setEnv(savedEnv);
    process.exitCode = saved.exitCode;
    running = false;
  }
}

function setEnv(values: NodeJS.ProcessEnv): void {
  for (const [k, v] of Object.entries(values)) {
    // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- unsetting a variable is a delete
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}
