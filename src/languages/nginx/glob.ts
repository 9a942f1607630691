/**
 * The subset of POSIX `glob()` that nginx's `include` uses (`ngx_open_glob`, no flags):
 * `*`, `?` and `[…]` within one path segment, a leading dot only matched explicitly, results
 * sorted. Folders are left out (nginx could not parse one); special files are returned so that
 * the caller reports them.
 */
import { existsSync, lstatSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export function hasGlobMagic(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

function segmentRegex(segment: string): RegExp {
  let re = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const close = segment.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Files matching an absolute glob pattern, sorted like glob(3) in the C locale. */
export function globFiles(pattern: string): string[] {
  const abs = path.resolve(pattern);
  const parts = abs.split(path.sep).filter((p) => p !== '');
  let bases = [path.parse(abs).root];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const last = i === parts.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      if (!hasGlobMagic(part)) {
        next.push(path.join(base, part));
        continue;
      }
      let names: string[];
      try {
        names = readdirSync(base);
      } catch {
        continue;
      }
      const re = segmentRegex(part);
      for (const name of names) {
        if (name.startsWith('.') && !part.startsWith('.')) continue;
        if (re.test(name)) next.push(path.join(base, name));
      }
    }
    bases = last ? next : next.filter(isDirectory);
  }
  // A dangling link is kept: in a checked-out tree `sites-enabled/x → /etc/nginx/sites-available/x`
  // points at the tree's own copy (the include resolver follows it there).
  // FIFOs, sockets and devices are kept too: the include resolver refuses them with an error
  // (nginx would block on them) instead of letting them vanish from the match.
  return bases
    .filter((p) => !isDirectory(p) && (exists(p) || isDanglingLink(p)))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isDanglingLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink() && !existsSync(p);
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
