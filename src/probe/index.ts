/**
 * `probe(target, options) → ProbeReport`: what a running endpoint really accepts.
 *
 * Two kinds of connections run side by side: the raw scan (hand-built ClientHellos in
 * `./raw/`: versions, suites, groups, CertificateRequest in TLS ≤1.2 and decrypted TLS 1.3) and a
 * few full handshakes through Node's `tls` (client-certificate verdicts, HTTP answers, chain
 * trust). Their observations become one `TlsContext` judged by the static rules.
 */
import net from 'node:net';
import { DEFAULT_POLICY, type Policy } from '../config/policy.js';
import type { Finding, LintError } from '../model/finding.js';
import { analyzeServedChain, splitPemBundle, type ServedCertificates } from './certificate.js';
import {
  judgeClientAuth,
  needsRsaThrowaway,
  requestedFromScan,
  runClientAuthSessions,
  runUntrustedSession,
  type ClientAuthOptions,
  type ClientAuthResult,
  type ClientAuthSessions,
} from './client-auth.js';
import { shortErrorMessage } from './full-handshake.js';
import { throwawayClientIdentity } from './x509-builder.js';
import {
  acceptedProtocols,
  buildProbeContext,
  judgeObservations,
  suiteName,
  type ProbeObservations,
} from './observations.js';
import { joinAnd } from '../engine/rule-helpers.js';
import { suiteByCode } from '../crypto/cipher-suites.js';
import {
  PROTOCOL_DISPLAY,
  PROTOCOL_VERSIONS,
  platformProtocolName,
  type ProtocolVersion,
} from '../model/protocol.js';
import type tls from 'node:tls';
import type { RawScanResult, RawTarget } from './raw/index.js';
import {
  endpointLabel,
  expectedCertificateName,
  parseEndpoint,
  type ProbeEndpoint,
} from './target.js';

export type RawScanner = (
  target: RawTarget,
  options?: { concurrency?: number },
) => Promise<RawScanResult>;

export interface ProbeOptions {
  /** SNI name (and the name the certificate must match); defaults to the host unless it is an IP. */
  sni?: string;
  /** Deadline for every connect and every read, in ms. */
  timeoutMs?: number;
  /**
   * Deadline for the whole probe, in ms: a server that answers each step just under `timeoutMs`
   * cannot stretch the run. What is left when it passes ends as "could not test".
   */
  deadlineMs?: number;
  /** PEM trust anchors (`--ca`) replacing Node's roots for the chain check. */
  ca?: string;
  /** PEM client certificate and key (`--cert/--key`) to check that a real client gets in. */
  cert?: string;
  key?: string;
  policy?: Partial<Policy>;
  /** Cap on simultaneous raw-scan connections. */
  concurrency?: number;
  /** The raw scanner; `./raw/` by default (tests inject fakes). */
  rawScan?: RawScanner;
}

const DEFAULT_PROBE_TIMEOUT_MS = 5000;
const DEFAULT_PROBE_DEADLINE_MS = 60_000;

/** The target could not be reached at all (DNS, refused, no route): exit code 2. */
export class TargetUnreachableError extends Error {}

export interface ProbeResult {
  endpoint: ProbeEndpoint;
  label: string;
  scan?: RawScanResult;
  scanError?: string;
  clientAuth: ClientAuthResult;
  certificates: ServedCertificates;
  findings: Finding[];
  errors: LintError[];
  /** Handshakes started (raw + full). */
  handshakes: number;
  durationMs: number;
  /** At least one protocol version was negotiated; false means nothing could be tested. */
  tested: boolean;
  notes: string[];
}

