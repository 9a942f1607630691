/**
 * SARIF 2.1.0 output for code-scanning services (GitHub, GitLab, Azure DevOps). One run, the
 * rules as `tool.driver.rules`, findings as `results` with `partialFingerprints` so that
 * re-runs update alerts instead of duplicating them. Parse errors become tool notifications.
 */
import { relativePath } from '../engine/lint.js';
import type { Rule } from '../engine/rule-api.js';
import type { Finding, LintError, LintNotice, Severity } from '../model/finding.js';
import type { EndpointReport } from '../confirm/index.js';
import { CONFIG_DRIFT_META, probeProperties } from './confirm.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function toSarif(
  findings: readonly Finding[],
  errors: readonly LintError[],
  allRules: readonly Rule[],
  cwd: string,
  version: string,
  docsUrl: (id: string) => string,
  notices: readonly LintNotice[] = [],
  confirm?: { endpoints: readonly EndpointReport[] },
): object {
  // A live-only finding about a different certificate has its own id (no rule judges it).
  const rules = findings.some((f) => f.ruleId === CONFIG_DRIFT_META.id) ? [...allRules, { meta: CONFIG_DRIFT_META } as Rule] : allRules;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tls-lint',
            version,
            informationUri: 'https://github.com/tls-lint/tls-lint',
            rules: rules.map((r) => ({
              id: r.meta.id,
              name: r.meta.id,
              shortDescription: { text: r.meta.title },
              helpUri: docsUrl(r.meta.id),
              defaultConfiguration: { level: LEVEL[r.meta.defaultSeverity] },
              properties: {
                tags: ['security', ...r.meta.cwe.map((c) => `external/cwe/cwe-${c}`), ...r.meta.owasp.map((o) => `owasp-${o}`)],
                precision: r.meta.precision === 'medium' ? 'medium' : r.meta.precision === 'low' ? 'low' : 'high',
                'problem.severity': LEVEL[r.meta.defaultSeverity] === 'note' ? 'recommendation' : LEVEL[r.meta.defaultSeverity],
              },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: Math.max(0, rules.findIndex((r) => r.meta.id === f.ruleId)),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: relativePath(cwd, f.at.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.at.line, startColumn: f.at.column, endLine: f.at.endLine, endColumn: f.at.endColumn },
              },
            },
          ],
          partialFingerprints: { 'tlsLint/v1': f.fingerprint },
          properties: { precision: f.precision, language: f.language, ...(f.probe && probeProperties(f.probe)) },
        })),
        ...(confirm && {
          properties: {
            endpoints: confirm.endpoints.map((e) => ({ endpoint: e.endpoint, ...(e.sni !== undefined && { sni: e.sni }), source: { file: relativePath(cwd, e.source.file), line: e.source.line }, reachable: e.reachable, tested: e.tested, durationMs: e.durationMs, ...(e.error !== undefined && { error: e.error }) })),
          },
        }),
        invocations: [
          {
            // A file that could not be checked makes the run unsuccessful (exit code 2).
            executionSuccessful: errors.length === 0,
            toolExecutionNotifications: [
              ...(confirm?.endpoints ?? [])
                .filter((e) => !e.tested)
                .map((e) => ({
                  level: 'warning',
                  message: { text: `Endpoint ${e.endpoint}${e.sni ? ` (SNI "${e.sni}")` : ''} could not be probed; its findings are inconclusive: ${e.error ?? 'not tested'}` },
                  locations: [{ physicalLocation: { artifactLocation: { uri: relativePath(cwd, e.source.file), uriBaseId: '%SRCROOT%' }, region: { startLine: e.source.line } } }],
                })),
              ...notices.map((n) => ({
                level: 'note',
                message: { text: n.message },
                locations: [{ physicalLocation: { artifactLocation: { uri: relativePath(cwd, n.file), uriBaseId: '%SRCROOT%' } } }],
              })),
              ...errors.map((e) => ({
              level: 'error',
              message: { text: e.message },
              ...(e.kind && { properties: { kind: e.kind } }),
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: relativePath(cwd, e.file), uriBaseId: '%SRCROOT%' },
                    ...(e.line !== undefined && { region: { startLine: e.line, ...(e.column !== undefined && { startColumn: e.column }) } }),
                  },
                },
              ],
              })),
            ],
          },
        ],
      },
    ],
  };
}
