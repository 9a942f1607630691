/**
 * Python's TLS vocabulary: `ssl` protocol methods, `TLSVersion` members, `OP_NO_*` flags, verify
 * modes, pyOpenSSL methods, and which library calls take a context or a verification switch
 * (docs/platform-facts.md#python; CPython Lib/ssl.py; requests, httpx, aiohttp, urllib3, grpc sources).
 * Facts only: what is weak is the rules' business.
 */
import { protocolFromPlatformName, type ProtocolVersion } from '../../model/protocol.js';
import type { TlsRole } from '../../model/context.js';

/** `ssl.PROTOCOL_*`: the role it fixes and the versions it pins (none = version-flexible). */
export const SSL_PROTOCOLS: Readonly<
  Record<string, { role: TlsRole; pinned?: ProtocolVersion; deprecated: boolean }>
> = {
  PROTOCOL_TLS_CLIENT: { role: 'client', deprecated: false },
  PROTOCOL_TLS_SERVER: { role: 'server', deprecated: false },
  PROTOCOL_TLS: { role: 'either', deprecated: true },
  PROTOCOL_SSLv23: { role: 'either', deprecated: true },
  PROTOCOL_SSLv2: { role: 'either', pinned: 'SSLv2', deprecated: true },
  PROTOCOL_SSLv3: { role: 'either', pinned: 'SSLv3', deprecated: true },
  PROTOCOL_TLSv1: { role: 'either', pinned: 'TLSv1.0', deprecated: true },
  PROTOCOL_TLSv1_1: { role: 'either', pinned: 'TLSv1.1', deprecated: true },
  PROTOCOL_TLSv1_2: { role: 'either', pinned: 'TLSv1.2', deprecated: true },
};

/** pyOpenSSL `SSL.*_METHOD`. */
export const PYOPENSSL_METHODS: Readonly<Record<string, ProtocolVersion | 'flexible'>> = {
  SSLv2_METHOD: 'SSLv2',
  SSLv3_METHOD: 'SSLv3',
  TLSv1_METHOD: 'TLSv1.0',
  TLSv1_1_METHOD: 'TLSv1.1',
  TLSv1_2_METHOD: 'TLSv1.2',
  SSLv23_METHOD: 'flexible',
  TLS_METHOD: 'flexible',
  TLS_CLIENT_METHOD: 'flexible',
  TLS_SERVER_METHOD: 'flexible',
};

/** pyOpenSSL `SSL.*_VERSION` for set_min_proto_version / set_max_proto_version. */
export const PYOPENSSL_VERSIONS: Readonly<Record<string, ProtocolVersion>> = {
  SSL3_VERSION: 'SSLv3',
  TLS1_VERSION: 'TLSv1.0',
  TLS1_1_VERSION: 'TLSv1.1',
  TLS1_2_VERSION: 'TLSv1.2',
  TLS1_3_VERSION: 'TLSv1.3',
};

/** `ssl.TLSVersion.<member>` → version; `MINIMUM_SUPPORTED`/`MAXIMUM_SUPPORTED` are open ends. */
export function tlsVersionMember(
  name: string,
): ProtocolVersion | 'MINIMUM_SUPPORTED' | 'MAXIMUM_SUPPORTED' | undefined {
  if (name === 'MINIMUM_SUPPORTED' || name === 'MAXIMUM_SUPPORTED') return name;
  return protocolFromPlatformName('python', name);
}

/** `OP_NO_*` (ssl and pyOpenSSL spell them alike) → version. */
export function opNoVersion(name: string): ProtocolVersion | undefined {
  const m = /^OP_NO_(SSLv2|SSLv3|TLSv1|TLSv1_1|TLSv1_2|TLSv1_3)$/.exec(name);
  if (!m) return undefined;
  return m[1] === 'SSLv2' ? 'SSLv2' : protocolFromPlatformName('python', m[1]!);
}

export type VerifyMode = 'CERT_NONE' | 'CERT_OPTIONAL' | 'CERT_REQUIRED';

export function verifyModeOf(name: string): VerifyMode | undefined {
  return name === 'CERT_NONE' || name === 'CERT_OPTIONAL' || name === 'CERT_REQUIRED'
    ? name
    : undefined;
}

/** urllib3 `cert_reqs` strings: `resolve_cert_reqs` accepts "CERT_NONE" and "NONE". */
export function urllib3CertReqs(text: string): VerifyMode | undefined {
  const upper = text.toUpperCase();
  return verifyModeOf(upper) ?? verifyModeOf(`CERT_${upper}`);
}

/** HTTP verbs of requests/httpx/aiohttp session objects and module functions. */
export const HTTP_VERBS = new Set([
  'get',
  'post',
  'put',
  'patch',
  'delete',
  'head',
  'options',
  'request',
  'stream',
  'send',
  'ws_connect',
]);

/**
 * Calls that take an `ssl`-module context for the client side of a connection, and the keyword
 * (and position, when it may be positional) that carries it.
 */
export const CLIENT_CONTEXT_TAKERS: Readonly<
  Record<string, { keyword: string[]; position?: number }>
> = {
  'urllib.request.urlopen': { keyword: ['context'] },
  'urllib.request.HTTPSHandler': { keyword: ['context'] },
  'http.client.HTTPSConnection': { keyword: ['context'] },
  'smtplib.SMTP_SSL': { keyword: ['context'] },
  'ftplib.FTP_TLS': { keyword: ['context'] },
  'imaplib.IMAP4_SSL': { keyword: ['ssl_context'] },
  'poplib.POP3_SSL': { keyword: ['context'] },
  'asyncio.open_connection': { keyword: ['ssl'] },
  'websockets.connect': { keyword: ['ssl'] },
  'websockets.client.connect': { keyword: ['ssl'] },
  'urllib3.PoolManager': { keyword: ['ssl_context'] },
  'urllib3.HTTPSConnectionPool': { keyword: ['ssl_context'] },
  'urllib3.ProxyManager': { keyword: ['ssl_context'] },
};

/** Calls that take a context for the server side. */
export const SERVER_CONTEXT_TAKERS: Readonly<Record<string, { keyword: string[] }>> = {
  'asyncio.start_server': { keyword: ['ssl'] },
  'asyncio.start_unix_server': { keyword: ['ssl'] },
  'aiohttp.web.run_app': { keyword: ['ssl_context'] },
  'aiohttp.web.TCPSite': { keyword: ['ssl_context'] },
  'websockets.serve': { keyword: ['ssl'] },
  'websockets.server.serve': { keyword: ['ssl'] },
  'uvicorn.run': { keyword: ['ssl'] },
  'http.server.HTTPServer': { keyword: [] },
};

/** Event-loop methods: `loop.create_server(..., ssl=ctx)` is a server, `create_connection` a client. */
export const LOOP_METHODS: Readonly<Record<string, 'client' | 'server'>> = {
  create_server: 'server',
  create_unix_server: 'server',
  create_connection: 'client',
  create_unix_connection: 'client',
  start_tls: 'client',
};
