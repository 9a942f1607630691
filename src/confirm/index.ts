/**
 * Confirm mode (`tls-lint [paths] --confirm`): each static finding checked on the running
 * endpoint of the config that produced it, and drift between config and reality.
 *
 * The probe judges a live endpoint with the same rules as the linter (src/probe/observations.ts);
 * here the two verdicts meet. A rule's meta says which observations it judges
 * (`probe.observes`); a finding says which items it is about (protocol versions, suites, a key).
 * A finding is `confirmed` when the rule fires on the endpoint for one of its items, `refuted`
 * when the endpoint was seen and it does not (with the reason when the config tells one),
 * `inconclusive` when the endpoint could not be reached or the observation could not be made,
 * `not-probed` when nothing an outside connection sees can show it. A weakness the endpoint shows
 * that its configuration does not explain is a `live-only` finding at the server block.
 *
 * Only the addresses the configs name (or the user maps with --endpoint) are contacted; each
 * endpoint is probed once, a few at a time, within the probe's connection cap and a deadline.
 */
import path from 'node:path';
import { RULES } from '../../rules/index.js';
import type { Policy } from '../config/policy.js';
import { Targets } from '../config/targets.js';
import { checkContext } from '../engine/check.js';
import { mtlsIntent } from '../engine/mtls-intent.js';
import { certificateName } from '../crypto/certificate-facts.js';
import { fingerprintOf } from '../engine/fingerprint.js';
import type { ObservableRuleProbe, ProbeObservable, Rule } from '../engine/rule-api.js';
import type { TlsContext } from '../model/context.js';
import {
  findingText,
  joinMessage,
  type EndpointVerdict,
  type Finding,
  type MessageParts,
  type ProbeVerdict,
} from '../model/finding.js';
import { compareRanges, type SourceRange } from '../model/location.js';
import type { ProbeOptions, ProbeResult } from '../probe/index.js';
import { buildProbeContext } from '../probe/observations.js';
import type { ProbeEndpoint } from '../probe/target.js';
import {
  endpointsOf,
  isEndpoint,
  type ConfirmEndpoint,
  type EndpointMapping,
  type NoEndpoint,
} from './endpoints.js';
import {
  configExplains,
  configText,
  describeItems,
  observableOfItem,
  observedText,
  servedLeaf,
  unseen,
} from './observables.js';

/** Endpoints probed at the same time; each gets an equal share of the probe's connection cap. */
const ENDPOINT_CONCURRENCY = 4;

/** The rule id of a live-only finding about a served certificate other than the configured one. */
const CONFIG_DRIFT_RULE = 'config-drift';

export interface ConfirmInput {
  findings: readonly Finding[];
  contexts: readonly TlsContext[];
  cwd: string;
  targetsFor(file: string): Targets;
  /** Text of a source line, for fingerprints of live-only findings. */
  lineText(file: string, line: number): string;
}

export interface ConfirmOptions {
  policy: Policy;
  mappings?: readonly EndpointMapping[];
  /** Deadline of every connect and read (the probe's --timeout), ms. */
  timeoutMs: number;
  /** Wall-clock limit for the whole confirmation, ms; endpoints not done by then are inconclusive. */
  deadlineMs?: number;
  /** The probe (tests inject one). */
  probe?: (endpoint: ProbeEndpoint, options: ProbeOptions) => Promise<ProbeResult>;
}

/** One probed endpoint, for the report's `endpoints`. */
export interface EndpointReport {
  endpoint: string;
  sni?: string;
  source: SourceRange;
  reachable: boolean;
  /** At least one protocol version was negotiated. */
  tested: boolean;
  durationMs: number;
  /** Why it could not be reached or tested. */
  error?: string;
  mappedBy?: string;
}

export interface ConfirmResult {
  /** The static findings with `probe` set, and the live-only findings, in report order. */
  findings: Finding[];
  endpoints: EndpointReport[];
}

interface Outcome {
  endpoint: ConfirmEndpoint;
  report: EndpointReport;
  result?: ProbeResult;
  live?: TlsContext;
}

