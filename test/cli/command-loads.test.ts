/**
 * Each command loads only what it uses (issue #15): `--version` almost nothing, the probe and
 * `ciphers` neither the lint pipeline nor a reader nor a parser. Checked twice: from the sources
 * (the load-time import graph of each command's entry files, test/support/load-graph.ts), and
 * in the built CLI, whose loaded modules a child process lists (scripts/module-log.mjs).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { commandsFor } from '../../src/cli/main.js';
import {
  forbiddenLoads,
  loadGraph,
  loadTimeImports,
  type Forbidden,
} from '../support/load-graph.js';
import { BIN, ROOT } from '../support/cli.js';
import { startNodeTlsServer, makeTestPki } from '../support/servers.js';
import { writeTree } from '../support/trees.js';

const HEAVY: readonly Forbidden[] = [
  {
    match: 'src/languages/',
    why: 'a reader loads only when lint runs (and its parser only when a file of its kind is found)',
  },
  { match: 'src/engine/lint.ts', why: 'the lint pipeline is loaded by the lint command only' },
  {
    match: '@babel/parser',
    why: 'Babel (2 MB of code) is loaded when the first JavaScript file is parsed',
  },
  {
    match: 'oxc-parser',
    why: 'oxc-parser and its native binding are loaded when the first JavaScript file is parsed',
  },
  {
    match: 'typescript',
    why: 'the TypeScript compiler is loaded only for project module resolution',
  },
  { match: '@vscode/tree-sitter-wasm', why: 'tree-sitter is loaded only for Go and Python files' },
  { match: 'yaml', why: 'the YAML parser is loaded only for a YAML file (Envoy, the config file)' },
];
/** `--version` needs the command line and the package version, nothing of the engine. */
const NOT_FOR_VERSION: readonly Forbidden[] = [
  ...HEAVY,
  { match: 'rules/', why: '--version runs no rule' },
  { match: 'src/crypto/', why: '--version needs no cipher table' },
  { match: 'src/probe/', why: '--version probes nothing' },
  { match: 'src/engine/check.ts', why: '--version checks nothing' },
];

const MAIN = 'src/cli/main.ts';
/** The files each command path loads: its entries and the modules it imports with import() on the way. */
const PATHS: Record<string, { entries: string[]; forbidden: readonly Forbidden[] }> = {
  '--version': { entries: [MAIN], forbidden: NOT_FOR_VERSION },
  probe: {
    entries: [
      MAIN,
      'src/cli/commands/probe.ts',
      'src/probe/index.ts',
      'src/probe/report.ts',
      'src/probe/raw/index.ts',
    ],
    forbidden: HEAVY,
  },
  ciphers: { entries: [MAIN, 'src/cli/commands/ciphers.ts'], forbidden: HEAVY },
  '--help': {
    entries: [
      MAIN,
      'src/cli/commands/probe.ts',
      'src/cli/commands/ciphers.ts',
      'src/cli/commands/explain.ts',
      'src/cli/lint-settings.ts',
      'src/cli/commands/confirm.ts',
    ],
    forbidden: HEAVY,
  },
};

describe('what each command loads, from the sources', () => {
  for (const [name, { entries, forbidden }] of Object.entries(PATHS)) {
    it(`tls-lint ${name} loads no ${name === '--version' ? 'engine, rule, reader or parser' : 'reader, parser or lint pipeline'}`, () => {
      const graph = loadGraph(ROOT, entries);
      expect(graph.files.length).toBeGreaterThanOrEqual(entries.length);
      expect(forbiddenLoads(graph, forbidden)).toEqual([]);
    });
  }

  it('--version reaches commander and a handful of files', () => {
    const graph = loadGraph(ROOT, [MAIN]);
    expect(graph.packages).toEqual(['commander']);
    expect(graph.files.length).toBeLessThanOrEqual(8);
  });

  it('sees the imports that load (the check is not blind), and the parsers behind a lazy load', () => {
    const imports = (file: string) =>
      loadTimeImports(file, readFileSync(path.join(ROOT, file), 'utf8'));
    expect(imports('src/engine/lint.ts')).toContain('../languages/index.js');
    expect(imports('src/languages/index.ts')).toContain('./node/index.js');
    for (const [file, pkg] of [
      ['src/languages/node/parse.ts', '@babel/parser'],
      ['src/config/yaml.ts', 'yaml'],
      ['src/languages/node/ts-compiler.ts', 'typescript'],
    ] as const) {
      expect(readFileSync(path.join(ROOT, file), 'utf8')).toContain(`'${pkg}'`);
      expect(imports(file)).not.toContain(pkg);
    }
  });
});

