/**
 * Configuration patterns of real projects that the reader once missed or misread (found by
 * linting realistic code): each test fails without the translation it pins.
 */
import { describe, expect, it } from 'vitest';
import type { TlsContext } from '../../src/model/context.js';
import type { Setting } from '../../src/model/setting.js';
import { contextsOf, only } from './helpers.js';

const one = (src: string, options?: { ext?: string }): TlsContext => only(contextsOf(src, options));

/** The alternatives of a conditional setting; undefined for any other origin. */
const branchesOf = <T>(s: Setting<T> | undefined) =>
  s?.origin === 'conditional' ? s.branches : undefined;

describe('https.globalAgent however it is written', () => {
  const forms: Array<[string, string]> = [
    [
      'replaced options object',
      "const https = require('https'); https.globalAgent.options = { rejectUnauthorized: false };",
    ],
    [
      'Object.assign into its options',
      "const https = require('https'); Object.assign(https.globalAgent.options, { rejectUnauthorized: false });",
    ],
    [
      'destructured globalAgent',
      "const { globalAgent } = require('https'); globalAgent.options.rejectUnauthorized = false;",
    ],
  ];
  for (const [name, src] of forms) {
    it(name, () => {
      const c = one(src);
      expect(c).toMatchObject({ api: 'https.globalAgent', recognition: 'known-api' });
      expect(c.peerVerification).toMatchObject({ origin: 'explicit', value: false });
    });
  }
});

describe('Object.assign', () => {
  it('a merged object that is returned is labelled by where it goes', () => {
    const c = one(
      'function tlsOptions(base) { return Object.assign({}, base, { rejectUnauthorized: false }); }',
    );
    expect(c.label).toBe('options object returned from a function');
  });

  it('a merged object that goes nowhere visible is still reported, as built with Object.assign()', () => {
    const c = one(
      'function f(options) { options = Object.assign({ rejectUnauthorized: false }, options); use(options.host); }',
    );
    expect(c).toMatchObject({
      label: 'options object built with Object.assign()',
      recognition: 'heuristic',
    });
    expect(c.peerVerification).toMatchObject({ value: false });
  });
});

describe('node:process is the global process', () => {
  const forms: Array<[string, string]> = [
    [
      'default import',
      "import process from 'node:process'; process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
    ],
    [
      'namespace import',
      "import * as proc from 'process'; proc.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
    ],
    [
      'named env import',
      "import { env } from 'node:process'; env.NODE_TLS_REJECT_UNAUTHORIZED = '0';",
    ],
    ['require', "const proc = require('process'); proc.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';"],
  ];
  for (const [name, src] of forms) {
    it(name, () => {
      const c = one(src, { ext: '.mjs' });
      expect(c).toMatchObject({
        api: 'process.env.NODE_TLS_REJECT_UNAUTHORIZED',
        scope: 'process',
        label: 'the whole process (NODE_TLS_REJECT_UNAUTHORIZED)',
      });
      expect(c.peerVerification).toMatchObject({ value: false });
    });
  }

  it('an environment variable read through node:process stays unknown', () => {
    const c = one(
      "import process from 'node:process'; import https from 'node:https'; new https.Agent({ rejectUnauthorized: process.env.VERIFY ?? false });",
      { ext: '.mjs' },
    );
    expect(c.peerVerification).toMatchObject({ origin: 'conditional' });
  });
});

describe('parameters', () => {
  it('a default options object holds when the caller passes none', () => {
    const c = one(
      "const https = require('https'); function mk(opts = { rejectUnauthorized: false }) { return new https.Agent(opts); }",
    );
    expect(c.peerVerification).toMatchObject({ origin: 'conditional' });
    expect(branchesOf(c.peerVerification)?.map((b) => b.origin)).toEqual(['unknown', 'explicit']);
  });

  it('a parameter replaced unconditionally is the new value', () => {
    const c = one(
      "const tls = require('tls'); function f(o) { o = { ...o, rejectUnauthorized: false }; return tls.connect(o); }",
    );
    expect(c.peerVerification).toMatchObject({ origin: 'explicit', value: false });
  });

  it('a parameter without a default is unknown', () => {
    const c = one(
      "const tls = require('tls'); function f(o) { if (!o) o = {}; return tls.connect(o); }",
    );
    expect(c.peerVerification?.origin).toBe('unknown');
  });
});

