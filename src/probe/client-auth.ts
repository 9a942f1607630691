/**
 * Client certificates, as an attacker without credentials sees them:
 * - requested: the server sent a CertificateRequest (raw scan, TLS ≤1.2 and decrypted TLS 1.3);
 * - required: a client with no certificate is refused, in the handshake (alerts 116/40/42/48),
 *   right after it (TLS 1.3 servers judge the client's Certificate after their own Finished), or
 *   at the HTTP layer (nginx answers 400 "No required SSL certificate was sent");
 * - verified: a throwaway self-signed certificate is refused (nginx: 400 "The SSL certificate error");
 * - with `--cert/--key`: whether the given certificate gets in.
 *
 * Every answer is true, false, or null with the reason it could not be told. Null is never
 * read as "secure".
 */
import {
  PROTOCOL_DISPLAY,
  protocolFromPlatformName,
  type ProtocolVersion,
} from '../model/protocol.js';
import type { RawScanResult, Tri } from './raw/index.js';
import {
  runSession,
  shortErrorMessage,
  type SessionOptions,
  type SessionResult,
} from './full-handshake.js';
import { throwawayClientIdentity } from './x509-builder.js';

export interface TriCheck {
  value: Tri;
  /** What was seen (true/false) or why it could not be tested (null). */
  evidence: string;
}

export interface ClientAuthResult {
  requested: TriCheck;
  required: TriCheck;
  /** true: an untrusted certificate is refused; false: it is accepted. */
  verified: TriCheck;
  /** Distinguished names from the CertificateRequest (TLS 1.2 and 1.3 merged). */
  caNames: string[];
  /** Only with `--cert/--key`. */
  givenCertificate?: TriCheck;
  /** Full handshakes made. */
  handshakes: number;
}

export interface ClientAuthOptions {
  host: string;
  port: number;
  servername?: string;
  timeoutMs: number;
  /** Absolute end of the whole probe (`--deadline`). */
  deadline?: number;
  /** PEM, from `--ca` (trust anchors for the chain check of the server). */
  ca?: string;
  cert?: string;
  key?: string;
  /**
   * Versions and suites the raw scan saw accepted, for a second try when Node's default offer
   * found nothing in common with the server (anonymous/NULL-only or TLS 1.0-only servers).
   */
  pinned?: Pick<SessionOptions, 'minVersion' | 'maxVersion' | 'ciphers'>;
}

/** Alerts a server sends when it refuses a client certificate (or the lack of one). */
const REFUSAL_ALERTS = new Map<number, string>([
  [116, 'certificate_required'],
  [40, 'handshake_failure'],
  [41, 'no_certificate'],
  [42, 'bad_certificate'],
  [43, 'unsupported_certificate'],
  [45, 'certificate_expired'],
  [46, 'certificate_unknown'],
  [48, 'unknown_ca'],
  [49, 'access_denied'],
  [51, 'decrypt_error'],
]);

const NGINX_NO_CERT = /No required SSL certificate was sent/i;
const NGINX_BAD_CERT = /The SSL certificate error/i;

/** How a session ended, from the point of view of client-certificate checks. */
type Verdict =
  | { kind: 'refused'; how: string; alert?: number }
  | { kind: 'admitted'; how: string }
  /**
   * The connection was dropped without an alert or an answer (reset in the handshake, or closed
   * right after it). Node servers drop a client whose certificate fails verification this way, and
   * nginx's stream module closes after the handshake. A refusal only when the same endpoint
   * treated another client differently (see `judgeClientAuth`).
   */
  | { kind: 'cut'; how: string }
  | { kind: 'unclear'; how: string };

function alertName(alert: number): string {
  return `alert ${alert} (${REFUSAL_ALERTS.get(alert) ?? 'other'})`;
}

