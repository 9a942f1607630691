import { describe, expect, it } from 'vitest';
import { rule as protocolRule } from '../../rules/insecure-protocol-version/index.js';
import { rule as verifyRule } from '../../rules/certificate-verification-disabled/index.js';
import { rule as hostnameRule } from '../../rules/hostname-verification-disabled/index.js';
import { rule as notRequired } from '../../rules/client-certificate-not-required/index.js';
import { rule as notVerified } from '../../rules/client-certificate-not-verified/index.js';
import { rule as deprecated } from '../../rules/deprecated-tls-api/index.js';
import { RULES } from '../../rules/index.js';
import { byDefault, explicit } from '../../src/model/setting.js';
import { at, clientContext, run, serverContext } from '../support/contexts.js';

describe('insecure-protocol-version', () => {
  it('reports an explicit TLS 1.0 minimum at the property, naming the value', () => {
    const ctx = serverContext({
      protocols: explicit(
        ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
        at(3, 3, 20),
        'minVersion',
        "'TLSv1'",
      ),
    });
    const [r, ...rest] = run(protocolRule, ctx);
    expect(rest).toEqual([]);
    expect(r!.at.line).toBe(3);
    expect(r!.message).toContain('TLS 1.0 and TLS 1.1 enabled in tls.createServer() options');
    expect(r!.message).toContain(`"minVersion" is 'TLSv1'`);
    expect(r!.severity).toBe('error');
  });

  it('reports a weak platform default at the construct that enables TLS, with the reason', () => {
    const ctx = serverContext({
      protocols: byDefault(
        ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
        'nginx 1.22 default "ssl_protocols TLSv1 TLSv1.1 TLSv1.2"',
        'ssl_protocols',
      ),
    });
    const [r] = run(protocolRule, ctx);
    expect(r!.at).toEqual(ctx.enabledAt);
    expect(r!.message).toContain(': nginx 1.22 default "ssl_protocols');
  });

  it('is silent for TLS 1.2+ and for unknown values', () => {
    expect(
      run(protocolRule, serverContext({ protocols: explicit(['TLSv1.2', 'TLSv1.3'], at(2)) })),
    ).toEqual([]);
    expect(
      run(protocolRule, serverContext({ protocols: { origin: 'unknown', reason: 'env read' } })),
    ).toEqual([]);
  });

  it('reports the weak branch of a conditional, saying "in some branches"', () => {
    const ctx = serverContext({
      protocols: {
        origin: 'conditional',
        at: at(4),
        key: 'minVersion',
        branches: [
          explicit(
            ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
            at(4, 20),
            'minVersion',
            "'TLSv1'",
          ),
          explicit(['TLSv1.2', 'TLSv1.3'], at(4, 40), 'minVersion', "'TLSv1.2'"),
        ],
      },
    });
    const reports = run(protocolRule, ctx);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.message).toContain('in some branches');
    expect(reports[0]!.at.column).toBe(20);
  });

  it('lowers TLS 1.0/1.1 to info under the old profile but keeps SSLv3 an error', () => {
    const tls10 = serverContext({ protocols: explicit(['TLSv1.0', 'TLSv1.2'], at(2)) });
    expect(run(protocolRule, tls10, { profile: 'old' })[0]!.severity).toBe('info');
    const ssl3 = serverContext({ protocols: explicit(['SSLv3', 'TLSv1.0'], at(2)) });
    expect(run(protocolRule, ssl3, { profile: 'old' })[0]!.severity).toBe('error');
  });

  it('a default TLS 1.0 on the system OpenSSL 3 is a warning with the security-level note, an error with @SECLEVEL=0 or OpenSSL 1.1.1', () => {
    const nginx = (ciphers?: string) =>
      serverContext({
        language: 'nginx',
        tlsLibrary: 'system-openssl',
        protocols: byDefault(
          ['TLSv1.0', 'TLSv1.1', 'TLSv1.2'],
          'nginx\'s default "ssl_protocols TLSv1 TLSv1.1 TLSv1.2"',
          'ssl_protocols',
        ),
        ...(ciphers && {
          ciphers: explicit({ syntax: 'openssl' as const, text: ciphers }, at(4), 'ssl_ciphers'),
        }),
      });
    const [latent] = run(protocolRule, nginx());
    expect(latent!.severity).toBe('warning');
    expect(latent!.message).toContain(
      'OpenSSL 3.0 refuses them unless the cipher string has "@SECLEVEL=0"',
    );
    expect(run(protocolRule, nginx(), { profile: 'old' })[0]!.severity).toBe('info');
    expect(run(protocolRule, nginx('HIGH:!aNULL:@SECLEVEL=0'))[0]!.severity).toBe('error');
    expect(run(protocolRule, nginx(), {}, { openssl: '1.1.1' })[0]!.severity).toBe('error');
    // Node bundles its own OpenSSL: the system OpenSSL target says nothing about it.
    expect(
      run(
        protocolRule,
        serverContext({
          protocols: byDefault(['TLSv1.0', 'TLSv1.2'], 'Node 10 default minVersion "TLSv1"'),
        }),
      )[0]!.severity,
    ).toBe('error');
  });

  it('appends the reader note that explains where the value really comes from', () => {
    const ctx = serverContext({
      language: 'nginx',
      protocols: {
        origin: 'inherited',
        value: ['TLSv1.0', 'TLSv1.2'],
        at: at(2),
        key: 'ssl_protocols',
        raw: 'TLSv1 TLSv1.2',
        from: 'the default server{} of 0.0.0.0:443',
      },
      notes: { protocols: 'this server\'s own "ssl_protocols TLSv1.3" is ignored' },
    });
    const [r] = run(protocolRule, ctx);
    expect(r!.message).toContain('inherited from the default server{} of 0.0.0.0:443');
    expect(r!.message).toContain('is ignored');
  });
});

