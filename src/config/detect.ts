/**
 * Detects target platform versions from the project around a file:
 * - Node: the nearest package.json with `engines.node` (its lowest admitted version).
 * - Envoy: the `envoyproxy/envoy:v1.xx` image of a Dockerfile or compose file.
 * - Python: `requires-python`, `python_requires`, `.python-version`, and the pinned requests.
 * Later readers add go.mod's `go` line here.
 */
import path from 'node:path';
import { lowestVersionInRange, type TargetPlatform } from './targets.js';
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
    const inherited = parent === dir ? new Map() : this.forDir(parent);
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
          const version = lowestVersionInRange(range);
          if (version) found.set('node', { version, reason: `engines.node "${range}" in ${pkgPath}` });
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
