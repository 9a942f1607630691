/**
 * What the Node reader turns JS/TS into: one context per options object, each setting with its
 * origin. Rules are tested elsewhere; these tests pin the translation.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Targets } from '../../src/config/targets.js';
import { NODE_DEFAULT_CIPHERS_18_20 } from '../../src/crypto/platforms/node-defaults.js';
import { extractNodeContexts } from '../../src/languages/node/extract.js';
import { parseNodeSource } from '../../src/languages/node/parse.js';
import type { TlsContext } from '../../src/model/context.js';
import { contextsOf, FILE_DIR, only } from './helpers.js';

const one = (src: string, options?: { ext?: string; node?: string }): TlsContext =>
  only(contextsOf(src, options));

describe('module recognition', () => {
  const forms: Array<[string, string, string]> = [
    ['require', "const tls = require('tls'); tls.connect({ host: 'h' });", 'tls.connect'],
    [
      'require node:',
      "const https = require('node:https'); https.request({ host: 'h' });",
      'https.request',
    ],
    ['require member', "require('https').get({ host: 'h' });", 'https.get'],
    [
      'destructuring',
      "const { createServer } = require('https'); createServer({});",
      'https.createServer',
    ],
    [
      'destructuring with alias',
      "const { connect: dial } = require('node:tls'); dial({});",
      'tls.connect',
    ],
    [
      'namespace import',
      "import * as tls from 'tls'; tls.createSecureContext({});",
      'tls.createSecureContext',
    ],
    ['default import', "import https from 'https'; new https.Agent({});", 'https.Agent'],
    [
      'named import with alias',
      "import { connect as tlsConnect } from 'node:tls'; tlsConnect({});",
      'tls.connect',
    ],
    ['dynamic import', "const tls = await import('tls'); tls.connect({});", 'tls.connect'],
    [
      'dynamic import default',
      "const { default: h2 } = await import('node:http2'); h2.createSecureServer({});",
      'http2.createSecureServer',
    ],
    [
      'createRequire',
      "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url); require('tls').connect({});",
      'tls.connect',
    ],
    ['TLSSocket', "import tls from 'tls'; new tls.TLSSocket(sock, {});", 'tls.TLSSocket'],
    ['undici', "import { Agent } from 'undici'; new Agent({ connect: {} });", 'undici.Agent'],
  ];
  for (const [name, src, api] of forms) {
    it(`${name}: ${api}`, () => {
      const c = one(src, { ext: '.mjs' });
      expect(c.api).toBe(api);
      expect(c.recognition).toBe('known-api');
    });
  }

  it('TypeScript import = require()', () => {
    expect(one("import tls = require('tls'); tls.connect({});", { ext: '.ts' }).api).toBe(
      'tls.connect',
    );
  });

  it('ignores look-alikes that are not the module', () => {
    expect(contextsOf("const tls = { connect() {} }; tls.connect({ host: 'h' });")).toEqual([]);
    expect(
      contextsOf("import { connect } from './tls.js'; connect({ host: 'h' });", { ext: '.mjs' }),
    ).toEqual([]);
    // A local declaration shadows the import.
    expect(
      contextsOf("import tls from 'tls'; function f(tls) { tls.connect({}); }", { ext: '.mjs' }),
    ).toEqual([]);
  });

  it('a comparison reads an option and configures nothing', () => {
    expect(
      contextsOf(
        'if (opts.rejectUnauthorized === false) warn(); const off = options.rejectUnauthorized;',
      ),
    ).toEqual([]);
  });
});

describe('roles, labels and locations', () => {
  it('points the context at the call and its callee, with 1-based exclusive columns', () => {
    const c = one("const tls = require('tls');\ntls.createServer({ minVersion: 'TLSv1' });");
    expect(c.role).toBe('server');
    expect(c.label).toBe('tls.createServer() options');
    expect(c.at).toEqual({
      file: path.join(FILE_DIR, 'app.js'),
      line: 2,
      column: 1,
      endLine: 2,
      endColumn: 42,
    });
    expect(c.enabledAt).toMatchObject({ line: 2, column: 1, endColumn: 17 });
    expect(c.protocols).toMatchObject({
      origin: 'explicit',
      key: 'minVersion',
      raw: 'TLSv1',
      at: { line: 2, column: 20, endColumn: 39 },
    });
  });

  it('gives each API its role', () => {
    const roles = contextsOf(`
      const tls = require('tls'), https = require('https'), http2 = require('http2');
      tls.createServer(); https.createServer({}); http2.createSecureServer({});
      tls.connect({}); https.request({}); https.get({}); new https.Agent(); http2.connect('https://x', {});
      tls.createSecureContext({});
      new tls.TLSSocket(s, { isServer: true }); new tls.TLSSocket(s, {});
    `).map((c) => `${c.api}:${c.role}`);
    expect(roles).toEqual([
      'tls.createServer:server',
      'https.createServer:server',
      'http2.createSecureServer:server',
      'tls.connect:client',
      'https.request:client',
      'https.get:client',
      'https.Agent:client',
      'http2.connect:client',
      'tls.createSecureContext:either',
      'tls.TLSSocket:server',
      'tls.TLSSocket:client',
    ]);
  });

  it('finds the options argument after a port, host or URL', () => {
    const [a, b, c] = contextsOf(`
      const tls = require('tls'), https = require('https');
      tls.connect(443, 'example.com', { rejectUnauthorized: false });
      https.get('https://example.com', { rejectUnauthorized: false }, (res) => {});
      https.get(url, { rejectUnauthorized: false });
    `);
    for (const ctx of [a, b, c])
      expect(ctx!.peerVerification).toMatchObject({ origin: 'explicit', value: false });
  });
});

describe('protocol versions', () => {
  const protocolsOf = (opts: string, node?: string) =>
    one(`require('tls').createServer(${opts});`, node ? { node } : {}).protocols;

  it("uses the target's Node default when nothing is set", () => {
    expect(protocolsOf('{}')).toEqual({
      origin: 'default',
      value: ['TLSv1.2', 'TLSv1.3'],
      reason: 'Node 22 default minVersion "TLSv1.2"',
      key: 'minVersion',
    });
    expect(protocolsOf('{}', '10')).toMatchObject({
      origin: 'default',
      value: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
      reason: 'Node 10 default minVersion "TLSv1"',
    });
    expect(protocolsOf('{}', '11.4')).toMatchObject({ origin: 'default', value: ['TLSv1.2'] });
  });

  it('reads minVersion and maxVersion with Node names', () => {
    expect(protocolsOf("{ minVersion: 'TLSv1' }")).toMatchObject({
      origin: 'explicit',
      value: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
      key: 'minVersion',
    });
    expect(protocolsOf("{ minVersion: 'TLSv1.1', maxVersion: 'TLSv1.2' }")).toMatchObject({
      value: ['TLSv1.1', 'TLSv1.2'],
      key: 'minVersion',
    });
    // The default minimum still holds; the lowest version is not decided by what was written.
    expect(protocolsOf("{ maxVersion: 'TLSv1.2' }")).toMatchObject({
      origin: 'default',
      value: ['TLSv1.2'],
    });
    // A maximum below the default minimum leaves nothing (Node then fails every handshake).
    expect(protocolsOf("{ maxVersion: 'TLSv1.1' }")).toMatchObject({
      origin: 'explicit',
      value: [],
      key: 'maxVersion',
    });
    expect(protocolsOf("{ minVersion: 'SSLv3' }")).toMatchObject({
      origin: 'unknown',
      key: 'minVersion',
    });
  });

  it('knows what each secureProtocol method allows', () => {
    expect(protocolsOf("{ secureProtocol: 'TLSv1_method' }")).toMatchObject({
      origin: 'explicit',
      value: ['TLSv1.0'],
      key: 'secureProtocol',
      raw: 'TLSv1_method',
    });
    expect(protocolsOf("{ secureProtocol: 'TLSv1_1_server_method' }")).toMatchObject({
      value: ['TLSv1.1'],
    });
    expect(protocolsOf("{ secureProtocol: 'TLSv1_2_method' }")).toMatchObject({
      value: ['TLSv1.2'],
    });
    expect(protocolsOf("{ secureProtocol: 'TLS_method' }")).toMatchObject({
      value: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    });
    expect(protocolsOf("{ secureProtocol: 'SSLv23_method' }")).toMatchObject({
      value: ['TLSv1.2'],
    });
    expect(protocolsOf("{ secureProtocol: 'SSLv23_method' }", '8')).toMatchObject({
      value: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
    });
    expect(protocolsOf("{ secureProtocol: 'SSLv3_method' }")).toMatchObject({
      origin: 'unknown',
      reason: expect.stringContaining('ERR_TLS_INVALID_PROTOCOL_METHOD'),
    });
    expect(protocolsOf("{ secureProtocol: 'TLSv1_method', minVersion: 'TLSv1.2' }")).toMatchObject({
      origin: 'unknown',
      reason: expect.stringContaining('ERR_TLS_PROTOCOL_VERSION_CONFLICT'),
    });
  });

  it('removes versions turned off by SSL_OP_NO_* flags, by name or number', () => {
    const src = (flags: string) =>
      `const crypto = require('crypto'); const { constants } = crypto; require('tls').createServer({ minVersion: 'TLSv1', secureOptions: ${flags} });`;
    expect(
      one(src('crypto.constants.SSL_OP_NO_TLSv1 | constants.SSL_OP_NO_TLSv1_1')).protocols,
    ).toMatchObject({ origin: 'explicit', key: 'secureOptions', value: ['TLSv1.2', 'TLSv1.3'] });
    expect(
      one(`require('tls').createServer({ secureOptions: require('constants').SSL_OP_NO_TLSv1_3 });`)
        .protocols,
    ).toMatchObject({ origin: 'default', value: ['TLSv1.2'] });
    expect(one(src('0x04000000')).protocols).toMatchObject({
      origin: 'explicit',
      key: 'secureOptions',
      value: ['TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    });
    expect(one(src('constants.SSL_OP_ALL | constants.SSL_OP_NO_SSLv3')).protocols).toMatchObject({
      origin: 'explicit',
      key: 'minVersion',
      value: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    });
    expect(one(src('getFlags()')).protocols).toMatchObject({
      origin: 'unknown',
      key: 'secureOptions',
    });
  });

  it('keeps conditional versions conditional', () => {
    const p = one(
      "const legacy = process.env.LEGACY; require('tls').createServer({ minVersion: legacy ? 'TLSv1' : undefined });",
    ).protocols;
    expect(p).toMatchObject({ origin: 'conditional', key: 'minVersion' });
    expect(p!.origin === 'conditional' && p!.branches).toEqual([
      expect.objectContaining({
        origin: 'explicit',
        value: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
      }),
      expect.objectContaining({ origin: 'default', value: ['TLSv1.2', 'TLSv1.3'] }),
    ]);
  });
});

describe('ciphers and curves stay raw', () => {
  it('explicit and default cipher lists', () => {
    const [a, b] = contextsOf(
      "const tls = require('tls'); tls.createServer({ ciphers: 'HIGH:!aNULL', ecdhCurve: 'P-256:X25519', honorCipherOrder: true }); tls.connect({});",
    );
    expect(a!.ciphers).toMatchObject({
      origin: 'explicit',
      value: { syntax: 'node', text: 'HIGH:!aNULL' },
      key: 'ciphers',
    });
    expect(a!.curves).toMatchObject({ origin: 'explicit', value: ['P-256', 'X25519'] });
    expect(a!.serverCipherPreference).toMatchObject({ origin: 'explicit', value: true });
    expect(b!.ciphers).toMatchObject({
      origin: 'default',
      value: { syntax: 'node', text: NODE_DEFAULT_CIPHERS_18_20 },
    });
    expect(b!.serverCipherPreference).toBeUndefined();
  });

  it('honorCipherOrder defaults to true in tls.Server, to false in a bare secure context', () => {
    const [server, h2, context, socket] = contextsOf(
      "const tls = require('tls'); tls.createServer({}); require('http2').createSecureServer({ honorCipherOrder: 0 }); tls.createSecureContext({}); new tls.TLSSocket(s, { isServer: true });",
    );
    expect(server!.serverCipherPreference).toMatchObject({ origin: 'default', value: true });
    expect(h2!.serverCipherPreference).toMatchObject({ origin: 'explicit', value: false });
    expect(context!.serverCipherPreference).toMatchObject({ origin: 'default', value: false });
    expect(socket!.serverCipherPreference).toMatchObject({ origin: 'default', value: false });
  });
});

describe('a bare new tls.TLSSocket() checks nothing itself (Node 20.20)', () => {
  it('as a client: verification is up to the caller unless it is turned off', () => {
    const [plain, strict, off] = contextsOf(
      "const tls = require('tls'); new tls.TLSSocket(s, {}); new tls.TLSSocket(s, { rejectUnauthorized: true }); new tls.TLSSocket(s, { rejectUnauthorized: false });",
    );
    expect(plain!.peerVerification).toMatchObject({ origin: 'unknown' });
    expect(plain!.hostnameVerification).toMatchObject({ origin: 'unknown' });
    expect(strict!.peerVerification).toMatchObject({
      origin: 'unknown',
      key: 'rejectUnauthorized',
    });
    expect(off!.peerVerification).toMatchObject({ origin: 'explicit', value: false });
  });

  it('as a server: a failing client certificate is never rejected; one is required only with rejectUnauthorized', () => {
    const [plain, strict] = contextsOf(
      "const tls = require('tls'); new tls.TLSSocket(s, { isServer: true, requestCert: true }); new tls.TLSSocket(s, { isServer: true, requestCert: true, rejectUnauthorized: 1 });",
    );
    expect(plain!.clientAuth).toMatchObject({ origin: 'default', value: 'optional' });
    expect(plain!.clientVerify).toMatchObject({ origin: 'default', value: 'external' });
    expect(strict!.clientAuth).toMatchObject({ origin: 'explicit', value: 'required' });
    expect(strict!.clientVerify).toMatchObject({ origin: 'default', value: 'external' });
    // tls.Server does reject: its defaults stay.
    const server = one("require('tls').createServer({ requestCert: true });");
    expect(server.clientAuth).toMatchObject({ value: 'required' });
    expect(server.clientVerify).toMatchObject({ origin: 'default', value: 'ca' });
  });
});

describe('client CA of a server', () => {
  it('no "ca": Node verifies client certificates against its bundled public roots', () => {
    const c = one("require('tls').createServer({ requestCert: true });");
    expect(c.clientCa).toMatchObject({ origin: 'default', value: false, key: 'ca' });
    expect((c.clientCa as { reason: string }).reason).toMatch(/bundled public root CAs/);
  });

  it('an SNICallback or a TLSSocket secureContext may bring the CA: unknown', () => {
    const [sni, socket, server] = contextsOf(
      "const tls = require('tls'); tls.createServer({ requestCert: true, SNICallback: pick }); new tls.TLSSocket(s, { isServer: true, secureContext: ctx, requestCert: true }); tls.createServer({ secureContext: ctx, requestCert: true });",
    );
    expect(sni!.clientCa).toMatchObject({ origin: 'unknown', key: 'SNICallback' });
    expect(socket!.clientCa).toMatchObject({ origin: 'unknown', key: 'secureContext' });
    // tls.Server ignores "secureContext" and builds its own context from the options.
    expect(server!.clientCa).toMatchObject({ origin: 'default', value: false });
  });
});

describe('client verification', () => {
  it('defaults to verifying', () => {
    const c = one("require('https').request({ host: 'h' });");
    expect(c.peerVerification).toEqual({
      origin: 'default',
      value: true,
      reason: 'Node default rejectUnauthorized: true',
      key: 'rejectUnauthorized',
    });
    expect(c.hostnameVerification).toMatchObject({ origin: 'default', value: true });
    expect(c.trustedCa).toMatchObject({ origin: 'default', value: false });
  });

  it('only exactly false turns verification off (as Node checks it)', () => {
    const values = ['false', '!1', '!!0', 'true', '0', "'false'", 'null'].map(
      (v) =>
        (
          one(`require('tls').connect({ rejectUnauthorized: ${v} });`).peerVerification as {
            value: boolean;
          }
        ).value,
    );
    expect(values).toEqual([false, false, false, true, true, true, true]);
  });

  it('recognises no-op checkServerIdentity functions', () => {
    const host = (fn: string) =>
      one(`function noop() {}\nrequire('tls').connect({ checkServerIdentity: ${fn} });`)
        .hostnameVerification;
    for (const fn of [
      '() => undefined',
      '() => {}',
      'function () { return; }',
      '() => null',
      'noop',
      '(h, c) => { log(h); }',
    ]) {
      expect(host(fn), fn).toMatchObject({
        origin: 'explicit',
        value: false,
        key: 'checkServerIdentity',
      });
    }
    for (const fn of [
      '(h, c) => check(h, c)',
      '(h) => { throw new Error(h); }',
      '(h, c) => { if (bad(c)) return new Error(); }',
      'imported',
    ]) {
      expect(host(fn), fn).toMatchObject({ origin: 'unknown', key: 'checkServerIdentity' });
    }
    expect(
      one(
        "const tls = require('tls'); tls.connect({ checkServerIdentity: tls.checkServerIdentity });",
      ).hostnameVerification,
    ).toMatchObject({ origin: 'explicit', value: true });
  });

  it('reads ca and servername', () => {
    const c = one("require('tls').connect({ ca: process.env.CA, servername: `api.example.com` });");
    expect(c.trustedCa).toMatchObject({ origin: 'explicit', value: true, key: 'ca' });
    expect(c.serverName).toMatchObject({ origin: 'explicit', value: 'api.example.com' });
  });

  it('a secure context only gets peerVerification when rejectUnauthorized is written', () => {
    const [a, b] = contextsOf(
      "const tls = require('tls'); tls.createSecureContext({}); tls.createSecureContext({ rejectUnauthorized: false });",
    );
    expect(a!.peerVerification).toBeUndefined();
    expect(b!.peerVerification).toMatchObject({ origin: 'explicit', value: false });
  });
});

describe('server client certificates', () => {
  const server = (opts: string) =>
    one(`const ca = require('fs').readFileSync('ca.pem'); require('tls').createServer(${opts});`);

  it('no requestCert: none by default', () => {
    const c = server('{}');
    expect(c.clientAuth).toEqual({
      origin: 'default',
      value: 'none',
      reason: 'Node default requestCert: false',
      key: 'requestCert',
    });
    expect(c.clientVerify).toMatchObject({ origin: 'default', value: 'ca' });
    expect(c.clientCa).toMatchObject({ origin: 'default', value: false });
    expect(c.peerVerification).toBeUndefined();
  });

  it('requestCert: true is required, at requestCert', () => {
    const c = server('{ ca, requestCert: true }');
    expect(c.clientAuth).toMatchObject({
      origin: 'explicit',
      value: 'required',
      key: 'requestCert',
    });
    expect(c.clientCa).toMatchObject({ origin: 'explicit', value: true, key: 'ca' });
  });

  it('requestCert with rejectUnauthorized: false is optional and unverified, both at rejectUnauthorized', () => {
    const c = server('{ ca, requestCert: true, rejectUnauthorized: false }');
    expect(c.clientAuth).toMatchObject({
      origin: 'explicit',
      value: 'optional',
      key: 'rejectUnauthorized',
    });
    expect(c.clientVerify).toMatchObject({
      origin: 'explicit',
      value: 'any',
      key: 'rejectUnauthorized',
    });
    const at = (s: TlsContext['clientAuth'] | TlsContext['clientVerify']) =>
      s?.origin === 'explicit' ? s.at : undefined;
    expect(at(c.clientAuth)).toBeDefined();
    expect(at(c.clientAuth)).toEqual(at(c.clientVerify));
  });

  it('conditional and unknown stay so', () => {
    expect(server('{ requestCert: flag ? true : false }').clientAuth).toMatchObject({
      origin: 'conditional',
      key: 'requestCert',
    });
    expect(server('{ requestCert: true, rejectUnauthorized: strict() }').clientAuth).toMatchObject({
      origin: 'unknown',
      key: 'rejectUnauthorized',
    });
  });

  it('material paths are resolved from the file folder', () => {
    const c = one(`
      const fs = require('fs'); const path = require('path');
      require('https').createServer({
        key: fs.readFileSync(path.join(__dirname, 'certs', 'server.key')),
        cert: fs.readFileSync('./certs/server.crt'),
        ca: [fs.readFileSync('/etc/pki/client-ca.pem'), '-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n'],
        pfx: [{ buf: fs.readFileSync('bundle.p12'), passphrase: 'x' }],
      });`);
    expect(c.material.map((m) => [m.purpose, m.key, m.path ?? 'inline', m.written])).toEqual([
      ['server-certificate', 'cert', path.join(FILE_DIR, 'certs/server.crt'), './certs/server.crt'],
      [
        'server-key',
        'key',
        path.join(FILE_DIR, 'certs/server.key'),
        path.join(FILE_DIR, 'certs/server.key'),
      ],
      ['client-ca', 'ca', '/etc/pki/client-ca.pem', '/etc/pki/client-ca.pem'],
      ['client-ca', 'ca', 'inline', undefined],
      ['pfx', 'pfx', path.join(FILE_DIR, 'bundle.p12'), 'bundle.p12'],
    ]);
  });
});

describe('values within a file', () => {
  const peer = (src: string) => one(src).peerVerification;

  it('follows const bindings, spreads and member access', () => {
    expect(
      peer(
        "const base = { rejectUnauthorized: false }; require('https').request({ ...base, host: 'h' });",
      ),
    ).toMatchObject({ origin: 'explicit', value: false, at: { line: 1, column: 16 } });
    expect(
      peer(
        "const cfg = { tls: { verify: false } }; require('https').request({ rejectUnauthorized: cfg.tls.verify });",
      ),
    ).toMatchObject({ value: false });
    expect(
      peer(
        "const cfg = { tls: { verify: false } }; const { tls: { verify } } = cfg; require('https').request({ rejectUnauthorized: verify });",
      ),
    ).toMatchObject({ value: false });
    // A later property wins over a spread.
    expect(
      peer(
        "const base = { rejectUnauthorized: false }; require('https').request({ ...base, rejectUnauthorized: true });",
      ),
    ).toMatchObject({ value: true });
  });

  it('makes everything unknown when an unknown spread may define it', () => {
    const c = one("require('https').request({ host: 'h', ...loadOptions() });");
    expect(c.peerVerification).toMatchObject({ origin: 'unknown' });
    expect(c.protocols).toMatchObject({ origin: 'unknown' });
  });

  it('function results, environment reads and parameters are unknown with a reason', () => {
    expect(peer("require('https').request({ rejectUnauthorized: getVerify() });")).toMatchObject({
      origin: 'unknown',
      reason: 'the result of getVerify()',
    });
    expect(
      peer("require('https').request({ rejectUnauthorized: process.env.VERIFY });"),
    ).toMatchObject({ origin: 'unknown', reason: 'the environment variable VERIFY' });
    expect(
      one("function f(v) { return require('https').request({ rejectUnauthorized: v }); }")
        .peerVerification,
    ).toMatchObject({ origin: 'unknown', reason: 'parameter "v"' });
  });

  it('a let that is reassigned holds all its values; an unknown write makes it unknown', () => {
    expect(
      peer(
        "let v = true; if (dev) v = false; require('https').request({ rejectUnauthorized: v });",
      ),
    ).toMatchObject({ origin: 'conditional' });
    expect(
      peer(
        "let v = true; setup(() => { v = false; }); require('https').request({ rejectUnauthorized: v });",
      ),
    ).toMatchObject({ origin: 'conditional' });
    expect(
      peer("let v = true; v = compute(); require('https').request({ rejectUnauthorized: v });"),
    ).toMatchObject({ origin: 'unknown' });
    expect(
      peer("let v = 1; v++; require('https').request({ rejectUnauthorized: v === 1 });"),
    ).toMatchObject({ origin: 'unknown' });
  });

  it('an unconditional write before the use replaces what came before it', () => {
    expect(
      peer("let v = false; v = true; require('https').request({ rejectUnauthorized: v });"),
    ).toMatchObject({ origin: 'explicit', value: true });
    expect(
      peer("let v = true; v = false; require('https').request({ rejectUnauthorized: v });"),
    ).toMatchObject({ origin: 'explicit', value: false });
    expect(
      peer(
        "let v = true; v = false; if (dev) v = true; require('https').request({ rejectUnauthorized: v });",
      ),
    ).toMatchObject({ origin: 'conditional' });
    // After the use, or seen from another function: every value may still be there.
    expect(
      peer("let v = false; require('https').request({ rejectUnauthorized: v }); v = true;"),
    ).toMatchObject({ origin: 'conditional' });
    expect(
      peer(
        "let v = false; v = true; function f() { return require('https').request({ rejectUnauthorized: v }); }",
      ),
    ).toMatchObject({ origin: 'conditional' });
  });

  it('respects block scopes and shadowing', () => {
    expect(
      peer(
        "const v = false; { const v = true; require('https').request({ rejectUnauthorized: v }); }",
      ),
    ).toMatchObject({ value: true });
    expect(
      peer(
        "const v = true; function f() { const v = false; return require('https').request({ rejectUnauthorized: v }); }",
      ),
    ).toMatchObject({ value: false });
  });

  it('properties written after the object is made', () => {
    expect(
      peer("const o = {}; o.rejectUnauthorized = false; require('https').request(o);"),
    ).toMatchObject({ origin: 'explicit', value: false });
    expect(
      peer("const o = {}; if (dev) o.rejectUnauthorized = false; require('https').request(o);"),
    ).toMatchObject({ origin: 'conditional' });
  });

  it('looks through TypeScript assertions', () => {
    for (const v of ['false as boolean', '<boolean>false', 'flag!', '(false satisfies boolean)']) {
      expect(
        one(`const flag = false; require('https').request({ rejectUnauthorized: ${v} });`, {
          ext: '.ts',
        }).peerVerification,
        v,
      ).toMatchObject({ value: false });
    }
  });
});

describe('libraries and unknown callees', () => {
  it('names the library and its options object', () => {
    const c = one(
      "const { Pool } = require('pg'); new Pool({ ssl: { rejectUnauthorized: false } });",
    );
    expect(c).toMatchObject({
      recognition: 'library',
      library: 'pg',
      api: 'pg.Pool',
      label: 'new Pool() "ssl" options (pg)',
      role: 'client',
    });
    expect(c.protocols).toBeUndefined();
  });

  it('any other object carrying rejectUnauthorized is heuristic', () => {
    const c = one(
      "import { connect } from './broker.js'; connect({ rejectUnauthorized: false });",
      { ext: '.mjs' },
    );
    expect(c).toMatchObject({ recognition: 'heuristic', api: 'connect' });
    expect(c.peerVerification).toMatchObject({ value: false });
  });

  it('an object with requestCert is a server', () => {
    const c = one(
      "const fastify = require('fastify'); fastify({ https: { requestCert: true, rejectUnauthorized: false } });",
    );
    expect(c).toMatchObject({ role: 'server', library: 'fastify' });
    expect(c.clientVerify).toMatchObject({ value: 'any' });
  });

  it('does not report an object twice when it also feeds a known API', () => {
    const contexts = contextsOf(
      "const o = { rejectUnauthorized: false }; require('https').request(o); log(o); module.exports = o;",
    );
    expect(contexts.map((c) => c.api)).toEqual(['https.request']);
  });

  it('https.globalAgent and tls defaults are process-wide', () => {
    const [a, b] = contextsOf(
      "const https = require('https'), tls = require('tls'); https.globalAgent.options.rejectUnauthorized = false; tls.DEFAULT_MIN_VERSION = 'TLSv1';",
    );
    expect(a).toMatchObject({ api: 'https.globalAgent', recognition: 'known-api' });
    expect(a!.peerVerification).toMatchObject({ value: false });
    expect(b).toMatchObject({ api: 'tls.DEFAULT_MIN_VERSION', role: 'either' });
    expect(b!.protocols).toMatchObject({
      origin: 'explicit',
      value: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    });
  });
});

describe('NODE_TLS_REJECT_UNAUTHORIZED in code', () => {
  it('every assignment form', () => {
    const contexts = contextsOf(`
      process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
      process.env['NODE_TLS_REJECT_UNAUTHORIZED'] = 0;
      Object.assign(process.env, { NODE_TLS_REJECT_UNAUTHORIZED: '0' });
      process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';
      process.env.NODE_TLS_REJECT_UNAUTHORIZED = dev ? '0' : '1';
    `);
    expect(contexts.map((c) => c.api)).toEqual(
      Array(5).fill('process.env.NODE_TLS_REJECT_UNAUTHORIZED'),
    );
    expect(
      contexts.map((c) =>
        c.peerVerification!.origin === 'explicit'
          ? c.peerVerification!.value
          : c.peerVerification!.origin,
      ),
    ).toEqual([false, false, false, true, 'conditional']);
    expect(contexts[0]).toMatchObject({
      role: 'client',
      label: 'the whole process (NODE_TLS_REJECT_UNAUTHORIZED)',
      recognition: 'known-api',
    });
  });

  it('reading it is not setting it', () => {
    expect(contextsOf("if (process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') warn();")).toEqual([]);
  });
});

describe('deprecated APIs are recorded as facts', () => {
  it('secureProtocol, createSecurePair, createCredentials', () => {
    const contexts = contextsOf(
      "const tls = require('tls'); tls.connect({ secureProtocol: 'TLSv1_2_method' }); tls.createSecurePair(); require('crypto').createCredentials({});",
    );
    expect(contexts.flatMap((c) => c.features.map((f) => [f.feature, f.detail]))).toEqual([
      ['node.secureProtocol', 'TLSv1_2_method'],
      ['node.createSecurePair', 'tls.createSecurePair()'],
      ['node.createCredentials', 'crypto.createCredentials()'],
    ]);
  });
});

describe('robustness', () => {
  it('survives self-referencing values', () => {
    const contexts = contextsOf(`
      const tls = require('tls');
      const a = {}; a.self = a; a.copy = { ...a }; a.rejectUnauthorized = a.copy.rejectUnauthorized;
      let c = {}; c = { ...c, next: c };
      var d = d || {}; d.opts = { ...d, ...d.opts };
      tls.connect(a); tls.connect(c); tls.connect(d.opts);
      configure({ ...a, rejectUnauthorized: false });
    `);
    expect(contexts.map((x) => x.api)).toEqual([
      'tls.connect',
      'tls.connect',
      'tls.connect',
      'configure',
    ]);
  });
});

describe('more places options hide', () => {
  it('class fields and objects stored on other objects', () => {
    const contexts = contextsOf(`
      class Client { tls = { rejectUnauthorized: false }; constructor() { this.ssl = { rejectUnauthorized: false }; } }
    `);
    expect(
      contexts.map((c) => [
        c.recognition,
        c.peerVerification?.origin === 'explicit' && c.peerVerification.value,
      ]),
    ).toEqual([
      ['heuristic', false],
      ['heuristic', false],
    ]);
  });

  it('a child process environment with NODE_TLS_REJECT_UNAUTHORIZED', () => {
    const [c] = contextsOf(
      "const { spawn } = require('child_process'); spawn('node', ['app.js'], { env: { ...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0' } });",
    );
    expect(c).toMatchObject({ api: 'process.env.NODE_TLS_REJECT_UNAUTHORIZED' });
    expect(c!.peerVerification).toMatchObject({ origin: 'explicit', value: false });
  });
});

describe('what is not configuration', () => {
  it('assertions and logging only look at options', () => {
    expect(
      contextsOf(`
        expect(build()).toEqual({ rejectUnauthorized: false });
        assert.deepStrictEqual(opts, { rejectUnauthorized: false });
        console.log('options', { rejectUnauthorized: false });
        expect(spy).toHaveBeenCalledWith(expect.objectContaining({ rejectUnauthorized: false }));
      `),
    ).toEqual([]);
  });
});

describe('Object.assign on a local options object', () => {
  it('writes its keys like property assignments', () => {
    const [c] = contextsOf(
      "const opts = { host: 'h' }; Object.assign(opts, { rejectUnauthorized: false }); require('https').request(opts);",
    );
    expect(c).toMatchObject({ api: 'https.request', recognition: 'known-api' });
    expect(c!.peerVerification).toMatchObject({
      origin: 'explicit',
      value: false,
      at: { column: 51 },
    });
  });
});

describe('rest patterns', () => {
  it('a key taken out with ...rest is gone from the rest', () => {
    const c = one(
      "const opts = { host: 'h', rejectUnauthorized: false }; const { rejectUnauthorized, ...safe } = opts; require('https').request(safe);",
    );
    expect(c.peerVerification).toMatchObject({ origin: 'default', value: true });
    const d = one(
      "const opts = { host: 'h', rejectUnauthorized: false }; const { host, ...rest } = opts; require('https').request(rest);",
    );
    expect(d.peerVerification).toMatchObject({ origin: 'explicit', value: false });
  });
});

describe('probe targets', () => {
  it('clients: options, URL, port and host arguments', () => {
    const targetsOf = contextsOf(`
      const tls = require('tls'), https = require('https');
      tls.connect({ host: 'db.internal', port: 5433, servername: 'db.example.com' });
      https.get('https://api.example.com:8443/health');
      tls.connect(6380, 'cache.internal', {});
      https.request({ hostname: 'x.example' });
      https.request(url);
    `).map((c) => c.target);
    expect(targetsOf).toEqual([
      { host: 'db.internal', port: 5433, sni: 'db.example.com' },
      { host: 'api.example.com', port: 8443 },
      { port: 6380, host: 'cache.internal' },
      { host: 'x.example' },
      undefined,
    ]);
  });

  it('servers: the port they listen on', () => {
    const targetsOf = contextsOf(`
      const https = require('https'), tls = require('tls');
      const server = https.createServer({});
      server.listen(8443, '127.0.0.1');
      tls.createServer({}).listen({ port: 9443 });
      https.createServer({});
    `).map((c) => c.target);
    // `at` is the listen call (where confirm mode says the endpoint comes from).
    expect(targetsOf).toEqual([
      { port: 8443, host: '127.0.0.1', at: expect.objectContaining({ line: 4 }) },
      { port: 9443, at: expect.objectContaining({ line: 5 }) },
      undefined,
    ]);
  });
});

describe('subclasses', () => {
  it('super(options) in a class extending https.Agent is an Agent', () => {
    const c = one(
      "const https = require('https');\nclass LaxAgent extends https.Agent {\n  constructor() { super({ keepAlive: true, rejectUnauthorized: false }); }\n}",
    );
    expect(c).toMatchObject({ api: 'https.Agent', recognition: 'known-api', role: 'client' });
    expect(c.peerVerification).toMatchObject({ origin: 'explicit', value: false, at: { line: 3 } });
  });
});

describe('SQL Server (tedious, node-mssql)', () => {
  const peer = (options: string) =>
    contextsOf(`const sql = require('mssql');\nsql.connect({ server: 'db', options: ${options} });`)
      .map((c) => c.peerVerification)
      .map((s) => (s?.origin === 'explicit' ? [s.value, s.key, s.raw] : s?.origin));

  it('trustServerCertificate: true is verification off, at the key; false verifies', () => {
    expect(peer('{ trustServerCertificate: true }')).toEqual([
      [false, 'trustServerCertificate', 'true'],
    ]);
    expect(peer('{ trustServerCertificate: false }')).toEqual([
      [true, 'trustServerCertificate', 'false'],
    ]);
  });

  it('a run-time value or a non-boolean (tedious throws) is unknown, never clean', () => {
    expect(peer('{ trustServerCertificate: process.env.X }')).toEqual(['unknown']);
    expect(peer("{ trustServerCertificate: 'true' }")).toEqual(['unknown']);
  });

  it('encrypt: false is plaintext: no verification setting', () => {
    expect(peer('{ encrypt: false, trustServerCertificate: true }')).toEqual([undefined]);
  });
});

describe("the project's target versions", () => {
  it('are looked at only when the file configures TLS', () => {
    const looked: string[] = [];
    const extract = (source: string) => {
      const file = path.join(FILE_DIR, 'app.js');
      const parsed = parseNodeSource(file, source);
      if (!parsed.ok) throw new Error(parsed.error.message);
      const targets = new Targets(new Map()).withDetected(() => {
        looked.push(source);
        return new Map();
      });
      return extractNodeContexts(parsed.program, { file, targets, sourceText: source }).contexts;
    };
    const plain = "const crypto = require('crypto');\ncrypto.createHash('sha256').update('tls');\n";
    expect(extract(plain)).toEqual([]);
    const weak = "require('tls').connect({ host: 'example.com', minVersion: 'TLSv1' });\n";
    expect(extract(weak)).toHaveLength(1);
    expect(looked).toEqual([weak]);
  });
});
