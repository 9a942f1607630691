/**
 * The pipeline: discover → read (per-language readers) → load certificate material → rules →
 * suppress → sort, de-duplicate, fingerprint.
 */
import path from 'node:path';
import { RULES } from '../../rules/index.js';
import type { ProjectConfig } from '../config/config-file.js';
import { TargetDetector } from '../config/detect.js';
import { DEFAULT_POLICY, type Policy } from '../config/policy.js';
import { Targets, type TargetPlatform } from '../config/targets.js';
import {
  DEFAULT_TEST_MODE,
  classifiedPath,
  isTestPath,
  type TestMode,
} from '../config/test-code.js';
import { READERS } from '../languages/index.js';
import type {
  LanguageReader,
  PrefilterContext,
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
import { discoverFiles, treeBoundaries, type Exclusion } from './discover.js';
import { fingerprintOf } from './fingerprint.js';
import { judgeContexts, relativizeMessage } from './judge.js';
import { loadMaterial } from './material.js';
import { minifiedSkip } from './minified.js';
import {
  SourceCache,
  DEFAULT_MAX_FILE_BYTES,
  describeReadFailure,
  readFailureKind,
} from './source-cache.js';
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
  /** Called as files are read, then as the readers finish analysing them. */
  onProgress?(phase: 'read' | 'analyse', done: number, total: number): void;
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
}

export interface LintResult {
  findings: Finding[];
  errors: LintError[];
  contexts: TlsContext[];
  /** Number of files some reader handled. */
  filesLinted: number;
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

  const discovered = discoverFiles(
    options.paths,
    cwd,
    (p) => sources.readSource(p),
    options.exclusions,
  );
  const { files, missing } = discovered;
  errors.push(...discovered.errors);
  notices.push(...discovered.notices);
  for (const m of missing)
    errors.push({
      file: path.resolve(cwd, m),
      kind: 'missing',
      message: 'No such file or directory',
    });

  const project =
    options.project === undefined
      ? undefined
      : options.project === false
        ? false
        : path.resolve(cwd, options.project);
  // A prefilter may look at the modules a file imports; what it reads is not kept.
  const prefilterContext: PrefilterContext = {
    readText: (p) => {
      const r = sources.readSource(p, { keep: false });
      return r.ok ? r.text : undefined;
    },
    cwd,
    ...(project !== undefined && { project }),
  };
  // Route files to readers: the path pre-filter first, then the reader's own look at the text.
  const claimed = new Map<LanguageReader, SourceFile[]>();
  let filesLinted = 0;
  let filesRead = 0;
  for (const file of files) {
    options.onProgress?.('read', ++filesRead, files.length);
    const byPath = readers.filter((r) => r.matchesPath(file.path));
    // A file named explicitly whose name no reader knows is offered to the readers that
    // recognise their format by content (`tls-lint proxy.txt`).
    const unknownName = byPath.length === 0;
    const candidates =
      file.explicit && unknownName ? readers.filter((r) => r.claimsByContent) : byPath;
    if (candidates.length === 0) {
      if (file.explicit && !options.ignoreUnknown) errors.push(noReader(file.path));
      continue;
    }
    // Not cached: most files of a large tree are dropped by the prefilters, and most of the
    // others give no finding; the text of a file with findings is read again at the end (for
    // suppressions, fingerprints and code frames), so no text stays in memory for the whole run.
    const read = sources.readSource(file.path, { keep: false });
    if (!read.ok) {
      // Binaries and huge files are skipped silently in a tree walk (bundles, images); a file the
      // user named, a FIFO or device where a config was expected, or a file the run may not
      // read means a file that was not checked.
      const kind = readFailureKind(read.reason);
      const expected = !unknownName || !options.ignoreUnknown;
      if (
        kind &&
        ((file.explicit && expected) || kind === 'not-regular' || kind === 'unreadable')
      ) {
        errors.push({
          file: file.path,
          kind,
          message: `Not checked: ${describeReadFailure(read, sources.maxFileBytes)}`,
        });
      }
      continue;
    }
    const source: SourceFile = { path: file.path, text: read.text, explicit: file.explicit };
    let taken = false;
    let bundle = false;
    for (const reader of candidates) {
      if (!safeClaims(reader, source)) continue;
      taken = true;
      // Claimed, but it cannot hold a TLS setting: checked, and neither parsed nor kept.
      if (!safePrefilter(reader, source, prefilterContext)) continue;
      // A minified bundle in a tree walk: not parsed, named in the run's one notice about them.
      const skip = minifiedSkip(source, options);
      if (skip) {
        if (!bundle) notices.push(skip);
        bundle = true;
        continue;
      }
      const list = claimed.get(reader) ?? [];
      list.push(source);
      claimed.set(reader, list);
    }
    if (taken && !bundle) filesLinted++;
    // Recognised by name by a reader that judges by name (a Python file without TLS words):
    // read, nothing to check. Matched only by content-sniffing readers that all declined: no reader.
    else if (file.explicit && !options.ignoreUnknown && candidates.every((r) => r.claimsByContent))
      errors.push(noReader(file.path));
  }

