import { describe, expect, it } from 'vitest';
import { rule as insecure } from '../../rules/insecure-cipher-suite/index.js';
import { rule as cbc } from '../../rules/cbc-cipher-suite/index.js';
import { rule as noFs } from '../../rules/no-forward-secrecy/index.js';
import { rule as invalid } from '../../rules/invalid-cipher-string/index.js';
import { checkWeakCurves, curveBits } from '../../rules/weak-key/curves.js';
import { DEFAULT_POLICY } from '../../src/config/policy.js';
import { Targets } from '../../src/config/targets.js';
import type { CipherSpec } from '../../src/model/context.js';
import { byDefault, explicit, type Setting } from '../../src/model/setting.js';
import { at, run, serverContext } from '../support/contexts.js';

const nodeCiphers = (text: string): Setting<CipherSpec> =>
  explicit({ syntax: 'node', text }, at(3, 3, 20), 'ciphers');
const opensslCiphers = (text: string): Setting<CipherSpec> =>
  explicit({ syntax: 'openssl', text }, at(4, 3, 20), 'ssl_ciphers');

describe('insecure-cipher-suite', () => {
  it('names the token and the suites: "ALL" enables anonymous suites', () => {
    const reports = run(insecure, serverContext({ ciphers: nodeCiphers('ALL:@SECLEVEL=0') }));
    const anon = reports.find((r) => /anonymous/.test(r.message))!;
    expect(anon.headline).toBe(
      '"ALL" enables 12 anonymous suites (ADH-AES256-GCM-SHA384, ADH-AES128-GCM-SHA256, ADH-AES256-SHA256 and 9 more)',
    );
    expect(anon.evidence).toMatch(/^set in "ciphers" — no server authentication/);
    expect(anon.fix).toBe('add "!aNULL"');
    expect(anon.severity).toBe('error');
    expect(anon.at.line).toBe(3);
  });

  it('reports suites a security level blocks one step lower, saying so', () => {
    const [r] = run(insecure, serverContext({ ciphers: nodeCiphers('ALL') }));
    expect(r!.severity).toBe('warning');
    expect(r!.message).toMatch(/security level 1 refuses them today/);
  });

  it('nginx default on OpenSSL 1.0.2 enables 3DES through "HIGH"', () => {
    const ctx = serverContext({
      language: 'nginx',
      ciphers: byDefault(
        { syntax: 'openssl', text: 'HIGH:!aNULL:!MD5' },
        'nginx\'s default "ssl_ciphers HIGH:!aNULL:!MD5"',
        'ssl_ciphers',
      ),
    });
    const reports = run(insecure, ctx, {}, { openssl: '1.0.2' });
    expect(reports.map((r) => r.message)).toEqual([
      expect.stringMatching(
        /^"HIGH" enables \d+ 3DES suites .*: nginx's default "ssl_ciphers HIGH:!aNULL:!MD5"/,
      ),
    ]);
    expect(run(insecure, ctx, {}, { openssl: '3.0' })).toEqual([]);
    // 3DES stays a warning under the old profile
    expect(run(insecure, ctx, { profile: 'old' }, { openssl: '1.0.2' })[0]!.severity).toBe(
      'warning',
    );
  });

  it('stays silent for a strong list, for TLS 1.3-only contexts and for unknown settings', () => {
    expect(
      run(insecure, serverContext({ ciphers: nodeCiphers('ECDHE-RSA-AES128-GCM-SHA256') })),
    ).toEqual([]);
    expect(
      run(
        insecure,
        serverContext({
          ciphers: nodeCiphers('ALL:@SECLEVEL=0'),
          protocols: explicit(['TLSv1.3'], at(2), 'minVersion'),
        }),
      ),
    ).toEqual([]);
    expect(
      run(insecure, serverContext({ ciphers: { origin: 'unknown', reason: 'run-time value' } })),
    ).toEqual([]);
  });

  it('judges suites the probe observed', () => {
    const ctx = serverContext({
      language: 'probe',
      ciphers: {
        origin: 'observed',
        value: { syntax: 'suites', text: '', items: [{ text: 'TLS_RSA_WITH_RC4_128_SHA' }] },
        evidence: 'a TLS 1.2 ClientHello offering only it was answered',
      },
    });
    const [r] = run(insecure, ctx);
    expect(r!.message).toMatch(/^The endpoint accepts 1 RC4 suite \(RC4-SHA\)/);
  });

  it('tells SSLv2 cipher kinds apart from the SSLv3 suites of the same OpenSSL name', () => {
    // the probe names SSLv2 kinds by their 3-byte code
    const items = ['TLS_RSA_EXPORT_WITH_RC4_40_MD5', '0x020080'].map((text) => ({ text }));
    const ctx = serverContext({
      language: 'probe',
      ciphers: {
        origin: 'observed',
        value: { syntax: 'suites', text: '', items },
        evidence: 'accepted',
      },
    });
    const messages = run(insecure, ctx).map((r) => r.message);
    expect(messages.find((m) => / EXPORT suites/.test(m))).toMatch(
      /\(EXP-RC4-MD5, SSLv2 EXP-RC4-MD5\)/,
    );
  });
});

