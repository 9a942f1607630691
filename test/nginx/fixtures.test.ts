/**
 * The nginx fixtures, checked both ways like the project-wide harness does (DESIGN.md §7):
 * every `ruleid:` line gets that finding, every finding is annotated, `ok:` lines get none.
 * Kept here too so the nginx area proves its fixtures on its own.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import {
  nginxFixtures,
  readAnnotations,
  readOptions,
  type Annotation,
} from './fixture-annotations.js';

const ROOT = path.resolve(__dirname, '../../fixtures');

describe('nginx fixtures', () => {
  const fixtures = nginxFixtures();

  test('there are at least 40 annotated nginx fixture files', () => {
    const annotated = fixtures.flatMap((f) => f.files).filter((f) => readAnnotations(f).length > 0);
    expect(annotated.length).toBeGreaterThanOrEqual(40);
  });

  for (const fixture of fixtures) {
    test(fixture.name, async () => {
      const text = fixture.files.map((f) => readFileSync(f, 'utf8')).join('\n');
      const options = readOptions(text);
      const result = await lint({
        paths: fixture.paths,
        cwd: ROOT,
        targets: options.targets,
        policy: options.policy,
      });
      expect(
        result.errors.map((e) => `${path.relative(ROOT, e.file)}:${e.line}: ${e.message}`),
      ).toEqual([]);

      const annotations: Annotation[] = fixture.files.flatMap((f) => readAnnotations(f));
      const found = new Set(result.findings.map((f) => `${f.at.file}:${f.at.line}:${f.ruleId}`));
      const problems: string[] = [];
      for (const a of annotations) {
        for (const rule of a.rules) {
          const has = found.has(`${a.file}:${a.line}:${rule}`);
          const where = `${path.relative(ROOT, a.file)}:${a.line}`;
          if (a.kind === 'ruleid' && !has) problems.push(`${where}: expected ${rule}`);
          if (a.kind === 'ok' && has) problems.push(`${where}: unexpected ${rule}`);
          if (a.kind === 'todoruleid' && has)
            problems.push(`${where}: todoruleid ${rule} now passes; make it ruleid`);
          if (a.kind === 'todook' && !has)
            problems.push(`${where}: todook ${rule} now passes; make it ok`);
        }
      }
      const expected = new Set(
        annotations
          .filter((a) => a.kind === 'ruleid' || a.kind === 'todook')
          .flatMap((a) => a.rules.map((r) => `${a.file}:${a.line}:${r}`)),
      );
      for (const f of result.findings) {
        if (!expected.has(`${f.at.file}:${f.at.line}:${f.ruleId}`))
          problems.push(
            `${path.relative(ROOT, f.at.file)}:${f.at.line}: unannotated ${f.ruleId}: ${f.message}`,
          );
      }
      expect(problems).toEqual([]);
    });
  }
});
