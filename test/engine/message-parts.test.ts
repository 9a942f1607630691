/**
 * Messages in parts (issue #17): a rule report carries a headline, the evidence and the fix; the
 * engine joins them into `message` (the JSON contract) and every reporter lays them out.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { rule as protocolRule } from '../../rules/insecure-protocol-version/index.js';
import { eslintMessage } from '../../eslint-plugin/src/rules.js';
import { DEFAULT_POLICY } from '../../src/config/policy.js';
import { Targets } from '../../src/config/targets.js';
import { checkContext } from '../../src/engine/check.js';
import { ruleDocsUrl } from '../../src/engine/rule-api.js';
import { joinMessage, type Finding } from '../../src/model/finding.js';
import { explicit } from '../../src/model/setting.js';
import { PLAIN } from '../../src/report/colors.js';
import { toJsonReport } from '../../src/report/json.js';
import { markdownText, toSarif } from '../../src/report/sarif.js';
import { formatStylish } from '../../src/report/stylish.js';
import { at, FILE, serverContext } from '../support/contexts.js';

type Parted = Finding & { headline: string; evidence: string; fix: string };

function tls10Finding(): Parted {
  const context = serverContext({
    protocols: explicit(['TLSv1.0', 'TLSv1.2'], at(3, 3, 20), 'minVersion', "'TLSv1'"),
  });
  const { findings } = checkContext(context, [protocolRule], {
    policy: DEFAULT_POLICY,
    targets: new Targets(new Map()),
  });
  expect(findings).toHaveLength(1);
  const f = findings[0]!;
  expect([typeof f.headline, typeof f.evidence, typeof f.fix]).toEqual([
    'string',
    'string',
    'string',
  ]);
  return f as Parted;
}

interface SarifResult {
  message: { text: string; markdown?: string };
  properties: Record<string, unknown>;
  fixes?: unknown;
}

describe('a finding carries its message in parts', () => {
  it('headline, evidence and fix, and the joined message', () => {
    const f = tls10Finding();
    expect(f.headline).toBe('TLS 1.0 enabled in tls.createServer() options');
    expect(f.evidence).toBe(`"minVersion" is 'TLSv1'`);
    expect(f.fix).toBe('allow only TLS 1.2 and TLS 1.3 (minVersion: "TLSv1.2", no secureProtocol)');
    expect(f.message).toBe(`${f.headline}: ${f.evidence}; ${f.fix}`);
    expect(joinMessage({ headline: 'H', fix: 'do x' })).toBe('H; do x');
  });

  it('stylish prints the headline with its evidence, and the fix on a help: line wrapped like the message', () => {
    const f = tls10Finding();
    const text = formatStylish([f], [], {
      cwd: '/project',
      palette: PLAIN,
      sourceOf: () => undefined,
    });
    const lines = text.split('\n');
    expect(lines[1]).toBe(
      `  3:3     error    ${f.headline}: ${f.evidence}  [insecure-protocol-version]`,
    );
    expect(lines[2]).toBe(`                   help: ${f.fix}`);
    const narrow = formatStylish([f], [], {
      cwd: '/project',
      palette: PLAIN,
      sourceOf: () => undefined,
      width: 60,
    }).split('\n');
    const help = narrow.findIndex((l) => l.includes('help: '));
    expect(narrow[help]).toMatch(/^ {19}help: allow only TLS 1\.2 and TLS 1\.3/);
    expect(narrow[help + 1]).toMatch(/^ {25}\S/);
    expect(narrow.every((l) => l.length <= 60)).toBe(true);
  });

  it('JSON keeps message whole and adds headline, evidence and fix', () => {
    const f = tls10Finding();
    const [json] = toJsonReport([f], [], '/project', ruleDocsUrl).findings;
    expect(json).toMatchObject({
      message: f.message,
      headline: f.headline,
      evidence: f.evidence,
      fix: f.fix,
    });
  });

  it('SARIF: message.text whole, message.markdown in parts, the fix in properties (SARIF fixes need artifactChanges)', () => {
    const f = tls10Finding();
    const sarif = toSarif([f], [], RULES, '/project', '0.0.0', ruleDocsUrl) as {
      runs: Array<{ results: SarifResult[] }>;
    };
    const result = sarif.runs[0]!.results[0]!;
    expect(result.message.text).toBe(f.message);
    expect(result.message.markdown).toBe(`**${f.headline}**: ${f.evidence}\n\n**Fix:** ${f.fix}`);
    expect(result.properties).toMatchObject({
      headline: f.headline,
      evidence: f.evidence,
      fix: f.fix,
    });
    expect(result.fixes).toBeUndefined();
    expect(markdownText('a *b* [c](d) <e> `f` x_y | z')).toBe(
      'a \\*b\\* \\[c\\](d) \\<e\\> \\`f\\` x\\_y \\| z',
    );
  });

  it('the ESLint plugin shows the headline and evidence, then the fix', () => {
    const f = tls10Finding();
    expect(eslintMessage(f)).toBe(`${f.headline}: ${f.evidence}. Fix: ${f.fix}`);
    expect(eslintMessage({ message: 'whole' })).toBe('whole');
  });

  it('a finding without parts (made by hand) prints its message whole', () => {
    const f: Finding = {
      ruleId: 'x',
      severity: 'warning',
      message: 'whole message',
      at: at(1),
      language: 'node',
      precision: 'high',
      fingerprint: '',
    };
    const text = formatStylish([f], [], {
      cwd: '/project',
      palette: PLAIN,
      sourceOf: () => undefined,
    });
    expect(text).toContain('whole message  [x]');
    expect(text).not.toContain('help:');
    expect(toJsonReport([f], [], '/project', ruleDocsUrl).findings[0]).not.toHaveProperty('fix');
    expect(FILE).toBe('/project/app.js');
  });
});
