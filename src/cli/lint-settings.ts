/**
 * The lint command's project settings: the options that the config file can also give
 * (flags win over the file, the file over the defaults), exclusions, test code, and baselines.
 * Kept apart from main.ts so that other options merge there without touching these.
 */
import { Option, type Command } from 'commander';
import path from 'node:path';
import { findConfig, loadConfigFile, type ProjectConfig } from '../config/config-file.js';
import {
  DEFAULT_POLICY,
  MTLS_MODES,
  PROFILES,
  type MtlsMode,
  type Policy,
  type ProfileName,
} from '../config/policy.js';
import { UsageError, parseTargetArgs, type TargetPlatform } from '../config/targets.js';
import { DEFAULT_TEST_MODE, TEST_MODES, type TestMode } from '../config/test-code.js';
import type { Exclusion } from '../engine/discover.js';
import { SEVERITIES, type Severity } from '../model/finding.js';

/** The flags defined here (and the ones with a config-file counterpart, which have no commander default). */
export interface ProjectFlags {
  failOn?: Severity;
  target: string[];
  mtls?: MtlsMode;
  profile?: ProfileName;
  expiryDays?: number;
  exclude: string[];
  tests?: TestMode;
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  progress?: boolean;
  ignoreUnknown?: boolean;
  includeMinified?: boolean;
}

const DEFAULT_FAIL_ON: Severity = 'warning';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`expected a whole number, got "${value}"`);
  return n;
}

/** Options whose value may also come from the config file: no commander default, the default is shown in the text. */
export function addPolicyOptions(cmd: Command): Command {
  return cmd
    .addOption(
      new Option(
        '--fail-on <severity>',
        `lowest severity that makes the exit code 1 (default: ${DEFAULT_FAIL_ON})`,
      ).choices([...SEVERITIES]),
    )
    .option(
      '-t, --target <platform=version>',
      `platform version whose defaults apply, repeatable (e.g. node=18, nginx=1.22, openssl=1.1.1)`,
      collect,
      [],
    )
    .addOption(
      new Option(
        '--mtls <mode>',
        `client-certificate policy: auto = only where the server shows mTLS intent (default: ${DEFAULT_POLICY.mtls})`,
      ).choices([...MTLS_MODES]),
    )
    .addOption(
      new Option(
        '--profile <name>',
        `Mozilla TLS profile that sets severities (default: ${DEFAULT_POLICY.profile})`,
      ).choices([...PROFILES]),
    )
    .option(
      '--expiry-days <n>',
      `certificate-validity warns when a certificate expires within n days (default: ${DEFAULT_POLICY.certificateExpiryWarningDays})`,
      parseCount,
    );
}

export function addProjectOptions(cmd: Command): Command {
  return cmd
    .option(
      '--exclude <glob>',
      'leave out paths matching a .gitignore-style pattern (relative to the working directory), repeatable; applies to files named explicitly too',
      collect,
      [],
    )
    .addOption(
      new Option(
        '--tests <mode>',
        `findings in test, example and benchmark code (test/, *.test.*, fixtures/, examples/, bench*/, *_test.go, test_*.py…): report as any other, lower to info, or skip (default: ${DEFAULT_TEST_MODE})`,
      ).choices([...TEST_MODES]),
    )
    .option(
      '-c, --config <file>',
      'use this config file instead of looking for tls-lint.config.json/.yaml or package.json "tls-lint" upwards',
    )
    .option(
      '--baseline <file>',
      'report and fail only on findings not recorded in this baseline file; say how many recorded ones are gone',
    )
    .option(
      '--write-baseline <file>',
      "record today's findings (by fingerprint) in this file and exit 0",
    )
    .option('--no-progress', 'no progress line on a terminal')
    .option(
      '--include-minified',
      'also lint minified and generated bundles (*.min.js, long-line builds) found in folders; they are skipped with a notice by default, files named explicitly are always linted',
    )
    .option(
      '--ignore-unknown',
      'skip files named explicitly that no reader handles, instead of reporting them as not checked (the pre-commit hook passes every staged file)',
    );
}

export interface ResolvedSettings {
  config: ProjectConfig | undefined;
  targets: Map<TargetPlatform, string>;
  policy: Policy;
  failOn: Severity;
  exclusions: Exclusion[];
  tests: TestMode | undefined;
  /** Lint minified bundles found in folders too (flag or config). */
  includeMinified: boolean;
}

/** Flags over the config file over the defaults. Throws a usage error for a bad config or an unknown rule id in it. */
export function resolveSettings(
  paths: readonly string[],
  flags: ProjectFlags,
  knownRules: readonly string[],
  cwd = process.cwd(),
): ResolvedSettings {
  const config = flags.config
    ? loadConfigFile(path.resolve(cwd, flags.config), cwd)
    : findConfig(paths, cwd);
  if (flags.config && !config) throw new UsageError(`${flags.config}: has no "tls-lint" key`);
  const unknown = config?.ruleIds().filter((id) => !knownRules.includes(id)) ?? [];
  if (config && unknown.length) {
    throw new UsageError(
      `${path.relative(cwd, config.file) || config.file}: "rules.${unknown[0]!}" is not a rule; see "tls-lint rules"`,
    );
  }
  const targets = new Map([...(config?.targets ?? []), ...parseTargetArgs(flags.target)]);
  const policy: Policy = {
    mtls: flags.mtls ?? config?.mtls ?? DEFAULT_POLICY.mtls,
    profile: flags.profile ?? config?.profile ?? DEFAULT_POLICY.profile,
    certificateExpiryWarningDays:
      flags.expiryDays ?? config?.expiryDays ?? DEFAULT_POLICY.certificateExpiryWarningDays,
  };
  const exclusions: Exclusion[] = [];
  if (config?.ignore.length) exclusions.push({ base: config.dir, patterns: config.ignore });
  if (flags.exclude.length) exclusions.push({ base: cwd, patterns: flags.exclude });
  return {
    config,
    targets,
    policy,
    failOn: flags.failOn ?? config?.failOn ?? DEFAULT_FAIL_ON,
    exclusions,
    tests: flags.tests,
    includeMinified: flags.includeMinified ?? config?.includeMinified ?? false,
  };
}
