/**
 * `tls-lint` command line.
 *
 *   tls-lint [paths...]        lint files and folders (default: .)
 *   tls-lint ciphers <string>  expand a cipher string (see `tls-lint ciphers --help`)
 *   tls-lint probe <host:port> probe a running endpoint (see `tls-lint probe --help`)
 *
 * Exit codes: 0 clean, 1 findings at/above the threshold, 2 usage error or any file that could
 * not be checked (syntax, unreadable, not a regular file, internal error…), even with findings.
 */
import { Command, CommanderError, Option } from 'commander';
import { packageVersion } from '../config/package-files.js';
import { ASSUMED_TARGETS, TARGET_PLATFORMS, UsageError } from '../config/targets.js';
import { ruleDocsUrl } from '../engine/rule-api.js';
import type { ProjectFlags } from './lint-settings.js';
import type { ConfirmFlags } from './commands/confirm.js';
import { escapeControl } from '../report/escape.js';

export const EXIT_CLEAN = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

interface LintFlags extends ConfirmFlags, ProjectFlags {
  format: 'stylish' | 'json' | 'sarif';
  quiet?: boolean;
  maxWarnings?: number;
  rule: string[];
  followOutside?: boolean;
  /** A config path, or false for `--no-project`. */
  project?: string | false;
}

function targetsHelp(): string {
  const lines = TARGET_PLATFORMS.map(
    (p) => `  ${`${p}=${ASSUMED_TARGETS[p].version}`.padEnd(14)} ${ASSUMED_TARGETS[p].reason}`,
  );
  return `\nAssumed targets when neither --target nor the project says (package.json engines.node is detected):\n${lines.join('\n')}\n`;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The lint command's options, formatted as commander does, for the top-level help. */
function lintOptionsHelp(lint: Command): string {
  const help = lint.createHelp();
  const options = help.visibleOptions(lint).filter((o) => o.long !== '--help');
  const width = Math.max(...options.map((o) => help.optionTerm(o).length));
  const lines = options.map((o) =>
    help.formatItem(help.optionTerm(o), width, help.optionDescription(o), help),
  );
  return `\nOptions of tls-lint [paths...] (same as tls-lint lint):\n${lines.join('\n')}\n`;
}

/** The commands, in the order of the help. */
const COMMANDS = ['lint', 'rules', 'explain', 'ciphers', 'probe'] as const;
type CommandName = (typeof COMMANDS)[number];

/**
 * The commands this run defines. A command's module (and what it imports) is loaded only when
 * the command may run, so `--version` and `probe` do not pay for the linter. Commander runs a
 * subcommand only when its name is the first word that is not an option and no option of the
 * default command (lint) comes before it, so that word decides; the top-level help (`--help`,
 * `help`) lists every command and defines them all; `--version` alone needs none.
 */
export function commandsFor(argv: readonly string[]): readonly CommandName[] {
  const at = argv.findIndex((a) => !a.startsWith('-'));
  const before = at < 0 ? argv : argv.slice(0, at);
  const word = at < 0 ? undefined : argv[at];
  if (word === 'help' || before.some((a) => a === '-h' || a === '--help')) return COMMANDS;
  const named = COMMANDS.filter((c) => c === word);
  if (before.every((a) => a === '-v' || a === '--version') && (named.length || before.length))
    return named;
  return COMMANDS.filter((c) => c === 'lint' || c === word);
}

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = EXIT_CLEAN;
  const setExitCode = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };

  const program = new Command()
    .name('tls-lint')
    .description(
      'Find cryptographic failures in TLS and mutual-TLS setups (Node.js, nginx, …) and confirm them against the running endpoint.',
    )
    .version(packageVersion(), '-v, --version')
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      writeOut: (s) => process.stdout.write(s),
    })
    .addHelpText(
      'after',
      `\nExamples:\n  tls-lint .                                  lint the current folder\n  tls-lint --format json src/ deploy/nginx/   JSON report (stable contract)\n  tls-lint --target nginx=1.28 /etc/nginx     judge against nginx 1.28's defaults\n  tls-lint ciphers 'HIGH:!aNULL:!MD5'         expand a cipher string\n  tls-lint probe example.com:443              probe a live endpoint\n\nExit codes: 0 clean, 1 findings at or above the threshold, 2 usage error or a file that could not be checked (even with findings).\n${targetsHelp()}`,
    );

  const wanted = commandsFor(argv);
  for (const name of COMMANDS) {
    if (!wanted.includes(name)) continue;
    switch (name) {
      case 'lint': {
        const lintCommand = await registerLintCommand(program, setExitCode);
        // The default command's options in the top-level help: `tls-lint --help` is where people look.
        program.addHelpText('after', () => lintOptionsHelp(lintCommand));
        break;
      }
      case 'rules':
        program
          .command('rules')
          .description('list the rules')
          .addOption(
            new Option('-f, --format <format>', 'output format')
              .choices(['text', 'json'])
              .default('text'),
          )
          .action(async (flags: { format: string }) => {
            const { RULES } = await import('../../rules/index.js');
            if (flags.format === 'json') {
              process.stdout.write(
                JSON.stringify(
                  RULES.map((r) => ({ ...r.meta, docs: ruleDocsUrl(r.meta.id) })),
                  null,
                  2,
                ) + '\n',
              );
              return;
            }
            for (const r of RULES)
              process.stdout.write(
                `${r.meta.id.padEnd(36)} ${r.meta.defaultSeverity.padEnd(8)} ${r.meta.title}\n`,
              );
          });
        break;
      case 'explain':
        (await import('./commands/explain.js')).registerExplainCommand(program);
        break;
      case 'ciphers':
        (await import('./commands/ciphers.js')).registerCiphersCommand(program, setExitCode);
        break;
      case 'probe':
        (await import('./commands/probe.js')).registerProbeCommand(program, setExitCode);
        break;
    }
  }

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; parse errors were already printed.
      return e.exitCode === 0 ? EXIT_CLEAN : EXIT_ERROR;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`tls-lint: ${escapeControl(e.message)}\n`);
      return EXIT_ERROR;
    }
    throw e;
  }
  return exitCode;
}

