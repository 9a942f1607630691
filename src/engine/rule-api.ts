/**
 * The contract between the engine and the rules in `rules/<id>/index.ts`.
 *
 * A rule sees only the normalized model (`TlsContext`), the policy and the targets. It never
 * imports a parser or an AST type; it may import the shared fact tables (`src/model`,
 * `src/crypto`, `src/config`).
 */
import type { Policy } from '../config/policy.js';
import type { Targets } from '../config/targets.js';
import type { Language, TlsContext } from '../model/context.js';
import type { Observable, Precision, Severity } from '../model/finding.js';
import type { SourceRange } from '../model/location.js';

export type RuleCategory =
  | 'protocol'
  | 'cipher'
  | 'verification'
  | 'client-auth'
  | 'key'
  | 'certificate'
  | 'api';

export interface RuleMeta {
  /** kebab-case id, used verbatim everywhere (CLI, suppressions, SARIF, ESLint, docs URL). */
  id: string;
  /** One line, imperative or descriptive: "TLS 1.0/1.1 or SSL enabled". */
  title: string;
  category: RuleCategory;
  defaultSeverity: Severity;
  /** CWE numbers, e.g. [327]. */
  cwe: number[];
  /** OWASP mappings, e.g. ['A02:2021', 'API8:2023']. */
  owasp: string[];
  /** How often a finding of this rule is a real problem when the context is a known TLS API. */
  precision: Precision;
  /**
   * How confirm mode (`tls-lint --confirm`) checks a finding of this rule on the running endpoint:
   * which observations of the live probe the rule judges, or why none can show it. Declaring
   * `observes` is all a rule needs for confirm support: the rule itself judges the probe's
   * observed context, and confirm mode compares.
   */
  probe: RuleProbe;
  /** Whether an automatic fix/suggestion exists. */
  fixable: boolean;
  /**
   * The input languages the rule can fire on, when not all (e.g. a Go-only setting). Hosts that
   * read one language (the ESLint plugin) expose only the rules that apply to it.
   */
  languages?: readonly Language[];
}

/**
 * The observations of a live endpoint that confirm mode compares with a configuration, each a
 * field of the probe's context (src/probe/observations.ts):
 * - `protocols`: versions a ServerHello was seen for;
 * - `cipher-suites`: suites the server chose, per version;
 * - `client-certificate-request`: whether a client certificate is requested and required;
 * - `client-certificate-verification`: whether an untrusted client certificate is refused;
 * - `served-certificate`: the chain the server sends (key, signature, validity, issuer);
 * - `dh-group`: the DHE group size of a ServerKeyExchange;
 * - `key-exchange-groups`: the groups the server agreed to;
 * - `handshakes`: whether any handshake completes at all (reachable, but nothing negotiated).
 */
export const PROBE_OBSERVABLES = [
  'protocols',
  'cipher-suites',
  'client-certificate-request',
  'client-certificate-verification',
  'served-certificate',
  'dh-group',
  'key-exchange-groups',
  'handshakes',
] as const;
export type ProbeObservable = (typeof PROBE_OBSERVABLES)[number];

/** A rule whose findings the probe can show (or not) on a running server. */
export interface ObservableRuleProbe {
  observes: readonly ProbeObservable[];
  /** How the probe shows it, one phrase for the docs. */
  how: string;
  /**
   * Why a configured weakness may not be live, when the rule can tell from the configuration
   * (TLS 1.0 in a list that OpenSSL 3's security level refuses). Called for refuted findings only;
   * `items` are the finding's items that the endpoint did not show.
   */
  refusal?(context: TlsContext, env: RuleContext, items: readonly string[]): string | undefined;
}

/** A rule that judges what no outside connection can see (a TLS client, an API choice). */
export interface UnobservableRuleProbe {
  observes?: undefined;
  /** Why the probe cannot show it: `it is about a TLS client's checks of its peer`. */
  notObservable: string;
}

export type RuleProbe = ObservableRuleProbe | UnobservableRuleProbe;

/**
 * What a rule reports; the engine adds rule id, severity, language, fingerprint, precision, and
 * joins the parts into the finding's `message` (`joinMessage`). The parts are all required, so a
 * rule cannot forget the fix or where the value came from:
 * - `headline`: what is wrong, with the value, short (`TLS 1.0 enabled in server{}`);
 * - `evidence`: where the value came from — the setting as written (`originClause`), the block it
 *   was inherited from, the platform default with its version and file:line, what the probe saw;
 *   `undefined` only when the headline already says it all;
 * - `fix`: what to do instead, in the platform's terms (`forLanguage`), starting in lower case.
 */
export interface RuleReport extends ReportParts {
  at: SourceRange;
  /** Overrides the rule's default severity (e.g. severity that follows the Mozilla profile). */
  severity?: Severity;
  /** What of a live endpoint this report is about, for confirm mode (see {@link Observable}). */
  observable?: Observable;
  /**
   * About a platform default that every context without the setting shares (a default cipher
   * list): hosts report the same message once per run, saying how many contexts rely on it.
   */
  platformDefault?: true;
}

/** The message parts of a report; `evidence` must be given, even when it is `undefined`. */
export interface ReportParts {
  headline: string;
  evidence: string | undefined;
  fix: string;
}

export interface RuleContext {
  policy: Policy;
  /** The targets in force for the context's file. */
  targets: Targets;
}

export interface Rule {
  meta: RuleMeta;
  check(context: TlsContext, env: RuleContext): RuleReport[];
}

export const OWASP_CRYPTO = ['A02:2021', 'API8:2023'] as const;

/** The project's home; package.json `repository`, `homepage` and `bugs` say the same (tested). */
export const REPOSITORY_URL = 'https://github.com/tls-lint/tls-lint';

/** Where a rule's README is published; messages, SARIF, JSON and `tls-lint rules` link to it. */
export function ruleDocsUrl(id: string): string {
  return `${REPOSITORY_URL}/blob/main/rules/${id}/README.md`;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
