/**
 * Minified and generated bundles found in a tree walk (`dist/app.min.js`, a webpack build, a
 * generated validator on one line): they are not parsed, and one notice per run names them.
 *
 * A bundle is the build output of sources that are usually in the tree too; parsing it costs
 * seconds (one 1.5 MB line) and what it reports is already reported, or unfixable there. So a
 * JS/TS file that a reader would parse is skipped when it is at least {@link MIN_BYTES} long and
 * its lines are {@link MIN_MEAN_LINE} characters long on average (or it is named `*.min.js`).
 * Measured on 21,092 JS/TS files of npm packages: hand-written sources stay well below (the
 * longest average among the files over 20 kB was 247, a file of texture data); bundles are far
 * above (`lodash.min.js` 521, `antd.min.js` 4,297, `forge.min.js` 140,825).
 * Long lines alone are not enough: a hand-written server with a CA bundle or a key inlined as one
 * string has them too, and it is exactly what must be linted. A bundle's long lines are code,
 * dense with calls: {@link MIN_CALL_DENSITY} opening parentheses per 1,000 characters or more
 * (the 14 bundles of that corpus: 11.9 to 38.8), where inlined certificates, base64 and JSON data
 * have next to none (0.0 to 0.1).
 *
 * A bundle need not be minified: a development or unminified build keeps ordinary lines, but
 * carries its bundler's module runtime (the code that loads the modules it concatenates), which
 * hand-written code never defines: {@link BUNDLER_RUNTIMES}. Such a file of {@link MIN_BYTES} or
 * more is a bundle too. On the benchmark tree, four of them (webpack and esbuild builds of mqtt,
 * the AWS SDK and Monaco's HTML worker, 2.6 MB) took 40% of the time spent reading JS/TS files.
 * A bundle of ES modules has no runtime (Rollup and Rolldown concatenate the modules' code), but
 * it does carry their renaming: a top-level name two modules both declare is renamed in all but
 * one, `utils` becoming `utils$1`, `utils$2` (Rollup's and Rolldown's deconflicting, which Vite's
 * library builds use too). People do not name their own bindings that way: {@link MIN_RENAMED}
 * distinct declarations of such names make a file of {@link MIN_BYTES} or more a bundle. On the
 * benchmark tree, every file with 12 or more is a Rollup build (axios's four `dist` files,
 * three.js, moment, echarts, the rxjs and Material UI UMD builds; 13 to 447 names); vendored
 * bundles that renamed only a few (DOMPurify in Monaco: 3) are still linted.
 *
 * Never silent: the run gets one notice ("3 minified files were not linted …", the files in
 * `notices[].files`). A file named on the command line is always linted, and `--include-minified`
 * (`includeMinified` in the config file) lints them all.
 */
import { isNodeSourcePath } from '../languages/node/parse.js';
import type { SourceFile } from '../languages/reader.js';
import type { LintNotice } from '../model/finding.js';

/** Files shorter than this are cheap to parse whatever they look like. */
export const MIN_BYTES = 20_000;
/** Average characters per line from which a file is a bundle rather than written by hand. */
export const MIN_MEAN_LINE = 300;
/** Opening parentheses per 1,000 characters from which long lines are code, not inlined data. */
const MIN_CALL_DENSITY = 5;

const MIN_NAME = /\.min\.[cm]?[jt]sx?$/i;

/**
 * Whether a JS/TS text is a minified or generated bundle. Counts lines only until the text has
 * too many of them to be one, so a hand-written file costs a few `indexOf` calls.
 */
export function looksMinified(file: string, text: string): boolean {
  if (text.length < MIN_BYTES || !isNodeSourcePath(file)) return false;
  if (MIN_NAME.test(file)) return true;
  // Fewer than this many lines means an average line of MIN_MEAN_LINE characters or more.
  const maxLines = text.length / MIN_MEAN_LINE;
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1))
    if (++lines > maxLines) return false;
  // Code rather than data: stops counting as soon as there are enough.
  const needed = (text.length / 1000) * MIN_CALL_DENSITY;
  let calls = 0;
  for (let at = text.indexOf('('); at >= 0; at = text.indexOf('(', at + 1))
    if (++calls >= needed) return true;
  return false;
}

