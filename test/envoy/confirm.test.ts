/**
 * Confirm mode on an Envoy listener: the listener's socket_address names the endpoint and its
 * filter chain's server_names the SNI; a live TLS server (standing in for Envoy) decides.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/config/policy.js';
import { confirm } from '../../src/confirm/index.js';
import { lint } from '../../src/engine/lint.js';
import { parseTargetArgs } from '../../src/config/targets.js';
import { useNodeTlsServers } from '../support/servers.js';

describe('--confirm on an Envoy listener', () => {
  const { serve } = useNodeTlsServers();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-lint-confirm-envoy-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function confirmListener(port: number) {
    const file = path.join(dir, `envoy-${port}.yaml`);
    fs.writeFileSync(
      file,
      `static_resources:
  listeners:
  - name: edge
    address:
      socket_address: { address: 127.0.0.1, port_value: ${port} }
    filter_chains:
    - filter_chain_match: { server_names: [edge.example.com] }
      transport_socket:
        name: envoy.transport_sockets.tls
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
          common_tls_context:
            tls_certificates: [{ certificate_chain: { filename: edge.pem }, private_key: { filename: edge-key.pem } }]
`,
    );
    const linted = await lint({ paths: [file], targets: parseTargetArgs(['envoy=1.21']) });
    const result = await confirm(
      {
        findings: linted.findings,
        contexts: linted.contexts,
        cwd: linted.cwd,
        targetsFor: linted.targetsFor,
        lineText: () => '',
      },
      { policy: DEFAULT_POLICY, timeoutMs: 3000 },
    );
    return {
      file,
      result,
      finding: result.findings.find((f) => f.ruleId === 'insecure-protocol-version'),
    };
  }

  it('the Envoy 1.21 default floor: confirmed when the endpoint accepts TLS 1.0, refuted when not', async () => {
    const old = await serve({ minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    const confirmed = await confirmListener(old.port);
    expect(confirmed.finding?.probe).toMatchObject({
      status: 'confirmed',
      endpoint: `127.0.0.1:${old.port}`,
    });
    expect(confirmed.result.endpoints).toEqual([
      expect.objectContaining({
        endpoint: `127.0.0.1:${old.port}`,
        sni: 'edge.example.com',
        source: expect.objectContaining({ file: confirmed.file, line: 5 }),
        reachable: true,
      }),
    ]);
    const current = await serve();
    const refuted = await confirmListener(current.port);
    expect(refuted.finding?.probe?.status).toBe('refuted');
  });
});
