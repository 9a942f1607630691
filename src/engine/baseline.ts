/**
 * Baselines, for adopting tls-lint on a repository that already has findings: `--write-baseline`
 * records today's findings by fingerprint (rule, file, text of the flagged line — not its number,
 * so unrelated edits that move lines keep them matched); `--baseline` then reports and fails only
 * on the others, and counts the recorded findings that are gone (fixed, or their line changed).
 *
 * Paths in a baseline are relative to the folder that holds the baseline file (its root), not to
 * the working directory: a baseline written at the repository root matches when tls-lint runs
 * from a subfolder, or from anywhere else, as long as it is given the same file. Version 1 files
 * (fingerprints relative to the working directory they were written from) are still read, and
 * match as before when checked from that folder.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../model/finding.js';
import { relativePath } from '../model/location.js';
import { UsageError } from '../config/targets.js';
import { fingerprintOf } from './fingerprint.js';

export interface BaselineEntry {
  /** Version 2: of the rule, the path from the baseline's folder and the line's text. */
  fingerprint: string;
  ruleId: string;
  /** From the baseline's folder (version 1: from the working directory). */
  file: string;
  /** For the reader of the file; not used to match. */
  message: string;
}

export interface BaselineFile {
  tool: 'tls-lint';
  version: 1 | 2;
  findings: BaselineEntry[];
}

/** A baseline as read, with the folder its paths are relative to. */
export interface LoadedBaseline extends BaselineFile {
  root: string;
}

/** The text of a file tls-lint read (the flagged line is part of the fingerprint). */
export type SourceOf = (file: string) => string | undefined;

/**
 * Fingerprints of `findings` with paths relative to `root`, in the engine's way (fingerprint.ts):
 * equal findings on identical lines of one file are told apart by their order.
 */
function rootFingerprints(
  findings: readonly Finding[],
  root: string,
  sourceOf: SourceOf,
): string[] {
  const lines = new Map<string, string[]>();
  const occurrences = new Map<string, number>();
  return findings.map((f) => {
    const file = relativePath(root, f.at.file);
    let text = lines.get(f.at.file);
    if (!text) lines.set(f.at.file, (text = (sourceOf(f.at.file) ?? '').split(/\r?\n/)));
    const line = text[f.at.line - 1] ?? '';
    const key = `${f.ruleId}\0${file}\0${line.trim()}`;
    const n = occurrences.get(key) ?? 0;
    occurrences.set(key, n + 1);
    return fingerprintOf(f.ruleId, file, line, n);
  });
}

function baselineOf(findings: readonly Finding[], root: string, sourceOf: SourceOf): BaselineFile {
  const fingerprints = rootFingerprints(findings, root, sourceOf);
  return {
    tool: 'tls-lint',
    version: 2,
    findings: findings.map((f, i) => ({
      fingerprint: fingerprints[i]!,
      ruleId: f.ruleId,
      file: relativePath(root, f.at.file),
      message: f.message,
    })),
  };
}

export function writeBaseline(
  file: string,
  findings: readonly Finding[],
  sourceOf: SourceOf,
): void {
  writeFileSync(
    file,
    JSON.stringify(baselineOf(findings, path.dirname(path.resolve(file)), sourceOf), null, 2) +
      '\n',
  );
}

export function readBaseline(file: string): LoadedBaseline {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `--baseline ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); create it with --write-baseline`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new UsageError(`--baseline ${file}: not valid JSON; create it with --write-baseline`);
  }
  // Anything may be in the file (null, entries of any shape) until checked here.
  const b = data as { tool?: unknown; version?: unknown; findings?: unknown } | null;
  if (
    b?.tool !== 'tls-lint' ||
    (b.version !== 1 && b.version !== 2) ||
    !Array.isArray(b.findings) ||
    b.findings.some((e: { fingerprint?: unknown } | null) => typeof e?.fingerprint !== 'string')
  ) {
    throw new UsageError(
      `--baseline ${file}: not a tls-lint baseline (version 1 or 2); create it with --write-baseline`,
    );
  }
  return { ...(b as BaselineFile), root: path.dirname(path.resolve(file)) };
}

export interface BaselineOutcome {
  /** Findings not in the baseline. */
  fresh: Finding[];
  /** Findings the baseline accounts for. */
  known: number;
  /** Baseline entries no finding matches any more. */
  gone: number;
}

/**
 * Each baseline entry accounts for one finding with its fingerprint (a multiset). Version 2
 * compares fingerprints relative to the baseline's folder, version 1 the engine's (relative to
 * the working directory).
 */
export function applyBaseline(
  findings: readonly Finding[],
  baseline: LoadedBaseline,
  sourceOf: SourceOf,
): BaselineOutcome {
  const left = new Map<string, number>();
  for (const e of baseline.findings) left.set(e.fingerprint, (left.get(e.fingerprint) ?? 0) + 1);
  const keys =
    baseline.version === 1
      ? findings.map((f) => f.fingerprint)
      : rootFingerprints(findings, baseline.root, sourceOf);
  const fresh: Finding[] = [];
  let known = 0;
  for (const [i, f] of findings.entries()) {
    const n = left.get(keys[i]!) ?? 0;
    if (n > 0) {
      left.set(keys[i]!, n - 1);
      known++;
    } else {
      fresh.push(f);
    }
  }
  const gone = [...left.values()].reduce((a, b) => a + b, 0);
  return { fresh, known, gone };
}
