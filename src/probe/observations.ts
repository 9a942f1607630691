/**
 * Observations → the model. The probe builds one `TlsContext` (language `probe`, role `server`)
 * whose settings have origin `observed`, then runs the very same rules as the static linter, so
 * a live finding has the same id, severity logic and message style as a config finding.
 *
 * Nothing here judges: a value that could not be observed becomes an `unknown` setting, which the
 * rules never read as secure or insecure.
 */
import { RULES } from '../../rules/index.js';
import type { Policy } from '../config/policy.js';
import { Targets } from '../config/targets.js';
import { suiteByCode, formatCode } from '../crypto/cipher-suites.js';
import { fingerprintOf } from '../engine/fingerprint.js';
import { checkContext } from '../engine/check.js';
import { joinAnd } from '../engine/rule-helpers.js';
import {
  newContext,
  type ClientAuthMode,
  type ClientVerifyMode,
  type MaterialRef,
  type TlsContext,
} from '../model/context.js';
import { severityRank, type Finding, type LintError } from '../model/finding.js';
import { lineRange, type SourceRange } from '../model/location.js';
import { PROTOCOL_DISPLAY, PROTOCOL_VERSIONS, type ProtocolVersion } from '../model/protocol.js';
import { unknown, type ObservedSetting, type Setting } from '../model/setting.js';
import type { ClientAuthResult } from './client-auth.js';
import type { ServedCertificates } from './certificate.js';
import type { RawScanResult } from './raw/index.js';
import { endpointLabel, type ProbeEndpoint } from './target.js';

export interface ProbeObservations {
  endpoint: ProbeEndpoint;
  /** Undefined when the raw scan failed; `scanError` says why. */
  scan?: RawScanResult;
  scanError?: string;
  clientAuth: ClientAuthResult;
  certificates: ServedCertificates;
}

function observed<T>(value: T, evidence: string, key?: string): ObservedSetting<T> {
  return { origin: 'observed', value, evidence, ...(key !== undefined && { key }) };
}

/** The name rules and reports use for a suite code: IANA's, or the SSLv2 kind, or the hex code. */
export function suiteName(code: number): string {
  const s = suiteByCode(code);
  return s?.iana ?? s?.sslv2 ?? formatCode(code);
}

/**
 * The token the cipher rules resolve for a suite: its IANA name, or the hex code for SSL 2.0
 * cipher kinds (which have no IANA name); undefined for codes the suite table does not know
 * (reported in the JSON, not judged).
 */
function suiteToken(code: number): string | undefined {
  const s = suiteByCode(code);
  if (!s) return undefined;
  return s.iana ?? `0x${code.toString(16).padStart(6, '0')}`;
}

export function acceptedProtocols(scan: RawScanResult): ProtocolVersion[] {
  return PROTOCOL_VERSIONS.filter((v) => scan.protocols[v] === true);
}

function protocolSetting(o: ProbeObservations): Setting<ProtocolVersion[]> {
  if (!o.scan) return unknown(`the protocol scan did not run: ${o.scanError ?? 'unknown error'}`);
  const accepted = acceptedProtocols(o.scan);
  const untested = PROTOCOL_VERSIONS.filter((v) => o.scan!.protocols[v] === null);
  if (accepted.length === 0)
    return unknown(
      `no protocol version could be negotiated${untested.length ? ` (${joinAnd(untested.map((v) => PROTOCOL_DISPLAY[v]))} could not be tested)` : ''}`,
    );
  const names = joinAnd(accepted.map((v) => PROTOCOL_DISPLAY[v]));
  const caveat = untested.length
    ? `; ${joinAnd(untested.map((v) => PROTOCOL_DISPLAY[v]))} could not be tested`
    : '';
  return observed(
    accepted,
    `ClientHellos for ${names} were answered with a ServerHello of that version${caveat}`,
    'protocols',
  );
}

