/**
 * Which Envoy version a project runs, from the `envoyproxy/envoy` image of its Dockerfile or
 * compose file (moved from the Envoy reader: target detection is configuration, not reading).
 */
import path from 'node:path';
import { compareVersions } from './targets.js';

/** `envoyproxy/envoy:v1.28.0`, `envoyproxy/envoy-alpine:v1.21.1`, `envoyproxy/envoy:distroless-v1.30-latest`, `envoyproxy/envoy:${ENVOY_TAG:-v1.29.2}`. */
const IMAGE =
  /\benvoyproxy\/envoy(?:-[a-z0-9]+)?:(?:\$\{\w+:?-)?(?:[a-z]+-)*v?(\d+\.\d+)(?:\.\d+)?/g;

const PROJECT_FILES = [
  'Dockerfile',
  'Containerfile',
  'docker-compose.yml',
  'docker-compose.yaml',
  'compose.yml',
  'compose.yaml',
];

/**
 * The lowest Envoy version named by an `envoyproxy/envoy` image in a Dockerfile or compose file
 * of `dir` (the oldest one deployed decides which defaults a shared config must be safe under).
 */
function envoyVersionFromImages(
  dir: string,
  readText: (p: string) => string | undefined,
): { version: string; reason: string } | undefined {
  let best: { version: string; reason: string } | undefined;
  for (const name of PROJECT_FILES) {
    const file = path.join(dir, name);
    const text = readText(file);
    if (text === undefined || !text.includes('envoyproxy/envoy')) continue;
    for (const line of text.split('\n')) {
      if (/^\s*#/.test(line)) continue;
      for (const m of line.matchAll(IMAGE)) {
        const version = m[1]!;
        if (!best || compareVersions(version, best.version) < 0)
          best = { version, reason: `image "${m[0]}" in ${name}` };
      }
    }
  }
  return best;
}

/** Adds the Envoy version of the project's images to the detected targets (one call in config/detect.ts). */
export function detectEnvoyTarget(
  found: Map<string, { version: string; reason: string }>,
  dir: string,
  readText: (p: string) => string | undefined,
): void {
  const image = envoyVersionFromImages(dir, readText);
  if (image) found.set('envoy', image);
}
