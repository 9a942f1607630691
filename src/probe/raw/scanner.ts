/**
 * The enumeration algorithms behind rawScan: one hello per version, suites per version ("offer
 * what is left, remove what was chosen": at most N + 2 hellos for the N suites a version accepts,
 * counting the first hello and the reversed one that tells who orders), server order, groups.
 * Each handshake goes through {@link Scanner.attempt}, which applies the concurrency cap and
 * counts connections.
 */
import { PROTOCOL_WIRE_CODE, type ProtocolVersion } from '../../model/protocol.js';
import type { ClientHelloOptions } from '../wire/client-hello.js';
import { GROUPS_TLS12, GROUPS_TLS13_ALL, Group, groupName } from '../wire/constants.js';
import { KEY_SHARE_GROUPS } from '../wire/key-share.js';
import { runHandshake, type HandshakeOutcome, type RawTarget } from './handshake.js';
import type { Limiter } from './limiter.js';
import type { Tri } from './scan.js';
import {
  SUITE_BATCH_SIZE,
  compactSuitesForVersion,
  isAnonymousSuite,
  keyExchangeKind,
  suitesForVersion,
} from './suites.js';

type Step =
  | { kind: 'chosen'; suite: number }
  | { kind: 'refused' }
  | { kind: 'failed'; detail: string };

/**
 * Alerts that mean "no" to what we offered: handshake_failure, protocol_version,
 * insufficient_security, illegal_parameter (some stacks' answer to an unsupported version),
 * close_notify and user_canceled. Others (unrecognized_name, internal_error, access_denied,
 * decode_error…) say nothing about the offer, so they end as "could not test".
 */
const REFUSAL_ALERTS: ReadonlySet<number> = new Set([0, 40, 47, 70, 71, 90]);

/** A refusal is a refusing alert or a close without a single byte; anything else is "could not test". */
export function isRefusal(o: HandshakeOutcome): boolean {
  if (o.kind === 'alert') return o.alert !== undefined && REFUSAL_ALERTS.has(o.alert.description);
  return o.kind === 'closed' && o.bytesReceived === 0;
}

/** The server answered a ServerHello for exactly this version (SSL 2.0: an SSL 2.0 SERVER-HELLO). */
export function acceptedAt(o: HandshakeOutcome, version: ProtocolVersion): boolean {
  if (o.kind !== 'serverHello') return false;
  return version === 'SSLv2'
    ? o.ssl2?.version === 0x0002
    : o.version === PROTOCOL_WIRE_CODE[version];
}

/** A refusal that is not a plain "I don't speak this version" may be about our offer. */
function worthAnotherOffer(o: HandshakeOutcome): boolean {
  if (o.kind === 'alert') return o.alert?.description !== 70;
  return o.kind === 'closed' || o.kind === 'reset';
}

function suiteHex(code: number): string {
  return `0x${code.toString(16).padStart(4, '0').toUpperCase()}`;
}

export class Scanner {
  handshakes = 0;
  readonly notes: string[] = [];
  private readonly dhBits: number[] = [];
  private readonly rsaExportBits: number[] = [];
  readonly ecdhCurves = new Set<string>();

  constructor(
    private readonly target: RawTarget,
    private readonly limiter: Limiter,
  ) {}

  /** One handshake under the cap; a reset before any byte is retried once (bounded). */
  async attempt(hello: ClientHelloOptions): Promise<HandshakeOutcome> {
    const once = () =>
      this.limiter.run(() => runHandshake(this.target, hello, { keyExchangeOf: keyExchangeKind }));
    let outcome = await once();
    this.handshakes++;
    if (outcome.kind === 'reset' && outcome.bytesReceived === 0) {
      outcome = await once();
      this.handshakes++;
    }
    this.collectParameters(outcome);
    this.keepAuthenticatedFlight(outcome);
    return outcome;
  }

  /** Per version, the first complete flight of a certificate-authenticated suite (anonymous suites never ask for a certificate). */
  readonly authenticatedFlights = new Map<ProtocolVersion, HandshakeOutcome>();

  private keepAuthenticatedFlight(o: HandshakeOutcome): void {
    if (
      o.kind !== 'serverHello' ||
      !o.protocol ||
      !o.flight.complete ||
      o.flight.certificates.length === 0
    )
      return;
    if (o.cipherSuite !== undefined && isAnonymousSuite(o.cipherSuite)) return;
    if (!this.authenticatedFlights.has(o.protocol)) this.authenticatedFlights.set(o.protocol, o);
  }

