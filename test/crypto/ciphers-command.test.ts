import { describe, expect, it } from 'vitest';
import { Targets, type TargetPlatform } from '../../src/config/targets.js';
import { ciphersReport } from '../../src/cli/commands/ciphers.js';
import { runCli, runMain } from '../support/cli.js';

const targets = (t: Record<string, string> = {}) => new Targets(new Map(Object.entries(t)) as Map<TargetPlatform, string>);

describe('tls-lint ciphers (report)', () => {
  it('HIGH:!aNULL:!MD5 on OpenSSL 1.0.2 lists 3DES and CAMELLIA suites and flags 3DES', () => {
    const r = ciphersReport('HIGH:!aNULL:!MD5', { platform: 'openssl', profile: 'intermediate' }, targets({ openssl: '1.0.2' }));
    expect(r.openssl?.family).toBe('1.0.2');
    expect(r.suites.some((s) => s.flags.includes('3DES'))).toBe(true);
    expect(r.suites.some((s) => s.flags.includes('CAMELLIA'))).toBe(true);
    expect(r.tls13).toEqual([]);
    expect(r.profile.findings.find((f) => f.ruleId === 'insecure-cipher-suite')?.message).toMatch(/^"HIGH" in "cipher string" enables 9 3DES suites/);
  });

  it('has the JSON shape of the issue', () => {
    const r = ciphersReport('ECDHE+AESGCM:!aNULL', { platform: 'openssl', profile: 'intermediate' }, targets());
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['suites', 'tls13', 'unknownTokens', 'errors']));
    expect(r.suites[0]).toEqual({
      iana: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', openssl: 'ECDHE-ECDSA-AES256-GCM-SHA384', code: '0xC0,0x2C', protocol: 'TLSv1.2',
      kx: 'ECDHE', au: 'ECDSA', enc: 'AESGCM', bits: 256, mac: 'AEAD', flags: ['forward-secrecy'], token: 'ECDHE+AESGCM', inProfile: true, blockedBySecLevel: false,
    });
    expect(r.profile.findings).toEqual([]);
  });

  it('Go and Envoy lists', () => {
    const go = ciphersReport('tls.TLS_RSA_WITH_AES_128_CBC_SHA,tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', { platform: 'go', profile: 'intermediate' }, targets());
    expect(go.suites.map((s) => s.code)).toEqual(['0x00,0x2F', '0xC0,0x2F']);
    expect(go.profile.findings.map((f) => f.ruleId).sort()).toEqual(['cbc-cipher-suite', 'no-forward-secrecy']);
    const envoy = ciphersReport('[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-POLY1305]:BOGUS', { platform: 'envoy', profile: 'intermediate' }, targets());
    expect(envoy.unknownTokens).toEqual(['BOGUS']);
    expect(envoy.errors[0]).toMatch(/Envoy rejects the configuration/);
  });
});

describe('tls-lint ciphers (command line)', () => {
  it('prints JSON and exits 1 for the seed article string (spawned, end to end)', () => {
    const r = runCli(['ciphers', 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', '--platform', 'node', '--format', 'json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.suites).toEqual([]);
    expect(json.errors[0]).toMatch(/every handshake will fail/);
  });
  it('prints a table and exits 0 for a clean string', async () => {
    const r = await runMain(['ciphers', 'ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ECDHE-ECDSA-AES256-GCM-SHA384/);
    expect(r.stdout).toMatch(/Mozilla "intermediate" profile: no finding/);
  });
  it('rejects a bad --target with exit 2', async () => {
    expect((await runMain(['ciphers', 'HIGH', '--target', 'openssl'])).code).toBe(2);
  });
});