  const baseTargets = new Targets(options.targets ?? new Map());
  const detector = new TargetDetector((p) => sources.readText(p));
  const targetsCache = new Map<string, Targets>();
  const targetsFor = (file: string): Targets => {
    const dir = path.dirname(file);
    let t = targetsCache.get(dir);
    if (!t) {
      t = baseTargets.withDetected(detector.forFile(file));
      targetsCache.set(dir, t);
    }
    return t;
  };
  const readContext: ReadContext = {
    targetsFor,
    policy,
    readFile: (p) => sources.readSource(p),
    readText: (p) => sources.readText(p),
    readBytes: (p) => sources.readBytes(p),
    cwd,
    ...(project !== undefined && { project }),
  };

  const contexts: TlsContext[] = [];
  let analysed = 0;
  for (const [reader, list] of claimed) {
    const result = await readSafely(reader, list, readContext);
    options.onProgress?.('analyse', Math.min((analysed += list.length), filesLinted), filesLinted);
    contexts.push(...result.contexts);
    errors.push(...result.errors);
    notices.push(...(result.notices ?? []));
  }

  loadMaterial(contexts, sources, cwd, errors, notices);

  const rules = options.rules ? RULES.filter((r) => options.rules!.includes(r.meta.id)) : RULES;
  const judged = judgeContexts(contexts, { rules, policy, targetsFor });
  const raw: Finding[] = judged.findings;
  errors.push(...judged.errors);

  const roots = options.paths
    .map((p) => path.resolve(cwd, p))
    .filter((p) => files.some((f) => !f.explicit && f.path.startsWith(p + path.sep)));
  const rootOf = (file: string) =>
    roots.filter((r) => file.startsWith(r + path.sep)).sort((a, b) => b.length - a.length)[0];
  const explicit = new Set(files.filter((f) => f.explicit).map((f) => f.path));
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
  const filesSkipped = files.length - filesLinted + discovered.excluded.length;
  return {
    findings,
    errors,
    contexts,
    filesLinted,
    filesSkipped,
    testCode: adjusted.testCode,
    missingPaths: [...missing],
    notices: groupNotices(notices),
    sources,
    cwd,
    targetsFor,
  };
}

const READ_FORMATS =
  'JavaScript/TypeScript, Go and Python code, nginx and Envoy configuration, .env and compose files, and Markdown';

function noReader(file: string): LintError {
  return {
    file,
    kind: 'no-reader',
    message: `No reader for this file: tls-lint reads ${READ_FORMATS}, and this file is none of them by name or content; it was not checked (--ignore-unknown skips such files)`,
  };
}

function safeClaims(reader: LanguageReader, file: SourceFile): boolean {
  try {
    return reader.claims(file);
  } catch {
    return false;
  }
}

/** A prefilter that throws keeps the file: the reader decides. */
function safePrefilter(reader: LanguageReader, file: SourceFile, ctx: PrefilterContext): boolean {
  if (!reader.prefilter) return true;
  try {
    return reader.prefilter(file, ctx);
  } catch {
    return true;
  }
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

function internalError(reader: LanguageReader, file: string, e: unknown): LintError {
  // A stack overflow is a file nested beyond what the reader's walks can follow.
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return {
      file,
      kind: 'too-deep',
      message: `Too deeply nested to analyse (the ${reader.id} reader ran out of stack); the file was not checked`,
    };
  }
  return {
    file,
    kind: 'internal',
    message: `Internal error in the ${reader.id} reader: ${e instanceof Error ? e.message : String(e)}; the file was not checked`,
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
    if (f.contextId !== undefined) f.contextIds = [f.contextId];
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
