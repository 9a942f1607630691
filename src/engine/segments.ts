/**
 * A run's reading, a segment of the walk at a time (see {@link SEGMENT_FILES}): routing each
 * file to the readers that claim it, in worker threads where they pay, and putting what each
 * gives into the run in file order.
 */
import type {
  LanguageReader,
  PerFileReading,
  ReadContext,
  ReadResult,
  SourceFile,
} from '../languages/reader.js';
import type { LintError, LintNotice } from '../model/finding.js';
import type { DiscoveredFile } from './discover.js';
import type { LintOptions } from './lint.js';
import {
  candidatesFor,
  type Candidates,
  internalError,
  prefilterContextFor,
  routeFile,
  type ReadSettings,
  type RouteOptions,
  type Routed,
} from './route.js';
import { rawPathOf, type SourceCache } from './source-cache.js';
import type { Pipeline, ReadingPool } from './workers/pool.js';
import {
  routedOutcome,
  type FileOutcome,
  type ReaderOutcome,
  type Sessions,
} from './workers/protocol.js';

/** A file whose candidate readers were not asked for yet (see `startSegment`). */
const NOT_ASKED = 0xffff;

/**
 * Files a run takes from the walk at a time. A segment is walked, routed, read and put in file
 * order before the next is walked, so that a run holds the list (and the per-file bookkeeping)
 * of one segment (two while the next is posted), not of the whole tree, and what it remembers
 * of other files (failed reads, the prefilter's look at imported modules) lasts a segment: the
 * memory a run holds stays the same as the tree grows. The workers stay up from one segment to
 * the next, and are posted the next before they finish one. Measured on bench/lint-bench.mjs's
 * tree (35,000 files, 3 segments), 7 alternating pairs: 1.88 s against 1.87 s before segments;
 * 32 copies of its first 15,600 files (500,000 files): 248-259 against 607 MiB peak RSS, 6.4
 * against 7.7 s. Segments of 8,192 files cost the tree 0.1 s more (before the next segment was
 * posted early).
 */
export const SEGMENT_FILES = 16_384;

/** The walk's files, `size` at a time; `last` on the final segment (an empty one for none). */
export function* segmentsOf(
  files: Iterator<DiscoveredFile>,
  size: number,
): Generator<{ files: DiscoveredFile[]; last: boolean }> {
  let next = files.next();
  for (;;) {
    const segment: DiscoveredFile[] = [];
    while (!next.done && segment.length < size) {
      segment.push(next.value);
      next = files.next();
    }
    yield { files: segment, last: next.done === true };
    if (next.done) return;
  }
}

/** What a run keeps from segment to segment (see {@link SEGMENT_FILES}). */
export interface RunState {
  /**
   * The files of each reader that reads them together, in file order; [] for the others, so
   * that the readers keep the order of their first file.
   */
  claimed: Map<LanguageReader, SourceFile[]>;
  /** Each per-file reader's results, file by file in file order. */
  perFileReads: Map<LanguageReader, ReaderOutcome[]>;
  /** Each `readsFilesApart` reader's results, segment after segment. */
  readApart: Map<LanguageReader, Required<ReadResult>>;
  /** Files the walk found, files read so far, files linted, files read in worker threads. */
  found: number;
  read: number;
  linted: number;
  readInWorkerThreads: number;
  /** Files so far that worker threads may read (those only per-file readers claim by name). */
  poolable: number;
  /** Whether the walk is over (the last segment has started). */
  walked: boolean;
  /** Files named on the command line. */
  explicit: Set<string>;
  /** The folders named on the command line that held a walked file. */
  roots: Set<string>;
}

export interface SegmentSetting {
  run: RunState;
  readers: readonly LanguageReader[];
  options: LintOptions;
  sources: SourceCache;
  route: RouteOptions;
  readSettings: ReadSettings;
  readContext: ReadContext;
  sessions: Sessions;
  errors: LintError[];
  notices: LintNotice[];
  /** The run's workers, started when the files so far pay for them. */
  pool(poolable: number): ReadingPool | undefined;
}

/**
 * Starts one segment of the walk: posts its files to the workers, routes the others here and
 * starts the readers that read files apart on them. `finish`, once the segments before are
 * finished, puts what the segment gives in file order into the run; on the last, it first starts
 * the readers that read their files together, while the workers still read (they have all their
 * files then: no worker takes one).
 */
