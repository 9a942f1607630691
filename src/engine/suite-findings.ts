/**
 * Shared plumbing of the suite rules (insecure-cipher-suite, cbc-cipher-suite,
 * no-forward-secrecy): find the enabled suites a rule's categories select, group them by the
 * token that brought them in, and word the finding. The rules decide the categories and the
 * severities.
 */
import type { RuleContext, RuleReport } from './rule-api.js';
import type { TlsContext } from '../model/context.js';
import { oneStepLower } from '../model/finding.js';
import type { CipherSpec } from '../model/context.js';
import { plural } from './rule-helpers.js';
import {
  blockedBySecurityLevel,
  cipherViews,
  groupByToken,
  quoteTokens,
  suiteList,
  type CipherView,
} from '../crypto/context-ciphers.js';
import { displayName, suiteKey } from '../crypto/cipher-suites.js';
import type { SuiteCategory } from '../crypto/suite-categories.js';
import type { CipherSuite } from '../crypto/suite-types.js';

/**
 * PSK and SRP suites can only be negotiated when the application installs PSK/SRP callbacks,
 * which a config file does not show; a configured-but-unusable suite is not reported (the probe
 * reports them when it sees them accepted).
 */
function usable(suite: CipherSuite, view: CipherView): boolean {
  if (view.setting.origin === 'observed') return true;
  return !suite.flags.includes('PSK') && !suite.flags.includes('SRP');
}

/** The token is the suite's own name (`AES128-SHA`, an alias spelling, or its IANA name). */
function namesSuite(token: string, suite: CipherSuite): boolean {
  return (
    token === suite.openssl || token === suite.iana || (suite.opensslAliases ?? []).includes(token)
  );
}

function fixPhrase(
  category: SuiteCategory,
  spec: CipherSpec,
  suites: readonly CipherSuite[],
): string {
  switch (spec.syntax) {
    case 'openssl':
    case 'node':
      if (!category.opensslFix) return 'remove them from the list';
      return `add "${typeof category.opensslFix === 'function' ? category.opensslFix(suites) : category.opensslFix}"`;
    case 'go':
      return `remove ${suites
        .map((s) => `tls.${s.go?.[0] ?? displayName(s)}`)
        .slice(0, 3)
        .join(', ')}${suites.length > 3 ? ' …' : ''} from CipherSuites`;
    case 'boringssl':
      return `remove ${suites
        .map((s) => s.boringssl ?? displayName(s))
        .slice(0, 3)
        .join(', ')}${suites.length > 3 ? ' …' : ''} from cipher_suites`;
    case 'suites':
      return 'disable them in the server configuration';
    default:
      return 'remove them';
  }
}

/** Where the cipher setting came from: `set in "ciphers"`, the platform default, what the probe saw. */
function evidenceOf(view: CipherView): string {
  switch (view.setting.origin) {
    case 'observed':
      return `observed: ${view.setting.evidence}`;
    case 'default':
      return view.origin.replace(/^in /, '');
    default:
      return `set ${view.origin}`;
  }
}

/**
 * The fix for suites that come from the platform's default list: write the setting, since there is
 * nothing in the configuration to edit (`ssl_ciphers HIGH:!aNULL:!MD5:!SHA1:!SHA256:!SHA384`).
 */
function defaultFix(
  category: SuiteCategory,
  spec: CipherSpec,
  key: string | undefined,
  suites: readonly CipherSuite[],
): string {
  const name = key ?? 'ciphers';
  if ((spec.syntax === 'openssl' || spec.syntax === 'node') && category.opensslFix) {
    const token =
      typeof category.opensslFix === 'function' ? category.opensslFix(suites) : category.opensslFix;
    const example =
      spec.text.length <= 40
        ? `"${spec.text}:${token}"`
        : `the default list with ":${token}" appended`;
    return `configure "${name}" yourself, e.g. ${example}`;
  }
  return `configure "${name}" yourself, with a list without ${suites.length === 1 ? 'it' : 'them'}`;
}

