/**
 * oxc-parser reads JavaScript and TypeScript for the CLI, Babel what oxc rejects (and everything
 * with TLS_LINT_PARSER=babel). Whichever parser read a file, the reader must see the same facts
 * at the same positions: every fixture, example and source file of this repository gives the
 * same parse outcome and the same contexts both ways, and the positions computed from oxc's
 * offsets are Babel's own `loc`, line endings and astral characters included.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread, Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { childNodes, rangeOf, type EsNode, type EsPosition } from '../../src/languages/node/ast.js';
import { extractNodeContexts } from '../../src/languages/node/extract.js';
import { LineIndex } from '../../src/languages/node/lines.js';
import {
  isNodeSourcePath,
  parseNodeSource,
  type ParseOutcome,
} from '../../src/languages/node/parse.js';
import { mayConfigureTls } from '../../src/languages/node/prefilter.js';
import { ROOT } from '../support/cli.js';
import { targets } from './helpers.js';

/** Runs `fn` with TLS_LINT_PARSER set (or removed), restoring the environment after. */
async function withParser<T>(parser: 'babel' | undefined, fn: () => T | Promise<T>): Promise<T> {
  const saved = process.env.TLS_LINT_PARSER;
  if (parser) process.env.TLS_LINT_PARSER = parser;
  else delete process.env.TLS_LINT_PARSER;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.TLS_LINT_PARSER;
    else process.env.TLS_LINT_PARSER = saved;
  }
}

function sourcesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === '__snapshots__') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) sourcesUnder(full, out);
    else if (isNodeSourcePath(full)) out.push(full);
  }
  return out;
}

const FILES = [
  'fixtures',
  'examples',
  'src',
  'rules',
  'eslint-plugin',
  'test',
  'bench',
  'scripts',
].flatMap((d) => sourcesUnder(path.join(ROOT, d)));

const TESTS = path.join(ROOT, 'test') + path.sep;

/** The parse outcome and the contexts of one file, as the CLI reads it, and its AST. */
function read(file: string, text: string) {
  const parsed = parseNodeSource(file, text);
  if (!parsed.ok) return { error: parsed.error };
  // Babel's nodes carry `loc`, oxc's offsets only.
  const by = 'loc' in parsed.program ? 'babel' : 'oxc';
  // As the reader: no extraction where the prefilter finds nothing TLS-related; the tests' own
  // sources (their TLS words are in strings) are compared by parse outcome only, to save time.
  if (!mayConfigureTls(text) || file.startsWith(TESTS)) return { by, program: parsed.program };
  const { contexts } = extractNodeContexts(parsed.program, {
    file,
    targets: targets(),
    sourceText: text,
  });
  return { contexts, by, program: parsed.program };
}

/** Where a node's offsets, through the line table, differ from its Babel `loc`. */
function misplaced(
  file: string,
  text: string,
  program: EsNode,
): { wrong: string[]; nodes: number } {
  const lines = new LineIndex(text);
  const wrong: string[] = [];
  let nodes = 0;
  const stack: EsNode[] = [program];
  while (stack.length > 0) {
    const node = stack.pop()!;
    stack.push(...childNodes(node));
    const { loc, start, end } = node as EsNode & {
      start: number;
      end: number;
      loc: { start: EsPosition; end: EsPosition };
    };
    const [s, e] = [lines.position(start), lines.position(end)];
    nodes++;
    if (
      s.line !== loc.start.line ||
      s.column !== loc.start.column ||
      e.line !== loc.end.line ||
      e.column !== loc.end.column
    )
      wrong.push(`${file}:${loc.start.line}:${loc.start.column} ${node.type}`);
  }
  return { wrong, nodes };
}

/**
 * Where the two ASTs differ in shape (class fields, private names, parentheses, chains,
 * template spans in TS-ESTree, parameter properties, decorators, JSX…), each written around
 * TLS options so that a difference shows in the contexts.
 */
