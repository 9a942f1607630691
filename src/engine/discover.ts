/**
 * Finds the files to lint under the given paths.
 *
 * - Directories are walked; `.gitignore` and `.tls-lintignore` files are honoured at every level
 *   (patterns are relative to the folder holding the ignore file, as in git).
 * - `node_modules` (unless it is the project's own source: own-node-modules.ts), `.git` and other
 *   VCS folders are never entered; symbolic links to folders
 *   are not followed (no cycles).
 * - Files named explicitly are returned as given, even when ignored: pre-commit passes exactly
 *   the staged files and expects them linted.
 * - A folder that cannot be listed is an error of the run, not a silent gap; FIFOs, sockets and
 *   devices are returned like files so that the reader that would have read one says why it
 *   did not (the safe read in source-cache.ts refuses them).
 *
 * {@link treeBoundaries} decides the linted tree: what the run may read besides the paths given.
 */
import { lstatSync, readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { gitTopLevel, OwnNodeModules } from './own-node-modules.js';
import type { LintError, LintNotice } from '../model/finding.js';
import { plural } from './rule-helpers.js';
import {
  SourceCache,
  describeReadFailure,
  displayName,
  readFailureKind,
  registerRawPath,
  type ReadOutcome,
} from './source-cache.js';

export interface DiscoveredFile {
  path: string;
  explicit: boolean;
  /**
   * Listed as a regular file under a folder whose path is its real path (no symbolic link on
   * the way: the walk follows none): the read may skip resolving it (see SourceCache.readSource).
   */
  real?: true;
}

export interface DiscoverResult {
  files: DiscoveredFile[];
  /** Files named explicitly that an exclusion (`--exclude`, the config's `ignore`) leaves out. */
  excluded: string[];
  /** Paths given on the command line that do not exist. */
  missing: string[];
  /** Folders that could not be listed, ignore files that could not be read. */
  errors: LintError[];
  /** Ignore files not applied in full. */
  notices: LintNotice[];
}

/** Reads an ignore file through the run's safe door; undefined read = plain fs (tests). */
export type IgnoreFileReader = (file: string) => ReadOutcome;

const NEVER_ENTER = new Set(['node_modules', '.git', '.hg', '.svn', '.jj']);
const IGNORE_FILES = ['.gitignore', '.tls-lintignore'];

interface IgnoreLayer {
  dir: string;
  rules: Ignore;
  file: string;
  /** The matcher threw once (a pattern it cannot compile): the layer is not applied. */
  broken?: boolean;
}

/** Patterns the user excluded (`--exclude`, the config's `ignore`), .gitignore style, relative to `base`. */
export interface Exclusion {
  base: string;
  patterns: readonly string[];
}

/**
 * `path.join(dir, name)` for a name `readdir` listed in `dir` (absolute and normalised): the same
 * string, built as `dir` + separator + name. A run keeps every path it walked to the end, and
 * `path.join` builds each one from many pieces that V8 keeps as a tree of joined strings: about
 * 500 bytes a file against 160 (measured over 47,000 files: 22.4 MB kept against 7.4 MB).
 */
function childPath(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

/** PATH_MAX: an ignore pattern longer than any path only costs time (and can break the matcher). */
const MAX_PATTERN_LENGTH = 4096;

function loadIgnoreLayer(
  dir: string,
  read: IgnoreFileReader,
  errors: LintError[] | undefined,
  notices?: LintNotice[],
  listed?: ReadonlySet<string>,
): IgnoreLayer | undefined {
  let rules: Ignore | undefined;
  for (const name of IGNORE_FILES) {
    // The walk knows the folder's names: no read (and no failed system call) for a missing file.
    if (listed && !listed.has(name)) continue;
    const file = path.join(dir, name);
    const r = read(file);
    if (!r.ok) {
      const kind = readFailureKind(r.reason);
      if (errors && kind && kind !== 'missing')
        errors.push({
          file,
          kind,
          message: `Ignore file ${describeReadFailure(r)}; its patterns are not applied`,
        });
      continue;
    }
    rules ??= ignore();
    const lines = r.text.split(/\r?\n/);
    const kept = lines.filter((line) => line.length <= MAX_PATTERN_LENGTH);
    if (kept.length < lines.length && errors) {
      const n = lines.findIndex((line) => line.length > MAX_PATTERN_LENGTH) + 1;
      notices?.push({
        file,
        message: `line ${n} is longer than ${MAX_PATTERN_LENGTH} characters (no path is that long); ${plural(lines.length - kept.length, 'such line')} not applied`,
      });
    }
    rules.add(kept.join('\n'));
  }
  return rules ? { dir, rules, file: path.join(dir, IGNORE_FILES[0]!) } : undefined;
}

function isIgnored(layers: readonly IgnoreLayer[], file: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const rel = path.relative(layer.dir, file).split(path.sep).join('/');
    if (!rel || rel.startsWith('..') || layer.broken) continue;
    try {
      if (layer.rules.ignores(isDir ? `${rel}/` : rel)) return true;
    } catch {
      layer.broken = true;
    }
  }
  return false;
}

/** Ignore files of the folders above a starting directory, up to the repository root. */
function ancestorLayers(start: string, read: IgnoreFileReader): IgnoreLayer[] {
  const layers: IgnoreLayer[] = [];
  let dir = path.dirname(start);
  for (;;) {
    // Above the linted folder, an ignore file that cannot be read is not this run's concern.
    const layer = loadIgnoreLayer(dir, read, undefined);
    if (layer) layers.unshift(layer);
    let isRepoRoot = false;
    try {
      isRepoRoot =
        statSync(path.join(dir, '.git')).isDirectory() || statSync(path.join(dir, '.git')).isFile();
    } catch {
      /* not a repository root */
    }
    const parent = path.dirname(dir);
    if (isRepoRoot || parent === dir) break;
    dir = parent;
  }
  return layers;
}

/** The whole walk at once (see {@link walkFiles}), for callers that want the list. */
export function discoverFiles(...args: Parameters<typeof walkFiles>): DiscoverResult {
  const walk = walkFiles(...args);
  return { files: [...walk.files], ...walk.found };
}

/** A walk in progress: the files as they are found, the rest once they have all been taken. */
export interface FileWalk {
  /** The files, in the order {@link discoverFiles} lists them, found as they are taken. */
  files: Generator<DiscoveredFile, void, undefined>;
  /** Everything {@link DiscoverResult} says besides the files: complete once `files` is done. */
  found: Omit<DiscoverResult, 'files'>;
}

/**
 * {@link discoverFiles} a folder at a time: a run takes the files in segments, so that it never
 * holds the list of a whole tree (see lint.ts `SEGMENT_FILES`).
 */
export function walkFiles(
  inputs: readonly string[],
  cwd = process.cwd(),
  read: IgnoreFileReader = (f) => new SourceCache().readSource(f),
  exclusions: readonly Exclusion[] = [],
): FileWalk {
  const excluded: string[] = [];
  // Unlike .gitignore, exclusions apply to files named explicitly too: pre-commit passes every
  // staged file, and a configured exclusion must hold there.
  const excludedLayers: IgnoreLayer[] = exclusions
    .filter((e) => e.patterns.length)
    .map((e) => ({ dir: e.base, file: e.base, rules: ignore().add([...e.patterns]) }));
  const missing: string[] = [];
  const errors: LintError[] = [];
  const notices: LintNotice[] = [];
  // Ignore files whose patterns broke the matcher, by when they were found: a layer is used only
  // in its folder's walk, so it is looked at when that walk is over, not kept to the end.
  const broken: Array<{ order: number; layer: IgnoreLayer }> = [];
  let layersMade = 0;
  // Paths already given, so that a file named twice, or in two folders named, is linted once.
  // A walked file is remembered only when more paths follow: one folder's walk lists each file
  // once (no link is followed), and a tree's worth of paths is what the segments avoid keeping.
  const seen = new Set<string>();
  let moreInputs = false;
  const ownNodeModules = new OwnNodeModules();

  /** `rawDir`: the folder's real bytes, when its name (or a parent's) is not UTF-8. */
  /** `realDir`: `dir` is its own real path, so are the names listed in it. */
  function* walk(
    dir: string,
    layers: IgnoreLayer[],
    rawDir?: Buffer,
    realDir = false,
  ): Generator<DiscoveredFile, void, undefined> {
    let entries: Array<Dirent | Dirent<Buffer>>;
    try {
      // Names as strings, the fast way; a folder that holds a name that is not UTF-8 (decoded
      // with U+FFFD), or lies under one, is listed by its bytes, so that such a file is opened
      // by its real name.
      const strings = rawDir ? undefined : readdirSync(dir, { withFileTypes: true });
      entries =
        strings && !strings.some((e) => e.name.includes('\uFFFD'))
          ? strings
          : readdirSync(rawDir ?? dir, { withFileTypes: true, encoding: 'buffer' });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      errors.push({
        file: dir,
        kind: 'unreadable',
        message: `Folder cannot be listed (${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? 'read error')}); nothing in it was checked`,
      });
      return;
    }
    const named = entries
      .map((entry) => {
        const bytes = typeof entry.name === 'string' ? undefined : entry.name;
        return { entry, bytes, name: bytes ? displayName(bytes) : (entry.name as string) };
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const listed = new Set<string>();
    for (const { name } of named) if (IGNORE_FILES.includes(name)) listed.add(name);
    const own = loadIgnoreLayer(dir, read, errors, notices, listed);
    const order = own ? layersMade++ : -1;
    const here = own ? [...layers, own] : layers;
    for (const { entry, bytes, name } of named) {
      const full = childPath(dir, name);
      // Not UTF-8: known by its escaped name, opened by its bytes.
      const raw =
        bytes && (rawDir || name !== bytes.toString('utf8'))
          ? Buffer.concat([rawDir ?? Buffer.from(dir), Buffer.from(path.sep), bytes])
          : undefined;
      if (raw) registerRawPath(full, raw);
      if (entry.isDirectory()) {
        // A node_modules that is the project's own source (un-ignored, or tracked in git) is linted.
        const own = name === 'node_modules' && ownNodeModules.isOwn(full, here);
        if (!own && (NEVER_ENTER.has(name) || isIgnored(here, full, true))) continue;
        yield* walk(full, here, raw, realDir);
      } else if (
        entry.isFile() ||
        entry.isFIFO() ||
        entry.isSocket() ||
        entry.isCharacterDevice() ||
        entry.isBlockDevice()
      ) {
        // Special files go on so the reader that would read one reports it (never read).
        if (isIgnored(here, full, false) || seen.has(full)) continue;
        if (moreInputs) seen.add(full);
        yield {
          path: full,
          explicit: false,
          ...(realDir && !raw && entry.isFile() && { real: true as const }),
        };
      }
      // Symbolic links are skipped on purpose (no cycles, nothing outside the tree).
    }
    if (own?.broken) broken.push({ order, layer: own });
  }

  function* all(): Generator<DiscoveredFile, void, undefined> {
    for (const [n, input] of inputs.entries()) yield* one(input, n < inputs.length - 1);
    for (const { layer } of broken.sort((a, b) => a.order - b.order))
      notices.push({
        file: layer.file,
        message:
          'its patterns could not be matched (a pattern the matcher cannot compile); they were not applied',
      });
  }

  function* one(input: string, more: boolean): Generator<DiscoveredFile, void, undefined> {
    moreInputs = more;
    const full = path.resolve(cwd, input);
    let stat;
    try {
      stat = lstatSync(full);
      if (stat.isSymbolicLink()) stat = statSync(full);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') missing.push(input);
      else
        errors.push({
          file: full,
          kind: 'unreadable',
          message: `Cannot be read (${code ?? 'error'})`,
        });
      return;
    }
    if (stat.isDirectory()) {
      yield* walk(
        full,
        [...excludedLayers, ...ancestorLayers(path.join(full, '.'), read)],
        undefined,
        tryRealpath(full) === full,
      );
    } else if (isIgnored(excludedLayers, full, false)) {
      excluded.push(full);
    } else if (!seen.has(full)) {
      // A named FIFO, socket or device is passed on: the read refuses it with the reason.
      seen.add(full);
      yield { path: full, explicit: true };
    }
  }

  return { files: all(), found: { excluded, missing, errors, notices } };
}

/**
 * The linted tree: what a run may read besides the paths it was given (nginx includes,
 * certificates, package.json and nginx.conf looked up in folders above). For each path, the git
 * work tree that holds it; outside a repository, the working directory when the path lies
 * inside it; else the path itself (its folder for a file). Real paths, so `../..` and symbolic
 * links cannot step out. Anything else is read only with `--follow-outside`.
 */
export function treeBoundaries(inputs: readonly string[], cwd = process.cwd()): string[] {
  const realCwd = tryRealpath(cwd);
  const out = new Set<string>();
  for (const input of inputs) {
    const real = tryRealpath(path.resolve(cwd, input));
    if (!real) continue;
    let base = real;
    try {
      if (!statSync(real).isDirectory()) base = path.dirname(real);
    } catch {
      base = path.dirname(real);
    }
    const top = gitTopLevel(base);
    if (top) out.add(top);
    else if (realCwd && isWithin(base, realCwd)) out.add(realCwd);
    else out.add(base);
  }
  return [...out];
}

function tryRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function isWithin(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
