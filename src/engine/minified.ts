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
 * The notice for a file a reader would parse that is skipped as a bundle, or undefined when it
 * is linted: not a bundle, named on the command line, or `includeMinified`.
 */
export function minifiedSkip(
  file: SourceFile,
  options: { includeMinified?: boolean | undefined },
): LintNotice | undefined {
  if (file.explicit || options.includeMinified || !looksMinified(file.path, file.text))
    return undefined;
  const kb = Math.round(file.text.length / 1024);
  return {
    file: file.path,
    message: `a minified or generated bundle (${kb} kB, ${MIN_MEAN_LINE}+ characters a line): not linted; name it on the command line, or use --include-minified, to lint it`,
    group: {
      id: 'minified',
      noun: 'minified file',
      summary:
        'were not linted: minified or generated bundles (build output of sources linted on their own); name one on the command line, or use --include-minified ("includeMinified" in the config file), to lint them',
    },
  };
}