export function startSegment(
  files: readonly DiscoveredFile[],
  last: boolean,
  at: SegmentSetting,
): StartedSegment {
  const { run, readers, options, sources, route, sessions } = at;
  // What the prefilter and the reads remember of other files lasts a segment: what a run keeps
  // stays the same as the tree grows (the walk goes folder by folder: a module imported from
  // the whole tree is only looked at again, once a segment).
  sources.forgetFailures();
  const prefilterContext = prefilterContextFor(sources, at.readSettings);
  // A file's candidate readers (a test of its name by each reader: 54 ms for the 35,332 files of
  // the benchmark tree) are asked for once, and kept as a bit per reader, not as a list per file.
  const candidateBits =
    readers.length < 16 ? new Uint16Array(files.length).fill(NOT_ASKED) : undefined;
  const candidates = (i: number): Candidates => {
    const file = files[i]!;
    const bits = candidateBits?.[i];
    if (bits === undefined || file.explicit) return candidatesFor(file, readers);
    if (bits !== NOT_ASKED)
      return { readers: readers.filter((_, j) => bits & (1 << j)), unknownName: bits === 0 };
    const asked = candidatesFor(file, readers);
    candidateBits![i] = asked.readers.reduce((b, r) => b | (1 << readers.indexOf(r)), 0);
    return asked;
  };
  // Custom readers (tests, library callers) cannot be sent to a worker: the registry's only.
  const poolable = options.readers
    ? []
    : files.flatMap((_, i) => {
        const c = candidates(i).readers;
        return c.length > 0 && c.every((r) => readingOf(r) === 'per file') ? [i] : [];
      });
  run.poolable += poolable.length;
  const pool = poolable.length > 0 ? at.pool(run.poolable) : undefined;
  // Files read so far in the run, whichever segment (the next one starts before this one is
  // done); the total once the walk is over.
  if (last) run.walked = true;
  const progress = () =>
    options.onProgress?.('read', ++run.read, run.walked ? run.found : undefined);
  // The pipeline's main thread: reads the files the worker routed and kept, with the readers
  // that kept them, and routes and reads a chunk itself when it has nothing else to do.
  const pipeline: Pipeline = {
    readKept: (k, routed) => {
      const file = files[poolable[k]!]!;
      const { keep, ...outcome } = routed;
      const reads = keep
        ? sessions.read(
            keep.readers.map((id) => readers.find((r) => r.id === id)!),
            { path: file.path, text: keep.text, explicit: file.explicit },
          )
        : [];
      return { ...outcome, reads };
    },
    routeHere: (k) => {
      const i = poolable[k]!;
      return sessions.outcomeOf(
        routeFile(files[i]!, candidates(i), sources, route, prefilterContext),
      );
    },
    ...(options.workerRoutesAll && { workerRoutes: true }),
  };
  const pooled = pool?.read(
    // The run's own objects (no copy per file kept while the pool runs), but for a name that is
    // not UTF-8, which the worker opens by its bytes.
    poolable.map((i) => {
      const f = files[i]!;
      const raw = rawPathOf(f.path);
      return raw ? { ...f, raw } : f;
    }),
    progress,
    pool.pipelined ? pipeline : undefined,
  );
  // A file's index among the pooled ones, -1 for the others.
  const poolIndex = new Int32Array(files.length).fill(-1);
  if (pooled) poolable.forEach((fileIndex, k) => (poolIndex[fileIndex] = k));
  const routedHere = new Array<Routed | undefined>(files.length);
  files.forEach((file, i) => {
    if (poolIndex[i] !== -1) return;
    progress();
    routedHere[i] = compactRouted(routeFile(file, candidates(i), sources, route, prefilterContext));
  });
  // Readers that read each file apart (Markdown, package.json, Envoy, Python) have the segment's
  // files now: no worker routes a file they claim. Read them while the worker goes on routing,
  // rather than alone on the main thread once it is done (on the benchmark tree they took the
  // last 140 ms of the run that way), and keep none of their texts past the segment.
  const readApart = startReading('apart', routedHere, at.readContext);
  return { finish };

  /** Once the segments before are finished: the segment's outcomes, in file order, into the run. */
  async function finish(): Promise<{ readTogether?: Map<LanguageReader, Promise<ReadResult>> }> {
    // The readers that read their files together have them all on the last segment: they read
    // while the workers finish it.
    const readTogether =
      last && pooled
        ? startReading('together', routedHere, at.readContext, run.claimed)
        : undefined;
    const pooledRun = pooled && (await pooled.done());

    // In file order, whichever thread read a file: its error, whether it counts as linted, and
    // the readers in the order of their first file. A per-file reader's files are all read per
    // file (here those no worker read), so its results join in file order.
    // Files the pipeline's main thread routed itself have outcomes too, but were not read there.
    run.readInWorkerThreads -= pooledRun?.routedHere ?? 0;
    files.forEach((file, i) => {
      const k = poolIndex[i] === -1 ? undefined : poolIndex[i];
      let outcome: FileOutcome | undefined = k === undefined ? undefined : pooledRun?.outcomes[k];
      if (outcome) run.readInWorkerThreads++;
      // Not read by a worker (one that died, or did not start): read here. The file a worker died
      // on too (out of memory on a huge bundle): here it has the main thread's whole heap, and a
      // fault that would end this process too ends it as it would without workers.
      const lostByPool = k !== undefined && !outcome;
      const routed = lostByPool
        ? routeFile(file, candidates(i), sources, route, prefilterContext)
        : routedHere[i];
      routedHere[i] = undefined;
      if (routed) {
        if (lostByPool) progress();
        const perFile = routed.readers.filter((r) => readingOf(r) === 'per file');
        outcome = {
          ...routedOutcome(routed),
          reads: routed.source && perFile.length ? sessions.read(perFile, routed.source) : [],
        };
        for (const reader of routed.readers) {
          const how = readingOf(reader);
          if (how === 'together') appendTo(run.claimed, reader, routed.source!);
          else if (how === 'apart' && !run.claimed.has(reader)) run.claimed.set(reader, []);
        }
      }
      if (!outcome) return;
      if (outcome.error) at.errors.push(outcome.error);
      if (outcome.notice) at.notices.push(outcome.notice);
      if (outcome.linted) run.linted++;
      for (const read of outcome.reads) {
        const reader = readers.find((r) => r.id === read.reader)!;
        reader.perFile!.restoreMarks(read.contexts, read.marks);
        appendTo(run.perFileReads, reader, read);
        if (!run.claimed.has(reader)) run.claimed.set(reader, []);
      }
    });
    for (const [reader, reading] of readApart) {
      let into = run.readApart.get(reader);
      if (!into) run.readApart.set(reader, (into = { contexts: [], errors: [], notices: [] }));
      addResult(into, await reading);
    }
    return readTogether ? { readTogether } : {};
  }
}

