/**
 * Which files are Envoy configs (by content, never by name alone). Which Envoy version a project
 * runs is config/envoy-version.ts.
 */
import path from 'node:path';

/** YAML and JSON, also as templates (`envoy.yaml.tmpl`, `envoy.yaml.j2`, Helm `*.yaml`). */
export function looksLikeEnvoyPath(file: string): boolean {
  return /\.(ya?ml|json)(\.(tpl|tmpl|template|j2|jinja2?|in))?$/i.test(path.basename(file));
}

/** Words that only an Envoy config (or something that embeds one) holds. */
const MARKERS =
  /static_resources|dynamic_resources|type\.googleapis\.com\/envoy\.|envoy\.transport_sockets\.|envoy\.api\.v2\./;

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
  return (
    /^["']?(static_resources|dynamic_resources)["']?\s*:/m.test(text) ||
    /^\s*\{?\s*"(static_resources|dynamic_resources)"\s*:/m.test(text) ||
    /^\s*(-\s+)?["']?@type["']?\s*:\s*["']?type\.googleapis\.com\/envoy\.config\./m.test(text)
  );
}
