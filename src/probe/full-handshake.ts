/**
 * Full handshakes through Node's `tls`: what needs a real session (the server's verdict on a
 * client certificate, an HTTP answer after the handshake, chain trust as Node sees it).
 *
 * Never throws and never hangs: one deadline covers connect + handshake, a second bounded window
 * covers what the server says after the handshake (TLS 1.3 servers judge the client certificate
 * only after the client's Finished, so their refusal arrives after `secureConnect`).
 */
import tls from 'node:tls';

export interface SessionOptions {
  host: string;
  port: number;
  /** SNI name; never an IP literal. */
  servername?: string;
  /** Deadline for TCP connect + TLS handshake. */
  timeoutMs: number;
  /** Absolute end (Date.now() based) of the whole probe (`--deadline`): no session outlives it. */
  deadline?: number;
  /** How long to wait after the handshake for an alert, an HTTP answer or a close. */
  afterHandshakeMs: number;
  /** PEM client certificate and key to present when asked. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Trust anchors for the chain check (PEM); Node's bundled roots when undefined. */
  ca?: string | Buffer;
  /** Send `GET / HTTP/1.1` after the handshake unless the server chose a non-HTTP ALPN protocol. */
  httpRequest?: boolean;
  /** Protocol range; TLS 1.0–1.3 by default. */
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  /** OpenSSL cipher string for TLS ≤1.2; a permissive list by default. */
  ciphers?: string;
}

export interface AlertInfo {
  /** TLS alert description number (RFC 8446 §6), when the error names one. */
  alert?: number;
  code?: string;
  message: string;
}

export interface HttpAnswer {
  status: number;
  statusLine: string;
  /** First part of the body (up to a few KiB), for nginx's client-certificate pages. */
  body: string;
}

export interface SessionResult {
  /** `completed`: the client saw the server's Finished. */
  handshake: 'completed' | 'failed' | 'timeout';
  /** Error during connect/handshake (failed) — with the alert number when there was one. */
  handshakeError?: AlertInfo;
  protocol?: string;
  cipher?: string;
  alpn?: string;
  /** DER certificates as served, leaf first. */
  peerChain: Buffer[];
  /** Chain verification against the roots (hostname not included). */
  chainTrusted?: boolean;
  chainError?: string;
  /** What happened after the handshake. */
  after?: {
    /** An error/alert after the handshake (TLS 1.3 client-certificate refusals land here). */
    error?: AlertInfo;
    http?: HttpAnswer;
    /** Bytes that did not parse as HTTP. */
    otherData?: boolean;
    /** The server closed the connection. */
    closed: boolean;
    /** The window ended with the connection still open and silent. */
    idle: boolean;
  };
  durationMs: number;
}

const ALERT_BY_CODE: Record<string, number> = {
  CLOSE_NOTIFY: 0,
  UNEXPECTED_MESSAGE: 10,
  BAD_RECORD_MAC: 20,
  HANDSHAKE_FAILURE: 40,
  NO_CERTIFICATE: 41,
  BAD_CERTIFICATE: 42,
  UNSUPPORTED_CERTIFICATE: 43,
  CERTIFICATE_REVOKED: 44,
  CERTIFICATE_EXPIRED: 45,
  CERTIFICATE_UNKNOWN: 46,
  ILLEGAL_PARAMETER: 47,
  UNKNOWN_CA: 48,
  ACCESS_DENIED: 49,
  DECODE_ERROR: 50,
  DECRYPT_ERROR: 51,
  PROTOCOL_VERSION: 70,
  INSUFFICIENT_SECURITY: 71,
  INTERNAL_ERROR: 80,
  INAPPROPRIATE_FALLBACK: 86,
  USER_CANCELLED: 90,
  MISSING_EXTENSION: 109,
  UNSUPPORTED_EXTENSION: 110,
  UNRECOGNIZED_NAME: 112,
  CERTIFICATE_REQUIRED: 116,
  NO_APPLICATION_PROTOCOL: 120,
};

/** Reads the alert number out of a Node/OpenSSL error (`SSL alert number 40`, `ERR_SSL_…_ALERT_…`). */
function alertOf(error: Error & { code?: string }): AlertInfo {
  const info: AlertInfo = {
    message: error.message,
    ...(error.code !== undefined && { code: error.code }),
  };
  const byNumber = /alert number (\d+)/i.exec(error.message);
  if (byNumber) return { ...info, alert: Number(byNumber[1]) };
  const byCode = /_ALERT_([A-Z_]+)$/.exec(error.code ?? '');
  if (byCode && ALERT_BY_CODE[byCode[1]!] !== undefined)
    return { ...info, alert: ALERT_BY_CODE[byCode[1]!]! };
  const byText = /alert ([a-z ]+)$/i.exec(error.message.split(':').pop() ?? '');
  if (byText) {
    const key = byText[1]!.trim().toUpperCase().replace(/ /g, '_');
    if (ALERT_BY_CODE[key] !== undefined) return { ...info, alert: ALERT_BY_CODE[key] };
  }
  return info;
}

/** OpenSSL's "…:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:…" → the reason. */
export function shortErrorMessage(message: string | undefined): string {
  const text = (message ?? 'unknown error').split('\n')[0]!;
  const m = /SSL routines:[^:]*:([^:]+)/.exec(text);
  return m ? m[1]! : text;
}

/** Permissive client: the probe must reach old servers too (TLS 1.0, SHA-1 signatures, small keys). */
const PROBE_CLIENT_CIPHERS = 'ALL:!aNULL:!eNULL:@SECLEVEL=0';
const MAX_HTTP_BYTES = 16 * 1024;