describe('cbc-cipher-suite and no-forward-secrecy follow the profile', () => {
  const ctx = serverContext({
    ciphers: nodeCiphers('ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:AES128-GCM-SHA256'),
  });
  it('CBC: error under modern, warning under intermediate, nothing under old', () => {
    expect(run(cbc, ctx, { profile: 'modern' })[0]!.severity).toBe('error');
    const [r] = run(cbc, ctx);
    expect(r!.severity).toBe('warning');
    // a suite named as such is not quoted twice; an alias is named as the token that brought the suites in
    expect(r!.message).toMatch(
      /^The cipher string names 1 CBC-mode suite \(ECDHE-RSA-AES128-SHA\): set in "ciphers"/,
    );
    const alias = run(
      cbc,
      serverContext({
        ciphers: nodeCiphers(
          'ECDHE-RSA-AES128-GCM-SHA256:ECDHE+AES128:ECDHE+AES256:kRSA+AES:DHE+AES:DHE+CAMELLIA:@SECLEVEL=0',
        ),
      }),
    )[0]!;
    expect(alias.message).toMatch(
      /^"ECDHE\+AES128", "ECDHE\+AES256", "kRSA\+AES" and 2 more enable \d+ CBC-mode suites .*: set in "ciphers"/,
    );
    expect(run(cbc, ctx, { profile: 'old' })).toEqual([]);
  });
  it('static RSA key exchange', () => {
    const [r] = run(noFs, ctx);
    expect(r!.message).toMatch(/1 static-key-exchange suite \(AES128-GCM-SHA256\)/);
    expect(r!.message).toMatch(/remove it from the list$/);
    const [viaAlias] = run(
      noFs,
      serverContext({ ciphers: nodeCiphers('ECDHE+AESGCM:RSA+AESGCM') }),
    );
    expect(viaAlias!.message).toMatch(
      /^"RSA\+AESGCM" enables 2 static-key-exchange suites .*; add "!kRSA"$/,
    );
    expect(run(noFs, ctx, { profile: 'old' })).toEqual([]);
  });
  it('Go lists are judged by constant', () => {
    const go = serverContext({
      language: 'go',
      ciphers: explicit(
        { syntax: 'go', text: '', items: [{ text: 'tls.TLS_RSA_WITH_AES_128_CBC_SHA' }] },
        at(5),
        'CipherSuites',
      ),
    });
    expect(run(noFs, go)[0]!.message).toMatch(
      /remove tls.TLS_RSA_WITH_AES_128_CBC_SHA from CipherSuites/,
    );
  });
});

