/**
 * The raw-TLS scan: which protocol versions a server accepts, which suites per version (out of
 * the whole suite table), whether it imposes its own order, which key-exchange groups it takes,
 * its DH/ECDH parameters and whether it asks for a client certificate (TLS ≤ 1.2 in clear, TLS 1.3
 * inside the decrypted flight).
 *
 * Handshake budget: one hello per version (which also yields the flight: chain, ServerKeyExchange,
 * CertificateRequest), one reversed-order hello per version to learn who orders the suites, then
 * "offer what is left, remove what was chosen" until the server refuses: at most N + 2 hellos for
 * the N suites a version accepts (N + 1 without a server order, whose reversed hello already
 * found a second suite). Versions run side by side under one concurrency cap.
 */
import { PROTOCOL_VERSIONS, protocolRank, type ProtocolVersion } from '../../model/protocol.js';
import type { HandshakeOutcome, RawTarget } from './handshake.js';
import { Limiter } from './limiter.js';
import { Scanner, acceptedAt, isRefusal } from './scanner.js';
import { isAnonymousSuite, isEcdheSuite } from './suites.js';

export type Tri = boolean | null;

export interface RawScanOptions {
  /** Connections at once (default 8, never more than 16). */
  concurrency?: number;
  /** Versions to test (default: all, SSLv2 … TLSv1.3). Untested versions are null. */
  versions?: ProtocolVersion[];
}

export interface CertificateRequest12Summary {
  requested: Tri;
  /** The version whose server flight was read (the highest accepted below TLS 1.3). */
  version?: ProtocolVersion;
  /** Why `requested` is null. */
  reason?: string;
  caNames: string[];
  certificateTypes: number[];
  signatureAlgorithms: number[];
}

export interface CertificateRequest13Summary {
  requested: Tri;
  /** Why `requested` is null. */
  reason?: string;
  caNames: string[];
  signatureAlgorithms: number[];
}

export interface RawScanResult {
  protocols: Record<ProtocolVersion, Tri>;
  /** Accepted IANA codes per accepted version (SSLv2: 3-byte cipher kinds), in the server's order when it has one. */
  ciphers: Partial<Record<ProtocolVersion, number[]>>;
  serverPreference: Partial<Record<ProtocolVersion, Tri>>;
  /** Key-exchange groups accepted (x25519, secp256r1, ffdhe2048…); null when they could not be tested. */
  groups: string[] | null;
  /** Smallest DHE prime seen in a ServerKeyExchange. */
  dh: { bits: number } | null;
  /** Curves seen in ECDHE ServerKeyExchange messages (TLS ≤ 1.2). */
  ecdhCurves: string[];
  certificateRequest: {
    tls12: CertificateRequest12Summary | null;
    tls13: CertificateRequest13Summary | null;
    /**
     * Per accepted version (SSL 3.0 … TLS 1.3): whether that version's server flight held a
     * CertificateRequest; null when the flight could not be read. SSL 2.0 asks only after the
     * key exchange, so it is absent.
     */
    byVersion?: Partial<Record<ProtocolVersion, Tri>>;
  };
  /** DER certificates as served (leaf first): from TLS 1.3 if it was decrypted, else the highest TLS ≤ 1.2. */
  servedChain: Buffer[];
  /** Connections made. */
  handshakes: number;
  /** Why something could not be tested, in words. */
  notes: string[];
}

export const DEFAULT_CONCURRENCY = 8;
export const MAX_CONCURRENCY = 16;

function emptyProtocols(): Record<ProtocolVersion, Tri> {
  return Object.fromEntries(PROTOCOL_VERSIONS.map((v) => [v, null])) as Record<
    ProtocolVersion,
    Tri
  >;
}

/**
 * Scans a server with raw handshakes. Never rejects for anything the server does; what could not
 * be tested is null with a reason in `notes`.
 */
export async function rawScan(
  target: RawTarget,
  options: RawScanOptions = {},
): Promise<RawScanResult> {
  const concurrency = Math.max(
    1,
    Math.min(MAX_CONCURRENCY, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY)),
  );
  const scanner = new Scanner(target, new Limiter(concurrency));
  const versions = PROTOCOL_VERSIONS.filter((v) =>
    (options.versions ?? PROTOCOL_VERSIONS).includes(v),
  );
  const result: RawScanResult = {
    protocols: emptyProtocols(),
    ciphers: {},
    serverPreference: {},
    groups: null,
    dh: null,
    ecdhCurves: [],
    certificateRequest: { tls12: null, tls13: null, byVersion: {} },
    servedChain: [],
    handshakes: 0,
    notes: scanner.notes,
  };
  for (const v of PROTOCOL_VERSIONS)
    if (!versions.includes(v)) scanner.notes.push(`${v} not tested (not requested)`);

  const firsts = await firstHellos(scanner, target, versions, result);
  const accepted = versions.filter((v) => result.protocols[v] === true);
  await enumerateSuitesAndGroups(scanner, result, firsts, accepted);
  readClientCertificateRequests(scanner, result, firsts, accepted);
  result.handshakes = scanner.handshakes;
  return result;
}