describe('certificate-verification-disabled', () => {
  it('reports rejectUnauthorized: false on a client', () => {
    const [r] = run(
      verifyRule,
      clientContext({
        peerVerification: explicit(false, at(5, 3, 25), 'rejectUnauthorized', 'false'),
      }),
    );
    expect(r!.message).toMatch(
      /^Server certificate verification is disabled in https.request\(\) options: "rejectUnauthorized" is "false"/,
    );
    expect(r!.at.line).toBe(5);
  });
  it('is silent for verification on, unknown, or a server context', () => {
    expect(
      run(
        verifyRule,
        clientContext({
          peerVerification: byDefault(true, 'Node default rejectUnauthorized: true'),
        }),
      ),
    ).toEqual([]);
    expect(
      run(
        verifyRule,
        clientContext({ peerVerification: { origin: 'unknown', reason: 'function result' } }),
      ),
    ).toEqual([]);
    expect(run(verifyRule, serverContext({ peerVerification: explicit(false, at(2)) }))).toEqual(
      [],
    );
  });
  it('reports a default that does not verify (nginx proxy_ssl_verify) at the enabling construct', () => {
    const ctx = clientContext({
      language: 'nginx',
      label: 'proxy_pass https://backend',
      peerVerification: byDefault(
        false,
        'nginx "proxy_ssl_verify" is off unless set',
        'proxy_ssl_verify',
      ),
    });
    const [r] = run(verifyRule, ctx);
    expect(r!.at).toEqual(ctx.enabledAt);
    expect(r!.message).toContain('proxy_ssl_verify on');
  });
  it('says "for every TLS connection of the process" for NODE_TLS_REJECT_UNAUTHORIZED', () => {
    const ctx = clientContext({
      language: 'env',
      api: 'process.env.NODE_TLS_REJECT_UNAUTHORIZED',
      scope: 'process',
      label: 'the process',
      peerVerification: explicit(false, at(1), 'NODE_TLS_REJECT_UNAUTHORIZED', '0'),
    });
    expect(run(verifyRule, ctx)[0]!.message).toContain('for every TLS connection of the process');
  });
});

describe('hostname-verification-disabled', () => {
  it('reports a no-op checkServerIdentity', () => {
    const [r] = run(
      hostnameRule,
      clientContext({
        hostnameVerification: explicit(false, at(6), 'checkServerIdentity', '() => undefined'),
      }),
    );
    expect(r!.message).toContain('Host name verification is disabled');
    expect(r!.message).toContain('checkServerIdentity');
  });
  it('is silent when it is on', () => {
    expect(
      run(hostnameRule, clientContext({ hostnameVerification: explicit(true, at(6)) })),
    ).toEqual([]);
  });
});