/** One TCP connect with a deadline: tells "unreachable" (exit 2) from "reachable but odd". */
function checkReachable(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new TargetUnreachableError(
          `no TCP connection to ${endpointLabel({ host, port })} within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (e: Error & { code?: string }) => {
      clearTimeout(timer);
      socket.destroy();
      reject(
        new TargetUnreachableError(
          `cannot connect to ${endpointLabel({ host, port })}: ${e.code ?? e.message}`,
        ),
      );
    });
  });
}

async function defaultRawScanner(): Promise<RawScanner> {
  const mod = (await import('./raw/index.js')) as { rawScan: RawScanner };
  return mod.rawScan;
}

export async function probe(
  target: string | ProbeEndpoint,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const started = Date.now();
  const endpoint =
    typeof target === 'string'
      ? parseEndpoint(target, options.sni)
      : { ...target, ...(options.sni && { sni: options.sni }) };
  const label = endpointLabel(endpoint);
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const deadline = started + (options.deadlineMs ?? DEFAULT_PROBE_DEADLINE_MS);
  const policy: Policy = { ...DEFAULT_POLICY, ...options.policy };
  const notes: string[] = [];

  // Start making the throwaway client key now, off the event loop.
  void throwawayClientIdentity('ec').catch(() => undefined);
  await checkReachable(
    endpoint.host,
    endpoint.port,
    Math.max(1, Math.min(timeoutMs, deadline - Date.now())),
  );

  const scanner = options.rawScan ?? (await defaultRawScanner());
  const rawTarget: RawTarget = {
    host: endpoint.host,
    port: endpoint.port,
    timeoutMs,
    deadline,
    ...(endpoint.sni && { sni: endpoint.sni }),
  };
  const sessionOptions: ClientAuthOptions = {
    host: endpoint.host,
    port: endpoint.port,
    ...(endpoint.sni && { servername: endpoint.sni }),
    timeoutMs,
    deadline,
    ...(options.ca !== undefined && { ca: options.ca }),
    ...(options.cert !== undefined && { cert: options.cert }),
    ...(options.key !== undefined && { key: options.key }),
  };
  const [scanOutcome, firstSessions] = await Promise.all([
    scanner(
      rawTarget,
      options.concurrency !== undefined ? { concurrency: options.concurrency } : undefined,
    ).then(
      (scan) => ({ scan }),
      (e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }),
    ),
    runClientAuthSessions(sessionOptions),
  ]);
  const scan = 'scan' in scanOutcome ? scanOutcome.scan : undefined;
  const scanError = 'error' in scanOutcome ? scanOutcome.error : undefined;
  if (scanError) notes.push(`The raw handshake scan failed: ${scanError}`);
  if (scan) notes.push(...condenseNotes(scan.notes).map(readableNote));
  const unusable = scan && nodeCannotSpeak(scan);
  const { sessions, extraHandshakes } = unusable
    ? { sessions: firstSessions, extraHandshakes: 0 }
    : await retryWhereNeeded(firstSessions, scan, sessionOptions, notes);
  if (unusable) notes.push(`Client-certificate checks by full handshake: ${unusable}.`);

  const clientAuth = judgeClientAuth(sessions, scan, unusable);
  const certificates = servedCertificates(endpoint, scan, sessions, options);
  const observations: ProbeObservations = {
    endpoint,
    ...(scan && { scan }),
    ...(scanError && { scanError }),
    clientAuth,
    certificates,
  };
  const context = buildProbeContext(observations);
  const { findings, errors } = judgeObservations(observations, policy, context);

  // The scan is the core of the verdict: without one accepted protocol version there is nothing
  // to stand on, even if a full handshake happened to complete.
  const tested = !!scan && Object.values(scan.protocols).some((v) => v === true);
  if (Date.now() >= deadline)
    notes.push(
      `The probe's overall deadline (${options.deadlineMs ?? DEFAULT_PROBE_DEADLINE_MS} ms, --deadline) was reached: what was still running ended as could not test.`,
    );
  return {
    endpoint,
    label,
    ...(scan && { scan }),
    ...(scanError && { scanError }),
    clientAuth,
    certificates,
    findings,
    errors,
    handshakes: (scan?.handshakes ?? 0) + clientAuth.handshakes + extraHandshakes,
    durationMs: Date.now() - started,
    tested,
    notes,
  };
}