/** 1. One hello per version, all at once: which versions the server accepts (and their first flights). */
async function firstHellos(
  scanner: Scanner,
  target: RawTarget,
  versions: readonly ProtocolVersion[],
  result: RawScanResult,
): Promise<Map<ProtocolVersion, HandshakeOutcome>> {
  const firsts = new Map<ProtocolVersion, HandshakeOutcome>();
  await Promise.all(
    versions.map(async (v) => {
      const o = await scanner.probeVersion(v);
      firsts.set(v, o);
      if (o.kind === 'serverHello') {
        result.protocols[v] = acceptedAt(o, v);
      } else if (isRefusal(o)) {
        result.protocols[v] = false;
      } else {
        result.protocols[v] = null;
        scanner.notes.push(`${v} could not be tested: ${o.detail}`);
      }
    }),
  );

  const outcomes = versions.map((v) => firsts.get(v)!);
  if (outcomes.length > 0 && outcomes.every((o) => o.kind === 'closed' && o.bytesReceived === 0)) {
    // A server that closes every hello unanswered is not saying "no" to each version; it is not talking TLS to us.
    for (const v of versions) result.protocols[v] = null;
    scanner.notes.push(
      'the server closed every connection without answering; protocols could not be tested',
    );
  }
  const connectFailure = outcomes.find((o) => o.kind === 'connectFailed');
  if (connectFailure && outcomes.every((o) => o.kind === 'connectFailed')) {
    scanner.notes.splice(
      0,
      scanner.notes.length,
      `could not connect to ${target.host}:${target.port}: ${connectFailure.detail}`,
    );
  }

  if (versions.some((v) => result.protocols[v] === true)) {
    // Some stacks (Schannel among them) reset the connection on a hello for a version they have
    // disabled. From a server that completed hellos for other versions, a reset before any byte
    // — twice, since attempt() retries it — is its "no".
    for (const v of versions) {
      const o = firsts.get(v)!;
      if (result.protocols[v] === null && o.kind === 'reset' && o.bytesReceived === 0) {
        result.protocols[v] = false;
        const index = scanner.notes.indexOf(`${v} could not be tested: ${o.detail}`);
        if (index >= 0) scanner.notes.splice(index, 1);
        scanner.notes.push(
          `${v}: the server reset the connection instead of answering; counted as refused because it answered other versions`,
        );
      }
    }
  }
  if (versions.some((v) => result.protocols[v] === true && (v === 'TLSv1.2' || v === 'TLSv1.3'))) {
    // OpenSSL 3 answers a TLS 1.0/1.1 (or SSL 3.0) hello with internal_error when the version is
    // enabled but its security level forbids it (no SHA-1/MD5 signatures at level 1 and above).
    // No handshake at that version is possible, which is what a client (or attacker) sees.
    for (const v of ['SSLv3', 'TLSv1.0', 'TLSv1.1'] as const) {
      const o = firsts.get(v);
      if (!o || result.protocols[v] !== null || o.kind !== 'alert' || o.alert?.description !== 80)
        continue;
      result.protocols[v] = false;
      const index = scanner.notes.indexOf(`${v} could not be tested: ${o.detail}`);
      if (index >= 0) scanner.notes.splice(index, 1);
      scanner.notes.push(
        `${v}: the server answered with internal_error, as OpenSSL 3 does for a version its security level forbids; counted as refused (no ${v} handshake can complete)`,
      );
    }
  }
  return firsts;
}

