/**
 * From contexts to findings, for every host that already has `TlsContext`s with their
 * certificate material loaded: the linter (`lint.ts`) and the ESLint plugin. Suppressions,
 * sorting and fingerprints stay with the host (the CLI fingerprints; ESLint has its own output).
 */
import type { Policy } from '../config/policy.js';
import type { Targets } from '../config/targets.js';
import type { TlsContext } from '../model/context.js';
import { joinMessage, type Finding, type LintError } from '../model/finding.js';
import { relativePath } from '../model/location.js';
import { checkContext } from './check.js';
import type { Rule } from './rule-api.js';

export interface JudgeOptions {
  rules: readonly Rule[];
  policy: Policy;
  targetsFor(file: string): Targets;
}

export function judgeContexts(
  contexts: readonly TlsContext[],
  options: JudgeOptions,
): { findings: Finding[]; errors: LintError[] } {
  const findings: Finding[] = [];
  const errors: LintError[] = [];
  for (const context of contexts) {
    const checked = checkContext(context, options.rules, {
      policy: options.policy,
      targets: options.targetsFor(context.at.file),
    });
    findings.push(...checked.findings);
    errors.push(...checked.errors);
  }
  return { findings: oncePerDefault(findings), errors };
}

/**
 * A finding about a platform default (the default cipher list) is the same for every context that
 * does not set the value: the first stands for all, and says how many others rely on it.
 */
function oncePerDefault(findings: readonly Finding[]): Finding[] {
  const first = new Map<string, { finding: Finding; others: Finding[] }>();
  const out: Finding[] = [];
  for (const f of findings) {
    if (!f.platformDefault) {
      out.push(f);
      continue;
    }
    const key = `${f.ruleId}\0${f.message}`;
    const seen = first.get(key);
    if (seen) {
      if (seen.finding.at.file !== f.at.file || seen.finding.at.line !== f.at.line)
        seen.others.push(f);
      continue;
    }
    first.set(key, { finding: f, others: [] });
    out.push(f);
  }
  for (const { finding, others } of first.values()) {
    if (others.length === 0) continue;
    // It stands for every context that relies on the default: confirm mode probes each of them.
    const ids = [finding, ...others].flatMap((o) =>
      o.contextId !== undefined ? [o.contextId] : [],
    );
    if (ids.length > 0) finding.contextIds = [...new Set(ids)];
    const files = new Set(others.map((o) => o.at.file)).size;
    const where =
      files === 1 && others[0]!.at.file === finding.at.file
        ? 'in this file'
        : `in ${files === 1 ? 'one file' : `${files} files`}`;
    const note = `also the default of ${others.length === 1 ? 'one other server' : `${others.length} other servers`} ${where}: reported here once`;
    // The note is evidence (where the value holds); the message is the parts joined again.
    if (finding.headline !== undefined && finding.fix !== undefined) {
      finding.evidence = finding.evidence ? `${finding.evidence} (${note})` : note;
      finding.message = joinMessage({
        headline: finding.headline,
        evidence: finding.evidence,
        fix: finding.fix,
      });
    } else {
      finding.message += ` (${note})`;
    }
  }
  return out;
}

/**
 * Rules name the file a value came from (`from /abs/src/constants.ts:2`) by its absolute path;
 * the user reads it relative to the working directory, like `file`. Returns the message and its
 * parts with the path made relative, to spread over the finding.
 */
export function relativizeMessage(
  f: Finding,
  cwd: string,
): Pick<Finding, 'message' | 'headline' | 'evidence' | 'fix'> {
  const defined = f.at.definedAt;
  const { message, headline, evidence, fix } = f;
  if (!defined) return { message, headline, evidence, fix };
  const relative = relativePath(cwd, defined.file);
  const swap = (text: string | undefined) => text?.split(defined.file).join(relative);
  return {
    message: swap(message)!,
    headline: swap(headline),
    evidence: swap(evidence),
    fix: swap(fix),
  };
}