/** "SSLv2 could not be tested: X" … "TLSv1.3 could not be tested: X" → one line naming every version. */
export function condenseNotes(notes: readonly string[]): string[] {
  const pattern = /^(SSLv[23]|TLSv1\.[0-3]) could not be tested: (.*)$/s;
  const versionsByReason = new Map<string, string[]>();
  for (const n of notes) {
    const m = pattern.exec(n);
    if (m) versionsByReason.set(m[2]!, [...(versionsByReason.get(m[2]!) ?? []), m[1]!]);
  }
  const out: string[] = [];
  const emitted = new Set<string>();
  for (const n of notes) {
    const m = pattern.exec(n);
    if (!m) out.push(n);
    else if (!emitted.has(m[2]!)) {
      emitted.add(m[2]!);
      const versions = PROTOCOL_VERSIONS.filter((v) => versionsByReason.get(m[2]!)!.includes(v));
      out.push(`${joinAnd(versions)} could not be tested: ${m[2]!}`);
    }
  }
  return out;
}

/** Scan notes as report lines: versions as people write them, a capital first letter, a full stop. */
export function readableNote(note: string): string {
  const named = note.replace(
    /\b(SSLv2|SSLv3|TLSv1\.[0-3])\b/g,
    (v) => PROTOCOL_DISPLAY[v as ProtocolVersion],
  );
  const capital = named.charAt(0).toUpperCase() + named.slice(1);
  return /[.)]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * Bounded second tries, each at most once:
 * - when Node's default offer shares nothing with the server, offer exactly what the raw scan saw
 *   accepted (anonymous/NULL-only or TLS 1.0-only servers);
 * - when the CertificateRequest rules out the EC throwaway certificate, repeat that check with RSA.
 */
async function retryWhereNeeded(
  first: ClientAuthSessions,
  scan: RawScanResult | undefined,
  sessionOptions: ClientAuthOptions,
  notes: string[],
): Promise<{ sessions: ClientAuthSessions; extraHandshakes: number }> {
  let sessions = first;
  let extraHandshakes = 0;
  const retryOffer = scan && needsPinnedRetry(sessions, scan);
  const pinned = retryOffer ? pinnedOffer(scan) : undefined;
  if (pinned) {
    const refusal = shortErrorMessage(sessions.noCert.handshakeError?.message);
    const retry = await runClientAuthSessions({ ...sessionOptions, pinned });
    extraHandshakes += 2 + (sessions.given ? 1 : 0);
    const worked =
      retry.noCert.handshake === 'completed' || retry.untrusted.handshake === 'completed';
    notes.push(
      `Node's default client offer was refused (${refusal}); the full handshakes were repeated offering only what the scan saw accepted (${pinned.minVersion ?? '?'}–${pinned.maxVersion ?? '?'})${worked ? '' : `, and failed again (${shortErrorMessage(retry.noCert.handshakeError?.message)})`}.`,
    );
    sessions = retry;
  }
  if (needsRsaThrowaway(scan, sessions.untrusted)) {
    extraHandshakes += 1;
    sessions = {
      ...sessions,
      untrusted: await runUntrustedSession({ ...sessionOptions, ...(pinned && { pinned }) }, 'rsa'),
    };
    notes.push(
      'The CertificateRequest allows only RSA client certificates; the untrusted-certificate check was repeated with an RSA certificate.',
    );
  }
  return { sessions, extraHandshakes };
}

/** Node's name for a version it can speak (it has no SSLv2/SSLv3). */
function nodeVersionName(v: ProtocolVersion): tls.SecureVersion | undefined {
  return v === 'SSLv2' || v === 'SSLv3'
    ? undefined
    : (platformProtocolName('node', v) as tls.SecureVersion);
}

