/**
 * Reads files in worker threads, in one of two ways:
 *
 * - Data-parallel (two workers or more): each worker takes chunks of the files from a shared
 *   counter (so a worker held up by one huge file does not hold up the others), reads and routes
 *   each file, reads it with the per-file readers (parse and extraction, most of a large run's
 *   time) and posts the outcomes back.
 * - A pipeline (one worker): the worker reads and routes the files (the prefilters, which drop
 *   99% of a large tree) and posts the text of the files kept; the main thread parses and
 *   extracts those as the chunks come in, while the worker goes on. On two cores this pays where
 *   the data-parallel pool does not: nothing is loaded, read or parsed twice but the prefilter's
 *   look at imported modules, and the main thread does not wait idle.
 *
 * Either way the caller puts the outcomes in the run's file order, so the results do not depend
 * on which thread read what. The files come a segment at a time (see lint.ts `SEGMENT_FILES`):
 * the workers are started once and take each segment as it is posted.
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
import {
  compactOutcome,
  type FileOutcome,
  type RouteOutcome,
  type SegmentMessage,
  type ToWorker,
  type WorkerMessage,
  type WorkerSetup,
} from './protocol.js';

/** Files a worker takes at a time: small enough to share out a tree's few huge files. */
const CHUNK = 64;

/**
 * The number of reading workers for a run over `files` JS/TS files: 0 reads on the main thread,
 * 1 runs the pipeline (one worker routes, the main thread parses), 2 or more read data-parallel.
 * `requested` (the `workers` option), else `TLS_LINT_WORKERS`, else by cores and tree size.
 */
export function workerCount(
  requested: number | undefined,
  files: number,
  cores = availableParallelism(),
): number {
  const env = process.env.TLS_LINT_WORKERS;
  const forced = requested ?? (env !== undefined && env !== '' ? Number(env) : undefined);
  if (forced !== undefined && Number.isInteger(forced) && forced >= 0) return Math.min(forced, 8);
  // On two cores the data-parallel workers do not pay: the main thread and V8's own threads
  // (garbage collection, compilation) already keep the second core about a third busy, and each
  // worker loads the bundle, the parser and, for a tsconfig project, the TypeScript compiler
  // again and re-reads the modules it imports. Measured on bench/lint-bench.mjs's tree, idle
  // 2-core machine, run inside the tree: 6.0-6.2 s wall either way, 10.1-10.3 s CPU and 480-540
  // MiB with two workers against 7.8-7.9 s and 420-430 MiB without. With four cores or more,
  // two workers have cores of their own. The pipeline loads and reads nothing twice but the
  // TypeScript compiler and what the prefilter's import check reads.
  if (cores >= MIN_CORES) return files >= POOL_THRESHOLD ? 2 : 0;
  return files >= PIPELINE_THRESHOLD ? 1 : 0;
}

/** Cores from which reading in two workers is the default (see {@link workerCount}). */
const MIN_CORES = 4;

/**
 * JS/TS files from which two data-parallel workers pay: starting a worker (loading the bundle,
 * a second source cache, target detection again) costs about what reading a few hundred files
 * does; measured on bench/lint-bench.mjs's tree.
 */
const POOL_THRESHOLD = 2000;

/**
 * JS/TS files from which the pipeline pays below four cores: starting the worker (its bundle from
 * a code cache, a second source cache, the TypeScript compiler again) costs a second core about
 * what routing a thousand files does. Measured on the 2-core machine, idle, from inside the
 * trees (parts of bench/lint-bench.mjs's), 3-4 pairs, medians, wall time of the pipeline against
 * no worker; it took 0.1-0.25 s more CPU:
 *
 * - 1,048 JS/TS files (lodash): 0.11 against 0.10 s (+10%);
 * - 2,374 (antd and the AWS SDK): 0.25 against 0.26 s;
 * - 4,748 (those twice): 0.35 against 0.41 s (-15%);
 * - 4,820 (16 server-side packages: typeorm, mongodb, the AWS SDK, undici…): 1.40 against
 *   1.46 s (-4%);
 * - 9,496 (antd and the AWS SDK four times): 0.55 against 0.70 s (-21%);
 * - 10,553 (the 16, core-js and mui-material): 1.49 against 1.65 s (-10%).
 *
 * It was 15,000 before the worker's code cache, the JIT flags and the skipping of unminified
 * bundles, when the pipeline gave little below that.
 */
