/**
 * Suite enumeration costs at most N + 2 handshakes per protocol version for the N suites it
 * accepts (issue #15), counted by the server: nginx's stream module logs the version of every
 * ClientHello it is sent (test/support/servers.ts, startHelloCountingNginx). The suites found
 * are asserted exactly, so a cheaper scan that misses one fails too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { probe } from '../../src/probe/index.js';
import { suiteByCode } from '../../src/crypto/cipher-suites.js';
import { STREAM_MODULE } from '../nginx/nginx-runner.js';
import { haveProgram } from '../support/system.js';
import {
  makeTestPki,
  startHelloCountingNginx,
  type HelloCountingNginx,
  type TestPki,
} from '../support/servers.js';

const haveStream = haveProgram('nginx') && existsSync(STREAM_MODULE);
if (!haveStream && process.env.CI === 'true')
  throw new Error('nginx with the stream module is needed under CI=true');

/** $ssl_preread_protocol names → the probe's version names. */
const PREREAD: Record<string, string> = {
  TLSv1: 'TLSv1.0',
  'TLSv1.1': 'TLSv1.1',
  'TLSv1.2': 'TLSv1.2',
  'TLSv1.3': 'TLSv1.3',
};

function perVersion(hellos: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const h of hellos) {
    const v = PREREAD[h];
    if (v) counts[v] = (counts[v] ?? 0) + 1;
  }
  return counts;
}

const names = (codes: readonly number[] | undefined) =>
  (codes ?? []).map((c) => suiteByCode(c)?.openssl ?? c.toString(16));

describe.skipIf(!haveStream)('suite enumeration handshakes, counted by nginx', () => {
  let pki: TestPki;
  const servers: Record<string, HelloCountingNginx> = {};
  const MODERN = [
    'ECDHE-RSA-AES128-GCM-SHA256',
    'ECDHE-RSA-AES256-GCM-SHA384',
    'ECDHE-RSA-CHACHA20-POLY1305',
  ];
  // Legacy versions need security level 0 with OpenSSL 3 (SHA-1 signatures).
  const LEGACY = ['ECDHE-RSA-AES128-SHA', 'AES128-SHA', 'AES256-SHA'];

  beforeAll(async () => {
    pki = makeTestPki();
    [servers.clientOrder, servers.serverOrder, servers.legacy] = await Promise.all([
      startHelloCountingNginx(
        pki,
        `ssl_protocols TLSv1.2 TLSv1.3; ssl_ciphers ${MODERN.join(':')}; ssl_prefer_server_ciphers off;`,
      ),
      startHelloCountingNginx(
        pki,
        `ssl_protocols TLSv1.2 TLSv1.3; ssl_ciphers ${[...MODERN].reverse().join(':')}; ssl_prefer_server_ciphers on;`,
      ),
      startHelloCountingNginx(
        pki,
        `ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3; ssl_ciphers ${LEGACY.join(':')}:@SECLEVEL=0; ssl_prefer_server_ciphers off;`,
      ),
    ]);
  });
  afterAll(async () => {
    await Promise.all(Object.values(servers).map((s) => s.close()));
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    pki?.cleanup();
  });

  it('client order: the three TLS 1.2 suites in at most N + 2 TLS 1.2 hellos', async () => {
    const s = servers.clientOrder!;
    const r = await probe(`127.0.0.1:${s.helloPort}`, { timeoutMs: 5000 });
    expect(r.scan!.protocols).toEqual({
      SSLv2: false,
      SSLv3: false,
      'TLSv1.0': false,
      'TLSv1.1': false,
      'TLSv1.2': true,
      'TLSv1.3': true,
    });
    expect(new Set(names(r.scan!.ciphers['TLSv1.2']))).toEqual(new Set(MODERN));
    expect(r.scan!.serverPreference['TLSv1.2']).toBe(false);
    const counts = perVersion(await s.hellos());
    expect(counts['TLSv1.2']).toBeLessThanOrEqual(MODERN.length + 2);
    expect(counts['TLSv1.2']).toBeGreaterThanOrEqual(MODERN.length);
  });

  it("server order: the suites in the server's order, in at most N + 2 TLS 1.2 hellos", async () => {
    const s = servers.serverOrder!;
    const r = await probe(`127.0.0.1:${s.helloPort}`, { timeoutMs: 5000 });
    expect(names(r.scan!.ciphers['TLSv1.2'])).toEqual([...MODERN].reverse());
    expect(r.scan!.serverPreference['TLSv1.2']).toBe(true);
    const counts = perVersion(await s.hellos());
    expect(counts['TLSv1.2']).toBeLessThanOrEqual(MODERN.length + 2);
  });

  it('legacy versions through the raw handshakes: TLS 1.0 and 1.1 suites in at most N + 2 hellos each', async () => {
    const s = servers.legacy!;
    const r = await probe(`127.0.0.1:${s.helloPort}`, { timeoutMs: 5000 });
    expect(r.scan!.protocols).toEqual({
      SSLv2: false,
      SSLv3: false,
      'TLSv1.0': true,
      'TLSv1.1': true,
      'TLSv1.2': true,
      'TLSv1.3': true,
    });
    for (const v of ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'] as const)
      expect(new Set(names(r.scan!.ciphers[v])), v).toEqual(new Set(LEGACY));
    const counts = perVersion(await s.hellos());
    for (const v of ['TLSv1.0', 'TLSv1.1', 'TLSv1.2']) {
      expect(counts[v], v).toBeLessThanOrEqual(LEGACY.length + 2);
      expect(counts[v], v).toBeGreaterThanOrEqual(LEGACY.length);
    }
  });
});
