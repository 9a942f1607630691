/**
 * The model must already fit the readers still to come (DESIGN.md §3): Go tls.Config, Python
 * SSLContext and Envoy contexts are expressed with the same TlsContext fields, and the same rules
 * judge them with the platform's own words. Contexts are built by hand here, as those readers will.
 */
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { DEFAULT_POLICY } from '../../src/config/policy.js';
import { Targets } from '../../src/config/targets.js';
import { checkContext } from '../../src/engine/check.js';
import { newContext, type Language, type TlsContext } from '../../src/model/context.js';
import { byDefault, explicit } from '../../src/model/setting.js';

const at = (file: string, line: number) => ({
  file,
  line,
  column: 2,
  endLine: line,
  endColumn: 30,
});

function judge(context: TlsContext): Array<{ ruleId: string; message: string }> {
  return checkContext(context, RULES, {
    policy: DEFAULT_POLICY,
    targets: new Targets(new Map()),
  }).findings.map((f) => ({ ruleId: f.ruleId, message: f.message }));
}

function ctx(
  language: Language,
  role: TlsContext['role'],
  label: string,
  extra: Partial<TlsContext>,
): TlsContext {
  const file = `/p/config.${language}`;
  return newContext({
    id: 'x',
    language,
    role,
    at: at(file, 1),
    label,
    api: label,
    recognition: 'known-api',
    ...extra,
  });
}

describe('the model fits Go tls.Config', () => {
  it('InsecureSkipVerify, MinVersion and RequireAnyClientCert', () => {
    const f = '/p/config.go';
    const client = ctx('go', 'client', 'tls.Config{} literal', {
      peerVerification: explicit(false, at(f, 3), 'InsecureSkipVerify', 'true'),
      protocols: explicit(
        ['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'],
        at(f, 4),
        'MinVersion',
        'tls.VersionTLS10',
      ),
    });
    const found = judge(client);
    expect(found.map((x) => x.ruleId).sort()).toEqual([
      'certificate-verification-disabled',
      'insecure-protocol-version',
    ]);
    expect(found.find((x) => x.ruleId === 'certificate-verification-disabled')!.message).toContain(
      '"InsecureSkipVerify" is "true"',
    );
    expect(found.find((x) => x.ruleId === 'insecure-protocol-version')!.message).toContain(
      'MinVersion: tls.VersionTLS12',
    );

    const server = ctx('go', 'server', 'tls.Config{} literal', {
      clientAuth: explicit('required' as const, at(f, 8), 'ClientAuth', 'tls.RequireAnyClientCert'),
      clientVerify: explicit('any' as const, at(f, 8), 'ClientAuth', 'tls.RequireAnyClientCert'),
      features: [{ feature: 'go.PreferServerCipherSuites', at: at(f, 9) }],
    });
    const s = judge(server);
    expect(s.map((x) => x.ruleId).sort()).toEqual([
      'client-certificate-not-verified',
      'deprecated-tls-api',
    ]);
    expect(s.find((x) => x.ruleId === 'client-certificate-not-verified')!.message).toContain(
      'RequireAndVerifyClientCert with ClientCAs',
    );
  });
});

describe('the model fits Python SSLContext', () => {
  it('check_hostname = False and CERT_OPTIONAL with a client CA', () => {
    const f = '/p/config.python';
    const client = ctx('python', 'client', 'ssl.create_default_context()', {
      hostnameVerification: explicit(false, at(f, 2), 'check_hostname', 'False'),
    });
    expect(judge(client)).toEqual([
      expect.objectContaining({
        ruleId: 'hostname-verification-disabled',
        message: expect.stringContaining('keep check_hostname = True'),
      }),
    ]);
    const server = ctx('python', 'server', 'SSLContext(PROTOCOL_TLS_SERVER)', {
      clientCa: explicit(true, at(f, 5), 'load_verify_locations'),
      clientAuth: explicit('optional' as const, at(f, 6), 'verify_mode', 'ssl.CERT_OPTIONAL'),
      clientVerify: byDefault(
        'ca' as const,
        'Python verifies a presented certificate against the loaded CAs',
      ),
    });
    expect(judge(server)).toEqual([
      expect.objectContaining({
        ruleId: 'client-certificate-not-required',
        message: expect.stringContaining('verify_mode = ssl.CERT_REQUIRED'),
      }),
    ]);
  });
});

describe('the model fits Envoy contexts', () => {
  it('a DownstreamTlsContext with a validation context but no require_client_certificate', () => {
    const server = ctx('envoy', 'server', 'listener "ingress" filter chain 0', {
      clientCa: explicit(true, at('/p/envoy.yaml', 12), 'trusted_ca'),
      clientAuth: byDefault(
        'optional' as const,
        'Envoy default: require_client_certificate is false, so a client certificate is requested but not required',
        'require_client_certificate',
      ),
      clientVerify: byDefault(
        'ca' as const,
        'Envoy default trust_chain_verification: VERIFY_TRUST_CHAIN',
      ),
    });
    expect(judge(server)).toEqual([
      expect.objectContaining({
        ruleId: 'client-certificate-not-required',
        message: expect.stringContaining('require_client_certificate: true'),
      }),
    ]);
  });
  it('an UpstreamTlsContext without a validation context', () => {
    const client = ctx('envoy', 'client', 'cluster "backend"', {
      peerVerification: byDefault(
        false,
        'Envoy default: an UpstreamTlsContext without a validation_context does not verify the server certificate',
        'validation_context',
      ),
    });
    expect(judge(client)).toEqual([
      expect.objectContaining({
        ruleId: 'certificate-verification-disabled',
        message: expect.stringContaining('configure a validation_context with trusted_ca'),
      }),
    ]);
  });
  it('ACCEPT_UNTRUSTED and renegotiation are expressible', () => {
    const server = ctx('envoy', 'server', 'listener', {
      clientAuth: explicit(
        'required' as const,
        at('/p/envoy.yaml', 3),
        'require_client_certificate',
        'true',
      ),
      clientVerify: explicit(
        'any' as const,
        at('/p/envoy.yaml', 4),
        'trust_chain_verification',
        'ACCEPT_UNTRUSTED',
      ),
      renegotiation: explicit(
        'freely' as const,
        at('/p/envoy.yaml', 5),
        'allow_renegotiation',
        'true',
      ),
    });
    expect(judge(server).map((x) => x.ruleId)).toEqual([
      'client-certificate-not-verified',
      'insecure-renegotiation',
    ]);
  });
});
