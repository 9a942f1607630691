/**
 * `npm run new-rule <id>` (scripts/new-rule.ts) in a temp copy of rules/: the files it makes pass
 * the rule-folder meta-test's checks and the type checker, the rule is registered and loads, and
 * bad or taken ids are refused.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Rule } from '../../src/engine/rule-api.js';
import { registered, scaffoldRule } from '../../scripts/new-rule.js';
import { ROOT } from '../support/cli.js';
import { ruleFolderProblems } from '../support/rule-folders.js';

const ID = 'weak-example-setting';
let root = '';

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'tls-lint-new-rule-'));
  cpSync(path.join(ROOT, 'rules'), path.join(root, 'rules'), { recursive: true });
  mkdirSync(path.join(root, 'fixtures'));
  // The generated files import ../../src; the type checker finds @types/node in node_modules.
  symlinkSync(path.join(ROOT, 'src'), path.join(root, 'src'), 'dir');
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'), 'dir');
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('npm run new-rule', () => {
  it('creates a rule folder, fixtures and the registration that the rule-folder checks accept', async () => {
    const made = scaffoldRule(ID, root);
    expect(made).toEqual([
      `rules/${ID}/meta.ts`,
      `rules/${ID}/index.ts`,
      `rules/${ID}/README.md`,
      `fixtures/${ID}/${ID}.go`,
      'rules/index.ts',
    ]);
    const { RULES } = (await import(pathToFileURL(path.join(root, 'rules', 'index.ts')).href)) as {
      RULES: readonly Rule[];
    };
    const ids = new Set(RULES.map((r) => r.meta.id));
    expect(ids.has(ID)).toBe(true);
    expect(ruleFolderProblems(root, ID, ids)).toEqual([]);
    // The placeholder check reports nothing until it is written (the fixture's ruleid line then fails).
    expect(RULES.find((r) => r.meta.id === ID)).toBeDefined();
  });

  it('writes files that type-check with the project settings', () => {
    const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), (f) => ts.sys.readFile(f));
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const files = ['index.ts', 'meta.ts']
      .map((f) => path.join(root, 'rules', ID, f))
      .concat(path.join(root, 'rules', 'index.ts'));
    const program = ts.createProgram(files, {
      ...options,
      noEmit: true,
      rootDir: undefined,
      outDir: undefined,
    });
    const diagnostics = files.flatMap((f) => [
      ...program.getSyntacticDiagnostics(program.getSourceFile(f)),
      ...program.getSemanticDiagnostics(program.getSourceFile(f)),
    ]);
    expect(
      diagnostics.map(
        (d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`,
      ),
    ).toEqual([]);
  });

  it('refuses ids that are not kebab-case, and rules or fixture folders that exist', () => {
    for (const bad of [
      'Weak_Key',
      'weak',
      '../escape-me',
      'weak--key',
      '-weak-key',
      `${'a'.repeat(40)}-${'b'.repeat(40)}`,
    ])
      expect(() => scaffoldRule(bad, root), bad).toThrow(/not a rule id|longer than/);
    expect(() => scaffoldRule('insecure-protocol-version', root)).toThrow(
      'rules/insecure-protocol-version/ exists already',
    );
    expect(() => scaffoldRule(ID, root)).toThrow(`rules/${ID}/ exists already`);
    mkdirSync(path.join(root, 'fixtures', 'stray-folder'));
    expect(() => scaffoldRule('stray-folder', root)).toThrow(
      'fixtures/stray-folder/ exists already',
    );
  });

  it('registers the rule after the last import and at the end of RULES', () => {
    const source =
      "import type { Rule } from '../src/engine/rule-api.js';\nimport { rule as a } from './a-b/index.js';\n\nexport const RULES: readonly Rule[] = [\n  a,\n];\n";
    expect(registered(source, 'weak-dh-group')).toBe(
      "import type { Rule } from '../src/engine/rule-api.js';\nimport { rule as a } from './a-b/index.js';\nimport { rule as weakDhGroup } from './weak-dh-group/index.js';\n\nexport const RULES: readonly Rule[] = [\n  a,\n  weakDhGroup,\n];\n",
    );
    expect(() => registered('export const RULES = [];', 'x-y')).toThrow(
      /register the rule by hand/,
    );
  });

  it('the npm script refuses a bad id with exit code 1 and says why', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', './scripts/ts-register.mjs', 'scripts/new-rule.ts', 'Bad_Id', '--root', root],
        { cwd: ROOT, timeout: 60_000 },
        (_e, _out, stderr) => resolve({ code: child.exitCode, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"Bad_Id" is not a rule id');
    expect(readFileSync(path.join(root, 'rules', 'index.ts'), 'utf8')).not.toContain('Bad_Id');
  });
});
