/**
 * `tls-lint probe <host[:port]>`: what a running endpoint accepts, with findings under the same
 * rule ids as the static linter.
 *
 * Exit codes: 0 no finding at/above warning; 1 findings; 2 usage error, unreachable target, or
 * an endpoint where nothing could be tested (could-not-test is never reported as clean).
 */
import { Option, type Command } from 'commander';
import { describeReadFailure, SourceCache } from '../../engine/source-cache.js';
import { MTLS_MODES, PROFILES, type MtlsMode, type ProfileName } from '../../config/policy.js';
import { UsageError } from '../../config/targets.js';
import { severityRank } from '../../model/finding.js';
import { TargetSyntaxError, parseEndpoint } from '../../probe/target.js';
import { paletteFor } from '../../report/colors.js';
import { escapeControl } from '../../report/escape.js';

/** Keep in step with DEFAULT_PROBE_TIMEOUT_MS / DEFAULT_PROBE_DEADLINE_MS in src/probe/index.ts (not imported: the probe loads lazily). */
const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_DEADLINE_MS = 60_000;
/** --timeout: 1 ms to 10 minutes; --deadline: 1 ms to 1 hour. */
const MAX_TIMEOUT_MS = 10 * 60_000;
const MAX_DEADLINE_MS = 60 * 60_000;

interface ProbeFlags {
  sni?: string;
  timeout: number;
  deadline: number;
  ca?: string;
  cert?: string;
  key?: string;
  format: 'stylish' | 'json';
  mtls: MtlsMode;
  profile: ProfileName;
  concurrency?: number;
  expiryDays: number;
}

const EXIT_FINDINGS = 1;
const EXIT_ERROR = 2;

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`expected a positive whole number, got "${value}"`);
  return n;
}

function parseMilliseconds(flag: string, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > max) {
      throw new UsageError(
        `${flag} is in milliseconds, from 1 to ${max} (${max / 60_000} minutes); got "${value}"`,
      );
    }
    return n;
  };
}

/**
 * A PEM file named on the command line, through the same safe read as linted files: a regular
 * file under the size cap, opened without blocking (`--ca /dev/zero` or a FIFO must not hang).
 */
function readPem(flag: string, file: string): string {
  const read = new SourceCache().readSource(file);
  if (read.ok) return read.text;
  throw new UsageError(`${flag} "${escapeControl(file)}": ${describeReadFailure(read)}`);
}

export function registerProbeCommand(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('probe <target>')
    .description(
      'probe a running TLS endpoint: protocols, cipher suites, certificate chain and client-certificate behaviour (target: host[:port], default port 443; IPv6 as [::1]:8443)',
    )
    .option(
      '--sni <name>',
      'server name to send (and to match the certificate against); default: the host unless it is an IP address',
    )
    .option(
      '--timeout <ms>',
      'deadline for every connect and read, 1 ms to 10 minutes',
      parseMilliseconds('--timeout', MAX_TIMEOUT_MS),
      DEFAULT_TIMEOUT_MS,
    )
    .option(
      '--deadline <ms>',
      'deadline for the whole probe, 1 ms to 1 hour; what is still running then ends as could not test',
      parseMilliseconds('--deadline', MAX_DEADLINE_MS),
      DEFAULT_DEADLINE_MS,
    )
    .option(
      '--ca <file>',
      "PEM bundle of trust anchors for the chain check (default: Node's bundled roots)",
    )
    .option(
      '--cert <file>',
      'PEM client certificate to check that a real client gets in (with --key)',
    )
    .option('--key <file>', 'PEM private key of --cert')
    .option('--concurrency <n>', 'simultaneous connections of the scan', parsePositive)
    .addOption(
      new Option('-f, --format <format>', 'output format')
        .choices(['stylish', 'json'])
        .default('stylish'),
    )
    .addOption(
      new Option(
        '--mtls <mode>',
        'client-certificate policy: auto = only where the server requests certificates',
      )
        .choices([...MTLS_MODES])
        .default('auto'),
    )
    .addOption(
      new Option('--profile <name>', 'Mozilla TLS profile that sets severities')
        .choices([...PROFILES])
        .default('intermediate'),
    )
    .option(
      '--expiry-days <n>',
      'certificate-validity warns when the served certificate expires within n days',
      parsePositive,
      30,
    )
    .action(async (target: string, flags: ProbeFlags) => {
      setExitCode(await runProbe(target, flags));
    });
}

export async function runProbe(target: string, flags: ProbeFlags): Promise<number> {
  if (!!flags.cert !== !!flags.key) throw new UsageError('--cert and --key go together');
  let endpoint;
  try {
    endpoint = parseEndpoint(target, flags.sni);
  } catch (e) {
    if (e instanceof TargetSyntaxError) throw new UsageError(e.message);
    throw e;
  }
  const ca = flags.ca !== undefined ? readPem('--ca', flags.ca) : undefined;
  const cert = flags.cert !== undefined ? readPem('--cert', flags.cert) : undefined;
  const key = flags.key !== undefined ? readPem('--key', flags.key) : undefined;

  // Loaded on use, so `tls-lint <paths>` does not pay for the probe's modules.
  const { probe, TargetUnreachableError } = await import('../../probe/index.js');
  const { formatProbeStylish, toProbeJson } = await import('../../probe/report.js');
  let result;
  try {
    result = await probe(endpoint, {
      timeoutMs: flags.timeout,
      deadlineMs: flags.deadline,
      ...(ca !== undefined && { ca }),
      ...(cert !== undefined && { cert }),
      ...(key !== undefined && { key }),
      ...(flags.concurrency !== undefined && { concurrency: flags.concurrency }),
      policy: {
        mtls: flags.mtls,
        profile: flags.profile,
        certificateExpiryWarningDays: flags.expiryDays,
      },
    });
  } catch (e) {
    if (e instanceof TargetUnreachableError) {
      process.stderr.write(`tls-lint probe: ${escapeControl(e.message)}\n`);
      return EXIT_ERROR;
    }
    throw e;
  }

  if (flags.format === 'json')
    process.stdout.write(JSON.stringify(toProbeJson(result), null, 2) + '\n');
  else process.stdout.write(formatProbeStylish(result, paletteFor(process.stdout)));

  if (!result.tested) {
    process.stderr.write(
      `tls-lint probe: no protocol version of ${escapeControl(result.label)} could be tested (every hello failed or ran out of time; --timeout is in milliseconds): nothing was tested, so this is not a verdict\n`,
    );
    return EXIT_ERROR;
  }
  return result.findings.some((f) => severityRank(f.severity) >= severityRank('warning'))
    ? EXIT_FINDINGS
    : 0;
}
