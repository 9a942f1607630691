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
import { rule as loweredSecurityLevel } from '../../../rules/lowered-security-level/index.js';
import { DEFAULT_POLICY, PROFILES, type ProfileName } from '../../config/policy.js';
import { Targets, parseTargetArgs } from '../../config/targets.js';
import {
  resolveCipherSpec,
  type CipherPlatform,
  type ResolvedCiphers,
  type ResolvedSuite,
} from '../../crypto/cipher-spec.js';
import { formatCode } from '../../crypto/cipher-suites.js';
import { blockedBySecurityLevel } from '../../crypto/context-ciphers.js';
import { mozillaProfile, profileAllows } from '../../crypto/mozilla.js';
import { DEFAULT_SECURITY_LEVEL, reenabledAtLevelZero } from '../../crypto/security-level.js';
import type { Rule } from '../../engine/rule-api.js';
import type { CipherSuite } from '../../crypto/suite-types.js';
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
  wide?: boolean;
}

const CIPHER_RULES: readonly Rule[] = [
  insecureCipherSuite,
  cbcCipherSuite,
  noForwardSecrecy,
  invalidCipherString,
  loweredSecurityLevel,
];

const SOURCE = '<command line>';

function specFor(text: string, platform: PlatformFlag): CipherSpec {
  switch (platform) {
    case 'node':
      return { syntax: 'node', text };
    case 'go': {
      const items = text
        .split(/[\s,:]+/)
        .filter(Boolean)
        .map((t) => ({ text: t }));
      return { syntax: 'go', text, items };
    }
    case 'envoy':
      return {
        syntax: 'boringssl',
        text,
        items: text
          .split(/[\s,:]+/)
          .filter(Boolean)
          .map((t) => ({ text: t })),
      };
    default:
      return { syntax: 'openssl', text };
  }
}

const LANGUAGE: Record<PlatformFlag, Language> = {
  openssl: 'nginx',
  node: 'node',
  python: 'python',
  nginx: 'nginx',
  go: 'go',
  envoy: 'envoy',
};
// (openssl has no language of its own; notes.cipherPlatform keeps the OpenSSL wording)

export interface CipherFinding {
  ruleId: string;
  severity: Severity;
  message: string;
}

/** Runs the cipher rules on a context that holds only this cipher setting. */
export function judgeCipherString(
  spec: CipherSpec,
  platform: PlatformFlag,
  targets: Targets,
  profile: ProfileName,
): CipherFinding[] {
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
    ciphers: explicit(
      spec,
      at,
      platform === 'node'
        ? 'ciphers'
        : platform === 'go'
          ? 'CipherSuites'
          : platform === 'envoy'
            ? 'cipher_suites'
            : platform === 'python'
              ? 'set_ciphers'
              : platform === 'nginx'
                ? 'ssl_ciphers'
                : 'cipher string',
    ),
  });
  // The same runner as the linter and the probe, over the cipher rules only.
  const { findings } = checkContext(context, CIPHER_RULES, {
    policy: { ...DEFAULT_POLICY, profile },
    targets,
  });
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

/**
 * The security level in force and where it comes from; for level 0 set by the string, what it
 * lets back in beyond suites (src/crypto/security-level.ts). Undefined where the platform has no
 * levels (Go, BoringSSL, OpenSSL 1.0.2).
 */
function securityLevelFacts(resolved: ResolvedCiphers, level: number) {
  if (!resolved.family || resolved.family === '1.0.2') return undefined;
  const fromString = resolved.secLevel !== undefined;
  return {
    level,
    source: fromString ? `"@SECLEVEL=${level}"` : 'default',
    ...(fromString && level === 0 && { reenables: reenabledAtLevelZero(resolved.family) }),
  };
}