const PIPELINE_THRESHOLD = 4000;

/**
 * The worker's entry: beside the bundle, its worker bundle, run from its code cache by
 * bin/worker.js; else the tsc build's. From the sources (vitest), the tsc build's too when there
 * is one (like the spawned-CLI tests, the worker tests need a build: the TypeScript hooks take
 * seconds a worker), else the sources through those hooks.
 */
function workerEntry(): { file: string; execArgv?: string[] } {
  const here = fileURLToPath(import.meta.url);
  const dir = path.dirname(here);
  if (here.endsWith('.cjs')) {
    if (!existsSync(path.join(dir, 'tls-lint-worker.cjs')))
      return { file: path.join(dir, 'src/engine/workers/worker.js') };
    return { file: path.join(dir, '..', 'bin', 'worker.js') };
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
  /** Outcome per file, by index; undefined: not read (a worker lost it: the caller reads it). */
  outcomes: Array<FileOutcome | undefined>;
  /** Of those, the files the main thread routed itself (the pipeline's, see {@link Pipeline}). */
  routedHere: number;
}

/** A segment posted to the workers (see {@link ReadingPool.read}). */
export interface PostedSegment {
  /**
   * Waits for the segment's outcomes. In a pipeline the main thread helps route it meanwhile
   * (see {@link helpRoute}): it is called once the segments before are done, so that the main
   * thread reads what they kept before it routes a later one.
   */
  done(): Promise<PoolRun>;
}

/** The main thread's side of the pipeline. */
export interface Pipeline {
  /** A file the worker routed: its outcome, reading here what a reader keeps. */
  readKept(index: number, routed: RouteOutcome): FileOutcome;
  /** A file the main thread routes itself, and reads if kept. */
  routeHere(index: number): FileOutcome;
  /** Tests only: the main thread routes only what no worker is left to route. */
  workerRoutes?: boolean;
}

/** Workers started again after one died, at most: a fault that kills every worker stops here. */
const MAX_RESTARTS = 4;

/**
 * Old space of the pipeline's worker (see `start`). Files over the size cap (2 MiB by default)
 * are not read; a worker that runs out all the same dies, and the main thread routes the files
 * it had taken.
 */
const ROUTING_WORKER_OLD_SPACE_MB = 512;

/** What every segment's workers are started with: the run's settings, not its files. */
export type PoolSetup = Omit<WorkerSetup, 'chunk' | 'routeOnly'>;

/** The segment a pool is reading: its files, the counter its workers share, what came back. */
interface Segment {
  id: number;
  files: SegmentMessage['files'];
  counter: SharedArrayBuffer;
  next: Int32Array;
  outcomes: Array<FileOutcome | undefined>;
  filled: number;
  onOutcome: (index: number) => void;
  pipeline?: Pipeline;
  pace: Pace;
  /** Workers that took the segment and have not said they are done with it. */
  busy: Set<Worker>;
  /** Resolves when every file has its outcome, or no worker is left on the segment. */
  end(): void;
}

/**
 * `count` workers that read a run's files segment by segment (see lint.ts `SEGMENT_FILES`): they
 * are started once, for the first segment, and take each next one as it is posted. With a
 * pipeline (one worker) they only route, and the main thread reads the files kept as their
 * chunks come in, and routes chunks itself when that pays (see {@link helpRoute}). `close` ends
 * them: a run must call it, or the process would wait for them.
 */
export class ReadingPool {
  private readonly live = new Set<Worker>();
  private readonly entry = workerEntry();
  private restarts = 0;
  private made = 0;
  /** The segments posted and not ended, in order (a worker takes them one after the other). */
  private readonly inFlight = new Map<number, Segment>();
  /** How the threads kept up in the latest segment (see {@link Pace}). */
  private lastPace?: Pace;
  /** Whether any worker posted outcomes; why the first one that failed did. */
  private readonly seen: { posted: boolean; failure?: string } = { posted: false };

  /**
   * `pipelined`: one worker that only routes, for the main thread to read what it keeps (the
   * caller passes the {@link Pipeline} with each segment).
   */
  constructor(
    private readonly count: number,
    private readonly setup: PoolSetup,
    readonly pipelined: boolean,
  ) {}

  /**
   * Posts one segment of the run's files to the workers, behind those they have; outcomes by
   * index in `files`.
   */
  read(
    files: SegmentMessage['files'],
    onOutcome: (index: number) => void,
    pipeline?: Pipeline,
  ): PostedSegment {
    const counter = new SharedArrayBuffer(8);
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const segment: Segment = {
      id: ++this.made,
      files,
      counter,
      next: new Int32Array(counter),
      outcomes: new Array<FileOutcome | undefined>(files.length),
      filled: 0,
      onOutcome,
      ...(pipeline && { pipeline }),
      // How the two threads kept up so far carries over: a main thread that was the slower stage
      // does not take on routing again at each segment's start.
      pace: {
        workerMs: this.lastPace?.workerMs ?? 0,
        mainMs: this.lastPace?.mainMs ?? 0,
        received: 0,
        live: 0,
        wake: () => {},
      },
      busy: new Set(),
      end,
    };
    this.inFlight.set(segment.id, segment);
    this.lastPace = segment.pace;
    void ended.then(() => this.inFlight.delete(segment.id));
    if (files.length === 0) end();
    for (const worker of this.live) this.post(worker, segment);
    // The first segment starts the workers; a later one replaces those that died, within the
    // run's restarts.
    const first = segment.id === 1;
    while (this.live.size < this.count && (first || this.restarts < MAX_RESTARTS)) {
      if (!first) this.restarts++;
      if (!this.start()) break;
    }
    this.settle(segment);
    return {
      done: async () => {
        const routedHere = pipeline
          ? await helpRoute(
              segment.next,
              files.length,
              segment.pace,
              pipeline.workerRoutes === true,
              (i) => this.record(segment, i, pipeline.routeHere(i)),
            )
          : 0;
        await ended;
        return { outcomes: segment.outcomes, routedHere };
      },
    };
  }

  /**
   * Ends the workers; warns when none of them ever read anything, and why. At the end of a run
   * they are idle and are asked to end (they end as a thread does, its exit handlers run: see
   * bin/code-cache.js); after a failure they may be busy, and are stopped.
   */
  close(failed = false): void {
    for (const worker of this.live)
      if (failed) void worker.terminate();
      else worker.postMessage('close' satisfies ToWorker);
    this.live.clear();
    // No worker read anything: an installation that cannot start them (the results are the
    // same, read on the main thread, but the user should know why the run was slow).
    if (!this.seen.posted && this.seen.failure !== undefined)
      process.emitWarning(
        `tls-lint: worker threads did not start (${this.seen.failure}); files were read on the main thread`,
      );
  }

  private record(segment: Segment, index: number, outcome: FileOutcome): void {
    segment.outcomes[index] = compactOutcome(outcome);
    segment.onOutcome(index);
    if (++segment.filled === segment.files.length) segment.end();
  }

  /** Ends the segment once no worker is left on it (the files they lost are the caller's). */
  private settle(segment: Segment): void {
    segment.pace.live = segment.busy.size;
    segment.pace.wake();
    if (segment.busy.size === 0) segment.end();
  }

  private post(worker: Worker, segment: Segment): void {
    segment.busy.add(worker);
    worker.postMessage({
      id: segment.id,
      files: segment.files,
      counter: segment.counter,
    } satisfies ToWorker);
  }

  /** Starts a worker on the segments in flight; false when it cannot be made at all. */
  private start(): boolean {
    let worker: Worker;
    try {
      worker = new Worker(this.entry.file, {
        workerData: {
          ...this.setup,
          chunk: CHUNK,
          ...(this.pipelined && { routeOnly: true }),
        } satisfies WorkerSetup,
        // Not the host process's options: a program run with `--input-type` or `--eval` (a
        // library caller) would have every worker refuse to start, and its preloads
        // (`--require`, `--import`) are not the worker's business.
        execArgv: this.entry.execArgv ?? [],
        stdout: false,
        stderr: false,
        // A worker's garbage is mostly the short-lived trees of the file in hand: a small young
        // generation collects it sooner. Measured on the benchmark tree: peak RSS of the run
        // 440-470 -> 350-380 MiB, CPU time the same or lower. A worker that parses keeps its old
        // space (a cap there cost seconds of GC and ran out on large bundles). The pipeline's
        // worker only reads and filters, and holds about 20 MB (the TypeScript compiler, a
        // segment's memos): a cap makes V8 grow its heap by less than the 4x it allows a large
        // one before collecting. 16 copies of the benchmark's first slice (250,000 files): peak
        // RSS 278 -> 235 MiB, same wall and CPU time; the whole tree: the same time, -10 MiB.
        resourceLimits: {
          maxYoungGenerationSizeMb: 8,
          ...(this.pipelined && { maxOldGenerationSizeMb: ROUTING_WORKER_OLD_SPACE_MB }),
        },
      });
    } catch (e) {
      this.seen.failure ??= e instanceof Error ? e.message : String(e);
      return false;
    }
    this.live.add(worker);
    for (const segment of this.inFlight.values()) this.post(worker, segment);
    // Each chunk is its own message, so that the main thread reads a pipeline's kept files
    // chunk by chunk and returns to the event loop in between; the worker never waits for it.
    worker.on('message', (m: WorkerMessage) => {
      const segment = this.inFlight.get(m.segment);
      if (!segment) return;
      if ('done' in m) {
        segment.busy.delete(worker);
        this.settle(segment);
        return;
      }
      this.seen.posted = true;
      const start = performance.now();
      m.outcomes.forEach((o, k) => {
        const index = m.from + k;
        this.record(
          segment,
          index,
          segment.pipeline ? segment.pipeline.readKept(index, o) : (o as FileOutcome),
        );
      });
      segment.pace.received++;
      segment.pace.workerMs += m.ms;
      segment.pace.mainMs += performance.now() - start;
      segment.pace.wake();
    });
    let failed = false;
    worker.on('error', (e) => {
      failed = true;
      this.seen.failure ??= e.message;
    });
    worker.on('exit', (code) => {
      if (!this.live.delete(worker)) return; // closed
      if (code !== 0 || failed) this.seen.failure ??= `exit code ${code}`;
      // The files it had taken and not posted (the one it died on too) are left to the caller;
      // the rest of its segments to a new worker.
      const left = [...this.inFlight.values()].filter((segment) => segment.busy.delete(worker));
      if (
        left.some((segment) => Atomics.load(segment.next, 0) < segment.files.length) &&
        this.restarts < MAX_RESTARTS
      ) {
        this.restarts++;
        this.start();
      }
      for (const segment of left) this.settle(segment);
    });
    return true;
  }
}

/** Chunks the pipeline's main thread routes at most between two returns to the event loop. */
const YIELD_EVERY = 16;

/** How the pipeline's two threads keep up with each other. */
interface Pace {
  /** Time the worker spent routing the chunks it posted. */
  workerMs: number;
  /** Time the main thread spent reading the files kept in those chunks. */
  mainMs: number;
  /** Chunks received from the worker. */
  received: number;
  /** Workers running. */
  live: number;
  /** Wakes the main thread when a chunk comes in or a worker ends. */
  wake(): void;
}

/**
 * The pipeline's main thread, between the chunks the worker posts: takes the next chunk from
 * the shared counter and routes it here, when that pays. It pays while the worker starts and
 * when reading what the worker keeps takes the main thread less time than the routing took the
 * worker (a tree that keeps few files): the main thread would otherwise wait. It does not when
 * reading takes longer (the main thread is the slower stage; routing here would only add to
 * it). Before each chunk, a chunk the worker has posted is read first: the main thread returns
 * to the event loop, which delivers it, and only then (a turn of the event loop for nothing
 * costs a system call, and on a loaded machine often the rest of the time slice). With no
 * worker left (one died, none started), the main thread routes what is left. Returns the number
 * of files routed here.
 */
async function helpRoute(
  counter: Int32Array,
  total: number,
  pace: Pace,
  workerRoutes: boolean,
  routeHere: (index: number) => void,
): Promise<number> {
  let routed = 0;
  for (let turn = 1; ; turn++) {
    // Now and then all the same: a worker that failed to start or died is seen (its error is
    // an event too), for the warning that says why the run was slow.
    if (Atomics.load(counter, 1) > pace.received || turn % YIELD_EVERY === 0)
      await new Promise<void>((resolve) => setImmediate(resolve));
    if (Atomics.load(counter, 0) >= total) return routed;
    if (pace.live > 0 && (workerRoutes || (pace.workerMs > 0 && pace.mainMs >= pace.workerMs))) {
      // Waits for the next chunk or the worker's end, without spinning.
      await new Promise<void>((resolve) => (pace.wake = resolve));
      continue;
    }
    const from = Atomics.add(counter, 0, CHUNK);
    if (from >= total) return routed;
    const to = Math.min(from + CHUNK, total);
    for (let i = from; i < to; i++) routeHere(i);
    routed += to - from;
  }
}