/** 2. Suites per version and groups, concurrently under the cap. */
async function enumerateSuitesAndGroups(
  scanner: Scanner,
  result: RawScanResult,
  firsts: ReadonlyMap<ProtocolVersion, HandshakeOutcome>,
  accepted: readonly ProtocolVersion[],
): Promise<void> {
  const tasks: Promise<void>[] = accepted.map(async (v) => {
    const first = firsts.get(v)!;
    if (v === 'SSLv2') {
      result.ciphers.SSLv2 = first.ssl2?.cipherKinds ?? [];
      return;
    }
    const { ciphers, preference } = await scanner.enumerateCiphers(v, first);
    result.ciphers[v] = ciphers;
    result.serverPreference[v] = preference;
  });
  const groupsTask = (async () => {
    if (result.protocols['TLSv1.3'] === true) return scanner.enumerateTls13Groups();
    return undefined;
  })();
  await Promise.all(tasks);
  let groups = await groupsTask;
  if (groups === undefined) {
    // No TLS 1.3: read the curves from ECDHE ServerKeyExchange in the highest version that has ECDHE suites.
    const legacy = [...accepted]
      .filter((v) => v !== 'SSLv2')
      .sort((x, y) => protocolRank(y) - protocolRank(x));
    const version = legacy.find((v) => (result.ciphers[v] ?? []).some(isEcdheSuite));
    if (version)
      groups = await scanner.enumerateEcdheCurves(
        version,
        result.ciphers[version]!.filter(isEcdheSuite),
      );
    else {
      groups = null;
      if (accepted.length > 0)
        scanner.notes.push(
          'groups could not be tested: neither TLS 1.3 nor an ECDHE suite is accepted',
        );
    }
  }
  result.groups = groups;
  result.dh = scanner.dh();
  scanner.exportRsaNote();
  result.ecdhCurves = [...scanner.ecdhCurves];
}

/** 3. Client-certificate requests and the served chain, from the first flights. */
function readClientCertificateRequests(
  scanner: Scanner,
  result: RawScanResult,
  firsts: ReadonlyMap<ProtocolVersion, HandshakeOutcome>,
  accepted: readonly ProtocolVersion[],
): void {
  const tls13 = firsts.get('TLSv1.3');
  if (result.protocols['TLSv1.3'] === true && tls13) {
    if (tls13.flight.complete) {
      const cr = tls13.flight.certificateRequest13;
      result.certificateRequest.tls13 = {
        requested: cr !== undefined,
        caNames: cr?.caNames ?? [],
        signatureAlgorithms: cr?.signatureAlgorithms ?? [],
      };
      result.servedChain = tls13.flight.certificates;
    } else {
      const reason = tls13.flight.error ?? 'the encrypted flight was not read';
      result.certificateRequest.tls13 = {
        requested: null,
        caNames: [],
        signatureAlgorithms: [],
        reason,
      };
      scanner.notes.push(`TLS 1.3 CertificateRequest could not be tested: ${reason}`);
    }
    result.certificateRequest.byVersion!['TLSv1.3'] = result.certificateRequest.tls13.requested;
  }
  const legacyAccepted = accepted
    .filter((v) => v !== 'SSLv2' && v !== 'TLSv1.3')
    .sort((x, y) => protocolRank(y) - protocolRank(x));
  // The version's first hello, unless it landed on an anonymous suite: then any later flight of that version with a certificate.
  const authenticatedFlight = (
    v: ProtocolVersion,
  ): { flight: HandshakeOutcome; anonymous: boolean } => {
    const first = firsts.get(v)!;
    const anonymous = first.cipherSuite !== undefined && isAnonymousSuite(first.cipherSuite);
    const flight =
      (anonymous || !first.flight.complete ? scanner.authenticatedFlights.get(v) : undefined) ??
      first;
    return {
      flight,
      anonymous: flight.cipherSuite !== undefined && isAnonymousSuite(flight.cipherSuite),
    };
  };
  for (const v of legacyAccepted) {
    const { flight, anonymous } = authenticatedFlight(v);
    result.certificateRequest.byVersion![v] =
      flight.flight.complete && !anonymous
        ? flight.flight.certificateRequest12 !== undefined
        : null;
  }
  if (legacyAccepted.length > 0) {
    const v = legacyAccepted[0]!;
    const { flight, anonymous: flightAnonymous } = authenticatedFlight(v);
    if (flight.flight.complete && !flightAnonymous) {
      const cr = flight.flight.certificateRequest12;
      result.certificateRequest.tls12 = {
        requested: cr !== undefined,
        version: v,
        caNames: cr?.caNames ?? [],
        certificateTypes: cr?.certificateTypes ?? [],
        signatureAlgorithms: cr?.signatureAlgorithms ?? [],
      };
    } else {
      const reason = flightAnonymous
        ? 'the server accepted only anonymous suites'
        : (flight.flight.error ?? 'the flight was not complete');
      result.certificateRequest.tls12 = {
        requested: null,
        version: v,
        reason,
        caNames: [],
        certificateTypes: [],
        signatureAlgorithms: [],
      };
      scanner.notes.push(`${v} CertificateRequest could not be tested: ${reason}`);
    }
    if (result.servedChain.length === 0) {
      result.servedChain =
        legacyAccepted
          .map(
            (lv) => (scanner.authenticatedFlights.get(lv) ?? firsts.get(lv)!).flight.certificates,
          )
          .find((c) => c.length > 0) ?? [];
    }
  }
  if (result.servedChain.length === 0 && result.protocols.SSLv2 === true) {
    result.servedChain = firsts.get('SSLv2')?.flight.certificates ?? [];
  }
}
