/** Builders for hand-made TlsContexts in rule tests (rules never see an AST). */
import { DEFAULT_POLICY, type Policy } from '../../src/config/policy.js';
import { Targets, type TargetPlatform } from '../../src/config/targets.js';
import type { Rule, RuleReport } from '../../src/engine/rule-api.js';
import { newContext, type TlsContext } from '../../src/model/context.js';
import { joinMessage } from '../../src/model/finding.js';
import type { SourceRange } from '../../src/model/location.js';

export const FILE = '/project/app.js';

export function at(line: number, column = 1, length = 10): SourceRange {
  return { file: FILE, line, column, endLine: line, endColumn: column + length };
}

export function serverContext(extra: Partial<TlsContext> = {}): TlsContext {
  return newContext({
    id: 'c1',
    language: 'node',
    role: 'server',
    at: at(1),
    enabledAt: at(1, 1, 16),
    label: 'tls.createServer() options',
    api: 'tls.createServer',
    recognition: 'known-api',
    ...extra,
  });
}

export function clientContext(extra: Partial<TlsContext> = {}): TlsContext {
  return newContext({
    id: 'c2',
    language: 'node',
    role: 'client',
    at: at(1),
    enabledAt: at(1, 1, 13),
    label: 'https.request() options',
    api: 'https.request',
    recognition: 'known-api',
    ...extra,
  });
}

/** A rule's report with its message parts joined, as the finding will carry it. */
export type Reported = RuleReport & { message: string };

export function run(
  rule: Rule,
  context: TlsContext,
  policy: Partial<Policy> = {},
  targets: Record<string, string> = {},
): Reported[] {
  return withMessages(
    rule.check(context, {
      policy: { ...DEFAULT_POLICY, ...policy },
      targets: new Targets(new Map(Object.entries(targets)) as Map<TargetPlatform, string>),
    }),
  );
}

function withMessages(reports: readonly RuleReport[]): Reported[] {
  return reports.map((r) => ({ ...r, message: joinMessage(r) }));
}