describe('client-certificate rules', () => {
  const requestedButUnverified = serverContext({
    clientAuth: explicit('optional' as const, at(3, 30), 'rejectUnauthorized', 'false'),
    clientVerify: explicit('any' as const, at(3, 30), 'rejectUnauthorized', 'false'),
  });

  it('requestCert + rejectUnauthorized:false gives one not-verified finding, not two', () => {
    expect(run(notRequired, requestedButUnverified)).toEqual([]);
    const [r] = run(notVerified, requestedButUnverified);
    expect(r!.message).toContain('even a self-signed one');
    expect(r!.message).toContain('clients without a certificate are let in too');
  });

  it('a client CA without requestCert: not required, pointing at the call', () => {
    const ctx = serverContext({
      clientCa: explicit(true, at(2), 'ca'),
      clientAuth: byDefault('none' as const, 'Node default requestCert: false', 'requestCert'),
    });
    const [r] = run(notRequired, ctx);
    expect(r!.headline).toBe(
      'Client certificates are never requested in tls.createServer() options',
    );
    expect(r!.evidence).toMatch(
      /^Node default requestCert: false.*, although a client CA is configured \("ca"\)$/,
    );
    expect(r!.at).toEqual(ctx.enabledAt);
    expect(run(notRequired, ctx, { mtls: 'off' })).toEqual([]);
  });

  it('without mTLS intent nothing fires under auto, but --mtls required flags every server', () => {
    const plain = serverContext({
      clientAuth: byDefault('none' as const, 'Node default requestCert: false'),
    });
    expect(run(notRequired, plain)).toEqual([]);
    expect(run(notRequired, plain, { mtls: 'required' })[0]!.message).toContain('--mtls required');
  });

  it('required and verified against a CA is clean', () => {
    const good = serverContext({
      clientCa: explicit(true, at(2), 'ca'),
      clientAuth: explicit('required' as const, at(3), 'requestCert', 'true'),
      clientVerify: byDefault('ca' as const, 'Node default rejectUnauthorized: true'),
    });
    expect(run(notRequired, good)).toEqual([]);
    expect(run(notVerified, good)).toEqual([]);
  });

  it('a requested certificate with no client CA falls back to public roots', () => {
    const ctx = serverContext({
      clientAuth: explicit('required' as const, at(3), 'requestCert', 'true'),
      clientVerify: byDefault('ca' as const, 'default'),
      clientCa: byDefault(
        false,
        'Node default: no "ca", so the bundled public root CAs verify client certificates',
        'ca',
      ),
    });
    expect(run(notVerified, ctx)[0]!.message).toContain('no client CA is configured');
  });
});

describe('deprecated-tls-api', () => {
  it('reports secureProtocol with its value and the replacement', () => {
    const [r] = run(
      deprecated,
      serverContext({
        features: [{ feature: 'node.secureProtocol', at: at(4), detail: 'TLSv1_2_method' }],
      }),
    );
    expect(r!.message).toContain('"secureProtocol" ("TLSv1_2_method") is a legacy option');
    expect(r!.message).toContain('minVersion');
  });
  it('makes "ssl on" an error once the nginx target has removed it', () => {
    const ctx = serverContext({
      language: 'nginx',
      label: 'server{}',
      features: [{ feature: 'nginx.ssl-on', at: at(4) }],
    });
    expect(run(deprecated, ctx, {}, { nginx: '1.22' })[0]!.severity).toBe('warning');
    const [r] = run(deprecated, ctx, {}, { nginx: '1.26' });
    expect(r!.severity).toBe('error');
    expect(r!.message).toContain('nginx 1.26 refuses to start');
  });
  it('ignores features that are not deprecated', () => {
    expect(
      run(deprecated, serverContext({ features: [{ feature: 'node.something-fine', at: at(1) }] })),
    ).toEqual([]);
  });
});

describe('rules registry', () => {
  it('has unique kebab-case ids, each with a README', async () => {
    const { existsSync } = await import('node:fs');
    const ids = RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(
        existsSync(new URL(`../../rules/${id}/README.md`, import.meta.url)),
        `rules/${id}/README.md`,
      ).toBe(true);
    }
  });
});
