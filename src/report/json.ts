/**
 * The JSON report: the stable contract of DESIGN.md §6 (documented in README "JSON output").
 * Others build on it; change it only by adding fields.
 */
import { relativePath } from '../model/location.js';
import type { Finding, LintError, LintErrorKind, LintNotice } from '../model/finding.js';
import type { EndpointReport } from '../confirm/index.js';

export interface JsonFinding {
  ruleId: string;
  severity: Finding['severity'];
  /** The whole message: `headline: evidence; fix` (kept whole for consumers that show one string). */
  message: string;
  /** What is wrong, with the value (the message's first part). */
  headline?: string;
  /** Where the value came from: the setting as written, inherited from, platform default and version. */
  evidence?: string;
  /** What to do instead. */
  fix?: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  language: Finding['language'];
  precision: Finding['precision'];
  fingerprint: string;
  docs: string;
  /** Other places that explain the finding: where a value used here was written. */
  related?: Array<{ file: string; line: number; column: number; message: string }>;
  probe?: Finding['probe'];
  /** `test` for test, example and benchmark code (then the severity is lowered to info unless --tests report). */
  context?: 'test';
}

/** The message of a related location that shows where a value was written. */
export const RELATED_DEFINITION = 'the value used here is defined here';

export interface JsonError {
  file: string;
  message: string;
  line?: number;
  column?: number;
  /** Why the file could not be checked (`syntax`, `unreadable`, `not-regular`, …; see LINT_ERROR_KINDS). */
  kind?: LintErrorKind;
}

/** An endpoint probed by `--confirm`. */
export interface JsonEndpoint {
  endpoint: string;
  sni?: string;
  /** Where the config names it (the `listen`), relative like `file` of findings. */
  source: { file: string; line: number };
  reachable: boolean;
  /** At least one protocol version was negotiated (false: its findings are inconclusive). */
  tested: boolean;
  durationMs: number;
  /** Why it could not be reached or tested. */
  error?: string;
  /** The `--endpoint` that gave its address. */
  mappedBy?: string;
}

export interface JsonReport {
  version: 1;
  findings: JsonFinding[];
  /** With `--confirm`: every endpoint probed. */
  endpoints?: JsonEndpoint[];
  errors: JsonError[];
  /** How files were judged, when the user should know; only present when there are some. */
  notices?: JsonNotice[];
}

/** A notice; one that stands for many files (nginx fragments) lists each file's own notice. */
export interface JsonNotice {
  file: string;
  message: string;
  files?: Array<{ file: string; message: string }>;
}

/** One finding in the contract's shape; `file` is as it should appear (relative path, or the probe's target). */
export function toJsonFinding(
  f: Finding,
  file: string,
  docsUrl: (id: string) => string,
  pathOf: (absolute: string) => string = (p) => p,
): JsonFinding {
  const defined = f.at.definedAt;
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    ...(f.headline !== undefined && { headline: f.headline }),
    ...(f.evidence !== undefined && { evidence: f.evidence }),
    ...(f.fix !== undefined && { fix: f.fix }),
    file,
    line: f.at.line,
    column: f.at.column,
    endLine: f.at.endLine,
    endColumn: f.at.endColumn,
    language: f.language,
    precision: f.precision,
    fingerprint: f.fingerprint,
    docs: docsUrl(f.ruleId),
    ...(defined && {
      related: [
        {
          file: pathOf(defined.file),
          line: defined.line,
          column: defined.column,
          message: RELATED_DEFINITION,
        },
      ],
    }),
    ...(f.probe && { probe: f.probe }),
    ...(f.context && { context: f.context }),
  };
}

/** An endpoint of a confirm run as JSON and SARIF report it (paths relative to `cwd`). */
export function toJsonEndpoint(e: EndpointReport, cwd: string): JsonEndpoint {
  return {
    endpoint: e.endpoint,
    ...(e.sni !== undefined && { sni: e.sni }),
    source: { file: relativePath(cwd, e.source.file), line: e.source.line },
    reachable: e.reachable,
    tested: e.tested,
    durationMs: e.durationMs,
    ...(e.error !== undefined && { error: e.error }),
    ...(e.mappedBy !== undefined && { mappedBy: e.mappedBy }),
  };
}

export function toJsonReport(
  findings: readonly Finding[],
  errors: readonly LintError[],
  cwd: string,
  docsUrl: (id: string) => string,
  notices: readonly LintNotice[] = [],
  confirm?: { endpoints: readonly EndpointReport[] },
): JsonReport {
  return {
    version: 1,
    findings: findings.map((f) =>
      toJsonFinding(f, relativePath(cwd, f.at.file), docsUrl, (p) => relativePath(cwd, p)),
    ),
    ...(confirm && { endpoints: confirm.endpoints.map((e) => toJsonEndpoint(e, cwd)) }),
    errors: errors.map((e) => ({
      file: relativePath(cwd, e.file),
      message: e.message,
      ...(e.line !== undefined && { line: e.line }),
      ...(e.column !== undefined && { column: e.column }),
      ...(e.kind && { kind: e.kind }),
    })),
    ...(notices.length && {
      notices: notices.map((n) => ({
        file: relativePath(cwd, n.file),
        message: n.message,
        ...(n.files && {
          files: n.files.map((f) => ({ file: relativePath(cwd, f.file), message: f.message })),
        }),
      })),
    }),
  };
}