export async function confirm(
  input: ConfirmInput,
  options: ConfirmOptions,
): Promise<ConfirmResult> {
  const { endpoints, byContext } = endpointsOf(input.contexts, options.mappings ?? [], input.cwd);
  const outcomes = await probeAll(endpoints, options);
  const contextsById = new Map(input.contexts.map((c) => [c.id, c]));
  const targetsOfContext = (c: TlsContext) => input.targetsFor(c.at.file);
  const judge = new Judge(byContext, outcomes, contextsById, options.policy, targetsOfContext);

  const findings = input.findings.map((f) => ({ ...f, probe: judge.verdict(f) }));
  const drift = endpoints.flatMap((e) => judge.drift(outcomes.get(e)!, input));
  const all = [...findings, ...drift].sort(
    (a, b) => compareRanges(a.at, b.at) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
  return { findings: all, endpoints: endpoints.map((e) => outcomes.get(e)!.report) };
}

/** Probes every endpoint once: a few at a time, each within the timeout, all within the deadline. */
async function probeAll(
  endpoints: readonly ConfirmEndpoint[],
  options: ConfirmOptions,
): Promise<Map<ConfirmEndpoint, Outcome>> {
  const outcomes = new Map<ConfirmEndpoint, Outcome>();
  if (endpoints.length === 0) return outcomes;
  const probeModule = await import('../probe/index.js');
  const { MAX_CONCURRENCY } = await import('../probe/raw/scan.js');
  const run = options.probe ?? probeModule.probe;
  const share = Math.max(
    1,
    Math.floor(MAX_CONCURRENCY / Math.min(ENDPOINT_CONCURRENCY, endpoints.length)),
  );
  const started = Date.now();
  const deadline = options.deadlineMs !== undefined ? started + options.deadlineMs : undefined;

  const one = async (endpoint: ConfirmEndpoint): Promise<Outcome> => {
    const t0 = Date.now();
    const base = {
      endpoint: endpoint.label,
      ...(endpoint.sni !== undefined && { sni: endpoint.sni }),
      source: endpoint.source,
      ...(endpoint.mappedBy && { mappedBy: endpoint.mappedBy }),
    };
    /** An endpoint whose TLS was not tested, and why. */
    const untested = (reachable: boolean, durationMs: number, error: string): Outcome => ({
      endpoint,
      report: { ...base, reachable, tested: false, durationMs, error },
    });
    const remaining = deadline === undefined ? undefined : deadline - t0;
    if (remaining !== undefined && remaining <= 0)
      return untested(false, 0, `not probed: the ${options.deadlineMs!} ms deadline had passed`);
    const probing = run(
      {
        host: endpoint.host,
        port: endpoint.port,
        ...(endpoint.sni !== undefined && { sni: endpoint.sni }),
      },
      { timeoutMs: options.timeoutMs, concurrency: share, policy: options.policy },
    );
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      if (remaining !== undefined) timer = setTimeout(() => resolve('late'), remaining);
    });
    try {
      const result = await Promise.race([probing, late]);
      if (result === 'late') {
        probing.catch(() => undefined);
        return untested(
          true,
          Date.now() - t0,
          `the probe did not finish within the ${options.deadlineMs!} ms deadline`,
        );
      }
      const live = buildProbeContext({
        endpoint: result.endpoint,
        ...(result.scan && { scan: result.scan }),
        ...(result.scanError && { scanError: result.scanError }),
        clientAuth: result.clientAuth,
        certificates: result.certificates,
      });
      const error = result.tested
        ? undefined
        : `no protocol version could be negotiated${result.scanError ? ` (${result.scanError})` : ''}`;
      return {
        endpoint,
        result,
        live,
        report: {
          ...base,
          reachable: true,
          tested: result.tested,
          durationMs: result.durationMs,
          ...(error && { error }),
        },
      };
    } catch (e) {
      const unreachable = e instanceof probeModule.TargetUnreachableError;
      return untested(
        false,
        Date.now() - t0,
        unreachable ? e.message : `the probe failed: ${(e as Error).message}`,
      );
    } finally {
      if (timer) clearTimeout(timer);
    }
  };

  let next = 0;
  const workers = Array.from(
    { length: Math.min(ENDPOINT_CONCURRENCY, endpoints.length) },
    async () => {
      while (next < endpoints.length) {
        const endpoint = endpoints[next++]!;
        outcomes.set(endpoint, await one(endpoint));
      }
    },
  );
  await Promise.all(workers);
  return outcomes;
}

function endpointName(e: Pick<ConfirmEndpoint, 'label' | 'sni'>): string {
  return `${e.label}${e.sni ? ` (SNI "${e.sni}")` : ''}`;
}

const SHOWN_VERB: Record<ProbeObservable, string> = {
  protocols: 'accepted',
  'cipher-suites': 'accepted',
  'client-certificate-request': 'shown',
  'client-certificate-verification': 'shown',
  'served-certificate': 'served',
  'dh-group': 'used',
  'key-exchange-groups': 'used',
  handshakes: 'failing',
};

