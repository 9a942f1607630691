/**
 * SARIF 2.1.0 output for code-scanning services (GitHub, GitLab, Azure DevOps). One run, the
 * rules as `tool.driver.rules`, findings as `results` with `partialFingerprints` so that
 * re-runs update alerts instead of duplicating them. Parse errors become tool notifications.
 */
import { relativePath } from '../model/location.js';
import { REPOSITORY_URL, type Rule, type RuleMeta } from '../engine/rule-api.js';
import { fixSection, ruleReadme } from './rule-docs.js';
import type { Finding, LintError, LintNotice, Severity } from '../model/finding.js';
import type { EndpointReport } from '../confirm/index.js';
import { CONFIG_DRIFT_META, probeProperties } from './confirm.js';
import { RELATED_DEFINITION, toJsonEndpoint } from './json.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
};

/**
 * GitHub code scanning's `security-severity` (0–10; ≥ 9 critical, ≥ 7 high, ≥ 4 medium, else
 * low), from the rule's default severity: an error is high — higher still where an attacker in
 * the path needs nothing more (verification off, clients let in without a certificate) — a
 * warning medium, an info low.
 */
function securitySeverity(meta: RuleMeta): string {
  if (meta.defaultSeverity === 'error')
    return meta.category === 'verification' || meta.category === 'client-auth' ? '8.1' : '7.5';
  return meta.defaultSeverity === 'warning' ? '5.0' : '2.0';
}

/** The rule's help: its README's fix section, and where the whole README is. */
function helpOf(meta: RuleMeta, docsUrl: string): { text: string; markdown: string } {
  const fix = fixSection(ruleReadme(meta.id) ?? '');
  const text = `${meta.title}.${fix ? `\n\nHow to fix:\n${fix}` : ''}\n\nDocumentation: ${docsUrl}`;
  const markdown = `**${meta.title}.**${fix ? `\n\n## How to fix\n\n${fix}` : ''}\n\n[Documentation](${docsUrl})`;
  return { text, markdown };
}

/**
 * A result's message: the joined text, and in Markdown the headline in bold, the evidence, and
 * the fix on its own line. Values from the linted files are escaped (they are not Markdown).
 */
function resultMessage(f: Finding): { text: string; markdown?: string } {
  if (f.headline === undefined || f.fix === undefined) return { text: f.message };
  const evidence = f.evidence ? `: ${markdownText(f.evidence)}` : '';
  return {
    text: f.message,
    markdown: `**${markdownText(f.headline)}**${evidence}\n\n**Fix:** ${markdownText(f.fix)}`,
  };
}

/**
 * Plain text for a Markdown message: the characters that open emphasis, code, links, HTML or
 * tables are backslash-escaped (a message never starts a line with `#`, `-` or `+`).
 */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_[\]<>|~]/g, (ch) => `\\${ch}`);
}

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
  const rules = findings.some((f) => f.ruleId === CONFIG_DRIFT_META.id)
    ? [...allRules, { meta: CONFIG_DRIFT_META } as Rule]
    : allRules;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tls-lint',
            version,
            informationUri: REPOSITORY_URL,
            rules: rules.map((r) => ({
              id: r.meta.id,
              name: r.meta.id,
              shortDescription: { text: r.meta.title },
              helpUri: docsUrl(r.meta.id),
              help: helpOf(r.meta, docsUrl(r.meta.id)),
              defaultConfiguration: { level: LEVEL[r.meta.defaultSeverity] },
              properties: {
                tags: [
                  'security',
                  ...r.meta.cwe.map((c) => `external/cwe/cwe-${c}`),
                  ...r.meta.owasp.map((o) => `owasp-${o}`),
                ],
                precision:
                  r.meta.precision === 'medium'
                    ? 'medium'
                    : r.meta.precision === 'low'
                      ? 'low'
                      : 'high',
                'problem.severity':
                  LEVEL[r.meta.defaultSeverity] === 'note'
                    ? 'recommendation'
                    : LEVEL[r.meta.defaultSeverity],
                'security-severity': securitySeverity(r.meta),
              },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: Math.max(
            0,
            rules.findIndex((r) => r.meta.id === f.ruleId),
          ),
          level: LEVEL[f.severity],
          message: resultMessage(f),
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: relativePath(cwd, f.at.file), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: f.at.line,
                  startColumn: f.at.column,
                  endLine: f.at.endLine,
                  endColumn: f.at.endColumn,
                },
              },
            },
          ],
          ...(f.at.definedAt && {
            relatedLocations: [
              {
                id: 1,
                message: { text: RELATED_DEFINITION },
                physicalLocation: {
                  artifactLocation: {
                    uri: relativePath(cwd, f.at.definedAt.file),
                    uriBaseId: '%SRCROOT%',
                  },
                  region: {
                    startLine: f.at.definedAt.line,
                    startColumn: f.at.definedAt.column,
                    endLine: f.at.definedAt.endLine,
                    endColumn: f.at.definedAt.endColumn,
                  },
                },
              },
            ],
          }),
          partialFingerprints: { 'tlsLint/v1': f.fingerprint },
          properties: {
            precision: f.precision,
            language: f.language,
            // SARIF's own `fixes` must carry artifactChanges (§3.55: required, one or more), so a
            // fix in words goes here, and into message.markdown.
            ...(f.headline !== undefined && { headline: f.headline }),
            ...(f.evidence !== undefined && { evidence: f.evidence }),
            ...(f.fix !== undefined && { fix: f.fix }),
            ...(f.probe && probeProperties(f.probe)),
            ...(f.context && { context: f.context }),
          },
        })),
        ...(confirm && {
          properties: {
            // The JSON report's endpoint, without how it was mapped (not part of the SARIF log).
            endpoints: confirm.endpoints.map((e) => {
              const { mappedBy: _mappedBy, ...endpoint } = toJsonEndpoint(e, cwd);
              return endpoint;
            }),
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
                  message: {
                    text: `Endpoint ${e.endpoint}${e.sni ? ` (SNI "${e.sni}")` : ''} could not be probed; its findings are inconclusive: ${e.error ?? 'not tested'}`,
                  },
                  locations: [
                    {
                      physicalLocation: {
                        artifactLocation: {
                          uri: relativePath(cwd, e.source.file),
                          uriBaseId: '%SRCROOT%',
                        },
                        region: { startLine: e.source.line },
                      },
                    },
                  ],
                })),
              ...notices.map((n) => ({
                level: 'note',
                message: { text: n.message },
                // A grouped notice (nginx fragments) is one notification located at every file it is about.
                locations: (n.files ?? [n]).map((f) => ({
                  physicalLocation: {
                    artifactLocation: { uri: relativePath(cwd, f.file), uriBaseId: '%SRCROOT%' },
                  },
                })),
              })),
              ...errors.map((e) => ({
                level: 'error',
                message: { text: e.message },
                ...(e.kind && { properties: { kind: e.kind } }),
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: relativePath(cwd, e.file), uriBaseId: '%SRCROOT%' },
                      ...(e.line !== undefined && {
                        region: {
                          startLine: e.line,
                          ...(e.column !== undefined && { startColumn: e.column }),
                        },
                      }),
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
