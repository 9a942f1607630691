/**
 * Files shipped with the package (rule READMEs, the config schema, package.json), found from the
 * running module whether it runs from `src/` (tests) or `dist/src/` (the built CLI).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder holding tls-lint's own package.json. */
function packageRoot(): string {
  if (root) return root;
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tls-lint')
          return (root = dir);
      } catch {
        /* keep looking */
      }
    }
    if (path.dirname(dir) === dir) throw new Error('tls-lint: cannot find its own package.json');
  }
}

export function packageFile(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}

export function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return '0.0.0';
  }
}