describe('TypeScript', () => {
  it('enum members are constants, numbered after a numeric one', () => {
    const c = one(
      "import tls from 'tls'; enum V { Old = 'TLSv1', New = 'TLSv1.3' } enum N { A = 1, B } tls.createServer({ minVersion: V.Old, secureOptions: N.B });",
      { ext: '.ts' },
    );
    expect(c.protocols).toMatchObject({
      origin: 'explicit',
      key: 'minVersion',
      value: ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
    });
  });

  it('a private class field is an options object kept on the instance', () => {
    const c = one('class Client { #tls = { rejectUnauthorized: false }; }');
    expect(c.label).toBe('options object in class field "#tls"');
  });
});

describe('MongoDB switches take booleans or "true"/"false"', () => {
  it('the strings count as the booleans', () => {
    const c = one(
      "const { MongoClient } = require('mongodb'); new MongoClient(u, { tlsAllowInvalidCertificates: 'true' });",
    );
    expect(c.peerVerification).toMatchObject({ origin: 'explicit', value: false });
  });

  it('an object using the name (a CLI or schema entry) is not a setting', () => {
    expect(contextsOf("require('yargs').options({ tlsInsecure: { type: 'boolean' } });")).toEqual(
      [],
    );
    expect(
      contextsOf(
        "register({ requestCert: { type: 'any' }, rejectUnauthorized: { type: 'boolean', default: true } });",
      ),
    ).toEqual([]);
  });
});

describe('decorators', () => {
  it('calls in decorator arguments are read', () => {
    const c = one(
      "import { TypeOrmModule } from '@nestjs/typeorm'; @Module({ imports: [TypeOrmModule.forRoot({ ssl: { rejectUnauthorized: false } })] }) class AppModule {}",
      { ext: '.ts' },
    );
    expect(c).toMatchObject({ recognition: 'library', library: 'typeorm' });
    expect(c.peerVerification).toMatchObject({ value: false });
  });
});

describe('cipher lists', () => {
  it('an array of suites joined is the cipher string', () => {
    const c = one(
      "require('tls').createServer({ ciphers: ['ECDHE-RSA-AES128-GCM-SHA256', 'HIGH', null].join(':') });",
    );
    expect(c.ciphers).toMatchObject({
      origin: 'explicit',
      value: { syntax: 'node', text: 'ECDHE-RSA-AES128-GCM-SHA256:HIGH:' },
    });
  });

  it('a list with run-time parts stays unknown', () => {
    const c = one(
      "require('tls').createServer({ ciphers: [process.env.EXTRA, 'HIGH'].join(':') });",
    );
    expect(c.ciphers?.origin).toBe('unknown');
  });
});

describe('functions of the same file', () => {
  it('a call is what the function returns', () => {
    const c = one(
      "const https = require('https'); function tls() { return { minVersion: 'TLSv1' }; } https.createServer(tls());",
    );
    expect(c.protocols).toMatchObject({ origin: 'explicit', key: 'minVersion' });
  });

  it('every return is an alternative, and falling off the end is one too', () => {
    const c = one(
      "const https = require('https'); const f = (dev) => { if (dev) return { rejectUnauthorized: false }; }; new https.Agent(f(true));",
    );
    expect(c.peerVerification).toMatchObject({ origin: 'conditional' });
    expect(branchesOf(c.peerVerification)?.map((b) => ('value' in b ? b.value : b.origin))).toEqual(
      [false, true],
    );
  });

  it('returns of nested functions are not the outer function’s', () => {
    const c = one(
      "const https = require('https'); function f() { const g = () => ({ minVersion: 'TLSv1' }); return { minVersion: 'TLSv1.2' }; } https.createServer(f());",
    );
    expect(c.protocols).toMatchObject({ origin: 'explicit', value: ['TLSv1.2', 'TLSv1.3'] });
  });

  it('recursion and generators stay unknown', () => {
    const [a, b] = contextsOf(
      "const tls = require('tls'); function f() { return f(); } tls.createServer(f()); function* g() { yield {}; } tls.createServer(g());",
    );
    expect(a!.protocols?.origin).toBe('unknown');
    expect(b!.protocols?.origin).toBe('unknown');
  });
});

