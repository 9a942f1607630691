/**
 * The TypeScript compiler runs from V8's code cache when scripts/bundle.mjs made one for it: the
 * cache must give the same compiler, and a cache V8 does not take must cost nothing but time.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import installed from 'typescript';
import { describe, expect, it } from 'vitest';
import { typeScriptCodeCache, typeScriptCompiler } from '../../src/languages/node/ts-compiler.js';
import { ROOT } from '../support/cli.js';

const OPTIONS =
  '{\n  // comments, as tsconfig.json has them\n  "compilerOptions": { "strict": true, },\n}';

describe('the TypeScript compiler from a code cache', () => {
  it('is the installed compiler, whether a cache was found or not', () => {
    const ts = typeScriptCompiler();
    expect(ts?.version).toBe(installed.version);
    expect(ts?.parseConfigFileTextToJson('tsconfig.json', OPTIONS).config).toEqual({
      compilerOptions: { strict: true },
    });
  });

  // Each compilation in a process of its own: V8 may answer a second compilation of the same
  // source in one process from its own in-memory cache, without looking at the data it is given.
  const compiledFrom = (cacheFile: string) => {
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        './scripts/ts-register.mjs',
        '--input-type=module',
        '-e',
        `import { readFileSync } from 'node:fs';
         import { compileTypeScript } from './src/languages/node/ts-compiler.ts';
         const { ts, rejected } = compileTypeScript(readFileSync(process.argv[1]));
         const config = ts.parseConfigFileTextToJson('tsconfig.json', ${JSON.stringify(OPTIONS)}).config;
         console.log(JSON.stringify({ rejected, version: ts.version, config }));`,
        cacheFile,
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    return JSON.parse(r.stdout) as unknown;
  };

  it('runs from a cache made of it, and is compiled anew from one V8 does not take', () => {
    typeScriptCompiler();
    const cache = typeScriptCodeCache();
    // Named by the compiler's version: a cache of another version is never looked up.
    expect(cache?.name).toMatch(new RegExp(`^typescript-${installed.version}-\\d+\\.cache$`));
    expect(cache!.data.length).toBeGreaterThan(100_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-ts-cache-'));
    try {
      const good = path.join(dir, 'good.cache');
      const bad = path.join(dir, 'bad.cache');
      writeFileSync(good, cache!.data);
      writeFileSync(bad, 'not a code cache');
      const config = { compilerOptions: { strict: true } };
      expect(compiledFrom(good)).toEqual({ rejected: false, version: installed.version, config });
      expect(compiledFrom(bad)).toEqual({ rejected: true, version: installed.version, config });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