function judgeSession(s: SessionResult, afterMs: number): Verdict {
  if (s.handshake === 'timeout')
    return { kind: 'unclear', how: s.handshakeError?.message ?? 'the handshake timed out' };
  if (s.handshake === 'failed') {
    const alert = s.handshakeError?.alert;
    if (alert !== undefined && REFUSAL_ALERTS.has(alert))
      return { kind: 'refused', how: `the handshake ended with ${alertName(alert)}`, alert };
    if (
      alert === undefined &&
      /ECONNRESET|EPIPE|disconnected|closed the connection/i.test(
        `${s.handshakeError?.code ?? ''} ${s.handshakeError?.message ?? ''}`,
      )
    ) {
      return {
        kind: 'cut',
        how: 'the server dropped the connection during the handshake without an alert',
      };
    }
    return {
      kind: 'unclear',
      how: `the handshake failed: ${shortErrorMessage(s.handshakeError?.message)}`,
    };
  }
  // Node says "TLSv1.3"; reports say "TLS 1.3" everywhere else.
  const negotiated = s.protocol ? protocolFromPlatformName('node', s.protocol) : undefined;
  const version = negotiated
    ? `${PROTOCOL_DISPLAY[negotiated]} `
    : s.protocol
      ? `${s.protocol} `
      : '';
  const after = s.after!;
  if (after.error) {
    const alert = after.error.alert;
    if (alert !== undefined && REFUSAL_ALERTS.has(alert)) {
      return {
        kind: 'refused',
        how: `the ${version}handshake completed, then the server sent ${alertName(alert)}`,
        alert,
      };
    }
    if (alert === undefined && /ECONNRESET|EPIPE/.test(after.error.code ?? '')) {
      return {
        kind: 'cut',
        how: `the ${version}handshake completed, then the server reset the connection without an alert or an answer`,
      };
    }
    return {
      kind: 'unclear',
      how: `the ${version}handshake completed, then the connection failed: ${shortErrorMessage(after.error.message)}`,
    };
  }
  if (after.http) {
    const quoted = `HTTP "${after.http.statusLine}"`;
    if (after.http.status === 400 && NGINX_NO_CERT.test(after.http.body)) {
      return {
        kind: 'refused',
        how: `the ${version}handshake completed and the server answered ${quoted} "No required SSL certificate was sent"`,
      };
    }
    if (after.http.status === 400 && NGINX_BAD_CERT.test(after.http.body)) {
      return {
        kind: 'refused',
        how: `the ${version}handshake completed and the server answered ${quoted} "The SSL certificate error"`,
      };
    }
    return {
      kind: 'admitted',
      how: `the ${version}handshake completed and the server answered ${quoted}`,
    };
  }
  if (after.otherData)
    return {
      kind: 'admitted',
      how: `the ${version}handshake completed and the server sent application data`,
    };
  if (after.idle) {
    return {
      kind: 'admitted',
      how: `the ${version}handshake completed and the connection stayed open for ${afterMs} ms without an alert`,
    };
  }
  return {
    kind: 'cut',
    how: `the ${version}handshake completed, then the server closed the connection without an alert or an answer`,
  };
}

/** Merges the raw scan's CertificateRequest observations (TLS 1.2 and TLS 1.3). */
export function requestedFromScan(
  scan: RawScanResult | undefined,
): TriCheck & { caNames: string[] } {
  if (!scan) return { value: null, evidence: 'the raw handshake scan did not run', caNames: [] };
  const { tls12, tls13 } = scan.certificateRequest;
  const caNames = [...new Set([...(tls12?.caNames ?? []), ...(tls13?.caNames ?? [])])];
  // Name the version whose flight was read (a TLS 1.0-only server's flight is not "TLS 1.2").
  const legacy = tls12?.version ? PROTOCOL_DISPLAY[tls12.version] : 'TLS ≤1.2';
  const seen: string[] = [];
  if (tls13?.requested === true) seen.push('TLS 1.3 (decrypted)');
  if (tls12?.requested === true) seen.push(legacy);
  if (seen.length)
    return {
      value: true,
      evidence: `the ${seen.join(' and ')} server flight${seen.length > 1 ? 's hold' : ' holds'} a CertificateRequest`,
      caNames,
    };
  const tested = [
    tls13?.requested === false && 'TLS 1.3',
    tls12?.requested === false && legacy,
  ].filter(Boolean);
  if (tested.length)
    return {
      value: false,
      evidence: `no CertificateRequest in the ${tested.join(' or ')} server flight`,
      caNames,
    };
  const reasons = [
    tls13?.reason && `TLS 1.3: ${tls13.reason}`,
    tls12?.reason && `${legacy}: ${tls12.reason}`,
  ].filter(Boolean);
  return {
    value: null,
    evidence: `the raw scan could not read a server flight that would show a CertificateRequest${reasons.length ? ` (${reasons.join('; ')})` : ''}`,
    caNames,
  };
}

export interface ClientAuthSessions {
  noCert: SessionResult;
  /** With the throwaway self-signed certificate. */
  untrusted: SessionResult;
  /** With `--cert/--key`. */
  given?: SessionResult;
  afterMs: number;
}

/**
 * The full handshakes, independent of the raw scan so both run at once; `judgeClientAuth`
 * combines them with the scan's CertificateRequest observations.
 */
