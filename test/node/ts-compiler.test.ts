/**
 * The TypeScript compiler runs from V8's code cache when scripts/bundle.mjs made one for it: the
 * cache must give the same compiler, and a cache V8 does not take must cost nothing but time.
 */
import installed from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  compileTypeScript,
  typeScriptCodeCache,
  typeScriptCompiler,
} from '../../src/languages/node/ts-compiler.js';

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

  it('runs from a cache made of it, and is compiled anew from one V8 does not take', () => {
    typeScriptCompiler();
    const cache = typeScriptCodeCache();
    // Named by the compiler's version: a cache of another version is never looked up.
    expect(cache?.name).toMatch(new RegExp(`^typescript-${installed.version}-\\d+\\.cache$`));
    expect(cache!.data.length).toBeGreaterThan(100_000);
    const cached = compileTypeScript(cache!.data);
    expect(cached.rejected).toBe(false);
    expect(cached.ts.parseConfigFileTextToJson('tsconfig.json', OPTIONS).config).toEqual({
      compilerOptions: { strict: true },
    });
    const refused = compileTypeScript(Buffer.from('not a code cache'));
    expect(refused.rejected).toBe(true);
    expect(refused.ts.version).toBe(installed.version);
  });
});
