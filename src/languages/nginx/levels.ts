/**
 * Configuration levels (main → http/stream → server → location) and the lookup of a directive
 * through them, the way nginx merges configurations (`ngx_conf_merge_*_value`): a level that
 * does not set a directive takes its parent's value, else the module's default.
 *
 * A lookup also knows when it cannot tell: an unreadable include on a level, or the unseen
 * parent of a fragment linted alone, makes the value "unknown" from there up.
 */
import path from 'node:path';
import type { SourceRange } from '../../model/location.js';
import type { ConfBlock, ConfNode, UnresolvedInclude } from './includes.js';
import type { Directive } from './parser.js';

export type LevelKind =
  | 'main'
  | 'http'
  | 'stream'
  | 'mail'
  | 'server'
  | 'location'
  | 'if'
  | 'limit_except'
  | 'upstream'
  | 'other';

export interface Level {
  kind: LevelKind;
  block: ConfBlock;
  /** The block directive that opens this level (undefined for the file's top level). */
  directive?: Directive;
  parent?: Level;
  /**
   * The top of a fragment linted without its main config: directives of the enclosing blocks in
   * other files are unknown. Holds the fragment's path.
   */
  implied?: string;
  /** Why unset values are unknown on an implied level (default: the fragment is linted alone). */
  impliedReason?: string;
  /** Human name for messages: `http{}`, `server{} "example.com" (nginx.conf:12)`. */
  name: string;
}

export type Lookup =
  | { kind: 'found'; directives: Directive[]; level: Level }
  | { kind: 'unknown'; reason: string; at?: SourceRange }
  | { kind: 'none' };

/** Short `file:line` for messages, relative to a base directory. */
export function shortLocation(at: SourceRange, baseDir: string): string {
  const rel = path.relative(baseDir, at.file) || path.basename(at.file);
  return `${rel.split(path.sep).join('/')}:${at.line}`;
}

export function directivesNamed(block: ConfBlock, name: string): Directive[] {
  return block.nodes.filter((n) => n.d.name === name && !n.block).map((n) => n.d);
}

export function blocksNamed(block: ConfBlock, name: string): ConfNode[] {
  return block.nodes.filter((n) => n.d.name === name && n.block);
}

function unresolvedReason(u: UnresolvedInclude, baseDir: string): string {
  if (u.template)
    return `not set here, and the template inserts text at ${shortLocation(u.at, baseDir)} ("${u.written}") when it is rendered`;
  return `not set here, and "include ${u.written}" (${shortLocation(u.at, baseDir)}) could not be read (${u.reason})`;
}

/**
 * Finds a directive from `level` upwards, on the levels where it is allowed. For list-valued
 * directives (`ssl_certificate`, `ssl_conf_command`) all occurrences of the nearest level that
 * has any are returned: a child level replaces the parent's whole list.
 */
export function lookup(
  level: Level,
  name: string,
  allowed: readonly LevelKind[],
  baseDir: string,
): Lookup {
  for (let l: Level | undefined = level; l; l = l.parent) {
    if (!allowed.includes(l.kind)) continue;
    const found = directivesNamed(l.block, name);
    if (found.length > 0) return { kind: 'found', directives: found, level: l };
    const u = l.block.unresolved[0];
    if (u) return { kind: 'unknown', reason: unresolvedReason(u, baseDir), at: u.at };
    if (l.implied) {
      return {
        kind: 'unknown',
        reason:
          l.impliedReason ??
          `not set in ${path.basename(l.implied)}, which is linted without the nginx.conf that includes it`,
      };
    }
  }
  return { kind: 'none' };
}

/** The raw argument text of a directive, for `raw` and messages. */
export function argsText(d: Directive): string {
  return d.args.map((a) => a.raw).join(' ');
}

/** `server_name` values of a server level (first directive's names first). */
export function serverNames(level: Level): string[] {
  return directivesNamed(level.block, 'server_name').flatMap((d) =>
    d.args.filter((a) => !a.placeholder).map((a) => a.value),
  );
}
