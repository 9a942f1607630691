/**
 * Node's handling of `ciphers`, checked against the Node running the tests (its bundled OpenSSL
 * 3.x): which strings tls.createSecureContext() refuses, and — for the seed article's IANA-name
 * string — that a server really fails every handshake while the same suites under OpenSSL names
 * work. Servers bind 127.0.0.1 on a free port and are closed after each test.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { Targets } from '../../src/config/targets.js';
import { resolveCipherSpec } from '../../src/crypto/cipher-spec.js';
import { haveProgram, whichProgram } from '../support/system.js';

const nodeMajor = process.versions.node.split('.')[0]!;
const targets = new Targets(new Map([['node', nodeMajor]]));

const STRINGS = [
  'HIGH',
  'BOGUS',
  'high',
  'HIGH:BOGUS',
  'HIGH:!',
  'TLS_BOGUS',
  'TLS_BOGUS:ECDHE-RSA-AES128-GCM-SHA256',
  'TLS_BOGUS:TLS_AES_128_GCM_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:ECDHE-RSA-AES128-GCM-SHA256',
  'RC4-SHA',
  'RC4-SHA:AES128-SHA',
  'DES-CBC3-SHA',
  'ECDHE-RSA-AES128-GCM-SHA256,TLS_AES_128_GCM_SHA256',
  '@SECLEVEL=9',
  'DEFAULT:@SECLEVEL=0',
  'aNULL',
  'eNULL',
  'ALL:!ALL',
  'ECDHE+AESGCM',
  'kRSA+AESGCM',
  ':::',
  'HIGH:AES_X',
  'SUITEB128',
  'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256',
  // IANA names of suites this OpenSSL does not build are skipped like typos; built ones are taken
  'TLS_RSA_WITH_RC4_128_SHA',
  'TLS_RSA_WITH_RC4_128_SHA:ECDHE-RSA-AES128-GCM-SHA256',
  'TLS_DH_anon_WITH_AES_128_CBC_SHA',
];

describe('Node ciphers: refused exactly where the running Node refuses', () => {
  for (const text of STRINGS) {
    it(JSON.stringify(text), () => {
      let nodeRefuses = false;
      try {
        tls.createSecureContext({ ciphers: text });
      } catch {
        nodeRefuses = true;
      }
      expect(resolveCipherSpec({ syntax: 'node', text }, targets).refused).toBe(nodeRefuses);
    });
  }
});

describe.skipIf(!haveProgram('openssl'))(
  'the seed article string fails every handshake (live, 127.0.0.1)',
  () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-node-ciphers-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    execFileSync(
      whichProgram('openssl')!,
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
        '-keyout',
        path.join(dir, 'key.pem'),
        '-out',
        path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore', env: { ...process.env, OPENSSL_CONF: '/dev/null' } },
    );
    const key = readFileSync(path.join(dir, 'key.pem'));
    const cert = readFileSync(path.join(dir, 'cert.pem'));

    async function handshake(
      ciphers: string,
      clientMax: 'TLSv1.2' | 'TLSv1.3',
      clientCiphers?: string,
    ): Promise<string> {
      const server = tls.createServer({ key, cert, ciphers, minVersion: 'TLSv1.2' }, (s) =>
        s.end(),
      );
      server.on('tlsClientError', () => {});
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as { port: number }).port;
      try {
        return await new Promise<string>((resolve) => {
          const socket = tls.connect(
            {
              host: '127.0.0.1',
              port,
              rejectUnauthorized: false,
              maxVersion: clientMax,
              timeout: 5000,
              ...(clientCiphers && { ciphers: clientCiphers }),
            },
            () => {
              resolve(`ok ${socket.getProtocol()} ${socket.getCipher().name}`);
              socket.end();
            },
          );
          socket.on('error', (e: Error) =>
            resolve(`failed: ${(e as NodeJS.ErrnoException).code ?? e.message}`),
          );
          socket.on('timeout', () => {
            resolve('failed: timeout');
            socket.destroy();
          });
        });
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    }

    const IANA =
      'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256';
    const OPENSSL =
      'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305';

    it('IANA names: TLS 1.3 and TLS 1.2 clients both fail, as the linter predicts', async () => {
      expect(resolveCipherSpec({ syntax: 'node', text: IANA }, targets).problems[0]?.effect).toBe(
        'handshakes-fail',
      );
      expect(await handshake(IANA, 'TLSv1.3')).toMatch(/^failed/);
      expect(await handshake(IANA, 'TLSv1.2')).toMatch(/^failed/);
    });

    it('one IANA TLS 1.2 name beside OpenSSL names and no TLS 1.3 suite: TLS 1.2 clients fail too', async () => {
      const mixed = 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:ECDHE-ECDSA-AES128-GCM-SHA256';
      const r = resolveCipherSpec({ syntax: 'node', text: mixed }, targets);
      expect(r.problems.map((p) => [p.kind, p.effect])).toEqual([
        ['node-tls12-iana-names', 'handshakes-fail'],
      ]);
      expect(r.problems[0]!.message).toMatch(/every handshake will fail, TLS 1\.2 ones included/);
      expect(await handshake(mixed, 'TLSv1.3')).toMatch(/^failed/);
      expect(await handshake(mixed, 'TLSv1.2')).toMatch(/^failed/);
    });

    it('an IANA TLS 1.2 name beside a real TLS 1.3 suite is enabled for TLS 1.2, first in order', async () => {
      const text =
        'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256';
      const r = resolveCipherSpec({ syntax: 'node', text }, targets);
      expect(r.suites.map((s) => s.suite.openssl)).toEqual([
        'ECDHE-ECDSA-AES256-GCM-SHA384',
        'ECDHE-ECDSA-AES128-GCM-SHA256',
      ]);
      expect(r.problems.map((p) => [p.kind, p.effect])).toEqual([
        ['node-tls12-iana-names', 'ignored'],
      ]);
      expect(await handshake(text, 'TLSv1.3')).toBe('ok TLSv1.3 TLS_AES_128_GCM_SHA256');
      expect(await handshake(text, 'TLSv1.2', 'ECDHE-ECDSA-AES256-GCM-SHA384')).toBe(
        'ok TLSv1.2 ECDHE-ECDSA-AES256-GCM-SHA384',
      );
    });

    it('OpenSSL names: both work', async () => {
      expect(resolveCipherSpec({ syntax: 'node', text: OPENSSL }, targets).problems).toEqual([]);
      expect(await handshake(OPENSSL, 'TLSv1.3')).toMatch(/^ok TLSv1\.3/);
      expect(await handshake(OPENSSL, 'TLSv1.2')).toBe('ok TLSv1.2 ECDHE-ECDSA-AES256-GCM-SHA384');
    });
  },
  30_000,
);