  private collectParameters(o: HandshakeOutcome): void {
    const ske = o.flight.serverKeyExchange;
    if (!ske) return;
    if (ske.kind === 'dhe') this.dhBits.push(ske.primeBits);
    else if (ske.kind === 'ecdhe') this.ecdhCurves.add(ske.groupName);
    else if (ske.kind === 'rsa') this.rsaExportBits.push(ske.modulusBits);
  }

  dh(): { bits: number } | null {
    if (this.dhBits.length === 0) return null;
    const sizes = [...new Set(this.dhBits)].sort((a, b) => a - b);
    if (sizes.length > 1)
      this.notes.push(
        `DHE groups of several sizes were used: ${sizes.join(', ')} bits (the smallest is reported)`,
      );
    return { bits: sizes[0]! };
  }

  exportRsaNote(): void {
    if (this.rsaExportBits.length > 0) {
      this.notes.push(
        `RSA_EXPORT suites sent a temporary RSA key of ${Math.min(...this.rsaExportBits)} bits`,
      );
    }
  }

  /**
   * The hello for one version. TLS 1.3 sends x25519 + P-256 shares and lists only groups we can
   * finish, so the server cannot ask (HelloRetryRequest) for a hybrid group we could not decrypt.
   */
  hello(
    version: ProtocolVersion,
    cipherSuites: number[],
    stopAfter: 'serverHello' | 'flight',
    groups = this.tls13Groups,
  ): ClientHelloOptions {
    if (version === 'TLSv1.3') {
      return {
        version,
        cipherSuites,
        stopAfter,
        groups,
        keyShareGroups: [Group.x25519, Group.secp256r1],
      };
    }
    return { version, cipherSuites, stopAfter };
  }

  /** TLS 1.3 groups to list: widened to every group when the server takes none of ours. */
  private tls13Groups: readonly number[] = KEY_SHARE_GROUPS;

  /** Versions whose server refused the full suite list but took a short one: enumerated in batches. */
  readonly batched = new Set<ProtocolVersion>();

  /**
   * The first hello for a version: everything we have. When that is refused with anything but
   * protocol_version (or the connection is dropped), one more try with a short, common offer
   * (TLS 1.3: every group) — some servers choke on long lists or on not finding their group.
   */
  async probeVersion(version: ProtocolVersion): Promise<HandshakeOutcome> {
    if (version === 'SSLv2')
      return this.attempt({
        version: 'SSLv2',
        cipherSuites: [],
        ssl2CipherKinds: suitesForVersion('SSLv2'),
      });
    const first = await this.attempt(this.hello(version, suitesForVersion(version), 'flight'));
    if (acceptedAt(first, version) || !worthAnotherOffer(first)) return first;
    const second = await this.attempt(
      version === 'TLSv1.3'
        ? this.hello(version, suitesForVersion(version), 'flight', GROUPS_TLS13_ALL_KEYSHARE_FIRST)
        : this.hello(version, compactSuitesForVersion(version), 'flight'),
    );
    if (!acceptedAt(second, version)) return first;
    if (version === 'TLSv1.3') this.tls13Groups = GROUPS_TLS13_ALL_KEYSHARE_FIRST;
    else {
      this.batched.add(version);
      this.notes.push(
        `${version}: the server refused a hello with all ${suitesForVersion(version).length} suites (${first.detail}) but accepted a shorter one; suites were enumerated in batches of ${SUITE_BATCH_SIZE}`,
      );
    }
    return second;
  }

  step(o: HandshakeOutcome, version: ProtocolVersion, offered: readonly number[]): Step {
    if (o.kind === 'serverHello') {
      // A lower version means the server would not do `version` with what was left.
      if (o.version !== PROTOCOL_WIRE_CODE[version]) return { kind: 'refused' };
      if (o.cipherSuite === undefined || !offered.includes(o.cipherSuite)) {
        return {
          kind: 'failed',
          detail: `server chose suite ${suiteHex(o.cipherSuite ?? 0)}, which was not offered`,
        };
      }
      return { kind: 'chosen', suite: o.cipherSuite };
    }
    return isRefusal(o) ? { kind: 'refused' } : { kind: 'failed', detail: o.detail };
  }

