/**
 * The pipeline: discover → read (per-language readers) → load certificate material → rules →
 * suppress → sort, de-duplicate, fingerprint.
 */
import path from 'node:path';
import { RULES } from '../../rules/index.js';
import type { ProjectConfig } from '../config/config-file.js';
import { DEFAULT_POLICY, type Policy } from '../config/policy.js';
import type { TargetPlatform, Targets } from '../config/targets.js';
import {
  DEFAULT_TEST_MODE,
  classifiedPath,
  isTestPath,
  type TestMode,
} from '../config/test-code.js';
import { READERS } from '../languages/index.js';
import type {
  LanguageReader,
  PerFileReading,
  ReadContext,
  ReadResult,
  SourceFile,
} from '../languages/reader.js';
import type { TlsContext } from '../model/context.js';
import {
  groupNotices,
  severityRank,
  type Finding,
  type LintError,
  type LintNotice,
  type Severity,
} from '../model/finding.js';
import { compareRanges, relativePath } from '../model/location.js';
import { treeBoundaries, walkFiles, type DiscoveredFile, type Exclusion } from './discover.js';
import { fingerprintOf } from './fingerprint.js';
import { judgeContexts, relativizeMessage } from './judge.js';
import { loadMaterial } from './material.js';
import {
  candidatesFor,
  type Candidates,
  internalError,
  prefilterContextFor,
  readContextFor,
  routeFile,
  type ReadSettings,
  type RouteOptions,
  type Routed,
} from './route.js';
import { SourceCache, DEFAULT_MAX_FILE_BYTES, rawPathOf } from './source-cache.js';
import { ReadingPool, workerCount, type Pipeline } from './workers/pool.js';
import {
  routedOutcome,
  Sessions,
  type FileOutcome,
  type ReaderOutcome,
} from './workers/protocol.js';
import { parseSuppressions, type Suppressions } from './suppress.js';

export { relativePath };

/** A file whose candidate readers were not asked for yet (see `lint`). */
const NOT_ASKED = 0xffff;

export interface LintOptions {
  paths: readonly string[];
  cwd?: string;
  policy?: Partial<Policy>;
  /** `--target` values. */
  targets?: ReadonlyMap<TargetPlatform, string>;
  /** Only these rules (by id); all when undefined. */
  rules?: readonly string[];
  maxFileBytes?: number;
  readers?: readonly LanguageReader[];
  /** Read files outside the linted tree (includes, certificates, project metadata); see discover.ts `treeBoundaries`. */
  followOutside?: boolean;
  /** Paths left out (`--exclude`, the config's `ignore`), for files named explicitly too. */
  exclusions?: readonly Exclusion[];
  /** How findings in test, example and benchmark code are reported (default `info`). */
  tests?: TestMode;
  /** The project config file: per-rule and per-folder levels (the caller applies its policy and targets). */
  config?: ProjectConfig;
  /**
   * Called as files are read, then as the readers finish analysing them. While the reading is
   * still walking the tree, the total is not known yet: undefined.
   */
  onProgress?(phase: 'read' | 'analyse', done: number, total: number | undefined): void;
  /**
   * A tsconfig.json/jsconfig.json (or its folder) for values across modules; by default the
   * nearest one; `false`: values imported from other modules stay unknown.
   */
  project?: string | false;
  /**
   * Files named explicitly that no reader handles are skipped silently (pre-commit passes every
   * staged file) instead of being errors (`tls-lint notes.txt` must not print ✔).
   */
  ignoreUnknown?: boolean;
  /** Lint minified/generated bundles found in a tree walk too (see minified.ts); named files always are. */
  includeMinified?: boolean;
  /**
   * Worker threads that read JS/TS files: 0 reads everything on the main thread; 1 reads and
   * filters them in one worker while the main thread parses the files kept (a pipeline); 2 or
   * more read, filter and parse a share each. Default: the `TLS_LINT_WORKERS` environment
   * variable, else, on a tree with enough such files, 2 on a machine with four cores or more and
   * 1 below (see workers/pool.ts `workerCount`). The results are the same either way, in the
   * same order.
   */
  workers?: number;
  /** @internal Tests only: a worker dies when it comes to this file. */
  workerFaultOn?: string;
  /** @internal Tests only: with one worker, it routes every file it can (see pool.ts helpRoute). */
  workerRoutesAll?: boolean;
  /** @internal Tests only: files per segment of the walk (see {@link SEGMENT_FILES}). */
  segmentFiles?: number;
}

