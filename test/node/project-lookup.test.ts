/**
 * Which project configuration applies to a file: the nearest tsconfig.json/jsconfig.json from its
 * folder up to the boundary (the working directory), found once per folder whatever order the
 * files come in.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectImportTargets } from '../../src/languages/node/project-modules.js';
import { writeTree } from '../support/trees.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const config = (target: string) =>
  JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '#which': [target] } } });
const root = writeTree(
  'tls-lint-project-lookup-',
  {
    'tree/outer/tsconfig.json': config('./outer-mark'),
    'tree/outer/outer-mark.ts': '',
    'tree/outer/a/b/inner/jsconfig.json': config('./inner-mark'),
    'tree/outer/a/b/inner/inner-mark.ts': '',
    'tree/outer/a/b/inner/c/d/deep.ts': '',
    'tree/outer/a/b/c/middle.ts': '',
    'tree/outer/a/top.ts': '',
    'tree/none/e/f/plain.ts': '',
    // Above the boundary: never looked at.
    'tsconfig.json': config('./above-mark'),
    'above-mark.ts': '',
  },
  made,
);
const boundary = path.join(root, 'tree');

const readText = (f: string) => {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * For each file, asked in the given order: the file `#which` resolves to (each configuration
 * maps it to its own), or `none` when no configuration applies.
 */
function configsFor(files: string[]): string[] {
  const targets = projectImportTargets({ readText, boundary });
  return files.map((f) => {
    const resolve = targets(path.join(boundary, f));
    if (!resolve) return 'none';
    return path.relative(boundary, resolve('#which') ?? '(unresolved)');
  });
}

describe('the project configuration of a file', () => {
  const files = [
    'outer/a/b/inner/c/d/deep.ts',
    'outer/a/b/c/middle.ts',
    'outer/a/top.ts',
    'none/e/f/plain.ts',
  ];
  const expected = [
    'outer/a/b/inner/inner-mark.ts',
    'outer/outer-mark.ts',
    'outer/outer-mark.ts',
    'none',
  ];

  it('is the nearest one from the file up to the boundary', () => {
    expect(configsFor(files)).toEqual(expected);
  });

  it('is the same whatever order the files come in', () => {
    expect(configsFor([...files].reverse())).toEqual([...expected].reverse());
    expect(configsFor(['outer/a/top.ts', ...files])).toEqual([expected[2], ...expected]);
  });
});
