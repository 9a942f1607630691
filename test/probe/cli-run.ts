/**
 * Runs the built CLI asynchronously (the test process keeps serving its own in-process servers
 * while the CLI runs, which a synchronous spawn would block).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { BIN, ROOT, type CliResult } from '../support/cli.js';
import path from 'node:path';

const distBuilt = fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'));

/**
 * Whether the CLI tests can run (they spawn `bin/tls-lint.js`, which loads dist/). Like
 * `haveProgram`: skipped with a notice locally, but under CI=true a missing build is a failure.
 */
function haveBuiltCli(): boolean {
  if (distBuilt) return true;
  if (process.env.CI === 'true')
    throw new Error('dist/ is not built under CI=true (run npm run build before the tests)');
  if (!warned) {
    warned = true;
    console.warn(
      '[tls-lint tests] NOTICE: dist/ is not built (npm run build); probe CLI tests are skipped.',
    );
  }
  return false;
}
let warned = false;

export const cliBuilt = haveBuiltCli();

export function runCliAsync(args: readonly string[], timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