describe('invalid-cipher-string', () => {
  it('flags the seed article: IANA names in Node ciphers', () => {
    const text =
      'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256:TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256';
    const [r, ...rest] = run(invalid, serverContext({ ciphers: nodeCiphers(text) }));
    expect(rest).toEqual([]);
    expect(r!.severity).toBe('error');
    expect(r!.message).toMatch(
      /Node treats every "TLS_"-prefixed name in "ciphers" as a TLS 1\.3 suite name/,
    );
    expect(r!.message).toMatch(/every handshake will fail/);
  });
  it('flags refusals and ignored tokens, not platform defaults', () => {
    expect(
      run(invalid, serverContext({ language: 'nginx', ciphers: opensslCiphers('BOGUS') }))[0],
    ).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/nginx refuses to start/),
    });
    expect(
      run(invalid, serverContext({ ciphers: nodeCiphers('HIGH:!aNULL:high') }))[0],
    ).toMatchObject({ severity: 'warning', message: expect.stringMatching(/did you mean "HIGH"/) });
    expect(
      run(
        invalid,
        serverContext({
          ciphers: byDefault({ syntax: 'node', text: 'HIGH:BOGUS' }, 'Node default'),
        }),
      ),
    ).toEqual([]);
    expect(
      run(
        invalid,
        serverContext({
          ciphers: nodeCiphers(
            'ECDHE-RSA-AES128-GCM-SHA256:!aNULL:!EXPORT:!RC4:!KRB5-DES-CBC3-SHA:!EDH-RSA-DES-CBC3-SHA',
          ),
        }),
      ),
    ).toEqual([]);
    // a typo in an exclusion silently excludes nothing
    expect(
      run(invalid, serverContext({ ciphers: nodeCiphers('ECDHE+AESGCM:!CCM8') }))[0],
    ).toMatchObject({
      severity: 'warning',
      message: expect.stringMatching(/"!CCM8" is not a cipher suite or alias/),
    });
  });
  it('checks a separate TLS 1.3 list', () => {
    const ctx = serverContext({
      language: 'nginx',
      tls13Ciphers: explicit(
        { syntax: 'openssl-tls13', text: 'TLS_BOGUS' },
        at(7),
        'ssl_conf_command',
      ),
    });
    expect(run(invalid, ctx)[0]!.message).toMatch(/no TLS 1.3 suite matches/);
  });
});

describe('weak-key curves', () => {
  const env = { policy: DEFAULT_POLICY, targets: new Targets(new Map()) };
  it('knows curve sizes', () => {
    expect(curveBits('secp192r1')).toBe(192);
    expect(curveBits('prime192v1')).toBe(192);
    expect(curveBits('P-256')).toBe(256);
    expect(curveBits('X25519')).toBe(255);
    expect(curveBits('auto')).toBeUndefined();
    expect(curveBits('sect163k1')).toBe(163);
    // WTLS curves are numbered, not sized
    expect(curveBits('wap-wsg-idm-ecid-wtls9')).toBe(160);
    expect(curveBits('wap-wsg-idm-ecid-wtls1')).toBe(113);
    expect(curveBits('wap-wsg-idm-ecid-wtls12')).toBe(224);
  });
  it('flags curves under 224 bits', () => {
    const ctx = serverContext({
      curves: explicit(['prime256v1', 'secp192r1'], at(6), 'ecdhCurve'),
    });
    const [r] = checkWeakCurves(ctx, env);
    expect(r!.headline).toBe('"secp192r1" (192-bit) in "ecdhCurve", a curve under 224 bits');
    expect(r!.evidence).toMatch(/^"ecdhCurve" is "prime256v1:secp192r1"/);
    expect(
      checkWeakCurves(
        serverContext({ curves: explicit(['X25519', 'secp384r1'], at(6), 'ecdhCurve') }),
        env,
      ),
    ).toEqual([]);
    expect(
      checkWeakCurves(serverContext({ curves: byDefault(['auto'], 'Node default') }), env),
    ).toEqual([]);
  });
});
