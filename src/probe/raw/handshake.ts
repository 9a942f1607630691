/**
 * One raw handshake: send a ClientHello, read until we know the answer (ServerHello, alert,
 * close, timeout, garbage), optionally read the rest of the server's first flight — decrypting
 * it for TLS 1.3, answering a HelloRetryRequest on the same connection when needed — and close.
 * Never throws for anything the server does; every path ends within the target's deadline.
 *
 * The probe observes; it does not authenticate: CertificateVerify and Finished are parsed, not
 * verified, and we never send a key exchange or Finished, so no session is ever established.
 */
import net from 'node:net';
import { protocolFromWireCode, type ProtocolVersion } from '../../model/protocol.js';
import { WireError } from '../wire/bytes.js';
import { buildClientHello, type ClientHelloOptions } from '../wire/client-hello.js';
import { ContentType, HandshakeType, alertName, groupName } from '../wire/constants.js';
import { canMakeKeyShare, type KeyShare } from '../wire/key-share.js';
import {
  HandshakeAssembler,
  RecordBuffer,
  encodeRecords,
  looksLikeSsl2ServerHello,
  parseAlert,
  takeSsl2Record,
  type HandshakeMessage,
  type TlsRecord,
} from '../wire/records.js';
import {
  parseCertificate12,
  parseCertificate13,
  parseCertificateRequest12,
  parseCertificateRequest13,
  parseCertificateVerify,
  parseEncryptedExtensions,
  parseServerHello,
  parseServerKeyExchange,
  parseSsl2ServerHello,
  type CertificateRequest12,
  type CertificateRequest13,
  type EncryptedExtensions,
  type KeyExchangeKind,
  type ServerHello,
  type ServerKeyExchange,
  type Ssl2ServerHello,
} from '../wire/server-messages.js';
import { RecordDecrypter, Transcript, deriveHandshakeSecrets, tls13Suite } from '../wire/tls13.js';
import { RawConnection, type ConnectionEnd } from './connection.js';

export interface RawTarget {
  host: string;
  port: number;
  /** SNI name; when absent the host is sent unless it is an IP literal. */
  sni?: string;
  /** Deadline for each connection (connect + handshake), in milliseconds. */
  timeoutMs: number;
  /** Absolute end (Date.now() based) of the whole probe (`--deadline`): no connection outlives it. */
  deadline?: number;
}

/**
 * How a handshake ended:
 * - serverHello: the server answered with a ServerHello (or a HelloRetryRequest / SSL 2.0 SERVER-HELLO);
 * - alert: a fatal alert before any ServerHello (the server refused what we offered);
 * - closed: the connection was closed before a complete answer (bytesReceived tells whether anything came);
 * - reset / timeout / garbage / connectFailed: could not test.
 */
export type OutcomeKind =
  | 'serverHello'
  | 'alert'
  | 'closed'
  | 'reset'
  | 'timeout'
  | 'garbage'
  | 'connectFailed';

export interface AlertInfo {
  level: number;
  description: number;
  name: string;
}

export interface ServerFlight {
  /** ServerHelloDone (≤ 1.2) or the server Finished (1.3) was reached. */
  complete: boolean;
  /** Handshake message types in arrival order (after ServerHello). */
  messageTypes: number[];
  certificates: Buffer[];
  serverKeyExchange?: ServerKeyExchange;
  certificateRequest12?: CertificateRequest12;
  certificateRequest13?: CertificateRequest13;
  encryptedExtensions?: EncryptedExtensions;
  certificateVerifyScheme?: number;
  /** An alert received after the ServerHello. */
  alert?: AlertInfo;
  /** Why the flight is incomplete, when it is. */
  error?: string;
}

export interface HandshakeOutcome {
  kind: OutcomeKind;
  /** Human-readable account of the ending ("alert handshake_failure (40)", "timed out after 3000 ms"). */
  detail: string;
  bytesReceived: number;
  durationMs: number;
  /** The final ServerHello (after a HelloRetryRequest: the second one). */
  serverHello?: ServerHello;
  helloRetryRequest?: ServerHello;
  /** Negotiated version and suite (from the ServerHello, else from the HelloRetryRequest's suite). */
  protocol?: ProtocolVersion;
  version?: number;
  cipherSuite?: number;
  /** TLS 1.3 key exchange group (ServerHello key_share, else the HelloRetryRequest's selected group). */
  group?: number;
  alert?: AlertInfo;
  ssl2?: Ssl2ServerHello;
  flight: ServerFlight;
}

/** Everything one hello needs, beyond ClientHelloOptions. */
export interface ProbeHooks {
  /** Key exchange kind of a suite (decides the ServerKeyExchange layout). */
  keyExchangeOf?: (suite: number) => KeyExchangeKind | undefined;
  /** Byte cap for the whole answer (default 512 KiB). */
  maxBytes?: number;
}

