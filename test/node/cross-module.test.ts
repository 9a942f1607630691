/**
 * Values that cross module boundaries (issue: a floor imported from a constants module): with a
 * tsconfig/jsconfig the Node reader follows imports; without one it behaves as before. Findings
 * stay at the use site and name the place the value was written (message, JSON `related`,
 * SARIF `relatedLocations`); the ESLint plugin with type information agrees.
 */
import { Linter } from 'eslint';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import plugin from '../../eslint-plugin/src/index.js';
import { eslintMessage } from '../../eslint-plugin/src/rules.js';
import { lint } from '../../src/engine/lint.js';
import { RULES } from '../../rules/index.js';
import { toJsonReport } from '../../src/report/json.js';
import { toSarif } from '../../src/report/sarif.js';
import { ruleDocsUrl } from '../../src/engine/rule-api.js';
import { withoutDefaultCiphers } from '../support/default-ciphers.js';

const PROJECT = path.resolve('fixtures/projects/node-cross-module');
const SERVER = path.join(PROJECT, 'src/tls/server.ts');
const work = mkdtempSync(path.join(tmpdir(), 'tls-lint-xmod-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('values across modules', () => {
  it('reports an imported floor, cipher list and verification switch at the use site, naming where the value was written', async () => {
    const result = await lint({ paths: [PROJECT] });
    const server = withoutDefaultCiphers(result.findings).filter((f) => f.at.file === SERVER);
    const floor = server.find((f) => f.ruleId === 'insecure-protocol-version' && f.at.line === 7)!;
    expect(floor.message).toContain(
      '"minVersion" is "TLSv1" from fixtures/projects/node-cross-module/src/config/constants.ts:2',
    );
    expect(floor.at.definedAt).toMatchObject({
      file: path.join(PROJECT, 'src/config/constants.ts'),
      line: 2,
    });
    expect(
      server
        .filter((f) => f.at.line === 13)
        .map((f) => f.ruleId)
        .sort(),
    ).toEqual(['cbc-cipher-suite', 'no-forward-secrecy']);
    const client = withoutDefaultCiphers(result.findings).filter(
      (f) => f.at.file.endsWith('client.ts') && f.ruleId === 'certificate-verification-disabled',
    );
    expect(client.map((f) => f.at.line)).toEqual([5, 8]);

    const json = toJsonReport(
      withoutDefaultCiphers(result.findings),
      result.errors,
      process.cwd(),
      ruleDocsUrl,
    );
    const related = json.findings.find(
      (f) => f.file.endsWith('src/tls/server.ts') && f.line === 7,
    )!.related;
    expect(related).toEqual([
      {
        file: 'fixtures/projects/node-cross-module/src/config/constants.ts',
        line: 2,
        column: 26,
        message: expect.any(String),
      },
    ]);
    const sarif = toSarif(
      withoutDefaultCiphers(result.findings),
      result.errors,
      RULES,
      process.cwd(),
      '0.0.0',
      ruleDocsUrl,
    ) as {
      runs: Array<{
        results: Array<{
          locations: unknown[];
          relatedLocations?: Array<{
            physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
          }>;
        }>;
      }>;
    };
    const withRelated = sarif.runs[0]!.results.filter((r) => r.relatedLocations);
    expect(withRelated.length).toBeGreaterThanOrEqual(9);
    expect(withRelated[0]!.relatedLocations![0]!.physicalLocation.artifactLocation.uri).toMatch(
      /^fixtures\/projects\/node-cross-module(-js)?\/(src\/config\/constants\.ts|lib\/tls-options\.js)$/,
    );
  });

  it('without a project configuration, imported values stay unknown (no finding, no guess)', async () => {
    const copy = path.join(work, 'no-config');
    cpSync(PROJECT, copy, { recursive: true });
    rmSync(path.join(copy, 'tsconfig.json'));
    const result = await lint({ paths: [copy], cwd: copy });
    const inTls = withoutDefaultCiphers(result.findings).filter((f) =>
      f.at.file.includes(`${path.sep}tls${path.sep}`),
    );
    expect(inTls).toEqual([]);
    // The constants module itself is still linted on its own.
    expect(
      withoutDefaultCiphers(result.findings).some((f) => f.at.file.endsWith('constants.ts')),
    ).toBe(true);
  });

  it('--project names a configuration elsewhere (paths mapping)', async () => {
    const dir = path.join(work, 'explicit');
    mkdirSync(path.join(dir, 'build'), { recursive: true });
    mkdirSync(path.join(dir, 'src/shared'), { recursive: true });
    writeFileSync(
      path.join(dir, 'build/tsconfig.app.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          baseUrl: '..',
          paths: { '#shared/*': ['src/shared/*'] },
        },
      }),
    );
    writeFileSync(path.join(dir, 'src/shared/tls.ts'), "export const FLOOR = 'TLSv1';\n");
    writeFileSync(
      path.join(dir, 'src/app.ts'),
      "import tls from 'node:tls';\nimport { FLOOR } from '#shared/tls.js';\nexport const s = tls.createServer({ minVersion: FLOOR });\n",
    );
    const without = await lint({ paths: [dir], cwd: dir });
    expect(without.findings.filter((f) => f.ruleId === 'insecure-protocol-version')).toEqual([]);
    const withProject = await lint({ paths: [dir], cwd: dir, project: 'build/tsconfig.app.json' });
    const found = withProject.findings.filter((f) => f.ruleId === 'insecure-protocol-version');
    expect(found.map((f) => [path.relative(dir, f.at.file), f.at.line])).toEqual([
      ['src/app.ts', 3],
    ]);
    expect(found[0]!.message).toContain('from src/shared/tls.ts:1');
  });

  it('the ESLint plugin with type information (parserServices.program) gives the same findings', async () => {
    const cli = await lint({ paths: [SERVER] });
    const linter = new Linter({ configType: 'flat', cwd: process.cwd() });
    const messages = linter.verify(
      readFileSync(SERVER, 'utf8'),
      [
        {
          files: ['**/*.ts'],
          languageOptions: {
            parser: tseslint.parser,
            parserOptions: { project: './tsconfig.json', tsconfigRootDir: PROJECT },
          },
        },
        plugin.configs.recommended,
      ],
      SERVER,
    );
    expect(messages.filter((m) => m.fatal)).toEqual([]);
    const fromEslint = messages
      .map((m) => `${m.ruleId!.replace('tls-lint/', '')}:${m.line}: ${m.message}`)
      .sort();
    const fromCli = cli.findings
      .filter((f) => f.at.file === SERVER)
      .map((f) => `${f.ruleId}:${f.at.line}: ${eslintMessage(f)}`)
      .sort();
    expect(fromEslint).toEqual(fromCli);
    expect(fromEslint.filter((m) => m.startsWith('insecure-protocol-version')).length).toBe(6);
  });
});