const REFUSED_VERB: Record<ProbeObservable, string> = {
  protocols: 'refused',
  'cipher-suites': 'not accepted',
  'client-certificate-request': 'not shown',
  'client-certificate-verification': 'not shown',
  'served-certificate': 'not served',
  'dh-group': 'not used',
  'key-exchange-groups': 'not used',
  handshakes: 'not failing',
};

class Judge {
  private readonly rules = new Map<string, Rule>(RULES.map((r) => [r.meta.id, r]));
  private readonly liveCache = new Map<Outcome, Finding[]>();

  constructor(
    private readonly byContext: ReadonlyMap<string, ConfirmEndpoint | NoEndpoint>,
    private readonly outcomes: ReadonlyMap<ConfirmEndpoint, Outcome>,
    private readonly contexts: ReadonlyMap<string, TlsContext>,
    private readonly policy: Policy,
    private readonly targetsOf: (c: TlsContext) => Targets,
  ) {}

  verdict(f: Finding): ProbeVerdict {
    const rule = this.rules.get(f.ruleId);
    if (!rule) return { status: 'not-probed', evidence: 'not a rule the probe can check' };
    const probe = rule.meta.probe;
    if (!probe.observes) return { status: 'not-probed', evidence: probe.notObservable };
    if (f.observable?.notObservable)
      return { status: 'not-probed', evidence: f.observable.notObservable };
    const ids = f.contextIds ?? (f.contextId !== undefined ? [f.contextId] : []);
    const places = ids.map((id) => this.byContext.get(id)).filter((p) => p !== undefined);
    const endpoints = [...new Set(places.filter(isEndpoint))];
    const without = places.filter((p): p is NoEndpoint => !isEndpoint(p));
    if (endpoints.length === 0) {
      return {
        status: 'not-probed',
        evidence: without[0]?.reason ?? 'the finding is not tied to a configured endpoint',
      };
    }
    const results: EndpointVerdict[] = endpoints.map((e) => this.atEndpoint(f, probe, e));
    // A server whose address is unknown might show it: refuted needs every place to refute.
    const unknownPlaces = without.filter((p) => !p.reason.includes('TLS client'));
    const confirmed = results.find((r) => r.status === 'confirmed');
    const status = confirmed
      ? 'confirmed'
      : results.every((r) => r.status === 'refuted') && unknownPlaces.length === 0
        ? 'refuted'
        : 'inconclusive';
    const lead = confirmed ?? results[0]!;
    const several = results.length > 1 || unknownPlaces.length > 0;
    const evidence = several
      ? [
          ...results.map(
            (r) =>
              `${endpointName({ label: r.endpoint, ...(r.sni !== undefined && { sni: r.sni }) })}: ${r.status}: ${r.evidence}`,
          ),
          ...unknownPlaces.map((p) => `not probed: ${p.reason}`),
        ].join(' | ')
      : lead.evidence;
    return {
      status,
      endpoint: lead.endpoint,
      ...(lead.sni !== undefined && { sni: lead.sni }),
      evidence,
      ...(several && { endpoints: results }),
    };
  }

