/**
 * Cipher facts of a TlsContext for the cipher rules: every known alternative of the context's
 * `ciphers` (and `tls13Ciphers`) setting resolved with the platform's semantics, with where to
 * report and how to name the origin in a message. Judging stays in the rules.
 */
import type { Targets } from '../config/targets.js';
import type { CipherSpec, TlsContext } from '../model/context.js';
import { definedElsewhere, type SourceRange } from '../model/location.js';
import { knownAlternatives, knownValues, type KnownSetting } from '../model/setting.js';
import {
  listSome,
  resolveCipherSpec,
  type CipherPlatform,
  type ResolvedCiphers,
  type ResolvedSuite,
} from './cipher-spec.js';
import { locate } from '../model/context.js';
import { displayName } from './cipher-suites.js';
import type { CipherSuite } from './suite-types.js';

export interface CipherView {
  setting: KnownSetting<CipherSpec>;
  /** One branch of a conditional setting. */
  conditional: boolean;
  resolved: ResolvedCiphers;
  /** Where a finding about this setting points. */
  at: SourceRange;
  /**
   * How the value came about, for messages: `in "ciphers"`, `in nginx's default "ssl_ciphers
   * HIGH:!aNULL:!MD5" (…)`, `(observed: …)`.
   */
  origin: string;
  /** TLS ≤1.2 can be negotiated (the protocols allow it and the string does not switch it off). */
  tls12Reachable: boolean;
  /**
   * The OpenSSL security level in force: `@SECLEVEL=n` from the string, else the platform's
   * usual default (1; 0 for OpenSSL 1.0.2, which has no levels). Suites below it are configured
   * but cannot be negotiated.
   */
  secLevel: number;
}

const PLATFORMS: readonly CipherPlatform[] = [
  'node',
  'python',
  'nginx',
  'apache',
  'haproxy',
  'openssl',
  'go',
  'envoy',
  'probe',
];

/**
 * Whose cipher semantics apply to a context: its language, unless the context says otherwise in
 * `notes.cipherPlatform` (e.g. `tls-lint ciphers --platform openssl`, a generic OpenSSL string).
 */
function cipherPlatformOf(context: TlsContext): CipherPlatform {
  const override = context.notes?.cipherPlatform as CipherPlatform | undefined;
  if (override && PLATFORMS.includes(override)) return override;
  switch (context.language) {
    case 'node':
      return 'node';
    case 'nginx':
      return 'nginx';
    case 'python':
      return 'python';
    case 'go':
      return 'go';
    case 'envoy':
      return 'envoy';
    case 'apache':
      return 'apache';
    case 'haproxy':
      return 'haproxy';
    case 'probe':
      return 'probe';
    default:
      return 'openssl';
  }
}

function originPhrase(setting: KnownSetting<CipherSpec>, conditional: boolean): string {
  const branch = conditional ? ' (in some branches)' : '';
  switch (setting.origin) {
    case 'explicit':
      return `in "${setting.key ?? 'ciphers'}"${definedElsewhere(setting.at)}${branch}`;
    case 'inherited':
      return `in "${setting.key ?? 'ciphers'}"${definedElsewhere(setting.at)} inherited from ${setting.from}${branch}`;
    case 'default':
      // readers word the reason as a noun phrase ("nginx's default "ssl_ciphers …" (…)", "Node 20
      // default ciphers (…)"): use it as is rather than nest its parentheses in ours
      return /\bdefault\b/i.test(setting.reason)
        ? `in ${setting.reason}${branch}`
        : `in the default cipher list (${setting.reason})${branch}`;
    case 'observed':
      return `(observed: ${setting.evidence})`;
  }
}

/** Whether the context's protocol setting leaves any TLS ≤1.2 version enabled. */
function protocolsAllowTls12(context: TlsContext): boolean {
  const values = knownValues(context.protocols);
  if (values.length === 0) return true;
  return values.some((set) => set.some((v) => v !== 'TLSv1.3'));
}

export function cipherViews(context: TlsContext, targets: Targets): CipherView[] {
  const platform = cipherPlatformOf(context);
  const out: CipherView[] = [];
  const conditional = context.ciphers?.origin === 'conditional';
  for (const setting of knownAlternatives(context.ciphers)) {
    const resolved = resolveCipherSpec(setting.value, targets, { platform });
    const defaultLevel =
      resolved.family === '1.0.2' ||
      platform === 'go' ||
      platform === 'envoy' ||
      platform === 'probe'
        ? 0
        : 1;
    out.push({
      setting,
      conditional,
      resolved,
      at: locate(setting, context),
      origin: originPhrase(setting, conditional),
      tls12Reachable: protocolsAllowTls12(context) && !resolved.tls12Disabled && !resolved.refused,
      secLevel: resolved.secLevel ?? defaultLevel,
    });
  }
  return out;
}

/** The TLS 1.3 list of a context set separately (nginx `ssl_conf_command Ciphersuites`). */
export function tls13Views(context: TlsContext, targets: Targets): CipherView[] {
  const platform = cipherPlatformOf(context);
  const conditional = context.tls13Ciphers?.origin === 'conditional';
  return knownAlternatives(context.tls13Ciphers).map((setting) => {
    const resolved = resolveCipherSpec(setting.value, targets, { platform });
    return {
      setting,
      conditional,
      resolved,
      at: locate(setting, context),
      origin: originPhrase(setting, conditional),
      tls12Reachable: false,
      secLevel: 1,
    };
  });
}

/** OpenSSL ≥1.1.0 refuses anonymous, NULL, EXPORT and MD5-MAC suites from security level 1. */
export function blockedBySecurityLevel(suite: CipherSuite, level: number): boolean {
  if (level < 1) return false;
  return suite.flags.some((f) => f === 'anon' || f === 'NULL' || f === 'EXPORT' || f === 'MD5');
}

/** Suites grouped by the token that brought them in, in first-seen order. */
export function groupByToken(
  suites: readonly ResolvedSuite[],
): Array<{ token: string | undefined; suites: CipherSuite[] }> {
  const groups = new Map<string, { token: string | undefined; suites: CipherSuite[] }>();
  for (const r of suites) {
    const key = r.token ?? '';
    const g = groups.get(key) ?? { token: r.token, suites: [] };
    g.suites.push(r.suite);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** `ADH-AES128-SHA, ADH-AES256-SHA, AECDH-AES128-SHA and 10 more` */
export function suiteList(suites: readonly CipherSuite[], max = 3): string {
  return listSome(suites.map(displayName), max);
}

/** `"ALL"`, `"ALL" and "ADH"`, `"A", "B" and "C"`, `"A", "B", "C" and 3 more` */
export function quoteTokens(tokens: ReadonlyArray<string | undefined>, max = 4): string {
  const t = [...new Set(tokens.filter((x): x is string => !!x))].map((x) => `"${x}"`);
  if (t.length <= 1) return t[0] ?? '';
  if (t.length > max) return `${t.slice(0, max - 1).join(', ')} and ${t.length - max + 1} more`;
  return `${t.slice(0, -1).join(', ')} and ${t[t.length - 1]!}`;
}
