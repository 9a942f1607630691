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

/** A file that could not be read or parsed. Never fatal for the run. */
export interface LintError {
  file: string;
  message: string;
  line?: number;
  column?: number;
}