const DEFAULT_MAX_FLIGHT_BYTES = 512 * 1024;

function describeEnd(
  end: ConnectionEnd,
  timeoutMs: number,
  bytes: number,
  stage: string,
): { kind: OutcomeKind; detail: string } {
  switch (end.kind) {
    case 'timeout':
      return {
        kind: 'timeout',
        detail: end.connected
          ? `no complete ${stage} within ${timeoutMs} ms (${bytes} bytes received)`
          : `connect timed out after ${timeoutMs} ms`,
      };
    case 'closed':
      return {
        kind: 'closed',
        detail:
          bytes === 0
            ? 'connection closed without an answer'
            : `connection closed after ${bytes} bytes, before a complete ${stage}`,
      };
    case 'reset':
      return {
        kind: 'reset',
        detail: `connection reset (${end.message}) ${bytes === 0 ? 'before any answer' : `after ${bytes} bytes`}`,
      };
    case 'connectFailed':
      return { kind: 'connectFailed', detail: `connect failed (${end.message})` };
    case 'tooMuchData':
      return {
        kind: 'garbage',
        detail: `server sent more than ${end.limit} bytes without finishing its ${stage}`,
      };
  }
}

/** The SNI name to send for a target. */
function sniFor(target: RawTarget): string | undefined {
  if (target.sni !== undefined) return target.sni || undefined;
  return net.isIP(target.host) ? undefined : target.host;
}

function alertInfo(fragment: Buffer): AlertInfo {
  const a = parseAlert(fragment);
  return { level: a.level, description: a.description, name: alertName(a.description) };
}

class Done {
  constructor(readonly reason?: { kind: OutcomeKind; detail: string }) {}
}

/**
 * What one handshake has seen so far, and what each record and message of the answer means: the
 * ServerHello (answering a HelloRetryRequest on the same connection), the TLS ≤ 1.2 flight in
 * clear, the TLS 1.3 flight decrypted, an SSL 2.0 SERVER-HELLO. A method returns `Done` when the
 * answer is complete.
 */
class HandshakeReader {
  readonly flight: ServerFlight = { complete: false, messageTypes: [], certificates: [] };
  readonly outcome: HandshakeOutcome = {
    kind: 'closed',
    detail: '',
    bytesReceived: 0,
    durationMs: 0,
    flight: this.flight,
  };
  readonly records = new RecordBuffer();
  private assembler = new HandshakeAssembler();
  private readonly transcript = new Transcript();
  private keyShares: KeyShare[];
  stage: 'serverHello' | 'flight12' | 'flight13' = 'serverHello';
  private decrypter: RecordDecrypter | undefined;
  private retried = false;
  private readonly stopAfter: 'serverHello' | 'flight';

  constructor(
    private readonly options: ClientHelloOptions,
    private readonly built: ReturnType<typeof buildClientHello>,
    private readonly hooks: ProbeHooks,
    private readonly connection: RawConnection,
  ) {
    this.stopAfter = options.stopAfter ?? 'flight';
    this.transcript.add(built.message);
    this.keyShares = built.keyShares;
  }

  finishFlight(error?: string): Done {
    if (error && !this.flight.error) this.flight.error = error;
    return new Done();
  }