const SNIPPETS: Array<[string, string]> = [
  [
    'fields.js',
    `const tls = require('tls');
class Conf {
  static #secret = 1;
  static minVersion = 'TLSv1';
  static rejectUnauthorized = false;
  #own = { ciphers: 'RC4' };
  field = { minVersion: 'TLSv1.1' };
  accessor a = 1;
}
tls.connect({ ...Conf });
tls.createServer(Conf);`,
  ],
  [
    'shapes.ts',
    `import tls from 'node:tls';
import type { SecureContextOptions } from 'tls';
@Injectable()
export class Client {
  constructor(private readonly opts: tls.ConnectionOptions = { rejectUnauthorized: false }) {}
  @Dec({ ssl: { rejectUnauthorized: false } }) m() {}
  connect(host?: string) {
    return tls.connect({ ...(this.opts), host: host!, minVersion: (('TLSv1' as const)) satisfies string });
  }
}
const o = { ciphers: \`\${'RC4'}:HIGH\`, secureProtocol: <const>'SSLv3_method' };
tls.createSecureContext(o as SecureContextOptions);
const url = \`postgres://u@h/db?sslmode=disable&x=\${1}\`;
const m = \`mongodb://h/?tlsInsecure=true\`;
const n = 10n, r = /tls/gi, c = globalThis?.process?.env;
const { default: https } = await import('node:https', { with: { type: 'js' } });
https.request({ rejectUnauthorized: c?.X === '1' ? false : true });`,
  ],
  [
    'view.tsx',
    `import https from 'https';
export const App = () => <div onClick={() => https.get({ rejectUnauthorized: false })}>{\`x\`}</div>;`,
  ],
  [
    'script.cjs',
    `#!/usr/bin/env node
'use strict';
const tls = require('tls');\r\nconst é = '😀';\r\n
tls.connect({ minVersion: 'TLSv1', ca: [é] });
return;`,
  ],
  [
    'surrogates.js',
    "const s = '\uD800', t = '\\uDC00'; require('tls').connect({ servername: s, ciphers: t, minVersion: 'TLSv1' });",
  ],
  ['broken.ts', `const a = { b: 1,\n  c: 2 +;\n};\n`],
  ['redeclared.js', 'let a = 1;\nlet a = 2;\n'],
];