export function ciphersReport(
  text: string,
  flags: Pick<CiphersFlags, 'platform' | 'profile'>,
  targets: Targets,
) {
  const platform = flags.platform;
  const spec = specFor(text, platform);
  const resolved = resolveCipherSpec(spec, targets, { platform: platform as CipherPlatform });
  const findings = judgeCipherString(spec, platform, targets, flags.profile);
  // the level in force: @SECLEVEL in the string, else 1 (OpenSSL ≥1.1.0 default; 0 for 1.0.2)
  const secLevel = resolved.secLevel ?? (resolved.family && resolved.family !== '1.0.2' ? 1 : 0);
  return {
    input: text,
    platform,
    ...(resolved.family && {
      openssl: {
        family: resolved.family,
        target: targets.get(platform === 'node' ? 'node' : 'openssl'),
      },
    }),
    suites: resolved.suites.map((r) => suiteJson(r, flags.profile, secLevel)),
    tls13: resolved.tls13.map((r) => suiteJson(r, flags.profile)),
    secLevelInForce: secLevel,
    securityLevel: securityLevelFacts(resolved, secLevel),
    tls13Configured: resolved.tls13Configured,
    unknownTokens: resolved.unknownTokens,
    errors: resolved.problems
      .filter((p) => p.effect === 'refused' || p.effect === 'handshakes-fail')
      .map((p) => p.message),
    warnings: resolved.problems
      .filter((p) => p.effect === 'ignored' || p.effect === 'note')
      .map((p) => p.message),
    ...(resolved.orderIgnored && { orderIgnored: true }),
    ...(resolved.tls12Disabled && { tls12Disabled: true }),
    refused: resolved.refused,
    profile: { name: flags.profile, findings },
    resolved,
  };
}

export function registerCiphersCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  program
    .command('ciphers <string>')
    .description(
      'expand a cipher string the way a platform does (suites in order, with flags) and judge it against a Mozilla profile',
    )
    .option(
      '-t, --target <platform=version>',
      'platform version, repeatable (openssl=1.0.2|1.1.1|3.0, node=18, go=1.22)',
      (v: string, prev: string[]) => [...prev, v],
      [],
    )
    .addOption(
      new Option(
        '-p, --platform <platform>',
        'whose semantics: OpenSSL string (openssl, python, nginx), Node "ciphers", Go constant list, Envoy cipher_suites',
      )
        .choices([...PLATFORMS])
        .default('openssl'),
    )
    .addOption(
      new Option('--profile <name>', 'Mozilla TLS profile to judge against')
        .choices([...PROFILES])
        .default('intermediate'),
    )
    .addOption(
      new Option(
        '-f, --format <format>',
        'output format: a table that fits 100 columns (text), or every detail (json)',
      )
        .choices(['text', 'json'])
        .default('text'),
    )
    .option(
      '--wide',
      'text: every column (codes, both names, key exchange, authentication, the item of the string that brought each suite in), lines not wrapped',
    )
    .action((text: string, flags: CiphersFlags) => {
      const targets = new Targets(parseTargetArgs(flags.target));
      const report = ciphersReport(text, flags, targets);
      const failing =
        report.refused ||
        report.profile.findings.some((f) => severityRank(f.severity) >= severityRank('warning'));
      if (flags.format === 'json') {
        const { resolved: _resolved, ...json } = report;
        process.stdout.write(JSON.stringify(json, null, 2) + '\n');
      } else {
        process.stdout.write(
          renderText(report, report.resolved, { wide: flags.wide === true, width: outputWidth() }),
        );
      }
      setExitCode(failing ? 1 : 0);
    });
}

/** The default width: 100 columns, or a narrower terminal's (not below 60). */
const MAX_WIDTH = 100;
function outputWidth(): number {
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
  return columns ? Math.max(60, Math.min(MAX_WIDTH, columns)) : MAX_WIDTH;
}

type SuiteRow = ReturnType<typeof suiteJson>;

interface Column {
  header: string;
  /** `index`: `1.3` or the suite's place in the list; `name`: the suite by the platform's name. */
  cell(s: SuiteRow, index: string, name: string): string;
  /** Left out, in this order, when the table does not fit (the name already says it). */
  drop?: number;
  /** Cut with "…" down to this width when dropping is not enough. */
  min?: number;
}

/** Flags worth a note that the other columns of the narrow table do not show already. */
const NOTE_FLAGS = new Set([
  'EXPORT',
  'CBC',
  'static-DH',
  'CCM8',
  'PSK',
  'SRP',
  'KRB5',
  'SCSV',
  'GOST',
]);

/** The suite as the platform spells it: Go's constant, BoringSSL's name, else OpenSSL's. */
function suiteName(s: SuiteRow, platform: PlatformFlag, suite: CipherSuite | undefined): string {
  if (platform === 'go') return suite?.go?.[0] ?? s.iana ?? s.code;
  if (platform === 'envoy') return suite?.boringssl ?? s.openssl ?? s.iana ?? s.code;
  return s.openssl ?? s.iana ?? s.code;
}

