/**
 * What the probe offers, taken from the one suite table (src/crypto/cipher-suites.ts): every
 * offerable suite, including those no current OpenSSL can speak (EXPORT, RC4, DES, KRB5…).
 */
import {
  hasFlag,
  offerableSuites,
  suiteByCode,
  CIPHER_SUITES,
} from '../../crypto/cipher-suites.js';
import { protocolRank, type ProtocolVersion } from '../../model/protocol.js';
import type { KeyExchangeKind } from '../wire/server-messages.js';

/** Suites to offer in a hello of `version`, in table order: TLS 1.3 suites only in TLS 1.3. */
export function suitesForVersion(version: ProtocolVersion): number[] {
  if (version === 'SSLv2') return ssl2CipherKinds();
  if (version === 'TLSv1.3')
    return offerableSuites()
      .filter((s) => s.tls13)
      .map((s) => s.code);
  const rank = protocolRank(version);
  return offerableSuites()
    .filter((s) => !s.tls13 && protocolRank(s.minProtocol) <= rank)
    .map((s) => s.code);
}

/** The SSL 2.0 cipher kinds (3-byte codes) in the table. */
export function ssl2CipherKinds(): number[] {
  return CIPHER_SUITES.filter((s) => s.code > 0xffff).map((s) => s.code);
}

/** The ServerKeyExchange layout a suite implies. */
export function keyExchangeKind(code: number): KeyExchangeKind | undefined {
  const suite = suiteByCode(code);
  if (!suite) return undefined;
  switch (suite.kx) {
    case 'DHE':
      return 'dhe';
    case 'ECDHE':
      return 'ecdhe';
    case 'DHE-PSK':
      return 'dhe_psk';
    case 'ECDHE-PSK':
      return 'ecdhe_psk';
    case 'PSK':
      return 'psk';
    case 'RSA-PSK':
      return 'rsa_psk';
    case 'SRP':
      return 'srp';
    case 'RSA':
      // Only RSA_EXPORT suites send a ServerKeyExchange (a temporary 512-bit RSA key).
      return hasFlag(suite, 'EXPORT') ? 'rsa' : 'other';
    default:
      return 'other';
  }
}

/** Suites whose key exchange is ECDHE (used to read the server's curves in TLS ≤ 1.2). */
export function isEcdheSuite(code: number): boolean {
  const kx = suiteByCode(code)?.kx;
  return kx === 'ECDHE' || kx === 'ECDHE-PSK';
}

/** Anonymous suites never come with a certificate or a CertificateRequest. */
export function isAnonymousSuite(code: number): boolean {
  const suite = suiteByCode(code);
  return suite ? hasFlag(suite, 'anon') : false;
}

/** Size of one batch for servers that refuse long suite lists (some stacks fail past 128 suites). */
export const SUITE_BATCH_SIZE = 96;

/**
 * A short offer for servers that refuse the full list: suites OpenSSL builds know (current
 * ones first, then those only 1.0.2 had), without PSK/SRP/KRB5, at most {@link SUITE_BATCH_SIZE}.
 */
export function compactSuitesForVersion(version: ProtocolVersion): number[] {
  const allowed = new Set(suitesForVersion(version));
  const usable = offerableSuites().filter(
    (s) => allowed.has(s.code) && !hasFlag(s, 'PSK') && !hasFlag(s, 'SRP') && !hasFlag(s, 'KRB5'),
  );
  const current = usable.filter((s) => s.opensslBuilds?.v3);
  const older = usable.filter((s) => !s.opensslBuilds?.v3 && s.opensslBuilds?.v102);
  return [...current, ...older].slice(0, SUITE_BATCH_SIZE).map((s) => s.code);
}
