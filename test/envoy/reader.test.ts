/**
 * The Envoy reader beyond the annotated fixtures: JSON bootstraps (no comments, so no
 * annotations), the model it builds (probe targets, defaults by version, SDS), target detection
 * from images, and hostile input that must end in an error entry quickly.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { RULES } from '../../rules/index.js';
import { lint } from '../../src/engine/lint.js';
import { parseTargetArgs } from '../../src/config/targets.js';
import { looksLikeEnvoy } from '../../src/languages/envoy/detect.js';
import { maskTemplates } from '../../src/languages/envoy/source.js';
import type { TlsContext } from '../../src/model/context.js';
import { knownValues, singleValue } from '../../src/model/setting.js';
import { runCli, jsonReport } from '../support/cli.js';
import { writeTree } from '../support/trees.js';
import { withoutDefaultCiphers } from '../support/default-ciphers.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const JSON_BOOTSTRAP = path.join(HERE, 'data', 'bootstrap.json');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  return writeTree('tls-lint-envoy-', files, dirs);
}

const run = (root: string, targets: string[] = []) =>
  lint({ paths: [root], cwd: root, targets: parseTargetArgs(targets) });
const envoyContexts = (cs: TlsContext[]) => cs.filter((c) => c.language === 'envoy');

const CLUSTER = (name: string, tls: string) => `  - name: ${name}
    type: STRICT_DNS
    load_assignment:
      cluster_name: ${name}
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: ${name}.internal, port_value: 443 } } } }] }]
    transport_socket:
      name: envoy.transport_sockets.tls
      typed_config:
        "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
${tls}`;

describe('JSON bootstrap', () => {
  it('reports each case at the line of its key', async () => {
    const text = readFileSync(JSON_BOOTSTRAP, 'utf8');
    const lines = text.split('\n');
    const r = await lint({ paths: [JSON_BOOTSTRAP], cwd: HERE, targets: new Map() });
    expect(r.errors).toEqual([]);
    const got = r.findings
      .filter((f) => f.ruleId !== 'insecure-renegotiation')
      .map((f) => `${f.ruleId}@${lines[f.at.line - 1]!.trim().slice(0, 40)}`)
      .sort();
    // allow_renegotiation: true, once the rule that judges the model's renegotiation field is registered
    if (RULES.some((rule) => rule.meta.id === 'insecure-renegotiation')) {
      expect(
        r.findings
          .filter((f) => f.ruleId === 'insecure-renegotiation')
          .map((f) => lines[f.at.line - 1]!.trim()),
      ).toEqual(['"allow_renegotiation": true']);
    }
    expect(got).toEqual(
      [
        'certificate-verification-disabled@"transport_socket": {',
        'client-certificate-not-required@"transport_socket": {',
        'hostname-verification-disabled@"common_tls_context": { "validation_cont',
        'insecure-protocol-version@"tls_minimum_protocol_version": "TLSv1_0',
        'invalid-cipher-string@"cipher_suites": ["ECDHE-RSA-AES128-GCM-',
      ].sort(),
    );
    // the catalog cluster's validation_context key, not the start of its line
    const hostname = r.findings.find((f) => f.ruleId === 'hostname-verification-disabled')!;
    expect(lines[hostname.at.line - 1]!.slice(hostname.at.column - 1)).toMatch(
      /^"validation_context"/,
    );
    expect(r.findings.every((f) => f.language === 'envoy')).toBe(true);
  });

  it('gives the same findings as the same config written in YAML', async () => {
    const json = readFileSync(JSON_BOOTSTRAP, 'utf8');
    const yaml = parseDocument(json).toString();
    const root = tree({ 'envoy.yaml': yaml, 'envoy.json': json });
    const r = await run(root);
    const of = (name: string) =>
      r.findings
        .filter((f) => f.at.file.endsWith(name))
        .map((f) => f.ruleId)
        .sort();
    expect(of('envoy.yaml')).toEqual(of('envoy.json'));
    expect(of('envoy.json').filter((id) => id !== 'insecure-renegotiation').length).toBe(5);
  });

  it('sets the probe target from the listener address and server_names, and from the endpoint and sni', async () => {
    const r = await lint({ paths: [JSON_BOOTSTRAP], cwd: HERE, targets: new Map() });
    const cs = envoyContexts(r.contexts);
    const listener = cs.find((c) => c.role === 'server')!;
    expect(listener.target).toMatchObject({
      host: '10.1.2.3',
      port: 8443,
      sni: 'shop.example.com',
      at: { line: 6 },
    });
    expect(listener.label).toContain('listener "https"');
    const catalog = cs.find((c) => c.label === 'cluster "catalog"')!;
    expect(catalog.target).toMatchObject({
      host: 'catalog.internal',
      port: 443,
      sni: 'catalog.internal',
    });
    expect(singleValue(catalog.serverName)).toBe('catalog.internal');
    const search = cs.find((c) => c.label === 'cluster "search"')!;
    expect(singleValue(search.renegotiation)).toBe('freely');
    expect(search.tlsLibrary).toBe('boringssl');
  });
});

describe('defaults by Envoy version', () => {
  const listener = `static_resources:
  listeners:
  - name: l
    address: { socket_address: { address: 0.0.0.0, port_value: 443 } }
    filter_chains:
    - transport_socket:
        name: envoy.transport_sockets.tls
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
          common_tls_context: { tls_certificates: [{ certificate_chain: { filename: a.pem }, private_key: { filename: a.key } }] }
`;
  it('a listener without tls_params accepts TLS 1.0 before Envoy 1.22, not from 1.22', async () => {
    const root = tree({ 'envoy.yaml': listener });
    const old = await run(root, ['envoy=1.21']);
    const f = old.findings.filter((x) => x.ruleId === 'insecure-protocol-version');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('Envoy < 1.22; target envoy 1.21');
    expect(f[0]!.at.line).toBe(6);
    expect(
      (await run(root, ['envoy=1.22'])).findings.filter(
        (x) => x.ruleId === 'insecure-protocol-version',
      ),
    ).toEqual([]);
    const ctx = envoyContexts(old.contexts)[0]!;
    expect(knownValues(ctx.protocols)[0]).toEqual(['TLSv1.0', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']);
    // before 1.23 the server default list still had CBC and static-RSA suites (judged under modern)
    const modern = await lint({
      paths: [root],
      cwd: root,
      targets: parseTargetArgs(['envoy=1.22']),
      policy: { profile: 'modern' },
    });
    expect(modern.findings.map((x) => x.ruleId)).toEqual(
      expect.arrayContaining(['cbc-cipher-suite', 'no-forward-secrecy']),
    );
    const current = await lint({
      paths: [root],
      cwd: root,
      targets: parseTargetArgs(['envoy=1.23']),
      policy: { profile: 'modern' },
    });
    expect(
      current.findings.filter(
        (x) => x.ruleId === 'cbc-cipher-suite' || x.ruleId === 'no-forward-secrecy',
      ),
    ).toEqual([]);
  });

  it('takes the version from the envoyproxy/envoy image of a Dockerfile or compose file', async () => {
    const docker = tree({
      Dockerfile: 'FROM envoyproxy/envoy:v1.21.6\nCOPY envoy.yaml /etc/envoy/\n',
      'proxy/envoy.yaml': listener,
    });
    const r = await run(docker);
    const f = r.findings.find((x) => x.ruleId === 'insecure-protocol-version')!;
    expect(f.message).toContain(
      'Envoy 1.21, from the image "envoyproxy/envoy:v1.21.6" in Dockerfile',
    );
    const compose = tree({
      'compose.yaml': 'services:\n  envoy:\n    image: envoyproxy/envoy:distroless-v1.20.2\n',
      'envoy.yaml': listener,
    });
    expect((await run(compose)).findings.map((x) => x.ruleId)).toContain(
      'insecure-protocol-version',
    );
    const recent = tree({
      'docker-compose.yml': 'services:\n  envoy:\n    image: envoyproxy/envoy:v1.31-latest\n',
      'envoy.yaml': listener,
    });
    expect((await run(recent)).findings.map((x) => x.ruleId)).not.toContain(
      'insecure-protocol-version',
    );
    // the command line wins
    expect((await run(recent, ['envoy=1.19'])).findings.map((x) => x.ruleId)).toContain(
      'insecure-protocol-version',
    );
  });
});

describe('validation contexts', () => {
  it('a dynamic SDS validation context is unknown: no finding, a notice that says why', async () => {
    const root = tree({
      'envoy.yaml': `static_resources:
  clusters:
${CLUSTER(
  'mesh',
  `        common_tls_context:
          validation_context_sds_secret_config:
            name: ROOTCA
            sds_config: { ads: {} }`,
)}
`,
    });
    const r = await run(root);
    expect(r.findings).toEqual([]);
    expect(r.notices.map((n) => n.message)).toEqual([
      expect.stringContaining('SDS secret "ROOTCA" served by a control plane ("sds_config")'),
    ]);
    const ctx = envoyContexts(r.contexts)[0]!;
    expect(ctx.peerVerification?.origin).toBe('unknown');
  });

  it('a combined validation context merges a static secret (CA) with the default context (names)', async () => {
    const root = tree({
      'envoy.yaml': `static_resources:
  secrets:
  - name: ca
    validation_context: { trusted_ca: { filename: ca.pem } }
  clusters:
${CLUSTER(
  'merged',
  `        common_tls_context:
          combined_validation_context:
            default_validation_context: { match_typed_subject_alt_names: [{ san_type: DNS, matcher: { exact: merged.internal } }] }
            validation_context_sds_secret_config: { name: ca }`,
)}
${CLUSTER(
  'ca_only',
  `        common_tls_context:
          combined_validation_context:
            default_validation_context: {}
            validation_context_sds_secret_config: { name: ca }`,
)}
${CLUSTER(
  'missing',
  `        common_tls_context:
          validation_context_sds_secret_config: { name: nowhere }`,
)}
`,
    });
    const r = await run(root);
    expect(r.errors).toEqual([]);
    expect(r.findings.map((f) => `${f.ruleId} ${f.at.line}`)).toEqual([
      'hostname-verification-disabled 29',
    ]);
    expect(r.findings[0]!.message).toContain('from static secret "ca" at line 3');
    expect(r.notices.map((n) => n.message)).toEqual([
      expect.stringContaining('static secret "nowhere", which is not defined'),
    ]);
  });

  it('downstream: SAN matchers make the certificate mandatory; a CA alone leaves it optional', async () => {
    const chain = (vc: string) => `static_resources:
  listeners:
  - name: l
    filter_chains:
    - transport_socket:
        name: envoy.transport_sockets.tls
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
          common_tls_context:
            validation_context: ${vc}
`;
    const withNames = await run(
      tree({
        'envoy.yaml': chain(
          '{ trusted_ca: { filename: ca.pem }, match_typed_subject_alt_names: [{ san_type: DNS, matcher: { exact: a } }] }',
        ),
      }),
    );
    expect(withNames.findings).toEqual([]);
    expect(singleValue(envoyContexts(withNames.contexts)[0]!.clientAuth)).toBe('required');
    const caOnly = await run(tree({ 'envoy.yaml': chain('{ trusted_ca: { filename: ca.pem } }') }));
    expect(caOnly.findings.map((f) => f.ruleId)).toEqual(['client-certificate-not-required']);
    const none = await run(tree({ 'envoy.yaml': chain('{}') }));
    expect(none.findings).toEqual([]);
    const policy = await lint({
      paths: [tree({ 'envoy.yaml': chain('{}') })],
      policy: { mtls: 'required' },
    });
    expect(policy.findings.map((f) => f.ruleId)).toEqual(['client-certificate-not-required']);
  });
});

describe('other layouts', () => {
  it('an admin /config_dump: dynamic listeners and clusters, secrets; the bootstrap is not counted twice', async () => {
    const upstream = {
      '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
      sni: 'pay.internal',
    };
    const cluster = (name: string) => ({
      '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
      name,
      transport_socket: { name: 'envoy.transport_sockets.tls', typed_config: upstream },
    });
    const dump = {
      configs: [
        {
          '@type': 'type.googleapis.com/envoy.admin.v3.BootstrapConfigDump',
          bootstrap: { static_resources: { clusters: [cluster('static_one')] } },
        },
        {
          '@type': 'type.googleapis.com/envoy.admin.v3.ClustersConfigDump',
          static_clusters: [{ cluster: cluster('static_one') }],
          dynamic_active_clusters: [{ version_info: '3', cluster: cluster('from_cds') }],
        },
      ],
    };
    const r = await run(tree({ 'config_dump.json': JSON.stringify(dump, null, 2) }));
    expect(r.errors).toEqual([]);
    expect(r.findings.map((f) => f.message.match(/cluster "(\w+)"/)?.[1]).sort()).toEqual([
      'from_cds',
      'static_one',
    ]);
  });

  it('StartTLS, QUIC and a TLS context without "@type"', async () => {
    const r = await run(
      tree({
        'envoy.yaml': `static_resources:
  listeners:
  - name: quic
    udp_listener_config: {}
    filter_chains:
    - transport_socket:
        name: envoy.transport_sockets.quic
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.transport_sockets.quic.v3.QuicDownstreamTransport
          downstream_tls_context:
            common_tls_context:
              tls_params: { tls_minimum_protocol_version: TLSv1_0 }
  clusters:
  - name: smtp
    transport_socket:
      name: envoy.transport_sockets.starttls
      typed_config:
        "@type": type.googleapis.com/envoy.extensions.transport_sockets.starttls.v3.UpstreamStartTlsConfig
        cleartext_socket_config: {}
        tls_socket_config: { sni: smtp.internal }
  - name: untyped
    transport_socket:
      name: envoy.transport_sockets.tls
      typed_config: { sni: untyped.internal }
`,
      }),
    );
    expect(r.findings.map((f) => `${f.ruleId} ${f.at.line}`)).toEqual([
      'insecure-protocol-version 12',
      'certificate-verification-disabled 15',
      'certificate-verification-disabled 22',
    ]);
  });

  it('an image tag with a default in a compose variable', async () => {
    const listener =
      'static_resources:\n  listeners:\n  - name: l\n    filter_chains:\n    - transport_socket:\n        name: envoy.transport_sockets.tls\n        typed_config:\n          "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext\n';
    const r = await run(
      tree({
        'compose.yml': 'services:\n  e:\n    image: envoyproxy/envoy:${ENVOY_TAG:-v1.20.1}\n',
        'envoy.yaml': listener,
      }),
    );
    expect(withoutDefaultCiphers(r.findings).map((f) => f.ruleId)).toEqual([
      'insecure-protocol-version',
    ]);
  });
});

describe('detection by content', () => {
  it('claims Envoy configs and ConfigMaps that carry one, never other YAML', () => {
    expect(looksLikeEnvoy('static_resources:\n  clusters: []\n')).toBe(true);
    expect(looksLikeEnvoy('{"static_resources": {}}')).toBe(true);
    expect(
      looksLikeEnvoy(
        'resources:\n- "@type": type.googleapis.com/envoy.config.cluster.v3.Cluster\n',
      ),
    ).toBe(true);
    expect(
      looksLikeEnvoy(
        'apiVersion: v1\nkind: ConfigMap\ndata:\n  envoy.yaml: |\n    static_resources: {}\n',
      ),
    ).toBe(true);
    expect(
      looksLikeEnvoy(
        'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template: {}\n# envoy.transport_sockets.tls\n',
      ),
    ).toBe(false);
    expect(
      looksLikeEnvoy(
        'apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nspec:\n  x: type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext\n',
      ),
    ).toBe(false);
    expect(looksLikeEnvoy('services:\n  envoy:\n    image: envoyproxy/envoy:v1.30.1\n')).toBe(
      false,
    );
    expect(looksLikeEnvoy('on: [push]\njobs:\n  a:\n    steps:\n      - run: echo hi\n')).toBe(
      false,
    );
  });

  it('a workflow or compose file that mentions Envoy words yields nothing and no error', async () => {
    const root = tree({
      '.github/workflows/ci.yml':
        'on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          echo "static_resources: {clusters: [{name: x, transport_socket: {name: envoy.transport_sockets.tls}}]}" > e.yaml\n',
      'compose.yml':
        'services:\n  e:\n    image: envoyproxy/envoy:v1.30.1\n    command: ["--config-yaml", "static_resources: {}"]\n    x: [unclosed\n',
    });
    const r = await run(root);
    expect(r.findings).toEqual([]);
    expect(r.errors).toEqual([]);
    expect(envoyContexts(r.contexts)).toEqual([]);
  });
});

describe('bad input ends in an error entry, quickly', () => {
  const timed = async (files: Record<string, string>) => {
    const start = Date.now();
    const r = await run(tree(files));
    return { r, ms: Date.now() - start };
  };

  it('an alias bomb', async () => {
    let text =
      'static_resources:\n  clusters: []\nx0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (let i = 1; i < 12; i++)
      text += `x${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(',')}]\n`;
    const { r, ms } = await timed({ 'envoy.yaml': text });
    expect(r.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('aliases expand to more than'),
    ]);
    expect(ms).toBeLessThan(10_000);
  });

  it('an alias that contains itself', async () => {
    const { r } = await timed({ 'envoy.yaml': 'static_resources: &s\n  clusters: [*s]\n' });
    expect(r.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('alias that contains itself'),
    ]);
  });

  it('deep nesting, flow and block', async () => {
    const flow = await timed({
      'envoy.yaml': `static_resources: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    });
    expect(flow.r.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('nested deeper than 128 levels'),
    ]);
    const block = Array.from({ length: 400 }, (_, i) => `${' '.repeat(2 * i)}k${i}:`).join('\n');
    const deep = await timed({ 'envoy.yaml': `static_resources:\n${block}\n` });
    expect(deep.r.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('indented deeper than 512 columns'),
    ]);
    expect(flow.ms + deep.ms).toBeLessThan(10_000);
  });

  it('a huge document', async () => {
    const { r } = await timed({
      'envoy.json': `{"static_resources": {"clusters": [${Array(40000).fill('{"name": "c", "type": "STATIC"}').join(',')}]}}`,
    });
    expect(r.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/larger than the 1048576 bytes/),
    ]);
  });

  it('duplicate keys and syntax errors, with the line', async () => {
    const { r } = await timed({
      'dup.yaml': 'static_resources:\n  clusters: []\n  clusters: []\n',
      'broken.yaml': 'static_resources:\n  clusters:\n  - name: [unclosed\n',
    });
    const byFile = (name: string) => r.errors.filter((e) => e.file.endsWith(name));
    expect(byFile('dup.yaml')).toEqual([
      expect.objectContaining({
        line: 3,
        message: expect.stringContaining('duplicate key "clusters"'),
      }),
    ]);
    expect(byFile('broken.yaml')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('YAML syntax error') }),
    ]);
  });

  it('the CLI fails on an unreadable Envoy config and still reports the other files', () => {
    const root = tree({
      'bomb.yaml': 'static_resources: &s\n  clusters: [*s]\n',
      'ok.yaml': `static_resources:\n  clusters:\n${CLUSTER('plain', '')}\n`,
    });
    const r = runCli(['--format', 'json', root]);
    expect(r.code).not.toBe(0);
    const report = jsonReport(r.stdout);
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual([
      'certificate-verification-disabled',
    ]);
    expect(report.errors).toHaveLength(1);
  });
});

describe('templates', () => {
  it('masks placeholders with text of the same length, and blanks lines that only hold an action', () => {
    const text = 'a: {{ .Values.x }}\n{{- if .Values.y }}\nb: 1\n{{- end }}\n';
    const m = maskTemplates(text);
    expect(m.text.length).toBe(text.length);
    expect(m.text.split('\n')[0]).toMatch(/^a: «~+»$/);
    expect(m.blankedLines).toEqual([2, 4]);
    expect(m.template).toBe(true);
  });

  it('a template that is not YAML once masked is read as far as possible: a notice, no error', async () => {
    const { findings, errors, notices } = await run(
      tree({
        'envoy.yaml.tmpl': `static_resources:
  clusters:
{{ range .Clusters }}
  - name: {{ .Name }}
    {{ if .TLS }}transport_socket: { name: envoy.transport_sockets.tls }{{ end }}
{{ end }}
`,
      }),
    );
    expect(errors).toEqual([]);
    expect(notices.map((n) => n.message)).toEqual([expect.stringContaining('a template')]);
    expect(findings.every((f) => f.ruleId !== 'hostname-verification-disabled')).toBe(true);
  });
});