function narrowColumns(report: ReturnType<typeof ciphersReport>): Column[] {
  return [
    { header: '#', cell: (_s, i) => i },
    { header: 'suite', cell: (_s, _i, name) => name, min: 16 },
    { header: 'since', cell: (s) => s.protocol },
    { header: 'kx/au', cell: (s) => (s.kx === 'any' ? 'any' : `${s.kx}/${s.au}`), drop: 3 },
    { header: 'enc', cell: (s) => `${s.enc.replace('/POLY1305', '')}(${s.bits})`, drop: 2 },
    { header: 'mac', cell: (s) => s.mac, drop: 1 },
    {
      header: 'notes',
      cell: (s) =>
        [
          ...(s.flags.includes('forward-secrecy') || s.kx === 'any' ? [] : ['no-FS']),
          ...s.flags.filter((f) => NOTE_FLAGS.has(f)),
          ...(s.blockedBySecLevel ? [`blocked@${report.secLevelInForce}`] : []),
        ].join(',') || '',
      min: 5,
    },
  ];
}

function wideColumns(report: ReturnType<typeof ciphersReport>): Column[] {
  return [
    { header: '#', cell: (_s, i) => i },
    { header: 'code', cell: (s) => s.code },
    { header: 'OpenSSL name', cell: (s) => s.openssl ?? '-' },
    { header: 'IANA name', cell: (s) => s.iana ?? '-' },
    { header: 'since', cell: (s) => s.protocol },
    { header: 'kx', cell: (s) => s.kx },
    { header: 'au', cell: (s) => s.au },
    { header: 'enc', cell: (s) => `${s.enc}(${s.bits})` },
    { header: 'mac', cell: (s) => s.mac },
    {
      header: 'flags',
      cell: (s) =>
        [
          ...s.flags,
          ...(s.blockedBySecLevel ? [`blocked@SECLEVEL${report.secLevelInForce}`] : []),
        ].join(',') || '-',
    },
    { header: 'from', cell: (s) => s.token ?? '' },
  ];
}

const GAP = '  ';

/** `text` cut to `width` columns with a final "…". */
function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/**
 * The table's lines: columns as wide as their widest cell; over `width`, the columns the suite
 * name already tells are left out, then the notes and the name are cut with "…".
 */
export function layoutTable(
  columns: Column[],
  rows: string[][],
  width: number | undefined,
): string[] {
  let keep = columns.map((_c, i) => i);
  const natural = columns.map((c, i) =>
    Math.max(c.header.length, ...rows.map((r) => r[i]!.length)),
  );
  const total = (idx: number[], w: number[]) =>
    idx.reduce((n, i) => n + w[i]!, 0) + GAP.length * (idx.length - 1);
  const widths = [...natural];
  if (width !== undefined) {
    const droppable = columns
      .map((c, i) => ({ c, i }))
      .filter(({ c }) => c.drop !== undefined)
      .sort((a, b) => a.c.drop! - b.c.drop!);
    for (const { i } of droppable) {
      if (total(keep, widths) <= width) break;
      keep = keep.filter((k) => k !== i);
    }
    // then cut the cuttable columns, the last one first
    for (const i of [...keep].reverse()) {
      const over = total(keep, widths) - width;
      if (over <= 0) break;
      const min = columns[i]!.min;
      if (min !== undefined)
        widths[i] = Math.max(
          min,
          Math.min(widths[i]!, widths[i]! - over),
          columns[i]!.header.length,
        );
    }
  }
  const fmt = (r: string[]) =>
    keep
      .map((i) => cut(r[i]!, widths[i]!).padEnd(widths[i]!))
      .join(GAP)
      .trimEnd();
  return [fmt(columns.map((c) => c.header)), ...rows.map(fmt)];
}

