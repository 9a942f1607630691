/**
 * The probe's two outputs: the JSON contract of issue 5 (`version: 1`, null = could not test) and
 * a stylish report a person acts on: what was seen, how bad it is, what to change.
 */
import { escapeControl } from '../report/escape.js';
import { INSECURE_CATEGORIES } from '../crypto/suite-categories.js';
import { toJsonFinding, type JsonFinding } from '../report/json.js';
import { suiteByCode, formatCode } from '../crypto/cipher-suites.js';
import { ruleDocsUrl } from '../engine/rule-api.js';
import { joinAnd, plural } from '../engine/rule-helpers.js';
import { helpLine, severityLabel } from '../report/stylish.js';
import type { CertificateSummary } from '../model/context.js';
import { findingText, type Severity } from '../model/finding.js';
import {
  INSECURE_PROTOCOLS,
  PROTOCOL_DISPLAY,
  PROTOCOL_VERSIONS,
  type ProtocolVersion,
} from '../model/protocol.js';
import type { Palette } from '../report/colors.js';
import type { ProbeResult } from './index.js';
import { suiteName } from './observations.js';
import type { TriCheck } from './client-auth.js';

export interface ProbeJsonSuite {
  iana: string;
  openssl: string | null;
  code: string;
}

/** Probe findings use the lint report's finding shape; `file` is the target (`host:port`). */
export type ProbeJsonFinding = JsonFinding;

export interface ProbeJson {
  version: 1;
  target: { host: string; port: number; sni: string | null };
  protocols: Record<ProtocolVersion, boolean | null>;
  ciphers: Partial<Record<ProtocolVersion, ProbeJsonSuite[]>>;
  serverPreference: Partial<Record<ProtocolVersion, boolean | null>>;
  groups: string[] | null;
  dh: { bits: number } | null;
  certificate: {
    source: string;
    chain: CertificateSummary[];
    hostname: { name: string; matches: boolean | null; evidence: string };
    trusted: { value: boolean | null; anchors: string; evidence: string };
    /** Certificates that could not be parsed. */
    unreadable?: string[];
  };
  clientAuth: {
    requested: boolean | null;
    required: boolean | null;
    verified: boolean | null;
    caNames: string[];
    /**
     * Per accepted version (raw scan): whether its server flight held a CertificateRequest; null
     * when that flight could not be read. SSL 2.0 is absent (it asks only after the key exchange).
     * `required` and `verified` come from full handshakes at the highest version Node can speak.
     */
    requestedByVersion: Partial<Record<ProtocolVersion, boolean | null>>;
    /** With `--cert/--key`: whether the given certificate got in. */
    givenCertificateAccepted?: boolean | null;
    evidence: { requested: string; required: string; verified: string; givenCertificate?: string };
    certificateRequest: {
      tls12: {
        requested: boolean | null;
        version: ProtocolVersion | null;
        certificateTypes: number[];
        signatureAlgorithms: number[];
      } | null;
      tls13: { requested: boolean | null; signatureAlgorithms: number[] } | null;
    } | null;
  };
  findings: ProbeJsonFinding[];
  notes: string[];
  errors: Array<{ message: string }>;
  handshakes: number;
  durationMs: number;
}

function suiteJson(code: number): ProbeJsonSuite {
  const s = suiteByCode(code);
  return { iana: suiteName(code), openssl: s?.openssl ?? null, code: formatCode(code) };
}

/** In version order; only versions the scan saw accepted (and could read a flight for). */
function requestedByVersion(r: ProbeResult): Partial<Record<ProtocolVersion, boolean | null>> {
  const byVersion = r.scan?.certificateRequest.byVersion ?? {};
  const out: Partial<Record<ProtocolVersion, boolean | null>> = {};
  for (const v of PROTOCOL_VERSIONS) if (byVersion[v] !== undefined) out[v] = byVersion[v] ?? null;
  return out;
}