function afterHandshakeWindow(timeoutMs: number): number {
  return Math.min(1500, Math.max(200, Math.floor(timeoutMs / 4)));
}

function sessionBase(options: ClientAuthOptions): SessionOptions {
  return {
    host: options.host,
    port: options.port,
    ...(options.servername !== undefined && { servername: options.servername }),
    timeoutMs: options.timeoutMs,
    ...(options.deadline !== undefined && { deadline: options.deadline }),
    afterHandshakeMs: afterHandshakeWindow(options.timeoutMs),
    httpRequest: true,
    ...(options.ca !== undefined && { ca: options.ca }),
    ...options.pinned,
  };
}

/** One session with the throwaway self-signed certificate. */
export async function runUntrustedSession(
  options: ClientAuthOptions,
  kind: 'ec' | 'rsa',
): Promise<SessionResult> {
  const untrusted = await throwawayClientIdentity(kind);
  return runSession({ ...sessionBase(options), cert: untrusted.certPem, key: untrusted.keyPem });
}

export async function runClientAuthSessions(
  options: ClientAuthOptions,
): Promise<ClientAuthSessions> {
  const base = sessionBase(options);
  const [noCert, withUntrusted, given] = await Promise.all([
    runSession(base),
    runUntrustedSession(options, 'ec'),
    options.cert && options.key
      ? runSession({ ...base, cert: options.cert, key: options.key })
      : undefined,
  ]);
  return {
    noCert,
    untrusted: withUntrusted,
    ...(given && { given }),
    afterMs: base.afterHandshakeMs,
  };
}

/**
 * The version a full handshake negotiated, when the raw scan saw that version's server flight
 * without a CertificateRequest (a server asking in TLS 1.2 only): the client certificate was not
 * sent in that handshake, so its outcome says nothing about verification.
 */
function notAskedIn(
  s: SessionResult | undefined,
  scan: RawScanResult | undefined,
): ProtocolVersion | undefined {
  const v = s?.protocol ? protocolFromPlatformName('node', s.protocol) : undefined;
  return v && scan?.certificateRequest.byVersion?.[v] === false ? v : undefined;
}

/** ECDSA SignatureScheme codes end in 0x03 (ecdsa_secp256r1_sha256 = 0x0403, …). */
const isEcdsaScheme = (code: number): boolean => (code & 0xff) === 0x03;

/**
 * Whether the server's CertificateRequest rules out the EC throwaway certificate (so the client
 * sent none, and the untrusted-certificate session must be repeated with RSA).
 */
export function needsRsaThrowaway(
  scan: RawScanResult | undefined,
  untrusted: SessionResult,
): boolean {
  if (!scan) return false;
  const { tls12, tls13 } = scan.certificateRequest;
  if (untrusted.protocol === 'TLSv1.3') {
    return (
      !!tls13?.requested &&
      tls13.signatureAlgorithms.length > 0 &&
      !tls13.signatureAlgorithms.some(isEcdsaScheme)
    );
  }
  if (!tls12?.requested) return false;
  const ECDSA_SIGN = 64;
  if (tls12.certificateTypes.length > 0 && !tls12.certificateTypes.includes(ECDSA_SIGN))
    return true;
  return tls12.signatureAlgorithms.length > 0 && !tls12.signatureAlgorithms.some(isEcdsaScheme);
}

/**
 * `unusable`: why the full handshakes say nothing about client certificates — Node's TLS cannot
 * speak any version and suite the server accepts (SSL 3.0, RC4, DES, EXPORT only), so whatever
 * alert ended them (usually 40, "no shared cipher") is no verdict on a certificate.
 */
