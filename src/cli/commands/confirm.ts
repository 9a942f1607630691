/**
 * The `--confirm` options of `tls-lint [paths]`: after linting, probe the endpoints the configs
 * name and attach to each finding what the running server shows (src/confirm/).
 */
import type { Command } from 'commander';
import type { Policy } from '../../config/policy.js';
import { UsageError } from '../../config/targets.js';
import type { Finding } from '../../model/finding.js';
import type { LintResult } from '../../engine/lint.js';
import type { EndpointReport } from '../../confirm/index.js';
import { parseEndpointMapping } from '../../confirm/endpoints.js';

/** Keep in step with DEFAULT_PROBE_TIMEOUT_MS in src/probe/index.ts (not imported: the probe loads lazily). */
const DEFAULT_PROBE_TIMEOUT_MS = 5000;
/** The whole confirmation ends by then; endpoints still running are inconclusive. */
const DEFAULT_PROBE_DEADLINE_MS = 120_000;

export interface ConfirmFlags {
  confirm?: boolean;
  endpoint: string[];
  probeTimeout: number;
  probeDeadline: number;
  confirmedOnly?: boolean;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`expected a positive whole number of milliseconds, got "${value}"`);
  return n;
}

export function addConfirmOptions(command: Command): Command {
  return command
    .option(
      '--confirm',
      'probe the endpoints the configs name and mark each finding confirmed, refuted, inconclusive or not probed; report drift (live-only)',
    )
    .option(
      '--endpoint <name=host:port>',
      'with --confirm: reach the server named <name> (a server_name, or file:line of its block) at host:port instead; repeatable',
      (v: string, prev: string[]) => [...prev, v],
      [],
    )
    .option(
      '--probe-timeout <ms>',
      'with --confirm: deadline for every connect and read of the probe',
      positive,
      DEFAULT_PROBE_TIMEOUT_MS,
    )
    .option(
      '--probe-deadline <ms>',
      'with --confirm: limit for all probing; endpoints not done by then are inconclusive',
      positive,
      DEFAULT_PROBE_DEADLINE_MS,
    )
    .option('--confirmed-only', 'with --confirm: report only confirmed and live-only findings');
}

export interface ConfirmOutcome {
  findings: Finding[];
  endpoints: EndpointReport[];
  /** Endpoints that could not be tested: the run says so, and it is not a pass. */
  untested: EndpointReport[];
}

/** Checks the flags before anything is linted (a usage error must not wait for a lint run). */
export function validateConfirmFlags(flags: ConfirmFlags): void {
  if (!flags.confirm && (flags.endpoint.length || flags.confirmedOnly)) {
    throw new UsageError(
      `${flags.endpoint.length ? '--endpoint' : '--confirmed-only'} needs --confirm`,
    );
  }
  for (const spec of flags.endpoint) parseEndpointMapping(spec);
}

export async function runConfirm(
  result: LintResult,
  policy: Policy,
  flags: ConfirmFlags,
): Promise<ConfirmOutcome> {
  const { confirm } = await import('../../confirm/index.js');
  const mappings = flags.endpoint.map(parseEndpointMapping);
  const confirmed = await confirm(
    {
      findings: result.findings,
      contexts: result.contexts,
      cwd: result.cwd,
      targetsFor: result.targetsFor,
      lineText: (file, line) =>
        (result.sources.cachedText(file) ?? '').split(/\r?\n/)[line - 1] ?? '',
    },
    { policy, mappings, timeoutMs: flags.probeTimeout, deadlineMs: flags.probeDeadline },
  );
  const findings = flags.confirmedOnly
    ? confirmed.findings.filter(
        (f) => f.probe?.status === 'confirmed' || f.probe?.status === 'live-only',
      )
    : confirmed.findings;
  return {
    findings,
    endpoints: confirmed.endpoints,
    untested: confirmed.endpoints.filter((e) => !e.tested),
  };
}
