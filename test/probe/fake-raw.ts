/**
 * A stand-in for the raw scanner (src/probe/raw) so orchestration tests do not depend on it:
 * says what the test tells it to, as a real scan of that server would.
 */
import type { RawScanResult, RawScanner } from '../../src/probe/index.js';
import type { ProtocolVersion } from '../../src/model/protocol.js';

type CertRequest = RawScanResult['certificateRequest'];

export interface FakeScanInput {
  protocols?: Partial<Record<ProtocolVersion, boolean | null>>;
  ciphers?: Partial<Record<ProtocolVersion, readonly number[]>>;
  requested12?: boolean | null;
  requested13?: boolean | null;
  caNames?: string[];
  signatureAlgorithms12?: number[];
  groups?: string[] | null;
  dhBits?: number;
  servedChain?: Buffer[];
}

export function fakeScanResult(input: FakeScanInput = {}): RawScanResult {
  const protocols: Record<ProtocolVersion, boolean | null> = {
    SSLv2: false,
    SSLv3: false,
    'TLSv1.0': false,
    'TLSv1.1': false,
    'TLSv1.2': true,
    'TLSv1.3': true,
    ...input.protocols,
  };
  const certificateRequest: CertRequest = {
    tls12:
      input.requested12 === undefined
        ? null
        : {
            requested: input.requested12,
            caNames: input.caNames ?? [],
            certificateTypes: [1, 64],
            signatureAlgorithms: input.signatureAlgorithms12 ?? [0x0804, 0x0403],
          },
    tls13:
      input.requested13 === undefined
        ? null
        : {
            requested: input.requested13,
            caNames: input.caNames ?? [],
            signatureAlgorithms: [0x0804],
          },
    byVersion: {
      ...(input.requested12 !== undefined && { 'TLSv1.2': input.requested12 }),
      ...(input.requested13 !== undefined && { 'TLSv1.3': input.requested13 }),
    },
  };
  return {
    protocols,
    ciphers: input.ciphers
      ? Object.fromEntries(Object.entries(input.ciphers).map(([v, codes]) => [v, [...codes]]))
      : { 'TLSv1.2': [0xc02f, 0xc030], 'TLSv1.3': [0x1301, 0x1302, 0x1303] },
    serverPreference: { 'TLSv1.2': false },
    groups: input.groups === undefined ? ['x25519', 'secp256r1'] : input.groups,
    dh: input.dhBits ? { bits: input.dhBits } : null,
    ecdhCurves: [],
    certificateRequest,
    servedChain: input.servedChain ?? [],
    handshakes: 10,
    notes: [],
  };
}

export function fakeRawScanner(input: FakeScanInput = {}): RawScanner {
  return () => Promise.resolve(fakeScanResult(input));
}