async function registerLintCommand(
  program: Command,
  setExitCode: (code: number) => void,
): Promise<Command> {
  const [{ addPolicyOptions, addProjectOptions, parseCount }, { addConfirmOptions }] =
    await Promise.all([import('./lint-settings.js'), import('./commands/confirm.js')]);
  const lintCommand = program
    .command('lint [paths...]', { isDefault: true })
    .description(
      'lint files and folders (default: the current folder); files named explicitly are linted exactly',
    )
    .addOption(
      new Option(
        '-f, --format <format>',
        'output format (json: the stable contract; sarif: for code scanning)',
      )
        .choices(['stylish', 'json', 'sarif'])
        .default('stylish'),
    )
    .option('-q, --quiet', 'report errors only (warnings and infos are dropped)')
    .option(
      '--max-warnings <n>',
      'exit 1 when there are more than n warnings (warnings alone do not fail otherwise)',
      parseCount,
    )
    .option('-r, --rule <id>', 'run only this rule, repeatable', collect, [])
    .option(
      '--follow-outside',
      'also read files outside the linted tree (includes, certificates, project files above the git work tree)',
    )
    .option(
      '-p, --project <tsconfig>',
      'tsconfig.json/jsconfig.json (or its folder) that resolves values imported across modules (default: the nearest one)',
    )
    .option('--no-project', 'do not follow values imported from other modules');
  addConfirmOptions(addProjectOptions(addPolicyOptions(lintCommand)))
    .addHelpText('after', targetsHelp())
    .action(async (paths: string[], flags: LintFlags) => {
      setExitCode(await runLint(paths.length ? paths : ['.'], flags));
    });
  return lintCommand;
}

