/**
 * Reading through the source cache: texts whose bytes are not kept are read into one reused
 * buffer, and a read stops at the size the file had when opened. Each text must be its own file's,
 * whatever was read before it, and bytes the cache keeps must stay as they were read.
 */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SourceCache } from '../../src/engine/source-cache.js';
import { writeTree } from '../support/trees.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A text of `n` characters (code points), different for every size and start. */
const textOf = (n: number, seed: string) => {
  const points = Array.from(seed);
  return Array.from({ length: n }, (_, i) => points[i % points.length]).join('');
};

describe('the source cache', () => {
  const sizes = [5000, 10, 0, 1023, 1024, 1025, 70_000, 3, 2048, 1];
  const files = Object.fromEntries(
    sizes.map((n, i) => [`f${i}.js`, textOf(n, `${String.fromCharCode(97 + i)}é€😀\n`)]),
  );
  const root = writeTree('tls-lint-source-cache-', files, made);

  it('gives each file its own text, read after larger and smaller ones', () => {
    const cache = new SourceCache();
    for (const real of [false, true])
      for (const [name, text] of [...Object.entries(files), ...Object.entries(files).reverse()]) {
        const r = cache.readSource(path.join(root, name), { keep: false, real });
        expect(r.ok && r.text === text, name).toBe(true);
      }
  });

  it('keeps the bytes it hands out for certificates as they were read', () => {
    const cache = new SourceCache();
    const der = path.join(root, 'f6.js');
    const bytes = cache.readBytes(der)!;
    const copy = Buffer.from(bytes);
    for (const name of Object.keys(files)) cache.readSource(path.join(root, name), { keep: false });
    expect(cache.readBytes(der)!.equals(copy)).toBe(true);
    expect(bytes.equals(copy)).toBe(true);
  });

  it('reads a file rewritten between two runs as it is now, byte order mark dropped', () => {
    const file = path.join(root, 'rewritten.js');
    writeFileSync(file, textOf(4000, 'xyz'));
    const before = new SourceCache().readSource(file, { keep: false });
    expect(before.ok && before.text.length).toBe(4000);
    writeFileSync(file, `\uFEFF${textOf(30, 'q')}`);
    const after = new SourceCache().readSource(file, { keep: false });
    expect(after.ok && after.text).toBe(textOf(30, 'q'));
  });
});
