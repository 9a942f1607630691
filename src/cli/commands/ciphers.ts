/**
 * `tls-lint ciphers '<string>'`: expand a cipher string the way a platform does and judge the
 * result against a Mozilla profile with the same rules the linter runs.
 *
 *   tls-lint ciphers 'HIGH:!aNULL:!MD5' --target openssl=1.0.2
 *   tls-lint ciphers 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' --platform node
 *   tls-lint ciphers 'tls.TLS_RSA_WITH_AES_128_CBC_SHA,tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' --platform go
 *
 * Exit codes: 0 the platform accepts the string and no finding reaches a warning; 1 it refuses
 * the string, or findings at warning or above; 2 usage error.
 */
import { escapeControl } from '../../report/escape.js';
import { checkContext } from '../../engine/check.js';
import { Option, type Command } from 'commander';
import { rule as cbcCipherSuite } from '../../../rules/cbc-cipher-suite/index.js';
import { rule as insecureCipherSuite } from '../../../rules/insecure-cipher-suite/index.js';
import { rule as invalidCipherString } from '../../../rules/invalid-cipher-string/index.js';
import { rule as noForwardSecrecy } from '../../../rules/no-forward-secrecy/index.js';
import { DEFAULT_POLICY, PROFILES, type ProfileName } from '../../config/policy.js';
import { Targets, parseTargetArgs } from '../../config/targets.js';
import { resolveCipherSpec, type CipherPlatform, type ResolvedCiphers, type ResolvedSuite } from '../../crypto/cipher-spec.js';
import { formatCode } from '../../crypto/cipher-suites.js';
import { blockedBySecurityLevel } from '../../crypto/context-ciphers.js';
import { mozillaProfile, profileAllows } from '../../crypto/mozilla.js';
import type { Rule } from '../../engine/rule-api.js';
import { newContext, type CipherSpec, type Language } from '../../model/context.js';
import { severityRank, type Severity } from '../../model/finding.js';
import { explicit } from '../../model/setting.js';
import { paletteFor } from '../../report/colors.js';

const PLATFORMS = ['openssl', 'node', 'python', 'nginx', 'go', 'envoy'] as const;
type PlatformFlag = (typeof PLATFORMS)[number];

interface CiphersFlags {
  target: string[];
  platform: PlatformFlag;
  profile: ProfileName;
  format: 'text' | 'json';
}

const CIPHER_RULES: readonly Rule[] = [insecureCipherSuite, cbcCipherSuite, noForwardSecrecy, invalidCipherString];

const SOURCE = '<command line>';

function specFor(text: string, platform: PlatformFlag): CipherSpec {
  switch (platform) {
    case 'node':
      return { syntax: 'node', text };
    case 'go': {
      const items = text.split(/[\s,:]+/).filter(Boolean).map((t) => ({ text: t }));
      return { syntax: 'go', text, items };
    }
    case 'envoy':
      return { syntax: 'boringssl', text, items: text.split(/[\s,:]+/).filter(Boolean).map((t) => ({ text: t })) };
    default:
      return { syntax: 'openssl', text };
  }
}

const LANGUAGE: Record<PlatformFlag, Language> = { openssl: 'nginx', node: 'node', python: 'python', nginx: 'nginx', go: 'go', envoy: 'envoy' };
// (openssl has no language of its own; notes.cipherPlatform keeps the OpenSSL wording)

export interface CipherFinding {
  ruleId: string;
  severity: Severity;
  message: string;
}

/** Runs the cipher rules on a context that holds only this cipher setting. */
export function judgeCipherString(spec: CipherSpec, platform: PlatformFlag, targets: Targets, profile: ProfileName): CipherFinding[] {
  const at = { file: SOURCE, line: 1, column: 1, endLine: 1, endColumn: 1 + spec.text.length };
  const context = newContext({
    id: `${SOURCE}#1`,
    language: LANGUAGE[platform],
    role: 'server',
    at,
    label: 'cipher string',
    api: 'tls-lint ciphers',
    recognition: 'known-api',
    notes: { cipherPlatform: platform },
    ciphers: explicit(spec, at, platform === 'node' ? 'ciphers' : platform === 'go' ? 'CipherSuites' : platform === 'envoy' ? 'cipher_suites' : platform === 'python' ? 'set_ciphers' : platform === 'nginx' ? 'ssl_ciphers' : 'cipher string'),
  });
  // The same runner as the linter and the probe, over the cipher rules only.
  const { findings } = checkContext(context, CIPHER_RULES, { policy: { ...DEFAULT_POLICY, profile }, targets });
  return findings
    .map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message }))
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

function suiteJson(r: ResolvedSuite, profile: ProfileName, secLevel = 0) {
  const s = r.suite;
  return {
    iana: s.iana ?? null,
    openssl: s.openssl ?? null,
    code: formatCode(s.code),
    protocol: s.minProtocol,
    kx: s.kx,
    au: s.au,
    enc: s.enc,
    bits: s.bits,
    mac: s.mac,
    flags: s.flags,
    token: r.token ?? null,
    inProfile: profileAllows(mozillaProfile(profile), s),
    /** Configured, but refused at handshake time by the OpenSSL security level in force. */
    blockedBySecLevel: blockedBySecurityLevel(s, secLevel),
  };
}

