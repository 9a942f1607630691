/**
 * A file that is also a module of its project, imported by a file read before it, is not parsed
 * again when its own turn comes: the reader takes the tree and scopes the import resolver holds,
 * and finds in them what a fresh parse finds.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeReader } from '../../src/languages/node/index.js';
import { parseNodeSource } from '../../src/languages/node/parse.js';
import { projectResolvers } from '../../src/languages/node/project-modules.js';
import { DEFAULT_POLICY } from '../../src/config/policy.js';
import { Targets } from '../../src/config/targets.js';
import type { ReadContext } from '../../src/languages/reader.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-reuse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(path.join(dir, 'src'));
writeFileSync(path.join(dir, 'tsconfig.json'), '{ "compilerOptions": { "strict": true } }');
const A = path.join(dir, 'src/a.ts');
const B = path.join(dir, 'src/b.ts');
writeFileSync(
  A,
  "import tls from 'tls';\nimport { options } from './b';\ntls.createServer(options);\n",
);
writeFileSync(
  B,
  "import tls from 'tls';\nexport const options = { minVersion: 'TLSv1' as const };\ntls.connect({ host: 'db', rejectUnauthorized: false });\n",
);
const readText = (f: string): string | undefined => {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return undefined;
  }
};

function context(): ReadContext {
  return {
    targetsFor: () => new Targets(new Map()),
    policy: DEFAULT_POLICY,
    readFile: (f) => {
      const text = readText(f);
      return text === undefined ? { ok: false, reason: 'missing' } : { ok: true, text };
    },
    readText,
    readBytes: () => undefined,
    cwd: dir,
  };
}

describe('a project module read as a file after a file that imports it', () => {
  it('is the tree and scopes the resolver holds, for the same text only', () => {
    const resolver = projectResolvers({ readText, boundary: dir })(A)!;
    const textB = readText(B)!;
    expect(resolver.parsed?.(B, textB)).toBeUndefined();
    const parsedA = parseNodeSource(A, readText(A)!);
    if (!parsedA.ok) throw new Error('parse');
    const value = resolver.resolve(A, './b', 'options', parsedA.program);
    expect(value?.kind).toBe('object');
    const held = resolver.parsed?.(B, textB);
    expect(held?.program.type).toBe('Program');
    expect(held?.scopes.root.bindings.has('options')).toBe(true);
    // Another text of the file (an editor's unsaved buffer) is parsed afresh.
    expect(resolver.parsed?.(B, `${textB}\n`)).toBeUndefined();
  });

  it('gives the contexts a fresh parse gives', () => {
    const strip = (r: { contexts: unknown[]; errors: unknown[] }) =>
      JSON.parse(JSON.stringify({ contexts: r.contexts, errors: r.errors })) as unknown;
    const afterImport = nodeReader.perFile!.session(context());
    const a = afterImport({ path: A, text: readText(A)!, explicit: false });
    expect(a.contexts.length).toBeGreaterThan(0);
    const reused = afterImport({ path: B, text: readText(B)!, explicit: false });
    const fresh = nodeReader.perFile!.session(context())({
      path: B,
      text: readText(B)!,
      explicit: false,
    });
    expect(reused.contexts.map((c) => c.api)).toContain('tls.connect');
    expect(strip(reused)).toEqual(strip(fresh));
  });
});