export interface LintResult {
  findings: Finding[];
  errors: LintError[];
  contexts: TlsContext[];
  /** Number of files some reader handled. */
  filesLinted: number;
  /** Files read in worker threads (see `LintOptions.workers`). */
  readInWorkerThreads: number;
  /** Files found but not linted: no reader handles them, binary or over the size cap, or excluded. */
  filesSkipped: number;
  /** Findings in test code: how many (including skipped ones), in how many files, and how they were reported. */
  testCode: { findings: number; files: number; skipped: number };
  /** Paths given by the user that do not exist (a usage error: exit code 2). */
  missingPaths: string[];
  /** How files were judged, when the user should know (e.g. an nginx fragment). */
  notices: LintNotice[];
  /** Text of the files with findings (and of files read on demand), for code frames. */
  sources: SourceCache;
  cwd: string;
  /** The targets in force for a file (`--target`, else detected, else assumed); may be detached. */
  targetsFor: (file: string) => Targets;
}

export async function lint(options: LintOptions): Promise<LintResult> {
  const cwd = options.cwd ?? process.cwd();
  const policy: Policy = { ...DEFAULT_POLICY, ...options.policy };
  const sources = new SourceCache({
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    ...(!options.followOutside && { boundaries: treeBoundaries(options.paths, cwd) }),
  });
  const readers = options.readers ?? READERS;
  const errors: LintError[] = [];
  const notices: LintNotice[] = [];

  const walk = walkFiles(options.paths, cwd, (p) => sources.readSource(p), options.exclusions);

  // Route files to readers: the path pre-filter first, then the reader's own look at the text.
  // Files only per-file readers take (JS/TS) are read in worker threads when there are enough of
  // them to pay for starting the workers (or only routed there, and read here: the pipeline);
  // the rest here, meanwhile.
  const route: RouteOptions = {
    ...(options.ignoreUnknown && { ignoreUnknown: true }),
    ...(options.includeMinified && { includeMinified: true }),
  };
  const readSettings: ReadSettings = {
    cwd,
    policy,
    ...(options.targets && { targets: options.targets }),
    ...(options.project !== undefined && {
      project: options.project === false ? false : path.resolve(cwd, options.project),
    }),
  };
  const readContext = readContextFor(sources, readSettings);

  const sessions = new Sessions(readContext);

  // What the segments leave for the rest of the run, in file order: the files of each reader
  // that reads its files together, and each per-file reader's results (see `readSegment`).
  const run: RunState = {
    claimed: new Map(),
    perFileReads: new Map(),
    readApart: new Map(),
    found: 0,
    linted: 0,
    readInWorkerThreads: 0,
    poolable: 0,
    explicit: new Set(),
    roots: new Set(),
  };
  const inputs = options.paths.map((p) => path.resolve(cwd, p));
  let readTogether: Map<LanguageReader, Promise<ReadResult>> | undefined;
  let pool: ReadingPool | undefined;
  let finished = false;
  let inFlight: StartedSegment | undefined;
  try {
    for (const { files, last } of segmentsOf(walk.files, options.segmentFiles ?? SEGMENT_FILES)) {
      run.found += files.length;
      for (const file of files) {
        if (file.explicit) run.explicit.add(file.path);
        else
          for (const input of inputs)
            if (!run.roots.has(input) && file.path.startsWith(input + path.sep))
              run.roots.add(input);
      }
      const started = startSegment(files, last, {
        run,
        readers,
        options,
        sources,
        route,
        readSettings,
        readContext,
        sessions,
        errors,
        notices,
        pool: (poolable) => {
          // Once the tree has shown enough files for the workers to pay, they start, and read
          // every later segment too.
          if (pool || poolable === 0) return pool;
          const count = workerCount(options.workers, poolable);
          if (count === 0) return undefined;
          return (pool = new ReadingPool(
            count,
            {
              maxFileBytes: sources.maxFileBytes,
              ...(sources.boundaries && { boundaries: sources.boundaries }),
              route,
              read: readSettings,
              ...(options.workerFaultOn !== undefined && { faultOn: options.workerFaultOn }),
            },
            count === 1,
          ));
        },
      });
      // The next segment is posted to the workers before this one is finished: a worker that
      // is done with one takes the next at once, while the main thread catches up.
      readTogether ??= (await inFlight?.finish())?.readTogether;
      inFlight = started;
    }
    readTogether ??= (await inFlight?.finish())?.readTogether;
    finished = true;
  } finally {
    // As soon as the segments are read (their memory is not needed for the rest of the run),
    // and whatever happened: a worker left running would keep the process alive.
    pool?.close(!finished);
  }
  // What the walk found besides the files, first, as when the walk came before the reading.
  const { excluded, missing } = walk.found;
  errors.unshift(
    ...walk.found.errors,
    ...missing.map(
      (m): LintError => ({
        file: path.resolve(cwd, m),
        kind: 'missing',
        message: 'No such file or directory',
      }),
    ),
  );
  notices.unshift(...walk.found.notices);
  const { claimed, perFileReads, linted: filesLinted, readInWorkerThreads } = run;

  const contexts: TlsContext[] = [];
  let analysed = 0;
  for (const [reader, list] of claimed) {
    const reads = perFileReads.get(reader);
    const result = reads
      ? joinPerFile(reader.perFile!, reads)
      : (run.readApart.get(reader) ??
        (await (readTogether?.get(reader) ?? readSafely(reader, list, readContext))));
    analysed += reads ? reads.length : list.length;
    options.onProgress?.('analyse', Math.min(analysed, filesLinted), filesLinted);
    contexts.push(...result.contexts);
    errors.push(...result.errors);
    notices.push(...(result.notices ?? []));
  }
  const targetsFor = (file: string): Targets => readContext.targetsFor(file);

  loadMaterial(contexts, sources, cwd, errors, notices);

  const rules = options.rules ? RULES.filter((r) => options.rules!.includes(r.meta.id)) : RULES;
  const judged = judgeContexts(contexts, { rules, policy, targetsFor });
  const raw: Finding[] = judged.findings;
  errors.push(...judged.errors);

  const roots = inputs.filter((p) => run.roots.has(p));
  const rootOf = (file: string) =>
    roots.filter((r) => file.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0];
  const explicit = run.explicit;
  const adjusted = applyProjectSettings(finalize(raw, sources, cwd), {
    config: options.config,
    tests: options.tests,
    isTest: (file) =>
      isTestPath(classifiedPath(file, explicit.has(file) ? undefined : rootOf(file), cwd)),
  });
  const findings = adjusted.findings;
  errors.sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0),
  );
  const filesSkipped = run.found - filesLinted + excluded.length;
  return {
    findings,
    errors,
    contexts,
    filesLinted,
    filesSkipped,
    readInWorkerThreads,
    testCode: adjusted.testCode,
    missingPaths: [...missing],
    notices: groupNotices(notices),
    sources,
    cwd,
    targetsFor,
  };
}