/**
 * Module runtimes that bundlers write at the start of a line of their output, as code (not in a
 * string, as in the bundler's own sources, nor a mere mention such as
 * `typeof __webpack_require__`). Written as the bundlers below write them (checked against their
 * real output by `test/engine/minified.test.ts`):
 * - webpack 1–5: its `require`, `function __webpack_require__(moduleId)`, after `/******\/` in
 *   development and unminified builds;
 * - esbuild and Rolldown: the helpers that wrap CommonJS and lazily run ES modules
 *   (`var __commonJS = (cb, mod) => …`, Rolldown's `__commonJSMin`), indented in an IIFE build;
 * - browserify (browser-pack's prelude, before and after its 6.1 rewrite), minified even in an
 *   unminified bundle, so written out whole.
 */
const BUNDLER_RUNTIMES: readonly { bundler: string; marker: string; pattern: RegExp }[] = [
  {
    bundler: 'webpack',
    marker: 'function __webpack_require__(',
    pattern: /^(?:\/\*{6}\/)?[ \t]*function __webpack_require__\(/m,
  },
  {
    bundler: 'esbuild or Rolldown',
    marker: 'var __',
    pattern: /^[ \t]*var __(?:commonJS|commonJSMin|toESM|toCommonJS|esm|esmMin) = /m,
  },
  {
    bundler: 'browserify',
    marker: '{function ',
    pattern:
      /function r\(e,n,t\)\{function o\(i,f\)\{if\(!n\[i\]\)\{if\(!e\[i\]\)\{|function e\(t,n,r\)\{function s\(o,u\)\{if\(!n\[o\]\)\{if\(!t\[o\]\)\{/,
  },
];

/** Distinct renamed top-level declarations (`const utils$1 =`) from which a file is a bundle. */
export const MIN_RENAMED = 8;

/**
 * A declaration, at the start of a line, of a name that Rollup or Rolldown renamed: the module's
 * own name, `$`, a number (`function bind$1(`, `var Store$2 = class`, `export const kindOf$1`).
 */
const RENAMED_DECLARATION =
  /^[ \t]*(?:export[ \t]+)?(?:const|let|var|class|(?:async[ \t]+)?function\*?)[ \t]+([A-Za-z_$][\w$]*?\$\d+)(?![\w$])/gm;

/** Whether a text declares at least {@link MIN_RENAMED} distinct names renamed by a bundler. */
function hasBundlerRenames(text: string): boolean {
  // The first rename of a name is always `$1`: a file without one has none.
  if (!text.includes('$1')) return false;
  const names = new Set<string>();
  for (const m of text.matchAll(RENAMED_DECLARATION))
    if (names.add(m[1]!).size >= MIN_RENAMED) return true;
  return false;
}

/**
 * The bundler whose output a JS/TS file of {@link MIN_BYTES} or more is, when it is one, and what
 * shows it: its module runtime (see {@link BUNDLER_RUNTIMES}), else the names Rollup or Rolldown
 * renamed.
 */
function bundleOf(file: string, text: string): { bundler: string; evidence: string } | undefined {
  if (text.length < MIN_BYTES || !isNodeSourcePath(file)) return undefined;
  // A plain substring first: most files hold none of them.
  const runtime = BUNDLER_RUNTIMES.find((r) => text.includes(r.marker) && r.pattern.test(text));
  if (runtime) return { bundler: runtime.bundler, evidence: 'module runtime' };
  if (hasBundlerRenames(text))
    return { bundler: 'Rollup or Rolldown', evidence: 'renamed bindings' };
  return undefined;
}

/** The bundler of {@link bundleOf}. */
export function bundlerOf(file: string, text: string): string | undefined {
  return bundleOf(file, text)?.bundler;
}

/**
 * The notice for a file a reader would parse that is skipped as a bundle, or undefined when it
 * is linted: not a bundle, named on the command line, or `includeMinified`.
 */
export function minifiedSkip(
  file: SourceFile,
  options: { includeMinified?: boolean | undefined },
): LintNotice | undefined {
  if (file.explicit || options.includeMinified) return undefined;
  let why: string;
  if (looksMinified(file.path, file.text)) why = `${MIN_MEAN_LINE}+ characters a line`;
  else {
    const bundle = bundleOf(file.path, file.text);
    if (!bundle) return undefined;
    why = `with ${bundle.bundler}'s ${bundle.evidence}`;
  }
  const kb = Math.round(file.text.length / 1024);
  return {
    file: file.path,
    message: `a minified or generated bundle (${kb} kB, ${why}): not linted; name it on the command line, or use --include-minified, to lint it`,
    group: {
      id: 'minified',
      noun: 'minified file',
      summary:
        'were not linted: minified or generated bundles (build output of sources linted on their own); name one on the command line, or use --include-minified ("includeMinified" in the config file), to lint them',
    },
  };
}
