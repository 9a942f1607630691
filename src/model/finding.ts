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

export const PROBE_STATUSES = [
  'confirmed',
  'refuted',
  'inconclusive',
  'not-probed',
  'live-only',
] as const;
/**
 * What confirm mode said about a finding: `confirmed` (the live endpoint shows it), `refuted` (it
 * does not, with the reason), `inconclusive` (could not test, with why), `not-probed` (nothing an
 * outside connection can see), `live-only` (the endpoint shows a weakness its config does not explain).
 */
export type ProbeStatus = (typeof PROBE_STATUSES)[number];

/** One endpoint's answer for a finding. */
export interface EndpointVerdict {
  status: Exclude<ProbeStatus, 'not-probed' | 'live-only'>;
  endpoint: string;
  sni?: string;
  evidence: string;
}

/** What the live probe said about a finding (the JSON contract's `probe`). */
export interface ProbeVerdict {
  status: ProbeStatus;
  /** `host:port` of the endpoint that decided (the first that confirmed, else the first probed). */
  endpoint?: string;
  sni?: string;
  evidence: string;
  /** Each endpoint's result, when the finding applies to several. */
  endpoints?: EndpointVerdict[];
}

/**
 * What of a live endpoint a finding is about, so confirm mode can compare it with what the
 * endpoint shows:
 * - `items`: the values concerned, in a spelling shared by config and probe (protocol versions
 *   `TLSv1.0`; suites by IANA name; `cert:<sha-256>`, `key:rsa:1024`, `dh:1024`, `curve:<name>`);
 *   without items the rule's finding as a whole is compared;
 * - `notObservable`: why this report is about nothing an outside connection sees (a client CA's
 *   own key), when the rule is otherwise observable.
 */
export interface Observable {
  items?: string[];
  notObservable?: string;
}

/**
 * A finding's message in its parts (issue #17): a short headline (what is wrong, with the value),
 * the evidence (where the value came from: the setting as written, the block it was inherited
 * from, the platform default and its version) and the fix. Reporters lay them out; `message` is
 * the joined text (`joinMessage`) for the JSON contract and every host that shows one string.
 */
export interface MessageParts {
  /** What is wrong, with the value: `TLS 1.0 enabled in server{}`. No trailing period. */
  headline: string;
  /** Where the value came from; absent when the headline says it all. */
  evidence?: string;
  /** What to do instead, starting with a verb in lower case: `allow only TLS 1.2 and TLS 1.3 (…)`. */
  fix: string;
}

/** The one-string form of a message: `headline: evidence; fix` (DESIGN.md §5). */
export function joinMessage(parts: MessageParts): string {
  return `${statementOf(parts)}; ${parts.fix}`;
}

/** The message without its fix: `headline: evidence` (what reporters print above a `help:` line). */
function statementOf(parts: Pick<MessageParts, 'headline' | 'evidence'>): string {
  return `${parts.headline}${parts.evidence ? `: ${parts.evidence}` : ''}`;
}

/**
 * What a finding says, split for layout: the headline with its evidence, and the fix (a finding
 * made without parts says its message whole, with no fix apart).
 */
export function findingText(f: Pick<Finding, 'message' | 'headline' | 'evidence' | 'fix'>): {
  statement: string;
  help?: string;
} {
  if (f.headline === undefined || f.fix === undefined) return { statement: f.message };
  return { statement: statementOf({ headline: f.headline, evidence: f.evidence }), help: f.fix };
}

/** A finding as the engine produces it (absolute paths). Reporters turn it into the JSON contract. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  /** The joined text of the parts below (`joinMessage`). */
  message: string;
  /** The message's parts; every rule report has them, findings made by hand may not. */
  headline?: string;
  evidence?: string;
  fix?: string;
  at: SourceRange;
  language: Language;
  precision: Precision;
  /** Stable across runs and line shifts; see engine/fingerprint.ts. */
  fingerprint: string;
  /** Id of the context it was found in. */
  contextId?: string;
  /** Every context with this same finding (an http{}-level setting inherited by several servers). */
  contextIds?: string[];
  /** What of a live endpoint it is about (confirm mode). */
  observable?: Observable;
  probe?: ProbeVerdict;
  /** `test` when the file is test, example or benchmark code (see config/test-code.ts). */
  context?: 'test';
  /** About a platform default shared by every context without the setting (see RuleReport.platformDefault). */
  platformDefault?: true;
}

/**
 * Something the user should know about how a file was judged that is neither a finding nor an
 * error (an nginx site file linted without the nginx.conf that includes it).
 */
export interface LintNotice {
  file: string;
  message: string;
  /**
   * Notices that say the same of many files (an nginx site file linted without its nginx.conf):
   * the run reports them as one notice, `count` files `summary` (e.g. "nginx file", "were linted
   * as fragments: …"), with each file's own notice in `files`. See {@link groupNotices}.
   */
  group?: { id: string; noun: string; summary: string };
  /** The grouped notices, one per file (set by {@link groupNotices}). */
  files?: Array<{ file: string; message: string }>;
}

/**
 * One notice per group of the run: a group seen for one file keeps that file's own notice; seen for
 * several, it becomes "<n> <noun>s <summary>" naming the first file, with the details in `files`.
 * Ungrouped notices are kept as they are, in order.
 */
export function groupNotices(notices: readonly LintNotice[]): LintNotice[] {
  const groups = new Map<string, LintNotice[]>();
  for (const n of notices) {
    if (!n.group) continue;
    const members = groups.get(n.group.id);
    if (members) members.push(n);
    else groups.set(n.group.id, [n]);
  }
  const out: LintNotice[] = [];
  for (const n of notices) {
    if (!n.group) {
      out.push(n);
      continue;
    }
    const members = groups.get(n.group.id);
    if (!members) continue; // already reported with its group
    groups.delete(n.group.id);
    if (members.length === 1) {
      out.push({ file: n.file, message: n.message });
      continue;
    }
    const files = members.map((m) => ({ file: m.file, message: m.message }));
    out.push({
      file: n.file,
      message: `${members.length} ${n.group.noun}s ${n.group.summary}`,
      files,
    });
  }
  return out;
}

/**
 * Why a file could not be checked (or, `refused`, is a configuration its platform will not load).
 * Every error makes the run exit 2: a gate never passes what it did not check.
 */
export const LINT_ERROR_KINDS = [
  'syntax',
  'refused',
  'too-deep',
  'include-cycle',
  'budget',
  'internal',
  'unreadable',
  'not-regular',
  'too-large',
  'binary',
  'missing',
  'no-reader',
] as const;
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
  'no-reader': 'no reader for this file',
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
