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
import type { RawScanResult, Tri } from './raw/index.js';
import { runSession, type SessionOptions, type SessionResult } from './full-handshake.js';
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
  /** PEM, from `--ca` (trust anchors for the chain check of the server). */
  ca?: string;
  cert?: string;
  key?: string;
  /** Pin the full handshakes to one version (the best one the scan saw). */
  version?: SessionOptions['version'];
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
  | { kind: 'unclear'; how: string };

function alertName(alert: number): string {
  return `alert ${alert} (${REFUSAL_ALERTS.get(alert) ?? 'other'})`;
}

function judgeSession(s: SessionResult, afterMs: number): Verdict {
  if (s.handshake === 'timeout') return { kind: 'unclear', how: s.handshakeError?.message ?? 'the handshake timed out' };
  if (s.handshake === 'failed') {
    const alert = s.handshakeError?.alert;
    if (alert !== undefined && REFUSAL_ALERTS.has(alert)) return { kind: 'refused', how: `the handshake ended with ${alertName(alert)}`, alert };
    return { kind: 'unclear', how: `the handshake failed: ${s.handshakeError?.message ?? 'unknown error'}` };
  }
  const version = s.protocol ? `${s.protocol} ` : '';
  const after = s.after!;
  if (after.error) {
    const alert = after.error.alert;
    if (alert !== undefined && REFUSAL_ALERTS.has(alert)) {
      return { kind: 'refused', how: `the ${version}handshake completed, then the server sent ${alertName(alert)}`, alert };
    }
    return { kind: 'unclear', how: `the ${version}handshake completed, then the connection failed: ${after.error.message}` };
  }
  if (after.http) {
    const quoted = `HTTP "${after.http.statusLine}"`;
    if (after.http.status === 400 && NGINX_NO_CERT.test(after.http.body)) {
      return { kind: 'refused', how: `the ${version}handshake completed and the server answered ${quoted} "No required SSL certificate was sent"` };
    }
    if (after.http.status === 400 && NGINX_BAD_CERT.test(after.http.body)) {
      return { kind: 'refused', how: `the ${version}handshake completed and the server answered ${quoted} "The SSL certificate error"` };
    }
    return { kind: 'admitted', how: `the ${version}handshake completed and the server answered ${quoted}` };
  }
  if (after.otherData) return { kind: 'admitted', how: `the ${version}handshake completed and the server sent application data` };
  if (after.idle) {
    return { kind: 'admitted', how: `the ${version}handshake completed and the connection stayed open for ${afterMs} ms without an alert` };
  }
  return { kind: 'unclear', how: `the ${version}handshake completed, then the server closed the connection without an alert or an answer` };
}

