import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { FFDHE_GROUPS, ffdheKeyShare, ffdhePrime } from '../../src/probe/wire/ffdhe.js';
import { canMakeKeyShare, makeKeyShare } from '../../src/probe/wire/key-share.js';
import { probeOnce } from '../../src/probe/raw/index.js';
import { haveProgram } from '../support/system.js';
import { startTls13GroupServer, type RunningServer } from './fake-tls-server.js';

const NAMES: Record<number, string> = {
  256: 'ffdhe2048',
  257: 'ffdhe3072',
  258: 'ffdhe4096',
  259: 'ffdhe6144',
  260: 'ffdhe8192',
};

/** The prime OpenSSL has built in for an RFC 7919 group: DHParameter ::= SEQUENCE { prime INTEGER, base INTEGER }. */
function opensslPrime(name: string): string {
  const pem = execFileSync(
    'openssl',
    ['genpkey', '-genparam', '-algorithm', 'DH', '-pkeyopt', `group:${name}`],
    { encoding: 'utf8' },
  );
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
  let p = 0;
  const length = (): number => {
    const first = der[p++]!;
    if (first < 0x80) return first;
    let n = 0;
    for (let i = 0; i < (first & 0x7f); i++) n = (n << 8) | der[p++]!;
    return n;
  };
  expect(der[p++]).toBe(0x30);
  length();
  expect(der[p++]).toBe(0x02);
  const size = length();
  return der
    .subarray(p, p + size)
    .toString('hex')
    .replace(/^00/, '');
}

describe('RFC 7919 FFDHE groups', () => {
  it.skipIf(!haveProgram('openssl'))(
    "the primes built from their definition equal OpenSSL's",
    () => {
      for (const group of FFDHE_GROUPS)
        expect(ffdhePrime(group).toString('hex'), NAMES[group]).toBe(opensslPrime(NAMES[group]!));
    },
  );

  it('pins known ends of ffdhe2048 (RFC 7919 appendix A.1)', () => {
    const p = ffdhePrime(256).toString('hex').toUpperCase();
    expect(p.length).toBe(512);
    expect(p.startsWith('FFFFFFFFFFFFFFFFADF85458A2BB4A9AAFDC5620273D3CF1')).toBe(true);
    expect(p.endsWith('886B423861285C97FFFFFFFFFFFFFFFF')).toBe(true);
  });

  it('key shares agree with a peer and are padded to the prime size', () => {
    const share = makeKeyShare(256);
    expect(canMakeKeyShare(256)).toBe(true);
    expect(share.publicKey.length).toBe(256);
    const peer = crypto.createDiffieHellman(ffdhePrime(256), 2);
    const peerPublic = Buffer.concat([
      Buffer.alloc(256 - peer.generateKeys().length),
      peer.getPublicKey(),
    ]);
    const expected = peer.computeSecret(share.publicKey);
    const ours = share.computeSecret(peerPublic);
    expect(ours.length).toBe(256);
    expect(ours.subarray(256 - expected.length)).toEqual(expected);
    expect(() => ffdheKeyShare(256).computeSecret(Buffer.alloc(10))).toThrow(
      /FFDHE key share of 10 bytes/,
    );
  });
});

describe('a HelloRetryRequest for a group with no key share here (ML-KEM hybrid)', () => {
  const servers: RunningServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('says in words why the encrypted flight could not be decrypted', async () => {
    const server = await startTls13GroupServer({ groups: [0x11ec], rejectEmptyKeyShare: false });
    servers.push(server);
    expect(canMakeKeyShare(0x11ec)).toBe(false);
    const o = await probeOnce(
      { host: '127.0.0.1', port: server.port, timeoutMs: 3000 },
      {
        version: 'TLSv1.3',
        cipherSuites: [0x1301],
        stopAfter: 'flight',
        groups: [29, 0x11ec],
        keyShareGroups: [29],
      },
    );
    expect(o.helloRetryRequest?.keyShare?.group).toBe(0x11ec);
    expect(o.flight.complete).toBe(false);
    expect(o.flight.error).toMatch(
      /^cannot continue after HelloRetryRequest \(group X25519MLKEM768, suite 0x1301\): tls-lint cannot make key shares for X25519MLKEM768 \(.*Node has no ML-KEM\), so the server's encrypted flight could not be decrypted$/,
    );
  });
});