function cipherSettings(o: ProbeObservations): {
  ciphers?: TlsContext['ciphers'];
  tls13Ciphers?: TlsContext['tls13Ciphers'];
} {
  if (!o.scan) return {};
  const legacy = new Map<string, ProtocolVersion[]>();
  const modern: string[] = [];
  for (const v of PROTOCOL_VERSIONS) {
    for (const code of o.scan.ciphers[v] ?? []) {
      const name = suiteToken(code);
      if (name === undefined) continue;
      if (v === 'TLSv1.3') {
        if (!modern.includes(name)) modern.push(name);
      } else {
        legacy.set(name, [...(legacy.get(name) ?? []), v]);
      }
    }
  }
  const out: { ciphers?: TlsContext['ciphers']; tls13Ciphers?: TlsContext['tls13Ciphers'] } = {};
  if (legacy.size) {
    const names = [...legacy.keys()];
    const versions = [...new Set([...legacy.values()].flat())];
    out.ciphers = observed(
      { syntax: 'suites', text: names.join(':'), items: names.map((text) => ({ text })) },
      // Rules quote this after the suites they single out, so it must not count or point at a list.
      `chosen by the server in ${joinAnd(versions.map((v) => PROTOCOL_DISPLAY[v]))} handshakes`,
      'cipher suites',
    );
  }
  if (modern.length) {
    out.tls13Ciphers = observed(
      { syntax: 'suites', text: modern.join(':'), items: modern.map((text) => ({ text })) },
      'chosen by the server in TLS 1.3 handshakes',
      'TLS 1.3 cipher suites',
    );
  }
  return out;
}

function clientAuthSettings(
  o: ProbeObservations,
): Pick<TlsContext, 'clientAuth' | 'clientVerify' | 'clientCa'> {
  const { requested, required, verified, caNames } = o.clientAuth;
  let clientAuth: Setting<ClientAuthMode>;
  if (requested.value === false)
    clientAuth = observed<ClientAuthMode>('none', requested.evidence, 'client certificate request');
  else if (required.value === true)
    clientAuth = observed<ClientAuthMode>(
      'required',
      `${requested.evidence}; ${required.evidence}`,
      'client certificate request',
    );
  else if (requested.value === true && required.value === false)
    clientAuth = observed<ClientAuthMode>(
      'optional',
      `${requested.evidence}; ${required.evidence}`,
      'client certificate request',
    );
  else
    clientAuth = unknown(
      requested.value === null ? requested.evidence : required.evidence,
      undefined,
      'client certificate request',
    );

  let clientVerify: Setting<ClientVerifyMode> | undefined;
  if (verified.value === true)
    clientVerify = observed<ClientVerifyMode>(
      'ca',
      verified.evidence,
      'client certificate verification',
    );
  else if (verified.value === false)
    clientVerify = observed<ClientVerifyMode>(
      'any',
      verified.evidence,
      'client certificate verification',
    );
  else if (requested.value !== false)
    clientVerify = unknown(verified.evidence, undefined, 'client certificate verification');

  // Advertised CA names are the server's client CA; a server that refuses an untrusted
  // certificate checks against some CA even when it names none.
  let clientCa: Setting<boolean> | undefined;
  if (caNames.length)
    clientCa = observed(
      true,
      `the CertificateRequest names ${caNames.length} acceptable CA${caNames.length === 1 ? '' : 's'}: ${caNames.map((n) => `"${n}"`).join(', ')}`,
    );
  else if (verified.value === true)
    clientCa = observed(true, 'an untrusted client certificate is refused');
  else if (requested.value === true && verified.value === false)
    clientCa = observed(
      false,
      'the CertificateRequest names no CA and an untrusted certificate is accepted',
    );
  return { clientAuth, ...(clientVerify && { clientVerify }), ...(clientCa && { clientCa }) };
}

