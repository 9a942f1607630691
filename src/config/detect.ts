/**
 * Detects target platform versions from the project around a file:
 * - Node: the nearest package.json with `engines.node`: the oldest version in upstream support it
 *   admits (node-releases.ts), else its lowest admitted version.
 * - Envoy: the `envoyproxy/envoy:v1.xx` image of a Dockerfile or compose file.
 * - Python: `requires-python`, `python_requires`, `.python-version`, and the pinned requests.
 * Later readers add go.mod's `go` line here.
 */
import path from 'node:path';
import { lowestVersionInRange, type TargetPlatform } from './targets.js';
import { nodeRangeSupport } from './node-releases.js';
import { detectEnvoyTarget } from './envoy-version.js';
import { detectPythonTargets } from './python-project.js';
import { detectGoModTarget } from './go-mod.js';

export type DetectedTargets = Map<TargetPlatform, { version: string; reason: string }>;

export class TargetDetector {
  private readonly byDir = new Map<string, DetectedTargets>();

  constructor(private readonly readText: (path: string) => string | undefined) {}

  /** Detected targets for a file; looked up once per folder. */
  forFile(file: string): DetectedTargets {
    return this.forDir(path.dirname(file));
  }

  private forDir(dir: string): DetectedTargets {
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    const parent = path.dirname(dir);
    const inherited: DetectedTargets =
      parent === dir
        ? new Map<TargetPlatform, { version: string; reason: string }>()
        : this.forDir(parent);
    const own = this.detectIn(dir);
    const result: DetectedTargets = new Map([...inherited]);
    for (const [k, v] of own) result.set(k, v);
    this.byDir.set(dir, result);
    return result;
  }

  private detectIn(dir: string): DetectedTargets {
    const found: DetectedTargets = new Map();
    const pkgPath = path.join(dir, 'package.json');
    const text = this.readText(pkgPath);
    if (text !== undefined) {
      try {
        const pkg = JSON.parse(text) as { engines?: { node?: unknown } };
        const range = pkg.engines?.node;
        if (typeof range === 'string') {
          // Defaults of runtimes past their end of life are one project-level finding at
          // engines.node (the Node env reader); each call site is judged on the oldest line in
          // upstream support the range admits. A range that admits none keeps its lowest version.
          const support = nodeRangeSupport(range);
          const version = support?.oldestSupported ?? lowestVersionInRange(range);
          const why =
            support?.oldestSupported !== undefined && support.oldestSupported !== support.lowest
              ? `, the oldest version it admits in upstream support`
              : '';
          if (version)
            found.set('node', { version, reason: `engines.node "${range}" in ${pkgPath}${why}` });
        }
      } catch {
        /* a broken package.json is reported by the reader that parses it, not here */
      }
    }
    detectEnvoyTarget(found, dir, this.readText);
    detectPythonTargets(dir, this.readText, found);
    detectGoModTarget(dir, this.readText, found);
    return found;
  }
}
