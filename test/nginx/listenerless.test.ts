/**
 * `ssl_*` directives in a server{} that nothing turns TLS on for: what they say is reported one
 * severity step lower, with the reason, decided by the engine from the reader's fact
 * (`tlsNotEnabled`); http{}-level settings inherited by TLS servers keep their severity.
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { writeRepo } from '../support/trees.js';
import { withoutDefaultCiphers } from '../support/default-ciphers.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

async function findingsOf(
  conf: string,
): Promise<Array<{ line: number; ruleId: string; severity: string; message: string }>> {
  const root = writeRepo('tls-lint-listener-', { 'nginx.conf': conf }, made);
  const result = await lint({ paths: [root], cwd: root });
  expect(result.errors).toEqual([]);
  return withoutDefaultCiphers(result.findings).map((f) => ({
    line: f.at.line,
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
  }));
}

describe('ssl_* without a TLS listener', () => {
  it('reports the directive one step lower and says the flag may be missing from listen', async () => {
    const conf = 'http {\n  server {\n    listen 443;\n    ssl_protocols SSLv3 TLSv1.2;\n  }\n}\n';
    const found = await findingsOf(conf);
    expect(found.map((f) => `${f.line} ${f.ruleId} ${f.severity}`)).toEqual([
      '4 insecure-protocol-version warning',
    ]);
    expect(found[0]!.message).toContain(
      'the setting is dead, or the "ssl" flag is missing from "listen 443"',
    );
    // The same server with the flag: full severity, no such note.
    const on = await findingsOf(conf.replace('listen 443;', 'listen 443 ssl;'));
    expect(on.map((f) => `${f.line} ${f.ruleId} ${f.severity}`)).toEqual([
      '4 insecure-protocol-version error',
    ]);
    expect(on[0]!.message).not.toContain('no TLS listener');
  });

  it('judges only what the server writes: no default is assumed for it, http{} settings stay with TLS servers', async () => {
    const conf =
      'http {\n  ssl_protocols TLSv1 TLSv1.2;\n  server {\n    listen 80;\n    ssl_certificate_key k.pem;\n  }\n  server {\n    listen 443 ssl;\n  }\n}\n';
    const found = await findingsOf(conf);
    expect(found.map((f) => `${f.line} ${f.ruleId} ${f.severity}`)).toEqual([
      '2 insecure-protocol-version error',
    ]);
    expect(found[0]!.message).not.toContain('no TLS listener');
  });

  it('says nothing when a template or an unreadable include may hold the listener', async () => {
    expect(
      await findingsOf(
        'http {\n  server {\n    listen {{ port }};\n    ssl_protocols TLSv1 TLSv1.2;\n  }\n}\n',
      ),
    ).toEqual([]);
    expect(
      await findingsOf(
        'http {\n  server {\n    include $listen_file;\n    ssl_protocols TLSv1 TLSv1.2;\n  }\n}\n',
      ),
    ).toEqual([]);
  });
});
