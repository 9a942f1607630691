import { describe, expect, it } from 'vitest';
import { Targets, type TargetPlatform } from '../../src/config/targets.js';
import { ciphersReport } from '../../src/cli/commands/ciphers.js';
import { runCli, runMain } from '../support/cli.js';
import { mozillaProfile } from '../../src/crypto/mozilla.js';
import { displayName } from '../../src/crypto/cipher-suites.js';
import { NODE_DEFAULT_CIPHERS_18_20 } from '../../src/crypto/platforms/node-defaults.js';
import { pythonDefaultCiphers } from '../../src/crypto/platforms/defaults.js';

const targets = (t: Record<string, string> = {}) =>
  new Targets(new Map(Object.entries(t)) as Map<TargetPlatform, string>);

describe('tls-lint ciphers (report)', () => {
  it('HIGH:!aNULL:!MD5 on OpenSSL 1.0.2 lists 3DES and CAMELLIA suites and flags 3DES', () => {
    const r = ciphersReport(
      'HIGH:!aNULL:!MD5',
      { platform: 'openssl', profile: 'intermediate' },
      targets({ openssl: '1.0.2' }),
    );
    expect(r.openssl?.family).toBe('1.0.2');
    expect(r.suites.some((s) => s.flags.includes('3DES'))).toBe(true);
    expect(r.suites.some((s) => s.flags.includes('CAMELLIA'))).toBe(true);
    expect(r.tls13).toEqual([]);
    expect(r.profile.findings.find((f) => f.ruleId === 'insecure-cipher-suite')?.message).toMatch(
      /^"HIGH" enables 9 3DES suites .*: set in "cipher string"/,
    );
  });

  it('has the JSON shape of the issue', () => {
    const r = ciphersReport(
      'ECDHE+AESGCM:!aNULL',
      { platform: 'openssl', profile: 'intermediate' },
      targets(),
    );
    expect(Object.keys(r)).toEqual(
      expect.arrayContaining(['suites', 'tls13', 'unknownTokens', 'errors']),
    );
    expect(r.suites[0]).toEqual({
      iana: 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
      openssl: 'ECDHE-ECDSA-AES256-GCM-SHA384',
      code: '0xC0,0x2C',
      protocol: 'TLSv1.2',
      kx: 'ECDHE',
      au: 'ECDSA',
      enc: 'AESGCM',
      bits: 256,
      mac: 'AEAD',
      flags: ['forward-secrecy'],
      token: 'ECDHE+AESGCM',
      inProfile: true,
      blockedBySecLevel: false,
    });
    expect(r.profile.findings).toEqual([]);
  });

  it('Go and Envoy lists', () => {
    const go = ciphersReport(
      'tls.TLS_RSA_WITH_AES_128_CBC_SHA,tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      { platform: 'go', profile: 'intermediate' },
      targets(),
    );
    expect(go.suites.map((s) => s.code)).toEqual(['0x00,0x2F', '0xC0,0x2F']);
    expect(go.profile.findings.map((f) => f.ruleId).sort()).toEqual([
      'cbc-cipher-suite',
      'no-forward-secrecy',
    ]);
    const envoy = ciphersReport(
      '[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-POLY1305]:BOGUS',
      { platform: 'envoy', profile: 'intermediate' },
      targets(),
    );
    expect(envoy.unknownTokens).toEqual(['BOGUS']);
    expect(envoy.errors[0]).toMatch(/Envoy rejects the configuration/);
  });
});

