/**
 * What a configured TLS library refuses at handshake time although the configuration names it:
 * OpenSSL's security level (protocol versions, suites, keys, signatures), and suites whose
 * authentication the server's certificate cannot provide. The protocol rule words its
 * default-protocol note with it, `lowered-security-level` and `tls-lint ciphers` say what a
 * lowered level lets back in, and confirm mode gives it as the reason a configured weakness is not
 * live.
 *
 * The one home of the security-level facts. Sources: OpenSSL's SSL_CTX_set_security_level(3)
 * (doc/man3/SSL_CTX_set_security_level.pod, 1.1.0 onwards; the 3.0 page adds that SHA-1 and MD5
 * signatures are refused from level 1, which stops SSL 3.0, TLS 1.0 and TLS 1.1), and the
 * checks recorded in docs/platform-facts.md#nginx-with-openssl-3 and #openssl-security-levels (OpenSSL 3.0.22: anonymous and NULL suites drop
 * out from level 1; Node 20: a TLS 1.1 handshake works only with "@SECLEVEL=0" on both sides).
 */
import { versionAtLeast, type Targets } from '../config/targets.js';
import type { OpenSslFamily } from './openssl/families.js';
import type { TlsContext } from '../model/context.js';
import { LEGACY_PROTOCOLS, PROTOCOL_DISPLAY, type ProtocolVersion } from '../model/protocol.js';
import { joinAnd } from '../model/text.js';
import { suiteByIanaName } from './cipher-suites.js';
import { unavailableProtocol } from './protocol-support.js';
import { blockedBySecurityLevel, cipherViews } from './context-ciphers.js';

/** What one OpenSSL security level requires (SSL_CTX_set_security_level(3)). */
export interface SecurityLevel {
  level: number;
  /** Bits of security: parameters offering fewer are refused. */
  bits: number;
  /** Smallest RSA, DSA and DH key (certificates, DH parameters, the peer's key). */
  minFiniteFieldBits: number;
  /** Smallest EC key. */
  minEcBits: number;
}

const SECURITY_LEVELS: readonly SecurityLevel[] = [
  { level: 0, bits: 0, minFiniteFieldBits: 0, minEcBits: 0 },
  { level: 1, bits: 80, minFiniteFieldBits: 1024, minEcBits: 160 },
  { level: 2, bits: 112, minFiniteFieldBits: 2048, minEcBits: 224 },
  { level: 3, bits: 128, minFiniteFieldBits: 3072, minEcBits: 256 },
  { level: 4, bits: 192, minFiniteFieldBits: 7680, minEcBits: 384 },
  { level: 5, bits: 256, minFiniteFieldBits: 15360, minEcBits: 512 },
];

/**
 * The level a build uses when nothing sets one: 1 upstream (`-DOPENSSL_TLS_SECURITY_LEVEL`);
 * Debian and Ubuntu build with 2. OpenSSL 1.0.2 has no levels (everything is permitted, as at 0).
 */
export const DEFAULT_SECURITY_LEVEL = 1;

/**
 * What security level 0 lets back in that the default level 1 refuses, for an OpenSSL family,
 * as short phrases for a message, most serious first. Empty for 1.0.2 (no levels).
 */
export function reenabledAtLevelZero(family: OpenSslFamily): string[] {
  if (family === '1.0.2') return [];
  const one = SECURITY_LEVELS[DEFAULT_SECURITY_LEVEL]!;
  return [
    // OpenSSL 3 refuses SHA-1/MD5 signatures from level 1, and with them SSL 3.0, TLS 1.0 and 1.1
    ...(family === '3.x' ? ['TLS 1.0/1.1 handshakes'] : []),
    `RSA/DSA/DH keys under ${one.minFiniteFieldBits} bits and EC keys under ${one.minEcBits} (the peer's too)`,
    ...(family === '3.x' ? ['SHA-1/MD5 signatures'] : []),
    'anonymous/NULL/EXPORT/MD5-MAC suites',
  ];
}

/**
 * OpenSSL 3.x refuses TLS 1.0/1.1 handshakes at security level 1 and above (they need SHA-1/MD5
 * signatures); only "@SECLEVEL=0" in the cipher string brings them back (docs/platform-facts.md#openssl-security-levels).
 * Applies where the platform uses the system's OpenSSL, whose version `--target openssl` gives.
 * Returns that version, or undefined when the versions can be negotiated.
 */
