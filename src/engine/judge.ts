/**
 * From contexts to findings, for every host that already has `TlsContext`s with their
 * certificate material loaded: the linter (`lint.ts`) and the ESLint plugin. Suppressions,
 * sorting and fingerprints stay with the host (the CLI fingerprints; ESLint has its own output).
 */
import type { Policy } from '../config/policy.js';
import type { Targets } from '../config/targets.js';
import type { TlsContext } from '../model/context.js';
import type { Finding, LintError } from '../model/finding.js';
import { checkContext } from './check.js';
import type { Rule } from './rule-api.js';

export interface JudgeOptions {
  rules: readonly Rule[];
  policy: Policy;
  targetsFor(file: string): Targets;
}

export function judgeContexts(contexts: readonly TlsContext[], options: JudgeOptions): { findings: Finding[]; errors: LintError[] } {
  const findings: Finding[] = [];
  const errors: LintError[] = [];
  for (const context of contexts) {
    const checked = checkContext(context, options.rules, { policy: options.policy, targets: options.targetsFor(context.at.file) });
    findings.push(...checked.findings);
    errors.push(...checked.errors);
  }
  return { findings, errors };
}
