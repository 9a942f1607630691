/**
 * The rule runner: rules over one context, rule reports into findings. Shared by the linter, the
 * live probe and `tls-lint ciphers`; it needs no reader, so the probe does not load any.
 */
import type { TlsContext } from '../model/context.js';
import {
  joinMessage,
  oneStepLower,
  type Finding,
  type LintError,
  type Precision,
} from '../model/finding.js';
import type { Rule, RuleContext, RuleReport } from './rule-api.js';

/**
 * Runs rules over one context: the single place where rule reports become findings. A throwing
 * rule becomes an error, never a crash. Findings come back without fingerprints (the linter adds
 * them in lint.ts `finalize`; the probe keys them by endpoint).
 */
export function checkContext(
  context: TlsContext,
  rules: readonly Rule[],
  env: RuleContext,
): { findings: Finding[]; errors: LintError[] } {
  const findings: Finding[] = [];
  const errors: LintError[] = [];
  for (const rule of rules) {
    let reports;
    try {
      reports = rule.check(context, env);
    } catch (e) {
      errors.push({
        file: context.at.file,
        line: context.at.line,
        kind: 'internal',
        message: `Internal error in rule ${rule.meta.id}: ${e instanceof Error ? e.message : String(e)}; the other rules still ran`,
      });
      continue;
    }
    for (const report of reports) {
      const severity = report.severity ?? rule.meta.defaultSeverity;
      // Settings nothing turns TLS on for: what they say is reported, one step lower, with why.
      const dormant = context.tlsNotEnabled;
      findings.push({
        ruleId: rule.meta.id,
        severity: dormant ? oneStepLower(severity) : severity,
        ...messageOf(report, dormant?.reason),
        at: report.at,
        language: context.language,
        precision: precisionFor(rule, context),
        fingerprint: '',
        contextId: context.id,
        ...(report.observable && { observable: report.observable }),
        ...(report.platformDefault && { platformDefault: true as const }),
      });
    }
  }
  return { findings, errors };
}

/** A finding is only as precise as the recognition of the context it was found in. */
function precisionFor(rule: Rule, context: TlsContext): Precision {
  const order: Precision[] = ['low', 'medium', 'high'];
  const cap: Precision = context.recognition === 'heuristic' ? 'medium' : 'high';
  return order[
    Math.min(
      order.indexOf(rule.meta.precision),
      order.indexOf(cap),
      order.indexOf(context.precision ?? 'high'),
    )
  ]!;
}

/**
 * The finding's message: the report's parts and their joined text. `note` (why the setting is
 * dormant) joins the evidence.
 */
function messageOf(
  report: RuleReport,
  note?: string,
): Pick<Finding, 'message' | 'headline' | 'evidence' | 'fix'> {
  const { headline, fix } = report;
  const evidence = note
    ? report.evidence
      ? `${report.evidence} (${note})`
      : note
    : report.evidence;
  return {
    message: joinMessage({ headline, evidence, fix }),
    headline,
    ...(evidence && { evidence }),
    fix,
  };
}
