/**
 * Meta-test over the rule folders (in the manner of typescript-eslint's docs test): every
 * `rules/<id>/` is registered in rules/index.ts, documented in a README with the standard
 * headings, and has fixtures under `fixtures/<id>/` with at least one `ruleid:` and one `ok:`
 * line for it. Snapshots belong to a fixture that still exists. Each failure says what is
 * missing and where, so a new rule's author knows what to add.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { ROOT } from '../support/cli.js';
import {
  README_HEADINGS,
  SHARED_FIXTURE_FOLDERS,
  isDir,
  readmeProblems,
  ruleFolderProblems,
  ruleFolders,
} from '../support/rule-folders.js';

const FIXTURES = path.join(ROOT, 'fixtures');
const folders = ruleFolders(ROOT);
const registered = new Set(RULES.map((r) => r.meta.id));

describe('rule folders', () => {
  it('every registered rule has a folder', () => {
    expect(
      [...registered]
        .filter((id) => !folders.includes(id))
        .map((id) => `rules/${id}/ is missing for the registered rule ${id}`),
    ).toEqual([]);
  });

  for (const id of folders) {
    it(`rules/${id}`, () => {
      expect(ruleFolderProblems(ROOT, id, registered)).toEqual([]);
    });
  }

  it('fixture folders are named after a rule, or listed as shared with their purpose', () => {
    const stray = readdirSync(FIXTURES).filter(
      (n) =>
        isDir(path.join(FIXTURES, n)) && !SHARED_FIXTURE_FOLDERS.has(n) && !folders.includes(n),
    );
    expect(
      stray.map(
        (n) =>
          `fixtures/${n}/ names no rule in rules/: rename it to the rule's id, or add it to SHARED_FIXTURE_FOLDERS in test/support/rule-folders.ts with its purpose`,
      ),
    ).toEqual([]);
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
          if (!existsSync(subject))
            orphans.push(
              `${path.relative(ROOT, path.join(full, snap))}: ${path.relative(ROOT, subject)} does not exist; delete the snapshot`,
            );
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