/**
 * One report per category and cipher setting alternative that enables such suites.
 *
 * A platform's default list is judged like the same list written out (the probe sees the same
 * suites on the running server), at the profile's severity, with a message that says it is the
 * default and a fix that writes the setting. Two limits keep that precise:
 * - servers only: a client's default offer is the platform's compatibility choice, and the server
 *   picks the suite (a client list the user wrote is still judged);
 * - the same default is one finding per run (`platformDefault`): the engine keeps the first and
 *   says how many other servers rely on it, so every Node, Go or nginx server without a cipher
 *   list does not repeat it.
 */
export function reportSuiteCategories(
  context: TlsContext,
  env: RuleContext,
  categories: readonly SuiteCategory[],
): RuleReport[] {
  const reports: RuleReport[] = [];
  const seen = new Set<string>();
  for (const view of cipherViews(context, env.targets)) {
    if (!view.tls12Reachable) continue;
    const isDefault = view.setting.origin === 'default';
    if (isDefault && context.role !== 'server') continue;
    const taken = new Set<CipherSuite>();
    for (const category of categories) {
      const severity = category.severity(env.policy.profile);
      if (!severity) continue;
      const hits = view.resolved.suites.filter(
        (r) => !taken.has(r.suite) && usable(r.suite, view) && category.selects(r.suite),
      );
      if (hits.length === 0) continue;
      for (const h of hits) taken.add(h.suite);
      const suites = hits.map((h) => h.suite);
      const blocked = suites.every((s) => blockedBySecurityLevel(s, view.secLevel));
      const what = `${plural(suites.length, `${category.label} suite`)} (${suiteList(suites)})`;
      let headline: string;
      let fix = isDefault
        ? defaultFix(category, view.setting.value, view.setting.key, suites)
        : fixPhrase(category, view.setting.value, suites);
      if (view.setting.origin === 'observed') {
        headline = `The endpoint accepts ${what}`;
      } else if (view.resolved.syntax === 'openssl' || view.resolved.syntax === 'node') {
        const groups = groupByToken(hits);
        // a plain list of suite names: the names are the tokens, no need to quote them twice
        const onlyNames = groups.every(
          (g) =>
            g.token !== undefined && g.suites.length === 1 && namesSuite(g.token, g.suites[0]!),
        );
        const tokens = groups.map((g) => g.token);
        const quoted = quoteTokens(tokens);
        headline = onlyNames
          ? `The cipher string names ${what}`
          : quoted
            ? `${quoted} ${new Set(tokens.filter(Boolean)).size > 1 ? 'enable' : 'enables'} ${what}`
            : `The cipher string enables ${what}`;
        if (onlyNames) fix = `remove ${suites.length === 1 ? 'it' : 'them'} from the list`;
      } else {
        headline = `The cipher suites include ${what}`;
      }
      // The reason follows a dash: it often holds a colon of its own.
      const note = context.notes?.ciphers ? ` (${context.notes.ciphers})` : '';
      let evidence = `${evidenceOf(view)}${note}${category.why ? ` — ${category.why}` : ''}`;
      if (blocked)
        evidence += ` (OpenSSL's security level ${view.secLevel} refuses them today, but "@SECLEVEL=0" or another OpenSSL build would allow them)`;
      fix = suites.length === 1 ? fix.replace(/\bthem\b/, 'it') : fix;
      if (context.notes?.ciphersFix) fix = context.notes.ciphersFix;
      const key = `${view.at.file}:${view.at.line}:${view.at.column}:${headline}:${evidence}`;
      if (seen.has(key)) continue;
      seen.add(key);
      reports.push({
        headline,
        evidence,
        fix,
        at: view.at,
        severity: blocked ? oneStepLower(severity) : severity,
        observable: { items: suites.map(suiteKey) },
        ...(isDefault && { platformDefault: true as const }),
      });
    }
  }
  return reports;
}