  /** Offers `pool`, removes the chosen suite, repeats until refused. Returns a failure reason or undefined. */
  async chain(
    version: ProtocolVersion,
    pool: readonly number[],
    found: number[],
  ): Promise<string | undefined> {
    let rest = [...pool];
    const stopAfter = version === 'TLSv1.3' ? 'serverHello' : 'flight';
    for (let guard = 0; rest.length > 0 && guard <= pool.length; guard++) {
      const o = await this.attempt(this.hello(version, rest, stopAfter));
      const s = this.step(o, version, rest);
      if (s.kind === 'refused') return undefined;
      if (s.kind === 'failed') return s.detail;
      found.push(s.suite);
      rest = rest.filter((c) => c !== s.suite);
    }
    return undefined;
  }

  async enumerateCiphers(
    version: ProtocolVersion,
    first: HandshakeOutcome,
  ): Promise<{ ciphers: number[]; preference: Tri }> {
    if (this.batched.has(version)) return this.enumerateInBatches(version, first);
    const all = suitesForVersion(version);
    const a = first.cipherSuite!;
    const stopAfter = version === 'TLSv1.3' ? 'serverHello' : 'flight';
    const reversed = await this.attempt(this.hello(version, [...all].reverse(), stopAfter));
    const r = this.step(reversed, version, all);

    if (r.kind === 'chosen' && r.suite === a) {
      // Same choice from both orders: the server orders (or accepts only one suite). One chain keeps its order.
      const found = [a];
      const failure = await this.chain(
        version,
        all.filter((c) => c !== a),
        found,
      );
      if (failure) this.notes.push(`${version} cipher suites may be incomplete: ${failure}`);
      if (found.length < 2) {
        this.notes.push(
          `${version}: only one cipher suite is accepted, so server preference cannot be tested`,
        );
        return { ciphers: found, preference: null };
      }
      return { ciphers: found, preference: true };
    }

    const found = [a];
    if (r.kind === 'chosen') found.push(r.suite);
    else
      this.notes.push(
        `${version}: the reversed-order hello failed (${r.kind === 'failed' ? r.detail : 'refused'})`,
      );
    // No server order: one chain over what is left. Each hello finds a suite (the server takes
    // one of ours), the last one is refused: N + 1 hellos in all for N suites, where parallel
    // chains over parts of the list would each pay a refusal of their own.
    const failure = await this.chain(
      version,
      all.filter((c) => !found.includes(c)),
      found,
    );
    if (failure) this.notes.push(`${version} cipher suites may be incomplete: ${failure}`);
    const order = new Map(all.map((c, i) => [c, i] as const));
    const ciphers = [...new Set(found)].sort((x, y) => order.get(x)! - order.get(y)!);
    // Client order means: our first accepted suite from the list, our last from the reversed list.
    if (r.kind !== 'chosen') return { ciphers, preference: null };
    if (ciphers[0] === a && ciphers[ciphers.length - 1] === r.suite)
      return { ciphers, preference: false };
    this.notes.push(`${version}: the server's choices follow neither its own order nor ours`);
    return { ciphers, preference: null };
  }

  /** For servers that refuse long lists: chains over batches, then the two-suite order test. */
  async enumerateInBatches(
    version: ProtocolVersion,
    first: HandshakeOutcome,
  ): Promise<{ ciphers: number[]; preference: Tri }> {
    const all = suitesForVersion(version);
    const a = first.cipherSuite!;
    const pool = all.filter((c) => c !== a);
    const batches: number[][] = [];
    for (let i = 0; i < pool.length; i += SUITE_BATCH_SIZE)
      batches.push(pool.slice(i, i + SUITE_BATCH_SIZE));
    const found = [a];
    const results = await Promise.all(
      batches.map(async (batch) => {
        const batchFound: number[] = [];
        return { batchFound, failure: await this.chain(version, batch, batchFound) };
      }),
    );
    for (const { batchFound, failure } of results) {
      found.push(...batchFound);
      if (failure) this.notes.push(`${version} cipher suites may be incomplete: ${failure}`);
    }
    const order = new Map(all.map((c, i) => [c, i] as const));
    const ciphers = [...new Set(found)].sort((x, y) => order.get(x)! - order.get(y)!);
    if (ciphers.length < 2) {
      this.notes.push(
        `${version}: only one cipher suite is accepted, so server preference cannot be tested`,
      );
      return { ciphers, preference: null };
    }
    // Two accepted suites in both orders: the same answer twice means the server orders.
    const [x, y] = ciphers as [number, number];
    const stopAfter = version === 'TLSv1.3' ? 'serverHello' : 'flight';
    const [xy, yx] = await Promise.all([
      this.attempt(this.hello(version, [x, y], stopAfter)),
      this.attempt(this.hello(version, [y, x], stopAfter)),
    ]);
    const p = this.step(xy, version, [x, y]);
    const q = this.step(yx, version, [x, y]);
    if (p.kind !== 'chosen' || q.kind !== 'chosen') {
      this.notes.push(
        `${version}: server preference could not be tested (${p.kind === 'failed' ? p.detail : q.kind === 'failed' ? q.detail : 'an accepted suite was refused'})`,
      );
      return { ciphers, preference: null };
    }
    if (p.suite === x && q.suite === y) return { ciphers, preference: false };
    if (p.suite !== q.suite) return { ciphers, preference: null };
    // The server orders: one chain over the accepted suites recovers its order (they fit one hello).
    if (ciphers.length > SUITE_BATCH_SIZE) return { ciphers, preference: true };
    const ordered: number[] = [];
    const failure = await this.chain(version, ciphers, ordered);
    if (failure || ordered.length !== ciphers.length) return { ciphers, preference: true };
    return { ciphers: ordered, preference: true };
  }

