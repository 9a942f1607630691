/**
 * Targets: the platform versions whose defaults apply. Given on the command line
 * (`--target node=18`), detected from the project (package.json `engines.node`), or assumed.
 *
 * The assumptions live here, once, with the reason shown in `--help`, the README and messages.
 * The rule: assume the oldest version still in common support (upstream or a mainstream LTS
 * distribution), because that is the version whose defaults are weakest and a config must be
 * safe on it. Re-check these once a year.
 */

import { NODE_SUPPORT_AS_OF, OLDEST_SUPPORTED_NODE } from './node-releases.js';

export const TARGET_PLATFORMS = [
  'node',
  'nginx',
  'openssl',
  'envoy',
  'go',
  'python',
  'apache',
  'haproxy',
  'requests',
] as const;
export type TargetPlatform = (typeof TARGET_PLATFORMS)[number];

export interface AssumedTarget {
  version: string;
  reason: string;
}

/** The documented assumption per platform when nothing is given or detected. */
export const ASSUMED_TARGETS: Readonly<Record<TargetPlatform, AssumedTarget>> = {
  node: {
    version: OLDEST_SUPPORTED_NODE,
    reason: `Node.js ${OLDEST_SUPPORTED_NODE} is the oldest release line in upstream support on ${NODE_SUPPORT_AS_OF} (node-releases.ts)`,
  },
  nginx: { version: '1.22', reason: 'nginx 1.22 is what Debian 12 and RHEL 9 ship' },
  openssl: {
    version: '3.0',
    reason: 'OpenSSL 3.0 is what Debian 12, Ubuntu 22.04 and RHEL 9 ship',
  },
  envoy: {
    version: '1.33',
    reason: 'Envoy supports its last four releases; 1.33 is the oldest assumed in use',
  },
  go: { version: '1.22', reason: 'Go 1.22 is the oldest toolchain assumed in common use' },
  python: { version: '3.10', reason: 'Python 3.10 is the system Python of Ubuntu 22.04 LTS' },
  apache: { version: '2.4', reason: 'Apache httpd 2.4 is the only maintained branch' },
  haproxy: { version: '2.6', reason: 'HAProxy 2.6 is the oldest LTS branch in common use' },
  // Only the current requests release is maintained and an unpinned project installs it.
  requests: {
    version: '2.32',
    reason: 'requests 2.32 is the current release an unpinned project installs',
  },
};

export type TargetSource = 'cli' | 'detected' | 'assumed';

export interface ResolvedTarget {
  platform: TargetPlatform;
  version: string;
  source: TargetSource;
  /** For `detected`: where (`package.json engines.node ">=18"`); for `assumed`: why. */
  reason: string;
}

type DetectedVersions = ReadonlyMap<TargetPlatform, { version: string; reason: string }>;

/** The targets in force for one file. */
export class Targets {
  private detectedNow: DetectedVersions | undefined;

  /**
   * `detect`: how to find the versions of the project, looked for on the first question, so a
   * file that asks none (most files a run reads) costs no look around its folders.
   */
  constructor(
    private readonly given: ReadonlyMap<TargetPlatform, string>,
    private readonly detect?: () => DetectedVersions,
  ) {}

  get(platform: TargetPlatform): ResolvedTarget {
    const cli = this.given.get(platform);
    if (cli !== undefined)
      return { platform, version: cli, source: 'cli', reason: `--target ${platform}=${cli}` };
    const found = this.detectedVersions().get(platform);
    if (found)
      return { platform, version: found.version, source: 'detected', reason: found.reason };
    const assumed = ASSUMED_TARGETS[platform];
    return { platform, version: assumed.version, source: 'assumed', reason: assumed.reason };
  }

  version(platform: TargetPlatform): string {
    return this.get(platform).version;
  }

  /** A copy with project-detected versions added (CLI values still win), found when first asked. */
  withDetected(detected: () => DetectedVersions): Targets {
    return new Targets(this.given, () => new Map([...this.detectedVersions(), ...detected()]));
  }

  private detectedVersions(): DetectedVersions {
    this.detectedNow ??= this.detect?.() ?? new Map();
    return this.detectedNow;
  }
}

function isTargetPlatform(name: string): name is TargetPlatform {
  return (TARGET_PLATFORMS as readonly string[]).includes(name);
}

/** Parses repeated `--target platform=version` values; throws a usage error on bad input. */
export function parseTargetArgs(values: readonly string[]): Map<TargetPlatform, string> {
  const out = new Map<TargetPlatform, string>();
  for (const value of values) {
    for (const item of value.split(',')) {
      const m = /^\s*([a-z]+)\s*[=@]\s*v?([0-9][0-9a-z.]*)\s*$/i.exec(item);
      if (!m)
        throw new UsageError(
          `--target expects platform=version (e.g. node=18, nginx=1.22), got "${item}"`,
        );
      const platform = m[1]!.toLowerCase();
      if (!isTargetPlatform(platform)) {
        throw new UsageError(
          `--target: unknown platform "${m[1]!}"; known: ${TARGET_PLATFORMS.join(', ')}`,
        );
      }
      out.set(platform, m[2]!);
    }
  }
  return out;
}

/** Compares dotted versions numerically (`1.9` < `1.22`, `1.0.2h` compares as 1.0.2 then "h"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  const n = Math.max(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const xa = pa[i] ?? '0';
    const xb = pb[i] ?? '0';
    const na = parseInt(xa, 10) || 0;
    const nb = parseInt(xb, 10) || 0;
    if (na !== nb) return na - nb;
    const sa = xa.replace(/^\d+/, '');
    const sb = xb.replace(/^\d+/, '');
    if (sa !== sb) return sa < sb ? -1 : 1;
  }
  return 0;
}

/** `version >= min`, comparing only as many parts as `min` has (`22.3` >= `22`). */
export function versionAtLeast(version: string, min: string): boolean {
  return compareVersions(version, min) >= 0;
}

/**
 * The lowest Node version a package.json `engines.node` range admits, e.g. `>=18.17` → `18.17`,
 * `^20 || ^22` → `20`, `18.x` → `18`. Upper bounds (`<22`) are ignored. Undefined when the
 * range names no lower bound we can read (`*`, `latest`).
 */
export function lowestVersionInRange(range: string): string | undefined {
  let best: string | undefined;
  for (const alternative of range.split('||')) {
    for (const m of alternative.matchAll(/(^|[\s>=^~v])(\d+(?:\.(?:\d+|x|\*))*)/g)) {
      const before = alternative.slice(0, m.index + m[1]!.length).trimEnd();
      if (/<=?$/.test(before)) continue;
      const version = m[2]!
        .split('.')
        .filter((p) => /^\d+$/.test(p))
        .join('.');
      if (!version) continue;
      if (best === undefined || compareVersions(version, best) < 0) best = version;
    }
  }
  return best;
}

export class UsageError extends Error {
  override name = 'UsageError';
}
