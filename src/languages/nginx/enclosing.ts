/**
 * A fragment linted without its main config (pre-commit passes only the staged site file) is
 * judged through the `nginx.conf` that includes it when one sits in a folder above it: then the
 * http{} settings and the default server of its address are known instead of "unknown".
 *
 * Only the contexts the fragment takes part in are kept (a server{} written in it, or one whose
 * settings come from it), and only the fragment's own errors: the rest of the tree is not what
 * was asked for.
 */
import path from 'node:path';
import type { TlsContext } from '../../model/context.js';
import type { LintError } from '../../model/finding.js';
import type { Setting } from '../../model/setting.js';
import type { ReadOutcome } from '../../engine/source-cache.js';
import {
  ConfigLoader,
  isMainConfig,
  type ConfBlock,
  type ExpandOptions,
  type ParseCache,
} from './includes.js';

export interface EnclosingMain {
  main: string;
  block: ConfBlock;
  options: ExpandOptions;
}

/** How many folders above the fragment to look for nginx.conf (`sites-enabled/x` → its parent). */
const MAX_LEVELS_UP = 3;

/**
 * Returns a finder for the main config of fragments. Each candidate nginx.conf is parsed and
 * expanded once per run, however many of its site files pre-commit passes.
 */
export function enclosingMainFinder(
  read: (p: string) => ReadOutcome,
  parses?: ParseCache,
): (fragment: string) => EnclosingMain | undefined {
  const expanded = new Map<string, { main: EnclosingMain; used: Set<string> } | undefined>();
  const expand = (candidate: string, dir: string) => {
    if (expanded.has(candidate)) return expanded.get(candidate);
    let result: { main: EnclosingMain; used: Set<string> } | undefined;
    if (read(candidate).ok) {
      // A loader of its own: problems elsewhere in that tree are not this run's business (the
      // parses are shared: each file is parsed once per run).
      const loader = new ConfigLoader(read, undefined, parses);
      const parsed = loader.parse(candidate);
      if (parsed && !parsed.error && isMainConfig(parsed.directives)) {
        const options: ExpandOptions = { prefixDir: dir, rootIsMain: true };
        const used = new Set<string>();
        const block = loader.expandFile(candidate, options, used);
        if (block) result = { main: { main: candidate, block, options }, used };
      }
    }
    expanded.set(candidate, result);
    return result;
  };
  return (fragment) => {
    let dir = path.dirname(fragment);
    for (let i = 0; i <= MAX_LEVELS_UP; i++) {
      const candidate = path.join(dir, 'nginx.conf');
      if (candidate !== fragment) {
        const found = expand(candidate, dir);
        if (found?.used.has(fragment)) return found.main;
      }
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    return undefined;
  };
}

const SETTING_FIELDS = [
  'protocols',
  'ciphers',
  'tls13Ciphers',
  'curves',
  'serverCipherPreference',
  'clientAuth',
  'clientVerify',
  'clientCa',
  'peerVerification',
  'hostnameVerification',
  'trustedCa',
  'serverName',
] as const;

function settingFile(s: Setting<unknown> | undefined): string | undefined {
  if (!s) return undefined;
  return s.origin === 'explicit' ||
    s.origin === 'inherited' ||
    s.origin === 'conditional' ||
    s.origin === 'unknown'
    ? s.at?.file
    : undefined;
}

/** Whether the fragment takes part in a context found through its main config. */
export function involves(context: TlsContext, fragment: string): boolean {
  if (context.at.file === fragment || context.enabledAt?.file === fragment) return true;
  if (SETTING_FIELDS.some((f) => settingFile(context[f]) === fragment)) return true;
  return (
    context.material.some((m) => m.at.file === fragment) ||
    context.features.some((f) => f.at.file === fragment)
  );
}

export function errorsIn(errors: readonly LintError[], fragment: string): LintError[] {
  return errors.filter((e) => e.file === fragment);
}