export function judgeClientAuth(
  sessions: ClientAuthSessions,
  scan: RawScanResult | undefined,
  unusable?: string,
): ClientAuthResult {
  const { noCert, afterMs } = sessions;
  const fromScan = requestedFromScan(scan);
  // Without a CertificateRequest the certificate is never sent: that session teaches nothing.
  const withUntrusted = fromScan.value === false ? undefined : sessions.untrusted;
  const withGiven = sessions.given;
  const judge = (s: SessionResult): Verdict =>
    unusable ? { kind: 'unclear', how: unusable } : judgeSession(s, afterMs);
  const noCertVerdict = judge(noCert);
  const untrustedVerdict = withUntrusted && judge(withUntrusted);
  const givenVerdict = withGiven && judge(withGiven);
  // A dropped connection means "refused" only if this endpoint treats some client differently:
  // it let another one in, or refused another one out loud.
  const admitsSomeone = noCertVerdict.kind === 'admitted' || givenVerdict?.kind === 'admitted';
  const speaksUp = noCertVerdict.kind === 'refused' || untrustedVerdict?.kind === 'refused';

  // requested: the scan's word first; a refusal that only a requesting server can give is proof too.
  let requested: TriCheck = { value: fromScan.value, evidence: fromScan.evidence };
  if (requested.value === null) {
    if (noCertVerdict.kind === 'refused' && noCertVerdict.alert === 116) {
      requested = { value: true, evidence: `without a client certificate ${noCertVerdict.how}` };
    } else if (
      noCertVerdict.kind === 'admitted' &&
      untrustedVerdict?.kind === 'refused' &&
      untrustedVerdict.alert !== 40
    ) {
      requested = {
        value: true,
        evidence: `a client certificate was refused (${untrustedVerdict.how}) although a client without one was let in`,
      };
    }
  }

  let required: TriCheck;
  if (noCertVerdict.kind === 'admitted') {
    required = { value: false, evidence: `without a client certificate ${noCertVerdict.how}` };
  } else if (requested.value === false) {
    required = {
      value: false,
      evidence: `${requested.evidence}, so no client certificate can be required`,
    };
  } else if (
    noCertVerdict.kind === 'refused' &&
    (requested.value === true || noCertVerdict.alert !== 40)
  ) {
    required = { value: true, evidence: `without a client certificate ${noCertVerdict.how}` };
  } else if (
    noCertVerdict.kind === 'cut' &&
    requested.value === true &&
    givenVerdict?.kind === 'admitted'
  ) {
    required = {
      value: true,
      evidence: `without a client certificate ${noCertVerdict.how}, while the given certificate was let in`,
    };
  } else if (noCertVerdict.kind === 'refused') {
    required = {
      value: null,
      evidence: `without a client certificate ${noCertVerdict.how}, but it is not known whether a certificate was requested`,
    };
  } else if (unusable) {
    required = { value: null, evidence: `${requested.evidence}, but ${unusable}` };
  } else {
    required = { value: null, evidence: `without a client certificate ${noCertVerdict.how}` };
  }

  let verified: TriCheck;
  if (!untrustedVerdict) {
    verified = {
      value: null,
      evidence: `${requested.evidence}, so a client certificate is never sent and its verification cannot be tested`,
    };
  } else if (
    untrustedVerdict.kind === 'refused' &&
    untrustedVerdict.alert !== 116 &&
    !NGINX_NO_CERT.test(untrustedVerdict.how)
  ) {
    verified = {
      value: true,
      evidence: `with a self-signed client certificate ${untrustedVerdict.how}`,
    };
  } else if (
    untrustedVerdict.kind === 'cut' &&
    requested.value === true &&
    (admitsSomeone || speaksUp)
  ) {
    verified = {
      value: true,
      evidence: `with a self-signed client certificate ${untrustedVerdict.how}`,
    };
  } else if (untrustedVerdict.kind === 'admitted' && notAskedIn(withUntrusted, scan)) {
    const v = PROTOCOL_DISPLAY[notAskedIn(withUntrusted, scan)!];
    verified = {
      value: null,
      evidence: `the ${v} server flight holds no CertificateRequest, so the self-signed certificate was never sent in the ${v} handshake; ${untrustedVerdict.how.replace(/^the /, 'that ')}`,
    };
  } else if (untrustedVerdict.kind === 'admitted' && requested.value === true) {
    verified = {
      value: false,
      evidence: `a self-signed client certificate was accepted: ${untrustedVerdict.how}`,
    };
  } else if (untrustedVerdict.kind === 'admitted') {
    verified = {
      value: null,
      evidence: `${untrustedVerdict.how}, but it is not known whether the server asked for (and so received) the certificate`,
    };
  } else if (unusable) {
    verified = { value: null, evidence: `${requested.evidence}, but ${unusable}` };
  } else {
    verified = {
      value: null,
      evidence: `with a self-signed client certificate ${untrustedVerdict.how}`,
    };
  }

  const result: ClientAuthResult = {
    requested,
    required,
    verified,
    caNames: fromScan.caNames,
    handshakes: 2 + (withGiven ? 1 : 0),
  };
  if (givenVerdict) {
    const v = givenVerdict;
    result.givenCertificate =
      v.kind === 'admitted'
        ? { value: true, evidence: `with the given client certificate ${v.how}` }
        : v.kind === 'refused'
          ? { value: false, evidence: `with the given client certificate ${v.how}` }
          : {
              value: null,
              evidence: unusable
                ? `the given client certificate could not be tried: ${unusable}`
                : `with the given client certificate ${v.how}`,
            };
  }
  return result;
}