  onServerHello(message: HandshakeMessage): Done | undefined {
    const sh = parseServerHello(message.body);
    this.outcome.kind = 'serverHello';
    this.outcome.version = sh.version;
    this.outcome.protocol = protocolFromWireCode(sh.version);
    this.outcome.cipherSuite = sh.cipherSuite;
    if (sh.keyShare) this.outcome.group = sh.keyShare.group;
    if (sh.isHelloRetryRequest) {
      this.outcome.helloRetryRequest = sh;
      this.outcome.detail = `HelloRetryRequest for ${sh.keyShare ? groupName(sh.keyShare.group) : 'no group'}`;
      if (this.stopAfter === 'serverHello') return new Done();
      const suite = tls13Suite(sh.cipherSuite);
      const group = sh.keyShare?.group;
      if (this.retried) return this.finishFlight('second HelloRetryRequest');
      if (!suite || group === undefined || !canMakeKeyShare(group)) {
        const head = `cannot continue after HelloRetryRequest (group ${group === undefined ? 'none' : groupName(group)}, suite 0x${sh.cipherSuite.toString(16)})`;
        // Say why in words: the usual case is a server that takes only FFDHE or hybrid (ML-KEM) groups.
        const why =
          group !== undefined && suite && !canMakeKeyShare(group)
            ? `: tls-lint cannot make key shares for ${groupName(group)} (only for X25519, X448, the NIST P-curves and the RFC 7919 FFDHE groups; Node has no ML-KEM), so the server's encrypted flight could not be decrypted`
            : '';
        return this.finishFlight(`${head}${why}`);
      }
      this.retried = true;
      this.transcript.collapseToMessageHash(suite.hash);
      this.transcript.add(message.raw);
      const second = buildClientHello({
        ...this.options,
        random: this.built.random,
        sessionId: this.built.sessionId,
        keyShares: undefined,
        keyShareGroups: [group],
        ...(sh.cookie && { cookie: sh.cookie }),
      });
      this.keyShares = second.keyShares;
      this.transcript.add(second.message);
      // Middlebox-compatibility ChangeCipherSpec, then the second ClientHello (RFC 8446 §D.4).
      this.connection.write(
        Buffer.concat([
          encodeRecords(ContentType.changeCipherSpec, 0x0303, Buffer.from([1])),
          second.wire,
        ]),
      );
      return undefined;
    }
    this.outcome.serverHello = sh;
    this.outcome.detail = `ServerHello ${this.outcome.protocol ?? `0x${sh.version.toString(16)}`} suite 0x${sh.cipherSuite.toString(16).padStart(4, '0')}`;
    if (this.stopAfter === 'serverHello') return new Done();
    if (sh.version === 0x0304) {
      this.transcript.add(message.raw);
      const suite = tls13Suite(sh.cipherSuite);
      if (!suite) return this.finishFlight(`cannot decrypt suite 0x${sh.cipherSuite.toString(16)}`);
      const share = this.keyShares.find((k) => k.group === sh.keyShare?.group);
      if (!share || !sh.keyShare?.keyExchange)
        return this.finishFlight('ServerHello key_share does not match any share we sent');
      const secret = share.computeSecret(sh.keyShare.keyExchange);
      const secrets = deriveHandshakeSecrets(suite, secret, this.transcript.digest(suite.hash));
      this.decrypter = new RecordDecrypter(suite, secrets.serverHandshakeTrafficSecret);
      this.assembler = new HandshakeAssembler();
      this.stage = 'flight13';
    } else {
      this.stage = 'flight12';
    }
    return undefined;
  }

  onFlightMessage(message: HandshakeMessage): Done | undefined {
    this.flight.messageTypes.push(message.type);
    const tls13 = this.stage === 'flight13';
    switch (message.type) {
      case HandshakeType.certificate:
        this.flight.certificates = tls13
          ? parseCertificate13(message.body).certificates
          : parseCertificate12(message.body);
        break;
      case HandshakeType.serverKeyExchange:
        this.flight.serverKeyExchange = parseServerKeyExchange(
          message.body,
          this.hooks.keyExchangeOf?.(this.outcome.cipherSuite ?? -1),
        );
        break;
      case HandshakeType.certificateRequest:
        if (tls13) this.flight.certificateRequest13 = parseCertificateRequest13(message.body);
        else
          this.flight.certificateRequest12 = parseCertificateRequest12(
            message.body,
            this.outcome.version ?? 0x0303,
          );
        break;
      case HandshakeType.encryptedExtensions:
        this.flight.encryptedExtensions = parseEncryptedExtensions(message.body);
        break;
      case HandshakeType.certificateVerify:
        this.flight.certificateVerifyScheme = parseCertificateVerify(message.body).scheme;
        break;
      case HandshakeType.serverHelloDone:
        if (!tls13) {
          this.flight.complete = true;
          return new Done();
        }
        break;
      case HandshakeType.finished:
        if (tls13) {
          this.flight.complete = true;
          return new Done();
        }
        break;
    }
    return undefined;
  }