/** Merges the raw scan's CertificateRequest observations (TLS 1.2 and TLS 1.3). */
export function requestedFromScan(scan: RawScanResult | undefined): TriCheck & { caNames: string[] } {
  if (!scan) return { value: null, evidence: 'the raw handshake scan did not run', caNames: [] };
  const { tls12, tls13 } = scan.certificateRequest;
  const caNames = [...new Set([...(tls12?.caNames ?? []), ...(tls13?.caNames ?? [])])];
  const seen: string[] = [];
  if (tls13?.requested === true) seen.push('the decrypted TLS 1.3 server flight holds a CertificateRequest');
  if (tls12?.requested === true) seen.push('the TLS 1.2 server flight holds a CertificateRequest');
  if (seen.length) return { value: true, evidence: seen.join('; '), caNames };
  const tested = [tls13?.requested === false && 'TLS 1.3', tls12?.requested === false && 'TLS 1.2'].filter(Boolean);
  if (tested.length) return { value: false, evidence: `no CertificateRequest in the ${tested.join(' or ')} server flight`, caNames };
  return { value: null, evidence: 'the raw scan could not complete a handshake that would show a CertificateRequest', caNames };
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
export async function runClientAuthSessions(options: ClientAuthOptions): Promise<ClientAuthSessions> {
  const afterMs = Math.min(1500, Math.max(200, Math.floor(options.timeoutMs / 4)));
  const base: SessionOptions = {
    host: options.host,
    port: options.port,
    ...(options.servername !== undefined && { servername: options.servername }),
    timeoutMs: options.timeoutMs,
    afterHandshakeMs: afterMs,
    httpRequest: true,
    ...(options.ca !== undefined && { ca: options.ca }),
    ...(options.version !== undefined && { version: options.version }),
  };
  const untrusted = throwawayClientIdentity();
  const [noCert, withUntrusted, given] = await Promise.all([
    runSession(base),
    runSession({ ...base, cert: untrusted.certPem, key: untrusted.keyPem }),
    options.cert && options.key ? runSession({ ...base, cert: options.cert, key: options.key }) : undefined,
  ]);
  return { noCert, untrusted: withUntrusted, ...(given && { given }), afterMs };
}

export async function checkClientAuth(options: ClientAuthOptions, scan: RawScanResult | undefined): Promise<ClientAuthResult> {
  return judgeClientAuth(await runClientAuthSessions(options), scan);
}

export function judgeClientAuth(sessions: ClientAuthSessions, scan: RawScanResult | undefined): ClientAuthResult {
  const { noCert, afterMs } = sessions;
  const fromScan = requestedFromScan(scan);
  // Without a CertificateRequest the certificate is never sent: that session teaches nothing.
  const withUntrusted = fromScan.value === false ? undefined : sessions.untrusted;
  const withGiven = sessions.given;
  const noCertVerdict = judgeSession(noCert, afterMs);
  const untrustedVerdict = withUntrusted && judgeSession(withUntrusted, afterMs);

  // requested: the scan's word first; a refusal that only a requesting server can give is proof too.
  let requested: TriCheck = { value: fromScan.value, evidence: fromScan.evidence };
  if (requested.value === null) {
    if (noCertVerdict.kind === 'refused' && noCertVerdict.alert === 116) {
      requested = { value: true, evidence: `without a client certificate ${noCertVerdict.how}` };
    } else if (noCertVerdict.kind === 'admitted' && untrustedVerdict?.kind === 'refused' && untrustedVerdict.alert !== 40) {
      requested = { value: true, evidence: `a client certificate was refused (${untrustedVerdict.how}) although no certificate was admitted` };
    }
  }

  let required: TriCheck;
  if (noCertVerdict.kind === 'admitted') {
    required = { value: false, evidence: `without a client certificate ${noCertVerdict.how}` };
  } else if (requested.value === false) {
    required = { value: false, evidence: `${requested.evidence}, so no client certificate can be required` };
  } else if (noCertVerdict.kind === 'refused' && (requested.value === true || noCertVerdict.alert !== 40)) {
    required = { value: true, evidence: `without a client certificate ${noCertVerdict.how}` };
  } else if (noCertVerdict.kind === 'refused') {
    required = { value: null, evidence: `without a client certificate ${noCertVerdict.how}, but it is not known whether a certificate was requested` };
  } else {
    required = { value: null, evidence: `without a client certificate ${noCertVerdict.how}` };
  }

  let verified: TriCheck;
  if (!untrustedVerdict) {
    verified = { value: null, evidence: `${requested.evidence}, so a client certificate is never sent and its verification cannot be tested` };
  } else if (untrustedVerdict.kind === 'refused' && untrustedVerdict.alert !== 116 && !/No required SSL certificate/.test(untrustedVerdict.how)) {
    verified = { value: true, evidence: `with a self-signed client certificate ${untrustedVerdict.how}` };
  } else if (untrustedVerdict.kind === 'admitted' && requested.value === true) {
    verified = { value: false, evidence: `a self-signed client certificate was accepted: ${untrustedVerdict.how}` };
  } else if (untrustedVerdict.kind === 'admitted') {
    verified = { value: null, evidence: `${untrustedVerdict.how}, but it is not known whether the server asked for (and so received) the certificate` };
  } else {
    verified = { value: null, evidence: `with a self-signed client certificate ${untrustedVerdict.how}` };
  }

  const result: ClientAuthResult = {
    requested,
    required,
    verified,
    caNames: fromScan.caNames,
    handshakes: 2 + (withGiven ? 1 : 0),
  };
  if (withGiven) {
    const v = judgeSession(withGiven, afterMs);
    result.givenCertificate =
      v.kind === 'admitted'
        ? { value: true, evidence: `with the given client certificate ${v.how}` }
        : v.kind === 'refused'
          ? { value: false, evidence: `with the given client certificate ${v.how}` }
          : { value: null, evidence: `with the given client certificate ${v.how}` };
  }
  return result;
}