describe('undici ProxyAgent', () => {
  it('proxyTls (the TLS to an HTTPS proxy) is read besides requestTls', () => {
    const contexts = contextsOf(
      "import { ProxyAgent } from 'undici'; new ProxyAgent({ uri: u, proxyTls: { rejectUnauthorized: false }, requestTls: { ca: c } });",
      { ext: '.mjs' },
    );
    expect(contexts.map((c) => c.label)).toEqual([
      'new undici.ProxyAgent() requestTls options',
      'options "proxyTls" passed to new ProxyAgent()',
    ]);
    expect(contexts[1]!.peerVerification).toMatchObject({ value: false });
  });
});

describe('library methods that turn verification off', () => {
  it('superagent disableTLSCerts(), on the chain or on a request kept in a const', () => {
    const contexts = contextsOf(
      "import superagent from 'superagent'; superagent.get(u).disableTLSCerts(); const r = superagent.post(u); r.disableTLSCerts(); other.disableTLSCerts();",
      { ext: '.mjs' },
    );
    expect(contexts).toHaveLength(2);
    for (const c of contexts) {
      expect(c).toMatchObject({
        recognition: 'library',
        library: 'superagent',
        api: 'superagent.disableTLSCerts',
      });
      expect(c.peerVerification).toMatchObject({
        origin: 'explicit',
        value: false,
        key: '.disableTLSCerts()',
      });
    }
  });
});

describe('probe targets', () => {
  it('a URL object as the first argument names the host and port', () => {
    const c = one(
      "require('https').request(new URL('https://api.example.com:8443/v1'), { rejectUnauthorized: false });",
    );
    expect(c.target).toEqual({ host: 'api.example.com', port: 8443 });
  });
});

describe('limits', () => {
  it('a value with too many alternatives is unknown, not enumerated', () => {
    const returns = Array.from(
      { length: 100 },
      (_, i) => `if (a === ${i}) return { minVersion: 'TLSv1', ciphers: 'C${i}' };`,
    ).join(' ');
    const c = one(
      `const tls = require('tls'); function f(a) { ${returns} return {}; } tls.createServer(f(x));`,
    );
    expect(c.protocols?.origin).toBe('unknown');
  });
});

describe('library-specific switches', () => {
  it('http-proxy "secure": a falsy value turns verification off', () => {
    const c = one(
      "const httpProxy = require('http-proxy'); httpProxy.createProxyServer({ target: t, secure: 0 });",
    );
    expect(c).toMatchObject({ library: 'http-proxy' });
    expect(c.peerVerification).toMatchObject({ origin: 'explicit', value: false, key: 'secure' });
  });

  it('"secure" means nothing to other callees', () => {
    expect(
      contextsOf(
        "require('express-session')({ cookie: { secure: false } }); cookies.set('a', 'b', { secure: false });",
      ),
    ).toEqual([]);
  });
});

describe('process-wide replacements', () => {
  it('tls.checkServerIdentity = … is the default check of every client', () => {
    const c = one("const tls = require('tls'); tls.checkServerIdentity = () => undefined;");
    expect(c).toMatchObject({ api: 'tls.checkServerIdentity', recognition: 'known-api' });
    expect(c.hostnameVerification).toMatchObject({ origin: 'explicit', value: false });
  });
});
