/**
 * The contract between the engine and the rules in `rules/<id>/index.ts`.
 *
 * A rule sees only the normalized model (`TlsContext`), the policy and the targets. It never
 * imports a parser or an AST type; it may import the shared fact tables (`src/model`,
 * `src/crypto`, `src/config`).
 */
import type { Policy } from '../config/policy.js';
import type { Targets } from '../config/targets.js';
import type { TlsContext } from '../model/context.js';
import type { Precision, Severity } from '../model/finding.js';
import type { SourceRange } from '../model/location.js';

export type RuleCategory = 'protocol' | 'cipher' | 'verification' | 'client-auth' | 'key' | 'certificate' | 'api';

export interface RuleMeta {
  /** kebab-case id, used verbatim everywhere (CLI, suppressions, SARIF, ESLint, docs URL). */
  id: string;
  /** One line, imperative or descriptive: "TLS 1.0/1.1 or SSL enabled". */
  title: string;
  category: RuleCategory;
  defaultSeverity: Severity;
  /** CWE numbers, e.g. [327]. */
  cwe: number[];
  /** OWASP mappings, e.g. ['A02:2021', 'API8:2023']. */
  owasp: string[];
  /** How often a finding of this rule is a real problem when the context is a known TLS API. */
  precision: Precision;
  /** Which live-probe observation confirms or refutes a finding (free text, docs). */
  probe?: string;
  /** Whether an automatic fix/suggestion exists. */
  fixable: boolean;
}

/** What a rule reports; the engine adds rule id, severity, language, fingerprint, precision. */
export interface RuleReport {
  message: string;
  at: SourceRange;
  /** Overrides the rule's default severity (e.g. severity that follows the Mozilla profile). */
  severity?: Severity;
}

export interface RuleContext {
  policy: Policy;
  /** The targets in force for the context's file. */
  targets: Targets;
}

export interface Rule {
  meta: RuleMeta;
  check(context: TlsContext, env: RuleContext): RuleReport[];
}

export const OWASP_CRYPTO = ['A02:2021', 'API8:2023'] as const;

/** Where a rule's README is published; messages link to it. */
export function ruleDocsUrl(id: string): string {
  return `https://github.com/tls-lint/tls-lint/blob/main/rules/${id}/README.md`;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
