/**
 * The layers are enforced, not only described: the checker (test/support/architecture.ts) reads
 * every import under src/ and rules/ and fails on one that crosses a layer the wrong way.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectImports, layerViolations, moduleOf } from './support/architecture.js';
import { ROOT } from './support/cli.js';

/** The folders of src/ and what they are; a new one must be placed here first. */
const KNOWN_LAYERS = [
  'cli',
  'config',
  'confirm',
  'crypto',
  'engine',
  'languages',
  'model',
  'probe',
  'report',
];

describe('layers of the repository', () => {
  it('no import crosses a layer the wrong way', () => {
    expect(layerViolations(ROOT)).toEqual([]);
  });

  it('every folder of src/ is a known layer', () => {
    const folders = readdirSync(path.join(ROOT, 'src')).filter((f) =>
      statSync(path.join(ROOT, 'src', f)).isDirectory(),
    );
    expect(
      folders.filter((f) => !KNOWN_LAYERS.includes(f)),
      'add the new folder to KNOWN_LAYERS here and to the rules of test/support/architecture.ts',
    ).toEqual([]);
  });

  it('every folder of src/languages is a reader, found on disk (new readers are covered without listing them)', () => {
    const readers = readdirSync(path.join(ROOT, 'src', 'languages')).filter((f) =>
      statSync(path.join(ROOT, 'src', 'languages', f)).isDirectory(),
    );
    expect(readers).toEqual(expect.arrayContaining(['nginx', 'node']));
    for (const reader of readers)
      expect(moduleOf(`src/languages/${reader}/x.ts`)).toEqual({
        file: `src/languages/${reader}/x.ts`,
        layer: 'reader',
        unit: reader,
      });
  });

  it('reads imports of every kind (the checker is not blind)', () => {
    const imports = collectImports(ROOT);
    const edge = (from: string, to: string) =>
      imports.some((i) => i.from.file === from && i.to.file === to);
    // static, type-only, dynamic import() and the registry's imports of every rule
    expect(edge('rules/index.ts', 'rules/weak-key/index.ts')).toBe(true);
    expect(edge('src/engine/lint.ts', 'src/languages/index.ts')).toBe(true);
    expect(edge('src/cli/main.ts', 'src/engine/lint.ts')).toBe(true);
    expect(edge('src/crypto/suite-categories.ts', 'src/config/policy.ts')).toBe(true);
    expect(imports.length).toBeGreaterThan(300);
  });
});

describe('the checker fails on a deliberately wrong import', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'tls-lint-architecture-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const file = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  };
  // A small tree in the repository's shape: each file makes one wrong import, and one allowed one.
  file(
    'src/model/context.ts',
    "import { lint } from '../engine/lint.js';\nexport type Ctx = {};\n",
  );
  file(
    'src/crypto/table.ts',
    "import type { Rule } from '../engine/rule-api.js';\nimport { x } from '../model/context.js';\n",
  );
  file('src/config/detect.ts', "import { detect } from '../languages/envoy/detect.js';\n");
  file(
    'src/engine/lint.ts',
    "import { RULES } from '../../rules/index.js';\nexport const lint = 1;\n",
  );
  file('src/engine/rule-api.ts', 'export interface Rule {}\n');
  file('src/engine/rule-helpers.ts', "export { plural } from '../model/text.js';\n");
  file('src/model/text.ts', 'export const plural = 1;\n');
  file(
    'src/report/json.ts',
    "import { relativePath } from '../engine/lint.js';\nimport { plural } from '../engine/rule-helpers.js';\n",
  );
  file('src/probe/report.ts', "const lazy = () => import('../engine/lint.js');\n");
  file(
    'eslint-plugin/src/analyze.ts',
    "import { loadMaterial } from '../../src/engine/lint.js';\nimport { judgeContexts } from '../../src/engine/judge.js';\n",
  );
  file('src/engine/judge.ts', 'export const judgeContexts = 1;\n');
  file('src/languages/envoy/detect.ts', 'export const detect = 1;\n');
  file('src/languages/go/reader.ts', "import { TABLE } from '../../../rules/weak-key/index.js';\n");
  file('src/languages/index.ts', "export * from './go/reader.js';\n");
  file('rules/index.ts', "import { rule } from './weak-key/index.js';\n");
  file(
    'rules/weak-key/index.ts',
    "import { readGo } from '../../src/languages/go/reader.js';\nimport { meta } from './meta.js';\nexport const TABLE = 1;\n",
  );
  file('rules/weak-key/meta.ts', 'export const meta = {};\n');
  file(
    'rules/cbc-cipher-suite/index.ts',
    "import { TABLE } from '../weak-key/index.js';\nimport { plural } from '../../src/engine/rule-helpers.js';\n",
  );

  const found = layerViolations(root);

  it('names each forbidden import with its place and the reason', () => {
    expect([...found].sort()).toEqual(
      [
        "src/config/detect.ts:1 imports '../languages/envoy/detect.js' (src/languages/envoy/detect.ts): model, config and crypto are the foundation: they import no engine, rule or reader",
        "src/crypto/table.ts:1 imports '../engine/rule-api.js' (src/engine/rule-api.ts): model, config and crypto are the foundation: they import no engine, rule or reader",
        "src/languages/go/reader.ts:1 imports '../../../rules/weak-key/index.js' (rules/weak-key/index.ts): readers translate, rules judge: a reader never imports a rule",
        "src/model/context.ts:1 imports '../engine/lint.js' (src/engine/lint.ts): model, config and crypto are the foundation: they import no engine, rule or reader",
        "src/probe/report.ts:1 imports '../engine/lint.js' (src/engine/lint.ts): reporters, the probe and the ESLint plugin do not load the lint pipeline (and with it Babel and every reader)",
        "src/report/json.ts:1 imports '../engine/lint.js' (src/engine/lint.ts): reporters, the probe and the ESLint plugin do not load the lint pipeline (and with it Babel and every reader)",
        "eslint-plugin/src/analyze.ts:1 imports '../../src/engine/lint.js' (src/engine/lint.ts): reporters, the probe and the ESLint plugin do not load the lint pipeline (and with it Babel and every reader)",
        "rules/cbc-cipher-suite/index.ts:1 imports '../weak-key/index.js' (rules/weak-key/index.ts): a rule does not import another rule: shared tables live in src/crypto, src/model or src/config",
        "rules/weak-key/index.ts:1 imports '../../src/languages/go/reader.js' (src/languages/go/reader.ts): rules judge the model, never an AST or a reader",
      ].sort(),
    );
  });

  it('lets the allowed ones pass: a rule its own files and the helpers, the registries their members, the engine the rules', () => {
    for (const allowed of [
      'rules/weak-key/index.ts:2',
      'rules/cbc-cipher-suite/index.ts:2',
      'src/engine/lint.ts:1',
      'src/languages/index.ts:1',
      'rules/index.ts:1',
      'src/report/json.ts:2',
      'src/crypto/table.ts:2',
      'eslint-plugin/src/analyze.ts:2',
    ]) {
      expect(found.some((v) => v.startsWith(`${allowed} `))).toBe(false);
    }
  });
});