export function ciphersReport(text: string, flags: Pick<CiphersFlags, 'platform' | 'profile'>, targets: Targets) {
  const platform = flags.platform;
  const spec = specFor(text, platform);
  const resolved = resolveCipherSpec(spec, targets, { platform: platform as CipherPlatform });
  const findings = judgeCipherString(spec, platform, targets, flags.profile);
  // the level in force: @SECLEVEL in the string, else 1 (OpenSSL ≥1.1.0 default; 0 for 1.0.2)
  const secLevel = resolved.secLevel ?? (resolved.family && resolved.family !== '1.0.2' ? 1 : 0);
  return {
    input: text,
    platform,
    ...(resolved.family && { openssl: { family: resolved.family, target: targets.get(platform === 'node' ? 'node' : 'openssl') } }),
    suites: resolved.suites.map((r) => suiteJson(r, flags.profile, secLevel)),
    tls13: resolved.tls13.map((r) => suiteJson(r, flags.profile)),
    secLevelInForce: secLevel,
    tls13Configured: resolved.tls13Configured,
    unknownTokens: resolved.unknownTokens,
    errors: resolved.problems.filter((p) => p.effect === 'refused' || p.effect === 'handshakes-fail').map((p) => p.message),
    warnings: resolved.problems.filter((p) => p.effect === 'ignored' || p.effect === 'note').map((p) => p.message),
    ...(resolved.orderIgnored && { orderIgnored: true }),
    ...(resolved.tls12Disabled && { tls12Disabled: true }),
    refused: resolved.refused,
    profile: { name: flags.profile, findings },
    resolved,
  };
}

export function registerCiphersCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('ciphers <string>')
    .description('expand a cipher string the way a platform does (suites in order, with flags) and judge it against a Mozilla profile')
    .option('-t, --target <platform=version>', 'platform version, repeatable (openssl=1.0.2|1.1.1|3.0, node=18, go=1.22)', (v: string, prev: string[]) => [...prev, v], [])
    .addOption(new Option('-p, --platform <platform>', 'whose semantics: OpenSSL string (openssl, python, nginx), Node "ciphers", Go constant list, Envoy cipher_suites').choices([...PLATFORMS]).default('openssl'))
    .addOption(new Option('--profile <name>', 'Mozilla TLS profile to judge against').choices([...PROFILES]).default('intermediate'))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((text: string, flags: CiphersFlags) => {
      const targets = new Targets(parseTargetArgs(flags.target));
      const report = ciphersReport(text, flags, targets);
      const failing = report.refused || report.profile.findings.some((f) => severityRank(f.severity) >= severityRank('warning'));
      if (flags.format === 'json') {
        const { resolved: _resolved, ...json } = report;
        process.stdout.write(JSON.stringify(json, null, 2) + '\n');
      } else {
        process.stdout.write(renderText(report, report.resolved));
      }
      setExitCode(failing ? 1 : 0);
    });
}

function renderText(report: ReturnType<typeof ciphersReport>, resolved: ResolvedCiphers): string {
  const c = paletteFor(process.stdout);
  const lines: string[] = [];
  const fam = report.openssl ? ` — OpenSSL ${report.openssl.family} semantics (${report.openssl.target.source === 'assumed' ? `assumed ${report.openssl.target.platform} ${report.openssl.target.version}` : report.openssl.target.reason})` : '';
  lines.push(c.bold(`${report.platform} cipher string "${escapeControl(report.input)}"${fam}`));
  const header = ['#', 'code', 'OpenSSL name', 'IANA name', 'since', 'kx', 'au', 'enc', 'mac', 'flags', 'from'];
  const row = (i: string, s: ReturnType<typeof suiteJson>) => [i, s.code, s.openssl ?? '-', s.iana ?? '-', s.protocol, s.kx, s.au, `${s.enc}(${s.bits})`, s.mac, [...s.flags, ...(s.blockedBySecLevel ? [`blocked@SECLEVEL${report.secLevelInForce}`] : [])].join(',') || '-', s.token ?? ''];
  const rows = [
    ...report.tls13.map((s) => row('1.3', s)),
    ...report.suites.map((s, n) => row(String(n + 1), s)),
  ];
  if (rows.length) {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const fmt = (r: string[]) => r.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
    lines.push(c.dim(fmt(header)));
    for (const r of rows) lines.push(escapeControl(fmt(r)));
  }
  lines.push(`${report.suites.length} TLS ≤1.2 suites, ${report.tls13.length} TLS 1.3 suites${resolved.tls13Configured ? '' : ' (platform default)'}${report.tls12Disabled ? '; TLS ≤1.2 switched off by the string' : ''}${report.orderIgnored ? '; Go ignores the order' : ''}`);
  for (const e of report.errors) lines.push(`${c.red('error')}    ${escapeControl(e)}`);
  for (const w of report.warnings) lines.push(`${c.yellow('warning')}  ${escapeControl(w)}`);
  lines.push(c.bold(`Mozilla "${report.profile.name}" profile:`) + (report.profile.findings.length ? '' : ' no finding'));
  // A rule finding that repeats an expansion problem printed above is only referenced, not repeated.
  const printed = [...report.errors, ...report.warnings];
  for (const f of report.profile.findings) {
    const sev = f.severity === 'error' ? c.red(f.severity) : f.severity === 'warning' ? c.yellow(f.severity) : c.dim(f.severity);
    const repeats = printed.some((p) => f.message.includes(p));
    lines.push(`  ${sev.padEnd(7)} ${repeats ? 'the problem above' : escapeControl(f.message)}  ${c.dim(`[${f.ruleId}]`)}`);
  }
  return lines.join('\n') + '\n';
}