describe('the load check fails on a deliberately wrong import', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const root = writeTree(
    'tls-lint-loads-',
    {
      'src/cli/main.ts':
        "import { Command } from 'commander';\nimport { run } from './commands/probe.js';\nexport const x = [Command, run];\n",
      // a static value import of the lint pipeline, two levels down
      'src/cli/commands/probe.ts':
        "import { relativePath } from '../../report/paths.js';\nexport const run = relativePath;\n",
      'src/report/paths.ts':
        "import { relativePath } from '../engine/lint.js';\nexport { relativePath };\n",
      'src/engine/lint.ts':
        "import { parse } from '@babel/parser';\nimport { READERS } from '../languages/index.js';\nexport const relativePath = [parse, READERS];\n",
      'src/languages/index.ts': 'export const READERS = [];\n',
      // what does not load anything at start-up: type-only imports, types used as types, import(), createRequire
      'src/probe/index.ts': [
        "import type { Program } from '@babel/parser';",
        "import { type Node } from 'yaml';",
        "import { TypeOnly } from '../engine/lint.js';",
        "import { createRequire } from 'node:module';",
        'export let p: Program | Node | TypeOnly | undefined;',
        "export const later = () => import('../languages/index.js');",
        "export const ts = () => createRequire(import.meta.url)('typescript');",
        '',
      ].join('\n'),
    },
    made,
  );

  it('names the chain of imports that reaches a forbidden module', () => {
    expect(forbiddenLoads(loadGraph(root, ['src/cli/main.ts']), HEAVY)).toEqual([
      'src/cli/main.ts → src/cli/commands/probe.ts → src/report/paths.ts → src/engine/lint.ts: the lint pipeline is loaded by the lint command only',
      'src/cli/main.ts → src/cli/commands/probe.ts → src/report/paths.ts → src/engine/lint.ts → src/languages/index.ts: a reader loads only when lint runs (and its parser only when a file of its kind is found)',
      'src/cli/main.ts → src/cli/commands/probe.ts → src/report/paths.ts → src/engine/lint.ts → @babel/parser: Babel (2 MB of code) is loaded when the first JavaScript file is parsed',
    ]);
  });

  it('lets lazy and type-only imports pass', () => {
    const graph = loadGraph(root, ['src/probe/index.ts']);
    expect(graph.files).toEqual(['src/probe/index.ts']);
    expect(graph.packages).toEqual([]);
  });
});

const built = existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'));
const bundled = existsSync(path.join(ROOT, 'dist', 'tls-lint.cjs'));

/**
 * Runs the built CLI with the module log and returns the loaded files relative to the root
 * (asynchronously: the probe's server runs in this process). `tsc`: the tsc build (dist/src),
 * whose modules the log lists one by one; `bundle`: dist/tls-lint.cjs, one file, whose packages
 * loaded at run time the log still lists.
 */
