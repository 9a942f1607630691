/**
 * Scaffolds a new rule: `npm run new-rule <id>` (or `-- <id> --root <dir>` for another tree).
 *
 * Creates rules/<id>/{meta.ts,index.ts,README.md} (the README with the standard sections) and
 * fixtures/<id>/ with one `ruleid:` and one `ok:` case, and registers the rule in rules/index.ts.
 * Refuses an id that is not kebab-case or that a rule (or a fixture folder) already has. What is
 * left to the author is marked TODO: the check, the meta's facts, the README's text, and fixtures
 * that the rule really reports. test/rules/rule-folders.test.ts then says what is still missing.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULE_README_SECTIONS } from '../src/report/rule-docs.js';

/** kebab-case: lower-case words of letters and digits joined by single hyphens, at least two words. */
export const RULE_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/;
const MAX_ID_LENGTH = 60;

export class ScaffoldError extends Error {}

/** Why an id cannot be a new rule in the tree at `root`, or undefined when it can. */
export function idProblem(id: string, root: string): string | undefined {
  if (!RULE_ID.test(id))
    return `"${id}" is not a rule id: use kebab-case, lower-case letters and digits in two or more words ("weak-dh-group")`;
  if (id.length > MAX_ID_LENGTH) return `"${id}" is longer than ${MAX_ID_LENGTH} characters`;
  if (existsSync(path.join(root, 'rules', id)))
    return `rules/${id}/ exists already: pick another id, or edit that rule`;
  if (existsSync(path.join(root, 'fixtures', id)))
    return `fixtures/${id}/ exists already: pick another id, or remove the stray folder`;
  if (new RegExp(`['"]\\./${id}/index\\.js['"]`).test(readRegistry(root)))
    return `${id} is registered in rules/index.ts already`;
  return undefined;
}

function readRegistry(root: string): string {
  return readFileSync(path.join(root, 'rules', 'index.ts'), 'utf8');
}

