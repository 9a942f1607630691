// Shared by the benchmark scripts: the repository root, command-line options, the default corpus.
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The value after `--name` on the command line, or the fallback. */
export function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Where build-corpus.mjs puts the real tree by default. */
export const DEFAULT_CORPUS = path.join(tmpdir(), 'tls-corpus');

/** A module of the built linter (`npm run build`). */
export const fromDist = (p) => import(pathToFileURL(path.join(root, 'dist', p)).href);
