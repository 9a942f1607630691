/**
 * A `node_modules` folder that is the project's own source, not installed dependencies: Node-RED
 * keeps its packages in `packages/node_modules`, un-ignored with `!packages/node_modules` beside a
 * `node_modules` rule, and some projects commit a `node_modules` of their own modules. Such a folder
 * is linted; any other `node_modules` is still never entered.
 *
 * Decided cheaply: the ignore rules already loaded (a negation that un-ignores the folder), else
 * one `git ls-files` per repository (only when a `node_modules` folder is met, with a timeout),
 * never a subprocess per folder.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import path from 'node:path';
import type { Ignore } from 'ignore';

interface Layer {
  dir: string;
  rules: Ignore;
  broken?: boolean;
}

const GIT_TIMEOUT_MS = 5000;

export class OwnNodeModules {
  /** Repository root → the `node_modules` folders that hold tracked files. */
  private readonly tracked = new Map<string, Set<string>>();

  /** Whether `dir` (a folder named `node_modules`) is the project's own source. */
  isOwn(dir: string, layers: readonly Layer[]): boolean {
    return unignored(layers, dir) || this.trackedFolders(dir).has(dir);
  }

  private trackedFolders(dir: string): Set<string> {
    const root = gitTopLevel(dir);
    if (!root) return new Set();
    let found = this.tracked.get(root);
    if (!found) {
      found = gitTrackedNodeModules(root);
      this.tracked.set(root, found);
    }
    return found;
  }
}

/** A negation (`!packages/node_modules`) in the nearest ignore file that speaks of the folder. */
function unignored(layers: readonly Layer[], dir: string): boolean {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const rel = path.relative(layer.dir, dir).split(path.sep).join('/');
    if (!rel || rel.startsWith('..') || layer.broken) continue;
    try {
      const r = layer.rules.test(`${rel}/`);
      if (r.unignored) return true;
      if (r.ignored) return false;
    } catch {
      /* a pattern the matcher cannot compile: discover reports it */
    }
  }
  return false;
}

/** The nearest folder at or above `dir` holding `.git` (a folder, or a file in a worktree). */
export function gitTopLevel(dir: string): string | undefined {
  for (let d = dir; ; ) {
    try {
      lstatSync(path.join(d, '.git'));
      return d;
    } catch {
      /* not here */
    }
    const parent = path.dirname(d);
    if (parent === d) return undefined;
    d = parent;
  }
}

/** Every folder named `node_modules` on the path of a file git tracks (none when git cannot say). */
function gitTrackedNodeModules(root: string): Set<string> {
  const out = new Set<string>();
  const r = spawnSync('git', ['-C', root, 'ls-files', '-z', '--', ':(glob)**/node_modules/**'], {
    encoding: 'utf8',
    timeout: GIT_TIMEOUT_MS,
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
  });
  if (r.status !== 0 || typeof r.stdout !== 'string') return out;
  for (const file of r.stdout.split('\0')) {
    const parts = file.split('/');
    for (let i = 0; i < parts.length - 1; i++)
      if (parts[i] === 'node_modules') out.add(path.join(root, ...parts.slice(0, i + 1)));
  }
  return out;
}