  private atEndpoint(
    f: Finding,
    probe: ObservableRuleProbe,
    endpoint: ConfirmEndpoint,
  ): EndpointVerdict {
    const outcome = this.outcomes.get(endpoint)!;
    const base = {
      endpoint: endpoint.label,
      ...(endpoint.sni !== undefined && { sni: endpoint.sni }),
    };
    const inconclusive = (why: string): EndpointVerdict => ({
      ...base,
      status: 'inconclusive',
      evidence: why,
    });
    if (!outcome.report.reachable)
      return inconclusive(
        `the endpoint could not be reached: ${outcome.report.error ?? 'no connection'}`,
      );
    // A config that leaves nothing to negotiate is confirmed by an endpoint that accepts TCP but no hello.
    if (probe.observes.includes('handshakes') && outcome.result) {
      return outcome.report.tested
        ? {
            ...base,
            status: 'refuted',
            evidence: observedText('handshakes', outcome.live!, this.targetsOf(outcome.live!)),
          }
        : {
            ...base,
            status: 'confirmed',
            evidence: `every handshake failed: ${outcome.report.error ?? 'no protocol version could be negotiated'}`,
          };
    }
    if (!outcome.report.tested || !outcome.result || !outcome.live)
      return inconclusive(outcome.report.error ?? 'nothing could be tested');
    const live = outcome.live;
    const items = f.observable?.items;
    const relevant = items?.length
      ? [...new Set(items.map((i) => observableOfItem(i, probe.observes)))]
      : [...probe.observes];
    const seen = relevant.filter((o) => unseen(o, live) === undefined);
    if (seen.length === 0)
      return inconclusive(`could not observe it: ${unseen(relevant[0]!, live)!}`);

    const liveFindings = this.liveFindings(outcome).filter((l) => l.ruleId === f.ruleId);
    const ctx = this.firstContext(f);
    const targets = ctx ? this.targetsOf(ctx) : undefined;
    if (items?.length) {
      const liveItems = new Set(liveFindings.flatMap((l) => l.observable?.items ?? []));
      const shown = items.filter((i) => liveItems.has(i));
      if (shown.length) {
        const messages = liveFindings
          .filter((l) => l.observable?.items?.some((i) => shown.includes(i)))
          .map((l) => findingText(l).statement);
        const missing = items.filter((i) => !liveItems.has(i) && !i.startsWith('cert:'));
        return {
          ...base,
          status: 'confirmed',
          evidence: `${messages.join('; ')}${missing.length && !shown.some((i) => i.startsWith('key:')) ? ` (${describeItems(missing)} ${REFUSED_VERB[observableOfItem(missing[0]!, probe.observes)]})` : ''}`,
        };
      }
      const o = observableOfItem(items[0]!, probe.observes);
      const why = unseen(o, live);
      if (why !== undefined) return inconclusive(`could not observe it: ${why}`);
      const reason =
        ctx && targets ? probe.refusal?.(ctx, { policy: this.policy, targets }, items) : undefined;
      return {
        ...base,
        status: 'refuted',
        evidence: `${describeItems(items)} ${REFUSED_VERB[o]}${reason ? `: ${reason}` : ''}; ${observedText(o, live, targets ?? this.targetsOf(live))}`,
      };
    }
    if (liveFindings.length)
      return {
        ...base,
        status: 'confirmed',
        evidence: liveFindings.map((l) => findingText(l).statement).join('; '),
      };
    return {
      ...base,
      status: 'refuted',
      evidence: `not shown by the endpoint: ${seen.map((o) => observedText(o, live, targets ?? this.targetsOf(live))).join('; ')}`,
    };
  }

  /**
   * The rules' findings on what the endpoint showed. Under `--mtls auto` a server that shows no
   * sign of mTLS is not judged for client certificates; where its configuration means mTLS, the
   * endpoint is judged as required to, so one that no longer asks for certificates is seen.
   */
  private liveFindings(outcome: Outcome): Finding[] {
    let cached = this.liveCache.get(outcome);
    if (!cached) {
      const contexts = outcome.endpoint.contextIds
        .map((id) => this.contexts.get(id))
        .filter((c) => c !== undefined);
      const intent =
        this.policy.mtls === 'auto'
          ? contexts.map((c) => mtlsIntent(c, this.policy)).find((i) => i.applies)
          : undefined;
      // Required because the configuration means it, not because of a --mtls flag the user did not pass.
      const policy: Policy | undefined = intent && {
        ...this.policy,
        mtls: 'required',
        mtlsBecause: `the configuration means mutual TLS (${intent.because})`,
      };
      cached =
        policy && outcome.live
          ? checkContext(outcome.live, RULES, { policy, targets: new Targets(new Map()) }).findings
          : (outcome.result?.findings ?? []);
      this.liveCache.set(outcome, cached);
    }
    return cached;
  }

  private firstContext(f: Finding): TlsContext | undefined {
    const id = f.contextIds?.[0] ?? f.contextId;
    return id !== undefined ? this.contexts.get(id) : undefined;
  }

