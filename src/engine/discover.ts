/**
 * Finds the files to lint under the given paths.
 *
 * - Directories are walked; `.gitignore` and `.tls-lintignore` files are honoured at every level
 *   (patterns are relative to the folder holding the ignore file, as in git).
 * - `node_modules`, `.git` and other VCS folders are never entered; symbolic links to folders
 *   are not followed (no cycles).
 * - Files named explicitly are returned as given, even when ignored: pre-commit passes exactly
 *   the staged files and expects them linted.
 */
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';

export interface DiscoveredFile {
  path: string;
  explicit: boolean;
}

export interface DiscoverResult {
  files: DiscoveredFile[];
  /** Paths given on the command line that do not exist. */
  missing: string[];
}

const NEVER_ENTER = new Set(['node_modules', '.git', '.hg', '.svn', '.jj']);
const IGNORE_FILES = ['.gitignore', '.tls-lintignore'];

interface IgnoreLayer {
  dir: string;
  rules: Ignore;
}

function loadIgnoreLayer(dir: string): IgnoreLayer | undefined {
  let rules: Ignore | undefined;
  for (const name of IGNORE_FILES) {
    let text: string;
    try {
      text = readFileSync(path.join(dir, name), 'utf8');
    } catch {
      continue;
    }
    rules ??= ignore();
    rules.add(text);
  }
  return rules ? { dir, rules } : undefined;
}

function isIgnored(layers: readonly IgnoreLayer[], file: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const rel = path.relative(layer.dir, file).split(path.sep).join('/');
    if (!rel || rel.startsWith('..')) continue;
    if (layer.rules.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/** Ignore files of the folders above a starting directory, up to the repository root. */
function ancestorLayers(start: string): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  let dir = path.dirname(start);
  for (;;) {
    const layer = loadIgnoreLayer(dir);
    if (layer) layers.unshift(layer);
    let isRepoRoot = false;
    try {
      isRepoRoot = statSync(path.join(dir, '.git')).isDirectory() || statSync(path.join(dir, '.git')).isFile();
    } catch {
      /* not a repository root */
    }
    const parent = path.dirname(dir);
    if (isRepoRoot || parent === dir) break;
    dir = parent;
  }
  return layers;
}

export function discoverFiles(inputs: readonly string[], cwd = process.cwd()): DiscoverResult {
  const files: DiscoveredFile[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();

  const walk = (dir: string, layers: IgnoreLayer[]): void => {
    const own = loadIgnoreLayer(dir);
    const here = own ? [...layers, own] : layers;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (NEVER_ENTER.has(entry.name) || isIgnored(here, full, true)) continue;
        walk(full, here);
      } else if (entry.isFile()) {
        if (isIgnored(here, full, false) || seen.has(full)) continue;
        seen.add(full);
        files.push({ path: full, explicit: false });
      }
      // Symbolic links and special files are skipped on purpose.
    }
  };

  for (const input of inputs) {
    const full = path.resolve(cwd, input);
    let stat;
    try {
      stat = lstatSync(full);
      if (stat.isSymbolicLink()) stat = statSync(full);
    } catch {
      missing.push(input);
      continue;
    }
    if (stat.isDirectory()) {
      walk(full, ancestorLayers(path.join(full, '.')));
    } else if (stat.isFile() && !seen.has(full)) {
      seen.add(full);
      files.push({ path: full, explicit: true });
    }
  }
  return { files, missing };
}