  onRecord(record: TlsRecord): Done | undefined {
    if (record.type === ContentType.alert) {
      const alert = alertInfo(record.fragment);
      // Warning alerts (e.g. unrecognized_name) are informational, except close_notify.
      if (alert.level === 1 && alert.description !== 0) return undefined;
      if (this.stage === 'serverHello' && this.outcome.kind !== 'serverHello') {
        this.outcome.kind = 'alert';
        this.outcome.alert = alert;
        this.outcome.detail = `alert ${alert.name} (${alert.description})`;
        return new Done();
      }
      this.flight.alert = alert;
      return this.finishFlight(`alert ${alert.name} (${alert.description}) after the ServerHello`);
    }
    if (record.type === ContentType.changeCipherSpec) {
      if (this.stage === 'flight12')
        return this.finishFlight('ChangeCipherSpec before ServerHelloDone');
      return undefined; // TLS 1.3 compatibility CCS
    }
    if (this.stage === 'flight13') {
      if (record.type !== ContentType.applicationData)
        throw new WireError(`plaintext record type ${record.type} inside the TLS 1.3 this.flight`);
      const inner = this.decrypter!.decrypt(record);
      if (inner.type === ContentType.alert) {
        this.flight.alert = alertInfo(inner.content);
        return this.finishFlight(
          `alert ${this.flight.alert.name} (${this.flight.alert.description}) in the encrypted this.flight`,
        );
      }
      if (inner.type !== ContentType.handshake)
        throw new WireError(`encrypted record of type ${inner.type} in the handshake this.flight`);
      for (const m of this.assembler.push(inner.content)) {
        const done = this.onFlightMessage(m);
        if (done) return done;
      }
      return undefined;
    }
    if (record.type !== ContentType.handshake)
      throw new WireError(`record type ${record.type} before the handshake completed`);
    for (const m of this.assembler.push(record.fragment)) {
      if (this.stage === 'serverHello') {
        if (m.type !== HandshakeType.serverHello)
          throw new WireError(`handshake message ${m.type} where a ServerHello was expected`);
        const done = this.onServerHello(m);
        if (done) return done;
      } else {
        const done = this.onFlightMessage(m);
        if (done) return done;
      }
    }
    return undefined;
  }

  onSsl2(): Done | undefined {
    const body = takeSsl2Record(this.records);
    if (!body) return undefined;
    const hello = parseSsl2ServerHello(body);
    this.outcome.kind = 'serverHello';
    this.outcome.ssl2 = hello;
    this.outcome.version = hello.version;
    this.outcome.protocol =
      hello.version === 0x0002 ? 'SSLv2' : protocolFromWireCode(hello.version);
    this.outcome.detail = `SSL 2.0 SERVER-HELLO with ${hello.cipherKinds.length} cipher kinds`;
    if (hello.certificate.length > 0) this.flight.certificates = [hello.certificate];
    this.flight.complete = true;
    return new Done();
  }
}

/**
 * Runs one handshake and resolves with what the server did; it never rejects because of the
 * server. It rejects only for hello options that cannot be encoded (WireError).
 */
export async function runHandshake(
  target: RawTarget,
  hello: ClientHelloOptions,
  hooks: ProbeHooks = {},
): Promise<HandshakeOutcome> {
  const started = Date.now();
  const options: ClientHelloOptions = { ...hello, serverName: hello.serverName ?? sniFor(target) };

  // Invalid options (no suites, a key share we cannot make) are the caller's error: this throws.
  const built = buildClientHello(options);
  const sentSsl2 = options.format === 'ssl2' || options.version === 'SSLv2';
  const connection = new RawConnection({
    host: target.host,
    port: target.port,
    deadline: Math.min(started + target.timeoutMs, target.deadline ?? Infinity),
    maxBytes: hooks.maxBytes ?? DEFAULT_MAX_FLIGHT_BYTES,
  });
  connection.write(built.wire);
  const reader = new HandshakeReader(options, built, hooks, connection);
  const { outcome, records } = reader;

  let done: Done | undefined;
  try {
    while (!done) {
      const next = await connection.read();
      outcome.bytesReceived = connection.bytesReceived;
      if ('end' in next) {
        const ended = describeEnd(
          next.end,
          target.timeoutMs,
          connection.bytesReceived,
          reader.stage === 'serverHello' ? 'ServerHello' : 'server flight',
        );
        if (outcome.kind === 'serverHello') reader.finishFlight(ended.detail);
        else done = new Done(ended);
        break;
      }
      records.push(next.data);
      if (sentSsl2 && reader.stage === 'serverHello' && outcome.kind !== 'serverHello') {
        const head = records.peek();
        // An SSL 2.0 answer starts with a length byte that has its top bit set; wait for its type byte.
        if (head.length < 3 && (head[0]! & 0x80) !== 0) continue;
        if (looksLikeSsl2ServerHello(head)) {
          done = reader.onSsl2();
          continue;
        }
      }
      for (let record = records.next(); record && !done; record = records.next())
        done = reader.onRecord(record);
    }
  } catch (e) {
    const message = e instanceof WireError ? e.message : `unexpected: ${(e as Error).message}`;
    if (outcome.kind === 'serverHello') reader.finishFlight(message);
    else
      done = new Done({
        kind: 'garbage',
        detail: `not a TLS answer (${message.replace(/^not a TLS record: /, '')})`,
      });
  } finally {
    connection.close();
  }
  if (done?.reason) {
    outcome.kind = done.reason.kind;
    outcome.detail = done.reason.detail;
  }
  outcome.bytesReceived = connection.bytesReceived;
  outcome.durationMs = Date.now() - started;
  return outcome;
}