describe('the ESLint plugin keeps a file for what its imports bring, as the CLI does', () => {
  const eslintOn = (dir: string, rel: string) => {
    const file = path.join(dir, rel);
    const linter = new Linter({ configType: 'flat', cwd: dir });
    return linter
      .verify(
        readFileSync(file, 'utf8'),
        [
          { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
          plugin.configs.recommended,
        ],
        file,
      )
      .map((m) => `${m.ruleId!.replace('tls-lint/', '')}:${m.line}: ${m.message}`);
  };
  /** Writes a file with a modification time later than any before (an editor's save). */
  let clock = Date.now() / 1000;
  const save = (file: string, text: string) => {
    writeFileSync(file, text);
    clock += 10;
    utimesSync(file, clock, clock);
  };

  it('a file without TLS words that hands on an imported options object gets its finding, and edits are seen', async () => {
    const dir = path.join(work, 'plugin-imports');
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      '{ "compilerOptions": { "module": "nodenext", "strict": true } }\n',
    );
    const options = path.join(dir, 'src/options.ts');
    save(options, "export const opts = { host: 'db', ssl: { rejectUnauthorized: false } };\n");
    const client =
      "import { Client } from 'pg';\nimport { opts } from './options.js';\nexport const c = new Client(opts);\n";
    save(path.join(dir, 'src/client.ts'), client);
    const cli = await lint({ paths: [dir], cwd: dir });
    const fromCli = cli.findings
      .filter((f) => f.at.file.endsWith('client.ts'))
      .map((f) => `${f.ruleId}:${f.at.line}: ${eslintMessage(f)}`);
    expect(fromCli).toEqual([expect.stringMatching(/^certificate-verification-disabled:3: /)]);
    expect(eslintOn(dir, 'src/client.ts')).toEqual(fromCli);

    // The module no longer names anything TLS-related: the file is not analysed any more.
    save(options, "export const opts = { host: 'db' };\n");
    expect(eslintOn(dir, 'src/client.ts')).toEqual([]);

    // A module it imports that did not exist yet, then does.
    const later =
      "import { Client } from 'pg';\nimport { opts } from './later.js';\nexport const c = new Client(opts);\n";
    save(path.join(dir, 'src/client2.ts'), later);
    expect(eslintOn(dir, 'src/client2.ts')).toEqual([]);
    save(
      path.join(dir, 'src/later.ts'),
      'export const opts = { ssl: { rejectUnauthorized: false } };\n',
    );
    expect(eslintOn(dir, 'src/client2.ts')).toEqual([
      expect.stringMatching(/^certificate-verification-disabled:3: /),
    ]);
  });
});

