/**
 * Certificate/key/DH reading (src/crypto) and the rules that judge it, with material made at
 * run time by openssl in a temp dir.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_POLICY } from '../../src/config/policy.js';
import { Targets } from '../../src/config/targets.js';
import { loadMaterialSummary, summarize } from '../../src/crypto/material.js';
import { joinMessage } from '../../src/model/finding.js';
import { lint } from '../../src/engine/lint.js';
import {
  newContext,
  type MaterialRef,
  type MaterialSummary,
  type TlsContext,
} from '../../src/model/context.js';
import { lineRange } from '../../src/model/location.js';
import { rule as certificateValidity } from '../../rules/certificate-validity/index.js';
import { rule as selfSigned } from '../../rules/self-signed-certificate/index.js';
import { rule as weakKey } from '../../rules/weak-key/index.js';
import { rule as weakSignature } from '../../rules/weak-signature-algorithm/index.js';
import { haveProgram } from '../support/system.js';
import { DAY, makeCertificate, makeDhParams, makeKey } from './openssl.js';

const HAVE = haveProgram('openssl');

describe.skipIf(!HAVE)('certificate, key and DH files', () => {
  let dir: string;
  let ca: { cert: string; key: string };
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'tls-lint-material-'));
    ca = makeCertificate(dir, 'ca', {
      key: 'rsa:2048',
      cn: 'Material CA',
      isCA: true,
      notAfter: new Date(Date.now() + 3650 * DAY),
    });
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const read = (purpose: MaterialRef['purpose'], file: string): MaterialSummary =>
    summarize(purpose, readFileSync(file));

  test('a CA-signed leaf: subject, issuer, dates, key, signature, SANs', () => {
    const leaf = makeCertificate(dir, 'leaf', {
      key: 'ec:prime256v1',
      cn: 'leaf.test',
      issuer: ca,
      notBefore: new Date('2024-01-02T03:04:05Z'),
      notAfter: new Date('2031-06-07T08:09:10Z'),
    });
    const s = read('server-certificate', leaf.cert);
    expect(s.kind).toBe('certificates');
    expect(s.certificates![0]).toMatchObject({
      subject: 'CN=leaf.test',
      issuer: 'CN=Material CA',
      selfSigned: false,
      isCA: false,
      notBefore: '2024-01-02T03:04:05.000Z',
      notAfter: '2031-06-07T08:09:10.000Z',
      key: { type: 'ec', bits: 256, curve: 'prime256v1' },
      signatureAlgorithm: 'sha256WithRSAEncryption',
      signatureHash: 'sha256',
      subjectAltNames: ['DNS:leaf.test'],
    });
  });

  test('DER certificates, chains in file order, self-signed CA', () => {
    const der = path.join(dir, 'ca.der');
    execFileSync('openssl', ['x509', '-in', ca.cert, '-outform', 'DER', '-out', der]);
    expect(read('client-ca', der).certificates![0]).toMatchObject({
      subject: 'CN=Material CA',
      selfSigned: true,
      isCA: true,
    });
    const leaf = makeCertificate(dir, 'chainleaf', {
      key: 'rsa:2048',
      cn: 'chain.test',
      issuer: ca,
    });
    const chain = path.join(dir, 'chain.pem');
    writeFileSync(chain, readFileSync(leaf.cert, 'utf8') + readFileSync(ca.cert, 'utf8'));
    expect(read('server-certificate', chain).certificates!.map((c) => c.subject)).toEqual([
      'CN=chain.test',
      'CN=Material CA',
    ]);
  });

  test('private keys: RSA, EC, DSA sizes; encrypted keys are unreadable, not errors', () => {
    expect(read('server-key', makeKey(dir, 'k1', 'rsa:1024')).key).toEqual({
      type: 'rsa',
      bits: 1024,
    });
    expect(read('server-key', makeKey(dir, 'k2', 'ec:prime192v1')).key).toEqual({
      type: 'ec',
      bits: 192,
      curve: 'prime192v1',
    });
    expect(read('server-key', makeKey(dir, 'k3', 'dsa:1024')).key).toEqual({
      type: 'dsa',
      bits: 1024,
    });
    const enc = path.join(dir, 'enc.key');
    execFileSync('openssl', [
      'pkey',
      '-in',
      path.join(dir, 'k1.key'),
      '-aes256',
      '-passout',
      'pass:secret',
      '-out',
      enc,
    ]);
    expect(read('server-key', enc)).toEqual({
      kind: 'unreadable',
      error: expect.stringContaining('encrypted'),
      unsupported: true,
    });
  });

  test('DH parameters: prime size', () => {
    expect(read('dhparam', makeDhParams(dir, 'dh', 1024))).toEqual({
      kind: 'dh-params',
      dhBits: 1024,
    });
    expect(read('dhparam', ca.cert)).toEqual({
      kind: 'unreadable',
      error: 'no "DH PARAMETERS" block found',
    });
  });

  test('missing files give no summary; garbage gives "unreadable"', () => {
    const ref: MaterialRef = {
      purpose: 'server-certificate',
      path: path.join(dir, 'nope.pem'),
      at: lineRange('x'),
      key: 'ssl_certificate',
    };
    expect(loadMaterialSummary(ref, { readBytes: () => undefined })).toBeUndefined();
    expect(
      loadMaterialSummary(ref, {
        readBytes: () =>
          Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
      })?.kind,
    ).toBe('unreadable');
  });

  test('through nginx: findings point at the directive and name the file; the expiry window follows the policy', async () => {
    const conf = path.join(dir, 'nginx.conf');
    const soon = makeCertificate(dir, 'soon', {
      key: 'rsa:2048',
      cn: 'soon.test',
      issuer: ca,
      notAfter: new Date(Date.now() + 10 * DAY),
    });
    const expired = makeCertificate(dir, 'expired', {
      key: 'rsa:2048',
      cn: 'expired.test',
      issuer: ca,
      notBefore: new Date(Date.now() - 40 * DAY),
      notAfter: new Date(Date.now() - 5 * DAY),
    });
    const future = makeCertificate(dir, 'future', {
      key: 'rsa:2048',
      cn: 'future.test',
      issuer: ca,
      notBefore: new Date(Date.now() + 20 * DAY),
      notAfter: new Date(Date.now() + 400 * DAY),
    });
    const weak = makeCertificate(dir, 'weak', {
      key: 'rsa:1024',
      cn: 'weak.test',
      issuer: ca,
      digest: 'sha1',
    });
    const self = makeCertificate(dir, 'self', { key: 'ec:prime256v1', cn: 'self.test' });
    const server = (name: string, c: { cert: string; key: string }, extra = '') =>
      `  server { listen 443 ssl; server_name ${name};\n    ssl_certificate ${c.cert};\n    ssl_certificate_key ${c.key};${extra}\n  }\n`;
    writeFileSync(
      conf,
      `events {}\nhttp {\n  ssl_protocols TLSv1.2 TLSv1.3;\n  ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256;\n` +
        server('soon.test', soon) +
        server('expired.test', expired) +
        server('future.test', future) +
        server('weak.test', weak) +
        server('self.test', self) +
        '}\n',
    );
    const r = await lint({ paths: [conf], cwd: dir });
    const mine = r.findings.filter((f) =>
      [
        'certificate-validity',
        'self-signed-certificate',
        'weak-key',
        'weak-signature-algorithm',
      ].includes(f.ruleId),
    );
    const summary = mine.map((f) => `${f.ruleId}:${f.severity}:${f.at.line}`);
    expect(summary).toEqual([
      'certificate-validity:warning:6',
      'certificate-validity:error:10',
      'certificate-validity:error:14',
      'weak-key:error:18',
      'weak-signature-algorithm:error:18',
      'self-signed-certificate:warning:22',
    ]);
    expect(mine[0]!.headline).toMatch(
      /^The certificate "CN=soon.test" expires on \d{4}-\d\d-\d\d \(in 9 days\)$/,
    );
    expect(mine[0]!.evidence).toMatch(
      /^in ".*soon.pem" \("ssl_certificate"\), within the 30-day warning window$/,
    );
    expect(mine[0]!.fix).toBe('renew it before then');
    expect(mine[1]!.message).toContain('expired on');
    expect(mine[2]!.message).toContain('is not valid before');
    expect(mine[3]!.message).toContain('has an RSA key of 1024 bits, below 2048 bits');
    expect(mine[4]!.message).toContain('"sha1WithRSAEncryption" (SHA1)');
    expect(mine[5]!.message).toContain('is self-signed');
    // The weak key file is the same key as the certificate's: said once, at the certificate.
    expect(mine.filter((f) => f.at.line === 19)).toEqual([]);

    const narrow = await lint({
      paths: [conf],
      cwd: dir,
      policy: { certificateExpiryWarningDays: 5 },
    });
    expect(
      narrow.findings.filter((f) => f.ruleId === 'certificate-validity').map((f) => f.at.line),
    ).toEqual([10, 14]);
  }, 60_000);

  test('certificates named by $ssl_server_name are read for each literal server_name; other variables stay unknown', async () => {
    const sni = path.join(dir, 'sni');
    const good = makeCertificate(sni, 'good.test', {
      key: 'ec:prime256v1',
      cn: 'good.test',
      issuer: ca,
    });
    makeCertificate(sni, 'weak.test', { key: 'rsa:1024', cn: 'weak.test', issuer: ca });
    expect(path.basename(good.cert)).toBe('good.test.pem');
    const conf = path.join(sni, 'nginx.conf');
    writeFileSync(
      conf,
      'events {}\nhttp {\n  ssl_protocols TLSv1.2 TLSv1.3;\n  ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256;\n' +
        '  server { listen 443 ssl; server_name good.test WEAK.test *.wild.test;\n    ssl_certificate $ssl_server_name.pem;\n    ssl_certificate_key ${ssl_server_name}.key;\n  }\n' +
        '  server { listen 8443 ssl; server_name weak.test;\n    ssl_certificate $host.pem;\n    ssl_certificate_key $host.key;\n  }\n}\n',
    );
    const r = await lint({ paths: [conf], cwd: sni });
    const first = r.contexts.find((c) => c.target?.port === 443)!;
    expect(first.material.map((m) => [m.purpose, m.written, m.summary?.kind])).toEqual([
      ['server-certificate', 'good.test.pem', 'certificates'],
      ['server-certificate', 'weak.test.pem', 'certificates'],
      ['server-key', 'good.test.key', 'private-key'],
      ['server-key', 'weak.test.key', 'private-key'],
    ]);
    const second = r.contexts.find((c) => c.target?.port === 8443)!;
    expect(second.material.map((m) => [m.written, m.path, m.summary])).toEqual([
      ['$host.pem', undefined, undefined],
      ['$host.key', undefined, undefined],
    ]);
    const weak = r.findings.filter((f) => f.ruleId === 'weak-key');
    expect(weak.map((f) => f.at.line)).toEqual([6]);
    expect(weak[0]!.message).toContain('"weak.test.pem" ("ssl_certificate")');
    expect(r.errors).toEqual([]);
  }, 60_000);
});

describe('the certificate rules judge summaries only (the probe fills them from the served chain)', () => {
  const env = { policy: DEFAULT_POLICY, targets: new Targets(new Map()) };
  const served = (certs: NonNullable<MaterialSummary['certificates']>): TlsContext => {
    const at = lineRange('https://127.0.0.1:8443');
    return newContext({
      id: 'p#1',
      language: 'probe',
      role: 'server',
      at,
      label: 'the endpoint 127.0.0.1:8443',
      api: 'probe',
      recognition: 'known-api',
      material: [
        {
          purpose: 'server-certificate',
          at,
          key: 'served certificate chain',
          summary: { kind: 'certificates', certificates: certs },
        },
      ],
    });
  };
  const cert = (over: Partial<NonNullable<MaterialSummary['certificates']>[number]>) => ({
    subject: 'CN=probe.test',
    issuer: 'CN=Some CA',
    selfSigned: false,
    isCA: false,
    notBefore: '2020-01-01T00:00:00.000Z',
    notAfter: '2099-01-01T00:00:00.000Z',
    key: { type: 'rsa' as const, bits: 2048 },
    signatureAlgorithm: 'sha256WithRSAEncryption',
    signatureHash: 'sha256',
    subjectAltNames: [],
    fingerprint256: 'AA',
    ...over,
  });

  test('a good chain gives nothing', () => {
    const c = served([cert({}), cert({ subject: 'CN=Some CA', issuer: 'CN=Root', isCA: true })]);
    for (const r of [certificateValidity, selfSigned, weakKey, weakSignature])
      expect(r.check(c, env)).toEqual([]);
  });

  test('expired, self-signed, SHA-1 intermediate, small EC key; a self-signed root in the chain is not judged for its signature', () => {
    const c = served([
      cert({
        notAfter: '2021-01-01T00:00:00.000Z',
        key: { type: 'ec', bits: 192, curve: 'prime192v1' },
      }),
      cert({
        subject: 'CN=Mid',
        signatureAlgorithm: 'sha1WithRSAEncryption',
        signatureHash: 'sha1',
        isCA: true,
      }),
      cert({
        subject: 'CN=Root',
        issuer: 'CN=Root',
        selfSigned: true,
        isCA: true,
        signatureAlgorithm: 'md5WithRSAEncryption',
        signatureHash: 'md5',
        key: { type: 'rsa', bits: 1024 },
      }),
    ]);
    expect(certificateValidity.check(c, env).map((r) => [r.headline, r.evidence])).toEqual([
      [
        'The certificate "CN=probe.test" expired on 2021-01-01 (over a year ago)',
        expect.stringContaining('in "served certificate chain"'),
      ],
    ]);
    // Far dates give no day count: committed fixtures' messages must not change every day.
    const far = served([cert({ notBefore: '2090-01-01T00:00:00.000Z' })]);
    expect(certificateValidity.check(far, env).map(joinMessage)).toEqual([
      expect.stringContaining('is not valid before 2090-01-01 (over a year from now)'),
    ]);
    expect(weakSignature.check(c, env).map(joinMessage)).toEqual([
      expect.stringContaining('chain certificate 2 "CN=Mid"'),
    ]);
    expect(weakKey.check(c, env).map(joinMessage)).toEqual([
      expect.stringContaining('EC key on prime192v1 (192 bits), a curve below 224 bits'),
    ]);
    expect(selfSigned.check(c, env)).toEqual([]);
    expect(
      selfSigned.check(served([cert({ issuer: 'CN=probe.test', selfSigned: true })]), env),
    ).toHaveLength(1);
  });
});
