import { describe, expect, it } from 'vitest';
import { Targets, type TargetPlatform } from '../../src/config/targets.js';
import { resolveCipherSpec } from '../../src/crypto/cipher-spec.js';
import { mozillaProfile } from '../../src/crypto/mozilla.js';
import { nodeDefaultCipherList } from '../../src/crypto/platforms/node-defaults.js';
import { ENVOY_DEFAULT_CIPHER_SUITES } from '../../src/crypto/platforms/defaults.js';

const targets = (t: Record<string, string> = {}) =>
  new Targets(new Map(Object.entries(t)) as Map<TargetPlatform, string>);
const kinds = (r: { problems: Array<{ kind: string }> }) => r.problems.map((p) => p.kind);

// The Node example of the seed article (IANA TLS 1.2 names in `ciphers`)
const SEED_NODE =
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256';

describe('Node ciphers', () => {
  it('the seed article: IANA TLS 1.2 names become TLS 1.3 names and every handshake fails', () => {
    const r = resolveCipherSpec({ syntax: 'node', text: SEED_NODE }, targets());
    expect(r.tls12Disabled).toBe(true);
    expect(r.suites).toEqual([]);
    expect(r.tls13).toEqual([]);
    const p = r.problems.find((x) => x.kind === 'node-tls12-iana-names')!;
    expect(p.effect).toBe('handshakes-fail');
    expect(p.message).toMatch(
      /Node treats every "TLS_"-prefixed name in "ciphers" as a TLS 1.3 suite name/,
    );
    expect(p.message).toMatch(/every handshake will fail/);
    expect(p.fix).toMatch(
      /^write TLS 1.2 suites with OpenSSL names \(ECDHE-ECDSA-AES256-GCM-SHA384/,
    );
  });

  it('mixed IANA and OpenSSL names with no real TLS 1.3 suite break every handshake (live check: node-semantics.test.ts)', () => {
    const r = resolveCipherSpec(
      { syntax: 'node', text: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:ECDHE-RSA-AES128-GCM-SHA256' },
      targets(),
    );
    expect(r.suites.map((s) => s.suite.openssl)).toEqual(['ECDHE-RSA-AES128-GCM-SHA256']);
    expect(r.problems[0]).toMatchObject({
      kind: 'node-tls12-iana-names',
      effect: 'handshakes-fail',
    });
    expect(r.problems[0]!.message).toMatch(/every handshake will fail, TLS 1\.2 ones included/);
  });

  it('splits TLS_ tokens into the TLS 1.3 list and keeps the default otherwise', () => {
    const d = resolveCipherSpec(
      { syntax: 'node', text: nodeDefaultCipherList('20') },
      targets({ node: '20' }),
    );
    expect(d.tls13.map((s) => s.suite.iana)).toEqual([
      'TLS_AES_256_GCM_SHA384',
      'TLS_CHACHA20_POLY1305_SHA256',
      'TLS_AES_128_GCM_SHA256',
    ]);
    expect(d.tls13Configured).toBe(true);
    // Node's own default list names two suites that do not exist; OpenSSL ignores them
    expect(d.unknownTokens).toEqual(['DHE-RSA-AES256-SHA384', 'ECDHE-RSA-AES256-SHA256']);
    expect(d.suites[0]?.suite.openssl).toBe('ECDHE-RSA-AES128-GCM-SHA256');
    expect(d.suites.some((s) => s.suite.flags.includes('CAMELLIA'))).toBe(false);
    // Node 8/9 (OpenSSL 1.0.2): no TLS 1.3 names yet, and HIGH still holds 3DES
    const old = nodeDefaultCipherList('8');
    expect(old).not.toMatch(/TLS_/);
    expect(old).toMatch(/^ECDHE-RSA-AES128-GCM-SHA256:/);
    const o = resolveCipherSpec({ syntax: 'node', text: old }, targets({ node: '8' }));
    expect(o.family).toBe('1.0.2');
    expect(o.suites.some((s) => s.suite.flags.includes('3DES'))).toBe(true);
    const h = resolveCipherSpec({ syntax: 'node', text: 'HIGH:!aNULL' }, targets());
    expect(h.tls13Configured).toBe(false);
    expect(h.tls13).toHaveLength(3);
    const only13 = resolveCipherSpec({ syntax: 'node', text: 'TLS_AES_128_GCM_SHA256' }, targets());
    expect(only13.tls12Disabled).toBe(true);
    expect(only13.problems).toEqual([]);
  });

  it('refuses what Node refuses (checked against Node 20)', () => {
    expect(resolveCipherSpec({ syntax: 'node', text: 'BOGUS' }, targets()).refused).toBe(true);
    expect(resolveCipherSpec({ syntax: 'node', text: 'high' }, targets()).refused).toBe(true);
    expect(resolveCipherSpec({ syntax: 'node', text: 'TLS_BOGUS' }, targets()).refused).toBe(true);
    expect(
      resolveCipherSpec(
        { syntax: 'node', text: 'TLS_BOGUS:ECDHE-RSA-AES128-GCM-SHA256' },
        targets(),
      ).refused,
    ).toBe(true);
    expect(
      resolveCipherSpec({ syntax: 'node', text: 'TLS_BOGUS:TLS_AES_128_GCM_SHA256' }, targets())
        .refused,
    ).toBe(false);
    expect(resolveCipherSpec({ syntax: 'node', text: 'HIGH:!' }, targets()).problems[0]?.kind).toBe(
      'invalid-command',
    );
    const r = resolveCipherSpec({ syntax: 'node', text: 'HIGH:BOGUS' }, targets());
    expect(r.refused).toBe(false);
    expect(r.unknownTokens).toEqual(['BOGUS']);
    expect(kinds(r)).toEqual(['unknown-name']);
  });

  it('uses the OpenSSL Node bundles', () => {
    expect(resolveCipherSpec({ syntax: 'node', text: 'HIGH' }, targets({ node: '8' })).family).toBe(
      '1.0.2',
    );
    expect(
      resolveCipherSpec({ syntax: 'node', text: 'HIGH' }, targets({ node: '16' })).family,
    ).toBe('1.1.1');
    expect(
      resolveCipherSpec({ syntax: 'node', text: 'HIGH' }, targets({ node: '22' })).family,
    ).toBe('3.x');
  });
});

describe('OpenSSL strings (nginx, Python)', () => {
  it('follows --target openssl', () => {
    const old = resolveCipherSpec(
      { syntax: 'openssl', text: 'HIGH:!aNULL:!MD5' },
      targets({ openssl: '1.0.2' }),
      { platform: 'nginx' },
    );
    expect(old.family).toBe('1.0.2');
    expect(old.suites.some((s) => s.suite.flags.includes('3DES'))).toBe(true);
    expect(old.suites.find((s) => s.suite.flags.includes('3DES'))?.token).toBe('HIGH');
  });

  it('words the refusal per platform', () => {
    expect(
      resolveCipherSpec({ syntax: 'openssl', text: 'BOGUS' }, targets(), { platform: 'nginx' })
        .problems[0]?.message,
    ).toMatch(/nginx refuses to start/);
    expect(
      resolveCipherSpec({ syntax: 'openssl', text: 'BOGUS' }, targets(), { platform: 'python' })
        .problems[0]?.message,
    ).toMatch(/No cipher can be selected/);
  });

  it('explains ignored items', () => {
    const r = resolveCipherSpec(
      {
        syntax: 'openssl',
        text: 'ecdhe-rsa-aes128-gcm-sha256:TLS_AES_128_GCM_SHA256:TLS_RSA_WITH_AES_128_CBC_SHA:RC4-SHA:HIGH:DEFAULT',
      },
      targets(),
      { platform: 'nginx' },
    );
    expect(kinds(r)).toEqual([
      'case-mistake',
      'tls13-name-in-tls12-list',
      'iana-name-in-openssl-list',
      'not-built',
      'default-not-first',
    ]);
    expect(r.problems[2]!.message).toMatch(/"AES128-SHA"/);
  });

  it('a lower-case "default": a case slip first, also misplaced later', () => {
    const first = resolveCipherSpec({ syntax: 'openssl', text: 'default:!aNULL' }, targets(), {
      platform: 'nginx',
    });
    expect(first.refused).toBe(true);
    expect(first.problems[0]!.message).toMatch(/did you mean "DEFAULT"\?\)$/);
    const later = resolveCipherSpec({ syntax: 'openssl', text: 'HIGH:default' }, targets(), {
      platform: 'nginx',
    });
    expect(kinds(later)).toEqual(['default-not-first']);
    expect(later.problems[0]!.message).toMatch(
      /did you mean "DEFAULT"\? \(DEFAULT itself only works as the first item\)/,
    );
  });

  it('OpenSSL 1.1.1 rejects a TLS 1.3 list with any unknown name; 3.x skips the name', () => {
    const text = 'TLS_AES_128_GCM_SHA256:TLS_BOGUS:ECDHE-RSA-AES128-GCM-SHA256';
    const node16 = resolveCipherSpec({ syntax: 'node', text }, targets({ node: '16' }));
    expect(node16.refused).toBe(true);
    expect(kinds(node16)).toEqual(['no-cipher-match']);
    expect(node16.problems[0]!.message).toMatch(
      /^OpenSSL 1\.1\.1 rejects the whole TLS 1\.3 list because "TLS_BOGUS" is not a suite name it knows/,
    );
    const node20 = resolveCipherSpec({ syntax: 'node', text }, targets({ node: '20' }));
    expect(node20.refused).toBe(false);
    expect(kinds(node20)).toEqual(['unknown-tls13-name']);
    const nginx111 = resolveCipherSpec(
      { syntax: 'openssl-tls13', text: 'TLS_AES_256_GCM_SHA384:TLS_BOGUS' },
      targets({ openssl: '1.1.1' }),
      { platform: 'nginx' },
    );
    expect(nginx111.refused).toBe(true);
    expect(nginx111.problems[0]!.message).toMatch(/nginx refuses to start/);
  });

  it('reads a TLS 1.3 list (ssl_conf_command Ciphersuites)', () => {
    const r = resolveCipherSpec(
      { syntax: 'openssl-tls13', text: 'TLS_AES_256_GCM_SHA384:TLS_BOGUS' },
      targets(),
      { platform: 'nginx' },
    );
    expect(r.tls13.map((s) => s.suite.iana)).toEqual(['TLS_AES_256_GCM_SHA384']);
    expect(kinds(r)).toEqual(['unknown-tls13-name']);
    expect(
      resolveCipherSpec({ syntax: 'openssl-tls13', text: 'TLS_BOGUS' }, targets(), {
        platform: 'nginx',
      }).refused,
    ).toBe(true);
  });
});

describe('Go, Envoy and observed suites', () => {
  it('Go: constant names with legacy aliases; TLS 1.3 not configurable; order ignored', () => {
    const r = resolveCipherSpec(
      {
        syntax: 'go',
        text: '',
        items: [
          { text: 'tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305' },
          { text: 'tls.TLS_RSA_WITH_RC4_128_SHA' },
          { text: 'tls.TLS_AES_128_GCM_SHA256' },
        ],
      },
      targets({ go: '1.22' }),
    );
    expect(r.suites.map((s) => s.suite.code)).toEqual([0xcca8, 0x0005]);
    expect(r.orderIgnored).toBe(true);
    expect(kinds(r)).toEqual(['go-tls13-not-configurable']);
  });

  it('Envoy: BoringSSL names and [a|b] groups; unknown names reject the config', () => {
    const r = resolveCipherSpec(
      {
        syntax: 'boringssl',
        text: '',
        items: ENVOY_DEFAULT_CIPHER_SUITES.map((text) => ({ text })),
      },
      targets(),
    );
    expect(r.suites.map((s) => s.suite.openssl)).toEqual([
      'ECDHE-ECDSA-AES128-GCM-SHA256',
      'ECDHE-ECDSA-CHACHA20-POLY1305',
      'ECDHE-RSA-AES128-GCM-SHA256',
      'ECDHE-RSA-CHACHA20-POLY1305',
      'ECDHE-ECDSA-AES256-GCM-SHA384',
      'ECDHE-RSA-AES256-GCM-SHA384',
    ]);
    const bad = resolveCipherSpec(
      {
        syntax: 'boringssl',
        text: '',
        items: [{ text: 'ECDHE-RSA-AES128-GCM-SHA256' }, { text: 'RC4-SHA' }],
      },
      targets(),
    );
    expect(bad.refused).toBe(true);
    expect(bad.unknownTokens).toEqual(['RC4-SHA']);
  });

  it('observed suites by IANA name', () => {
    const r = resolveCipherSpec(
      {
        syntax: 'suites',
        text: '',
        items: [{ text: 'TLS_RSA_WITH_RC4_128_SHA' }, { text: 'TLS_AES_128_GCM_SHA256' }],
      },
      targets(),
    );
    expect(r.suites.map((s) => s.suite.code)).toEqual([0x0005]);
    expect(r.tls13.map((s) => s.suite.code)).toEqual([0x1301]);
  });
});

describe('Mozilla profiles', () => {
  it('loads modern/intermediate from 6.0 and old from 5.7', () => {
    expect(mozillaProfile('intermediate')).toMatchObject({
      guidelineVersion: '6.0',
      protocols: ['TLSv1.2', 'TLSv1.3'],
    });
    expect(mozillaProfile('intermediate').suites).toHaveLength(6);
    expect(mozillaProfile('modern').suites).toHaveLength(0);
    expect(mozillaProfile('old').guidelineVersion).toBe('5.7');
    expect(mozillaProfile('old').suites.some((s) => s.openssl === 'DES-CBC3-SHA')).toBe(true);
  });
});