export function openSsl3RefusingLegacyProtocols(
  context: TlsContext,
  targets: Targets,
): string | undefined {
  if (context.tlsLibrary !== 'system-openssl') return undefined;
  const openssl = targets.version('openssl');
  if (!versionAtLeast(openssl, '3')) return undefined;
  // The cipher engine parses the string; a level 0 anywhere lets old versions through.
  if (cipherViews(context, targets).some((view) => view.secLevel === 0)) return undefined;
  return openssl;
}

/**
 * `"@SECLEVEL=0" in "ssl_ciphers" lets OpenSSL 3 negotiate them`, when a cipher string of the
 * context sets level 0 on OpenSSL 3 (which otherwise refuses TLS 1.0/1.1): the protocol finding
 * then names the second half of what makes the old versions live.
 */
export function levelZeroProtocolNote(context: TlsContext, targets: Targets): string | undefined {
  const view = cipherViews(context, targets).find(
    (v) => v.resolved.secLevel === 0 && v.resolved.family === '3.x',
  );
  return view ? `"@SECLEVEL=0" ${view.origin} lets OpenSSL 3 negotiate them` : undefined;
}

/**
 * Why configured protocol versions are not accepted by the live server, when the config says:
 * the library has no such version (SSL 2.0/3.0), or OpenSSL 3's security level refuses it.
 */
export function protocolRefusal(
  context: TlsContext,
  env: { targets: Targets },
  items: readonly string[],
): string | undefined {
  if (items.length === 0) return undefined;
  const reasons: string[] = [];
  const legacy = items.filter((v) => (LEGACY_PROTOCOLS as readonly string[]).includes(v));
  for (const v of items.filter((i) => !legacy.includes(i))) {
    const why = unavailableProtocol(context, v as ProtocolVersion, env.targets);
    if (!why) return undefined;
    reasons.push(why);
  }
  if (legacy.length) {
    const openssl = openSsl3RefusingLegacyProtocols(context, env.targets);
    if (!openssl) return undefined;
    reasons.push(
      `OpenSSL security level (OpenSSL ${openssl} refuses ${joinAnd(legacy.map((v) => (PROTOCOL_DISPLAY as Partial<Record<string, string>>)[v] ?? v))} unless the cipher string has "@SECLEVEL=0")`,
    );
  }
  return reasons.join('; ');
}

/** The key type of the server certificate the configuration names, when its file was read. */
function serverKeyTypes(context: TlsContext): Set<string> {
  const types = new Set<string>();
  for (const ref of context.material) {
    if (ref.purpose !== 'server-certificate') continue;
    const key = ref.summary?.certificates?.[0]?.key.type;
    if (key) types.add(key === 'rsa-pss' ? 'rsa' : key);
  }
  return types;
}

const AUTH_KEY: Record<string, string> = { RSA: 'rsa', ECDSA: 'ec', DSS: 'dsa' };

/** Why configured suites are not chosen by the live server, when the config says. */
export function suiteRefusal(
  context: TlsContext,
  env: { targets: Targets },
  items: readonly string[],
): string | undefined {
  const suites = items.map((name) => suiteByIanaName(name)).filter((s) => s !== undefined);
  if (suites.length === 0 || suites.length !== items.length) return undefined;
  const levels = cipherViews(context, env.targets).map((v) => v.secLevel);
  const level = levels.length ? Math.min(...levels) : undefined;
  if (level !== undefined && suites.every((s) => blockedBySecurityLevel(s, level)))
    return `OpenSSL security level ${level}`;
  const keys = serverKeyTypes(context);
  if (
    keys.size &&
    suites.every((s) => AUTH_KEY[s.au] !== undefined && !keys.has(AUTH_KEY[s.au]!))
  ) {
    const auths = [...new Set(suites.map((s) => s.au))];
    return `${joinAnd(auths)} authentication needs a certificate of that key type; the server's certificate has ${joinAnd([...keys].map((k) => k.toUpperCase()))} key`;
  }
  return undefined;
}