export function toProbeJson(r: ProbeResult): ProbeJson {
  const scan = r.scan;
  const protocols = Object.fromEntries(
    PROTOCOL_VERSIONS.map((v) => [v, scan ? (scan.protocols[v] ?? null) : null]),
  ) as Record<ProtocolVersion, boolean | null>;
  const ciphers: ProbeJson['ciphers'] = {};
  const serverPreference: ProbeJson['serverPreference'] = {};
  for (const v of PROTOCOL_VERSIONS) {
    const codes = scan?.ciphers[v];
    if (codes) ciphers[v] = codes.map(suiteJson);
    if (scan && scan.serverPreference[v] !== undefined)
      serverPreference[v] = scan.serverPreference[v] ?? null;
  }
  const ca = r.clientAuth;
  const cr = scan?.certificateRequest;
  return {
    version: 1,
    target: { host: r.endpoint.host, port: r.endpoint.port, sni: r.endpoint.sni ?? null },
    protocols,
    ciphers,
    serverPreference,
    groups: scan?.groups ?? null,
    dh: scan?.dh ?? null,
    certificate: {
      source: r.certificates.source,
      chain: r.certificates.chain,
      hostname: r.certificates.hostname,
      trusted: r.certificates.trusted,
      ...(r.certificates.unreadable.length && { unreadable: r.certificates.unreadable }),
    },
    clientAuth: {
      requested: ca.requested.value,
      required: ca.required.value,
      verified: ca.verified.value,
      caNames: ca.caNames,
      requestedByVersion: requestedByVersion(r),
      ...(ca.givenCertificate && { givenCertificateAccepted: ca.givenCertificate.value }),
      evidence: {
        requested: ca.requested.evidence,
        required: ca.required.evidence,
        verified: ca.verified.evidence,
        ...(ca.givenCertificate && { givenCertificate: ca.givenCertificate.evidence }),
      },
      certificateRequest: cr
        ? {
            tls12: cr.tls12 && {
              requested: cr.tls12.requested,
              version: cr.tls12.version ?? null,
              certificateTypes: cr.tls12.certificateTypes,
              signatureAlgorithms: cr.tls12.signatureAlgorithms,
            },
            tls13: cr.tls13 && {
              requested: cr.tls13.requested,
              signatureAlgorithms: cr.tls13.signatureAlgorithms,
            },
          }
        : null,
    },
    findings: r.findings.map((f) => toJsonFinding(f, f.at.file, ruleDocsUrl)),
    notes: r.notes,
    errors: r.errors.map((e) => ({ message: e.message })),
    handshakes: r.handshakes,
    durationMs: r.durationMs,
  };
}

// --- stylish -------------------------------------------------------------------------------------

/** Everything a server sends (names, subjects, HTTP answers) is escaped before it reaches a terminal. */
const x = escapeControl;

function tri(
  v: boolean | null | undefined,
  yes: string,
  no: string,
  c: Palette,
  good: 'yes' | 'no' | 'none' = 'none',
): string {
  if (v === null || v === undefined) return c.yellow('could not test');
  const text = v ? yes : no;
  if (good === 'none') return text;
  return (v ? good === 'yes' : good === 'no') ? text : c.red(text);
}

