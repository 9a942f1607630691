/**
 * The Node prefilter must be safe: a file it drops can hold no TLS setting. Every fixture, every
 * example and the project's own sources are linted with the prefilter out of the way (the
 * extractor run directly); each file with a Node finding must pass the prefilter.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTargetArgs } from '../../src/config/targets.js';
import { Targets } from '../../src/config/targets.js';
import {
  extractNodeContexts,
  isNodeSourcePath,
  mayConfigureTls,
  parseNodeSource,
} from '../../src/languages/node/index.js';
import { SCAN_LITERALS, SWITCH_ANCHOR, TLS_ANCHORS } from '../../src/languages/node/prefilter.js';
import { contextsOf } from './helpers.js';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === 'node_modules' || name === '__snapshots__') return [];
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

const files = ['fixtures', 'examples', 'src', 'rules', 'eslint-plugin/src', 'test']
  .flatMap((d) => walk(path.resolve(d)))
  .filter((f) => isNodeSourcePath(f));

describe('Node prefilter', () => {
  it('keeps every file in which the extractor finds a TLS context', () => {
    const targets = new Targets(parseTargetArgs([]));
    const dropped: string[] = [];
    let withContexts = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const parsed = parseNodeSource(file, text);
      if (!parsed.ok) continue;
      const { contexts } = extractNodeContexts(parsed.program, { file, targets, sourceText: text });
      if (contexts.length === 0) continue;
      withContexts++;
      if (!mayConfigureTls(text)) dropped.push(path.relative(process.cwd(), file));
    }
    expect(files.length).toBeGreaterThan(300);
    expect(withContexts).toBeGreaterThan(50);
    expect(dropped).toEqual([]);
  });

  // Each of these makes a context (checked), so the prefilter must keep it.
  const TRICKY: Array<[string, string, string?]> = [
    ['an alias of the module', "const h = require('node:https'); h.request({ ciphers: 'ALL' });"],
    ['import * as', 'import * as t from "tls";\nt.connect({ minVersion: \'TLSv1\' });', '.ts'],
    ['TypeScript import =', "import tls = require('tls');\ntls.createServer({});", '.ts'],
    [
      'dynamic import',
      "const { connect } = await import('http2');\nconnect('https://x', {});",
      '.mjs',
    ],
    ['a template literal', 'const u = require(`undici`);\nnew u.Agent({ connect: {} });'],
    ['the module name in a constant', "const M = 'https';\nrequire(M).get({ host: 'x' });"],
    ['a computed key', "new Thing({ ['rejectUnauthorized']: false });"],
    ['a bag named by a constant', "const K = 'ssl';\nnew Pool({ [K]: { ca: certs } });"],
    ['a bag written as a key', 'new Pool({ ssl: { ca: certs } });'],
    ['a shorthand bag', 'const tls = { ca: certs };\nnew Redis({ tls });'],
    ['a member write of a bag', 'const o = {};\no.ssl = { cert: c, key: k };\nconnect(o);'],
    ['fastify https', "fastify({ https: { key: k, cert: c, minVersion: 'TLSv1' } });"],
    ['process.env by index', "process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = '0';"],
    [
      'a connection string, parameter in upper case',
      "connect('postgres://h/db?SSLMODE=no-verify');",
    ],
    ['superagent', "import sa from 'superagent';\nsa.get(u).disableTLSCerts();"],
    [
      'http-proxy',
      "const hp = require('http-proxy');\nhp.createProxyServer({ target: t, secure: false });",
    ],
    ['tls defaults', "const tls = require('tls');\ntls.DEFAULT_MIN_VERSION = 'TLSv1';"],
    ['createCredentials', "require('crypto').createCredentials({ key: k });"],
    [
      'JSX',
      "const https = require('https');\nexport const A = () => <C agent={new https.Agent({ rejectUnauthorized: false })} />;",
      '.jsx',
    ],
  ];
  for (const [what, source, ext] of TRICKY) {
    it(`keeps a file that makes a context through ${what}`, () => {
      expect(contextsOf(source, ext ? { ext } : {}).length).toBeGreaterThan(0);
      expect(mayConfigureTls(source)).toBe(true);
    });
  }

  it('drops text that names nothing TLS-related, whatever look-alike words it holds', () => {
    for (const source of [
      'export const add = (a, b) => a + b;\n',
      'compute.targetHttpsProxies.list({ project });',
      "el.classList.add('x'); ctx.processLabels();",
      '// See https://example.com/license and http/https\nconst isUrl = /^https?:\\/\\//;',
      'const cross = /^((http:)|(https:)|(file:))/.test(src);',
      "if (url.protocol === 'https:' || scheme === 'https') go();",
      "switch (scheme) { case 'https': case 'tls': break; }",
      "res.cookie('sid', id, { secure: true, httpOnly: true });",
      "crypto.createHash('sha256'); const o = crypto.constants.SSL_OP_NO_TLSv1;",
      "fetch(url, { protocol: 'https:' });",
      'new Client({ useSsl: true, MINVERSION: 1 });',
    ]) {
      expect(contextsOf(source), source).toEqual([]);
      expect(mayConfigureTls(source), source).toBe(false);
    }
  });

  /** The patterns tested over the whole text: what the scan of `mayConfigureTls` must answer. */
  const whole = (text: string) => TLS_ANCHORS.test(text) || SWITCH_ANCHOR.test(text);

  /** The words a pattern matches: its source without lookarounds and escapes, split at syntax. */
  function wordsOf(pattern: RegExp): string[] {
    let source = pattern.source.replace(/\\./g, '');
    // Lookarounds are zero-width: what they name is never part of a match.
    for (let at = source.search(/\(\?<?[!=]/); at !== -1; at = source.search(/\(\?<?[!=]/)) {
      let depth = 0;
      let end = at;
      for (; end < source.length; end++) {
        if (source[end] === '(') depth++;
        else if (source[end] === ')' && --depth === 0) break;
      }
      source = source.slice(0, at) + source.slice(end + 1);
    }
    return source.replace(/\[[^\]]*\]/g, ' ').match(/[\w-]+/g) ?? [];
  }

  it('scans for literals that every word of the patterns holds', () => {
    const tlsWords = wordsOf(TLS_ANCHORS);
    // `node:` is the one thing before a quoted module name (the scan looks that far back).
    expect(tlsWords.filter((w) => !SCAN_LITERALS.tls.some((l) => w.includes(l)))).toEqual(['node']);
    expect(tlsWords).toContain('rejectUnauthorized');
    const switchWords = wordsOf(SWITCH_ANCHOR).map((w) => w.toLowerCase());
    expect(switchWords).toContain('trustservercertificate');
    expect(switchWords.filter((w) => !SCAN_LITERALS.switches.some((l) => w.includes(l)))).toEqual(
      [],
    );
  });

  it('answers as the patterns tested over the whole text do', () => {
    const tlsWords = wordsOf(TLS_ANCHORS).filter((w) => w !== 'node');
    const switchWords = wordsOf(SWITCH_ANCHOR);
    const before = [
      '',
      "'",
      '"',
      '`',
      "'node:",
      "case '",
      'case"',
      '== "',
      '!=`',
      'x.',
      'a',
      '$',
      '\n',
      '{ ',
    ];
    const after = [
      "'",
      '"',
      '`',
      '/',
      ':',
      ': ',
      '://',
      ':)',
      '=',
      '==',
      ' = ',
      ',',
      ' }',
      'x',
      ')',
      '',
    ];
    // A literal before (a URL, an overlapping word) must not hide a match after it.
    const lead = ['', 'https://example.com/ ', "'https:' ", 'tlss', 'ssltls '];
    const texts: string[] = [];
    for (const word of [
      ...tlsWords,
      ...tlsWords.map((w) => w.toUpperCase()),
      ...switchWords,
      ...switchWords.map((w) => w.toUpperCase()),
    ])
      for (const l of lead)
        for (const b of before) for (const a of after) texts.push(l + b + word + a);
    let kept = 0;
    for (const text of texts) {
      expect(mayConfigureTls(text), text).toBe(whole(text));
      if (whole(text)) kept++;
    }
    // Both answers occur: the comparison tells something.
    expect(kept).toBeGreaterThan(texts.length / 10);
    expect(kept).toBeLessThan(texts.length);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(mayConfigureTls(text), file).toBe(whole(text));
    }
  });
});
