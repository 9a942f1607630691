/**
 * The pipeline: discover → read (per-language readers) → load certificate material → rules →
 * suppress → sort, de-duplicate, fingerprint.
 */
import path from 'node:path';
import { RULES } from '../../rules/index.js';
import { TargetDetector } from '../config/detect.js';
import { DEFAULT_POLICY, type Policy } from '../config/policy.js';
import { Targets, type TargetPlatform } from '../config/targets.js';
import { loadMaterialSummary } from '../crypto/material.js';
import { READERS } from '../languages/index.js';
import type { LanguageReader, ReadContext, SourceFile } from '../languages/reader.js';
import type { TlsContext } from '../model/context.js';
import { severityRank, type Finding, type LintError, type LintNotice, type Severity } from '../model/finding.js';
import { compareRanges } from '../model/location.js';
import { checkContext } from './check.js';
import { discoverFiles } from './discover.js';
import { fingerprintOf } from './fingerprint.js';
import { SourceCache, DEFAULT_MAX_FILE_BYTES } from './source-cache.js';
import { parseSuppressions, type Suppressions } from './suppress.js';

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
}

export interface LintResult {
  findings: Finding[];
  errors: LintError[];
  contexts: TlsContext[];
  /** Number of files some reader handled. */
  filesLinted: number;
  /** Paths given by the user that do not exist (a usage error: exit code 2). */
  missingPaths: string[];
  /** How files were judged, when the user should know (e.g. an nginx fragment). */
  notices: LintNotice[];
  /** Text of every file read, for code frames. */
  sources: SourceCache;
  cwd: string;
}

export async function lint(options: LintOptions): Promise<LintResult> {
  const cwd = options.cwd ?? process.cwd();
  const policy: Policy = { ...DEFAULT_POLICY, ...options.policy };
  const sources = new SourceCache(options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  const readers = options.readers ?? READERS;
  const errors: LintError[] = [];

  const { files, missing } = discoverFiles(options.paths, cwd);
  for (const m of missing) errors.push({ file: path.resolve(cwd, m), message: 'No such file or directory' });

  // Route files to readers: the path pre-filter first, then the reader's own look at the text.
  const claimed = new Map<LanguageReader, SourceFile[]>();
  let filesLinted = 0;
  for (const file of files) {
    const candidates = readers.filter((r) => r.matchesPath(file.path));
    if (candidates.length === 0) continue;
    const read = sources.readSource(file.path);
    if (!read.ok) {
      // Skipping binaries and huge files silently is expected in a tree walk; a file the user
      // named is worth a word.
      if (file.explicit && read.reason !== 'binary') {
        errors.push({ file: file.path, message: `Skipped: ${read.reason}${read.detail ? ` (${read.detail})` : ''}` });
      }
      continue;
    }
    const source: SourceFile = { path: file.path, text: read.text, explicit: file.explicit };
    let taken = false;
    for (const reader of candidates) {
      if (!safeClaims(reader, source)) continue;
      taken = true;
      const list = claimed.get(reader) ?? [];
      list.push(source);
      claimed.set(reader, list);
    }
    if (taken) filesLinted++;
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
    readText: (p) => sources.readText(p),
    readBytes: (p) => sources.readBytes(p),
  };

  const contexts: TlsContext[] = [];
  const notices: LintNotice[] = [];
  for (const [reader, list] of claimed) {
    try {
      const result = await reader.read(list, readContext);
      contexts.push(...result.contexts);
      errors.push(...result.errors);
      notices.push(...(result.notices ?? []));
    } catch (e) {
      // A reader bug must not take the other files down with it.
      for (const f of list) errors.push({ file: f.path, message: `Internal error in the ${reader.id} reader: ${(e as Error).message}` });
    }
  }

  loadMaterial(contexts, sources);

  const rules = options.rules ? RULES.filter((r) => options.rules!.includes(r.meta.id)) : RULES;
  const raw: Finding[] = [];
  for (const context of contexts) {
    const checked = checkContext(context, rules, { policy, targets: targetsFor(context.at.file) });
    raw.push(...checked.findings);
    errors.push(...checked.errors);
  }

  const findings = finalize(raw, sources, cwd);
  errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return { findings, errors, contexts, filesLinted, missingPaths: [...missing], notices, sources, cwd };
}

function safeClaims(reader: LanguageReader, file: SourceFile): boolean {
  try {
    return reader.claims(file);
  } catch {
    return false;
  }
}


function loadMaterial(contexts: readonly TlsContext[], sources: SourceCache): void {
  const cache = new Map<string, ReturnType<typeof loadMaterialSummary>>();
  for (const context of contexts) {
    for (const ref of context.material) {
      if (ref.summary) continue;
      const key = ref.path ?? `inline:${ref.inline ?? ''}`;
      if (!ref.path && ref.inline === undefined) continue;
      if (!cache.has(key)) cache.set(key, loadMaterialSummary(ref, sources));
      const summary = cache.get(key);
      if (summary) ref.summary = summary;
    }
  }
}

/** Suppress, de-duplicate, sort and fingerprint. */
function finalize(raw: Finding[], sources: SourceCache, cwd: string): Finding[] {
  const suppressionsByFile = new Map<string, Suppressions>();
  const suppressionsFor = (file: string): Suppressions => {
    let s = suppressionsByFile.get(file);
    if (!s) {
      s = parseSuppressions(sources.cachedText(file) ?? sources.readText(file) ?? '');
      suppressionsByFile.set(file, s);
    }
    return s;
  };

  const seen = new Set<string>();
  const kept: Finding[] = [];
  for (const f of raw) {
    if (suppressionsFor(f.at.file).isSuppressed(f.ruleId, f.at.line)) continue;
    const key = `${f.ruleId}\0${f.at.file}\0${f.at.line}\0${f.at.column}\0${f.at.endLine}\0${f.at.endColumn}\0${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(f);
  }
  kept.sort((a, b) => compareRanges(a.at, b.at) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.message < b.message ? -1 : 1));

  const occurrences = new Map<string, number>();
  const linesByFile = new Map<string, string[]>();
  for (const f of kept) {
    const rel = relativePath(cwd, f.at.file);
    let lines = linesByFile.get(f.at.file);
    if (!lines) {
      lines = (sources.cachedText(f.at.file) ?? '').split(/\r?\n/);
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

/** Relative to the working directory, with forward slashes (the JSON contract). */
export function relativePath(cwd: string, file: string): string {
  const rel = path.relative(cwd, file) || path.basename(file);
  return rel.split(path.sep).join('/');
}

/** Whether the findings should fail the run (exit code 1). */
export function exceedsThreshold(findings: readonly Finding[], failOn: Severity, maxWarnings: number | undefined): boolean {
  if (findings.some((f) => f.severity === 'error' && severityRank('error') >= severityRank(failOn))) return true;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (maxWarnings !== undefined) {
    if (warnings > maxWarnings) return true;
  } else if (warnings > 0 && severityRank('warning') >= severityRank(failOn)) {
    return true;
  }
  const infos = findings.filter((f) => f.severity === 'info').length;
  return infos > 0 && severityRank('info') >= severityRank(failOn);
}