/**
 * Why the full handshakes through Node's `tls` cannot tell anything about this server: every
 * version and suite it accepts is one Node's OpenSSL 3 does not have. Undefined when Node can
 * speak to it (or when the scan saw nothing accepted, and so cannot say).
 */
function nodeCannotSpeak(scan: RawScanResult): string | undefined {
  const accepted = acceptedProtocols(scan);
  if (accepted.length === 0 || pinnedOffer(scan) !== undefined) return undefined;
  const offers = accepted.map((v) => {
    const names = [
      ...new Set(
        (scan.ciphers[v] ?? []).map((code) => suiteByCode(code)?.openssl ?? suiteName(code)),
      ),
    ];
    const shown = names.length > 6 ? [...names.slice(0, 5), `${names.length - 5} more`] : names;
    return `${PROTOCOL_DISPLAY[v]}${names.length ? ` (${shown.join(', ')})` : ''}`;
  });
  return `this server accepts only ${joinAnd(offers)}, which Node's TLS (OpenSSL 3) cannot speak, so no full handshake was possible`;
}

function needsPinnedRetry(sessions: ClientAuthSessions, scan: RawScanResult): boolean {
  const failed = (s: ClientAuthSessions['noCert']) => s.handshake === 'failed';
  if (!failed(sessions.noCert) || !failed(sessions.untrusted)) return false;
  // A server that asked for a certificate and refused one with an alert gave its verdict.
  const alert = sessions.noCert.handshakeError?.alert;
  if (requestedFromScan(scan).value === true && alert !== undefined && alert !== 70 && alert !== 71)
    return false;
  return acceptedProtocols(scan).some((v) => nodeVersionName(v) !== undefined);
}

function pinnedOffer(scan: RawScanResult): ClientAuthOptions['pinned'] {
  const versions = acceptedProtocols(scan).filter((v) => nodeVersionName(v) !== undefined);
  if (!versions.length) return undefined;
  const names = new Set<string>();
  for (const v of versions) {
    if (v === 'TLSv1.3') continue;
    for (const code of scan.ciphers[v] ?? []) {
      const suite = suiteByCode(code);
      // Only suites an OpenSSL 1.1+/3.x build compiles (Node bundles OpenSSL 3).
      if (suite?.openssl && suite.opensslBuilds?.v3) names.add(suite.openssl);
    }
  }
  if (names.size === 0 && !versions.includes('TLSv1.3')) return undefined;
  return {
    minVersion: nodeVersionName(versions[0]!)!,
    maxVersion: nodeVersionName(versions[versions.length - 1]!)!,
    ...(names.size && { ciphers: `${[...names].join(':')}:@SECLEVEL=0` }),
  };
}

function servedCertificates(
  endpoint: ProbeEndpoint,
  scan: RawScanResult | undefined,
  sessions: ClientAuthSessions,
  options: ProbeOptions,
): ServedCertificates {
  const fullHandshake = [sessions.noCert, sessions.untrusted, sessions.given].find(
    (s) => s?.handshake === 'completed',
  );
  const fromScan = scan?.servedChain ?? [];
  const der = fromScan.length ? fromScan : (fullHandshake?.peerChain ?? []);
  const source = fromScan.length ? 'raw-scan' : der.length ? 'full-handshake' : 'none';
  const anchors = options.ca !== undefined ? 'ca-file' : 'node-roots';
  return analyzeServedChain(
    der,
    source,
    expectedCertificateName(endpoint),
    {
      ...(fullHandshake?.chainTrusted !== undefined && { trusted: fullHandshake.chainTrusted }),
      ...(fullHandshake?.chainError !== undefined && { error: fullHandshake.chainError }),
      ...(options.ca !== undefined && { anchorsPem: splitPemBundle(options.ca) }),
    },
    anchors,
  );
}

export type { RawScanResult } from './raw/index.js';
