/**
 * What resolving a cipher configuration yields, shared by the platform modules in
 * `platforms/` and the dispatcher `cipher-spec.ts`; plus the wording they share.
 */
import type { CipherSpec } from '../model/context.js';
import type { CipherStringItem } from './openssl/engine.js';
import type { OpenSslFamily } from './openssl/families.js';
import type { CipherSuite } from './suite-types.js';

export type CipherPlatform =
  | 'node'
  | 'python'
  | 'nginx'
  | 'apache'
  | 'haproxy'
  | 'openssl'
  | 'go'
  | 'envoy'
  | 'probe';

export interface ResolvedSuite {
  suite: CipherSuite;
  /** The item of the string that brought the suite in (`ALL`, `HIGH`, `ECDHE+AESGCM`, a name). */
  token?: string;
}

/**
 * - `refused`: the platform rejects the configuration (exception, config test fails)
 * - `handshakes-fail`: it loads, but handshakes fail (all, or all TLS 1.3 ones)
 * - `ignored`: part of the string is silently dropped
 * - `note`: worth knowing, no effect on security
 */
export type CipherProblemEffect = 'refused' | 'handshakes-fail' | 'ignored' | 'note';

export type CipherProblemKind =
  | 'no-cipher-match'
  | 'invalid-command'
  | 'unknown-name'
  | 'case-mistake'
  | 'iana-name-in-openssl-list'
  | 'tls13-name-in-tls12-list'
  | 'not-built'
  | 'matches-nothing'
  | 'default-not-first'
  | 'node-tls12-iana-names'
  | 'unknown-tls13-name'
  | 'tls12-name-in-tls13-list'
  | 'go-tls13-not-configurable'
  | 'unknown-go-name'
  | 'unknown-boringssl-name';

export interface CipherProblem {
  kind: CipherProblemKind;
  effect: CipherProblemEffect;
  message: string;
  /** What to write instead, when the platform's semantics say more than the rule's fix for the kind. */
  fix?: string;
  /** The tokens concerned, as written. */
  tokens: string[];
}

export interface ResolvedCiphers {
  syntax: CipherSpec['syntax'];
  platform: CipherPlatform;
  /** The OpenSSL family whose semantics were applied (OpenSSL-based platforms). */
  family?: OpenSslFamily;
  /** TLS ≤1.2 suites in preference order. */
  suites: ResolvedSuite[];
  /** TLS 1.3 suites in effect. */
  tls13: ResolvedSuite[];
  /** Whether the spec itself set the TLS 1.3 suites (else they are the platform default). */
  tls13Configured: boolean;
  /** Tokens that name nothing the platform knows (ignored, or fatal where the parser is strict). */
  unknownTokens: string[];
  problems: CipherProblem[];
  /** The platform refuses the configuration. */
  refused: boolean;
  /** TLS ≤1.2 is switched off by the string itself (Node with only `TLS_` tokens). */
  tls12Disabled: boolean;
  /** Go ≥1.17 ignores the configured order. */
  orderIgnored: boolean;
  /** `@SECLEVEL=n` in an OpenSSL string. */
  secLevel?: number;
  /** Item-level detail of an OpenSSL string (what each item matched and did). */
  items?: CipherStringItem[];
}

export interface ResolveOptions {
  /** Whose semantics and wording (defaults from the syntax). */
  platform?: CipherPlatform;
  /** Overrides the family derived from the targets. */
  family?: OpenSslFamily;
}

export function platformName(platform: CipherPlatform): string {
  return {
    node: 'Node',
    python: 'Python',
    nginx: 'nginx',
    apache: 'Apache httpd',
    haproxy: 'HAProxy',
    openssl: 'OpenSSL',
    go: 'Go',
    envoy: 'Envoy',
    probe: 'the endpoint',
  }[platform];
}

export function refusalPhrase(platform: CipherPlatform): string {
  switch (platform) {
    case 'node':
      return 'tls.createSecureContext() throws "No cipher match"';
    case 'python':
      return 'set_ciphers() raises SSLError("No cipher can be selected.")';
    case 'nginx':
      return 'nginx refuses to start (SSL_CTX_set_cipher_list() failed: no cipher match)';
    case 'apache':
      return 'Apache httpd refuses to start (unable to configure cipher list)';
    case 'haproxy':
      return 'HAProxy refuses to start (unable to set SSL cipher list)';
    default:
      return 'OpenSSL fails with "no cipher match"';
  }
}

/** `A, B, C and 4 more` */
export function listSome(names: readonly string[], max = 3): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

export function quoteList(tokens: readonly string[], max = 3): string {
  return listSome(
    tokens.map((t) => `"${t}"`),
    max,
  );
}