async function runLint(paths: string[], flags: LintFlags): Promise<number> {
  // Loaded here, not at start-up, so `tls-lint probe` and `--version` do not pay for the readers.
  const [
    { resolveSettings },
    { runConfirm, validateConfirmFlags },
    { RULES },
    { exceedsThreshold, lint, relativePath },
    { paletteFor, hyperlinksFor },
    { toJsonReport },
    { toSarif },
    { formatStylish, errorLine },
    { displayPath, escapeControl },
    baselines,
    { createProgress },
  ] = await Promise.all([
    import('./lint-settings.js'),
    import('./commands/confirm.js'),
    import('../../rules/index.js'),
    import('../engine/lint.js'),
    import('../report/colors.js'),
    import('../report/json.js'),
    import('../report/sarif.js'),
    import('../report/stylish.js'),
    import('../report/escape.js'),
    import('../engine/baseline.js'),
    import('./progress.js'),
  ]);
  const ruleIds = RULES.map((r) => r.meta.id);
  const unknownRules = flags.rule.filter((id) => !ruleIds.includes(id));
  if (unknownRules.length)
    throw new UsageError(
      `unknown rule ${unknownRules.map((r) => `"${r}"`).join(', ')}; see "tls-lint rules"`,
    );
  validateConfirmFlags(flags);
  const settings = resolveSettings(paths, flags, ruleIds);
  const baseline = flags.baseline ? baselines.readBaseline(flags.baseline) : undefined;

  const progress = createProgress(
    process.stderr,
    flags.format === 'stylish' && flags.progress !== false,
  );
  const result = await lint({
    paths,
    targets: settings.targets,
    policy: settings.policy,
    ...(flags.rule.length && { rules: flags.rule }),
    ...(flags.followOutside && { followOutside: true }),
    ...(flags.ignoreUnknown && { ignoreUnknown: true }),
    ...(settings.includeMinified && { includeMinified: true }),
    ...(flags.project !== undefined && { project: flags.project }),
    exclusions: settings.exclusions,
    ...(settings.tests && { tests: settings.tests }),
    ...(settings.config && { config: settings.config }),
    onProgress: (phase, done, total) => progress.update(phase, done, total),
  });
  progress.clear();
  const confirmed = flags.confirm ? await runConfirm(result, settings.policy, flags) : undefined;
  const all = confirmed?.findings ?? result.findings;
  const sourceOf = (file: string) => result.sources.cachedText(file);
  if (flags.writeBaseline) {
    baselines.writeBaseline(flags.writeBaseline, all, sourceOf);
    process.stderr.write(
      `tls-lint: recorded ${all.length} finding${all.length === 1 ? '' : 's'} in ${flags.writeBaseline}; run with --baseline ${flags.writeBaseline} to report only new ones\n`,
    );
  }
  const compared = baseline ? baselines.applyBaseline(all, baseline, sourceOf) : undefined;
  const current = compared ? compared.fresh : all;
  const findings = flags.quiet ? current.filter((f) => f.severity === 'error') : current;
  const baselineCounts = compared && { known: compared.known, gone: compared.gone };
  const endpoints = confirmed && { endpoints: confirmed.endpoints };

  if (flags.format === 'json') {
    process.stdout.write(
      JSON.stringify(
        {
          ...toJsonReport(
            findings,
            result.errors,
            result.cwd,
            ruleDocsUrl,
            result.notices,
            endpoints,
          ),
          ...(baselineCounts && { baseline: baselineCounts }),
        },
        null,
        2,
      ) + '\n',
    );
  } else if (flags.format === 'sarif') {
    process.stdout.write(
      JSON.stringify(
        toSarif(
          findings,
          result.errors,
          RULES,
          result.cwd,
          packageVersion(),
          ruleDocsUrl,
          result.notices,
          endpoints,
        ),
        null,
        2,
      ) + '\n',
    );
  } else {
    const palette = paletteFor(process.stdout);
    process.stdout.write(
      formatStylish(findings, result.errors, {
        cwd: result.cwd,
        palette,
        sourceOf: (f) => result.sources.cachedText(f),
        listErrors: false,
        notices: result.notices,
        docsUrl: ruleDocsUrl,
        links: hyperlinksFor(process.stdout) ? 'osc8' : 'url',
        ...(process.stdout.isTTY && process.stdout.columns && { width: process.stdout.columns }),
        testCode: { ...result.testCode, mode: settings.tests ?? settings.config?.tests ?? 'info' },
        ...(baselineCounts && { baseline: baselineCounts }),
        ...endpoints,
      }),
    );
    // Files that could not be checked also go to stderr so they are seen when stdout is piped away.
    const errPalette = paletteFor(process.stderr);
    for (const e of result.errors)
      process.stderr.write(
        `${errPalette.red('error')} ${errorLine(e, result.cwd, relativePath)}\n`,
      );
    progress.summary(result.filesLinted, result.filesSkipped);
  }
  if (result.missingPaths.length) {
    // A mistyped path must not pass a CI job silently.
    process.stderr.write(
      `tls-lint: no such file or directory: ${result.missingPaths.map((p) => displayPath(p)).join(', ')}\n`,
    );
  }
  // A gate never passes what it did not check: any file that could not be checked is exit 2.
  const verdict =
    result.errors.length || result.missingPaths.length
      ? EXIT_ERROR
      : flags.writeBaseline
        ? EXIT_CLEAN
        : exceedsThreshold(findings, settings.failOn, flags.maxWarnings)
          ? EXIT_FINDINGS
          : EXIT_CLEAN;
  if (confirmed?.untested.length) {
    // Could-not-test is never a pass.
    const list = confirmed.untested
      .map((e) => `${e.endpoint}${e.sni ? ` (SNI ${e.sni})` : ''}: ${e.error ?? 'not tested'}`)
      .join('; ');
    process.stderr.write(
      `tls-lint: ${confirmed.untested.length} of ${confirmed.endpoints.length} endpoint(s) could not be probed, their findings are inconclusive: ${escapeControl(list)}\n`,
    );
    return verdict === EXIT_CLEAN ? EXIT_ERROR : verdict;
  }
  return verdict;
}
