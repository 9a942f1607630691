/**
 * The pipeline: discover and read, a segment of the walk at a time (segments.ts: per-language
 * readers, in worker threads where they pay) → load certificate material → rules → suppress →
 * sort, de-duplicate, fingerprint.
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
import type { LanguageReader, ReadResult } from '../languages/reader.js';
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
import { treeBoundaries, walkFiles, type Exclusion } from './discover.js';
import { fingerprintOf } from './fingerprint.js';
import { judgeContexts, relativizeMessage } from './judge.js';
import { loadMaterial } from './material.js';
import { readContextFor, type ReadSettings, type RouteOptions } from './route.js';
import { SourceCache, DEFAULT_MAX_FILE_BYTES } from './source-cache.js';
import { ReadingPool, workerCount } from './workers/pool.js';
import { Sessions } from './workers/protocol.js';
import {
  joinPerFile,
  readSafely,
  SEGMENT_FILES,
  segmentsOf,
  startSegment,
  type RunState,
  type SegmentSetting,
  type StartedSegment,
} from './segments.js';
import { parseSuppressions, type Suppressions } from './suppress.js';

export { relativePath };

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
  // that reads its files together, and each per-file reader's results (see `startSegment`).
  const run: RunState = {
    claimed: new Map(),
    perFileReads: new Map(),
    readApart: new Map(),
    found: 0,
    read: 0,
    walked: false,
    linted: 0,
    readInWorkerThreads: 0,
    poolable: 0,
    explicit: new Set(),
    roots: new Set(),
  };
  const inputs = options.paths.map((p) => path.resolve(cwd, p));
  let readTogether: Map<LanguageReader, Promise<ReadResult>> | undefined;
  let pool: ReadingPool | undefined;
  const setting: SegmentSetting = {
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
  };
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
      const started = startSegment(files, last, setting);
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
