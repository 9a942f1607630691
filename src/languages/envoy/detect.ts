/**
 * Which files are Envoy configs (by content, never by name alone), and which Envoy version a
 * project runs (from the `envoyproxy/envoy` image of its Dockerfile or compose file).
 */
import path from 'node:path';
import { compareVersions } from '../../config/targets.js';

/** YAML and JSON, also as templates (`envoy.yaml.tmpl`, `envoy.yaml.j2`, Helm `*.yaml`). */
export function looksLikeEnvoyPath(file: string): boolean {
  return /\.(ya?ml|json)(\.(tpl|tmpl|template|j2|jinja2?|in))?$/i.test(path.basename(file));
}

/** Words that only an Envoy config (or something that embeds one) holds. */
const MARKERS = /static_resources|dynamic_resources|type\.googleapis\.com\/envoy\.|envoy\.transport_sockets\.|envoy\.api\.v2\./;

/** A Kubernetes object at the top of a document: `apiVersion:` and `kind:` at column 0. */
const K8S_API = /^["']?apiVersion["']?\s*:/m;
const K8S_KIND = /^["']?kind["']?\s*:\s*["']?(\w+)/gm;

/**
 * Whether a file should be read by the Envoy reader. Kubernetes manifests are read only for a
 * ConfigMap carrying an Envoy config; CI workflows and compose files never have Envoy's top-level
 * keys, so the reader finds nothing in them even when a word matches.
 */
export function looksLikeEnvoy(text: string): boolean {
  if (!MARKERS.test(text)) return false;
  if (K8S_API.test(text)) {
    const kinds = [...text.matchAll(K8S_KIND)].map((m) => m[1]);
    return kinds.includes('ConfigMap') && /static_resources|dynamic_resources/.test(text);
  }
  return true;
}

/** Whether the text shows, at its top level, that it is meant to be an Envoy config (errors are ours to report). */
export function isEnvoyAtTopLevel(text: string): boolean {
  return /^["']?(static_resources|dynamic_resources)["']?\s*:/m.test(text) || /^\s*\{?\s*"(static_resources|dynamic_resources)"\s*:/m.test(text) || /^\s*(-\s+)?["']?@type["']?\s*:\s*["']?type\.googleapis\.com\/envoy\.config\./m.test(text);
}

// --- the Envoy version of a project ------------------------------------------------------------

/** `envoyproxy/envoy:v1.28.0`, `envoyproxy/envoy-alpine:v1.21.1`, `envoyproxy/envoy:distroless-v1.30-latest`, `envoyproxy/envoy:${ENVOY_TAG:-v1.29.2}`. */
const IMAGE = /\benvoyproxy\/envoy(?:-[a-z0-9]+)?:(?:\$\{\w+:?-)?(?:[a-z]+-)*v?(\d+\.\d+)(?:\.\d+)?/g;

const PROJECT_FILES = ['Dockerfile', 'Containerfile', 'docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'];

/**
 * The lowest Envoy version named by an `envoyproxy/envoy` image in a Dockerfile or compose file
 * of `dir` (the oldest one deployed decides which defaults a shared config must be safe under).
 */
export function envoyVersionFromImages(dir: string, readText: (p: string) => string | undefined): { version: string; reason: string } | undefined {
  let best: { version: string; reason: string } | undefined;
  for (const name of PROJECT_FILES) {
    const file = path.join(dir, name);
    const text = readText(file);
    if (text === undefined || !text.includes('envoyproxy/envoy')) continue;
    for (const line of text.split('\n')) {
      if (/^\s*#/.test(line)) continue;
      for (const m of line.matchAll(IMAGE)) {
        const version = m[1]!;
        if (!best || compareVersions(version, best.version) < 0) best = { version, reason: `image "${m[0]}" in ${name}` };
      }
    }
  }
  return best;
}

/** Adds the Envoy version of the project's images to the detected targets (one call in config/detect.ts). */
export function detectEnvoyTarget(found: Map<string, { version: string; reason: string }>, dir: string, readText: (p: string) => string | undefined): void {
  const image = envoyVersionFromImages(dir, readText);
  if (image) found.set('envoy', image);
}
