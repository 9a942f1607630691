/**
 * The editor shows what the command line prints: every Node fixture linted through ESLint (espree
 * for JS, typescript-eslint's parser for TS) gives the same (rule, line, message) set as
 * `tls-lint` on the same file with the same options.
 */
import { Linter } from 'eslint';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import plugin from '../../eslint-plugin/src/index.js';
import { eslintMessage } from '../../eslint-plugin/src/rules.js';
import { parseTargetArgs } from '../../src/config/targets.js';
import { lint } from '../../src/engine/lint.js';
import { isNodeSourcePath } from '../../src/languages/node/index.js';
import { parseFixtureOptions } from '../support/annotations.js';

const FIXTURES = path.resolve('fixtures');

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      if (name === '__snapshots__' || name === 'node_modules') return [];
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [full];
    });
}

const nodeFixtures = walk(FIXTURES).filter((f) => isNodeSourcePath(f));

/** tls-lint's fixture options as plugin settings (`--target`, `--mtls`, `--profile`). */
function settingsFrom(args: string[]): { target: string[]; mtls?: string; profile?: string } {
  const out: { target: string[]; mtls?: string; profile?: string } = { target: [] };
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i]!, args[i + 1]!];
    if (flag === '--target') out.target.push(value);
    else if (flag === '--mtls') out.mtls = value;
    else if (flag === '--profile') out.profile = value;
  }
  return out;
}

function eslintFindings(file: string, text: string, settings: object): string[] {
  const linter = new Linter({ configType: 'flat', cwd: process.cwd() });
  const messages = linter.verify(
    text,
    [
      {
        files: ['**/*.{js,jsx,mjs,cjs}'],
        languageOptions: { ecmaVersion: 'latest', parserOptions: { ecmaFeatures: { jsx: true } } },
      },
      { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
      { files: ['**/*.{ts,tsx,mts,cts}'], languageOptions: { parser: tseslint.parser } },
      plugin.configs.recommended,
      { settings: { 'tls-lint': settings } },
    ],
    file,
  );
  return messages
    .map((m) =>
      m.ruleId
        ? `${m.ruleId.replace('tls-lint/', '')}:${m.line}: ${m.message}`
        : `parse error:${m.line}: ${m.message}`,
    )
    .sort();
}

describe('ESLint plugin parity with the CLI', () => {
  it('covers the Node fixtures', () => {
    expect(nodeFixtures.length).toBeGreaterThan(30);
  });

  for (const file of nodeFixtures) {
    it(path.relative(FIXTURES, file), async () => {
      const text = readFileSync(file, 'utf8');
      const settings = settingsFrom(parseFixtureOptions(text));
      const cli = await lint({
        paths: [file],
        targets: parseTargetArgs(settings.target),
        policy: {
          ...(settings.mtls && { mtls: settings.mtls as never }),
          ...(settings.profile && { profile: settings.profile as never }),
        },
      });
      const expected = cli.findings
        .filter((f) => f.at.file === file && f.language === 'node')
        .map((f) => `${f.ruleId}:${f.at.line}: ${eslintMessage(f)}`)
        .sort();
      expect(eslintFindings(file, text, settings)).toEqual(expected);
    });
  }
});