  /**
   * TLS 1.3 groups: offer every group, remove the one the server picks, repeat. The hellos carry
   * no key share, so each answer is a cheap HelloRetryRequest naming the group (RFC 8446 §4.1.4).
   * A server that cannot handle an empty key_share gets shares instead (it then answers
   * ServerHello for a shared group, HelloRetryRequest for the others).
   */
  async enumerateTls13Groups(): Promise<string[] | null> {
    const suites = suitesForVersion('TLSv1.3');
    let emptyShares = true;
    let found: number[] = [];
    let rest = [...GROUPS_TLS13_ALL];
    for (let guard = 0; rest.length > 0 && guard <= 2 * GROUPS_TLS13_ALL.length; guard++) {
      const share = emptyShares ? undefined : rest.find((g) => KEY_SHARE_GROUPS.includes(g));
      const o = await this.attempt({
        version: 'TLSv1.3',
        cipherSuites: suites,
        stopAfter: 'serverHello',
        groups: rest,
        keyShareGroups: share === undefined ? [] : [share],
      });
      if (
        o.kind === 'serverHello' &&
        o.version === 0x0304 &&
        o.group !== undefined &&
        rest.includes(o.group)
      ) {
        found.push(o.group);
        rest = rest.filter((g) => g !== o.group);
        continue;
      }
      if (emptyShares && found.length === 0) {
        // TLS 1.3 was accepted, so some listed group works: the empty key_share was the problem.
        emptyShares = false;
        found = [];
        rest = [...GROUPS_TLS13_ALL];
        continue;
      }
      if (isRefusal(o) || o.kind === 'serverHello') break;
      this.notes.push(`TLS 1.3 groups may be incomplete: ${o.detail}`);
      if (found.length === 0) return null;
      break;
    }
    return found.map(groupName);
  }

  /** TLS ≤ 1.2 curves: offer the ECDHE suites the server accepted, remove the curve it used, repeat. */
  async enumerateEcdheCurves(
    version: ProtocolVersion,
    acceptedEcdhe: number[],
  ): Promise<string[] | null> {
    const found: number[] = [];
    let rest = [...GROUPS_TLS12];
    for (let guard = 0; rest.length > 0 && guard <= GROUPS_TLS12.length; guard++) {
      const o = await this.attempt({
        version,
        cipherSuites: acceptedEcdhe,
        stopAfter: 'flight',
        groups: rest,
      });
      const ske = o.flight.serverKeyExchange;
      if (o.kind === 'serverHello' && ske?.kind === 'ecdhe' && rest.includes(ske.group)) {
        found.push(ske.group);
        rest = rest.filter((g) => g !== ske.group);
        continue;
      }
      if (isRefusal(o) || (o.kind === 'serverHello' && o.flight.complete)) break;
      this.notes.push(
        `${version} ECDHE curves may be incomplete: ${o.kind === 'serverHello' ? (o.flight.error ?? o.detail) : o.detail}`,
      );
      if (found.length === 0) return null;
      break;
    }
    return found.map(groupName);
  }
}

/** Key-shareable groups first, so a server following our order picks one we can finish. */
const GROUPS_TLS13_ALL_KEYSHARE_FIRST: readonly number[] = [
  ...KEY_SHARE_GROUPS,
  ...GROUPS_TLS13_ALL.filter((g) => !KEY_SHARE_GROUPS.includes(g)),
];