/**
 * Files a run takes from the walk at a time. A segment is walked, routed, read and put in file
 * order before the next is walked, so that a run holds the list (and the per-file bookkeeping)
 * of one segment (two while the next is posted), not of the whole tree, and what it remembers
 * of other files (failed reads, the prefilter's look at imported modules) lasts a segment: the
 * memory a run holds stays the same as the tree grows. The workers stay up from one segment to
 * the next, and are posted the next before they finish one. Measured on bench/lint-bench.mjs's
 * tree (35,000 files, 3 segments), 7 alternating pairs: 1.88 s against 1.87 s in one segment;
 * 16 copies of its first 15,000 files: 267 against 404 MiB peak RSS (and faster).
 */
const SEGMENT_FILES = 16_384;

/** The walk's files, `size` at a time; `last` on the final segment (an empty one for none). */
function* segmentsOf(
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
interface RunState {
  /** The files of each reader that reads them together, in file order (per-file readers: []). */
  claimed: Map<LanguageReader, SourceFile[]>;
  /** Each per-file reader's results, file by file in file order. */
  perFileReads: Map<LanguageReader, ReaderOutcome[]>;
  /** Each `readsFilesApart` reader's results, segment after segment. */
  readApart: Map<LanguageReader, Required<ReadResult>>;
  /** Files the walk found, files linted, files read in worker threads. */
  found: number;
  linted: number;
  readInWorkerThreads: number;
  /** Files so far that worker threads may read (those only per-file readers claim by name). */
  poolable: number;
  /** Files named on the command line. */
  explicit: Set<string>;
  /** The folders named on the command line that held a walked file. */
  roots: Set<string>;
}

interface SegmentSetting {
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
function startSegment(
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
        return c.length > 0 && c.every((r) => r.perFile) ? [i] : [];
      });
  run.poolable += poolable.length;
  const pool = poolable.length > 0 ? at.pool(run.poolable) : undefined;
  const firstOfSegment = run.found - files.length;
  let filesRead = 0;
  const progress = () =>
    options.onProgress?.('read', firstOfSegment + ++filesRead, last ? run.found : undefined);
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
  // Readers that read each file apart (Markdown, package.json) have the segment's files now: no
  // worker routes a file they claim. Read them while the worker goes on routing, rather than
  // alone on the main thread once it is done (on the benchmark tree they took the last 140 ms of
  // the run that way), and keep none of their texts past the segment.
  const readApart = readApartNow(routedHere, at.readContext);
  return { finish };

  /** Once the segments before are finished: the segment's outcomes, in file order, into the run. */
  async function finish(): Promise<{ readTogether?: Map<LanguageReader, Promise<ReadResult>> }> {
    // The readers that read their files together have them all on the last segment: they read
    // while the workers finish it.
    const readTogether =
      last && pooled ? readTogetherNow(run.claimed, routedHere, at.readContext) : undefined;
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
        const perFile = routed.readers.filter((r) => r.perFile);
        outcome = {
          ...routedOutcome(routed),
          reads: routed.source && perFile.length ? sessions.read(perFile, routed.source) : [],
        };
        for (const reader of routed.readers) {
          if (reader.perFile) continue;
          if (!reader.readsFilesApart) appendTo(run.claimed, reader, routed.source!);
          else if (!run.claimed.has(reader)) run.claimed.set(reader, []);
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
      const r = await reading;
      const into = run.readApart.get(reader);
      if (!into)
        run.readApart.set(reader, {
          contexts: r.contexts,
          errors: r.errors,
          notices: r.notices ?? [],
        });
      else {
        into.contexts.push(...r.contexts);
        into.errors.push(...r.errors);
        into.notices.push(...(r.notices ?? []));
      }
    }
    return readTogether ? { readTogether } : {};
  }
}