describe('oxc-parser and Babel give the reader the same facts', () => {
  it('parses every file of the repository to the same outcome and contexts', async () => {
    expect(FILES.length).toBeGreaterThan(300);
    let byOxc = 0;
    let contexts = 0;
    const wrong: string[] = [];
    let nodes = 0;
    for (const file of FILES) {
      const text = readFileSync(file, 'utf8');
      const { program: _o, ...oxc } = read(file, text);
      const { program: babelProgram, ...babel } = await withParser('babel', () => read(file, text));
      expect(babel.by ?? 'error', file).not.toBe('oxc');
      if (oxc.by === 'oxc') byOxc++;
      contexts += oxc.contexts?.length ?? 0;
      const { by: _ob, ...fromOxc } = oxc;
      const { by: _bb, ...fromBabel } = babel;
      expect(fromOxc, file).toEqual(fromBabel);
      // The positions oxc's offsets give are Babel's `loc`, on every node of the file.
      if (babelProgram) {
        const placed = misplaced(file, text, babelProgram);
        wrong.push(...placed.wrong);
        nodes += placed.nodes;
      }
    }
    // The comparison means something only when oxc read the files and they hold contexts.
    expect(byOxc).toBeGreaterThan(FILES.length * 0.9);
    expect(contexts).toBeGreaterThan(200);
    expect(wrong).toEqual([]);
    expect(nodes).toBeGreaterThan(100_000);
  });

  it('reads the forms whose AST shapes differ to the same contexts and errors', async () => {
    const outcomes = [];
    for (const [name, text] of SNIPPETS) {
      const file = path.join(ROOT, 'fixtures', name);
      const { program: _op, ...oxc } = read(file, text);
      const { program: _bp, ...babel } = await withParser('babel', () => read(file, text));
      const { by: _o, ...fromOxc } = oxc;
      const { by: _b, ...fromBabel } = babel;
      expect(fromOxc, name).toEqual(fromBabel);
      outcomes.push(oxc.by ?? oxc.error.message);
    }
    expect(outcomes).toEqual([
      'oxc',
      'oxc',
      'oxc',
      'oxc',
      // A lone surrogate in the text itself (not an escape): oxc would read U+FFFD.
      'babel',
      'Syntax error: Unexpected token',
      "Syntax error: Identifier 'a' has already been declared.",
    ]);
  });

  it('lints the fixture projects to the same findings and errors, across modules too', async () => {
    const paths = [path.join(ROOT, 'fixtures')];
    const oxc = await lint({ paths });
    const babel = await withParser('babel', () => lint({ paths }));
    expect(oxc.findings.length).toBeGreaterThan(100);
    expect(oxc.findings.some((f) => f.at.definedAt)).toBe(true);
    expect(oxc.findings).toEqual(babel.findings);
    expect(oxc.errors).toEqual(babel.errors);
  });

  it('reports a syntax error with Babel message and position', () => {
    const result = parseNodeSource('/p/a.ts', 'const a = {\r\n  b: 1,\r\n  c: 2 +;\r\n};\n');
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'syntax', message: 'Syntax error: Unexpected token', line: 3, column: 9 },
    });
  });

  it('hands Flow files to Babel', () => {
    const parsed = parseNodeSource('/p/a.js', '// @flow\nconst x: number = (y: any);\n');
    expect(parsed.ok && 'loc' in parsed.program).toBe(true);
  });

  it('reads with Babel when TLS_LINT_PARSER=babel', async () => {
    const text = 'const tls = require("tls");\n';
    const oxc = parseNodeSource('/p/a.js', text);
    const babel = await withParser('babel', () => parseNodeSource('/p/a.js', text));
    expect([oxc.ok && 'loc' in oxc.program, babel.ok && 'loc' in babel.program]).toEqual([
      false,
      true,
    ]);
  });
});

