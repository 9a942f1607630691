/**
 * What a configured TLS library refuses at handshake time although the configuration names it:
 * OpenSSL's security level (protocol versions and suites), and suites whose authentication the
 * server's certificate cannot provide. The protocol rule words its default-protocol note with it,
 * and confirm mode gives it as the reason a configured weakness is not live.
 */
import { versionAtLeast, type Targets } from '../config/targets.js';
import type { TlsContext } from '../model/context.js';
import { LEGACY_PROTOCOLS, PROTOCOL_DISPLAY, type ProtocolVersion } from '../model/protocol.js';
import { joinAnd } from '../model/text.js';
import { suiteByIanaName } from './cipher-suites.js';
import { unavailableProtocol } from './protocol-support.js';
import { blockedBySecurityLevel, cipherViews } from './context-ciphers.js';

/**
 * OpenSSL 3.x refuses TLS 1.0/1.1 handshakes at security level 1 and above (they need SHA-1/MD5
 * signatures); only "@SECLEVEL=0" in the cipher string brings them back (config-facts §1.4, §4.1).
 * Applies where the platform uses the system's OpenSSL, whose version `--target openssl` gives.
 * Returns that version, or undefined when the versions can be negotiated.
 */
export function openSsl3RefusingLegacyProtocols(context: TlsContext, targets: Targets): string | undefined {
  if (context.tlsLibrary !== 'system-openssl') return undefined;
  const openssl = targets.version('openssl');
  if (!versionAtLeast(openssl, '3')) return undefined;
  // The cipher engine parses the string; a level 0 anywhere lets old versions through.
  if (cipherViews(context, targets).some((view) => view.secLevel === 0)) return undefined;
  return openssl;
}

/**
 * Why configured protocol versions are not accepted by the live server, when the config says:
 * the library has no such version (SSL 2.0/3.0), or OpenSSL 3's security level refuses it.
 */
export function protocolRefusal(context: TlsContext, env: { targets: Targets }, items: readonly string[]): string | undefined {
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
    reasons.push(`OpenSSL security level (OpenSSL ${openssl} refuses ${joinAnd(legacy.map((v) => PROTOCOL_DISPLAY[v as ProtocolVersion] ?? v))} unless the cipher string has "@SECLEVEL=0")`);
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
export function suiteRefusal(context: TlsContext, env: { targets: Targets }, items: readonly string[]): string | undefined {
  const suites = items.map((name) => suiteByIanaName(name)).filter((s) => s !== undefined);
  if (suites.length === 0 || suites.length !== items.length) return undefined;
  const levels = cipherViews(context, env.targets).map((v) => v.secLevel);
  const level = levels.length ? Math.min(...levels) : undefined;
  if (level !== undefined && suites.every((s) => blockedBySecurityLevel(s, level))) return `OpenSSL security level ${level}`;
  const keys = serverKeyTypes(context);
  if (keys.size && suites.every((s) => AUTH_KEY[s.au] !== undefined && !keys.has(AUTH_KEY[s.au]!))) {
    const auths = [...new Set(suites.map((s) => s.au))];
    return `${joinAnd(auths)} authentication needs a certificate of that key type; the server's certificate has ${joinAnd([...keys].map((k) => k.toUpperCase()))} key`;
  }
  return undefined;
}
