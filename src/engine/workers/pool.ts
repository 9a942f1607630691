/**
 * Reads files in worker threads: each worker takes chunks of the files from a shared counter
 * (so a worker held up by one huge file does not hold up the others), reads and routes each
 * file, reads it with the per-file readers (parse and extraction, most of a large run's time)
 * and posts the outcomes back. The caller puts them in the run's file order, so the results do
 * not depend on which worker read what.
 *
 * A worker that dies (a crash, out of memory) loses no file: every file it had taken but not
 * posted, the one it died on included, is read again on the main thread by the caller, and a new
 * worker takes its place while files are left. A worker that cannot start at all leaves its
 * files to the main thread the same way.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FileOutcome, ResultsMessage, WorkerSetup } from './protocol.js';

/** Files a worker takes at a time: small enough to share out a tree's few huge files. */
const CHUNK = 64;

/** The number of reading workers for a run; 0: read on the main thread. */
export function workerCount(
  requested: number | undefined,
  files: number,
  threshold: number,
  cores = availableParallelism(),
): number {
  const env = process.env.TLS_LINT_WORKERS;
  const forced = requested ?? (env !== undefined && env !== '' ? Number(env) : undefined);
  if (forced !== undefined && Number.isInteger(forced) && forced >= 0) return Math.min(forced, 8);
  // On two cores the workers do not pay: the main thread and V8's own threads (garbage
  // collection, compilation) already keep the second core about a third busy, and each worker
  // loads the bundle, the parser and, for a tsconfig project, the TypeScript compiler again and
  // re-reads the modules it imports. Measured on bench/lint-bench.mjs's tree, idle 2-core
  // machine, run inside the tree: 6.0-6.2 s wall either way, 10.1-10.3 s CPU and 480-540 MiB
  // with two workers against 7.8-7.9 s and 420-430 MiB without (outside a project: 4.2 s vs
  // 4.5-4.7 s wall). With four cores or more, two workers have cores of their own.
  return cores >= MIN_CORES && files >= threshold ? 2 : 0;
}

/** Cores from which reading in two workers is the default (see {@link workerCount}). */
const MIN_CORES = 4;

/**
 * The worker's entry: beside the bundle, else the tsc build's. From the sources (vitest), the tsc
 * build's too when there is one (like the spawned-CLI tests, the worker tests need a build: the
 * TypeScript hooks take seconds a worker), else the sources through those hooks.
 */
function workerEntry(): { file: string; execArgv?: string[] } {
  const here = fileURLToPath(import.meta.url);
  const dir = path.dirname(here);
  if (here.endsWith('.cjs')) {
    const bundled = path.join(dir, 'tls-lint-worker.cjs');
    return { file: existsSync(bundled) ? bundled : path.join(dir, 'src/engine/workers/worker.js') };
  }
  if (here.endsWith('.ts')) {
    const root = path.resolve(dir, '../../..');
    const built = path.join(root, 'dist/src/engine/workers/worker.js');
    if (existsSync(built)) return { file: built };
    return {
      file: path.join(dir, 'worker.ts'),
      execArgv: ['--import', pathToFileURL(path.join(root, 'scripts/ts-register.mjs')).href],
    };
  }
  return { file: path.join(dir, 'worker.js') };
}

export interface PoolRun {
  /** Outcome per file, by index; undefined: not read in a worker (the caller reads it). */
  outcomes: Array<FileOutcome | undefined>;
}

/** Workers started again after one died, at most: a fault that kills every worker stops here. */
const MAX_RESTARTS = 4;

export async function readInWorkers(
  count: number,
  setup: Omit<WorkerSetup, 'counter' | 'chunk'>,
  onOutcome: (index: number) => void,
): Promise<PoolRun> {
  const outcomes = new Array<FileOutcome | undefined>(setup.files.length);
  const counter = new SharedArrayBuffer(4);
  const next = new Int32Array(counter);
  const entry = workerEntry();
  let restarts = 0;
  /** Whether any worker posted outcomes; why the first one that failed did. */
  const seen: { posted: boolean; failure?: string } = { posted: false };
  /** Runs a worker until it ends; one that dies is replaced while files are left. */
  const run = (): Promise<void> =>
    new Promise<void>((resolve) => {
      let worker: Worker;
      try {
        worker = new Worker(entry.file, {
          workerData: { ...setup, counter, chunk: CHUNK } satisfies WorkerSetup,
          ...(entry.execArgv && { execArgv: entry.execArgv }),
          stdout: false,
          stderr: false,
          // A worker's garbage is mostly the short-lived trees of the file in hand: a small young
          // generation collects it sooner. Measured on the benchmark tree: peak RSS of the run
          // 440-470 -> 350-380 MiB, CPU time the same or lower. Old space is left alone (a cap
          // there cost seconds of GC and ran out on large bundles).
          resourceLimits: { maxYoungGenerationSizeMb: 8 },
        });
      } catch (e) {
        seen.failure ??= e instanceof Error ? e.message : String(e);
        resolve();
        return;
      }
      worker.on('message', (m: ResultsMessage) => {
        seen.posted = true;
        m.outcomes.forEach((o, k) => {
          outcomes[m.from + k] = o;
          onOutcome(m.from + k);
        });
      });
      let failed = false;
      worker.on('error', (e) => {
        failed = true;
        seen.failure ??= e.message;
      });
      worker.on('exit', (code) => {
        if (code === 0 && !failed) {
          resolve();
          return;
        }
        seen.failure ??= `exit code ${code}`;
        // The files it had taken and not posted (the one it died on too) are left to the caller;
        // the rest to a new worker.
        if (Atomics.load(next, 0) < setup.files.length && restarts < MAX_RESTARTS) {
          restarts++;
          void run().then(resolve);
        } else resolve();
      });
    });
  await Promise.all(Array.from({ length: count }, run));
  // No worker read anything: an installation that cannot start them (the results are the same,
  // read on the main thread, but the user should know why the run was slow).
  if (!seen.posted && seen.failure !== undefined)
    process.emitWarning(
      `tls-lint: worker threads did not start (${seen.failure}); files were read on the main thread`,
    );
  return { outcomes };
}
