import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeIdentity, throwawayClientIdentity } from '../../src/probe/x509-builder.js';
import { whichProgram } from '../support/system.js';

describe('x509 builder', () => {
  const ca = makeIdentity({
    subject: { commonName: 'Test CA', organization: 'tls-lint tests' },
    isCA: true,
    key: { type: 'rsa' },
  });
  const leaf = makeIdentity({
    subject: { commonName: 'localhost' },
    altNames: ['localhost', '127.0.0.1', '::1'],
    issuer: ca,
  });

  it('builds a CA-signed leaf that Node parses and verifies', () => {
    const x = new crypto.X509Certificate(leaf.certPem);
    const caX = new crypto.X509Certificate(ca.certPem);
    expect(x.subject).toBe('CN=localhost');
    expect(x.issuer).toBe('O=tls-lint tests\nCN=Test CA');
    expect(x.subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(x.checkIssued(caX)).toBe(true);
    expect(x.verify(caX.publicKey)).toBe(true);
    expect(caX.ca).toBe(true);
    expect(x.ca).toBe(false);
    expect(x.checkHost('localhost')).toBe('localhost');
    expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1');
  });

  it('makes self-signed throwaway client identities (EC by default, RSA on demand), once each', async () => {
    for (const kind of ['ec', 'rsa'] as const) {
      const id = await throwawayClientIdentity(kind);
      const x = new crypto.X509Certificate(id.certPem);
      expect(x.publicKey.asymmetricKeyType).toBe(kind);
      expect(x.verify(x.publicKey)).toBe(true);
      expect(x.subject).toBe(x.issuer);
      expect(await throwawayClientIdentity(kind)).toBe(id);
    }
  });

  it.skipIf(!whichProgram('openssl'))('passes `openssl verify`', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x509-'));
    try {
      fs.writeFileSync(path.join(dir, 'ca.pem'), ca.certPem);
      fs.writeFileSync(path.join(dir, 'leaf.pem'), leaf.certPem);
      const out = execFileSync(
        'openssl',
        ['verify', '-CAfile', path.join(dir, 'ca.pem'), path.join(dir, 'leaf.pem')],
        { encoding: 'utf8' },
      );
      expect(out).toContain(': OK');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
