import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CIPHER_SUITES,
  displayName,
  formatCode,
  offerableSuites,
  suiteByAnyName,
  suiteByBoringSslName,
  suiteByCode,
  suiteByGoName,
  suiteByIanaName,
  suiteByOpenSslName,
} from '../../src/crypto/cipher-suites.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('cipher-suite table', () => {
  it('is the generator output (scripts/generate-cipher-suites.mjs --check)', () => {
    const out = execFileSync(
      process.execPath,
      [path.join(ROOT, 'scripts/generate-cipher-suites.mjs'), '--check'],
      { encoding: 'utf8' },
    );
    expect(out).toMatch(/up to date/);
  });

  it('has one row per code point, IANA registry and legacy suites', () => {
    const codes = CIPHER_SUITES.map((s) => s.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(CIPHER_SUITES.length).toBeGreaterThan(350);
    // OpenSSL 3.0 (Debian) builds 155 TLS ≤1.2 suites: ALL (137) + COMPLEMENTOFALL (18)
    expect(CIPHER_SUITES.filter((s) => s.opensslBuilds?.v3).length).toBe(155);
  });

  it('looks suites up by code, IANA, OpenSSL, Go and BoringSSL names', () => {
    const s = suiteByCode(0xc02f)!;
    expect(s.iana).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(s.openssl).toBe('ECDHE-RSA-AES128-GCM-SHA256');
    expect(s.go).toEqual(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']);
    expect(s.boringssl).toBe('ECDHE-RSA-AES128-GCM-SHA256');
    expect(s).toMatchObject({
      kx: 'ECDHE',
      au: 'RSA',
      enc: 'AESGCM',
      bits: 128,
      mode: 'AEAD',
      mac: 'AEAD',
      minProtocol: 'TLSv1.2',
    });
    expect(s.flags).toEqual(['forward-secrecy']);
    expect(suiteByIanaName('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256')).toBe(s);
    expect(suiteByOpenSslName('ECDHE-RSA-AES128-GCM-SHA256')).toBe(s);
    expect(suiteByBoringSslName('ECDHE-RSA-AES128-GCM-SHA256')).toBe(s);
    expect(suiteByGoName('tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305')?.code).toBe(0xcca8);
    expect(suiteByGoName('TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256')?.code).toBe(0xcca9);
    expect(suiteByAnyName('0xC0,0x2F')).toBe(s);
    expect(suiteByAnyName('0xc02f')).toBe(s);
    expect(formatCode(0xc02f)).toBe('0xC0,0x2F');
    expect(formatCode(0x010080)).toBe('0x01,0x00,0x80');
  });

  it('gives every suite a distinct display name (SSLv2 kinds are marked)', () => {
    const names = CIPHER_SUITES.map(displayName);
    expect(new Set(names).size).toBe(names.length);
    expect(displayName(suiteByCode(0x020080)!)).toBe('SSLv2 EXP-RC4-MD5');
    expect(displayName(suiteByCode(0x0003)!)).toBe('EXP-RC4-MD5');
  });

  it('keeps legacy suites OpenSSL 3 no longer builds, with their flags', () => {
    expect(suiteByOpenSslName('EXP-RC4-MD5')).toMatchObject({
      code: 0x0003,
      bits: 40,
      flags: expect.arrayContaining(['EXPORT', 'RC4', 'MD5']),
    });
    expect(suiteByOpenSslName('DES-CBC-SHA')?.flags).toEqual(
      expect.arrayContaining(['DES', 'CBC', 'SHA1-MAC']),
    );
    expect(suiteByOpenSslName('DES-CBC3-SHA')?.flags).toEqual(
      expect.arrayContaining(['3DES', 'CBC']),
    );
    expect(suiteByOpenSslName('RC4-SHA')?.mode).toBe('stream');
    expect(suiteByOpenSslName('IDEA-CBC-SHA')?.flags).toContain('IDEA');
    expect(suiteByOpenSslName('SEED-SHA')?.flags).toContain('SEED');
    expect(suiteByOpenSslName('ADH-AES128-SHA')?.flags).toEqual(
      expect.arrayContaining(['anon', 'forward-secrecy', 'CBC']),
    );
    expect(suiteByOpenSslName('DH-RSA-AES128-SHA')).toMatchObject({
      kx: 'DH',
      au: 'RSA',
      flags: expect.arrayContaining(['static-DH']),
    });
    expect(suiteByOpenSslName('EDH-RSA-DES-CBC3-SHA')?.code).toBe(0x0016);
    expect(suiteByOpenSslName('EXP1024-RC4-SHA')?.flags).toContain('EXPORT');
    const sslv2 = suiteByCode(0x010080)!;
    expect(sslv2).toMatchObject({ sslv2: 'SSL_CK_RC4_128_WITH_MD5', minProtocol: 'SSLv2' });
    // the TLS suite keeps the shared OpenSSL name
    expect(suiteByOpenSslName('RC4-MD5')?.code).toBe(0x0004);
  });

  it('marks TLS 1.3 suites and signalling values', () => {
    expect(suiteByIanaName('TLS_AES_128_GCM_SHA256')).toMatchObject({
      tls13: true,
      minProtocol: 'TLSv1.3',
      kx: 'any',
    });
    expect(suiteByIanaName('TLS_FALLBACK_SCSV')?.flags).toEqual(['SCSV']);
    expect(offerableSuites().some((s) => s.flags.includes('SCSV') || s.code > 0xffff)).toBe(false);
    expect(offerableSuites().length).toBeGreaterThan(300);
  });

  it('derives mode, MAC and forward secrecy consistently', () => {
    for (const s of CIPHER_SUITES) {
      if (s.mode === 'AEAD') expect(s.flags.includes('CBC'), displayName(s)).toBe(false);
      if (s.mode === 'CBC') expect(s.flags, displayName(s)).toContain('CBC');
      if (s.kx === 'RSA' || s.kx === 'DH' || s.kx === 'ECDH')
        expect(s.flags, displayName(s)).not.toContain('forward-secrecy');
    }
  });
});
