/**
 * Generates rules/README.md, the index of every rule, from the rule metas (rules/index.ts and
 * confirm mode's config-drift), so the index cannot drift from the code:
 *
 *   npm run rules-index            writes rules/README.md
 *   npm run rules-index -- --check exits 1 when the committed file is out of date
 *
 * test/rules/rules-index.test.ts runs the check in `npm test`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RULES } from '../rules/index.js';
import { CONFIG_DRIFT_META } from '../src/confirm/meta.js';
import type { RuleMeta } from '../src/engine/rule-api.js';

export const RULES_INDEX = 'rules/README.md';
export const REGENERATE = 'npm run rules-index';

const CATEGORY_ORDER: readonly RuleMeta['category'][] = [
  'protocol',
  'cipher',
  'verification',
  'client-auth',
  'key',
  'certificate',
  'api',
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function row(meta: RuleMeta, link: string): string {
  const languages = meta.languages?.length ? meta.languages.join(', ') : 'all';
  const probe = meta.probe.observes
    ? `yes: ${meta.probe.observes.join(', ')}`
    : `no (${meta.probe.notObservable})`;
  return `| [\`${meta.id}\`](${link}) | ${cell(meta.title)} | ${meta.defaultSeverity} | ${meta.category} | ${languages} | ${cell(probe)} |`;
}

/** The text of rules/README.md for these rules. */
export function renderRulesIndex(metas: readonly RuleMeta[] = RULES.map((r) => r.meta)): string {
  const sorted = [...metas].sort(
    (a, b) =>
      CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) ||
      (a.id < b.id ? -1 : 1),
  );
  return [
    '# Rules',
    '',
    `<!-- Generated from the rule metas by scripts/rules-index.ts; do not edit. Run \`${REGENERATE}\` after changing a rule's meta. -->`,
    '',
    `tls-lint has ${metas.length} rules, one per TLS concern whatever the input language. Each rule's page`,
    'says what it flags, why it matters, examples per language, how to fix it, how the live probe',
    'confirms it, when to suppress it, and its references. Severity is the default: some rules raise',
    'or lower it by Mozilla profile or by what the platform does (see their pages), and a project',
    'config can set it per rule and folder.',
    '',
    '- **languages**: the inputs a rule can fire on (`all`: every reader that fills the setting).',
    '- **probe**: whether confirm mode (`--confirm`, `tls-lint probe`) can show the finding on a',
    '  running endpoint, and through which observations; if not, why.',
    '',
    '| rule | title | severity | category | languages | probe |',
    '|---|---|---|---|---|---|',
    ...sorted.map((m) => row(m, `${m.id}/README.md`)),
    '',
    '## Confirm mode only',
    '',
    'Found by the live probe alone, never from a file:',
    '',
    '| rule | title | severity | category | languages | probe |',
    '|---|---|---|---|---|---|',
    row(CONFIG_DRIFT_META, `${CONFIG_DRIFT_META.id}/README.md`),
    '',
    'A new rule starts with `npm run new-rule <id>` (see CONTRIBUTING.md).',
    '',
  ].join('\n');
}

function main(argv: readonly string[]): number {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const file = path.join(root, RULES_INDEX);
  const text = renderRulesIndex();
  if (argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      // missing: out of date
    }
    if (current === text) return 0;
    process.stderr.write(
      `${RULES_INDEX} is out of date with the rule metas; run \`${REGENERATE}\` and commit it\n`,
    );
    return 1;
  }
  writeFileSync(file, text);
  process.stdout.write(`wrote ${RULES_INDEX}\n`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  process.exitCode = main(process.argv.slice(2));