function materialRefs(o: ProbeObservations, at: SourceRange): MaterialRef[] {
  const refs: MaterialRef[] = [];
  if (o.certificates.chain.length) {
    refs.push({
      purpose: 'server-certificate',
      at,
      key: 'served certificate chain',
      written: endpointLabel(o.endpoint),
      source: 'endpoint',
      summary: { kind: 'certificates', certificates: o.certificates.chain },
    });
  }
  if (o.scan?.dh) {
    refs.push({
      purpose: 'dhparam',
      at,
      key: 'DHE ServerKeyExchange',
      written: endpointLabel(o.endpoint),
      source: 'endpoint',
      summary: { kind: 'dh-params', dhBits: o.scan.dh.bits },
    });
  }
  return refs;
}

export function buildProbeContext(o: ProbeObservations): TlsContext {
  const label = endpointLabel(o.endpoint);
  const at = lineRange(label, 1);
  const groups = [...new Set([...(o.scan?.groups ?? []), ...(o.scan?.ecdhCurves ?? [])])];
  const preferenceValues = o.scan
    ? Object.values(o.scan.serverPreference).filter((v): v is boolean => typeof v === 'boolean')
    : [];
  return newContext({
    id: `${label}#1`,
    language: 'probe',
    role: 'server',
    at,
    label: `the endpoint ${label}${o.endpoint.sni ? ` (SNI "${o.endpoint.sni}")` : ''}`,
    api: 'live endpoint',
    recognition: 'known-api',
    protocols: protocolSetting(o),
    ...cipherSettings(o),
    ...(groups.length && {
      curves: observed(
        groups,
        `the server agreed to key exchange with ${joinAnd(groups)}`,
        'key exchange groups',
      ),
    }),
    ...(preferenceValues.length && {
      serverCipherPreference: observed(
        preferenceValues.includes(true),
        preferenceValues.includes(true)
          ? 'the server chose the same suite whatever the client order'
          : 'the server followed the client order',
        'server cipher preference',
      ),
    }),
    ...clientAuthSettings(o),
    ...hostnameSettings(o),
    material: materialRefs(o, at),
    features: [],
    target: {
      host: o.endpoint.host,
      port: o.endpoint.port,
      ...(o.endpoint.sni && { sni: o.endpoint.sni }),
    },
  });
}

export interface ProbeFindings {
  findings: Finding[];
  /** Rule failures (a bug in a rule must not take the probe down). */
  errors: LintError[];
}

/**
 * Whether the served certificate matches the name clients ask for. On a server context this is
 * the endpoint's side of host-name verification; the hostname rule judges it like any setting.
 */
function hostnameSettings(
  o: ProbeObservations,
): Pick<TlsContext, 'hostnameVerification' | 'serverName' | 'notes'> {
  const h = o.certificates.hostname;
  if (h.matches === null) return { hostnameVerification: unknown(h.evidence) };
  return {
    hostnameVerification: observed(h.matches, h.evidence, 'served certificate names'),
    serverName: observed(h.name, `the name checked against the served certificate`, 'SNI'),
    ...(o.endpoint.sni === undefined && {
      notes: {
        hostnameVerification:
          'the target was given as an address; pass --sni with the name clients use to check that name instead',
      },
    }),
  };
}

/** Runs every rule over the observed context, exactly as the linter does over a config. */
export function judgeObservations(
  o: ProbeObservations,
  policy: Policy,
  context = buildProbeContext(o),
): ProbeFindings {
  const { findings, errors } = checkContext(context, RULES, {
    policy,
    targets: new Targets(new Map()),
  });
  // The report lists the worst first; fingerprints use the rule and the endpoint (no source line).
  findings.sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
      (a.message < b.message ? -1 : 1),
  );
  const occurrences = new Map<string, number>();
  for (const f of findings) {
    const n = occurrences.get(f.ruleId) ?? 0;
    occurrences.set(f.ruleId, n + 1);
    f.fingerprint = fingerprintOf(f.ruleId, context.at.file, '', n);
  }
  return { findings, errors };
}