  /** Weaknesses the endpoint shows that its configuration does not explain. */
  drift(outcome: Outcome, input: ConfirmInput): Finding[] {
    if (!outcome.result || !outcome.live || !outcome.report.tested) return [];
    const live = outcome.live;
    const contexts = outcome.endpoint.contextIds
      .map((id) => this.contexts.get(id))
      .filter((c) => c !== undefined);
    if (contexts.length === 0) return [];
    const ids = new Set(outcome.endpoint.contextIds);
    const staticFindings = input.findings.filter((f) =>
      (f.contextIds ?? (f.contextId !== undefined ? [f.contextId] : [])).some((id) => ids.has(id)),
    );
    const explains = (o: ProbeObservable, item?: string) =>
      configExplains(o, contexts, item, live, this.targetsOf);
    const out: Finding[] = [];
    const where = contexts[0]!;
    const name = endpointName(outcome.endpoint);

    for (const l of this.liveFindings(outcome)) {
      const rule = this.rules.get(l.ruleId);
      const probe = rule?.meta.probe;
      if (!rule || !probe?.observes) continue;
      const ours = staticFindings.filter((f) => f.ruleId === l.ruleId);
      const items = l.observable?.items;
      let shown: string;
      let because: string;
      if (items?.length) {
        const byObservable = new Map<ProbeObservable, string[]>();
        for (const i of items)
          byObservable.set(observableOfItem(i, probe.observes), [
            ...(byObservable.get(observableOfItem(i, probe.observes)) ?? []),
            i,
          ]);
        const unexplained: Array<{ o: ProbeObservable; items: string[] }> = [];
        for (const [o, group] of byObservable) {
          const explained = (i: string) =>
            ours.some((f) => f.observable?.items?.includes(i)) || explains(o, i);
          // A certificate is one thing however many items name it (its hash, its key).
          const open =
            o === 'served-certificate'
              ? group.some(explained)
                ? []
                : group
              : group.filter((i) => !explained(i));
          if (open.length) unexplained.push({ o, items: open });
        }
        if (unexplained.length === 0) continue;
        shown = unexplained.map((u) => `${describeItems(u.items)} ${SHOWN_VERB[u.o]}`).join(', ');
        because = unexplained.map((u) => configText(u.o, contexts)).join('; ');
      } else {
        if (ours.length || probe.observes.some((o) => explains(o))) continue;
        shown = rule.meta.title.charAt(0).toLowerCase() + rule.meta.title.slice(1);
        because = configText(probe.observes[0]!, contexts);
      }
      const parts = driftParts(
        `Live only: ${shown} on ${name}`,
        `the configuration of ${where.label} does not explain it (${because})`,
      );
      out.push(this.liveOnly(l, where, outcome.endpoint, parts, findingText(l).statement, input));
    }

    // A different certificate than the configured one, weak or not.
    const leaf = servedLeaf(live);
    if (leaf && !explains('served-certificate')) {
      const parts = driftParts(
        `Live only: ${name} serves certificate ${certificateName(leaf)} (SHA-256 ${leaf.fingerprint256.slice(0, 23)}…, valid until ${leaf.notAfter.slice(0, 10)})`,
        configText('served-certificate', contexts),
      );
      const drift: Finding = {
        ruleId: CONFIG_DRIFT_RULE,
        severity: 'warning',
        message: joinMessage(parts),
        ...parts,
        at: where.at,
        language: where.language,
        precision: 'high',
        fingerprint: '',
      };
      out.push(
        this.liveOnly(
          drift,
          where,
          outcome.endpoint,
          parts,
          `${name} serves certificate ${certificateName(leaf)}, SHA-256 ${leaf.fingerprint256}`,
          input,
        ),
      );
    }
    return out;
  }

  private liveOnly(
    l: Finding,
    where: TlsContext,
    endpoint: ConfirmEndpoint,
    parts: MessageParts,
    evidence: string,
    input: ConfirmInput,
  ): Finding {
    const at = where.at;
    const rel = path.relative(input.cwd, at.file).split(path.sep).join('/');
    return {
      ruleId: l.ruleId,
      severity: l.severity,
      message: joinMessage(parts),
      ...parts,
      at: {
        file: at.file,
        line: at.line,
        column: at.column,
        endLine: at.line,
        endColumn: at.line === at.endLine ? at.endColumn : at.column + 1,
      },
      language: where.language,
      precision: l.precision,
      fingerprint: fingerprintOf(
        l.ruleId,
        rel,
        `${input.lineText(at.file, at.line)}\0live:${endpoint.label}\0${l.observable?.items?.join(',') ?? ''}`,
        0,
      ),
      contextId: where.id,
      contextIds: [where.id],
      probe: {
        status: 'live-only',
        endpoint: endpoint.label,
        ...(endpoint.sni !== undefined && { sni: endpoint.sni }),
        evidence,
      },
    };
  }
}

/**
 * A live-only finding's parts: what the endpoint shows, what the configuration says instead, and
 * the way out (the running server is not running this configuration).
 */
function driftParts(headline: string, evidence: string): MessageParts {
  return {
    headline,
    evidence,
    fix: 'the running server does not use this configuration (not reloaded, another file, or another deployment): reload it, or lint the configuration it runs',
  };
}