/** A segment whose reading has started (see {@link startSegment}). */
interface StartedSegment {
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
function joinPerFile(perFile: PerFileReading, reads: readonly ReaderOutcome[]): ReadResult {
  const contexts: TlsContext[] = [];
  const out: ReadResult = { contexts, errors: [], notices: [] };
  for (const r of reads) {
    contexts.push(...r.contexts);
    out.errors.push(...r.errors);
    out.notices!.push(...r.notices);
  }
  out.contexts = perFile.join(contexts);
  return out;
}

/** Adds `item` to the list of `key`, made on first use. */
function appendTo<K, V>(lists: Map<K, V[]>, key: K, item: V): void {
  const list = lists.get(key);
  if (list) list.push(item);
  else lists.set(key, [item]);
}

/**
 * Starts each reader that reads its files together, in file order: those of the segments before
 * (`claimed`), then those of the last segment routed on this thread; the lists the run would
 * hand it once the workers are done (their files are never routed by a worker, which takes only
 * the files of per-file readers).
 */
function readTogetherNow(
  claimed: ReadonlyMap<LanguageReader, readonly SourceFile[]>,
  routedHere: ReadonlyArray<Routed | undefined>,
  ctx: ReadContext,
): Map<LanguageReader, Promise<ReadResult>> {
  const lists = new Map<LanguageReader, SourceFile[]>();
  for (const [reader, list] of claimed) if (readsTogether(reader)) lists.set(reader, [...list]);
  for (const routed of routedHere)
    for (const reader of routed?.readers ?? [])
      if (readsTogether(reader)) appendTo(lists, reader, routed!.source!);
  const started = new Map<LanguageReader, Promise<ReadResult>>();
  for (const [reader, list] of lists) started.set(reader, readSafely(reader, list, ctx));
  return started;
}

/** A reader that needs all its files of the run at once (nginx includes, a Go package). */
function readsTogether(reader: LanguageReader): boolean {
  return !reader.perFile && !reader.readsFilesApart;
}

/**
 * Starts each reader that reads files apart on the segment's files routed on this thread, in
 * file order, while the workers go on with the segment.
 */
function readApartNow(
  routedHere: ReadonlyArray<Routed | undefined>,
  ctx: ReadContext,
): Map<LanguageReader, Promise<ReadResult>> {
  const lists = new Map<LanguageReader, SourceFile[]>();
  for (const routed of routedHere)
    for (const reader of routed?.readers ?? [])
      if (reader.readsFilesApart && !reader.perFile) appendTo(lists, reader, routed!.source!);
  const started = new Map<LanguageReader, Promise<ReadResult>>();
  for (const [reader, list] of lists) started.set(reader, readSafely(reader, list, ctx));
  return started;
}

/**
 * Runs a reader over its files. When it throws, each file is read again on its own, so that one
 * hostile file costs only its own findings (and is reported as an internal error), never those of
 * the other files.
 */
async function readSafely(
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
  const out: ReadResult = { contexts: [], errors: [], notices: [] };
  for (const file of list) {
    try {
      const r = await reader.read([file], ctx);
      out.contexts.push(...r.contexts);
      out.errors.push(...r.errors);
      out.notices!.push(...(r.notices ?? []));
    } catch (e) {
      out.errors.push(internalError(reader, file.path, e));
    }
  }
  return out;
}

/**
 * The project's settings over fingerprinted findings (fingerprints do not depend on them): the
 * config's level per rule and folder ("off" drops), then test code marked `context: "test"` and
 * lowered to info or dropped.
 */
function applyProjectSettings(
  findings: Finding[],
  settings: {
    config: ProjectConfig | undefined;
    tests: TestMode | undefined;
    isTest(file: string): boolean;
  },
): { findings: Finding[]; testCode: LintResult['testCode'] } {
  const out: Finding[] = [];
  const testFiles = new Set<string>();
  let testFindings = 0;
  let skipped = 0;
  const isTest = new Map<string, boolean>();
  for (const f of findings) {
    const level = settings.config?.levelFor(f.at.file, f.ruleId);
    if (level === 'off') continue;
    if (level) f.severity = level;
    let test = isTest.get(f.at.file);
    if (test === undefined) isTest.set(f.at.file, (test = settings.isTest(f.at.file)));
    if (test) {
      // The command line wins over the file; the file's folder settings over its top level.
      const mode = settings.tests ?? settings.config?.testsFor(f.at.file) ?? DEFAULT_TEST_MODE;
      testFindings++;
      testFiles.add(f.at.file);
      if (mode === 'skip') {
        skipped++;
        continue;
      }
      f.context = 'test';
      if (mode === 'info') f.severity = 'info';
    }
    out.push(f);
  }
  return { findings: out, testCode: { findings: testFindings, files: testFiles.size, skipped } };
}

/** Suppress, de-duplicate, sort and fingerprint. */
function finalize(raw: Finding[], sources: SourceCache, cwd: string): Finding[] {
  const suppressionsByFile = new Map<string, Suppressions>();
  const suppressionsFor = (file: string): Suppressions => {
    let s = suppressionsByFile.get(file);
    if (!s) {
      // Read again (and cached for the report's code frames): only files with findings.
      s = parseSuppressions(sources.readText(file) ?? '');
      suppressionsByFile.set(file, s);
    }
    return s;
  };

  const seen = new Map<string, Finding>();
  const kept: Finding[] = [];
  for (const f of raw) {
    if (suppressionsFor(f.at.file).isSuppressed(f.ruleId, f.at.line)) continue;
    Object.assign(f, relativizeMessage(f, cwd));
    const key = `${f.ruleId}\0${f.at.file}\0${f.at.line}\0${f.at.column}\0${f.at.endLine}\0${f.at.endColumn}\0${f.message}`;
    const first = seen.get(key);
    if (first) {
      // One finding for a setting several contexts share (http{}-level); it keeps them all.
      if (f.contextId !== undefined && first.contextIds && !first.contextIds.includes(f.contextId))
        first.contextIds.push(f.contextId);
      continue;
    }
    // A platform default's finding already names every context that relies on it (judge.ts).
    if (f.contextId !== undefined) f.contextIds ??= [f.contextId];
    seen.set(key, f);
    kept.push(f);
  }
  kept.sort(
    (a, b) =>
      compareRanges(a.at, b.at) ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
      (a.message < b.message ? -1 : 1),
  );

  const occurrences = new Map<string, number>();
  const linesByFile = new Map<string, string[]>();
  for (const f of kept) {
    const rel = relativePath(cwd, f.at.file);
    let lines = linesByFile.get(f.at.file);
    if (!lines) {
      lines = (sources.readText(f.at.file) ?? '').split(/\r?\n/);
      linesByFile.set(f.at.file, lines);
    }
    const lineText = lines[f.at.line - 1] ?? '';
    const base = `${f.ruleId}\0${rel}\0${lineText.trim()}`;
    const n = occurrences.get(base) ?? 0;
    occurrences.set(base, n + 1);
    f.fingerprint = fingerprintOf(f.ruleId, rel, lineText, n);
  }
  return kept;
}

/** Whether the findings should fail the run (exit code 1). */
export function exceedsThreshold(
  findings: readonly Finding[],
  failOn: Severity,
  maxWarnings: number | undefined,
): boolean {
  if (findings.some((f) => f.severity === 'error' && severityRank('error') >= severityRank(failOn)))
    return true;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (maxWarnings !== undefined) {
    if (warnings > maxWarnings) return true;
  } else if (warnings > 0 && severityRank('warning') >= severityRank(failOn)) {
    return true;
  }
  const infos = findings.filter((f) => f.severity === 'info').length;
  return infos > 0 && severityRank('info') >= severityRank(failOn);
}