describe('nesting oxc cannot take', () => {
  // oxc's native parser has no depth guard: past a few thousand levels it overflows the thread's
  // stack and the process dies with a segmentation fault (this test process with it). Such
  // files go to Babel, which parses them or reports them too deeply nested.
  const DEEP: Array<[string, (n: number) => string]> = [
    ['a.js', (n) => `x = ${'('.repeat(n)}1${')'.repeat(n)};`],
    ['a.js', (n) => `${'function f(){'.repeat(n)}${'}'.repeat(n)}`],
    ['a.js', (n) => `if (a) {}${' else if (a) { x; }'.repeat(n)}`],
    ['a.js', (n) => `x = a${'()'.repeat(n)};`],
    ['a.js', (n) => `x = 'a'${" + 'b'".repeat(n)};`],
    ['a.js', (n) => `x = ${'a = '.repeat(n)}1;`],
    ['a.js', (n) => `x = ${'new '.repeat(n)}a;`],
    ['a.js', (n) => `x = ${'`${'.repeat(n)}1${'}`'.repeat(n)};`],
    ['a.js', (n) => `${'for (;;) '.repeat(n)};`],
    ['a.ts', (n) => `let x: ${'Array<'.repeat(n)}T${'>'.repeat(n)};`],
    ['a.ts', (n) => `x = a${' as any'.repeat(n)};`],
  ];

  it('are read by Babel: parsed, or too deeply nested, never a crash', () => {
    for (const [name, make] of DEEP) {
      const result = parseNodeSource(`/p/${name}`, make(40_000));
      const outcome = result.ok ? ('loc' in result.program ? 'babel' : 'oxc') : result.error.kind;
      expect(['babel', 'too-deep'], make(3)).toContain(outcome);
    }
  });

  it('leave ordinary files, long flat lists and long statement sequences to oxc', () => {
    const ordinary = [
      `const list = [${Array.from({ length: 20_000 }, (_, i) => i).join(', ')}];`,
      `function f() {\n${'  if (a) { b(); }\n'.repeat(5000)}}`,
      `class C {\n${'  m() { return this.x.y(1); }\n'.repeat(5000)}}`,
      'x = a.b.c(d[0], { e: f ? g : h });\n'.repeat(5000),
    ];
    for (const text of ordinary) {
      const result = parseNodeSource('/p/a.js', text);
      expect(result.ok && !('loc' in result.program), text.slice(0, 40)).toBe(true);
    }
  });

  it('go to oxc on a main thread with 8 MB of stack at twice the depth a worker thread takes', async () => {
    // 250 nested functions: over a worker thread's 4 MB limit, under the main thread's.
    const text = `${'function f(){'.repeat(250)}${'}'.repeat(250)}`;
    const parser = (r: ParseOutcome) => (r.ok ? ('loc' in r.program ? 'babel' : 'oxc') : 'error');
    const limit =
      process.platform === 'linux'
        ? /^Max stack size\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1]
        : undefined;
    const bigStack = limit === 'unlimited' || Number(limit) >= 8 * 1024 * 1024;
    // Vitest runs this file in a child process (pool: forks), on its main thread.
    expect(isMainThread).toBe(true);
    expect(parser(parseNodeSource('/p/a.js', text))).toBe(bigStack ? 'oxc' : 'babel');
    // The built module, as the reading workers load it.
    const built = pathToFileURL(path.join(ROOT, 'dist/src/languages/node/parse.js')).href;
    const inWorker = await new Promise((resolve, reject) => {
      const worker = new Worker(
        `import(${JSON.stringify(built)}).then(({ parseNodeSource }) => {
          const r = parseNodeSource('/p/a.js', ${JSON.stringify(text)});
          require('node:worker_threads').parentPort.postMessage(r.ok ? ('loc' in r.program ? 'babel' : 'oxc') : 'error');
        })`,
        { eval: true },
      );
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(inWorker).toBe('babel');
  });
});

describe('positions from offsets', () => {
  const TRICKY = [
    'a\nb\r\nc\rd\u2028e\u2029f',
    "const é = '😀😀', s = `x\r\n${'😀'}\n`;\r\nfoo({ k: '😀' })\u2028bar()\r\r\n",
    '\n\n\n',
    '',
    'x',
  ];

  it('are the line and UTF-16 column of the text, whatever ends the lines', () => {
    for (const text of TRICKY) {
      const lines = new LineIndex(text);
      for (let offset = 0; offset <= text.length; offset++) {
        // No node starts or ends inside a \r\n.
        if (text[offset - 1] === '\r' && text[offset] === '\n') continue;
        const before = text.slice(0, offset).split(/\r\n|[\n\r\u2028\u2029]/);
        expect(lines.position(offset), `${JSON.stringify(text)} @${offset}`).toEqual({
          line: before.length,
          column: before.at(-1)!.length,
        });
      }
    }
  });

  it('are read from offsets for oxc nodes, from loc for Babel nodes', async () => {
    const text = "x;\r\nconst o = { s: '😀', k: 1 };";
    const oxc = parseNodeSource('/p/o.js', text);
    const babel = await withParser('babel', () => parseNodeSource('/p/b.js', text));
    if (!oxc.ok || !babel.ok) throw new Error('parse failed');
    const decl = (p: typeof oxc.program) =>
      (p.body[1] as { declarations: Array<{ init: { properties: EsNode[] } }> }).declarations[0]!
        .init.properties[1]!;
    const column = text.split('\r\n')[1]!.indexOf('k: 1') + 1;
    expect(rangeOf(decl(oxc.program), '/p/o.js')).toEqual({
      file: '/p/o.js',
      line: 2,
      column,
      endLine: 2,
      endColumn: column + 4,
    });
    expect(rangeOf(decl(babel.program), '/p/o.js')).toEqual(rangeOf(decl(oxc.program), '/p/o.js'));
  });
});