async function loadedBy(
  build: 'tsc' | 'bundle',
  args: readonly string[],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<{ status: number | null; files: string[] }> {
  const env = {
    ...process.env,
    NO_COLOR: '1',
    TLS_LINT_BUNDLE: build === 'tsc' ? '0' : '1',
    ...extraEnv,
  };
  const child = spawn(
    process.execPath,
    ['--import', pathToFileURL(path.join(ROOT, 'scripts', 'module-log.mjs')).href, BIN, ...args],
    { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const line = stderr.split('\n').find((l) => l.startsWith('tls-lint-modules: '));
  expect(line, stderr).toBeDefined();
  const files = (JSON.parse(line!.slice('tls-lint-modules: '.length)) as string[]).map((f) =>
    path.relative(ROOT, f).split(path.sep).join('/'),
  );
  return { status, files };
}

const PARSERS =
  /^node_modules\/(@babel\/parser|oxc-parser|@oxc-parser\/|typescript|@vscode\/tree-sitter-wasm|yaml)\//;

/** The built files that stand for the forbidden modules. */
function heavyIn(files: readonly string[]): string[] {
  return files.filter(
    (f) =>
      f.startsWith('dist/src/languages/') || f === 'dist/src/engine/lint.js' || PARSERS.test(f),
  );
}

describe.skipIf(!built && process.env.CI !== 'true')('--version in the built CLI', () => {
  it('reads package.json and loads nothing else', async () => {
    const { status, files } = await loadedBy('tsc', ['--version']);
    expect(status).toBe(0);
    expect(files.filter((f) => f.startsWith('dist/') || f.startsWith('node_modules/'))).toEqual([]);
  });
});

for (const build of ['tsc', 'bundle'] as const) {
  describe.skipIf((build === 'tsc' ? !built : !bundled) && process.env.CI !== 'true')(
    `what each command loads, in the built CLI (${build})`,
    () => {
      /** With the bundle, no file of the tsc build is loaded; with the tsc build, the command's own module is. */
      const ran = (files: readonly string[], own: string) =>
        build === 'tsc'
          ? expect(files).toContain(own)
          : expect(files.filter((f) => f.startsWith('dist/src/'))).toEqual([]);

      it('ciphers: no reader, parser or lint pipeline', async () => {
        const { status, files } = await loadedBy(build, ['ciphers', 'HIGH:!aNULL']);
        expect(status).toBe(1); // HIGH holds CBC suites: findings
        ran(files, 'dist/src/cli/commands/ciphers.js');
        expect(heavyIn(files)).toEqual([]);
      });

      it('probe, a whole run against a TLS server: no reader, parser or lint pipeline', async () => {
        const pki = makeTestPki();
        const server = await startNodeTlsServer({
          key: pki.server.keyPem,
          cert: pki.server.certPem,
        });
        try {
          const { status, files } = await loadedBy(build, [
            'probe',
            `127.0.0.1:${server.port}`,
            '--timeout',
            '3000',
          ]);
          expect(status).toBe(1); // findings: the test certificate is not trusted
          ran(files, 'dist/src/probe/raw/index.js');
          expect(heavyIn(files)).toEqual([]);
        } finally {
          await server.close();
          pki.cleanup();
        }
      });

      it('lint of a folder without JavaScript, YAML or Go loads no parser; a JavaScript file loads oxc, not Babel', async () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-loads-nginx-'));
        try {
          writeFileSync(
            path.join(dir, 'nginx.conf'),
            'events {}\nhttp { server { listen 443 ssl; ssl_protocols TLSv1.2 TLSv1.3; } }\n',
          );
          const nginxOnly = await loadedBy(build, [dir]);
          ran(nginxOnly.files, 'dist/src/engine/lint.js');
          expect(nginxOnly.files.filter((f) => PARSERS.test(f))).toEqual([]);
          writeFileSync(
            path.join(dir, 'server.js'),
            "require('tls').createServer({ minVersion: 'TLSv1' });\n",
          );
          const withJs = await loadedBy(build, [dir]);
          // oxc's native binding and its decoder, not its wrapper (src/languages/node/parse.ts).
          expect(withJs.files).toContain('node_modules/oxc-parser/src-js/bindings.js');
          expect(withJs.files).toContain('node_modules/oxc-parser/src-js/wrap.js');
          expect(withJs.files).not.toContain('node_modules/oxc-parser/src-js/index.js');
          // Babel only reads what oxc cannot: a file oxc parses leaves it unloaded.
          expect(withJs.files.filter((f) => f.startsWith('node_modules/@babel/'))).toEqual([]);
          // Where oxc's native binding cannot load (a platform without one, an optional
          // dependency left out), Babel parses the file and the run goes on.
          const noBinding = await loadedBy(build, [dir], {
            NAPI_RS_NATIVE_LIBRARY_PATH: path.join(dir, 'no-such-binding.node'),
          });
          expect(noBinding.status).toBe(withJs.status);
          expect(noBinding.files).toContain('node_modules/@babel/parser/lib/index.js');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    },
  );
}

describe.skipIf(!built && process.env.CI !== 'true')(
  'the source check agrees with the build',
  () => {
    it('the load-time imports read from each source are the imports tsc kept in dist/', () => {
      const disagree: string[] = [];
      const graph = loadGraph(ROOT, [...new Set(Object.values(PATHS).flatMap((p) => p.entries))]);
      for (const file of graph.files.filter((f) => f.endsWith('.ts'))) {
        const js = path.join(ROOT, 'dist', file.replace(/\.ts$/, '.js'));
        const emitted = ts
          .createSourceFile(
            js,
            readFileSync(js, 'utf8'),
            ts.ScriptTarget.ES2022,
            false,
            ts.ScriptKind.JS,
          )
          .statements.flatMap((s) =>
            (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) &&
            s.moduleSpecifier &&
            ts.isStringLiteral(s.moduleSpecifier)
              ? [s.moduleSpecifier.text]
              : [],
          );
        const read = loadTimeImports(file, readFileSync(path.join(ROOT, file), 'utf8'));
        if ([...new Set(emitted)].sort().join() !== [...new Set(read)].sort().join())
          disagree.push(`${file}: dist ${emitted.join(', ')}; read ${read.join(', ')}`);
      }
      expect(graph.files.length).toBeGreaterThan(50);
      expect(disagree).toEqual([]);
    });
  },
);

describe('which commands a command line defines', () => {
  it('only the one that runs, all for the top-level help, none for --version', () => {
    expect(commandsFor(['--version'])).toEqual([]);
    expect(commandsFor(['-v'])).toEqual([]);
    expect(commandsFor(['probe', 'example.com'])).toEqual(['probe']);
    expect(commandsFor(['ciphers', '--help'])).toEqual(['ciphers']);
    expect(commandsFor([])).toEqual(['lint']);
    expect(commandsFor(['src', '--format', 'json'])).toEqual(['lint']);
    expect(commandsFor(['--help'])).toEqual(['lint', 'rules', 'explain', 'ciphers', 'probe']);
    expect(commandsFor(['help', 'probe'])).toEqual([
      'lint',
      'rules',
      'explain',
      'ciphers',
      'probe',
    ]);
    // an option of the default command before the word: commander runs lint (with the word as a path)
    expect(commandsFor(['-r', 'probe'])).toEqual(['lint', 'probe']);
    expect(commandsFor(['--format', 'json', 'ciphers'])).toEqual(['lint']);
  });
});
