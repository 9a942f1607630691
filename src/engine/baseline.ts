/**
 * Baselines, for adopting tls-lint on a repository that already has findings: `--write-baseline`
 * records today's findings by fingerprint (rule, file, text of the flagged line — not its number,
 * so unrelated edits that move lines keep them matched); `--baseline` then reports and fails only
 * on the others, and counts the recorded findings that are gone (fixed, or their line changed).
 *
 * Fingerprints hold paths relative to the working directory: write and check from the same folder
 * (the repository root, as CI and pre-commit do).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Finding } from '../model/finding.js';
import { UsageError } from '../config/targets.js';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
  /** For the reader of the file; not used to match. */
  message: string;
}

export interface BaselineFile {
  tool: 'tls-lint';
  version: 1;
  findings: BaselineEntry[];
}

export function baselineOf(findings: readonly Finding[], relative: (file: string) => string): BaselineFile {
  return {
    tool: 'tls-lint',
    version: 1,
    findings: findings.map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, file: relative(f.at.file), message: f.message })),
  };
}

export function writeBaseline(file: string, findings: readonly Finding[], relative: (file: string) => string): void {
  writeFileSync(file, JSON.stringify(baselineOf(findings, relative), null, 2) + '\n');
}

export function readBaseline(file: string): BaselineFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--baseline ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); create it with --write-baseline`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`--baseline ${file}: not valid JSON; create it with --write-baseline`);
  }
  const b = data as Partial<BaselineFile>;
  if (b?.tool !== 'tls-lint' || b.version !== 1 || !Array.isArray(b.findings) || b.findings.some((e) => typeof e?.fingerprint !== 'string')) {
    throw new UsageError(`--baseline ${file}: not a tls-lint baseline (version 1); create it with --write-baseline`);
  }
  return b as BaselineFile;
}

export interface BaselineOutcome {
  /** Findings not in the baseline. */
  fresh: Finding[];
  /** Findings the baseline accounts for. */
  known: number;
  /** Baseline entries no finding matches any more. */
  gone: number;
}

/** Each baseline entry accounts for one finding with its fingerprint (a multiset). */
export function applyBaseline(findings: readonly Finding[], baseline: BaselineFile): BaselineOutcome {
  const left = new Map<string, number>();
  for (const e of baseline.findings) left.set(e.fingerprint, (left.get(e.fingerprint) ?? 0) + 1);
  const fresh: Finding[] = [];
  let known = 0;
  for (const f of findings) {
    const n = left.get(f.fingerprint) ?? 0;
    if (n > 0) {
      left.set(f.fingerprint, n - 1);
      known++;
    } else {
      fresh.push(f);
    }
  }
  const gone = [...left.values()].reduce((a, b) => a + b, 0);
  return { fresh, known, gone };
}
