/**
 * The Node prefilter must be safe: a file it drops can hold no TLS setting. Every fixture, every
 * example and the project's own sources are linted with the prefilter out of the way (the
 * extractor run directly); each file with a Node finding must pass the prefilter.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTargetArgs } from '../../src/config/targets.js';
import { Targets } from '../../src/config/targets.js';
import {
  extractNodeContexts,
  isNodeSourcePath,
  mayConfigureTls,
  parseNodeSource,
} from '../../src/languages/node/index.js';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === '__snapshots__') return [];
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

const files = ['fixtures', 'examples', 'src', 'rules', 'eslint-plugin/src', 'test']
  .flatMap((d) => walk(path.resolve(d)))
  .filter((f) => isNodeSourcePath(f));

describe('Node prefilter', () => {
  it('keeps every file in which the extractor finds a TLS context', () => {
    const targets = new Targets(parseTargetArgs([]));
    const dropped: string[] = [];
    let withContexts = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const parsed = parseNodeSource(file, text);
      if (!parsed.ok) continue;
      const { contexts } = extractNodeContexts(parsed.program, { file, targets, sourceText: text });
      if (contexts.length === 0) continue;
      withContexts++;
      if (!mayConfigureTls(text)) dropped.push(path.relative(process.cwd(), file));
    }
    expect(files.length).toBeGreaterThan(300);
    expect(withContexts).toBeGreaterThan(50);
    expect(dropped).toEqual([]);
  });

  it('drops text that names nothing TLS-related', () => {
    expect(mayConfigureTls('export const add = (a, b) => a + b;\n')).toBe(false);
    expect(mayConfigureTls('new Agent({ rejectUnauthorized: false })')).toBe(true);
    expect(mayConfigureTls("process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'")).toBe(true);
  });
});
