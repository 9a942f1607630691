/**
 * Meta-test over the rule folders (in the manner of typescript-eslint's docs test): every
 * `rules/<id>/` is registered in rules/index.ts, documented in a README with the standard
 * headings, and has fixtures under `fixtures/<id>/` with at least one `ruleid:` and one `ok:`
 * line for it. Snapshots belong to a fixture that still exists. Each failure says what is
 * missing and where, so a new rule's author knows what to add.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { CONFIG_DRIFT_META } from '../../src/confirm/meta.js';
import { parseAnnotations } from '../support/annotations.js';
import { ROOT } from '../support/cli.js';

/** The sections of a rule README, in this order (subsections may sit inside them). */
export const README_HEADINGS = ['What it flags', 'Why it matters', 'Examples', 'How to fix', 'Live probe', 'When to suppress', 'References'] as const;

/** Rule ids documented under rules/ that no static rule implements, and why they have no fixtures. */
const NOT_STATIC = new Map([[CONFIG_DRIFT_META.id, 'found by --confirm against a live endpoint; test/confirm covers it']]);

/** Fixture folders that are not one rule's, and what they hold. */
const SHARED_FIXTURE_FOLDERS = new Map([
  ['projects', 'whole trees linted as one project'],
  ['ts-syntax', "the Node reader's TypeScript syntax corpus"],
  ['markdown', 'code blocks in Markdown, read by their language reader'],
]);

const RULES_DIR = path.join(ROOT, 'rules');
const FIXTURES = path.join(ROOT, 'fixtures');
const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
const folders = readdirSync(RULES_DIR).filter((n) => isDir(path.join(RULES_DIR, n))).sort();
const registered = new Set(RULES.map((r) => r.meta.id));

function filesUnder(dir: string): string[] {
  if (!isDir(dir)) return [];
  return readdirSync(dir).sort().flatMap((n) => {
    if (n === '__snapshots__') return [];
    const full = path.join(dir, n);
    return isDir(full) ? filesUnder(full) : [full];
  });
}

/** What a README lacks: its title, or headings missing or out of order. */
export function readmeProblems(id: string, text: string): string[] {
  const problems: string[] = [];
  if (!new RegExp(`^# ${id}\\s*$`, 'm').test(text)) problems.push(`its first heading must be "# ${id}"`);
  const found = [...text.matchAll(/^## (.+?)\s*$/gm)].map((m) => m[1]!);
  const missing = README_HEADINGS.filter((h) => !found.includes(h));
  if (missing.length) problems.push(`missing section(s) ${missing.map((h) => `"## ${h}"`).join(', ')}`);
  const order = found.filter((h): h is (typeof README_HEADINGS)[number] => (README_HEADINGS as readonly string[]).includes(h));
  if (!missing.length && order.join('|') !== README_HEADINGS.join('|')) problems.push(`sections out of order: ${order.join(', ')}; expected ${README_HEADINGS.join(', ')}`);
  const extra = found.filter((h) => !(README_HEADINGS as readonly string[]).includes(h));
  if (extra.length) problems.push(`unknown section(s) ${extra.map((h) => `"## ${h}"`).join(', ')} (use "###" inside a standard section)`);
  return problems;
}

describe('rule folders', () => {
  it('every registered rule has a folder', () => {
    expect([...registered].filter((id) => !folders.includes(id)).map((id) => `rules/${id}/ is missing for the registered rule ${id}`)).toEqual([]);
  });

  for (const id of folders) {
    it(`rules/${id}`, () => {
      const problems: string[] = [];
      const dir = path.join(RULES_DIR, id);
      const notStatic = NOT_STATIC.get(id);
      if (!notStatic) {
        if (!registered.has(id)) problems.push(`not registered: add "import { rule as … } from './${id}/index.js'" and the rule to RULES in rules/index.ts`);
        for (const f of ['index.ts', 'meta.ts']) if (!existsSync(path.join(dir, f))) problems.push(`rules/${id}/${f} is missing`);
      }
      const readme = path.join(dir, 'README.md');
      if (!existsSync(readme)) problems.push(`rules/${id}/README.md is missing (sections: ${README_HEADINGS.join(', ')})`);
      else problems.push(...readmeProblems(id, readFileSync(readme, 'utf8')).map((p) => `rules/${id}/README.md: ${p}`));
      if (!notStatic) {
        const annotations = filesUnder(path.join(FIXTURES, id)).flatMap((f) => (/\.(pem|crt|key|der|md|txt)$/i.test(f) ? [] : parseAnnotations(readFileSync(f, 'utf8'))));
        if (!isDir(path.join(FIXTURES, id))) problems.push(`fixtures/${id}/ is missing: add a file with a "ruleid: ${id}" and an "ok: ${id}" annotation`);
        else {
          if (!annotations.some((a) => a.kind === 'ruleid' && a.ruleId === id)) problems.push(`fixtures/${id}/ has no "ruleid: ${id}" annotation (a line the rule must report)`);
          if (!annotations.some((a) => a.kind === 'ok' && a.ruleId === id)) problems.push(`fixtures/${id}/ has no "ok: ${id}" annotation (a line the rule must leave alone)`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  it('fixture folders are named after a rule, or listed as shared with their purpose', () => {
    const stray = readdirSync(FIXTURES).filter((n) => isDir(path.join(FIXTURES, n)) && !SHARED_FIXTURE_FOLDERS.has(n) && !folders.includes(n));
    expect(stray.map((n) => `fixtures/${n}/ names no rule in rules/: rename it to the rule's id, or add it to SHARED_FIXTURE_FOLDERS in this test with its purpose`)).toEqual([]);
  });

  it('every snapshot belongs to a fixture that exists', () => {
    const orphans: string[] = [];
    const visit = (dir: string) => {
      for (const n of readdirSync(dir)) {
        const full = path.join(dir, n);
        if (!isDir(full)) continue;
        if (n !== '__snapshots__') {
          visit(full);
          continue;
        }
        const owner = path.dirname(full);
        for (const snap of readdirSync(full)) {
          const subject = path.join(owner, snap.replace(/\.txt$/, ''));
          // fixtures/<rule>/__snapshots__/<file>.txt for a file; fixtures/projects/__snapshots__/<project>.txt for a project
          if (!existsSync(subject)) orphans.push(`${path.relative(ROOT, path.join(full, snap))}: ${path.relative(ROOT, subject)} does not exist; delete the snapshot`);
        }
      }
    };
    visit(FIXTURES);
    expect(orphans).toEqual([]);
  });
});

describe('the README check says what is missing', () => {
  it('names missing, unknown and misordered sections', () => {
    expect(readmeProblems('x', '# x\n## What it flags\n## Fix\n')).toEqual([
      'missing section(s) "## Why it matters", "## Examples", "## How to fix", "## Live probe", "## When to suppress", "## References"',
      'unknown section(s) "## Fix" (use "###" inside a standard section)',
    ]);
    const all = README_HEADINGS.map((h) => `## ${h}`);
    expect(readmeProblems('x', ['# x', ...all].join('\n'))).toEqual([]);
    expect(readmeProblems('x', ['# y', ...[...all].reverse()].join('\n'))).toEqual([
      'its first heading must be "# x"',
      `sections out of order: ${[...README_HEADINGS].reverse().join(', ')}; expected ${README_HEADINGS.join(', ')}`,
    ]);
  });
});