export function runSession(options: SessionOptions): Promise<SessionResult> {
  const started = Date.now();
  // The whole probe has a deadline too: a session started late gets only what is left of it.
  const left = options.deadline !== undefined ? options.deadline - started : Infinity;
  const timeoutMs = Math.max(1, Math.min(options.timeoutMs, left));
  const cutShort = timeoutMs < options.timeoutMs;
  return new Promise((resolve) => {
    let settled = false;
    let socket: tls.TLSSocket | undefined;
    let result: SessionResult = { handshake: 'timeout', peerChain: [], durationMs: 0 };
    const received: Buffer[] = [];
    let receivedBytes = 0;
    let afterTimer: NodeJS.Timeout | undefined;

    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(handshakeTimer);
      clearTimeout(afterTimer);
      if (result.after && receivedBytes > 0) {
        const text = Buffer.concat(received).toString('latin1');
        const m = /^HTTP\/\d(?:\.\d)? (\d{3})([^\r\n]*)\r?\n/.exec(text);
        if (m) {
          const bodyStart = text.indexOf('\r\n\r\n');
          result.after.http = {
            status: Number(m[1]),
            statusLine: `${m[1]!}${m[2]!}`.trim(),
            body: bodyStart >= 0 ? text.slice(bodyStart + 4, bodyStart + 4 + 4096) : '',
          };
        } else {
          result.after.otherData = true;
        }
      }
      result.durationMs = Date.now() - started;
      socket?.destroy();
      resolve(result);
    };

    const handshakeTimer = setTimeout(() => {
      result.handshake = 'timeout';
      result.handshakeError = {
        message: cutShort
          ? `the probe's overall deadline was reached before the handshake completed`
          : `the handshake did not complete within ${timeoutMs} ms`,
      };
      finish();
    }, timeoutMs);

    try {
      socket = tls.connect({
        host: options.host,
        port: options.port,
        ...(options.servername !== undefined && { servername: options.servername }),
        // The probe must reach servers with any certificate, protocol and suite to report on them;
        // trust and name are judged separately (certificate.ts), so they stay two facts.
        rejectUnauthorized: false, // tls-lint-disable-line certificate-verification-disabled -- the probe inspects untrusted servers
        checkServerIdentity: () => undefined, // tls-lint-disable-line hostname-verification-disabled -- names are checked in certificate.ts
        ALPNProtocols: ['http/1.1'],
        minVersion: options.minVersion ?? 'TLSv1', // tls-lint-disable-line insecure-protocol-version -- the probe must speak old servers
        maxVersion: options.maxVersion ?? 'TLSv1.3',
        ciphers: options.ciphers ?? PROBE_CLIENT_CIPHERS, // tls-lint-disable-line cbc-cipher-suite, no-forward-secrecy, lowered-security-level -- offer every suite Node has, and reach servers with small keys
        ...(options.ca !== undefined && { ca: options.ca }),
        ...(options.cert !== undefined && { cert: options.cert }),
        ...(options.key !== undefined && { key: options.key }),
      });
    } catch (e) {
      result = {
        handshake: 'failed',
        handshakeError: alertOf(e as Error),
        peerChain: [],
        durationMs: 0,
      };
      finish();
      return;
    }

    socket.on('secureConnect', () => {
      const s = socket;
      clearTimeout(handshakeTimer);
      result.handshake = 'completed';
      result.protocol = s.getProtocol() ?? undefined;
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- null once the socket has no handle
      result.cipher = s.getCipher()?.standardName;
      if (typeof s.alpnProtocol === 'string') result.alpn = s.alpnProtocol;
      result.peerChain = peerChainOf(s);
      result.chainTrusted = s.authorized;
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- typed as always set, it is not
      if (!s.authorized && s.authorizationError) result.chainError = String(s.authorizationError);
      result.after = { closed: false, idle: false };
      const window = Math.max(
        50,
        Math.min(options.afterHandshakeMs, timeoutMs - (Date.now() - started)),
      );
      afterTimer = setTimeout(() => {
        if (result.after) result.after.idle = receivedBytes === 0;
        finish();
      }, window);
      const httpOk =
        options.httpRequest !== false && (result.alpn === undefined || result.alpn === 'http/1.1');
      if (httpOk) {
        const hostHeader =
          options.servername ?? (options.host.includes(':') ? `[${options.host}]` : options.host);
        const port = options.port === 443 ? '' : `:${options.port}`;
        s.write(
          `GET / HTTP/1.1\r\nHost: ${hostHeader}${port}\r\nUser-Agent: tls-lint-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n`,
        );
      }
    });
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      receivedBytes += chunk.length;
      if (receivedBytes >= MAX_HTTP_BYTES) finish();
    });
    socket.on('error', (e: Error) => {
      // After the verdict (a deadline, or enough data) destroy() still emits error/close; they must not rewrite it.
      if (settled) return;
      if (result.handshake === 'completed' && result.after) {
        result.after.error = alertOf(e);
      } else {
        result.handshake = 'failed';
        result.handshakeError = alertOf(e);
      }
      finish();
    });
    socket.on('close', () => {
      if (settled) return;
      if (result.after) result.after.closed = true;
      else if (result.handshake !== 'completed') {
        result.handshake = 'failed';
        result.handshakeError ??= {
          message: 'the server closed the connection during the handshake',
        };
      }
      finish();
    });
  });
}

function peerChainOf(socket: tls.TLSSocket): Buffer[] {
  const chain: Buffer[] = [];
  let cert = socket.getPeerCertificate(true) as tls.DetailedPeerCertificate | undefined;
  const seen = new Set<string>();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- `{}` when there is no certificate
  while (cert && cert.raw && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    chain.push(cert.raw);
    cert = cert.issuerCertificate;
  }
  return chain;
}
