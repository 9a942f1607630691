/**
 * Confirm mode on Node servers: a `listen(<literal port>)` names the endpoint; the live Node
 * server's behaviour decides the status (OpenSSL 3 in Node refuses TLS 1.0 unless the cipher
 * string lowers the security level).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../src/config/policy.js';
import { confirm } from '../../src/confirm/index.js';
import { lint } from '../../src/engine/lint.js';
import { startSilentServer, useNodeTlsServers, type RunningServer } from '../support/servers.js';

describe('--confirm on Node servers with a literal listen port, Envoy listeners, and the deadline', () => {
  const { serve } = useNodeTlsServers();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tls-lint-confirm-node-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function confirmFile(
    port: number,
    options: { name?: string; text?: string; deadlineMs?: number; timeoutMs?: number } = {},
  ) {
    const file = path.join(dir, options.name ?? `server-${port}.js`);
    fs.writeFileSync(
      file,
      options.text ??
        `const https = require('node:https');\nconst server = https.createServer({ minVersion: 'TLSv1', key, cert }, handler);\nserver.listen(${port});\n`,
    );
    const linted = await lint({ paths: [file] });
    const result = await confirm(
      {
        findings: linted.findings,
        contexts: linted.contexts,
        cwd: linted.cwd,
        targetsFor: linted.targetsFor,
        lineText: () => '',
      },
      {
        policy: DEFAULT_POLICY,
        timeoutMs: options.timeoutMs ?? 3000,
        ...(options.deadlineMs !== undefined && { deadlineMs: options.deadlineMs }),
      },
    );
    return {
      file,
      result,
      finding: result.findings.find((f) => f.ruleId === 'insecure-protocol-version'),
    };
  }

  it("minVersion TLSv1 in the file, a server that keeps Node's defaults: refuted; the listen call is the source", async () => {
    const server = await serve();
    const { file, result, finding } = await confirmFile(server.port);
    expect(finding?.probe).toMatchObject({
      status: 'refuted',
      endpoint: `127.0.0.1:${server.port}`,
    });
    expect(finding!.probe!.evidence).toMatch(
      /^TLS 1\.0 and TLS 1\.1 refused; the endpoint accepts TLS 1\.2 and TLS 1\.3/,
    );
    expect(result.endpoints).toEqual([
      expect.objectContaining({
        endpoint: `127.0.0.1:${server.port}`,
        source: expect.objectContaining({ file, line: 3 }),
        reachable: true,
        tested: true,
      }),
    ]);
  });

  it('a server that really accepts TLS 1.0 (@SECLEVEL=0): confirmed', async () => {
    const server = await serve({ minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
    const { finding } = await confirmFile(server.port);
    expect(finding?.probe?.status).toBe('confirmed');
    expect(finding!.probe!.evidence).toMatch(/TLS 1\.0 and TLS 1\.1 accepted by the endpoint/);
  });

  it('an Envoy listener (socket_address 0.0.0.0, server_names as SNI) is probed on 127.0.0.1', async () => {
    const server = await serve();
    const yaml = `static_resources:
  listeners:
  - name: legacy
    address:
      socket_address: { address: 0.0.0.0, port_value: ${server.port} }
    filter_chains:
    - filter_chain_match: { server_names: [localhost] }
      filters: []
      transport_socket:
        name: envoy.transport_sockets.tls
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
          common_tls_context:
            tls_params: { tls_minimum_protocol_version: TLSv1_0 }
`;
    const { finding, result } = await confirmFile(server.port, {
      name: `envoy-${server.port}.yaml`,
      text: yaml,
    });
    expect(result.endpoints).toEqual([
      expect.objectContaining({
        endpoint: `127.0.0.1:${server.port}`,
        sni: 'localhost',
        tested: true,
      }),
    ]);
    expect(finding?.probe).toMatchObject({
      status: 'refuted',
      endpoint: `127.0.0.1:${server.port}`,
      sni: 'localhost',
    });
  });

  describe('a server that never answers', () => {
    let silent: RunningServer;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when the test failed early
    afterAll(async () => silent?.close());
    it('is inconclusive once --probe-deadline passes, and says so', async () => {
      silent = await startSilentServer();
      const { finding, result } = await confirmFile(silent.port, {
        deadlineMs: 300,
        timeoutMs: 1000,
      });
      expect(result.endpoints[0]).toMatchObject({
        reachable: true,
        tested: false,
        error: 'the probe did not finish within the 300 ms deadline',
      });
      expect(finding?.probe).toMatchObject({
        status: 'inconclusive',
        evidence: 'the probe did not finish within the 300 ms deadline',
      });
    });
  });
});
