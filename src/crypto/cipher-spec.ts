/**
 * One entry point for every platform's cipher configuration: `resolveCipherSpec` turns a
 * `CipherSpec` (as a reader wrote it down) into the suites the platform really enables, in
 * order, with the token of the string that brought each in, and the problems the platform has
 * with the string (refused at start, handshakes fail, silently ignored parts).
 *
 * This module dispatches; each platform's semantics live in one module of `platforms/`
 * (docs/platform-facts.md: nginx, Envoy, OpenSSL, Node.js, Go, Python):
 * - `platforms/openssl.ts` — OpenSSL strings (nginx `ssl_ciphers`, Python `set_ciphers`, Apache, HAProxy): the OpenSSL
 *   engine of the target family; TLS 1.3 suites are separate and keep their default.
 * - `platforms/node.ts` — Node `ciphers`: split on ":" only; `TLS_`-prefixed tokens go to the TLS 1.3 list
 *   (SSL_CTX_set_ciphersuites), the rest to the TLS ≤1.2 list. OpenSSL ≥1.1.1 also accepts a TLS
 *   1.2 suite by IANA name in the TLS 1.3 list, which yields no TLS 1.3 suite; with no TLS ≤1.2
 *   token left Node raises the minimum version to TLS 1.3, so every handshake fails.
 * - `platforms/openssl.ts` too — `openssl-tls13`: an exact ":" list (nginx `ssl_conf_command Ciphersuites`).
 * - `platforms/go.ts` — Go `CipherSuites`: constant names; TLS 1.3 is not configurable; order ignored since Go 1.17.
 * - `platforms/boringssl.ts` — Envoy `cipher_suites`: BoringSSL names with `[a|b]` groups; unknown names reject the config.
 * - here — `suites`: exact IANA names seen by the probe.
 */
import type { Targets } from '../config/targets.js';
import type { CipherSpec } from '../model/context.js';
import type { CipherPlatform, ResolveOptions, ResolvedCiphers } from './cipher-resolution.js';
import { suiteByAnyName, suiteByIanaName } from './cipher-suites.js';
import { opensslFamilyFor, type OpenSslFamily } from './openssl/families.js';
import { resolveBoringSsl } from './platforms/boringssl.js';
import { resolveGo } from './platforms/go.js';
import { nodeOpenSslFamily } from './platforms/node-defaults.js';
import { resolveNode } from './platforms/node.js';
import { resolveOpenSsl, resolveTls13List } from './platforms/openssl.js';

// The types and the shared wording live in cipher-resolution.ts; importers keep this path.
export * from './cipher-resolution.js';

/** The OpenSSL family a platform uses under the given targets. */
export function opensslFamilyForPlatform(
  platform: CipherPlatform,
  targets: Targets,
): OpenSslFamily {
  if (platform === 'node') return nodeOpenSslFamily(targets.version('node'));
  return opensslFamilyFor(targets.version('openssl'));
}

function defaultPlatform(syntax: CipherSpec['syntax']): CipherPlatform {
  switch (syntax) {
    case 'node':
      return 'node';
    case 'go':
      return 'go';
    case 'boringssl':
      return 'envoy';
    case 'suites':
      return 'probe';
    default:
      return 'openssl';
  }
}

/**
 * Every rule resolves the same settings: remember recent results (they are never mutated).
 * Keyed first by the text itself — servers that inherit one string share the string object, whose
 * hash V8 caches, so a long string is not re-serialised for every rule and context.
 */
const memo = new Map<string, Map<string, ResolvedCiphers>>();
let memoSize = 0;

export function resolveCipherSpec(
  spec: CipherSpec,
  targets: Targets,
  options: ResolveOptions = {},
): ResolvedCiphers {
  const platform = options.platform ?? defaultPlatform(spec.syntax);
  const family = options.family ?? opensslFamilyForPlatform(platform, targets);
  const key = JSON.stringify([
    spec.syntax,
    spec.items?.map((i) => i.text),
    platform,
    family,
    spec.syntax === 'go' ? targets.version('go') : '',
  ]);
  let byText = memo.get(spec.text);
  const hit = byText?.get(key);
  if (hit) return hit;
  if (memoSize > 1000) {
    memo.clear();
    memoSize = 0;
    byText = undefined;
  }
  const result = resolveUncached(spec, targets, platform, family);
  if (!byText) memo.set(spec.text, (byText = new Map<string, ResolvedCiphers>()));
  byText.set(key, result);
  memoSize++;
  return result;
}

function resolveUncached(
  spec: CipherSpec,
  targets: Targets,
  platform: CipherPlatform,
  family: OpenSslFamily,
): ResolvedCiphers {
  const base: ResolvedCiphers = {
    syntax: spec.syntax,
    platform,
    suites: [],
    tls13: [],
    tls13Configured: false,
    unknownTokens: [],
    problems: [],
    refused: false,
    tls12Disabled: false,
    orderIgnored: false,
  };
  switch (spec.syntax) {
    case 'openssl':
      return resolveOpenSsl(spec.text, family, platform, base);
    case 'node':
      return resolveNode(spec.text, family, base);
    case 'openssl-tls13':
      return resolveTls13List(spec.text, family, platform, base);
    case 'go':
      return resolveGo(spec, targets, base);
    case 'boringssl':
      return resolveBoringSsl(spec, base);
    case 'suites':
      return resolveObserved(spec, base);
  }
}

// --- observed by the probe -----------------------------------------------------------------------

function resolveObserved(spec: CipherSpec, out: ResolvedCiphers): ResolvedCiphers {
  const items = spec.items?.map((i) => i.text) ?? spec.text.split(/[\s:,]+/).filter(Boolean);
  for (const item of items) {
    const suite = suiteByIanaName(item) ?? suiteByAnyName(item);
    if (!suite) {
      out.unknownTokens.push(item);
      continue;
    }
    (suite.tls13 ? out.tls13 : out.suites).push({ suite, token: item });
  }
  out.tls13Configured = true;
  return out;
}
