/**
 * The extractor works on ESTree, whoever produced it: the same source parsed by the CLI's parser
 * (oxc-parser, or Babel) and by espree (ESLint's parser) must give the very same contexts.
 */
import * as espree from 'espree';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractNodeContexts } from '../../src/languages/node/extract.js';
import { parseNodeSource } from '../../src/languages/node/parse.js';
import type { EsNode } from '../../src/languages/node/ast.js';
import { FILE_DIR, targets } from './helpers.js';

const SOURCE = `
import tls from 'node:tls';
import * as https from 'https';
import { connect as tlsConnect, createSecureContext } from 'tls';
import { readFileSync } from 'node:fs';
const http2 = await import('node:http2');
const { Agent: UndiciAgent } = await import('undici');
import { Pool } from 'pg';

const shared = { minVersion: 'TLSv1', ciphers: 'HIGH:!aNULL' };
const relaxed = !1;
let strict = true;
if (process.env.DEV) strict = false;

export const server = tls.createServer({
  ...shared,
  key: readFileSync('./certs/server.key'),
  cert: readFileSync('./certs/server.crt'),
  ca: [readFileSync('./certs/client-ca.crt')],
  requestCert: true,
  rejectUnauthorized: false,
  secureOptions: 0x04000000 | 0x10000000,
});

tlsConnect(443, 'example.com', { rejectUnauthorized: relaxed, checkServerIdentity: () => undefined, servername: \`example.com\` });
createSecureContext({ secureProtocol: 'TLSv1_method' });
https.request({ ...shared, rejectUnauthorized: strict });
http2.connect('https://example.com', { rejectUnauthorized: process.env.X === 'dev' ? false : true });
new UndiciAgent({ connect: { rejectUnauthorized: false } });
new Pool({ ssl: { rejectUnauthorized: false } });
process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = 0;
Object.assign(process.env, { NODE_TLS_REJECT_UNAUTHORIZED: '0' });
if (opts.rejectUnauthorized === false) console.log('no');
`;

describe('ESTree from espree and from Babel', () => {
  const file = path.join(FILE_DIR, 'server.mjs');

  const fromBabel = () => {
    const parsed = parseNodeSource(file, SOURCE);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return extractNodeContexts(parsed.program, { file, targets: targets('18'), sourceText: SOURCE })
      .contexts;
  };
  const fromEspree = () => {
    const program = espree.parse(SOURCE, {
      ecmaVersion: 'latest',
      sourceType: 'module',
      loc: true,
      range: true,
    }) as unknown as EsNode;
    return extractNodeContexts(program, { file, targets: targets('18'), sourceText: SOURCE })
      .contexts;
  };

  it('finds the contexts of every form in the source', () => {
    const contexts = fromBabel();
    expect(contexts.map((c) => c.api)).toEqual([
      'tls.createServer',
      'tls.connect',
      'tls.createSecureContext',
      'https.request',
      'http2.connect',
      'undici.Agent',
      'pg.Pool',
      'process.env.NODE_TLS_REJECT_UNAUTHORIZED',
      'process.env.NODE_TLS_REJECT_UNAUTHORIZED',
    ]);
  });

  it('gives the same contexts, settings and locations', () => {
    const babel = fromBabel();
    const espreeContexts = fromEspree();
    expect(espreeContexts.length).toBeGreaterThan(5);
    expect(espreeContexts).toEqual(babel);
  });
});

const COMMONJS = `
'use strict';
const { createServer } = require('https');
const tls = require('node:tls');
const fs = require('fs');
const ca = fs.readFileSync(__dirname + '/ca.pem');
function start(port) {
  const opts = { ca, requestCert: true };
  opts.rejectUnauthorized = false;
  return createServer(opts).listen(port);
}
tls.createSecurePair();
module.exports = { start, db: { ssl: { rejectUnauthorized: false } } };
`;

describe('ESTree from espree and from Babel (CommonJS script)', () => {
  it('gives the same contexts', () => {
    const file = path.join(FILE_DIR, 'server.cjs');
    const parsed = parseNodeSource(file, COMMONJS);
    if (!parsed.ok) throw new Error(parsed.error.message);
    const babel = extractNodeContexts(parsed.program, {
      file,
      targets: targets(),
      sourceText: COMMONJS,
    }).contexts;
    const program = espree.parse(COMMONJS, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      loc: true,
      range: true,
    }) as unknown as EsNode;
    const fromEspree = extractNodeContexts(program, {
      file,
      targets: targets(),
      sourceText: COMMONJS,
    }).contexts;
    expect(babel.map((c) => c.api)).toEqual([
      'https.createServer',
      'tls.createSecurePair',
      'object literal',
    ]);
    expect(babel[0]!.clientVerify).toMatchObject({ origin: 'explicit', value: 'any' });
    expect(fromEspree).toEqual(babel);
  });
});
