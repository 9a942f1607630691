import type { Language } from './context.js';
import type { SourceRange } from './location.js';

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return s === 'error' ? 2 : s === 'warning' ? 1 : 0;
}

/** One step less severe (error → warning → info); info stays info. */
export function oneStepLower(s: Severity): Severity {
  return s === 'error' ? 'warning' : 'info';
}

export type Precision = 'high' | 'medium' | 'low';

/** What the live probe said about a static finding. */
export interface ProbeVerdict {
  status: 'confirmed' | 'refuted' | 'inconclusive';
  evidence: string;
}

/** A finding as the engine produces it (absolute paths). Reporters turn it into the JSON contract. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  at: SourceRange;
  language: Language;
  precision: Precision;
  /** Stable across runs and line shifts; see engine/fingerprint.ts. */
  fingerprint: string;
  /** Id of the context it was found in. */
  contextId?: string;
  probe?: ProbeVerdict;
}

/**
 * Something the user should know about how a file was judged that is neither a finding nor an
 * error (an nginx site file linted without the nginx.conf that includes it).
 */
export interface LintNotice {
  file: string;
  message: string;
}

/**
 * Why a file could not be checked (or, `refused`, is a configuration its platform will not load).
 * Every error makes the run exit 2: a gate never passes what it did not check.
 */
export const LINT_ERROR_KINDS = ['syntax', 'refused', 'too-deep', 'include-cycle', 'budget', 'internal', 'unreadable', 'not-regular', 'too-large', 'binary', 'missing'] as const;
export type LintErrorKind = (typeof LINT_ERROR_KINDS)[number];

/** How the stylish summary names each kind ("2 files could not be checked: 1 syntax error, …"). */
export const LINT_ERROR_LABELS: Record<LintErrorKind, string> = {
  syntax: 'syntax error',
  refused: 'configuration its platform refuses to load',
  'too-deep': 'too deeply nested to analyse',
  'include-cycle': 'include cycle',
  budget: 'over the work budget',
  internal: 'internal error',
  unreadable: 'unreadable',
  'not-regular': 'not a regular file',
  'too-large': 'too large',
  binary: 'binary',
  missing: 'not found',
};

/** A file that could not be read, parsed or analysed. Never fatal for the run, always exit 2. */
export interface LintError {
  file: string;
  message: string;
  line?: number;
  column?: number;
  /** Why; readers that do not say are counted as "could not be read or parsed". */
  kind?: LintErrorKind;
}