/** A segment whose reading has started (see {@link startSegment}). */
export interface StartedSegment {
  finish(): Promise<{ readTogether?: Map<LanguageReader, Promise<ReadResult>> }>;
}

/** What routing says of most files of a tree (no reader reads them, no error, no notice). */
const NOT_READ = {
  linted: Object.freeze<Routed>({ linted: true, readers: Object.freeze([]) as never }),
  skipped: Object.freeze<Routed>({ linted: false, readers: Object.freeze([]) as never }),
};

/**
 * A routed file as kept until the results are put in file order: one shared object for a file
 * no reader reads, so that the files a run drops cost it no object each.
 */
export function compactRouted(routed: Routed): Routed {
  if (routed.readers.length > 0 || routed.source || routed.error || routed.notice) return routed;
  return routed.linted ? NOT_READ.linted : NOT_READ.skipped;
}

/** A per-file reader's results, file by file in file order, joined as its `read` would. */
export function joinPerFile(perFile: PerFileReading, reads: readonly ReaderOutcome[]): ReadResult {
  const out: Required<ReadResult> = { contexts: [], errors: [], notices: [] };
  for (const r of reads) addResult(out, r);
  out.contexts = perFile.join(out.contexts);
  return out;
}

/** Adds `item` to the list of `key`, made on first use. */
function appendTo<K, V>(lists: Map<K, V[]>, key: K, item: V): void {
  const list = lists.get(key);
  if (list) list.push(item);
  else lists.set(key, [item]);
}

/**
 * How the engine reads a reader's files: one at a time, in any thread (`perFile`); a segment at
 * a time (`readsFilesApart`); or all of the run's at once, at its end (nginx includes, Go
 * packages).
 */
function readingOf(reader: LanguageReader): 'per file' | 'apart' | 'together' {
  return reader.perFile ? 'per file' : reader.readsFilesApart ? 'apart' : 'together';
}

/**
 * Starts each reader read `how` on its files, in file order: those of `before` (the segments
 * before, for the readers that read together), then the files routed on this thread.
 */
function startReading(
  how: 'apart' | 'together',
  routedHere: ReadonlyArray<Routed | undefined>,
  ctx: ReadContext,
  before: ReadonlyMap<LanguageReader, readonly SourceFile[]> = new Map(),
): Map<LanguageReader, Promise<ReadResult>> {
  const lists = new Map<LanguageReader, SourceFile[]>();
  for (const [reader, list] of before) if (readingOf(reader) === how) lists.set(reader, [...list]);
  for (const routed of routedHere)
    for (const reader of routed?.readers ?? [])
      if (readingOf(reader) === how) appendTo(lists, reader, routed!.source!);
  const started = new Map<LanguageReader, Promise<ReadResult>>();
  for (const [reader, list] of lists) started.set(reader, readSafely(reader, list, ctx));
  return started;
}

/** Adds what `r` read to `into`, after what is there. */
function addResult(into: Required<ReadResult>, r: ReadResult): void {
  into.contexts.push(...r.contexts);
  into.errors.push(...r.errors);
  into.notices.push(...(r.notices ?? []));
}

/**
 * Runs a reader over its files. When it throws, each file is read again on its own, so that one
 * hostile file costs only its own findings (and is reported as an internal error), never those of
 * the other files.
 */
export async function readSafely(
  reader: LanguageReader,
  list: SourceFile[],
  ctx: ReadContext,
): Promise<ReadResult> {
  try {
    return await reader.read(list, ctx);
  } catch (e) {
    if (list.length === 1)
      return { contexts: [], errors: [internalError(reader, list[0]!.path, e)] };
  }
  const out: Required<ReadResult> = { contexts: [], errors: [], notices: [] };
  for (const file of list) {
    try {
      addResult(out, await reader.read([file], ctx));
    } catch (e) {
      out.errors.push(internalError(reader, file.path, e));
    }
  }
  return out;
}
