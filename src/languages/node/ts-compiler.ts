/**
 * The TypeScript compiler, for project module resolution (project-modules.ts): one file of 9 MB
 * of JavaScript, which V8 spends about a tenth of a second compiling in each thread that loads
 * it (the reading worker and the main thread of a run over a tree with a tsconfig.json).
 *
 * `scripts/bundle.mjs` keeps V8's code cache of it in `dist/`, made with the Node that builds,
 * after a representative use (reading a tsconfig.json, resolving imports), named by the
 * compiler's version and size: the compiler is then run from its cache as Node would run it
 * (the CommonJS wrapper, its own `require`). A cache made for another compiler is never looked
 * up; one V8 rejects (another Node, other V8 flags) only costs the compilation it would have saved.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import Module from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import type * as TS from 'typescript';
import { packageFile } from '../../config/package-files.js';

interface Compiled {
  ts: typeof TS;
  script: vm.Script;
  /** V8 rejected the cached data it was given. */
  rejected: boolean;
}

/** The compiler's file and the name of its code cache, or undefined when it is not installed. */
function located(): { file: string; cache: string } | undefined {
  try {
    const require = createRequire(import.meta.url);
    const file = require.resolve('typescript');
    const pkg = path.join(path.dirname(file), '..', 'package.json');
    const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version: string };
    return { file, cache: `typescript-${version}-${statSync(file).size}.cache` };
  } catch {
    return undefined;
  }
}

/** Runs the compiler's file as Node's `require` would, from `cachedData` when given. */
function compile(file: string, cachedData?: Buffer): Compiled {
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    ...(cachedData && { cachedData }),
  });
  const module = { exports: {} as unknown };
  (
    script.runInThisContext() as (
      exports: unknown,
      require: NodeJS.Require,
      module: { exports: unknown },
      filename: string,
      dirname: string,
    ) => void
  )(module.exports, createRequire(file), module, file, path.dirname(file));
  return { ts: module.exports as typeof TS, script, rejected: script.cachedDataRejected === true };
}

let loaded: Compiled | null | undefined;

/** The TypeScript compiler, loaded on first use; undefined when it is not installed. */
export function typeScriptCompiler(): typeof TS | undefined {
  if (loaded === undefined) {
    const at = located();
    if (!at) loaded = null;
    else {
      let cachedData: Buffer | undefined;
      try {
        cachedData = readFileSync(packageFile('dist', at.cache));
      } catch {
        // no cache (a checkout not bundled, an install without one): compiled as usual
      }
      try {
        loaded = compile(at.file, cachedData);
      } catch {
        loaded = null;
      }
    }
  }
  return loaded?.ts;
}

/**
 * @public scripts/bundle.mjs writes it, after using the compiler as a run does: the code cache of
 * the compiler loaded in this process (with the functions compiled so far), and the name
 * {@link typeScriptCompiler} looks it up by.
 */
export function typeScriptCodeCache(): { name: string; data: Buffer } | undefined {
  const at = located();
  if (!loaded || !at) return undefined;
  return { name: at.cache, data: loaded.script.createCachedData() };
}

/**
 * Compiles the compiler anew, from `cachedData` when given.
 * @public Tests call it in a process of their own (test/node/ts-compiler.test.ts, and
 * test/cli/jit-flags.test.ts from dist/), where V8 has not compiled the compiler yet.
 */
export function compileTypeScript(cachedData?: Buffer): { ts: typeof TS; rejected: boolean } {
  const at = located();
  if (!at) throw new Error('typescript is not installed');
  const { ts, rejected } = compile(at.file, cachedData);
  return { ts, rejected };
}