/** Columns a string takes on a terminal: colour codes take none. */
function visibleLength(text: string): number {
  // eslint-disable-next-line no-control-regex -- strips the ANSI colour codes it matches
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/**
 * `text` broken at spaces into lines of at most `width` columns, the first starting with
 * `first`, the others indented by `indent` spaces; a word longer than a line (a cipher string)
 * is broken after a ":" or "," where it can be, else anywhere.
 */
export function wrapLine(
  text: string,
  width: number | undefined,
  first = '',
  indent = 0,
): string[] {
  if (width === undefined || visibleLength(first) + text.length <= width) return [first + text];
  const lines: string[] = [];
  const pad = ' '.repeat(indent);
  let line = first;
  let fresh = true; // nothing but the prefix on the line yet
  for (let word of text.split(' ')) {
    const sep = fresh ? '' : ' ';
    if (visibleLength(line) + sep.length + word.length <= width) {
      line += sep + word;
      fresh = false;
      continue;
    }
    if (!fresh) {
      lines.push(line.trimEnd());
      line = pad;
      fresh = true;
    }
    while (visibleLength(line) + word.length > width) {
      const space = width - visibleLength(line);
      const soft = Math.max(word.lastIndexOf(':', space - 1), word.lastIndexOf(',', space - 1));
      const at = soft > space / 3 ? soft + 1 : Math.max(1, space);
      lines.push(line + word.slice(0, at));
      word = word.slice(at);
      line = pad;
    }
    line += word;
    fresh = word.length === 0;
  }
  if (!fresh) lines.push(line.trimEnd());
  return lines;
}

interface RenderOptions {
  /** Every column, no wrapping. */
  wide: boolean;
  width: number;
}

function renderText(
  report: ReturnType<typeof ciphersReport>,
  resolved: ResolvedCiphers,
  options: RenderOptions,
): string {
  const c = paletteFor(process.stdout);
  const width = options.wide ? undefined : options.width;
  const lines: string[] = [];
  const text = (line: string, first = '', indent = 2) =>
    lines.push(...wrapLine(escapeControl(line), width, first, indent));
  const fam = report.openssl
    ? ` — OpenSSL ${report.openssl.family} semantics (${report.openssl.target.source === 'assumed' ? `assumed ${report.openssl.target.platform} ${report.openssl.target.version}` : report.openssl.target.reason})`
    : '';
  for (const l of wrapLine(
    `${report.platform} cipher string "${escapeControl(report.input)}"${fam}`,
    width,
    '',
    2,
  ))
    lines.push(c.bold(l));
  const columns = options.wide ? wideColumns(report) : narrowColumns(report);
  const rowOf = (s: SuiteRow, index: string, suite: CipherSuite | undefined) => {
    const name = suiteName(s, report.platform, suite);
    return columns.map((col) => col.cell(s, index, name));
  };
  const rows = [
    ...report.tls13.map((s, n) => rowOf(s, '1.3', resolved.tls13[n]?.suite)),
    ...report.suites.map((s, n) => rowOf(s, String(n + 1), resolved.suites[n]?.suite)),
  ];
  if (rows.length) {
    const [header, ...body] = layoutTable(
      columns,
      rows.map((r) => r.map(escapeControl)),
      width,
    );
    lines.push(c.dim(header!), ...body);
  }
  lines.push(
    `${report.suites.length} TLS ≤1.2 suites, ${report.tls13.length} TLS 1.3 suites${resolved.tls13Configured ? '' : ' (platform default)'}${report.tls12Disabled ? '; TLS ≤1.2 switched off by the string' : ''}${report.orderIgnored ? '; Go ignores the order' : ''}`,
  );
  if (!options.wide && rows.length)
    lines.push(
      c.dim(
        'every column (codes, IANA names, the item that brought each suite in): --wide or --format json',
      ),
    );
  const level = report.securityLevel;
  if (level && (level.reenables || report.suites.some((s) => s.blockedBySecLevel))) {
    const what = level.reenables
      ? `security level 0 (${level.source}, for the whole TLS context; default ${DEFAULT_SECURITY_LEVEL}) also lets back in ${level.reenables.join(', ')}`
      : `security level ${level.level} (${level.source}) refuses the suites marked blocked at handshake time (anonymous, NULL, EXPORT, MD5-MAC)`;
    text(what, `${c.blue('note')}     `, 9);
  }
  for (const e of report.errors) text(e, `${c.red('error')}    `, 9);
  for (const w of report.warnings) text(w, `${c.yellow('warning')}  `, 9);
  lines.push(
    c.bold(`Mozilla "${report.profile.name}" profile:`) +
      (report.profile.findings.length ? '' : ' no finding'),
  );
  // A rule finding that repeats an expansion problem printed above is only referenced, not repeated.
  const printed = [...report.errors, ...report.warnings];
  for (const f of report.profile.findings) {
    const sev =
      f.severity === 'error'
        ? c.red(f.severity)
        : f.severity === 'warning'
          ? c.yellow(f.severity)
          : c.dim(f.severity);
    const repeats = printed.some((p) => f.message.includes(p));
    const message = repeats
      ? 'the problem above'
      : f.ruleId === loweredSecurityLevel.meta.id && level?.reenables
        ? 'security level 0: the note above; remove ":@SECLEVEL=0"'
        : f.message;
    text(`${message}  [${f.ruleId}]`, `  ${sev}${' '.repeat(9 - f.severity.length)}`, 11);
  }
  return lines.join('\n') + '\n';
}