/** `weak-dh-group` → `weakDhGroup`. */
function camel(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function metaFile(id: string): string {
  return `import { OWASP_CRYPTO, type RuleMeta } from '../../src/engine/rule-api.js';

export const meta: RuleMeta = {
  id: '${id}',
  // TODO: one line saying what is wrong ("Static RSA or static DH key exchange can be negotiated").
  title: 'TODO: what this rule flags',
  // TODO: protocol | cipher | verification | client-auth | key | certificate | api
  category: 'protocol',
  defaultSeverity: 'warning',
  // TODO: the CWE numbers (327 broken crypto, 295 certificate validation, 326 key strength …).
  cwe: [327],
  owasp: [...OWASP_CRYPTO],
  precision: 'high',
  // TODO: what the live probe observes (see PROBE_OBSERVABLES), or why it cannot see this.
  probe: { notObservable: 'TODO: why no connection to an endpoint can show it' },
  fixable: false,
};
`;
}

function indexFile(): string {
  return `import { defineRule, type RuleReport } from '../../src/engine/rule-api.js';
import { branchNote, forLanguage, locate, originClause } from '../../src/engine/rule-helpers.js';
import { knownAlternatives } from '../../src/model/setting.js';
import { meta } from './meta.js';

/**
 * TODO: what the rule judges and why, in a sentence or two. A rule sees the model only
 * (TlsContext): take shared facts from src/crypto, src/model or src/config, never from a reader
 * or another rule. Until the check below is written, the fixture's "ruleid:" line fails.
 */
export const rule = defineRule({
  meta,
  check(context) {
    const reports: RuleReport[] = [];
    // TODO: the setting this rule judges (context.protocols, context.ciphers, …).
    const setting = context.renegotiation;
    if (!setting) return reports;
    for (const alternative of knownAlternatives(setting)) {
      if (!isWeak(alternative.value)) continue;
      reports.push({
        // What is wrong, with the value, short.
        headline: \`TODO: what is wrong\${branchNote(setting)} in \${context.label}\`,
        // Where the value came from: written, inherited, the platform default and its version.
        evidence: originClause(alternative),
        // What to do instead, in the platform's terms.
        fix: forLanguage(context.language, { default: 'TODO: what to do instead' }),
        at: setting.origin === 'conditional' ? locate(alternative, context) : locate(setting, context),
      });
    }
    return reports;
  },
});

/** TODO: which values are a problem. */
function isWeak(_value: unknown): boolean {
  return false;
}
`;
}

function readmeFile(id: string): string {
  const body: Record<(typeof RULE_README_SECTIONS)[number], string> = {
    'What it flags': 'TODO: the settings and values this rule reports, per platform.',
    'Why it matters': 'TODO: what an attacker (or an outage) gets from it.',
    Examples:
      'TODO: bad and good examples per language in code blocks marked `tls-lint:bad` and\n`tls-lint:good` (test/rules/readme-examples.test.ts lints them).',
    'How to fix': 'TODO: the fix per platform.',
    'Live probe': 'TODO: how `--confirm` shows it on a running endpoint, or why it cannot.',
    'When to suppress':
      'TODO: when the finding is acceptable, and how to say so\n(`// tls-lint-disable-next-line ' +
      id +
      ' -- reason`).',
    References: 'TODO: the sources, and the docs/platform-facts.md sections the rule relies on.',
  };
  return [`# ${id}`, '', ...RULE_README_SECTIONS.flatMap((h) => [`## ${h}`, '', body[h], ''])].join(
    '\n',
  );
}

/** One case the rule must report and one it must leave alone, to be replaced with real ones. */
function fixtureFile(id: string): string {
  return `// Fixtures of ${id}: the line after a "ruleid:" comment must be reported, the line after an
// "ok:" comment must not. TODO: real cases for every platform the rule reads.
package main

import "crypto/tls"

func configs() []*tls.Config {
	return []*tls.Config{
		{
			MinVersion: tls.VersionTLS12,
			// ruleid: ${id}
			ServerName: "TODO: a setting the rule must report",
		},
		{
			MinVersion: tls.VersionTLS12,
			// ok: ${id}
			ServerName: "TODO: the same setting done right",
		},
	}
}
`;
}

/** Adds the import and the RULES entry to rules/index.ts. */
export function registered(source: string, id: string): string {
  const name = camel(id);
  const importLine = `import { rule as ${name} } from './${id}/index.js';`;
  const imports = [...source.matchAll(/^import \{ rule as \w+ \} from '\.\/[^']+\/index\.js';$/gm)];
  const lastImport = imports[imports.length - 1];
  const list = /export const RULES: readonly Rule\[\] = \[\n([\s\S]*?)\];/.exec(source);
  if (!lastImport || !list)
    throw new ScaffoldError(
      'rules/index.ts does not have the expected shape (rule imports, then `export const RULES: readonly Rule[] = [ … ];`): register the rule by hand',
    );
  const at = lastImport.index + lastImport[0].length;
  const withImport = `${source.slice(0, at)}\n${importLine}${source.slice(at)}`;
  return withImport.replace(
    /(export const RULES: readonly Rule\[\] = \[\n[\s\S]*?)(\];)/,
    `$1  ${name},\n$2`,
  );
}

/** Creates the rule's files under `root`; returns their paths relative to it. */
export function scaffoldRule(id: string, root: string): string[] {
  const problem = idProblem(id, root);
  if (problem) throw new ScaffoldError(problem);
  const registry = path.join(root, 'rules', 'index.ts');
  const newRegistry = registered(readFileSync(registry, 'utf8'), id);
  const files: Record<string, string> = {
    [`rules/${id}/meta.ts`]: metaFile(id),
    [`rules/${id}/index.ts`]: indexFile(),
    [`rules/${id}/README.md`]: readmeFile(id),
    [`fixtures/${id}/${id}.go`]: fixtureFile(id),
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  writeFileSync(registry, newRegistry);
  return [...Object.keys(files), 'rules/index.ts'];
}

function main(argv: readonly string[]): number {
  const rootAt = argv.indexOf('--root');
  const root =
    rootAt >= 0
      ? path.resolve(argv[rootAt + 1] ?? '.')
      : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const ids = argv.filter((a, i) => !a.startsWith('--') && (rootAt < 0 || i !== rootAt + 1));
  if (ids.length !== 1) {
    process.stderr.write('usage: npm run new-rule <id> [-- --root <dir>]\n');
    return 2;
  }
  if (
    !existsSync(path.join(root, 'rules', 'index.ts')) ||
    !readdirSync(path.join(root, 'rules')).length
  ) {
    process.stderr.write(`${root} has no rules/index.ts\n`);
    return 2;
  }
  try {
    const made = scaffoldRule(ids[0]!, root);
    process.stdout.write(
      `${made.map((f) => `  ${f}`).join('\n')}\n\nNext: fill in the TODOs, make the fixture's "ruleid:" line fire, run \`npm run rules-index\`,\nand \`npx vitest run test/rules/rule-folders.test.ts test/fixtures.test.ts\`.\n`,
    );
    return 0;
  } catch (e) {
    if (!(e instanceof ScaffoldError)) throw e;
    process.stderr.write(`new-rule: ${e.message}\n`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exitCode = main(process.argv.slice(2));
