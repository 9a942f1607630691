/**
 * The fixture harness (DESIGN.md §7): every annotated file under fixtures/ is linted alone (every
 * folder under fixtures/projects/ as a whole tree) and checked both ways:
 * - each `ruleid:` line gets exactly that finding; each `ok:` line does not;
 * - every finding in a fixture file is annotated (`ruleid:`, or `todook:` for a known false positive);
 * - `todoruleid:`/`todook:` mark known gaps and fail once they start passing.
 * The rendered stylish output is kept beside the fixtures in __snapshots__/ to show how it reads.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lint, type LintOptions } from '../src/engine/lint.js';
import { parseTargetArgs } from '../src/config/targets.js';
import type { MtlsMode, ProfileName } from '../src/config/policy.js';
import type { Finding } from '../src/model/finding.js';
import { PLAIN } from '../src/report/colors.js';
import { formatStylish } from '../src/report/stylish.js';
import { parseAnnotations, parseFixtureOptions, type Annotation } from './support/annotations.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');
const PROJECTS = path.join(FIXTURES, 'projects');

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name === '__snapshots__' || name === 'node_modules') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

function readAnnotated(file: string): { text: string; annotations: Annotation[] } | undefined {
  if (/\.(md|pem|crt|key|der|txt)$/i.test(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const annotations = parseAnnotations(text);
  return annotations.length ? { text, annotations } : undefined;
}

function optionsFrom(args: string[]): Partial<LintOptions> {
  const targets: string[] = [];
  const policy: { mtls?: MtlsMode; profile?: ProfileName } = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = args[i + 1] ?? '';
    if (a === '--target') targets.push(v);
    else if (a === '--mtls') policy.mtls = v as MtlsMode;
    else if (a === '--profile') policy.profile = v as ProfileName;
    else throw new Error(`unknown fixture option ${a}`);
    i++;
  }
  return { targets: parseTargetArgs(targets), policy };
}

/** Compares one file's findings with its annotations; returns the problems as readable lines. */
function check(file: string, annotations: Annotation[], findings: Finding[]): string[] {
  const problems: string[] = [];
  const rel = path.relative(FIXTURES, file);
  const has = (ruleId: string, line: number) =>
    findings.some((f) => f.ruleId === ruleId && f.at.line === line);
  const describeFindings = (line: number) =>
    findings
      .filter((f) => f.at.line === line)
      .map((f) => f.ruleId)
      .join(', ') || 'none';
  for (const a of annotations) {
    const fired = has(a.ruleId, a.line);
    if (a.kind === 'ruleid' && !fired)
      problems.push(
        `${rel}:${a.line}: expected ${a.ruleId} (annotation on line ${a.annotationLine}); findings on that line: ${describeFindings(a.line)}`,
      );
    if (a.kind === 'ok' && fired)
      problems.push(
        `${rel}:${a.line}: unexpected ${a.ruleId} on an "ok" line: ${findings.find((f) => f.ruleId === a.ruleId && f.at.line === a.line)!.message}`,
      );
    if (a.kind === 'todoruleid' && fired)
      problems.push(`${rel}:${a.line}: todoruleid ${a.ruleId} now fires: change it to "ruleid"`);
    if (a.kind === 'todook' && !fired)
      problems.push(`${rel}:${a.line}: todook ${a.ruleId} no longer fires: change it to "ok"`);
  }
  for (const f of findings) {
    const annotated = annotations.some(
      (a) =>
        a.ruleId === f.ruleId &&
        a.line === f.at.line &&
        (a.kind === 'ruleid' || a.kind === 'todook'),
    );
    if (!annotated)
      problems.push(`${rel}:${f.at.line}:${f.at.column}: unannotated ${f.ruleId}: ${f.message}`);
  }
  return problems;
}

function assertPortable(findings: Finding[]): void {
  // Messages go into committed snapshots and CI logs: no absolute paths of this machine.
  for (const f of findings)
    expect(f.message, `message of ${f.ruleId} holds an absolute path`).not.toContain(FIXTURES);
}

const allFiles = walk(FIXTURES);
const singleFiles = allFiles.filter((f) => !f.startsWith(PROJECTS + path.sep));
const projects = (() => {
  try {
    return readdirSync(PROJECTS)
      .filter((n) => n !== '__snapshots__' && statSync(path.join(PROJECTS, n)).isDirectory())
      .sort();
  } catch {
    return [];
  }
})();

describe('annotated fixtures', () => {
  const annotatedFiles = singleFiles
    .map((f) => ({ file: f, data: readAnnotated(f) }))
    .filter((x) => x.data);

  it('there are annotated fixtures to check', () => {
    expect(annotatedFiles.length).toBeGreaterThan(0);
  });

  for (const { file, data } of annotatedFiles) {
    it(path.relative(FIXTURES, file), async () => {
      const result = await lint({
        paths: [file],
        cwd: FIXTURES,
        ...optionsFrom(parseFixtureOptions(data!.text)),
      });
      expect(result.errors, 'the fixture must parse').toEqual([]);
      assertPortable(result.findings);
      expect(check(file, data!.annotations, result.findings)).toEqual([]);
      const rendered = formatStylish(result.findings, result.errors, {
        cwd: FIXTURES,
        palette: PLAIN,
        sourceOf: (f) => result.sources.cachedText(f),
      });
      const rel = path.relative(FIXTURES, file);
      await expect(rendered).toMatchFileSnapshot(
        path.join(FIXTURES, path.dirname(rel), '__snapshots__', `${path.basename(rel)}.txt`),
      );
    });
  }

  for (const project of projects) {
    it(`projects/${project}`, async () => {
      const dir = path.join(PROJECTS, project);
      const files = walk(dir).map((f) => ({ file: f, data: readAnnotated(f) }));
      const optionsSource = files.find((f) => f.data && parseFixtureOptions(f.data.text).length);
      const result = await lint({
        paths: [dir],
        cwd: FIXTURES,
        ...optionsFrom(optionsSource ? parseFixtureOptions(optionsSource.data!.text) : []),
      });
      expect(result.errors, 'the project must parse').toEqual([]);
      assertPortable(result.findings);
      const problems: string[] = [];
      for (const { file, data } of files) {
        const own = result.findings.filter((f) => f.at.file === file);
        problems.push(...check(file, data?.annotations ?? [], own));
      }
      expect(problems).toEqual([]);
      const rendered = formatStylish(result.findings, result.errors, {
        cwd: FIXTURES,
        palette: PLAIN,
        sourceOf: (f) => result.sources.cachedText(f),
      });
      await expect(rendered).toMatchFileSnapshot(
        path.join(PROJECTS, '__snapshots__', `${project}.txt`),
      );
    });
  }
});
