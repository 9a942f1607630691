/**
 * A node_modules folder that is the project's own source (un-ignored by .gitignore as Node-RED
 * does, or tracked in git) is linted; installed dependencies are still skipped.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverFiles } from '../../src/engine/discover.js';
import { lint } from '../../src/engine/lint.js';
import { writeRepo, writeTree } from '../support/trees.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const SERVER =
  "const tls = require('tls');\nmodule.exports = tls.connect({ host: 'x', rejectUnauthorized: false });\n";

function listed(root: string): string[] {
  return discoverFiles(['.'], root)
    .files.map((f) => path.relative(root, f.path).split(path.sep).join('/'))
    .filter((f) => f.endsWith('.js'))
    .sort();
}

describe("node_modules that are the project's own source", () => {
  it('a folder un-ignored by a .gitignore negation is linted (Node-RED layout)', async () => {
    const root = writeRepo(
      'tls-lint-own-nm-',
      {
        '.gitignore': 'node_modules\n!packages/node_modules\n',
        'packages/node_modules/@app/runtime/lib/client.js': SERVER,
        'packages/node_modules/@app/runtime/node_modules/dep/index.js': SERVER,
        'node_modules/dep/index.js': SERVER,
        'index.js': '',
      },
      made,
    );
    expect(listed(root)).toEqual(['index.js', 'packages/node_modules/@app/runtime/lib/client.js']);
    const result = await lint({
      paths: [root],
      cwd: root,
      rules: ['certificate-verification-disabled'],
    });
    expect(
      result.findings.map((f) => path.relative(root, f.at.file).split(path.sep).join('/')),
    ).toEqual(['packages/node_modules/@app/runtime/lib/client.js']);
  });

  it('a node_modules folder with files tracked in git is linted; an untracked one is not', () => {
    const root = writeTree(
      'tls-lint-tracked-nm-',
      {
        'src/node_modules/local-lib/index.js': SERVER,
        'node_modules/installed/index.js': SERVER,
        'index.js': '',
      },
      made,
    );
    const git = (...args: string[]) =>
      spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
    if (git('init', '-q').status !== 0) return; // no git on this machine: nothing to compare with
    expect(git('add', 'index.js', 'src/node_modules/local-lib/index.js').status).toBe(0);
    expect(listed(root)).toEqual(['index.js', 'src/node_modules/local-lib/index.js']);
  });

  it('without git or a negation, node_modules stays skipped', () => {
    const root = writeRepo(
      'tls-lint-plain-nm-',
      { '.gitignore': 'node_modules\n', 'node_modules/dep/index.js': SERVER, 'index.js': '' },
      made,
    );
    expect(listed(root)).toEqual(['index.js']);
  });
});