describe('tls-lint ciphers (command line)', () => {
  it('prints JSON and exits 1 for the seed article string (spawned, end to end)', () => {
    const r = runCli([
      'ciphers',
      'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
      '--platform',
      'node',
      '--format',
      'json',
    ]);
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

/** Mozilla's lists as OpenSSL strings (the guideline's suites by their OpenSSL names). */
const mozilla = (name: 'modern' | 'intermediate' | 'old') => {
  const p = mozillaProfile(name);
  return (
    [...p.suites.map(displayName), ...(name === 'old' ? ['@SECLEVEL=0'] : [])].join(':') ||
    p.tls13.map(displayName).join(':')
  );
};

/** Strings × platforms × targets: every text line of `tls-lint ciphers` must fit 100 columns. */
const WIDTH_CASES: Array<{ args: string[]; why: string }> = [
  ...[
    'HIGH:!aNULL:!MD5',
    'ALL:@SECLEVEL=0',
    'ALL:COMPLEMENTOFALL:eNULL:@SECLEVEL=0',
    'DEFAULT',
    'ALL:!COMPLEMENTOFDEFAULT:!eNULL',
    mozilla('intermediate'),
    mozilla('modern'),
    mozilla('old'),
    NODE_DEFAULT_CIPHERS_18_20,
    pythonDefaultCiphers('3.12'),
  ].flatMap((text) =>
    ['1.0.2', '1.1.1', '3.0'].map((openssl) => ({
      args: [text, '--target', `openssl=${openssl}`],
      why: `openssl ${openssl}`,
    })),
  ),
  { args: [NODE_DEFAULT_CIPHERS_18_20, '--platform', 'node'], why: 'Node default list' },
  {
    args: ['ALL:@SECLEVEL=0', '--platform', 'node', '--target', 'node=16'],
    why: 'Node 16 (OpenSSL 1.1.1)',
  },
  {
    args: [
      'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:TLS_DHE_RSA_WITH_AES_128_CBC_SHA',
      '--platform',
      'node',
    ],
    why: 'IANA names in Node',
  },
  {
    args: ['HIGH:!aNULL:!MD5', '--platform', 'nginx', '--target', 'openssl=1.0.2'],
    why: 'nginx on 1.0.2',
  },
  { args: ['ALL:@SECLEVEL=0', '--platform', 'python'], why: 'python' },
  {
    args: [
      'tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,tls.TLS_RSA_WITH_AES_128_CBC_SHA256,tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA,tls.TLS_RSA_WITH_RC4_128_SHA',
      '--platform',
      'go',
    ],
    why: 'Go constants (the longest suite names)',
  },
  {
    args: [
      '[ECDHE-ECDSA-AES128-GCM-SHA256|ECDHE-ECDSA-CHACHA20-POLY1305]:ECDHE-RSA-AES128-SHA:AES128-GCM-SHA256:BOGUS',
      '--platform',
      'envoy',
    ],
    why: 'Envoy / BoringSSL',
  },
  {
    args: [`${'NOT-A-CIPHER-NAME-THAT-GOES-ON-'.repeat(8)}:HIGH`],
    why: 'a token longer than a line',
  },
  { args: ['HIGH:!aNULL', '--profile', 'modern'], why: 'modern profile' },
];

describe('tls-lint ciphers fits 100 columns', () => {
  it.each(WIDTH_CASES)('$why: $args.0', async ({ args }) => {
    const r = await runMain(['ciphers', ...args]);
    expect(r.stderr).toBe('');
    const lines = r.stdout.trimEnd().split('\n');
    const widest = Math.max(...lines.map((l) => l.length));
    expect(
      widest,
      lines.find((l) => l.length === widest),
    ).toBeLessThanOrEqual(100);
    // nothing of the input or the suites is lost to the width: every suite of the JSON is listed
    const json = JSON.parse((await runMain(['ciphers', ...args, '--format', 'json'])).stdout) as {
      suites: unknown[];
      tls13: unknown[];
    };
    expect(lines.filter((l) => /^(\d+|1\.3) {2}/.test(l))).toHaveLength(
      json.suites.length + json.tls13.length,
    );
  });

  it('--wide prints every column (codes, both names, the item of the string), unwrapped', async () => {
    const narrow = await runMain(['ciphers', 'HIGH:!aNULL:!MD5']);
    const wide = await runMain(['ciphers', 'HIGH:!aNULL:!MD5', '--wide']);
    expect(narrow.stdout).not.toMatch(/^#.*IANA name/m);
    expect(narrow.stdout).toMatch(/--wide or --format json/);
    expect(wide.stdout).toMatch(
      /^#\s+code\s+OpenSSL name\s+IANA name\s+since\s+kx\s+au\s+enc\s+mac\s+flags\s+from$/m,
    );
    expect(wide.stdout).toMatch(
      /^1\s+0xC0,0x2C\s+ECDHE-ECDSA-AES256-GCM-SHA384\s+TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 .* HIGH$/m,
    );
    expect(Math.max(...wide.stdout.split('\n').map((l) => l.length))).toBeGreaterThan(100);
  });

  it('a long cipher string wraps at its ":" and keeps every character', async () => {
    const r = await runMain(['ciphers', NODE_DEFAULT_CIPHERS_18_20, '--platform', 'node']);
    const head = r.stdout.split('\n#')[0]!;
    expect(head.replace(/\n\s*/g, '')).toContain(NODE_DEFAULT_CIPHERS_18_20);
  });
});

describe('tls-lint ciphers: security level 0', () => {
  it('notes what @SECLEVEL=0 lets back in beyond suites (OpenSSL 3: TLS 1.0/1.1, small keys, SHA-1 signatures)', async () => {
    const r = await runMain(['ciphers', 'ECDHE+AESGCM:@SECLEVEL=0']);
    const text = r.stdout.replace(/\n\s+/g, ' ');
    expect(text).toMatch(
      /note\s+security level 0 \("@SECLEVEL=0".*\) also lets back in TLS 1\.0\/1\.1 handshakes, RSA\/DSA\/DH keys under 1024 bits .*SHA-1\/MD5 signatures/,
    );
    expect(text).toMatch(
      /warning\s+security level 0: the note above; remove ":@SECLEVEL=0"\s+\[lowered-security-level\]/,
    );
    expect(r.code).toBe(1);
    const json = JSON.parse(
      (await runMain(['ciphers', 'ECDHE+AESGCM:@SECLEVEL=0', '--format', 'json'])).stdout,
    );
    expect(json.securityLevel).toMatchObject({ level: 0, source: '"@SECLEVEL=0"' });
    expect(json.securityLevel.reenables[0]).toBe('TLS 1.0/1.1 handshakes');
    expect(json.profile.findings.map((f: { ruleId: string }) => f.ruleId)).toContain(
      'lowered-security-level',
    );
  });

  it('OpenSSL 1.1.1 at level 0: small keys and weak suites, not TLS 1.0/1.1 (1.1.1 never refused them)', async () => {
    const json = JSON.parse(
      (
        await runMain([
          'ciphers',
          'ECDHE+AESGCM:@SECLEVEL=0',
          '--target',
          'openssl=1.1.1',
          '--format',
          'json',
        ])
      ).stdout,
    );
    expect(json.securityLevel.reenables.join(' ')).not.toMatch(/TLS 1\.0/);
    expect(json.securityLevel.reenables.join(' ')).toMatch(/under 1024 bits/);
  });

  it('no note for the default level, a raised level, or a platform without levels', async () => {
    for (const args of [
      ['ECDHE+AESGCM'],
      ['ECDHE+AESGCM:@SECLEVEL=2'],
      ['ECDHE+AESGCM', '--target', 'openssl=1.0.2'],
      ['ECDHE-ECDSA-AES128-GCM-SHA256', '--platform', 'envoy'],
    ]) {
      const r = await runMain(['ciphers', ...args]);
      expect(r.stdout, args.join(' ')).not.toMatch(/security level 0|lowered-security-level/);
    }
  });
});
