/**
 * Raw-TLS probe API: `rawScan` for a whole endpoint, `probeOnce` for one handshake. Built on
 * hand-made records (src/probe/wire/) so it sees what the local OpenSSL cannot speak.
 */
import type { ClientHelloOptions } from '../wire/client-hello.js';
import { runHandshake, type HandshakeOutcome, type RawTarget } from './handshake.js';
import { keyExchangeKind } from './suites.js';

export type { ClientHelloOptions } from '../wire/client-hello.js';
export type {
  AlertInfo,
  HandshakeOutcome,
  OutcomeKind,
  RawTarget,
  ServerFlight,
} from './handshake.js';
export { rawScan, DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from './scan.js';
export type {
  CertificateRequest12Summary,
  CertificateRequest13Summary,
  RawScanOptions,
  RawScanResult,
  Tri,
} from './scan.js';
export { suitesForVersion, ssl2CipherKinds } from './suites.js';
export { WireError } from '../wire/bytes.js';

/**
 * One handshake: ServerHello / alert / closed / timeout / garbage, plus the parsed (and for
 * TLS 1.3, decrypted) flight. Never rejects because of the server; rejects with a WireError for
 * hello options that cannot be encoded (no cipher suites, a key share group we cannot make).
 */
export function probeOnce(target: RawTarget, hello: ClientHelloOptions): Promise<HandshakeOutcome> {
  return runHandshake(target, hello, { keyExchangeOf: keyExchangeKind });
}
