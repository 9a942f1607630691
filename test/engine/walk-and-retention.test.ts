/**
 * The walk over what a folder lists (entry types, no stat per file) and what a run keeps in
 * memory: the text of files with findings, not of every file read.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverFiles, walkFiles } from '../../src/engine/discover.js';
import { lint } from '../../src/engine/lint.js';
import { compactRouted } from '../../src/engine/segments.js';
import { SourceCache } from '../../src/engine/source-cache.js';

import { compactOutcome } from '../../src/engine/workers/protocol.js';
import { writeRepo } from '../support/trees.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('the walk', () => {
  it('skips links (to folders, to files, broken, looping), passes FIFOs on, reads ignore files it lists', () => {
    const root = writeRepo(
      'tls-lint-walk-',
      {
        'src/a.js': 'x',
        'src/ignored.js': 'x',
        'src/.gitignore': 'ignored.js\n',
        'other/b.js': 'x',
        '.tls-lintignore': 'skipped/\n',
        'skipped/c.js': 'x',
      },
      made,
    );
    symlinkSync(path.join(root, 'other'), path.join(root, 'src/dir-link'));
    symlinkSync(path.join(root, 'other/b.js'), path.join(root, 'src/file-link.js'));
    symlinkSync(path.join(root, 'nowhere.js'), path.join(root, 'src/broken.js'));
    symlinkSync('.', path.join(root, 'src/loop'));
    execFileSync('mkfifo', [path.join(root, 'src/pipe.js')]);
    // A folder named like an ignore file is not an ignore file, and is walked.
    mkdirSync(path.join(root, 'other/.gitignore'));
    writeFileSync(path.join(root, 'other/.gitignore/d.js'), 'x');

    const r = discoverFiles([root], root);
    expect(r.files.map((f) => path.relative(root, f.path))).toEqual([
      '.tls-lintignore',
      'other/.gitignore/d.js',
      'other/b.js',
      'src/.gitignore',
      'src/a.js',
      'src/pipe.js',
    ]);
    // The folder named .gitignore cannot be read as an ignore file: said, not hidden.
    expect(r.errors.map((e) => [path.relative(root, e.file), e.kind])).toEqual([
      ['other/.gitignore', 'not-regular'],
    ]);
  });

  it('a link to a folder named on the command line is walked', () => {
    const root = writeRepo('tls-lint-walk-', { 'real/a.js': 'x' }, made);
    symlinkSync(path.join(root, 'real'), path.join(root, 'link'));
    const r = discoverFiles(['link'], root);
    expect(r.files.map((f) => path.relative(root, f.path))).toEqual(['link/a.js']);
  });

  it('names each file by its normalised absolute path, from any spelling of the folder', () => {
    const root = writeRepo('tls-lint-walk-', { 'a.js': 'x', 'deep/er/b.js': 'x' }, made);
    const want = [path.join(root, 'a.js'), path.join(root, 'deep', 'er', 'b.js')];
    for (const input of [root, `${root}${path.sep}`, path.join(root, 'deep', '..') + path.sep, '.'])
      expect(discoverFiles([input], root).files.map((f) => f.path)).toEqual(want);
  });

  it('marks files listed at their real path, so the read need not resolve them', () => {
    const root = writeRepo('tls-lint-walk-', { 'real/a.js': 'x' }, made);
    execFileSync('mkfifo', [path.join(root, 'real/pipe.js')]);
    symlinkSync(path.join(root, 'real'), path.join(root, 'link'));
    const marks = (input: string) =>
      discoverFiles([input], root).files.map((f) => [path.relative(root, f.path), f.real]);
    // realpath(os.tmpdir()) may differ from the path given: compare with a real root.
    const real = realpathSync(path.join(root, 'real'));
    expect(discoverFiles([real], root).files.map((f) => [path.basename(f.path), f.real])).toEqual([
      ['a.js', true],
      ['pipe.js', undefined],
    ]);
    // Reached through a link: every path must be resolved before it is read.
    expect(marks('link')).toEqual([
      ['link/a.js', undefined],
      ['link/pipe.js', undefined],
    ]);
  });

  it('a marked file swapped for a link is not followed out of the tree', () => {
    const root = writeRepo('tls-lint-walk-', { 'src/a.js': 'x' }, made);
    const outside = writeRepo(
      'tls-lint-outside-',
      {
        'secret.js':
          "const tls = require('tls');\ntls.connect({ host: 'h', port: 443, rejectUnauthorized: false });\n",
      },
      made,
    );
    const real = realpathSync(root);
    const sources = new SourceCache({ boundaries: [real] });
    const [listed] = discoverFiles([real], real).files;
    expect(listed?.real).toBe(true);
    rmSync(listed!.path);
    symlinkSync(path.join(outside, 'secret.js'), listed!.path);
    const read = sources.readSource(listed!.path, { keep: false, real: true });
    expect(read.ok).toBe(false);
  });
});

describe('the walk, a folder at a time', () => {
  it('lists a folder only when the files before it have been taken', () => {
    const root = writeRepo('tls-lint-walk-', { 'a/1.js': 'x', 'b/2.js': 'x', 'c/3.js': 'x' }, made);
    const walk = walkFiles([root], root);
    expect(walk.files.next().value?.path).toBe(path.join(root, 'a', '1.js'));
    // Gone after the first file was taken: the walk had not listed it yet, and says so.
    rmSync(path.join(root, 'b'), { recursive: true });
    expect([...walk.files].map((f) => path.relative(root, f.path))).toEqual([
      path.join('c', '3.js'),
    ]);
    expect(walk.found.errors.map((e) => path.relative(root, e.file))).toEqual(['b']);
  });
});

describe('what a run keeps', () => {
  it('holds the text of files with findings only, and still fingerprints and suppresses them', async () => {
    const root = writeRepo(
      'tls-lint-retain-',
      {
        'finding.js':
          "const tls = require('tls');\ntls.connect({ host: 'h', port: 443, rejectUnauthorized: false });\n",
        // Kept by the prefilter (TLS words), parsed, but no finding.
        'clean.js': "const tls = require('tls');\ntls.connect({ host: 'h', port: 443 });\n",
        // Dropped by the prefilter.
        'plain.js': 'module.exports = 1;\n',
        'suppressed.js':
          "const tls = require('tls');\n// tls-lint-disable-next-line certificate-verification-disabled -- test double\ntls.connect({ host: 'h', port: 443, rejectUnauthorized: false });\n",
      },
      made,
    );
    const result = await lint({ paths: [root], cwd: root });
    expect(result.findings.map((f) => [path.basename(f.at.file), f.ruleId])).toEqual([
      ['finding.js', 'certificate-verification-disabled'],
    ]);
    expect(result.findings[0]!.fingerprint).toMatch(/\S/);
    expect(result.sources.cachedText(path.join(root, 'finding.js'))).toContain(
      'rejectUnauthorized',
    );
    expect(result.sources.cachedText(path.join(root, 'clean.js'))).toBeUndefined();
    expect(result.sources.cachedText(path.join(root, 'plain.js'))).toBeUndefined();
  });

  it('keeps no object per dropped file: one outcome is shared by every file nothing was read in', () => {
    expect(compactOutcome({ linted: true, reads: [] })).toBe(
      compactOutcome({ linted: true, reads: [] }),
    );
    expect(compactOutcome({ linted: false, reads: [] })).toBe(
      compactOutcome({ linted: false, reads: [] }),
    );
    expect(compactOutcome({ linted: false, reads: [] }).linted).toBe(false);
    expect(compactRouted({ linted: true, readers: [] })).toBe(
      compactRouted({ linted: true, readers: [] }),
    );
    // What the run still needs is kept as it is.
    const error = { file: 'f', kind: 'binary' as const, message: 'm' };
    const withError = { linted: false, reads: [], error };
    expect(compactOutcome(withError)).toBe(withError);
    const source = { path: 'p', text: 't', explicit: false };
    const read = { linted: true, readers: [], source };
    expect(compactRouted(read)).toBe(read);
  });

  it('keeps neither what target detection finds nor where it finds nothing (a score of names per folder)', () => {
    const root = writeRepo('tls-lint-probe-', { 'a.js': 'x' }, made);
    const sources = new SourceCache();
    const file = path.join(root, 'Dockerfile');
    expect(sources.probeText(file)).toBeUndefined();
    writeFileSync(file, 'FROM node:20\n');
    // Not remembered as missing: the detector's own per-folder cache is the one that keeps it.
    expect(sources.probeText(file)).toBe('FROM node:20\n');
    // Nor is the text kept: it is not for a code frame.
    expect(sources.cachedText(file)).toBeUndefined();
    // An ordinary read remembers what it found, missing or not: one look per file and run.
    const other = path.join(root, 'go.mod');
    expect(sources.readText(other)).toBeUndefined();
    writeFileSync(other, 'module x\n');
    expect(sources.readText(other)).toBeUndefined();
  });
});
