/**
 * The checks of the rule-folder meta-test (test/rules/rule-folders.test.ts) as functions of a
 * tree's root, so the new-rule scaffold's output can be checked the same way in a temp copy.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_DRIFT_META } from '../../src/confirm/meta.js';
import { RULE_README_SECTIONS } from '../../src/report/rule-docs.js';
import { parseAnnotations } from './annotations.js';

/** The sections of a rule README, in this order (subsections may sit inside them). */
export const README_HEADINGS = RULE_README_SECTIONS;

/** Rule ids documented under rules/ that no static rule implements, and why they have no fixtures. */
const NOT_STATIC = new Map([
  [CONFIG_DRIFT_META.id, 'found by --confirm against a live endpoint; test/confirm covers it'],
]);

/** Fixture folders that are not one rule's, and what they hold. */
export const SHARED_FIXTURE_FOLDERS = new Map([
  ['projects', 'whole trees linted as one project'],
  ['ts-syntax', "the Node reader's TypeScript syntax corpus"],
  ['markdown', 'code blocks in Markdown, read by their language reader'],
]);

export const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/** The rule folders under `root`/rules. */
export function ruleFolders(root: string): string[] {
  const dir = path.join(root, 'rules');
  return readdirSync(dir)
    .filter((n) => isDir(path.join(dir, n)))
    .sort();
}

function filesUnder(dir: string): string[] {
  if (!isDir(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      if (n === '__snapshots__') return [];
      const full = path.join(dir, n);
      return isDir(full) ? filesUnder(full) : [full];
    });
}

/** What a README lacks: its title, or headings missing or out of order. */
export function readmeProblems(id: string, text: string): string[] {
  const problems: string[] = [];
  if (!new RegExp(`^# ${id}\\s*$`, 'm').test(text))
    problems.push(`its first heading must be "# ${id}"`);
  const found = [...text.matchAll(/^## (.+?)\s*$/gm)].map((m) => m[1]!);
  const missing = README_HEADINGS.filter((h) => !found.includes(h));
  if (missing.length)
    problems.push(`missing section(s) ${missing.map((h) => `"## ${h}"`).join(', ')}`);
  const order = found.filter((h): h is (typeof README_HEADINGS)[number] =>
    (README_HEADINGS as readonly string[]).includes(h),
  );
  if (!missing.length && order.join('|') !== README_HEADINGS.join('|'))
    problems.push(
      `sections out of order: ${order.join(', ')}; expected ${README_HEADINGS.join(', ')}`,
    );
  const extra = found.filter((h) => !(README_HEADINGS as readonly string[]).includes(h));
  if (extra.length)
    problems.push(
      `unknown section(s) ${extra.map((h) => `"## ${h}"`).join(', ')} (use "###" inside a standard section)`,
    );
  return problems;
}

/** What `rules/<id>/` under `root` lacks: registration, files, README sections, annotated fixtures. */
export function ruleFolderProblems(
  root: string,
  id: string,
  registered: ReadonlySet<string>,
): string[] {
  const problems: string[] = [];
  const dir = path.join(root, 'rules', id);
  const fixtures = path.join(root, 'fixtures', id);
  const notStatic = NOT_STATIC.get(id);
  if (!notStatic) {
    if (!registered.has(id))
      problems.push(
        `not registered: add "import { rule as … } from './${id}/index.js'" and the rule to RULES in rules/index.ts`,
      );
    for (const f of ['index.ts', 'meta.ts'])
      if (!existsSync(path.join(dir, f))) problems.push(`rules/${id}/${f} is missing`);
  }
  const readme = path.join(dir, 'README.md');
  if (!existsSync(readme))
    problems.push(`rules/${id}/README.md is missing (sections: ${README_HEADINGS.join(', ')})`);
  else
    problems.push(
      ...readmeProblems(id, readFileSync(readme, 'utf8')).map((p) => `rules/${id}/README.md: ${p}`),
    );
  if (!notStatic) {
    const annotations = filesUnder(fixtures).flatMap((f) =>
      /\.(pem|crt|key|der|md|txt)$/i.test(f) ? [] : parseAnnotations(readFileSync(f, 'utf8')),
    );
    if (!isDir(fixtures))
      problems.push(
        `fixtures/${id}/ is missing: add a file with a "ruleid: ${id}" and an "ok: ${id}" annotation`,
      );
    else {
      if (!annotations.some((a) => a.kind === 'ruleid' && a.ruleId === id))
        problems.push(
          `fixtures/${id}/ has no "ruleid: ${id}" annotation (a line the rule must report)`,
        );
      if (!annotations.some((a) => a.kind === 'ok' && a.ruleId === id))
        problems.push(
          `fixtures/${id}/ has no "ok: ${id}" annotation (a line the rule must leave alone)`,
        );
    }
  }
  return problems;
}
