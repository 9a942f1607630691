/**
 * Every rule README's examples are linted: a fenced block whose info string carries
 * `tls-lint:bad` must give at least one finding of that rule, `tls-lint:good` none.
 * (Markdown renderers only show the language; the marker is for this test.)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { lint } from '../../src/engine/lint.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FILE_NAME: Record<string, string> = {
  js: 'example.js',
  mjs: 'example.mjs',
  ts: 'example.ts',
  nginx: 'nginx.conf',
  yaml: 'envoy.yaml',
  go: 'main.go',
  python: 'example.py',
  dotenv: '.env',
  dockerfile: 'Dockerfile',
  json: 'package.json',
};

interface Example {
  ruleId: string;
  kind: 'bad' | 'good';
  lang: string;
  code: string;
  line: number;
}

function examplesOf(ruleId: string): Example[] {
  const text = readFileSync(path.join(ROOT, 'rules', ruleId, 'README.md'), 'utf8');
  const out: Example[] = [];
  const re = /^```(\w+)[ \t]+tls-lint:(bad|good)[ \t]*\n([\s\S]*?)^```/gm;
  for (const m of text.matchAll(re)) {
    out.push({
      ruleId,
      lang: m[1]!,
      kind: m[2] as 'bad' | 'good',
      code: m[3]!,
      line: text.slice(0, m.index).split('\n').length,
    });
  }
  return out;
}

const workDir = mkdtempSync(path.join(tmpdir(), 'tls-lint-readme-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('rule README examples', () => {
  const examples = RULES.flatMap((r) => examplesOf(r.meta.id));
  it('there are tested examples', () => expect(examples.length).toBeGreaterThan(10));

  examples.forEach((ex, i) => {
    it(`${ex.ruleId} README line ${ex.line} (${ex.lang}, ${ex.kind})`, async () => {
      const name = FILE_NAME[ex.lang];
      expect(name, `no file name for language ${ex.lang}`).toBeDefined();
      const dir = path.join(workDir, String(i));
      const { mkdirSync } = await import('node:fs');
      mkdirSync(dir, { recursive: true });
      const file = path.join(dir, name!);
      writeFileSync(file, ex.code);
      const result = await lint({ paths: [file], cwd: dir, rules: [ex.ruleId] });
      expect(result.errors).toEqual([]);
      expect(result.filesLinted, 'a reader must handle the example').toBe(1);
      const own = result.findings.filter((f) => f.ruleId === ex.ruleId);
      if (ex.kind === 'bad') expect(own.length, 'a bad example must be flagged').toBeGreaterThan(0);
      else expect(own.map((f) => f.message)).toEqual([]);
    });
  });
});