/** "2026-12-28T11:05:54.000Z" → "2026-12-28 11:05:54 UTC" (left alone if it is not that shape). */
function readableTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]!} ${m[2]!} UTC` : iso;
}

export function formatProbeStylish(r: ProbeResult, c: Palette): string {
  const out: string[] = [];
  const scan = r.scan;
  out.push(
    c.bold(
      c.underline(
        `tls-lint probe ${x(r.label)}${r.endpoint.sni ? ` (SNI "${x(r.endpoint.sni)}")` : ''}`,
      ),
    ),
  );
  out.push('');

  out.push(c.bold('Protocols'));
  if (!scan)
    out.push(`  ${c.yellow('could not test')}: ${x(r.scanError ?? 'the raw scan did not run')}`);
  else {
    for (const v of PROTOCOL_VERSIONS) {
      const state = scan.protocols[v];
      const weak = INSECURE_PROTOCOLS.includes(v);
      out.push(
        `  ${PROTOCOL_DISPLAY[v].padEnd(8)} ${tri(state, 'accepted', 'refused', c, weak ? 'no' : 'none')}`,
      );
    }
  }
  out.push('');

  if (scan) {
    out.push(c.bold('Cipher suites'));
    let any = false;
    for (const v of PROTOCOL_VERSIONS) {
      const codes = scan.ciphers[v];
      if (!codes || codes.length === 0) continue;
      any = true;
      const pref = scan.serverPreference[v];
      const order =
        pref === true ? 'server order' : pref === false ? 'client order' : 'order not tested';
      out.push(`  ${PROTOCOL_DISPLAY[v]} (${codes.length}, ${order})`);
      const width = Math.max(...codes.map((c) => formatCode(c).length)) + 1;
      for (const code of codes) {
        const s = suiteByCode(code);
        // Coloured with the rule's own categories, so the table and the findings agree.
        const bad = s && INSECURE_CATEGORIES.some((category) => category.selects(s));
        const text = `${formatCode(code).padEnd(width)} ${suiteName(code)}${s?.openssl && s.openssl !== s.iana ? c.dim(`  ${s.openssl}`) : ''}`;
        out.push(`    ${bad ? c.red(text) : text}`);
      }
    }
    if (!any) out.push(`  ${c.yellow('none observed')}`);
    if (scan.groups?.length) out.push(`  Key exchange groups: ${scan.groups.join(', ')}`);
    else if (scan.groups === null) out.push(`  Key exchange groups: ${c.yellow('could not test')}`);
    if (scan.dh) out.push(`  DHE group: ${scan.dh.bits} bits`);
    out.push('');
  }

  out.push(c.bold('Certificate'));
  const cert = r.certificates;
  const leaf = cert.chain[0];
  if (!leaf) out.push(`  ${c.yellow('could not test')}: no certificate was received`);
  else {
    out.push(`  Subject   ${x(leaf.subject)}`);
    out.push(`  Issuer    ${x(leaf.issuer)}${leaf.selfSigned ? c.yellow('  (self-signed)') : ''}`);
    out.push(
      `  Key       ${leaf.key.type.toUpperCase()} ${leaf.key.bits} bits${leaf.key.curve ? ` (${x(leaf.key.curve)})` : ''}`,
    );
    out.push(`  Signature ${x(leaf.signatureAlgorithm)}`);
    out.push(`  Valid     ${x(readableTime(leaf.notBefore))} – ${x(readableTime(leaf.notAfter))}`);
    if (leaf.subjectAltNames.length) out.push(`  Names     ${x(leaf.subjectAltNames.join(', '))}`);
    out.push(
      `  Chain     ${cert.chain.length} certificate${cert.chain.length === 1 ? '' : 's'} served`,
    );
  }
  out.push(
    `  Name      ${tri(cert.hostname.matches, `matches "${x(cert.hostname.name)}"`, `does NOT match "${x(cert.hostname.name)}"`, c, 'yes')}`,
  );
  out.push(
    `  Trusted   ${tri(cert.trusted.value, 'yes', 'no', c, 'yes')} ${c.dim(`— ${x(cert.trusted.evidence)}`)}`,
  );
  out.push('');

  out.push(c.bold('Client certificates'));
  const ca = r.clientAuth;
  const line = (
    label: string,
    check: TriCheck,
    yes: string,
    no: string,
    good: 'yes' | 'no' | 'none',
  ) =>
    out.push(
      `  ${label.padEnd(9)} ${tri(check.value, yes, no, c, good)} ${c.dim(`— ${x(check.evidence)}`)}`,
    );
  line('Requested', ca.requested, 'yes', 'no', 'none');
  // Per version only when the versions disagree (or one could not be read): otherwise it is noise.
  const perVersion = Object.entries(requestedByVersion(r)) as Array<
    [ProtocolVersion, boolean | null]
  >;
  if (new Set(perVersion.map(([, v]) => v)).size > 1) {
    out.push(
      `            ${c.dim(`per version: ${perVersion.map(([v, asked]) => `${PROTOCOL_DISPLAY[v]} ${asked === null ? 'could not test' : asked ? 'yes' : 'no'}`).join(', ')}`)}`,
    );
  }
  line('Required', ca.required, 'yes', 'no', ca.requested.value === true ? 'yes' : 'none');
  line(
    'Verified',
    ca.verified,
    'yes (an untrusted certificate is refused)',
    'no (an untrusted certificate is accepted)',
    'yes',
  );
  if (ca.caNames.length) out.push(`  CA names  ${ca.caNames.map((n) => `"${x(n)}"`).join(', ')}`);
  if (ca.givenCertificate) line('Given cert', ca.givenCertificate, 'accepted', 'refused', 'yes');
  out.push('');

  if (r.notes.length) {
    out.push(c.bold('Notes'));
    for (const n of r.notes) out.push(`  ${x(n)}`);
    out.push('');
  }

  out.push(c.bold('Findings'));
  if (r.findings.length === 0)
    out.push(
      `  ${r.tested ? 'none' : c.yellow('none — but nothing could be tested, so this is not a clean bill of health')}`,
    );
  for (const f of r.findings) {
    const { statement, help } = findingText(f);
    out.push(`  ${severityLabel(f.severity, c)}  ${x(statement)}  ${c.dim(`[${f.ruleId}]`)}`);
    if (help !== undefined) out.push(helpLine(x(help), c, undefined, 11));
    out.push(`           ${c.dim(ruleDocsUrl(f.ruleId))}`);
  }
  for (const e of r.errors) out.push(`  ${c.red('error')}    ${x(e.message)}`);
  out.push('');
  const count = (s: Severity) => r.findings.filter((f) => f.severity === s).length;
  const summary = `${plural(r.findings.length, 'finding')} (${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(count('info'), 'info')}) in ${plural(r.handshakes, 'handshake')}, ${(r.durationMs / 1000).toFixed(2)} s`;
  // Never a tick while something could not be tested: that is not a clean bill of health.
  const untested = untestedChecks(r);
  const gap = untested.length ? `; could not test ${joinAnd(untested)}` : '';
  out.push(
    r.findings.length
      ? count('error')
        ? c.red(c.bold(`✖ ${summary}${gap}`))
        : c.yellow(c.bold(`✖ ${summary}${gap}`))
      : r.tested && untested.length === 0
        ? c.bold(`✔ ${summary}`)
        : c.yellow(c.bold(`⚠ ${summary}${gap}; not a clean bill of health`)),
  );
  return out.join('\n') + '\n';
}

/** The checks that ended in "could not test", for the summary line. */
function untestedChecks(r: ProbeResult): string[] {
  const out: string[] = [];
  const protocols = r.scan
    ? PROTOCOL_VERSIONS.filter((v) => r.scan!.protocols[v] === null)
    : [...PROTOCOL_VERSIONS];
  if (protocols.length) out.push(protocols.map((v) => PROTOCOL_DISPLAY[v]).join('/'));
  const ca = r.clientAuth;
  // Required/verified mean nothing for a server that does not ask for a certificate.
  const asked = ca.requested.value !== false;
  const missing = (['requested', 'required', 'verified'] as const).filter(
    (k) => ca[k].value === null && (k === 'requested' || asked),
  );
  if (missing.length) out.push(`whether a client certificate is ${joinAnd(missing)}`);
  return out;
}
