/**
 * eslint-plugin-tls-lint: tls-lint's rules in ESLint 9 (flat config), for editors.
 *
 * Every rule runs the Node reader's extractor on the AST ESLint parsed (espree for JS,
 * typescript-eslint's parser for TS) and the shared rule engine, so the editor shows exactly what
 * `tls-lint` prints: same rules, same lines, same messages. There is no second implementation of
 * any check here.
 *
 *   // eslint.config.js
 *   import tseslint from 'typescript-eslint';
 *   import tlsLint from 'eslint-plugin-tls-lint';
 *   export default [{ files: ['**\/*.ts', '**\/*.tsx'], languageOptions: { parser: tseslint.parser } }, tlsLint.configs.recommended];
 */
import type { ESLint, Linter, Rule as EslintRule } from 'eslint';
import { createRequire } from 'node:module';
import { eslintRuleFor, JS_RULES } from './rules.js';

/** tls-lint's version: package.json is three levels up from the built file, two from the source. */
function packageVersion(): string {
  const require = createRequire(import.meta.url);
  for (const candidate of ['../../../package.json', '../../package.json']) {
    try {
      return (require(candidate) as { version: string }).version;
    } catch {
      /* try the next layout */
    }
  }
  return '0.0.0';
}

/** The files the configs apply to: every JS and TS flavour the Node reader reads. */
export const JS_TS_FILES = [
  '**/*.js',
  '**/*.mjs',
  '**/*.cjs',
  '**/*.jsx',
  '**/*.ts',
  '**/*.mts',
  '**/*.cts',
  '**/*.tsx',
];

const rules: Record<string, EslintRule.RuleModule> = Object.fromEntries(
  JS_RULES.map((r) => [r.meta.id, eslintRuleFor(r)]),
);

const plugin = {
  meta: { name: 'eslint-plugin-tls-lint', version: packageVersion() },
  rules,
  configs: {} as Record<'recommended' | 'strict', Linter.Config>,
} satisfies ESLint.Plugin;

/** The rules at their default severities, Mozilla intermediate profile. */
plugin.configs.recommended = {
  name: 'tls-lint/recommended',
  files: JS_TS_FILES,
  plugins: { 'tls-lint': plugin },
  rules: Object.fromEntries(
    JS_RULES.map((r) => [
      `tls-lint/${r.meta.id}`,
      r.meta.defaultSeverity === 'error' ? 'error' : 'warn',
    ]),
  ),
};

/** Every rule an error, judged against the Mozilla modern profile. */
plugin.configs.strict = {
  name: 'tls-lint/strict',
  files: JS_TS_FILES,
  plugins: { 'tls-lint': plugin },
  settings: { 'tls-lint': { profile: 'modern' } },
  rules: Object.fromEntries(JS_RULES.map((r) => [`tls-lint/${r.meta.id}`, 'error'])),
};

export default plugin;