describe('values across modules, with bounded caches', () => {
  const tsconfig = JSON.stringify({
    compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' },
  });
  const user = (modules: string[]) =>
    [
      "import tls from 'node:tls';",
      ...modules.map((m, i) => `import { FLOOR as f${i} } from './${m}.js';`),
      ...modules.map((_, i) => `export const s${i} = tls.createServer({ minVersion: f${i} });`),
      '',
    ].join('\n');
  const floorsAt = (
    findings: ReadonlyArray<{ ruleId: string; at: { file: string; definedAt?: { file: string } } }>,
    file: string,
  ) =>
    findings
      .filter((f) => f.ruleId === 'insecure-protocol-version' && f.at.file === file)
      .map((f) => path.basename(f.at.definedAt?.file ?? ''));

  it('a project the run comes back to after several others still gives its values', async () => {
    const root = path.join(work, 'many-projects');
    const projects = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];
    for (const p of projects) {
      mkdirSync(path.join(root, p), { recursive: true });
      writeFileSync(path.join(root, p, 'tsconfig.json'), tsconfig);
      writeFileSync(path.join(root, p, 'floor.ts'), "export const FLOOR = 'TLSv1';\n");
      writeFileSync(path.join(root, p, 'a.ts'), user(['floor']));
      writeFileSync(path.join(root, p, 'b.ts'), user(['floor']));
    }
    // p0's a.ts, every other project, then p0's b.ts: p0's resolver may have been let go between.
    const files = [
      path.join(root, 'p0/a.ts'),
      ...projects.slice(1).map((p) => path.join(root, p, 'a.ts')),
      path.join(root, 'p0/b.ts'),
    ];
    const result = await lint({ paths: files, cwd: root });
    for (const file of files) expect(floorsAt(result.findings, file)).toEqual(['floor.ts']);
  });

  it('a module imported again after many others were parsed still gives its value', async () => {
    const root = path.join(work, 'many-modules');
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, 'tsconfig.json'), tsconfig);
    const modules = Array.from({ length: 300 }, (_, i) => `m${String(i).padStart(3, '0')}`);
    for (const m of modules)
      writeFileSync(path.join(root, `${m}.ts`), "export const FLOOR = 'TLSv1';\n");
    writeFileSync(path.join(root, 'a.ts'), user(modules));
    writeFileSync(path.join(root, 'b.ts'), user(modules.slice(0, 3)));
    const result = await lint({
      paths: [path.join(root, 'a.ts'), path.join(root, 'b.ts')],
      cwd: root,
    });
    expect(floorsAt(result.findings, path.join(root, 'a.ts'))).toEqual(
      modules.map((m) => `${m}.ts`),
    );
    expect(floorsAt(result.findings, path.join(root, 'b.ts'))).toEqual([
      'm000.ts',
      'm001.ts',
      'm002.ts',
    ]);
  });
});
